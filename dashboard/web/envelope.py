"""Callback requests checked before Dash reads them: a malformed one is a 400, never a 500.

Dash trusts the body of ``POST /_dash-update-component``: JSON nested a thousand deep raises a
RecursionError, a missing ``inputs`` or an unknown ``output`` a KeyError, a list body an
AttributeError — each a 500. ``problem`` says what is wrong with a body, judged against the
app's own callback map: the output must be a registered callback, the inputs and state must be
the ones it declares (same ids, same properties, same order), every value shallow enough.
The values themselves are the callbacks' to check (``dashboard.web.inputs``).
"""

from __future__ import annotations

import json
from typing import Any

from dash import Dash
from flask import Response, request
from werkzeug.exceptions import HTTPException

from dashboard.web.security import CALLBACK_PATH, json_error

# Deep enough for any value a control sends (a figure's clickData is 5 levels).
MAX_DEPTH = 32
MAX_ID_LENGTH = 200
MAX_CHANGED = 200


def problem(body: Any, callbacks: dict[str, Any], brackets: int = MAX_DEPTH + 1) -> str | None:
    """Why Dash should not be given this body, or None when it is well formed. ``brackets``
    is how many [ and { its text has (at most that deep; the walk is skipped when shallow)."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or len(output) > 4000:
        return "“output” must be a string"
    callback = callbacks.get(output)
    if callback is None:
        return "no callback has this output"
    if "callback" not in callback:
        return "this callback runs in the browser"
    deep = too_deep(body) if brackets > MAX_DEPTH else None
    if deep:
        return deep
    for key in ("inputs", "state"):
        wrong = _items(body.get(key, [] if key == "state" else None), callback[key], key)
        if wrong:
            return wrong
    outputs = body.get("outputs")
    if not isinstance(outputs, dict | list) or not all(
        _is_ref(o) for o in (outputs if isinstance(outputs, list) else [outputs])
    ):
        return "“outputs” must be an {id, property} object or a list of them"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(
        isinstance(c, str) and len(c) <= 2 * MAX_ID_LENGTH for c in changed
    ):
        return "“changedPropIds” must be a list of strings"
    if len(changed) > MAX_CHANGED:
        return f"at most {MAX_CHANGED} changed properties"
    return None


def _items(values: Any, declared: list[dict[str, Any]], key: str) -> str | None:
    if not isinstance(values, list):
        return f"“{key}” must be a list"
    if len(values) != len(declared):
        return f"“{key}” must have {len(declared)} items, not {len(values)}"
    for given, wanted in zip(values, declared, strict=True):
        if isinstance(given, list):  # a pattern-matching input: one entry per component
            if not given or not all(_matches(g, wanted) for g in given):
                return f"“{key}” does not match the callback's {wanted['id']}.{wanted['property']}"
        elif not _matches(given, wanted):
            return f"“{key}” does not match the callback's {wanted['id']}.{wanted['property']}"
    return None


def _matches(given: Any, wanted: dict[str, Any]) -> bool:
    if not _is_ref(given) or given["property"] != wanted["property"]:
        return False
    declared = wanted["id"]
    if isinstance(given["id"], dict):  # declared as the JSON of a pattern: its keys must match
        try:
            pattern = json.loads(declared)
        except ValueError:
            return False
        return isinstance(pattern, dict) and set(pattern) == set(given["id"])
    return bool(given["id"] == declared)


def _is_ref(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("property"), str)
        and isinstance(item.get("id"), str | dict)
        and len(str(item["id"])) <= MAX_ID_LENGTH
    )


def too_deep(value: Any, limit: int = MAX_DEPTH) -> str | None:
    """A message when the value nests deeper than the limit (checked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return f"the body nests deeper than {limit} levels"
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return None


def add_envelope_check(app: Dash) -> None:
    """Reject malformed callback requests with a 4xx before Dash reads them."""

    @app.server.before_request
    def _check() -> Response | None:
        if request.path != CALLBACK_PATH or request.method != "POST":
            return None
        try:  # parsed once: Flask keeps it for Dash's own get_json()
            body = request.get_json()
        except RecursionError:
            return json_error(400, f"the body nests deeper than {MAX_DEPTH} levels")
        except HTTPException as exc:  # not JSON (400), not declared JSON (415)
            return json_error(exc.code or 400, "the body is not a JSON callback request")
        raw = request.get_data(cache=True)
        wrong = problem(body, app.callback_map, raw.count(b"[") + raw.count(b"{"))
        return json_error(400, wrong) if wrong else None
