from __future__ import annotations

from dashboard.config import Settings
from dashboard.web.app import create_app

IDS = (
    "url",
    "view",
    "outlet-filter",
    "search",
    "date-from",
    "date-to",
    "kind-filter",
    "lang",
    "timeline",
    "caption",
    "article-list",
    "panel",
    "panel-body",
    "export-csv",
    "download",
)


def test_layout_has_every_control_and_callbacks_are_wired() -> None:
    app = create_app(Settings(cache_dir=None))
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    layout = client.get("/_dash-layout").get_data(as_text=True)
    for component_id in IDS:
        assert f'"id":"{component_id}"' in layout.replace(" ", ""), component_id
    dependencies = client.get("/_dash-dependencies").get_json()
    outputs = " ".join(d["output"] for d in dependencies)
    assert "timeline.figure" in outputs and "url.search" in outputs and "download.data" in outputs


def test_apps_are_built_fresh_not_shared() -> None:
    first, second = create_app(Settings(cache_dir=None)), create_app(Settings(cache_dir=None))
    assert first is not second and first.server is not second.server


def test_app_serves_its_scripts_locally() -> None:
    client = create_app(Settings(cache_dir=None)).server.test_client()
    html = client.get("/").get_data(as_text=True)
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    assert "/assets/style.css" in html
