"""What the plan needs to know from outside the repository's files, asked once before planning:
is uv.lock fresh (`uv lock --check`), which of the Python versions the evidence names are
installed (`uv python find`, only for migrate: the audit takes the evidence at its word), and
UV_PYTHON_DOWNLOADS. The plan itself starts no process."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from uvmk import contract, proc
from uvmk.contract import UvMkDeclarations
from uvmk.options import Options
from uvmk.rewriters.readers import any_read
from uvmk.survey.git_ignored import git_ignored
from uvmk.survey.snapshot import Survey
from uvmk.vendor import vendor_sources


@dataclass(frozen=True)
class Facts:
    lock_fresh: bool = False  # uv.lock exists and `uv lock --check` passes
    lock_stale: str | None = None  # uv.lock exists and no longer matches: uv's reason
    # the X.Y versions found for plan.python_requests(), in its order; None: nobody looked
    pythons: tuple[str, ...] | None = None
    python_downloads: str = "automatic"  # UV_PYTHON_DOWNLOADS, quoted in the plan's notes
    # what the uv.mk in use (--uv-mk, else the one beside the engine) declares
    uv_mk: UvMkDeclarations = field(default_factory=contract.bundled)
    # of the files the migration may write (and their folders, as `<folder>/.uvmk-probe`), the
    # ones git ignores: a fresh clone would lack them
    git_ignored: frozenset[str] = frozenset()
    # the installed X.Y (newest first) every requirements pin installs on from wheels, asked
    # only for a missing-Python refusal's way out (pins_install_on); None: nobody asked
    pins_install_on: tuple[str, ...] | None = None
    # `uv --version` of the uv running the migration, asked only when a reader rewriter
    # (uvmk.rewriters.readers) has a file to read: what the rewritten readers pin
    uv_version: str | None = None


def gather(s: Survey, options: Options, *, pythons: list[str] | None) -> Facts:
    """`pythons`: the Python requests to ask uv about, in order (plan.python.python_requests);
    None: none (the audit takes the evidence at its word)."""
    stale = lock_check(s, options.uv) if s.has_lock else None
    return Facts(
        lock_fresh=s.has_lock and stale is None,
        lock_stale=stale,
        pythons=None if pythons is None else _found(s, options.uv, pythons),
        python_downloads=os.environ.get("UV_PYTHON_DOWNLOADS", "automatic"),
        uv_mk=_declarations(options),
        git_ignored=_ignored_outputs(s, options),
        uv_version=_uv_version(s, options.uv) if any_read(s.tree) else None,
    )


def _uv_version(s: Survey, uv: str) -> str | None:
    try:
        done = proc.uv(uv, "--version", cwd=s.root, timeout=30)
    except (OSError, proc.SubprocessError):
        return None
    found = re.match(r"uv (\d+\.\d+\.\d+)", done.stdout) if done.returncode == 0 else None
    return found.group(1) if found else None


def _ignored_outputs(s: Survey, options: Options) -> frozenset[str]:
    """`git check-ignore` over what the migration may write: pyproject.toml, uv.lock,
    .python-version and the vendored uv.mk (with a probe per folder, since git cannot
    re-include a file inside an excluded folder)."""
    uv_mk = (options.uv_mk or contract.bundled_uv_mk()).resolve()
    written = ["pyproject.toml", "uv.lock", ".python-version"]
    if uv_mk.is_file() and not uv_mk.is_relative_to(s.root):
        written += [dest for dest, _ in vendor_sources(uv_mk)]
    folders = {p.parent.as_posix() for p in map(Path, written)} - {"."}
    for folder in list(folders):
        folders |= {p.as_posix() for p in Path(folder).parents} - {"."}
    probes = [f"{f}/.uvmk-probe" for f in sorted(folders)]
    found = git_ignored(s.root, [s.root / p for p in written + probes])
    return frozenset(p.relative_to(s.root).as_posix() for p in found)


def _declarations(options: Options) -> UvMkDeclarations:
    """The --uv-mk file's declarations; the bundled uv.mk's when it is missing or not one
    (the plan then says it cannot vendor it)."""
    if options.uv_mk is not None:
        try:
            return contract.read(options.uv_mk)
        except contract.DeclarationError:
            pass
    return contract.bundled()


def lock_check(s: Survey, uv: str) -> str | None:
    """None when uv.lock matches pyproject.toml (`uv lock --check`), else uv's reason (its
    first error line), once a run: the plan and the `audit --check` gate both read it."""
    try:
        checked = proc.uv(uv, "lock", "--check", cwd=s.root, timeout=300)
    except proc.ProcessFailure as exc:
        return f"cannot run uv lock --check: {exc}"
    if checked.returncode == 0:
        return None
    errors = [ln for ln in (checked.stderr or "").splitlines() if ln.startswith("error:")]
    return errors[0].removeprefix("error: ") if errors else "uv lock --check failed"


def _found(s: Survey, uv: str, requests: list[str]) -> tuple[str, ...] | None:
    """The first request uv finds an interpreter for: the evidence's version when installed,
    else the one uv picks for requires-python (one or two `uv python find`, never a list).
    None when uv did not start or answer in time: that says nothing of what is installed, and
    the plan then takes the evidence at its word, as the audit does, instead of refusing for a
    missing Python that may be there (the lock that follows asks uv again)."""
    try:
        for request in requests:
            found = find_python(s, uv, request)
            if found:
                return (found,)
    except proc.ProcessFailure:
        return None
    return ()


# `uv python find` waits for as long as another uv holds uv's cache (a `uv cache clean` or
# `prune` elsewhere on the machine), then answers
PYTHON_FIND_TIMEOUT = 60.0


def find_python(s: Survey, uv: str, request: str) -> str | None:
    """The version (X.Y.Z) of the interpreter uv finds for `request` (a version, a specifier,
    or "" for any) without downloading; None when it finds none or cannot use the one it finds
    (a pyenv shim for a version pyenv does not select fails here as it would in `uv lock`).
    proc.ProcessFailure when uv did not start or answer within PYTHON_FIND_TIMEOUT."""
    args = ["python", "find", "--system", "--show-version"]
    if request:
        found = proc.uv(uv, *args, request, cwd=s.root, timeout=PYTHON_FIND_TIMEOUT)
    else:  # any Python at all: not the one the repo's .python-version asks for
        import tempfile  # only here: the audit asks uv about no Python

        with tempfile.TemporaryDirectory(prefix="uvmk-") as elsewhere:
            found = proc.uv(uv, *args, cwd=elsewhere, timeout=PYTHON_FIND_TIMEOUT)
    if found.returncode != 0:
        return None
    match = re.match(r"\d+\.\d+(\.\d+)?", found.stdout.strip())
    return match.group(0) if match else None


def pythons_pins_install_on(s: Survey, uv: str, pins: dict[str, str]) -> tuple[str, ...]:
    """The installed Pythons (X.Y, newest first) the pins install on from wheels: the first is
    enough for a refusal to name, so the search stops there."""
    from uvmk import wheels  # only on the way to a refusal

    for xy in dict.fromkeys(
        ".".join(v.split(".")[:2]) for v in wheels.installed_pythons(uv, s.root)
    ):
        if wheels.pins_install_on(uv, xy, pins):
            return (xy,)
    return ()
