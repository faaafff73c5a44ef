"""Keyword search over titles and bodies: works on Chinese text without spaces.

Text and queries are folded the same way (NFKC, so full-width Ｎａｔｏ is NATO; case folded;
traditional characters to simplified, so 烏克蘭 finds 乌克兰), then each term of the query must
occur somewhere in the article (terms are separated by spaces).
"""

from __future__ import annotations

import re
import unicodedata

from dashboard.parsing.text import compatible_forms, to_simplified

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
SPACES = re.compile(r"\s+")


class QueryError(ValueError):
    """A search text the dashboard cannot use; the message says why."""


def fold(text: str) -> str:
    """The searchable form of a text: NFKC-normalised, case-folded, traditional → simplified."""
    # Checking is far cheaper than normalising, and after the one-for-one compatibility forms
    # are put in (the full-width punctuation of nearly every Chinese text) most text is NFKC.
    text = compatible_forms(text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return to_simplified(text.casefold())


def terms(query: str) -> tuple[str, ...]:
    """The folded terms of a query, or QueryError for an unusable one."""
    if len(query) > MAX_QUERY_LENGTH:
        raise QueryError(f"search text is longer than {MAX_QUERY_LENGTH} characters")
    if "\ufffd" in query:
        raise QueryError("search text is not valid UTF-8 (a broken %-escape in the address?)")
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\n" for ch in query):
        raise QueryError("search text contains control characters")
    found = tuple(dict.fromkeys(t for t in SPACES.split(fold(query).strip()) if t))
    if len(found) > MAX_TERMS:
        raise QueryError(f"at most {MAX_TERMS} search terms")
    return found


def matches(haystack: str, wanted: tuple[str, ...]) -> bool:
    """Whether every term occurs in an already folded text."""
    return all(term in haystack for term in wanted)
