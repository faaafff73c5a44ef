"""Request limits as WSGI middleware: a body's size and the time it has to arrive in.

Gunicorn bounds the request line and headers but reads a body only as the app asks for it, and
Flask reads it whole whenever asked. This layer reads every body before the app sees it: one
over ``MAX_BODY_BYTES`` (by its declared length, before a byte of it is read) is a 413, a body
that does not arrive within ``BODY_SECONDS`` is a 408, a body without a declared length a 411.
The app then reads the body from memory and can never be held by a slow client.
"""

from __future__ import annotations

import io
import json
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

MAX_BODY_BYTES = 1_000_000
BODY_SECONDS = 10.0
CHUNK = 65_536

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class BodyTimeout(Exception):
    """The body did not arrive in time."""


def _deadline(seconds: float) -> AbstractContextManager[Any]:
    """A deadline that interrupts a blocked read, where the server's sockets allow it.

    Under gevent (the production worker) a read waiting on a slow client is a greenlet switch,
    which ``gevent.Timeout`` interrupts. Elsewhere (the development server) reads are checked
    between chunks only."""
    try:
        from gevent import Timeout, monkey
    except ImportError:  # pragma: no cover - gevent is a dependency
        return nullcontext()
    if not monkey.is_module_patched("socket"):
        return nullcontext()
    return Timeout(seconds, BodyTimeout)


def read_body(stream: Any, length: int, seconds: float = BODY_SECONDS) -> bytes:
    """Exactly ``length`` bytes of the stream, or BodyTimeout / EOFError."""
    started = time.monotonic()
    parts: list[bytes] = []
    left = length
    with _deadline(seconds):
        while left > 0:
            chunk = stream.read(min(CHUNK, left))
            if not chunk:
                raise EOFError(f"the body ended after {length - left} of {length} bytes")
            parts.append(chunk)
            left -= len(chunk)
            if time.monotonic() - started > seconds:
                raise BodyTimeout
    return b"".join(parts)


def error_body(message: str) -> bytes:
    """A short JSON error, the shape every rejection of this app has: {"error": "…"}."""
    return json.dumps({"error": message}, ensure_ascii=False).encode()


def error(start_response: StartResponse, status: str, message: str) -> list[bytes]:
    """error_body as a WSGI response."""
    body = error_body(message)
    start_response(
        status,
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


class RequestLimits:
    """WSGI middleware: every body read in full, bounded in size and time, before the app."""

    def __init__(
        self, app: WSGIApp, max_bytes: int = MAX_BODY_BYTES, seconds: float = BODY_SECONDS
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.seconds = seconds

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        raw_length = environ.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if method in ("GET", "HEAD", "OPTIONS") and not raw_length and not chunked:
            return self.app(environ, start_response)
        if chunked or not raw_length:
            if method in ("GET", "HEAD", "OPTIONS", "DELETE"):
                return self.app(environ, start_response)
            return error(start_response, "411 Length Required", "a body needs a Content-Length")
        try:
            length = int(raw_length)
        except ValueError:
            return error(start_response, "400 Bad Request", "Content-Length is not a number")
        if length < 0:
            return error(start_response, "400 Bad Request", "Content-Length is negative")
        if length > self.max_bytes:
            return error(
                start_response,
                "413 Content Too Large",
                f"the body is {length} bytes; at most {self.max_bytes} are accepted",
            )
        try:
            body = read_body(environ["wsgi.input"], length, self.seconds)
        except BodyTimeout:
            return error(
                start_response,
                "408 Request Timeout",
                f"the body did not arrive within {self.seconds:g} s",
            )
        except (EOFError, OSError) as exc:
            return error(start_response, "400 Bad Request", f"the body was cut short: {exc}")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)
