"""One user action, one round trip: a filter change or an opened article is one callback
request, and what the action leaves unchanged is not sent again."""

from __future__ import annotations

import json

from tests.browser.test_dashboard import RFI_TITLE, listed_titles, no_errors, open_view

CALLBACK = "_dash-update-component"


def _callbacks(page) -> list:  # type: ignore[no-untyped-def]
    sent: list = []
    page.on("response", lambda r: sent.append(r) if CALLBACK in r.url else None)
    return sent


def test_a_filter_change_is_one_request_and_opening_an_article_sends_no_timeline(
    page, base_url
) -> None:  # type: ignore[no-untyped-def]
    open_view(page, base_url)
    sent = _callbacks(page)
    page.locator("#outlet-filter label", has_text="法国国际广播电台").click()
    page.wait_for_function("() => document.querySelectorAll('.article-item').length === 1")
    page.wait_for_load_state("networkidle")
    assert len(sent) == 1, [r.request.post_data[:80] for r in sent]
    assert listed_titles(page) == [RFI_TITLE]
    reply = sent[0].json()["response"]
    assert "timeline" in reply and "caption" in reply

    sent.clear()
    page.locator(".article-item").first.click()
    page.wait_for_selector("#panel:not([hidden]) #panel-title")
    page.wait_for_load_state("networkidle")
    assert len(sent) == 1, [
        (json.loads(r.request.post_data)["changedPropIds"], list(r.json()["response"]))
        for r in sent
    ]
    reply = sent[0].json()["response"]
    assert "panel-body" in reply and "timeline" not in reply  # the timeline stays as drawn
    assert len(json.dumps(reply)) < 100_000

    sent.clear()
    page.locator("#panel-close").click()
    page.wait_for_selector("#panel[hidden]", state="attached")
    page.wait_for_load_state("networkidle")
    assert len(sent) == 1 and "timeline" not in sent[0].json()["response"]
    no_errors(page)
