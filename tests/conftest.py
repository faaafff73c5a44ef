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
