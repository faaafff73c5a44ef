from __future__ import annotations

import json

from dashboard.app import create_app
from dashboard.config import Settings


def test_app_lists_the_bundled_articles_in_date_order() -> None:
    app = create_app(Settings())
    client = app.server.test_client()
    page = client.get("/")
    assert page.status_code == 200
    layout = client.get("/_dash-layout").get_data(as_text=True)
    titles = [
        "华盛顿与基辅",
        "拜登与普京通话后",
        "北约领导人联合声明：不以任何方式",
        "北约峰会敦促",
        "北约领导人联合声明：我们呼吁",
    ]
    positions = [layout.find(t) for t in titles]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert (
        json.loads(layout)["props"]["children"][1]["props"]["children"] == "5 articles · 0 skipped"
    )


def test_app_serves_its_scripts_locally() -> None:
    client = create_app(Settings()).server.test_client()
    html = client.get("/").get_data(as_text=True)
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
