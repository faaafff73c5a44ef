from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
GOLDEN = DATA / "golden"


@pytest.fixture
def golden_dir() -> Path:
    return GOLDEN


@pytest.fixture(scope="session")
def seed_data():  # type: ignore[no-untyped-def]
    from dashboard.config import BUNDLED_CORPUS
    from dashboard.parsing.corpus import read_corpus
    from dashboard.parsing.store import build_data

    return build_data(read_corpus(BUNDLED_CORPUS, "Asia/Shanghai"), "Asia/Shanghai")


def pytest_collection_finish(session: pytest.Session) -> None:
    """A machine without Chromium gets one line that says what to install, not an error for
    every browser test (they cannot run without it, and skipping them would pass untested)."""
    from tests.browser.conftest import CHROMIUM

    wants_browser = any("tests/browser/" in item.nodeid for item in session.items)
    if wants_browser and not Path(CHROMIUM).exists():
        pytest.exit(
            f"Chromium not found at {CHROMIUM}: the browser tests need it. Install it "
            "(Debian/Ubuntu: sudo apt-get install -y chromium fonts-noto-cjk), or point "
            "CHROMIUM_PATH at another Chromium, or run the rest: "
            "python -m pytest --ignore=tests/browser",
            returncode=4,
        )
