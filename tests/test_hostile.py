"""Hostile requests: every callback's every input with wrong types, huge values and surrogates,
malformed envelopes and unknown paths. None may answer 5xx; the malformed ones answer 4xx with
a short message, and a bad value in a well-formed request still gets its view with a notice."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from dashboard.config import Settings
from dashboard.web.app import create_app
from dashboard.web.inputs import LATEST
from tests.servers import callback_body

CALLBACK = "/_dash-update-component"
DEEP = 40

HOSTILE_VALUES: list[Any] = [
    None,
    0,
    -1,
    1e308,
    True,
    "",
    "x" * 100_000,
    "\ud800",
    "北约\udfff\x00\x1b[31m",
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "?to=9999-12-31&from=0001-01-01",
    "?q=%ED%A0%80&outlet=" + ",".join(["rfi"] * 5000),
    [],
    ["published"] * 60_000,  # 780 KB: under the body limit, so the callback gets it
    [None, 1, {"a": 1}, ["x"]] * 50,
    ["\ud800", "rfi"],
    {"points": "x"},
    {"points": [{"customdata": {"a": [1, 2]}}]},
    {"points": [{"customdata": "days:9999-12-31:0001-01-01"}]},
    {"points": [{"customdata": "\ud800#published"}]},
]


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    return create_app(Settings(cache_dir=None)).server.test_client()


@pytest.fixture(scope="module")
def dependencies(client) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    reply = client.get("/_dash-dependencies")
    assert reply.status_code == 200
    return list(reply.get_json())


def _post(client, body: Any, raw: bytes | None = None):  # type: ignore[no-untyped-def]
    data = raw if raw is not None else json.dumps(body).encode()
    return client.post(CALLBACK, data=data, headers={"Content-Type": "application/json"})


def test_every_input_of_every_callback_survives_hostile_values(client, dependencies) -> None:  # type: ignore[no-untyped-def]
    statuses: dict[int, int] = {}
    slowest = (0.0, "")
    for dep in dependencies:
        if "." not in dep["output"]:
            continue
        wildcard = any(x["id"].startswith("{") for x in dep["inputs"] + dep["state"])
        if wildcard:  # pattern-matching callbacks are walked in the next test
            continue
        for position, target in enumerate(dep["inputs"] + dep["state"]):
            key = f"{target['id']}.{target['property']}"
            for value in [*HOSTILE_VALUES, _nested(DEEP - 5)]:
                body = callback_body(dependencies, {key: value}, [key], dep["output"])
                started = time.perf_counter()
                reply = _post(client, body)
                spent = time.perf_counter() - started
                slowest = max(slowest, (spent, f"{key}={str(value)[:40]!r}"))
                statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1
                assert reply.status_code < 500, (dep["output"][:60], position, key, value)
    assert sum(statuses.values()) > 200 and statuses.get(200, 0) > 0, statuses
    print(f"hostile values: {statuses}; slowest {slowest[0] * 1000:.0f} ms ({slowest[1]})")


def test_pattern_matching_callbacks_survive_hostile_values(client, dependencies) -> None:  # type: ignore[no-untyped-def]
    for dep in dependencies:
        refs = dep["inputs"] + dep["state"]
        if not any(x["id"].startswith("{") for x in refs):
            continue
        for value in HOSTILE_VALUES[:12]:
            items = []
            for x in refs:
                pattern = json.loads(x["id"])
                concrete = {k: (0 if isinstance(v, list) else v) for k, v in pattern.items()}
                items.append({"id": concrete, "property": x["property"], "value": value})
            body = {
                "output": dep["output"],
                "outputs": {"id": {"type": "x", "index": 0}, "property": "children"},
                "inputs": items[: len(dep["inputs"])],
                "state": items[len(dep["inputs"]) :],
                "changedPropIds": [],
            }
            assert _post(client, body).status_code < 500, (dep["output"], value)


def _main_body(dependencies: list[dict[str, Any]], search: Any = "") -> dict[str, Any]:
    return callback_body(dependencies, {"url.search": search}, ["url.search"])


def test_malformed_envelopes_are_400_with_a_message(client, dependencies) -> None:  # type: ignore[no-untyped-def]
    good = _main_body(dependencies)
    assert _post(client, good).status_code == 200
    cases: list[tuple[str, Any, bytes | None]] = [
        ("list body", [good], None),
        ("string body", "x", None),
        ("missing inputs", {k: v for k, v in good.items() if k != "inputs"}, None),
        ("missing outputs", {k: v for k, v in good.items() if k != "outputs"}, None),
        ("missing output", {k: v for k, v in good.items() if k != "output"}, None),
        ("unknown output", {**good, "output": "nope.children"}, None),
        ("inputs too short", {**good, "inputs": good["inputs"][:2]}, None),
        ("inputs reordered", {**good, "inputs": good["inputs"][::-1]}, None),
        ("inputs not a list", {**good, "inputs": {"id": "url"}}, None),
        ("input without id", {**good, "inputs": [{"property": "x"}] * len(good["inputs"])}, None),
        ("state not a list", {**good, "state": 3}, None),
        ("changed not a list", {**good, "changedPropIds": "url.search"}, None),
        ("outputs wrong", {**good, "outputs": [1, 2]}, None),
        ("deep value", _main_body(dependencies, _nested(DEEP)), None),
        ("1,000 deep", None, b"[" * 1000 + b"]" * 1000),
        ("100,000 deep", None, b"[" * 100_000),
        ("not JSON", None, b"{output: nope"),
        ("not UTF-8", None, b'{"output": "\xff\xfe"}'),
        ("empty", None, b""),
    ]
    for name, body, raw in cases:
        reply = _post(client, body, raw)
        assert 400 <= reply.status_code < 500, (name, reply.status_code)
        if reply.is_json:
            assert reply.get_json()["error"], name


def test_wrong_content_type_and_methods_are_4xx(client) -> None:  # type: ignore[no-untyped-def]
    reply = client.post(CALLBACK, data=b"{}", headers={"Content-Type": "text/plain"})
    assert 400 <= reply.status_code < 500
    assert client.get(CALLBACK).status_code == 405
    assert 400 <= client.put("/_dash-layout", data=b"x").status_code < 500


def test_paths_the_app_does_not_have_are_404(client) -> None:  # type: ignore[no-untyped-def]
    # Dash answers any path with its page: a relative image URL in an article body would have
    # fetched the dashboard itself.
    for path in ("/++plone++rfa-resources/img/logo.png", "/images/x.jpg", "/admin", "/.env"):
        reply = client.get(path)
        assert reply.status_code == 404 and "dashboard is at /" in reply.get_json()["error"]
    assert client.get("/").status_code == 200
    assert client.get("/?outlet=rfi").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert client.get("/_dash-layout").status_code == 200


def test_a_body_over_the_limit_is_413_before_it_is_read(client) -> None:  # type: ignore[no-untyped-def]
    reply = client.post(
        CALLBACK, data=b"x" * 1_500_000, headers={"Content-Type": "application/json"}
    )
    assert reply.status_code == 413 and "at most" in reply.get_json()["error"]


def test_unknown_scripts_and_source_maps_are_404(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/").get_data(as_text=True)
    assert client.get("/_dash-component-suites/nope/x.js").status_code == 404
    assert client.get("/_dash-component-suites/dash/nope.v1m1.js").status_code == 404
    assert client.get("/_dash-component-suites/dash/../../etc/passwd").status_code == 404
    renderer = "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js"
    assert client.get(renderer + ".map").status_code == 404
    assert client.get(renderer).status_code == 200  # the scripts the page uses still load
    assert "sourceMappingURL" not in page


def test_edge_dates_in_the_address_give_a_notice_and_a_view(client, dependencies) -> None:  # type: ignore[no-untyped-def]
    for search in ("?to=9999-12-31", "?from=0001-01-01&to=9999-12-31", "?from=9999-12-31"):
        reply = _post(client, _main_body(dependencies, search))
        assert reply.status_code == 200, search
        response = reply.get_json()["response"]
        notices = json.dumps(response["notices"]["children"], ensure_ascii=False)
        assert "outside the dates the timeline shows" in notices, search
        assert response["timeline"]["figure"]["layout"]
        assert (
            LATEST.isoformat() in response["url"]["search"]
            or "from=1000" in (response["url"]["search"])
        )


def test_surrogates_never_reach_the_address(client, dependencies) -> None:  # type: ignore[no-untyped-def]
    body = callback_body(
        dependencies, {"search.value": "北约\ud800", "url.search": ""}, ["search.value"]
    )
    reply = _post(client, body)
    assert reply.status_code == 200
    assert reply.get_json()["response"]["url"]["search"] == "?q=%E5%8C%97%E7%BA%A6"
