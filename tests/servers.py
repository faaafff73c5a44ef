"""Starting the app as a separate process, for the browser, deployment and cold-start checks."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def web_command() -> str:
    """The Procfile's web command, as a platform reads it."""
    lines = (ROOT / "Procfile").read_text(encoding="utf-8").splitlines()
    [web] = [line for line in lines if line.startswith("web:")]
    return web.removeprefix("web:").strip()


def spawn_web(env: dict[str, str], capture: bool = False) -> subprocess.Popen[bytes]:
    """Run the web command with bash in its own session (stop it with os.killpg)."""
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen(
        ["bash", "-c", web_command()],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT if capture else subprocess.DEVNULL,
        start_new_session=True,
    )
