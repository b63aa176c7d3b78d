"""Carry out a MigrationPlan: its changes' operations, in the plan's order (the plan puts
them in the order that loses nothing: pyproject, .python-version, the seeded then the final
`uv lock`, the requirements files, the other files, the venvs last). Apply knows operations,
not file names:

1. refuse when git has uncommitted changes to a file an operation touches (unless force);
2. perform every undoable operation; on any failure restore every file byte-identical;
3. only then the ones that cannot be undone (legacy venv folders).
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from uvmk import fetch_failure, leftovers, unsatisfiable, wheels
from uvmk import proc as uvmk_proc
from uvmk.atomic import Journal
from uvmk.plan import MigrationPlan
from uvmk.plan.operations import (
    Delete,
    Export,
    Lock,
    Operation,
    RemoveVenv,
    Restore,
    SeededLock,
    Seeding,
    Vendor,
    WheelCheck,
    Write,
)
from uvmk.plan.schedule import phases
from uvmk.plan.seeded_text import with_moved_pins, with_requires_python, without_seeds
from uvmk.same_install import check_claims
from uvmk.stale_extras import stale_extras
from uvmk.survey.python_versions import allows
from uvmk.vendor import origin, vendored_bytes


class ApplyError(Exception):
    """A refusal or a failure; every file has been restored. str(e) is one line."""


@dataclass
class ApplyResult:
    done: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)  # the lines of `done` that are warnings
    pins_kept: dict[str, str] = field(default_factory=dict)
    pins_moved: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name->(want, got)
    pins_dropped: dict[str, str] = field(default_factory=dict)  # name -> uv's reason
    freed: int = 0

    def caution(self, line: str) -> None:
        self.done.append(line)
        self.cautions.append(line)

    @property
    def unexplained_moves(self) -> dict[str, tuple[str, str | None]]:
        """The pins that moved though uv never blamed them (the lock was not seeded with them):
        a human must look before this is committed."""
        return {
            k: (want, got)
            for k, (want, got) in self.pins_moved.items()
            if got is not None and k not in self.pins_dropped
        }


def _git_dirty(root: Path, paths: list[str]) -> list[str]:
    try:
        inside = uvmk_proc.git("-C", str(root), "rev-parse", "--is-inside-work-tree", cwd=root)
        if inside.returncode != 0 or inside.stdout.strip() != "true":
            return []
        status = uvmk_proc.git(
            "-C",
            str(root),
            "status",
            "--porcelain",
            "--untracked-files=all",
            "--",
            *paths,
            cwd=root,
        )
    except uvmk_proc.ProcessFailure:
        return []
    if status.returncode != 0:
        return []
    dirty = []
    for line in status.stdout.splitlines():
        if len(line) > 3:
            dirty.append(line[3:].strip().strip('"'))
    return dirty


def _last_error(proc: uvmk_proc.Completed) -> str:
    """uv's error in one line, whole: its first error line, its last lines (the resolver's
    conclusion) and every hint, never cut mid-word."""
    lines = [ln.strip() for ln in (proc.stderr or proc.stdout or "").splitlines() if ln.strip()]
    if not lines:
        return f"exit {proc.returncode} (every file restored)"
    errors = [ln for ln in lines if ln.startswith(("error:", "\u00d7"))]
    hint_at = next(
        (i for i, ln in enumerate(lines) if ln.startswith(("hint:", "help:"))), len(lines)
    )
    body, hint = lines[:hint_at], " ".join(lines[hint_at:])  # a hint wraps over lines
    # a build backend's failure ends in its traceback: the exception raised says what is wrong
    raised = [ln for ln in body if re.match(r"[A-Za-z_][\w.]*(Error|Exception): ", ln)]
    kept = [*errors[:1], *(raised[-1:] or body[-2:]), *([hint] if hint else [])]
    return " — ".join(dict.fromkeys(kept)) + " (every file restored)"


def _describe(exc: BaseException, root: Path) -> str:
    """One line for a failed write: the repo-relative file and the OS's reason, not the temp
    file's name (`os.replace(tmp, target)` reports both)."""
    if isinstance(exc, OSError) and (exc.filename2 or exc.filename):
        target = Path(str(exc.filename2 or exc.filename))
        temp = re.fullmatch(r"\.(.+)\.[^.]+\.uvmk-tmp", target.name)
        if temp:  # the temp file atomic_write could not create: name the file it was for
            target = target.with_name(temp.group(1))
        try:
            rel = target.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            rel = str(target)
        verb = "write" if exc.filename2 or temp else "change"
        return f"cannot {verb} {rel}: {exc.strerror or exc}"
    return f"{type(exc).__name__}: {exc}"


_BOM = b"\xef\xbb\xbf"


def in_original_style(original: tuple[bytes, int] | None, data: bytes | str) -> bytes:
    """`data` with the line endings (CRLF) and BOM of the file it replaces: a Windows file
    stays a Windows file, so the diff shows only what changed."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if original is None:
        return raw
    old = original[0]
    if old.count(b"\r\n") * 2 > old.count(b"\n"):
        raw = re.sub(rb"\r?\n", b"\r\n", raw)
    if old.startswith(_BOM) and not raw.startswith(_BOM):
        raw = _BOM + raw
    return raw


def same_version(a: str, b: str) -> bool:
    """`5.0` and `5.0.0` are one version (PEP 440); text that is no version compares as text."""
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def locked_versions(lock: Path) -> dict[str, list[str]]:
    data = tomlkit.parse(lock.read_text(encoding="utf-8")).unwrap()
    out: dict[str, list[str]] = {}
    for pkg in data.get("package", []):
        name = canonicalize_name(str(pkg.get("name", "")))
        if "version" in pkg:
            out.setdefault(name, []).append(str(pkg["version"]))
    return out


class _Run:
    """One apply: the files it may touch (journaled), what it says it did."""

    def __init__(self, plan: MigrationPlan) -> None:
        self.plan = plan
        self.root = plan.root
        self.journal = Journal()
        self.result = ApplyResult()
        # a seeded `uv lock` succeeded: every index page the final lock and the pip-vs-uv check
        # read is in uv's cache (the final pyproject is the seeded one without its pins)
        self.index_fresh = False
        self.seeds_held: int | None = None  # how many pins the seeded lock held, once it ran
        # pins moved for want of a wheel (name -> (pin, new)): every later pyproject written
        # carries the new version
        self.pin_moves: dict[str, tuple[str, str]] = {}
        # a requires-python made here that follows the Python apply pins instead (None: as planned)
        self.requires_python: str | None = None
        self.planned_requires: str | None = None
        self.seed_stderr = ""  # uv's whole answer when no way of seeding could lock

    def write(self, rel: str, data: bytes | str) -> None:
        if rel == "pyproject.toml" and (self.pin_moves or self.requires_python):
            text = data.decode("utf-8") if isinstance(data, bytes) else data
            if self.pin_moves:
                text = with_moved_pins(text, self.pin_moves)
            if self.requires_python:
                text = with_requires_python(text, self.requires_python)
            data = text
        path = self.root / rel
        self.journal.write(path, in_original_style(self.journal.saved.get(path), data))

    def uv(self, failure: str, *args: str, from_cache: bool = False) -> uvmk_proc.Completed:
        start = uvmk_proc.uv_from_cache_first if from_cache else uvmk_proc.uv
        proc = start(self.plan.options.uv, *args, cwd=self.root, timeout=900)
        if proc.returncode != 0:
            raise ApplyError(f"{failure}: {self.error_of(proc)}")
        return proc

    def error_of(self, proc: uvmk_proc.Completed) -> str:
        """uv's error in one line; a URL uv could not fetch first, with the line it came from."""
        path = self.root / "pyproject.toml"
        if path in self.journal.saved:  # the user's pyproject, not the one apply wrote
            saved = self.journal.saved[path]
            before = saved[0].decode("utf-8", "replace") if saved else None
        else:
            before = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
        notes = self.plan.dependencies.notes
        fetch = fetch_failure.fetch_line(proc.stderr or "", notes, before)
        return f"{fetch} — {_last_error(proc)}" if fetch else _last_error(proc)


def _write(run: _Run, op: Write) -> None:
    run.write(op.path, op.data)
    if op.done:
        run.result.done.append(op.done)


def _restore(run: _Run, op: Restore) -> None:
    original = run.journal.saved.get(run.root / op.path)
    if original is not None:
        run.journal.write(run.root / op.path, original[0])


def _lock(run: _Run, op: Lock) -> None:
    _note_stale_extras(run, run.uv(op.failure, "lock", from_cache=run.index_fresh))
    plan = run.plan
    claims = check_claims(plan.options.uv, run.root, plan.dependencies.notes, plan.python.version)
    run.result.done.extend(claims)
    if op.done:
        run.result.done.append(_lock_done(run, op.done, len(op.seeds)))
    if not op.seeds:
        return
    versions = locked_versions(run.root / "uv.lock")
    for name, want in sorted(op.seeds.items()):
        got = versions.get(canonicalize_name(name))
        if got and any(same_version(want, v) for v in got):
            run.result.pins_kept[name] = want
        else:
            run.result.pins_moved[name] = (want, ", ".join(got) if got else None)


def _note_stale_extras(run: _Run, proc: uvmk_proc.Completed) -> None:
    """uv only warns about an extra the locked version lacks: say it, once, at its line."""
    for line in stale_extras(proc.stderr or "", run.plan.dependencies.additions):
        if line not in run.result.done:
            run.result.done.append(line)


def _lock_done(run: _Run, done: str, planned: int) -> str:
    """What the final lock says it was seeded with: what the seeded lock held, not the plan."""
    held = run.seeds_held
    if held is None or held == planned:
        return done
    if held == 0:
        return "locked: uv.lock (not seeded: uv cannot lock with the requirements pins)"
    return f"locked: uv.lock (seeded with {held} of {planned} pin(s))"


# Each round drops the pins uv blamed and locks again: one conflict a round.
_DROP_ROUNDS = 5


def _seeded_lock(run: _Run, op: SeededLock) -> None:
    _seeded_lock_rounds(run, op)
    check = op.wheels
    if check is None:
        return
    run.planned_requires = check.requires_python
    python = check.python
    if not run.seeds_held and check.may_switch and check.requires_follows:
        # no lock at all for this Python (a wheel-only pin without its tag: psycopg-binary
        # 3.1.19 has no cp313 wheel), and nothing says the repo runs on it
        python = _older_python_that_locks(run, op, check) or python
    if run.seeds_held:
        _wheel_check(run, check, python)


def _older_python_that_locks(run: _Run, op: SeededLock, check: WheelCheck) -> str | None:
    """(1) before any lock: the newest older installed Python the pins lock for, with the
    requires-python made here following it; None (and everything as it was) when none does."""
    if "matching Python" not in run.seed_stderr:
        return None
    installed = {
        ".".join(v.split(".")[:2]) for v in wheels.installed_pythons(run.plan.options.uv, run.root)
    }
    older = sorted(
        (v for v in installed if _version_key(v) < _version_key(check.python)),
        key=_version_key,
        reverse=True,
    )
    failed_line = run.result.cautions[-1] if run.result.cautions else ""
    for xy in older:
        done, cautions = len(run.result.done), len(run.result.cautions)
        run.requires_python = f">={xy}"
        run.write(".python-version", f"{xy}\n")
        run.seeds_held = None
        _seeded_lock_rounds(run, op)
        if run.seeds_held:
            dropped = {failed_line, f"wrote .python-version ({check.python})"}
            run.result.done[:] = [ln for ln in run.result.done if ln not in dropped]
            run.result.cautions[:] = [ln for ln in run.result.cautions if ln not in dropped]
            run.result.caution(
                f"wrote .python-version ({xy}) and requires-python >={xy} (made here, no "
                f"evidence), not {check.python}: the pinned versions cannot lock for "
                f"{check.python} (a pin without a {wheels.python_tag(check.python)} wheel)"
            )
            return xy
        del run.result.done[done:]
        del run.result.cautions[cautions:]
    run.requires_python = None
    run.write(".python-version", f"{check.python}\n")
    run.seeds_held = 0
    return None


def _seeded_lock_rounds(run: _Run, op: SeededLock) -> None:
    """The first way of seeding uv can lock with; when none can, the same without the pins
    uv's resolver blames (`_without_blamed`); none only when uv blames no pin or the rounds run
    out. The final lock then resolves freely and the pin check names the pins that moved. Any
    other failure (network, a build) is not the pins': it stops apply at once."""
    seeds = dict(run.plan.seed_pins)
    errors: list[str] = []
    failed: uvmk_proc.Completed | None = None
    for attempt in op.attempts:
        failed = _lock_seeded(run, attempt.text())
        if failed is None:
            _seeded_so(run, attempt.how, errors, len(seeds))
            return
        errors.append(_first_error(failed))
    held = _without_blamed(run, op.attempts, failed, seeds) if failed is not None else None
    if held is None:
        run.seeds_held = 0
        run.seed_stderr = (failed.stderr or "") if failed is not None else ""
        run.result.caution(
            f"the requirements pins make uv lock fail ({errors[0]}): locked without them, the "
            "pins that moved are listed below"
        )
        return
    how, dropped = held
    _seeded_so(run, how, errors if how != op.attempts[0].how else [], len(seeds) - len(dropped))
    run.result.pins_dropped.update(dropped)
    for name, why in dropped.items():
        run.result.caution(
            f"the pin {name}=={seeds[name]} cannot hold in a lock for every platform and "
            f"Python ({why}): seeded without it"
        )


def _without_blamed(
    run: _Run,
    attempts: tuple[Seeding, ...],
    failed: uvmk_proc.Completed,
    seeds: dict[str, str],
) -> tuple[str, dict[str, str]] | None:
    """(the way that locked, the pins dropped with uv's reason for each), or None when uv
    blames no pin left or the rounds run out. Each round drops the pins the last (most
    lenient) way's failure blames, what no way can hold (an earlier way also fails on a pin
    that holds on the tested Python only), and tries every way again in order, so the pins
    that are left hold on every Python where they can; uv explains one conflict at a time."""
    dropped: dict[str, str] = {}
    for _ in range(_DROP_ROUNDS):
        left = {k: v for k, v in seeds.items() if k not in dropped}
        blamed = unsatisfiable.blamed(failed.stderr or "", left)
        if not blamed:
            return None
        dropped.update(blamed)
        for attempt in attempts:
            again = _lock_seeded(run, without_seeds(attempt.text(), seeds, set(dropped)))
            if again is None:
                return attempt.how, dict(sorted(dropped.items()))
            failed = again  # the last way's, once the loop ends
    return None


def _lock_seeded(run: _Run, text: str) -> uvmk_proc.Completed | None:
    """`uv lock` with this seeded pyproject: None when it locked, the process when the pins
    make it unsolvable; ApplyError on any other failure."""
    run.write("pyproject.toml", text)
    proc = uvmk_proc.uv(run.plan.options.uv, "lock", cwd=run.root, timeout=900)
    if proc.returncode == 0:
        run.index_fresh = True
        _note_stale_extras(run, proc)
        return None
    if "No solution found" not in (proc.stderr or ""):
        # not the pins (an unreachable index, a failed build): locking without them fails too
        raise ApplyError(
            f"uv lock (seeded with the requirements pins) failed: {run.error_of(proc)}"
        )
    return proc


def _first_error(proc: uvmk_proc.Completed) -> str:
    return _last_error(proc).split(" — ")[0].removesuffix(" (every file restored)")


def _seeded_so(run: _Run, how: str, errors: list[str], held: int) -> None:
    run.seeds_held = held
    if errors:
        run.result.done.append(
            f"the requirements pins hold {how}: seeded so (uv lock with them on every "
            f"Python failed: {errors[0]})"
        )


def _locked(run: _Run) -> dict[str, Any]:
    return tomlkit.parse((run.root / "uv.lock").read_text(encoding="utf-8")).unwrap()


def _wheel_check(run: _Run, check: WheelCheck, python: str) -> None:
    """Every locked package installs on the pinned Python from a wheel, or apply moves (see
    WheelCheck): another Python, else the pins that hold the package. A package still built
    from source is named, never built silently."""
    uv = run.plan.options.uv
    answer = wheels.check(uv, run.root, python, _locked(run))
    if answer.error is not None:
        run.result.caution(
            f"could not check that the locked packages install on Python {python} from "
            f"wheels ({answer.error})"
        )
        return
    if answer.unbuilt and check.may_switch and python == check.python:
        switched = _other_python(run, check, answer)
        if switched is not None:
            python, answer = switched
    tag = wheels.python_tag(python)
    for _ in range(3):
        if not answer.wheel_missing or not _move_pins(run, python, answer.wheel_missing, tag):
            break
        answer = wheels.check(uv, run.root, python, _locked(run))
        if answer.error is not None:
            return
    sdists = [u for u in answer.unbuilt if not u.no_wheel_here]
    if sdists:
        run.result.done.append(
            "built from source, as pip did (no wheel of them for any Python the lock covers): "
            + ", ".join(f"{u.name} {u.version}" for u in sdists)
        )
    if answer.wheel_missing:
        run.result.caution(
            f"no wheel for Python {python} ({tag}) here of "
            + ", ".join(f"{u.name} {u.version}" for u in answer.wheel_missing)
            + ": `uv sync` builds them from source (a compiler and their headers needed), or pin "
            "an older Python: PYTHON_VERSION=X.Y"
        )


def _other_python(
    run: _Run, check: WheelCheck, here: wheels.Answer
) -> tuple[str, wheels.Answer] | None:
    """(1): the newest other Python, installed or evidenced, on which fewer locked packages
    are built from source (those built everywhere are sdist-only: not the Python's fault);
    .python-version names it. The lock is the same for every Python requires-python allows;
    a requires-python made here from the pinned Python alone follows the new one (relocked)."""
    uv = run.plan.options.uv
    installed = {".".join(v.split(".")[:2]) for v in wheels.installed_pythons(uv, run.root)}
    candidates = installed | (set(check.others) if check.downloads else set())
    older = check.requires_follows  # requires-python may start lower, at the Python chosen
    allowed = [
        v
        for v in candidates
        if v != check.python
        and (
            not check.requires_python
            or allows(check.requires_python, v)
            or (older and _version_key(v) < _version_key(check.python))
        )
    ]
    built_here = {u.name for u in here.unbuilt}
    for xy in sorted(allowed, key=_version_key, reverse=True):
        relocked = check.requires_python and not allows(check.requires_python, xy)
        if relocked:
            _relock_with_requires(run, f">={xy}")
        answer = wheels.check(uv, run.root, xy, _locked(run))
        fewer = answer.error is None and {u.name for u in answer.unbuilt} < built_here
        if fewer:
            run.write(".python-version", f"{xy}\n")
            old = f"wrote .python-version ({check.python})"
            run.result.done[:] = [ln for ln in run.result.done if ln != old]
            lacking = ", ".join(
                f"{u.name} {u.version}"
                for u in here.unbuilt
                if u.name not in {a.name for a in answer.unbuilt}
            )
            moved = f" and requires-python >={xy} (made here, no evidence)" if relocked else ""
            they = "every locked package installs" if not answer.unbuilt else "they install"
            run.result.caution(
                f"wrote .python-version ({xy}){moved}, not {check.python}: no "
                f"{wheels.python_tag(check.python)} wheel of {lacking} here; {they} on "
                f"Python {xy} from a wheel"
            )
            return xy, answer
        if relocked:
            _relock_with_requires(run, None)
    return None


def _relock_with_requires(run: _Run, spec: str | None) -> None:
    """The seeded lock again with requires-python `spec` (None: the planned one)."""
    run.requires_python = spec
    seeded = (run.root / "pyproject.toml").read_text(encoding="utf-8")
    if spec is None:
        seeded = with_requires_python(seeded, run.planned_requires or "")
    failed = _lock_seeded(run, seeded)  # run.write sets requires-python
    if failed is not None:
        raise ApplyError(
            f"uv lock with requires-python {spec} failed: {_first_error(failed)} "
            "(every file restored)"
        )


def _version_key(xy: str) -> tuple[int, ...]:
    return tuple(int(p) for p in xy.split("."))


def _move_pins(run: _Run, python: str, missing: tuple[wheels.Unbuilt, ...], tag: str) -> bool:
    """(2): each pin that holds a package without a wheel moves to the oldest version at or
    above it whose dependencies have wheels for this Python (uv picks it), then the seeded lock
    runs again. False when no pin can move."""
    seeds: dict[str, str] = {canonicalize_name(k): k for k in run.plan.dependencies.seed_pins}
    pins: dict[str, str] = {
        canonicalize_name(k): v for k, v in run.plan.dependencies.seed_pins.items()
    }
    lock = _locked(run)
    binary = [u.name for u in missing]
    moved: dict[str, tuple[str, str]] = {}
    for u in missing:
        for seed in sorted(wheels.seeds_behind(lock, u.name, set(seeds))):
            pin = run.pin_moves.get(seed, (pins[seed], pins[seed]))[1]
            new = wheels.oldest_with_wheels(
                run.plan.options.uv, run.root, python, seeds[seed], pin, binary
            )
            if new is None or same_version(new, pin) or seed in moved:
                continue
            moved[seed] = (pins[seed], new)
            why = f"no {tag} wheel for {pin}" + (
                "" if u.name == seed else f" (it needs {u.name} {u.version}, which has none)"
            )
            run.result.pins_dropped[seeds[seed]] = why
            run.result.caution(f"moved the pin {seeds[seed]} {pin} → {new}: {why}")
    if not moved:
        return False
    run.pin_moves.update(moved)
    seeded = (run.root / "pyproject.toml").read_text(encoding="utf-8")
    failed = _lock_seeded(run, seeded)  # run.write carries the moves
    if failed is not None:
        raise ApplyError(
            f"uv lock with the moved pins failed: {_first_error(failed)} (every file restored)"
        )
    return True


def _export(run: _Run, op: Export) -> None:
    # -o relative (uv runs in the root): uv writes it into the header
    run.uv(
        f"uv export for {op.path} failed",
        *("export", "--frozen", "--format", "requirements.txt", "-q", "-o", op.path),
        *op.args,
    )
    exported = _with_regenerate_line(run.root / op.path, list(op.args), op.path)
    run.write(op.path, exported)
    _check_installs_the_same(run, op, exported.decode("utf-8"))
    run.result.done.append(f"regenerated {op.path} from uv.lock")


def _check_installs_the_same(run: _Run, op: Export, exported: str) -> None:
    """The regenerated file installs what the old one did: each package it listed (and uv.lock
    holds: a package the migration dropped is reported where it was dropped) is in the export,
    at the version it pinned. A package missing is a deployment that would crash at start:
    apply stops, every file restored; a pin that moved is said."""
    now: dict[str, str] = {
        canonicalize_name(m.group(1)): m.group(2)
        for m in re.finditer(r"(?m)^([A-Za-z0-9][\w.-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", exported)
    }
    locked = locked_versions(run.root / "uv.lock")
    missing = [name for name, _ in op.installed if name in locked and name not in now]
    if missing:
        raise ApplyError(
            f"{op.path} regenerated from uv.lock (uv export {' '.join(op.args)}) would no longer "
            f"install {', '.join(missing)}, which it installed before (every file restored)"
        )
    moved = [
        f"{name} {pin} -> {now[name]}"
        for name, pin in op.installed
        if pin is not None and name in now and not same_version(pin, now[name])
    ]
    if moved:
        run.result.caution(
            f"{op.path} regenerated from uv.lock installs other versions than it pinned: "
            + ", ".join(moved)
        )


def _with_regenerate_line(path: Path, args: list[str], rel: str) -> bytes:
    """The exported file with a header line saying how to regenerate it through uv.mk."""
    flags = " ".join(args)
    knobs = f"EXPORT_FILE={shlex.quote(rel)} EXPORT_FLAGS={shlex.quote(flags)}"
    lines = path.read_bytes().decode("utf-8").splitlines(keepends=True)
    at = next((i + 1 for i, ln in enumerate(lines[:3]) if "uv export" in ln), 0)
    lines.insert(at, f"#    regenerate it with: make uv-export {knobs}\n")
    return "".join(lines).encode("utf-8")


def _delete(run: _Run, op: Delete) -> None:
    run.journal.delete(run.root / op.path)
    run.result.done.append(f"deleted {op.path}")
    parent = (run.root / op.path).parent
    if parent != run.root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()  # an emptied requirements/ folder (recreated on restore)
        run.result.done.append(f"removed the empty folder {parent.relative_to(run.root)}/")


def _vendor(run: _Run, op: Vendor) -> None:
    for dest, src in op.copies:
        run.journal.write(run.root / dest, vendored_bytes(src))  # as `uv-mk init` writes it
        run.result.done.append(f"vendored {dest} ({origin(src)})")


def _remove_venv(run: _Run, op: RemoveVenv) -> None:
    folder = run.root / op.path.rstrip("/")
    if folder.is_symlink() or not (folder / "pyvenv.cfg").is_file():
        run.result.done.append(f"kept {op.path}: no longer a real venv folder")
    elif not folder.resolve().is_relative_to(run.root.resolve()):
        run.result.done.append(f"kept {op.path}: outside the repository")
    else:
        shutil.rmtree(folder)
        run.result.freed += op.size
        run.result.done.append(f"deleted {op.path} ({op.reason})")


def _perform(run: _Run, op: Operation) -> None:
    _PERFORMERS[type(op)](run, op)


# One performer an operation kind (uvmk.plan.operations.Operation names them all).
_PERFORMERS: dict[type, Callable[[_Run, Any], None]] = {
    Write: _write,
    Restore: _restore,
    Lock: _lock,
    SeededLock: _seeded_lock,
    Export: _export,
    Delete: _delete,
    Vendor: _vendor,
    RemoveVenv: _remove_venv,
}


def apply_plan(plan: MigrationPlan, *, force: bool = False) -> ApplyResult:
    """Perform the plan's operations in its order: every undoable one under the journal (any
    failure restores every file), then the ones that cannot be undone."""
    run = _Run(plan)
    if plan.empty:
        return run.result
    undoable, final = phases(plan.actions)
    touched = list(dict.fromkeys(path for op in undoable for path in op.touches))
    if not force:
        _refuse_dirty(plan.root, touched)
    for path in touched:
        run.journal.remember(plan.root / path)
    with _restoring(run.journal, plan.root, leftovers.snapshot(plan.root)):
        for op in undoable:
            _perform(run, op)
    for op in final:
        _perform(run, op)
    return run.result


def _refuse_dirty(root: Path, touched: list[str]) -> None:
    dirty = _git_dirty(root, touched)
    if dirty:
        raise ApplyError(
            "uncommitted changes to files uv-migrate would touch: "
            + ", ".join(dirty[:6])
            + (" ..." if len(dirty) > 6 else "")
            + " (commit them first, or FORCE=1 / --force)"
        )


@contextmanager
def _restoring(journal: Journal, root: Path, before: frozenset[str]) -> Iterator[None]:
    """Any failure inside puts every remembered file back, byte-identical, and removes what
    appeared meanwhile (a build backend's egg-info), so a refused apply leaves no new file."""

    def restore() -> list[str]:
        problems = journal.restore()
        leftovers.remove_new(root, before)
        return problems

    try:
        yield
    except ApplyError:
        problems = restore()
        if problems:
            raise ApplyError("restore failed too: " + "; ".join(problems)) from None
        raise
    except (OSError, uvmk_proc.SubprocessError, tomlkit.exceptions.TOMLKitError) as exc:
        problems = restore()
        raise ApplyError(
            _describe(exc, root)
            + (
                " (every file restored)"
                if not problems
                else "; restore failed: " + "; ".join(problems)
            )
        ) from None
    except KeyboardInterrupt:
        # Ctrl-C during the (slow) lock must not leave the seeded pyproject behind.
        problems = restore()
        raise ApplyError(
            "interrupted; every file restored"
            + ("" if not problems else " except: " + "; ".join(problems))
        ) from None
    except BaseException:
        # anything else half-way (a bug, SystemExit): put the files back before the traceback
        restore()
        raise
