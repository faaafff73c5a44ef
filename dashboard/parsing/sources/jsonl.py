"""JSON Lines corpora, one article per line: id, time, title, text, url (news-tls convention)."""

from __future__ import annotations

import json
import re
from typing import Any

from dashboard.parsing.articles import RawArticle
from dashboard.parsing.pubdate import parse_datetime
from dashboard.parsing.sources.base import SkipFile
from dashboard.parsing.text import escape_text

TEXT_KEYS = ("text", "content", "body")
HTML_KEYS = ("html", "body_html")
TIME_KEYS = ("time", "date", "published", "pubdate", "timestamp")
ID_KEYS = ("id", "doc_id", "uid")
DETECT_LINES = 5
DETECT_CHARS = 1_048_576  # a first record larger than this is not worth detecting a format by
JSON_SPACE = " \t\n\r"  # the whitespace json.loads skips before a value
NOT_SPACE = re.compile(r"\S")  # what str.strip() keeps: the line holding it is not blank
HTML_TAG = re.compile(r"<(?:p|div|br|span|a|img|h[1-6]|ul|li|strong|em)\b[^>]*>", re.IGNORECASE)


class JsonLinesReader:
    name = "jsonl"

    def detect(self, text: str) -> bool:
        # Any of the first few lines: one damaged first record must not turn the file into
        # a single generic "article" and lose every record after it.
        head = _head(text[:DETECT_CHARS], DETECT_LINES)
        return any(_is_record(line) for line in head)

    def read(self, text: str) -> list[RawArticle | SkipFile]:
        out: list[RawArticle | SkipFile] = []
        for number, line in enumerate(_lines(text), start=1):
            if line.strip():
                out.append(_record(line, number))
        return out


def _is_record(line: str) -> bool:
    # Only a line whose JSON starts with { can load as an object; every file of another format
    # is asked this, and a failed json.loads is slow (it builds an error with line and column).
    if not line.lstrip(JSON_SPACE).startswith("{"):
        return False
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(record, dict) and any(k in record for k in (*TEXT_KEYS, *HTML_KEYS))


def _head(text: str, count: int) -> list[str]:
    """The first ``count`` non-blank lines of ``_lines(text)``, without splitting all of it."""
    text = text.lstrip("\ufeff")
    head: list[str] = []
    pos = 0
    while len(head) < count and (seen := NOT_SPACE.search(text, pos)) is not None:
        start = text.rfind("\n", 0, seen.start()) + 1
        end = text.find("\n", seen.start())
        end = len(text) if end < 0 else end
        head.append(text[start:end].removesuffix("\r"))
        pos = end + 1
    return head


def _lines(text: str) -> list[str]:
    # Records end at \n only: str.splitlines() also splits at U+2028, U+2029, U+0085 and \x1c-\x1e,
    # which JSON allows unescaped inside strings, and would cut valid records in two.
    return [line.removesuffix("\r") for line in text.lstrip("\ufeff").split("\n")]


def _record(line: str, number: int) -> RawArticle | SkipFile:
    try:
        record = json.loads(line)
    except ValueError as exc:
        return SkipFile(f"line {number}: not valid JSON ({exc})")
    except RecursionError:
        return SkipFile(f"line {number}: JSON nested too deeply to read")
    if not isinstance(record, dict):
        return SkipFile(f"line {number}: a JSON {type(record).__name__}, not an object")
    body = _body(record)
    when = next((c for k in TIME_KEYS if (c := _time(record.get(k)))), None)
    ident = next((str(record[k]) for k in ID_KEYS if record.get(k) not in (None, "")), None)
    return RawArticle(
        body_html=body,
        title=_str(record.get("title")),
        url=_str(record.get("url")),
        byline=_str(record.get("author")),
        outlet_names=tuple(
            s for k in ("outlet", "source", "publisher") if (s := _str(record.get(k)))
        ),
        dates=[when] if when else [],
        id_suffix=ident or f"line-{number}",
    )


def _body(record: dict[str, Any]) -> str:
    for key in HTML_KEYS:
        if isinstance(record.get(key), str):
            return str(record[key])
    for key in TEXT_KEYS:
        value = record.get(key)
        if isinstance(value, list):  # news-tls keeps sentences as a list
            value = "\n\n".join(
                str(v.get("raw", v)) if isinstance(v, dict) else str(v) for v in value
            )
        if isinstance(value, str):
            return value if HTML_TAG.search(value) else escape_text(value)
    return ""


def _time(value: Any):  # type: ignore[no-untyped-def]
    return parse_datetime(value, "record") if value not in (None, "") else None


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
