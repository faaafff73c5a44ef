"""Check labelled dates files: every row well formed, every expression locatable.

Run from the repository root: python benchmarks/check_date_labels.py FILE [FILE ...]
Prints each problem with its line number and exits 1 when there is any. It never runs the
resolver, so a labeller can use it without seeing what the rules would say.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.parsing.dates_eval import problems  # noqa: E402

REQUIRED = ("doc", "reference", "text", "expressions")


def main() -> None:
    """Check every file named on the command line."""
    bad = 0
    for name in sys.argv[1:]:
        for number, line in enumerate(Path(name).read_text(encoding="utf-8").split("\n"), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            missing = [key for key in REQUIRED if key not in row]
            found = [f"missing {', '.join(missing)}"] if missing else []
            if not missing and row["expressions"] is None and "skip" not in row:
                found.append("not labelled yet (expressions is null)")
            found += problems(row) if not missing else []
            for problem in found:
                print(f"{name}:{number}: {problem}")
            bad += len(found)
    print(f"{bad} problem(s)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
