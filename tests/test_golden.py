"""Golden files: every input under tests/data/golden sits beside <name>.expected.json.

To write a missing expectation (then read it before committing it):
    UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from dashboard.parsing.articles import Article
from dashboard.parsing.corpus import read_file

GOLDEN = Path(__file__).parent / "data" / "golden"
SUFFIX = ".expected.json"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
INPUTS = sorted(p for p in GOLDEN.rglob("*") if p.is_file() and not p.name.endswith(SUFFIX))


def golden_view(article: Article) -> dict[str, Any]:
    """The fields a golden file pins (the HTML is checked by the sanitiser tests instead)."""
    data = article.as_dict()
    data.pop("html")
    sentences = data.pop("sentences")
    data["sentence_count"] = len(sentences)
    data["first_sentences"] = sentences[:3]
    data["last_sentence"] = sentences[-1] if sentences else None
    return data


def parse(path: Path) -> dict[str, Any]:
    articles, skipped = read_file(path, GOLDEN, "Asia/Shanghai")
    return {
        "articles": [golden_view(a) for a in articles],
        "skipped": [s.as_dict() for s in skipped],
    }


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: str(p.relative_to(GOLDEN)))
def test_golden_file(path: Path) -> None:
    expected_path = path.with_name(path.name + SUFFIX)
    actual = parse(path)
    if UPDATE:
        expected_path.write_text(
            json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    assert expected_path.exists(), f"no expectation for {path.name}: run with UPDATE_GOLDEN=1"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert actual == expected


def test_golden_set_covers_every_format_and_edge_folder() -> None:
    formats = {a["format"] for p in INPUTS for a in parse(p)["articles"]}
    folders = {p.relative_to(GOLDEN).parts[0] for p in INPUTS}
    assert {"waimei", "hexo", "gnews", "jsonl", "generic"} <= formats
    assert {"seeds", "format1", "format2", "format3", "edge", "other"} <= folders
    assert len([p for p in INPUTS if p.parts[-2] != "seeds"]) >= 15


def test_no_expectation_without_its_input() -> None:
    orphans = [
        p
        for p in GOLDEN.rglob("*" + SUFFIX)
        if not p.with_name(p.name.removesuffix(SUFFIX)).exists()
    ]
    assert orphans == []
