"""Carry out a MigrationPlan, in the order that loses nothing:

1. refuse when git has uncommitted changes to a file the plan touches (unless force);
2. write pyproject.toml (with the seed pins as temporary [tool.uv] constraint-dependencies) and
   .python-version, `uv lock`; write the final pyproject.toml, `uv lock` again (the locked
   versions stay as preferences) and check the seed pins survived;
3. on any failure, restore every file byte-identical (no uv.lock, no .python-version);
4. only then: requirements files (delete / export), .gitignore, Makefile, vendored uv.mk, README;
5. last, the legacy venv folders (the only step that cannot be undone).
"""

from __future__ import annotations

import re
import shlex
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
import tomlkit.exceptions
from packaging.utils import canonicalize_name

from uvmk.atomic import Journal
from uvmk.plan import MigrationPlan, child_env, uv_cmd


class ApplyError(Exception):
    """A refusal or a failure; every file has been restored. str(e) is one line."""


@dataclass
class ApplyResult:
    done: list[str] = field(default_factory=list)
    pins_kept: dict[str, str] = field(default_factory=dict)
    pins_moved: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name->(want, got)
    freed: int = 0


def _git_dirty(root: Path, paths: list[str]) -> list[str]:
    try:
        inside = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        return []
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        return []
    proc = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all", "--", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return []
    dirty = []
    for line in proc.stdout.splitlines():
        if len(line) > 3:
            dirty.append(line[3:].strip().strip('"'))
    return dirty


_STOPS = {signal.SIGINT, signal.SIGTERM}


def _run_uv(plan: MigrationPlan, *args: str) -> subprocess.CompletedProcess[str]:
    """uv as a child that never outlives an interrupted apply: Ctrl-C or SIGTERM are held back
    while it starts (a KeyboardInterrupt inside Popen() would leave it running, to write
    uv.lock after every file was restored) and raised once it can be killed."""
    argv = [*uv_cmd(plan.options), *args]
    before = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    proc: subprocess.Popen[str] | None = None
    try:
        proc = subprocess.Popen(
            argv,
            cwd=plan.root,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, before),
        )
        signal.pthread_sigmask(signal.SIG_SETMASK, before)  # a signal held back is raised here
        out, err = proc.communicate(timeout=900)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
        if proc is not None:
            proc.kill()
            proc.communicate()
        raise
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def _last_error(proc: subprocess.CompletedProcess[str]) -> str:
    lines = [ln.strip() for ln in (proc.stderr or proc.stdout or "").splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith(("error:", "\u00d7", "\u2570", "Caused by"))]
    pick = errors[0] if errors else (lines[-1] if lines else f"exit {proc.returncode}")
    why = [ln for ln in lines if ln.startswith(("cause:", "Because", "hint:", "help:"))]
    if why:
        pick += " — " + " ".join(why[:2])
    return pick[:400] + " (every file restored)"


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


def locked_versions(lock: Path) -> dict[str, list[str]]:
    data = tomlkit.parse(lock.read_text(encoding="utf-8")).unwrap()
    out: dict[str, list[str]] = {}
    for pkg in data.get("package", []):
        name = canonicalize_name(str(pkg.get("name", "")))
        if "version" in pkg:
            out.setdefault(name, []).append(str(pkg["version"]))
    return out


def apply_plan(plan: MigrationPlan, *, force: bool = False) -> ApplyResult:
    root = plan.root
    result = ApplyResult()
    if plan.empty:
        return result
    touched = [c.path for c in plan.actions if c.action != "delete-dir" and c.path != "uv-mk/"]
    touched += list(plan.copies)
    if not force:
        dirty = _git_dirty(root, touched)
        if dirty:
            raise ApplyError(
                "uncommitted changes to files uv-migrate would touch: "
                + ", ".join(dirty[:6])
                + (" ..." if len(dirty) > 6 else "")
                + " (commit them first, or FORCE=1 / --force)"
            )
    journal = Journal()
    for path in (
        "pyproject.toml",
        ".python-version",
        "uv.lock",
        *plan.contents,
        *plan.exports,
        *plan.copies,
    ):
        journal.remember(root / path)
    for c in plan.actions:
        if c.action == "delete":
            journal.remember(root / c.path)
    lock_planned = any(c.path == "uv.lock" for c in plan.actions)

    def write(rel: str, data: bytes | str) -> None:
        path = root / rel
        journal.write(path, in_original_style(journal.saved.get(path), data))

    try:
        # 1. pyproject + .python-version, then the seeded lock
        final_pyproject = plan.contents.get("pyproject.toml")
        if ".python-version" in plan.contents:
            write(".python-version", plan.contents[".python-version"])
            result.done.append(f"wrote .python-version ({plan.python.version})")
        if lock_planned:
            if plan.seeded_pyproject is not None:
                write("pyproject.toml", plan.seeded_pyproject)
                proc = _run_uv(plan, "lock")
                if proc.returncode != 0:
                    raise ApplyError(
                        f"uv lock (seeded with the requirements pins) failed: {_last_error(proc)}"
                    )
            if final_pyproject is not None:
                write("pyproject.toml", final_pyproject)
            elif plan.seeded_pyproject is not None:
                original = journal.saved.get(root / "pyproject.toml")
                if original is not None:
                    journal.write(root / "pyproject.toml", original[0])
            proc = _run_uv(plan, "lock")
            if proc.returncode != 0:
                raise ApplyError(f"uv lock failed: {_last_error(proc)}")
            if final_pyproject is not None:
                result.done.append("wrote pyproject.toml")
            result.done.append(
                "locked: uv.lock"
                + (f" (seeded with {len(plan.seed_pins)} pin(s))" if plan.seed_pins else "")
            )
            versions = locked_versions(root / "uv.lock")
            for name, want in sorted(plan.seed_pins.items()):
                got = versions.get(canonicalize_name(name))
                if got and want in got:
                    result.pins_kept[name] = want
                else:
                    result.pins_moved[name] = (want, ", ".join(got) if got else None)
        elif final_pyproject is not None:
            write("pyproject.toml", final_pyproject)
            result.done.append("wrote pyproject.toml")

        # 2. requirements files
        for c in plan.actions:
            if c.action == "export":
                proc = _run_uv(
                    plan,
                    "export",
                    "--frozen",
                    "--format",
                    "requirements.txt",
                    "-q",
                    "-o",
                    c.path,  # relative (uv runs in the root): uv writes it into the header
                    *plan.exports[c.path],
                )
                if proc.returncode != 0:
                    raise ApplyError(f"uv export for {c.path} failed: {_last_error(proc)}")
                journal.write(root / c.path, _with_regenerate_line(root / c.path, plan, c.path))
                result.done.append(f"regenerated {c.path} from uv.lock")
            elif c.action == "delete":
                journal.delete(root / c.path)
                result.done.append(f"deleted {c.path}")
                parent = (root / c.path).parent
                if parent != root and parent.is_dir() and not any(parent.iterdir()):
                    parent.rmdir()  # an emptied requirements/ folder (recreated on restore)
                    result.done.append(f"removed the empty folder {parent.relative_to(root)}/")

        # 3. .gitignore, Makefile, README, vendored uv.mk
        for path, data in plan.contents.items():
            if path in ("pyproject.toml", ".python-version"):
                continue
            write(path, data)
            result.done.append(f"wrote {path}")
        for dest, src in plan.copies.items():
            journal.write(root / dest, src.read_bytes())
        if plan.copies:
            result.done.append(
                f"vendored uv.mk and its helpers into uv-mk/ ({len(plan.copies)} files)"
            )
    except ApplyError:
        problems = journal.restore()
        if problems:
            raise ApplyError("restore failed too: " + "; ".join(problems)) from None
        raise
    except (OSError, subprocess.SubprocessError, tomlkit.exceptions.TOMLKitError) as exc:
        problems = journal.restore()
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
        problems = journal.restore()
        raise ApplyError(
            "interrupted; every file restored"
            + ("" if not problems else " except: " + "; ".join(problems))
        ) from None
    except BaseException:
        # anything else half-way (a bug, SystemExit): put the files back before the traceback
        journal.restore()
        raise

    # 4. legacy venvs, last: the one step that cannot be undone
    for c in plan.actions:
        if c.action != "delete-dir":
            continue
        folder = root / c.path.rstrip("/")
        if folder.is_symlink() or not (folder / "pyvenv.cfg").is_file():
            result.done.append(f"kept {c.path}: no longer a real venv folder")
            continue
        if not folder.resolve().is_relative_to(root.resolve()):
            result.done.append(f"kept {c.path}: outside the repository")
            continue
        shutil.rmtree(folder)
        result.freed += c.size or 0
        result.done.append(f"deleted {c.path} ({c.reason})")
    return result


def _with_regenerate_line(path: Path, plan: MigrationPlan, rel: str) -> bytes:
    """The exported file with a header line saying how to regenerate it through uv.mk."""
    flags = " ".join(plan.exports[rel])
    knobs = f"EXPORT_FILE={shlex.quote(rel)} EXPORT_FLAGS={shlex.quote(flags)}"
    lines = path.read_bytes().decode("utf-8").splitlines(keepends=True)
    at = next((i + 1 for i, ln in enumerate(lines[:3]) if "uv export" in ln), 0)
    lines.insert(at, f"#    regenerate it with: make uv-export {knobs}\n")
    return "".join(lines).encode("utf-8")
