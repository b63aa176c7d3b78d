# /// script
# requires-python = ">=3.10"
# dependencies = ["matplotlib>=3.8"]
# ///
"""Draw the two pictures of docs/benchmarks.md from a bench JSON (bench/bench.py --json-out):
the legacy pip install against uv.mk's, and the audit's time against the number of requirements
files. Usage: uv run --script bench/chart.py BENCH.json OUT.png"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def row(data: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((r for r in data["rows"] if r["key"] == key), None)


def main() -> None:
    data = json.loads(Path(sys.argv[1]).read_text())
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))

    install = row(data, "dev-install")
    if install:
        labels = ["legacy Makefile\n(python3 -m venv + pip)", "uv.mk\nmake dev-install"]
        cases = [install["cases"][1], install["cases"][0]]
        medians = [c["median_s"] for c in cases]
        bars = left.bar(labels, medians, color=["#b0b0b0", "#4c72b0"])
        left.bar_label(bars, labels=[f"{m:.2f} s" for m in medians])
        left.set_ylabel("seconds (median)")
        left.set_title(f"A fresh dev environment, warm cache: {medians[0] / medians[1]:.0f}x")

    scaling = row(data, "audit-scaling")
    if scaling:
        points = sorted(
            (int(re.search(r"(\d+) requirements files", c["label"]).group(1)), c)  # type: ignore[union-attr]
            for c in scaling["cases"]
            if c["label"].startswith("uv.mk")
        )
        files = [k for k, _ in points]
        right.errorbar(
            files,
            [c["median_s"] for _, c in points],
            yerr=[
                [c["median_s"] - c["min_s"] for _, c in points],
                [c["max_s"] - c["median_s"] for _, c in points],
            ],
            marker="o",
            capsize=4,
            label="make uv-migrate-audit (median, min-max)",
        )
        before = [c for c in scaling["cases"] if c["label"].startswith("before")]
        if before:
            right.plot(
                [200],
                [before[0]["median_s"]],
                "x",
                color="#c44e52",
                label="before this change (200 files)",
            )
        right.axhline(1.0, color="#999999", linestyle="--", linewidth=1, label="goal at 200 files")
        right.set_xlabel("requirements files in the repo")
        right.set_ylabel("seconds")
        right.set_xticks(files)
        right.set_ylim(bottom=0)
        right.set_title("The audit against the number of requirements files")
        right.legend()

    m = data["machine"]
    fig.suptitle(f"uv.mk benchmarks: {m['cpus']} cpus, {m['uv']}", fontsize=10)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
