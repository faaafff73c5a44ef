"""Slow and idle clients against the Procfile's web command: they must not starve anyone else.

The dashboard is public with no buffering proxy in front, so sockets that connect and send
nothing, or send a request a byte at a time, must not hold the workers: while hundreds are held
open a health check on a fresh connection still answers within a second, and a request whose
headers never complete is closed by the server instead of staying open for ever.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import resource
import selectors
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from tests.servers import free_port, serving_setting, spawn_web

IDLE = 200  # connect and send nothing
HALF_HEADERS = 25  # a request line and part of the headers, then a byte now and then
HALF_BODIES = 25  # complete headers of a POST, part of its body, then a byte now and then
HOLD_SECONDS = 10.0
PROBE_EVERY = 0.4  # seconds between health checks while the slow clients are held
PROBE_LIMIT = 1.0  # seconds a health check may take while they are held
PROBE_TIMEOUT = 5.0  # a probe slower than this is recorded at this and fails
TRICKLE_EVERY = 1.0
BODY_LENGTH = 1000  # the Content-Length the half-sent bodies announce
BODY_SENT = 100  # of which this much is sent at once
# Descriptors the test process needs: the held sockets, probes, pytest's own files. The server
# inherits the limit, and each worker holds its share of the sockets plus the app's files.
FDS_NEEDED = IDLE + HALF_HEADERS + HALF_BODIES + 256
START_SECONDS = 120  # the first start may compile and import for a while on a busy machine
WARM_UPS = 6  # fresh connections, so both workers have served before the hold starts


def raise_fd_limit(needed: int) -> tuple[int, int]:
    """Raise the soft RLIMIT_NOFILE towards ``needed`` (never past the hard limit); returns the
    limits as they were, to restore."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return soft, hard


def fd_limit() -> int:
    soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    return 1 << 30 if soft == resource.RLIM_INFINITY else soft


def probe(port: int, timeout: float = PROBE_TIMEOUT) -> tuple[float, int]:
    """Seconds a ``GET /healthz`` on a fresh connection took, and its status (0: no answer)."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/healthz")
        reply = connection.getresponse()
        reply.read()
        status = reply.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return time.perf_counter() - started, status


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]
    log: list[str]

    def tail(self, lines: int = 30) -> str:
        return "".join(self.log[-lines:])


def drain(process: subprocess.Popen[bytes], log: list[str]) -> None:
    """Keep reading the server's output: an unread pipe fills up and blocks the server."""
    assert process.stdout is not None
    for line in iter(process.stdout.readline, b""):
        log.append(line.decode(errors="replace"))


def wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + START_SECONDS
    while probe(server.port)[1] != 200:
        assert server.process.poll() is None, f"the server exited:\n{server.tail()}"
        assert time.monotonic() < deadline, f"no healthy answer in {START_SECONDS} s"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    limits = raise_fd_limit(FDS_NEEDED)  # before the spawn: the server inherits it
    port = free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path_factory.mktemp("home")),
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "CACHE_DIR": "off",
    }
    process = spawn_web(env, capture=True)
    running = Server(port, process, [])
    reader = threading.Thread(target=drain, args=(process, running.log), daemon=True)
    reader.start()
    try:
        wait_healthy(running)
        for _ in range(WARM_UPS):  # the first answers of a fresh worker can be slow
            probe(port, timeout=30)
        yield running
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        reader.join(timeout=5)
        resource.setrlimit(resource.RLIMIT_NOFILE, limits)


def open_slow(kind: str, port: int) -> socket.socket:
    """A connection that starts a request of this kind and stalls (non-blocking from then)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if kind == "headers":
        sock.sendall(
            f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: slow\r\n"
            "X-Slow: ".encode()
        )
    elif kind == "body":
        sock.sendall(
            (
                f"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {BODY_LENGTH}\r\n\r\n"
            ).encode()
            + b'{"output": "' + b"x" * (BODY_SENT - 12)
        )  # fmt: skip
    sock.setblocking(False)
    return sock


TRICKLE = {"headers": b"a", "body": b"x"}  # one more byte of the header value / of the body


@dataclass
class SlowClients:
    """The held connections; one the server closes (or answers) is replaced by a new one, so
    the pressure lasts the whole hold."""

    port: int
    selector: selectors.BaseSelector = field(default_factory=selectors.DefaultSelector)
    replaced: Counter[str] = field(default_factory=Counter)
    trickled: int = 0

    def open(self, kind: str) -> None:
        self.selector.register(open_slow(kind, self.port), selectors.EVENT_READ, kind)

    def open_all(self) -> None:
        for kind, count in (("idle", IDLE), ("headers", HALF_HEADERS), ("body", HALF_BODIES)):
            for _ in range(count):
                self.open(kind)

    def replace(self, sock: socket.socket, kind: str) -> None:
        self.selector.unregister(sock)
        sock.close()
        self.replaced[kind] += 1
        self.open(kind)

    def reap(self, wait: float) -> None:
        """Replace every connection the server has closed or answered."""
        for key, _ in self.selector.select(timeout=wait):
            try:
                key.fileobj.recv(4096)  # type: ignore[union-attr]
            except BlockingIOError:  # woken for nothing: still held
                continue
            except OSError:  # reset: closed too
                pass
            self.replace(key.fileobj, key.data)  # type: ignore[arg-type]

    def trickle(self) -> None:
        for key in list(self.selector.get_map().values()):
            if key.data in TRICKLE:
                try:
                    key.fileobj.send(TRICKLE[key.data])  # type: ignore[union-attr]
                    self.trickled += 1
                except OSError:
                    self.replace(key.fileobj, key.data)  # type: ignore[arg-type]

    def close(self) -> None:
        for key in list(self.selector.get_map().values()):
            self.selector.unregister(key.fileobj)
            key.fileobj.close()  # type: ignore[union-attr]
        self.selector.close()


def hold(clients: SlowClients, port: int) -> list[tuple[float, int]]:
    """Probe the health check every PROBE_EVERY s for HOLD_SECONDS, keeping the clients up."""
    probes: list[tuple[float, int]] = []
    started = time.monotonic()
    next_probe, next_trickle = started, started + TRICKLE_EVERY
    while (now := time.monotonic()) < started + HOLD_SECONDS:
        if now >= next_probe:
            probes.append(probe(port))
            next_probe += PROBE_EVERY
        if now >= next_trickle:
            clients.trickle()
            next_trickle += TRICKLE_EVERY
        clients.reap(wait=max(0.0, min(next_probe, next_trickle) - time.monotonic()))
    return probes


def test_slow_and_idle_clients_do_not_starve_a_health_check(server: Server) -> None:
    if fd_limit() < FDS_NEEDED:
        pytest.skip(
            f"RLIMIT_NOFILE cannot be raised to {FDS_NEEDED} (hard limit "
            f"{resource.getrlimit(resource.RLIMIT_NOFILE)[1]}): {IDLE + HALF_HEADERS + HALF_BODIES}"
            " held sockets would not fit"
        )
    clients = SlowClients(server.port)
    try:
        clients.open_all()
        probes = hold(clients, server.port)
    finally:
        clients.close()
    latencies = ", ".join(f"{seconds * 1000:.0f}" for seconds, _ in probes)
    summary = (
        f"{len(probes)} probes, ms: {latencies}; statuses {Counter(s for _, s in probes)}; "
        f"closed by the server and reopened: {dict(clients.replaced)}; "
        f"{clients.trickled} bytes trickled"
    )
    print(summary)  # the figures, with -s, when it passes too
    report = f"{summary}\n{server.tail()}"
    assert len(probes) >= HOLD_SECONDS / PROBE_EVERY / 2, report
    assert all(status == 200 for _, status in probes), report
    assert max(seconds for seconds, _ in probes) < PROBE_LIMIT, report
    # Afterwards: still up, still answering, and no worker was killed for going silent.
    assert server.process.poll() is None, report
    assert probe(server.port)[1] == 200, report
    assert "WORKER TIMEOUT" not in "".join(server.log), report


def test_a_request_that_never_completes_is_closed_by_the_server(server: Server) -> None:
    bound = serving_setting("keepalive") + 10  # keepalive is also the headers' deadline
    selector = selectors.DefaultSelector()
    started = time.monotonic()
    closed: dict[str, float] = {}
    try:
        for kind in ("idle", "headers"):
            selector.register(open_slow(kind, server.port), selectors.EVENT_READ, kind)
        while selector.get_map() and time.monotonic() - started < bound + 5:
            for key, _ in selector.select(timeout=0.2):
                try:
                    data = key.fileobj.recv(4096)  # type: ignore[union-attr]
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""  # a reset closes it too
                if not data:  # an answer (say a 408) may come first; the close is what counts
                    closed[key.data] = time.monotonic() - started
                    selector.unregister(key.fileobj)
                    key.fileobj.close()  # type: ignore[union-attr]
    finally:
        for key in list(selector.get_map().values()):
            key.fileobj.close()  # type: ignore[union-attr]
        selector.close()
    seconds = ", ".join(f"{kind} {after:.1f}" for kind, after in closed.items())
    summary = f"closed by the server after (s): {seconds}; bound {bound} s"
    print(summary)
    report = f"{summary}\n{server.tail()}"
    assert set(closed) == {"idle", "headers"}, report
    assert max(closed.values()) < bound, report
    assert server.process.poll() is None and probe(server.port)[1] == 200, report
