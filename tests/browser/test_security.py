"""The Content-Security-Policy in a real browser: every view works under it and nothing in the
page breaks it (a violation would be a blocked script or style, i.e. a broken feature)."""

from __future__ import annotations

from tests.browser.test_dashboard import RFI_ID, no_errors

LISTEN = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""
VIEWS = [
    "",
    "?stories=1",
    "?lang=en&q=北约",
    "?entity=nato",
    f"?article={RFI_ID}&event={RFI_ID}%23m1",
]


def test_every_view_runs_under_the_policy(page, base_url) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(LISTEN)
    for query in VIEWS:
        reply = page.goto(base_url + query)
        assert reply is not None
        policy = reply.headers["content-security-policy"]
        assert "script-src 'self' 'sha256-" in policy and "unsafe-eval" not in policy
        page.wait_for_selector("#timeline .main-svg")
        page.wait_for_selector("#caption:not(:empty)")
        page.wait_for_load_state("networkidle")
        page.locator("#timeline .scatterlayer .points path").first.hover(force=True)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__violations") == [], query
    # The panel opened by the last view, and the clientside callback (an inline script, let
    # run by its hash) scrolled it to the highlighted sentence.
    page.wait_for_selector("#panel:not([hidden]) .article-body #highlight")
    page.wait_for_function("document.getElementById('panel').scrollTop > 0")
    no_errors(page)
