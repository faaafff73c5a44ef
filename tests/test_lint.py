"""ruff is part of the suite, so CI fails on lint or format drift."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("command", [["check", "."], ["format", "--check", "."]])
def test_ruff_is_clean(command: list[str]) -> None:
    ruff = shutil.which("ruff")
    assert ruff, "ruff is a test dependency: pip install -e '.[test]'"
    done = subprocess.run([ruff, *command], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_nothing_reads_the_shared_folder() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for folder in ("dashboard", "tests", "benchmarks")
        for p in (ROOT / folder).rglob("*.py")
        if "../shared" in p.read_text(encoding="utf-8") and p.name != "test_lint.py"
    ]
    assert offenders == []


def test_mypy_is_clean() -> None:
    mypy = shutil.which("mypy")
    assert mypy, "mypy is a test dependency: pip install -e '.[test]'"
    done = subprocess.run(
        [mypy, "dashboard"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
