"""What a daily target runs, and whether the project installs it: uv.mk's lint runs ruff, its
format-check ruff (or black and isort), its tests pytest. A repo that never had one of them
(black + isort, flake8, Django's `manage.py test`) does not fail uv-verify on a tool it never
used: the check is skipped, saying which tool is missing and how to add it or run its own."""

from __future__ import annotations

import re
from pathlib import Path

import tomlkit
import tomlkit.exceptions
from packaging.utils import canonicalize_name

from uvmk import proc as uvmk_proc

_MODULE = re.compile(r"(?<![\w-])python3?\s+-m\s+([A-Za-z_][\w]*)")


def locked_packages(root: Path) -> set[str] | None:
    """The canonical names uv.lock holds; None when there is no lock to read."""
    try:
        data = tomlkit.parse((root / "uv.lock").read_text(encoding="utf-8")).unwrap()
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.TOMLKitError):
        return None
    return {canonicalize_name(str(p.get("name", ""))) for p in data.get("package", [])}


def modules_run(make: list[str], target: str, root: Path) -> list[str]:
    """The `python -m <module>`s the target's recipe runs (`make -n`: nothing runs)."""
    try:
        proc = uvmk_proc.run([*make, "-n", target], cwd=root, env=uvmk_proc.make_env(), timeout=60)
    except (FileNotFoundError, uvmk_proc.TimeoutExpired):
        return []
    if proc.returncode != 0:
        return []
    return list(dict.fromkeys(_MODULE.findall(proc.stdout or "")))


def not_installed(modules: list[str], locked: set[str]) -> list[str]:
    """The modules whose package uv.lock does not hold (the standard library's run anyway)."""
    return [m for m in modules if canonicalize_name(m) not in locked and m not in _STDLIB]


_STDLIB = frozenset({"venv", "pip", "ensurepip", "http", "json", "unittest", "compileall"})


def why_skipped(target: str, missing: list[str]) -> str:
    if target == "format-check" and "ruff" in missing:
        how = "set FORMATTER=black if the repo formats with black and isort, or add ruff"
    elif target == "format-check":
        how = "set FORMATTER=ruff, or add them"
    else:
        how = "add it" if len(missing) == 1 else "add them"
    adds = ", ".join(f"make uv-add-dev PKG={m}" for m in missing)
    return (
        f"skipped: {target} runs {', '.join(missing)}, which the project never installed "
        f"(not in uv.lock): {how} ({adds})"
    )
