"""Article bodies: HTML → sanitised HTML, plain text with paragraphs, sentences, images, script.

The sanitised HTML is the only HTML the dashboard ever renders; plain text is derived from it, so
what a reader searches is exactly what they can see. Before nh3 reads a body, one linear pass
(``Repairer``) bounds the work the body can cause (its size, how deep its tags nest, how many
formatting tags stay open) and keeps text html5ever would hide (after a <style> or <noscript>
that never ends); every cut or repair it makes comes back as a note. Only absolute http(s) URLs
survive, resolved against the article's own URL.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import nh3
import numpy as np

from dashboard.parsing.html_repair import Estimate, MayCut, Repairer, Tree, within_size


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Tags whose content is never text a reader sees (the sanitiser drops them with their content).
# A form's own text (labels, fieldsets, the article a CMS wrapped in a form) is kept; its buttons
# and menus are controls, not prose, and a textarea's text is kept as text (it is what it shows).
DROPPED_WITH_CONTENT = _names(
    "script style iframe noscript noembed noframes object embed template svg math "
    "button select datalist title head"
)
ALLOWED_TAGS = (nh3.ALLOWED_TAGS | {"picture", "source"}) - {"map", "area"}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "source": {"srcset", "media", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
}
# Only web links: mailto: would open a mail program from an archive nobody can write back to.
URL_SCHEMES = frozenset({"http", "https"})
URL_ATTRIBUTES = frozenset({"href", "src"})

# URLs as a browser reads them (WHATWG URL standard): tabs and newlines anywhere are ignored,
# C0 controls and spaces at either end are trimmed, and a backslash is a slash before ?/#.
URL_IGNORED = re.compile(r"[\t\n\r]")
URL_TRIMMED = "".join(map(chr, range(0x21)))
URL_PATH = re.compile(r"^[^?#]*")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
SCRIPT_SCHEME = re.compile(r"(?<![a-z0-9+.\-])(?:javascript|vbscript|data):", re.IGNORECASE)
SRCSET_URL = re.compile(r"[\t\n\f\r ,]*([^\t\n\f\r ]+)")
# In nh3's output every tag is whole and every attribute value is double-quoted with `"` and
# `>` escaped, so tags and values can be read by pattern. A URL of this shape is one safe_url
# keeps as it is; a tag with any other href/src, or a srcset, is rewritten.
PLAIN_WEB_URL = r'https?://[A-Za-z0-9.\-]+(?::\d{1,4})?(?:[/?#][^"\s\\\x00-\x1f\x7f]*)?"'
URL_TAG = re.compile(
    rf'<(?:a|img|source)(?=\s)[^>]*?\s(?:(?:href|src)="(?!{PLAIN_WEB_URL})|srcset=")[^>]*>'
)
SCHEME_TAG = re.compile(r"<[a-z][^>]*?(?:javascript|vbscript|data):[^>]*>", re.IGNORECASE)
OUTPUT_ATTRIBUTE = re.compile(r'\s([^\s="]+)="([^"]*)"')
DESCRIPTOR = re.compile(r"\d+[wh]|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?x")

# Block-level tags: their boundaries are paragraph breaks in the plain text.
BLOCK_TAGS = _names(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 tr table blockquote figure figcaption article section "
    "header footer aside pre hr dd dt dl details summary center hgroup nav caption picture"
)
BLOCK_BOUNDARY = re.compile(rf"</?(?:{'|'.join(sorted(BLOCK_TAGS))})\b[^>]*>", re.IGNORECASE)
CELL_BOUNDARY = re.compile(r"</?t[dh]\b[^>]*>", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]*>")
# A lazy-loaded image (no src, its picture in data-src) keeps its picture.
IMG_SRC = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"', re.IGNORECASE)
INLINE_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b\ufeff]+")

# A sentence ends at 。！？!? (or …… / ；-free runs), taking closing quotes and brackets with it.
# Up to its end: runs of other characters and of dots that end nothing, possessive (the same
# sentences as the lazy [^。！？!?…]*? did, in a quarter of the time: no retry at every char).
SENTENCE = re.compile(
    r"[^。！？!?….]*+(?:\.(?!\s|$)[^。！？!?….]*+)*+(?:[。！？!?]+|…{1,2}|\.(?=\s|$))"
    r"[”’」』）)\]】\"']*|[^。！？!?…]+$"
)
# Code point ranges (inclusive) of ideographs (CJK and its compatibility block) and of kana:
# language() counts them in the code point array.
HAN_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF))
KANA_RANGES = ((0x3040, 0x30FF),)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# Archive and platform furniture that is not the article's text.
BOILERPLATE = re.compile(
    r"^(?:Array|获取更多RSS[:：]?|https?://feedx\.\w+/?|"
    r"免责声明：本文内容仅代表作者个人观点，平台不承担任何法律风险。|"
    r"©\s*\d{4}年?德国之声版权声明.*|你的器材不支持播放多媒体材料)$"
)
# A paragraph that is only a timestamp (the archiver's dateline), not prose.
TIMESTAMP_ONLY = re.compile(
    r"^(?:\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?|\d{1,2}/\d{1,2}/\d{4}\s*-\s*\d{1,2}:\d{2}"
    r"|(?:[A-Z][a-z]{2},\s*)?\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT)$"
)

_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=set(DROPPED_WITH_CONTENT),
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    set_tag_attribute_values={
        "a": {"target": "_blank"},
        "img": {"loading": "lazy", "referrerpolicy": "no-referrer"},
    },
    strip_comments=True,
)
# nh3 adds the attributes above in the order of a hash map seeded anew in every process, so an
# image's two came out either way round from run to run and from worker to worker: one order.
IMG_ADDED = ' loading="lazy" referrerpolicy="no-referrer"'
IMG_ADDED_SWAPPED = ' referrerpolicy="no-referrer" loading="lazy"'


def clean_body(raw_html: str, base_url: str | None = None) -> tuple[str, list[str]]:
    """Safe HTML of an article body (no scripts, styles, frames, event handlers; only http(s)
    URLs, relative ones resolved against ``base_url`` or dropped without it), and a note saying
    why for every cut or repair made on the way."""
    body, notes = within_size(raw_html)
    repairer = Repairer(body, Estimate())
    try:  # the estimate costs a third of the model; it rules out a cut in nearly every body
        repaired, repairs = repairer.run()
    except MayCut:
        repairer = Repairer(body, Tree())
        repaired, repairs = repairer.run()
    clean = _CLEANER.clean(repaired).strip().replace(IMG_ADDED_SWAPPED, IMG_ADDED)
    return _web_urls_only(clean, safe_url(base_url), repairer), notes + repairs


def sanitise(raw_html: str) -> str:
    """Safe HTML of a body whose URL is unknown (relative links and images are dropped)."""
    return clean_body(raw_html)[0]


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) URL (a relative one resolved against ``base`` when that is itself
    http(s)), or None; never raises."""
    return _web_url(url, _web_url(base, None))


def _web_url(url: object, base: str | None) -> str | None:
    if not isinstance(url, str):
        return None
    candidate = URL_IGNORED.sub("", url).strip(URL_TRIMMED)
    candidate = URL_PATH.sub(lambda m: m.group(0).replace("\\", "/"), candidate, count=1)
    if not candidate:
        return None
    try:
        if not SCHEME.match(candidate):  # relative: it would point at the dashboard's server
            if base is None:
                return None
            candidate = urljoin(base, candidate)
        parts = urlsplit(candidate)
        parts.port  # noqa: B018 -- raises ValueError on a port that is not one
    except ValueError:  # "http://[::1", "http://x:99999999", a netloc NFKC turns into "@"
        return None
    return candidate if parts.scheme.lower() in URL_SCHEMES and parts.hostname else None


def _web_urls_only(clean: str, base: str | None, seen: Repairer) -> str:
    # nh3 has dropped href/src of other schemes; what is left to do (resolve relative URLs,
    # judge srcset, drop an alt naming a script scheme) is done on its output, only when the
    # repair pass saw a tag that needs it, and only on such tags (nh3's attribute_filter, called
    # for every attribute, doubled the cost of sanitising the corpus).
    if seen.odd_urls:
        clean = URL_TAG.sub(lambda m: _fix_attributes(m.group(0), base), clean)
    if seen.named_schemes:
        clean = SCHEME_TAG.sub(lambda m: _fix_attributes(m.group(0), base), clean)
    return clean


def _fix_attributes(tag: str, base: str | None) -> str:
    def fix(attribute: re.Match[str]) -> str:
        name, value = attribute.group(1), html.unescape(attribute.group(2))
        if name in URL_ATTRIBUTES:
            safe = _web_url(value, base)
        elif name == "srcset":
            safe = _safe_srcset(value, base)
        else:  # no attribute carries a script scheme, even as text
            safe = None if SCRIPT_SCHEME.search(value) else value
        return "" if safe is None else f' {name}="{html.escape(safe)}"'

    return OUTPUT_ATTRIBUTE.sub(fix, tag)


def _safe_srcset(value: str, base: str | None) -> str | None:
    # Each candidate ("URL [descriptors]", comma separated) is judged and resolved on its own;
    # one with a descriptor that is not a width or density is dropped, as a browser drops it.
    kept: list[str] = []
    pos = 0
    while (m := SRCSET_URL.match(value, pos)) is not None:
        url, pos = m.group(1), m.end()
        descriptors: list[str] = []
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            end = value.find(",", pos)
            end = len(value) if end < 0 else end
            descriptors, pos = value[pos:end].split(), end
        safe = _web_url(url, base)
        if safe and all(DESCRIPTOR.fullmatch(d) for d in descriptors):
            kept.append(" ".join([safe, *descriptors]))
    return ", ".join(kept) or None


def paragraphs(clean_html: str) -> list[str]:
    """The visible text of sanitised HTML, one string per paragraph, whitespace folded."""
    marked = CELL_BOUNDARY.sub(" ", BLOCK_BOUNDARY.sub("\n\n", clean_html))
    text = html.unescape(ANY_TAG.sub("", marked))
    out = []
    for block in text.split("\n\n"):
        folded = INLINE_SPACE.sub(" ", block.replace("\n", " ")).strip()
        if folded:
            out.append(folded)
    return out


def without_furniture(paras: list[str]) -> list[str]:
    """Paragraphs minus datelines and archive/platform boilerplate."""
    return [p for p in paras if not (BOILERPLATE.match(p) or TIMESTAMP_ONLY.match(p))]


def images(clean_html: str) -> list[str]:
    """Image URLs of sanitised HTML, in order, without repeats."""
    return list(dict.fromkeys(html.unescape(src) for src in IMG_SRC.findall(clean_html)))


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph, on Chinese and Latin end punctuation."""
    return [s.strip() for s in SENTENCE.findall(paragraph) if s.strip()]


def sentence_spans(plain: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a plain text whose paragraphs are split by blank lines."""
    spans = []
    offset = 0
    for para in plain.split("\n\n"):
        for m in SENTENCE.finditer(para):
            chunk = m.group(0)
            stripped = chunk.strip()
            if stripped:
                start = offset + m.start() + (len(chunk) - len(chunk.lstrip()))
                spans.append((start, start + len(stripped)))
        offset += len(para) + 2
    return spans


def sentences(paras: list[str]) -> list[str]:
    """Sentences of a text, never spanning a paragraph break."""
    return [s for p in paras for s in split_sentences(p)]


def escape_text(text: str) -> str:
    """Plain text as HTML paragraphs (for sources that give text, not HTML)."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n|\r\n\s*\r\n", text) if b.strip()]
    return "".join(f"<p>{html.escape(b).replace(chr(10), '<br>')}</p>" for b in blocks)


def language(text: str) -> str:
    """'zh', 'ja', 'en' or 'und', from the characters of the text."""
    codes = _code_points(text)  # counted in arrays: a regex's runs took half as long again
    han = _within(codes, HAN_RANGES)
    kana = _within(codes, KANA_RANGES)
    latin = len(LATIN_WORD.findall(text))
    if kana > 20 and kana > han / 4:
        return "ja"
    if han >= 5 and han >= latin:
        return "zh"
    if latin >= 5:
        return "en"
    return "zh" if han else "und"


def _within(codes: np.ndarray, ranges: tuple[tuple[int, int], ...]) -> int:
    """How many of the code points lie in the (inclusive) ranges."""
    return sum(int(np.count_nonzero((codes >= low) & (codes <= high))) for low, high in ranges)


def script(text: str) -> str | None:
    """'simplified', 'traditional' or None (no Chinese or no telling characters)."""
    # Distinct telling characters decide it, found through one array lookup over the code
    # points (a set of an article's 4,000 characters took three times as long).
    codes = _code_points(text)
    kinds = _script_kinds()
    telling = np.unique(codes[kinds[codes] != 0])
    trad = int(np.count_nonzero(kinds[telling] == TRADITIONAL))
    simp = telling.size - trad
    if simp == trad == 0:
        return None
    return "traditional" if trad > simp else "simplified"


SIMPLIFIED, TRADITIONAL = 1, 2  # in _script_kinds: characters of one script only


@cache
def _script_kinds() -> np.ndarray:
    """Code point → SIMPLIFIED, TRADITIONAL or 0 (in both scripts, or not Chinese)."""
    kinds = np.zeros(sys.maxunicode + 1, dtype=np.uint8)
    only_simplified, only_traditional = _script_tables()
    kinds[[ord(c) for c in only_simplified]] = SIMPLIFIED
    kinds[[ord(c) for c in only_traditional]] = TRADITIONAL
    return kinds


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def _mapped(table: np.ndarray, text: str) -> str:
    """Each character of text replaced by the one its code point maps to in ``table``."""
    return table[_code_points(text)].tobytes().decode("utf-32-le", "surrogatepass")


# From this length a text is folded through the code point array (shorter ones spend more in
# making the arrays than translate spends on them).
LOOKUP_FROM = 64
# NFKC costs more than str.translate: the compatible forms pay from a shorter text (a sentence
# of 65 characters folded in 15 µs instead of 26).
COMPATIBLE_FROM = 24


def to_simplified(text: str) -> str:
    """Traditional characters replaced by their simplified forms, one character for one (so
    offsets hold); a folding for matching, not a translation (OpenCC's character table)."""
    if len(text) < LOOKUP_FROM:
        return text.translate(_traditional_table())
    # str.translate asks its dict once a character (an article's text took 0.3 ms, a tenth of
    # reading the file); one array lookup over the code points does the same ten times faster.
    return _mapped(_code_table(), text)


def compatible_forms(text: str) -> str:
    """Each character whose compatibility form is one other, plain character (full-width Ｎ and
    ，, the ideographic space) replaced by that one: what NFKC does to it, done ahead of NFKC,
    so that NFKC(result) == NFKC(text) and most texts are NFKC already afterwards (99 % of
    articles were not, for their full-width punctuation, and normalising one took 0.2 ms)."""
    if len(text) < COMPATIBLE_FROM:  # NFKC costs a short text less than the arrays would
        return text
    return _mapped(_compatible_table(), text)


@cache
def _compatible_table() -> np.ndarray:
    """Code point → the one character NFKD makes of it, when that is a plain (fully
    decomposed, non-combining) character; itself otherwise. The Basic Multilingual Plane only:
    a character left out is normalised by NFKC as before, so the table needs no completeness."""
    table = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF or not unicodedata.decomposition(char := chr(code)):
            continue
        plain = unicodedata.normalize("NFKD", char)
        if (
            len(plain) == 1
            and unicodedata.normalize("NFKD", plain) == plain
            and not unicodedata.combining(plain)
        ):
            table[code] = ord(plain)
    return table


@cache
def _code_table() -> np.ndarray:
    """Code point → the code point of its simplified form (itself for most)."""
    table = np.arange(sys.maxunicode + 1, dtype=np.uint32)
    for code, simplified in _traditional_table().items():
        table[code] = ord(simplified)
    return table


@cache
def _traditional_table() -> dict[int, str]:
    table = {}
    for line in (_opencc_folder() / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        first = values.split()[0] if values.split() else ""
        if len(key) == 1 and len(first) == 1 and first != key:
            table[ord(key)] = first
    return table


def _opencc_folder() -> Path:
    import opencc

    return Path(opencc.__file__).parent / "dictionary"


@cache
def _script_tables() -> tuple[frozenset[str], frozenset[str]]:
    # OpenCC's character tables: a character that converts to something else is script-specific.
    folder = _opencc_folder()
    simp = _changed_keys(folder / "STCharacters.txt")
    trad = _changed_keys(folder / "TSCharacters.txt")
    return frozenset(simp - trad), frozenset(trad - simp)


def _changed_keys(path: Path) -> set[str]:
    keys = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key and values.split()[:1] != [key]:
            keys.add(key)
    return keys
