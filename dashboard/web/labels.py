"""Interface text in Chinese and English; article text is never translated, only labels."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "title": ("新闻时间线", "News timeline"),
    "subtitle": ("各媒体报道中的日期事件", "Dated events across outlets' coverage"),
    "outlets": ("媒体", "Outlets"),
    "search": ("关键词", "Keyword"),
    "search_placeholder": ("例如：北约、禁飞区、Zelensky", "e.g. 北约, 禁飞区, Zelensky"),
    "dates": ("日期范围", "Date range"),
    "from": ("从", "From"),
    "to": ("到", "To"),
    "kinds": ("事件类型", "Event kind"),
    "published": ("发布", "Published"),
    "mentioned": ("提及的日期", "Mentioned dates"),
    "reset": ("清除筛选", "Clear filters"),
    "export_csv": ("导出 CSV", "Export CSV"),
    "export_json": ("导出 JSON", "Export JSON"),
    "articles": ("文章", "Articles"),
    "close": ("关闭", "Close"),
    "original": ("原文链接", "Original article"),
    "published_at": ("发布时间", "Published"),
    "precision": ("精度", "precision"),
    "source": ("来源", "from"),
    "inferred": ("推断", "inferred"),
    "events_in_article": ("文中日期", "Dates in this article"),
    "repost_of": ("转载自", "Repost of"),
    "reposted_by": ("被转载", "Reposted by"),
    "no_articles": ("没有符合条件的文章", "No articles match"),
    "legend": (
        "● 发布　○ 提及的日期　◇━ 周/月/时段　★ 多家报道的同一事件",
        "● published  ○ mentioned day  ◇━ week/month/range  ★ story reported by several",
    ),
    "byline": ("作者", "Byline"),
    "entities": ("人物、机构与地点", "People, organisations and places"),
    "stories": ("按事件合并多家报道", "One item per story"),
    "who": ("谁出现得最多", "Who appears most"),
    "mentions_over_time": ("提及次数（按发布日期）", "Mentions by publication day"),
    "clear_entity": ("取消", "clear"),
    "list_summary": (
        "第 {first}–{last} 篇，共 {total} 篇 · 第 {page}/{pages} 页",
        "Articles {first}–{last} of {total} · page {page} of {pages}",
    ),
    "first_page": ("« 首页", "« first"),
    "previous_page": ("‹ 上一页", "‹ previous"),
    "next_page": ("下一页 ›", "next ›"),
    "last_page": ("末页 »", "last »"),
    "window_outside": ("时间轴窗口之外还有 {n} 个事件。", "{n} events fall outside this window."),
    "show_all": ("显示全部", "Show all"),
    "default_window": ("回到默认时间窗口", "Back to the default window"),
    "body_damaged": (
        "这篇文章在缓存中的副本已损坏，无法显示。重启后缓存将重建。",
        "This article's copy in the cache is damaged and cannot be shown; the cache is rebuilt"
        " at the next start.",
    ),
    "sentence_not_found": (
        "（该句跨越格式，已在下方文本中标出）",
        "(sentence spans formatting; marked in the text below)",
    ),
    "image": ("图片", "Image"),
    "load_image": ("载入图片", "Load image"),
    # The accessible name starts with the visible label (WCAG 2.5.3) and says whom it asks.
    "load_image_from": ("载入图片（来自 {host}）", "Load image from {host}"),
    "image_withheld": (
        "图片未自动载入：载入会让 {host} 得知你在读这篇文章",
        "Not loaded automatically: loading it tells {host} you are reading this article",
    ),
    "views": ("视图", "Views"),
    "view_timeline": ("时间轴", "Timeline"),
    "view_chronology": ("大事记", "Chronology"),
    "view_compare": ("媒体对比", "Compare outlets"),
    "chronology": ("大事记：按日期排列的事件", "Chronology: happenings in date order"),
    "chronology_summary": (
        "第 {first}–{last} 条，共 {total} 条 · 第 {page}/{pages} 页",
        "Rows {first}–{last} of {total} · page {page} of {pages}",
    ),
    "no_happenings": (
        "当前筛选下没有提及的日期（“事件类型”中勾选“提及的日期”）",
        "No mentioned dates under these filters (tick “Mentioned dates” under Event kind)",
    ),
    "when": ("日期", "Date"),
    "happening": ("发生了什么（最早报道的原句）", "What happened (the first report's sentence)"),
    "outlets_column": ("报道媒体", "Outlets"),
    "first_report_column": ("最早报道", "First report"),
    "reports_column": ("报道", "Reports"),
    "story_page": ("事件页 →", "Story page →"),
    "first_report": ("最早报道", "first report"),
    "back_to_view": ("← 返回", "← Back"),
    "no_story": ("没有这个事件", "No such story"),
    "story_summary": (
        "{reports} 篇报道，{outlets} 家媒体",
        "{reports} reports by {outlets} outlets",
    ),
    "not_reported": ("当前视图中未报道此事件的媒体", "Outlets in this view that did not report it"),
    "compare": ("各媒体的报道对比", "How each outlet covered this view"),
    "outlet": ("媒体", "Outlet"),
    "stories_share": ("报道的事件（占比）", "Stories covered (share)"),
    "shared": ("共同报道", "Shared with others"),
    "median_lag": ("落后首报（中位数）", "Median lag behind the first report"),
    "heat_hover": (
        "%{text} 篇（该媒体峰值的 %{z:.0%}）",
        "%{text} articles (%{z:.0%} of its peak)",
    ),
    "heat_day": (
        "每日发文（按各媒体峰值归一）",
        "Articles per day, as a share of each outlet's peak",
    ),
    "heat_week": (
        "每周发文（按各媒体峰值归一）",
        "Articles per week, as a share of each outlet's peak",
    ),
    "heat_month": (
        "每月发文（按各媒体峰值归一）",
        "Articles per month, as a share of each outlet's peak",
    ),
    "heat_vague": (
        "（{n} 篇只知发布月份或年份，未计入）",
        " ({n} dated only to a month or year are left out)",
    ),
    "heat_help": (
        "点击方格：只看该媒体在该时段的报道",
        "Click a cell to filter by that outlet and period",
    ),
}


def t(key: str, lang: str) -> str:
    """The label in the interface language."""
    zh, en = LABELS[key]
    return zh if lang == "zh" else en
