"""Starting the app as a separate process, for the browser, deployment and cold-start checks."""

from __future__ import annotations

import ast
import socket
import subprocess
from pathlib import Path
from typing import Any

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


def callback_body(
    dependencies: list[dict[str, Any]],
    values: dict[str, Any],
    changed: list[str],
    output_part: str = "timeline.figure",
) -> dict[str, Any]:
    """The body the browser would send for the callback whose output holds ``output_part``:
    every declared input and state with its value from ``values`` ("id.property" → value,
    None when absent), built from the app's own /_dash-dependencies."""
    [dep] = [d for d in dependencies if output_part in d["output"]]
    spec = dep["output"]
    if spec.startswith(".."):
        refs = [o.rsplit(".", 1) for o in spec.strip(".").split("...")]
        outputs: Any = [{"id": i, "property": p} for i, p in refs]
    else:
        i, p = spec.rsplit(".", 1)
        outputs = {"id": i, "property": p}

    def items(key: str) -> list[dict[str, Any]]:
        return [{**x, "value": values.get(f"{x['id']}.{x['property']}")} for x in dep.get(key, [])]

    return {
        "output": spec,
        "outputs": outputs,
        "inputs": items("inputs"),
        "state": items("state"),
        "changedPropIds": changed,
    }


def serving_setting(name: str) -> Any:
    """A value of dashboard.web.serving, read from its source: importing that module would
    monkey-patch this process with gevent."""
    tree = ast.parse((ROOT / "dashboard" / "web" / "serving.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == name for target in node.targets
        ):
            return ast.literal_eval(node.value)
    raise KeyError(name)
