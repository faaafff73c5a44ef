"""The two layers: dashboard.parsing never imports Dash, plotly or the web layer; the web layer
reads the parsing layer, never the other way round."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "dashboard"


def imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_no_parsing_module_names_dash_plotly_or_the_web_layer() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(bad)
        for path in (PACKAGE / "parsing").rglob("*.py")
        if (bad := {n for n in imported(path)
                    if n.split(".")[0] in ("dash", "plotly", "flask")
                    or n.startswith("dashboard.web")})
    }  # fmt: skip
    assert offenders == {}


def test_importing_every_parsing_module_loads_no_dash() -> None:
    code = (
        "import pkgutil, importlib, sys, dashboard.parsing as p\n"
        "for m in pkgutil.walk_packages(p.__path__, 'dashboard.parsing.'):\n"
        "    if m.name != 'dashboard.parsing.engine_dask':\n"  # needs the optional extra
        "        importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in ('dash', 'plotly', 'flask')"
        " or n.startswith('dashboard.web'))\n"
        "print(len([n for n in sys.modules if n.startswith('dashboard.parsing.')]), bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, bad = out.stdout.split(" ", 1)
    assert int(count) > 25 and bad.strip() == "[]"


def test_the_package_is_two_layers_and_its_entry_points() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "config.py"]
    assert (PACKAGE / "parsing" / "store.py").exists() and (PACKAGE / "web" / "app.py").exists()
