"""uv.mk knobs read off the legacy recipes uv.mk's targets replace (API_APP from uvicorn's
argument, FORMATTER from the format recipe...)."""

from __future__ import annotations

import re

from uvmk.contract import UvMkDeclarations
from uvmk.rewriters.makefile.blocks import _REF

# uv.mk knobs whose value the old recipes spell out: the first pattern that matches wins
_READ_FROM_RECIPES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "API_APP",
        (
            r"\buvicorn\s+(?:[^\n]*?\s)?([\w.]+:[\w.]+)",
            r"\bgunicorn\s+(?:[^\n]*?\s)?([\w.]+:[\w.]+)",
        ),
    ),
    ("API_HOST", (r"\buvicorn\b[^\n]*?--host[ =](\S+)",)),
    ("API_PORT", (r"\buvicorn\b[^\n]*?--port[ =](\d+)",)),
    ("API_WORKERS", (r"\bgunicorn\b[^\n]*?(?:-w\s*|--workers[ =])(\d+)",)),
    ("PACKAGE", (r"--cov=(?:\./)?(?:src/)?([A-Za-z_][\w]*)",)),
)


def _extract_knobs(
    recipes: dict[str, str],
    values: dict[str, str],
    declares: UvMkDeclarations,
    entries: frozenset[str],
) -> dict[str, str]:
    """The knobs the removed recipes set; a path is written only when it is not uv.mk's
    default (expanded as make would in a folder holding `entries`)."""

    def expand(text: str) -> str:
        for _ in range(5):
            new = _REF.sub(lambda m: values.get(m.group(1), m.group(0)), text)
            if new == text:
                break
            text = new
        return text

    knobs: dict[str, str] = {}
    alltext = {t: expand(r) for t, r in recipes.items()}
    joined = "\n".join(alltext.values())
    for knob, patterns in _READ_FROM_RECIPES:
        found = next((m for p in patterns if (m := re.search(p, joined))), None)
        if found:
            knobs[knob] = found.group(1)
    fmt = alltext.get("format", "")
    if re.search(r"(?<![\w-])black\b", fmt):
        knobs["FORMATTER"] = "black"
    elif re.search(r"\bruff\s+format\b", fmt):
        knobs["FORMATTER"] = "ruff"
    tc = alltext.get("type-check", "")
    for checker in ("mypy", "pyright", "ty"):
        if re.search(r"(?<![\w-])" + checker + r"(?![\w-])", tc):
            knobs["TYPE_CHECKER"] = checker
            break

    def first_path(target: str, tool: str) -> str | None:
        mm = re.search(
            r"(?<![\w-])" + tool + r"\s+(?:-[^\s=]+\s+)*([^\s$-]\S*)", alltext.get(target, "")
        )
        return mm.group(1).rstrip("/") if mm else None

    for knob, target, tool in (
        ("UNIT_TESTS", "test-unit", "pytest"),
        ("INTEGRATION_TESTS", "test-integration", "pytest"),
        ("TESTS", "test", "pytest"),
        ("SRC", "lint", r"ruff\s+check"),
    ):
        path = first_path(target, tool)
        if path and path != declares.default(knob, entries):
            knobs[knob] = path
    return knobs


def knobs_from_dependencies(names: set[str]) -> dict[str, str]:
    """Knobs the project's own dependencies decide (canonical names, every group and extra):
    black and isort without ruff are the repo's formatters, so uv.mk's format runs them. A
    format recipe that says otherwise wins (see _extract_knobs' caller)."""
    if {"black", "isort"} <= names and "ruff" not in names:
        return {"FORMATTER": "black"}
    return {}
