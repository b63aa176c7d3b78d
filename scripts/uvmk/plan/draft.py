"""The plan while build_plan assembles it: each step adds its changes, notes and file contents."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from uvmk.plan.model import Change
from uvmk.rewriters import makefile as uvmk_makefile


@dataclass
class Draft:
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # what apply writes, by relative path (summarised in `changes`)
    contents: dict[str, bytes] = field(default_factory=dict)
    exports: dict[str, list[str]] = field(default_factory=dict)  # file -> uv export arguments
    # file -> what it installed before (canonical name, its `==` pin or None): apply checks
    # the regenerated file still installs each that uv.lock holds
    installed: dict[str, tuple[tuple[str, str | None], ...]] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)  # vendored file -> source
    makefile: uvmk_makefile.MakefileRewrite | None = None
    # file rewritten in place -> what its rewriter left reading the files the plan deletes
    # (rewriters.protocol.Rewrite.readers_left, today's line numbers)
    readers_left: dict[str, tuple[str, ...]] = field(default_factory=dict)
    tools: list[str] = field(default_factory=list)  # the old venv's packages (their commands)
    knobs: dict[str, str] = field(default_factory=dict)  # uv.mk knobs the Makefile gets set
    # what a kept recipe's `$(UV) run` selects, when not uv.mk's `--all-extras --all-groups`
    # (extras that conflict: plan/conflicting_extras.py)
    run_flags: str | None = None
    # every dependency of the migrated pyproject (runtime, extras, groups), canonical names
    dependency_names: set[str] = field(default_factory=set)
