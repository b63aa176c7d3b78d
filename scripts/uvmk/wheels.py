"""Does every locked package install on a given Python, here, from a wheel? Asked of uv itself,
once uv.lock exists: `uv sync --frozen --dry-run --no-build` against that interpreter.

Why uv and not uv.lock's wheel file names read with packaging.tags: which locked packages a
sync installs depends on markers uv evaluates (a `tomli; python_version < '3.11'`, a
Windows-only `colorama`, conflicting extras, `tool.uv.sources`), and which wheel fits depends on
tags uv computes from the real interpreter (manylinux/musllinux glibc, free-threaded builds).
Reading the lock would repeat both and drift from the `uv sync` the user then runs; the dry run
is that sync, without installing, in ~50 ms. It needs the interpreter itself: the lock that
came before found (or downloaded) it, and for another Python we only ask about installed ones.

A failure names one package at a time, so the check asks again without it
(`--no-install-package`) until uv has nothing left to say. A package the lock has no wheel of at
all (an sdist-only release: pip built it too, on every Python) or one from a path, git or URL
source (built by pip as well) is not the Python's fault, and the answer says so."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name

from uvmk import proc, uv_conflicts

_REFUSED = re.compile(
    r"Distribution `(?P<name>[^`=\s]+)==(?P<version>[^`\s]+) @ (?P<source>[^`]+)` "
    r"can't be installed because (?P<why>[^\n]+)"
)
# One package named a round; a lock with more unbuildable packages than this is not worth a
# finer answer.
_ROUNDS = 25


@dataclass(frozen=True)
class Unbuilt:
    """A locked package `uv sync` would build from source on that Python."""

    name: str
    version: str
    no_wheel_here: bool  # the lock has wheels of it, none for this Python/platform


@dataclass(frozen=True)
class Answer:
    unbuilt: tuple[Unbuilt, ...] = ()
    error: str | None = None  # uv could not tell (no such interpreter, another failure)

    @property
    def wheel_missing(self) -> tuple[Unbuilt, ...]:
        """The packages whose wheels stop short of this Python: the ones to act on."""
        return tuple(u for u in self.unbuilt if u.no_wheel_here)

    @property
    def installs(self) -> bool:
        return self.error is None and not self.wheel_missing


def check(uv: str, root: Path, python: str, lock: dict[str, Any]) -> Answer:
    """Would `uv sync` install every locked package on `python` (a request uv understands)
    from a wheel? `lock`: uv.lock parsed, to tell a package that has no wheel for this Python
    from one that has none at all."""
    skipped: list[str] = []
    unbuilt: list[Unbuilt] = []
    # every extra and group, but those the lock's conflicts keep from being installed together
    sets = uv_conflicts.conflict_sets(lock.get("conflicts"))
    every = uv_conflicts.conflict_free("--all-extras --all-groups", sets).split()
    with tempfile.TemporaryDirectory(prefix="uvmk-wheels-") as scratch:
        # a venv that does not exist: the repo's own .venv (a legacy one, another Python)
        # is neither read nor, with --dry-run, replaced
        env = {**proc.child_env(), "UV_PROJECT_ENVIRONMENT": os.path.join(scratch, "venv")}
        for _ in range(_ROUNDS):
            argv = [
                *proc.uv_cmd(uv),
                *("sync", "--frozen", "--dry-run", "--no-build", *every),
                *("--no-install-project", "--no-install-workspace", "--python", python),
                *(a for name in skipped for a in ("--no-install-package", name)),
            ]
            try:
                done = proc.run(argv, cwd=root, env=env, timeout=120)
            except proc.ProcessFailure as exc:
                return Answer(tuple(unbuilt), f"uv sync --dry-run: {exc}")
            if done.returncode == 0:
                return Answer(tuple(unbuilt))
            refused = _REFUSED.search(done.stderr or "")
            if refused is None or refused["name"] in skipped:
                return Answer(tuple(unbuilt), _first_line(done.stderr or done.stdout))
            skipped.append(refused["name"])
            if refused["source"].startswith("registry+"):
                name, version = refused["name"], refused["version"]
                unbuilt.append(Unbuilt(name, version, _has_wheels(lock, name, version)))
    return Answer(tuple(unbuilt), "too many packages without a wheel to name them all")


def _has_wheels(lock: dict[str, Any], name: str, version: str) -> bool:
    for pkg in lock.get("package", []):
        if pkg.get("name") == name and str(pkg.get("version")) == version:
            return bool(pkg.get("wheels"))
    return False


def _first_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("error")]
    return lines[0] if lines else (text.strip().splitlines() or ["exit status non-zero"])[0]


def python_tag(version: str) -> str:
    """cp313 for 3.13: the tag a user recognises on PyPI's file list."""
    return "cp" + "".join(version.split(".")[:2])


def installed_pythons(uv: str, root: Path) -> list[str]:
    """The X.Y.Z of every CPython uv finds installed (no download), newest first, once each."""
    try:
        found = proc.uv(
            uv,
            *("python", "list", "--only-installed", "--output-format", "json"),
            cwd=root,
            timeout=60,
        )
    except proc.ProcessFailure:
        return []
    if found.returncode != 0:
        return []
    try:
        rows = json.loads(found.stdout)
    except ValueError:
        return []
    versions = {
        str(r.get("version"))
        for r in rows
        if isinstance(r, dict)
        and r.get("implementation") == "cpython"
        and r.get("variant", "default") == "default"
        and re.fullmatch(r"3\.\d+\.\d+", str(r.get("version")))
    }
    return sorted(versions, key=lambda v: tuple(int(p) for p in v.split(".")), reverse=True)


def oldest_with_wheels(
    uv: str, root: Path, python: str, name: str, pin: str, binary: list[str]
) -> str | None:
    """The oldest version of `name` at or above `pin` whose dependencies (`binary`: the packages
    that lacked a wheel) install on `python` from wheels: `uv pip compile --resolution
    lowest-direct` against that interpreter, which takes its tags. None: there is none."""
    flags = ["--resolution", "lowest-direct", *(a for b in binary for a in ("--only-binary", b))]
    done = _compile_alone(uv, python, f"{name}>={pin}\n", flags)
    if done is None or done.returncode != 0:
        return None
    for line in done.stdout.splitlines():
        found = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line.strip())
        if found and canonicalize_name(found[1]) == canonicalize_name(name):
            return found[2]
    return None


def pins_install_on(uv: str, python: str, pins: dict[str, str]) -> bool:
    """Do these exact pins and what they need resolve to wheels only on `python` (installed)?
    Asked before any lock exists (the missing-Python refusal names a Python that can)."""
    wanted = "".join(f"{name}=={version}\n" for name, version in sorted(pins.items()))
    done = _compile_alone(uv, python, wanted, ["--only-binary", ":all:"])
    return done is not None and done.returncode == 0


def _compile_alone(
    uv: str, python: str, requirements: str, flags: list[str]
) -> proc.Completed | None:
    """`uv pip compile` of `requirements` against `python`, outside the repo: inside, it would
    read the seeded pyproject's constraint-dependencies (the very pin that has no wheel); so a
    [tool.uv.index] of the project's own is not read either (the user's uv.toml and
    UV_INDEX_URL are), and a move it cannot find is named. None: uv did not run."""
    with tempfile.TemporaryDirectory(prefix="uvmk-wheels-") as scratch:
        try:
            return proc.run(
                [
                    *proc.uv_cmd(uv),
                    *("pip", "compile", "-", "--python", python, *flags),
                    *("--no-header", "--no-annotate", "--quiet"),
                ],
                cwd=scratch,
                env=proc.child_env(),
                timeout=300,
                stdin=requirements,
            )
        except proc.ProcessFailure:
            return None


def seeds_behind(lock: dict[str, Any], name: str, seeds: set[str]) -> set[str]:
    """The seeded packages nearest `name` in the lock's dependency graph (itself when seeded):
    the pins that hold it at its version."""
    if name in seeds:
        return {name}
    parents: dict[str, set[str]] = {}
    for pkg in lock.get("package", []):
        deps = [
            *pkg.get("dependencies", []),
            *(d for ds in pkg.get("optional-dependencies", {}).values() for d in ds),
        ]
        for d in deps:
            parents.setdefault(str(d.get("name")), set()).add(str(pkg.get("name")))
    found: set[str] = set()
    seen, wave = {name}, {name}
    while wave:
        up = {p for n in wave for p in parents.get(n, ())} - seen
        found |= up & seeds
        wave = up - seeds
        seen |= up
    return found
