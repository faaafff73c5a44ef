"""Article bodies: HTML → sanitised HTML, plain text with paragraphs, sentences, images, script.

The sanitised HTML is the only HTML the dashboard ever renders; plain text is derived from it, so
what a reader searches is exactly what they can see.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import nh3

# Tags whose content is never text a reader sees (the sanitiser drops them with their content).
DROPPED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "iframe",
        "noscript",
        "object",
        "embed",
        "template",
        "svg",
        "math",
        "form",
        "button",
        "select",
        "textarea",
        "title",
        "head",
    }
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
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Block-level tags: their boundaries are paragraph breaks in the plain text.
BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "blockquote",
    "figure",
    "figcaption",
    "article",
    "section",
    "header",
    "footer",
    "aside",
    "pre",
    "hr",
    "dd",
    "dt",
    "dl",
    "details",
    "summary",
    "center",
    "hgroup",
    "nav",
    "caption",
    "picture",
)
BLOCK_BOUNDARY = re.compile(rf"</?(?:{'|'.join(BLOCK_TAGS)})\b[^>]*>", re.IGNORECASE)
CELL_BOUNDARY = re.compile(r"</?t[dh]\b[^>]*>", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]*>")
LAZY_IMG = re.compile(r"<img\b(?![^>]*\ssrc\s*=)([^>]*?)\sdata-(?:lazy-)?src\s*=", re.IGNORECASE)
IMG_SRC = re.compile(r'<img\b[^>]*?\ssrc="([^"]+)"', re.IGNORECASE)
INLINE_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000\u200b\ufeff]+")

# A sentence ends at 。！？!? (or …… / ；-free runs), taking closing quotes and brackets with it.
SENTENCE = re.compile(
    r"[^。！？!?…]*?(?:[。！？!?]+|…{1,2}|\.(?=\s|$))[”’」』）)\]】\"']*|[^。！？!?…]+$"
)
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
KANA = re.compile(r"[\u3040-\u30ff]")
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


def sanitise(raw_html: str) -> str:
    """Safe HTML: no scripts, styles, frames, event handlers or javascript: URLs; images kept."""
    return _CLEANER.clean(LAZY_IMG.sub(r"<img\1 src=", raw_html)).strip()


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
    han = len(HAN.findall(text))
    kana = len(KANA.findall(text))
    latin = len(LATIN_WORD.findall(text))
    if kana > 20 and kana > han / 4:
        return "ja"
    if han >= 5 and han >= latin:
        return "zh"
    if latin >= 5:
        return "en"
    return "zh" if han else "und"


def script(text: str) -> str | None:
    """'simplified', 'traditional' or None (no Chinese or no telling characters)."""
    only_simplified, only_traditional = _script_tables()
    chars = set(text)  # distinct characters decide it, and sets intersect in C
    simp = len(chars & only_simplified)
    trad = len(chars & only_traditional)
    if simp == trad == 0:
        return None
    return "traditional" if trad > simp else "simplified"


def to_simplified(text: str) -> str:
    """Traditional characters replaced by their simplified forms, one character for one (so
    offsets hold); a folding for matching, not a translation (OpenCC's character table)."""
    return text.translate(_traditional_table())


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
