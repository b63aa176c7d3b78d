"""The engine's shape, checked: one walk of the repository per command."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from test_migrate_helpers import FIXTURES, UV_MK, copy_repo, run
from uvmk.survey import tree as survey_tree


def _count_listings(monkeypatch: pytest.MonkeyPatch, root: Path) -> list[int]:
    """Counts the listings of `root` itself (os.walk and pathlib list through these two)."""
    listed = [0]
    target = root.resolve()

    def counting(real: Callable[..., Any]) -> Callable[..., Any]:
        def listing(path: Any = ".", *args: Any) -> Any:
            if not isinstance(path, int) and Path(os.fsdecode(path)).resolve() == target:
                listed[0] += 1
            return real(path, *args)

        return listing

    monkeypatch.setattr(os, "scandir", counting(os.scandir))
    monkeypatch.setattr(os, "listdir", counting(os.listdir))
    return listed


@pytest.mark.parametrize(
    ("command", "code", "walks", "listings"),
    [
        (("audit",), 1, 1, 1),
        (("migrate",), 0, 1, 1),
        # apply also lists every path once before it writes, to undo a failed run's new files
        (("migrate", "--apply"), 0, 1, 2),
        (("verify", "--quick"), 1, 1, 1),
    ],
)
def test_a_command_walks_the_repository_once(
    command: tuple[str, ...],
    code: int,
    walks: int,
    listings: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tiny = copy_repo(FIXTURES / "tiny", tmp_path / "tiny")
    before = survey_tree.WALKS[0]
    listed = _count_listings(monkeypatch, tiny)
    result = run(capsys, *command, "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert result.code == code, result.err
    assert (survey_tree.WALKS[0] - before, listed[0]) == (walks, listings)
