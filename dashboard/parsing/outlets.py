"""Outlet registry: who published an article, how to name it in Chinese and English, its colour.

An outlet is recognised by the domain of the article's URL or by the byline/author names the
archives use for it. Outlets not in the registry still get a stable key (their domain, or a slug
of the name) and a colour, so a user's own archive never loses its sources.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Outlet:
    key: str
    name_zh: str
    name_en: str
    color: str
    tz: str | None = None
    domains: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, str | None]:
        return {"key": self.key, "name_zh": self.name_zh, "name_en": self.name_en}


# The four seed outlets keep their colours across every chart (Okabe–Ito, colour-blind safe).
KNOWN_OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        "rfa",
        "自由亚洲电台",
        "Radio Free Asia",
        "#0072B2",
        "America/New_York",
        ("rfa.org",),
        ("自由亚洲电台", "自由亞洲電台", "自由亚洲", "RFA", "Radio Free Asia"),
    ),
    Outlet(
        "rfi",
        "法国国际广播电台",
        "RFI",
        "#D55E00",
        "Europe/Paris",
        ("rfi.fr",),
        ("法广", "法廣", "法国国际广播电台", "法國國際廣播電台", "RFI"),
    ),
    Outlet(
        "aljazeera",
        "半岛电视台",
        "Al Jazeera",
        "#009E73",
        "Asia/Qatar",
        ("aljazeera.net", "aljazeera.com"),
        ("Aljazeera 半岛网", "半岛网", "半岛电视台", "半島電視台", "Al Jazeera", "Aljazeera"),
    ),
    Outlet("gnews", "GNews", "GNews", "#CC79A7", None, ("gnews.org",), ("GNews",)),
    Outlet(
        "voa",
        "美国之音",
        "Voice of America",
        "#56B4E9",
        "America/New_York",
        ("voachinese.com", "voanews.com"),
        ("美国之音", "美國之音", "VOA"),
    ),
    Outlet(
        "dw",
        "德国之声",
        "Deutsche Welle",
        "#E69F00",
        "Europe/Berlin",
        ("dw.com",),
        ("德国之声", "德國之聲", "DW"),
    ),
    Outlet(
        "bbc",
        "BBC中文",
        "BBC Chinese",
        "#8B0000",
        "Europe/London",
        ("bbc.com", "bbc.co.uk"),
        ("BBC", "BBC中文网", "BBC中文"),
    ),
    Outlet(
        "reuters",
        "路透",
        "Reuters",
        "#F0E442",
        "Asia/Shanghai",
        ("reuters.com",),
        ("路透", "路透社", "Reuters"),
    ),
    Outlet(
        "cna",
        "中央社",
        "Central News Agency",
        "#6A3D9A",
        "Asia/Taipei",
        ("cna.com.tw",),
        ("(臺)中央社CNA", "中央社", "CNA"),
    ),
    Outlet(
        "epochtimes",
        "大纪元",
        "The Epoch Times",
        "#B15928",
        "America/New_York",
        ("epochtimes.com",),
        ("大纪元", "大紀元"),
    ),
    Outlet(
        "zaobao",
        "联合早报",
        "Lianhe Zaobao",
        "#1F78B4",
        "Asia/Singapore",
        ("zaobao.com", "zaobao.com.sg"),
        ("联合早报", "聯合早報"),
    ),
    Outlet(
        "cdt",
        "中国数字时代",
        "China Digital Times",
        "#33A02C",
        "America/Los_Angeles",
        ("chinadigitaltimes.net",),
        ("中国数字时代", "中國數字時代"),
    ),
    Outlet(
        "solidot", "Solidot", "Solidot", "#777777", "Asia/Shanghai", ("solidot.org",), ("Solidot",)
    ),
    Outlet(
        "economist",
        "经济学人",
        "The Economist",
        "#E3120B",
        "Europe/London",
        ("economist.com",),
        ("经济学人", "经济学人en", "The Economist"),
    ),
    Outlet(
        "cctv",
        "央视",
        "CCTV",
        "#A6CEE3",
        "Asia/Shanghai",
        ("cctv.com", "cntv.cn"),
        ("CCTV新闻联播", "央视", "CCTV"),
    ),
)

_BY_KEY = {o.key: o for o in KNOWN_OUTLETS}
_PALETTE = (
    "#4E79A7",
    "#F28E2B",
    "#E15759",
    "#76B7B2",
    "#59A14F",
    "#EDC948",
    "#B07AA1",
    "#FF9DA7",
    "#9C755F",
    "#BAB0AC",
)
_SLUG = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")


def get(key: str) -> Outlet | None:
    """The registered outlet with this key, if any."""
    return _BY_KEY.get(key)


def from_url(url: str | None) -> Outlet | None:
    """The registered outlet whose domain the URL belongs to."""
    host = _host(url)
    if not host:
        return None
    for outlet in KNOWN_OUTLETS:
        if any(host == d or host.endswith("." + d) for d in outlet.domains):
            return outlet
    return None


def from_name(name: str | None) -> Outlet | None:
    """The registered outlet an author/byline/category name stands for."""
    if not name:
        return None
    folded = name.strip().casefold()
    for outlet in KNOWN_OUTLETS:
        if any(folded == a.casefold() for a in outlet.aliases):
            return outlet
    return None


def resolve(url: str | None, names: tuple[str | None, ...]) -> Outlet:
    """The outlet of an article: by URL domain, then by names, else a new one named after them."""
    found = from_url(url) or next(filter(None, map(from_name, names)), None)
    if found:
        return found
    name = next((n.strip() for n in names if n and n.strip()), None)
    host = _host(url)
    if host:
        host = host.removeprefix("www.")
    key = host or (_SLUG.sub("-", name.casefold()).strip("-") if name else "") or "unknown"
    label = name or host
    return Outlet(key, label or "未知来源", label or "Unknown source", colour_for(key))


def _host(url: str | None) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return ""


def colour_for(key: str) -> str:
    # A stable colour from the key, so an unregistered outlet looks the same on every run.
    digest = hashlib.sha1(key.encode("utf-8")).digest()
    return _PALETTE[digest[0] % len(_PALETTE)]
