"""uv-verify: the review's post-migration checklist, each check ✓/✗ with its reason."""

from __future__ import annotations

import re
import shlex
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uvmk import proc as uvmk_proc
from uvmk import verify_needs
from uvmk.contract import DAILY_TARGETS, NO_UNIT_TESTS
from uvmk.rewriters.makefile.scan import find_makefile
from uvmk.sources.pip import planner as req
from uvmk.survey import readers as uvmk_references
from uvmk.survey.git_ignored import git_ignored
from uvmk.survey.model import SurveyError
from uvmk.survey.pyproject_text import check_types, parse_pyproject
from uvmk.survey.python_versions import allows, major_minor, uv_reads_python_request
from uvmk.survey.requirement_files import is_uv_generated
from uvmk.survey.text_files import read_text
from uvmk.survey.tree import Tree, walk
from uvmk.survey.venvs import find_venvs, target_venv_name

# Run for real, in this order: install first, so dev-install leaves the dev environment behind.
# format runs as format-check, so verify changes no file; test-unit falls back to test.
RUN_TARGETS = ("install", "dev-install", "test-unit", "lint", "format-check")
TARGET_TIMEOUT = 300
# A target that fails on one of these lacks a service the machine does not run (skipped, not ✗).
_NO_SERVICE = re.compile(
    r"Connection refused|ECONNREFUSED|could not connect to server|Can't connect to (?:local )?"
    r"MySQL|Error (?:111|61) connecting|Cannot connect to the Docker daemon|"
    r"Name or service not known|Temporary failure in name resolution",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    reason: str
    skipped: bool = False  # could not run here (a missing service): neither a pass nor a failure


def _run(
    cmd: list[str], root: Path, env: dict[str, str] | None = None, timeout: int = 600
) -> tuple[int, str]:
    try:
        proc = uvmk_proc.run(cmd, cwd=root, env=env or uvmk_proc.child_env(), timeout=timeout)
    except FileNotFoundError:
        return 127, f"{cmd[0]}: not found"
    except uvmk_proc.TimeoutExpired:
        return 124, f"timed out after {timeout} s"
    out = (proc.stderr or "") + (proc.stdout or "")
    return proc.returncode, out


def _export_body(text: str) -> list[str]:
    """The requirement lines of a uv export, without its header comment."""
    lines = text.splitlines()
    while lines and (not lines[0].strip() or lines[0].startswith("#")):
        lines.pop(0)
    return lines


def stale_export(path: Path, root: Path, uv_argv: list[str]) -> str | None:
    """Why a file `uv export` wrote no longer matches uv.lock (None when it does): the command
    recorded in its header is run again, without -o, and the two bodies compared."""
    header = path.read_text(encoding="utf-8", errors="replace").splitlines()[:3]
    command = next((ln.lstrip("# ").strip() for ln in header if "uv export" in ln), None)
    if command is None:
        return None
    args = shlex.split(command)[2:]  # after `uv export`
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-o", "--output-file"):
            skip = True
        elif not arg.startswith(("-o=", "--output-file=")):
            kept.append(arg)
    if "--locked" not in kept and "--frozen" not in kept:
        kept.append("--frozen")
    try:
        proc = uvmk_proc.run(
            [*uv_argv, "export", *kept, "--quiet"], cwd=root, env=uvmk_proc.child_env(), timeout=600
        )
    except uvmk_proc.ProcessFailure as exc:
        return f"cannot re-run its uv export: {exc}"
    if proc.returncode != 0:
        return f"its uv export fails: {_first_error(proc.stderr)}"
    if _export_body(proc.stdout) != _export_body(
        path.read_text(encoding="utf-8", errors="replace")
    ):
        return "differs from what uv.lock exports now"
    return None


def _first_error(out: str) -> str:
    """The line that says what went wrong: a Python traceback's exception (its last line, not
    "Traceback (most recent call last):"), else the first error line, else the last line."""
    raw = out.splitlines()
    lines = [ln.strip() for ln in raw if ln.strip()]
    for ln in lines:
        if ln.startswith("Traceback"):
            return _cut(_exception_of(raw) or ln)
        if ln.startswith(("error:", "make: ***")) or "Error" in ln:
            return _cut(ln)
    return _cut(lines[-1] if lines else "no output")


def _exception_of(raw: list[str]) -> str | None:
    """The last unindented line after the last traceback: `ModuleNotFoundError: No module...`."""
    start = max(i for i, ln in enumerate(raw) if ln.lstrip().startswith("Traceback"))
    after = [ln.strip() for ln in raw[start + 1 :] if ln.strip() and not ln[:1].isspace()]
    return after[-1] if after else None


def _cut(line: str, width: int = 200) -> str:
    """At most `width` characters, cut at a space, never inside a word."""
    if len(line) <= width:
        return line
    return line[:width].rsplit(" ", 1)[0] + " …"


@dataclass
class _Verify:
    """One uv-verify run: what every check reads, and the checks so far."""

    root: Path
    uv: str
    uv_argv: list[str]
    uv_mk: Path | None
    keep_requirements: bool
    quick: bool = False  # no sync and no target run: uv lock --check, and make -n the targets
    timeout: int = TARGET_TIMEOUT
    has_uv: bool = False
    project: dict[str, Any] = field(default_factory=dict)  # pyproject's [project]
    required_uv: str | None = None  # [tool.uv] required-version
    # a uv workspace's root ([tool.uv.workspace]): sync every member, test each
    workspace: bool = False
    out: list[Check] = field(default_factory=list)
    walked: Tree | None = None

    @property
    def tree(self) -> Tree:
        """The repository walked once, when a check first asks."""
        if self.walked is None:
            self.walked = walk(self.root)
        return self.walked


def checks(
    root: Path,
    *,
    uv: str,
    uv_mk: Path | None,
    keep_requirements: bool,
    quick: bool = False,
    timeout: int = TARGET_TIMEOUT,
) -> list[Check]:
    v = _Verify(root, uv, uvmk_proc.uv_cmd(uv), uv_mk, keep_requirements, quick, timeout)
    for check in (
        _check_uv_present,
        _check_pyproject,
        _check_python_version,
        _check_lock,
        _check_not_ignored,
        _check_requirements_files,
        _check_readers,
        _check_stray_venvs,
        _check_dockerfiles,
        _check_sync,
        _check_make_targets,
        _run_make_targets,
        _check_console_scripts,
    ):
        check(v)
    return v.out


def _check_uv_present(v: _Verify) -> None:
    """`uv --version` answers (the later checks that need uv are skipped without it)."""
    code, text = _run([*v.uv_argv, "--version"], v.root)
    v.has_uv = code == 0
    v.out.append(
        Check(
            "uv present",
            v.has_uv,
            text.strip()
            if v.has_uv
            else f"`{v.uv} --version` failed: {_first_error(text)}"
            " (install: https://docs.astral.sh/uv/getting-started/installation/)",
        )
    )


def _check_pyproject(v: _Verify) -> None:
    """pyproject.toml parses and holds what uv reads; its [project] feeds later checks."""
    pyproject = v.root / "pyproject.toml"
    data: dict[str, Any] = {}
    if pyproject.is_file():
        try:
            text = read_text(pyproject, v.root)
            doc = parse_pyproject(text)
            check_types(doc, text)
            data = doc.unwrap()
        except SurveyError as exc:
            v.out.append(Check("pyproject.toml parses", False, str(exc)))
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    assert isinstance(project, dict)
    v.project = project
    tool = data.get("tool")
    uv = tool.get("uv") if isinstance(tool, dict) else None
    required = uv.get("required-version") if isinstance(uv, dict) else None
    v.required_uv = required if isinstance(required, str) else None
    v.workspace = isinstance(uv, dict) and isinstance(uv.get("workspace"), dict)


def _check_python_version(v: _Verify) -> None:
    """.python-version is a version uv reads, within requires-python, and found here."""
    requires = v.project.get("requires-python")
    pv = v.root / ".python-version"
    if not pv.is_file():
        v.out.append(Check(".python-version", False, "missing (uv python pin 3.X)"))
    else:
        content = pv.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        first = content[0].strip() if content else ""
        xy = major_minor(first)
        if not xy:
            v.out.append(Check(".python-version", False, f"unreadable version {first!r}"))
        elif not uv_reads_python_request(first):
            v.out.append(
                Check(
                    ".python-version",
                    False,
                    f"{first!r} is not a version uv understands (uv ignores it): write {xy}",
                )
            )
        elif requires and not allows(str(requires), xy):
            v.out.append(
                Check(".python-version", False, f"{first} is outside requires-python {requires}")
            )
        else:
            found = ""
            if v.has_uv:
                c, t = _run([*v.uv_argv, "python", "find", "--system", first], v.root)
                found = (
                    f"; found {t.strip().splitlines()[-1]}"
                    if c == 0 and t.strip()
                    else "; not installed here (uv python install " + first + ")"
                )
            within = f"within requires-python {requires}" if requires else "no requires-python"
            v.out.append(Check(".python-version", True, f"{first} ({within}{found})"))


def _check_lock(v: _Verify) -> None:
    """uv.lock exists and `uv lock --check` passes."""
    if not (v.root / "uv.lock").is_file():
        v.out.append(Check("uv.lock", False, "missing (make uv-lock)"))
    elif not v.has_uv:
        v.out.append(Check("uv.lock", False, "present; freshness unknown without uv"))
    else:
        c, t = _run([*v.uv_argv, "lock", "--check"], v.root)
        v.out.append(
            Check(
                "uv.lock",
                c == 0,
                "present and fresh (uv lock --check)"
                if c == 0
                else f"stale: {_first_error(t)} (make uv-lock)",
            )
        )


def _check_requirements_files(v: _Verify) -> None:
    """No legacy requirements file is left (kept by choice, git-ignored or a fresh uv export
    are fine)."""
    # a pip-compile requirements.in kept as a source is not a leftover requirements*.txt
    discovered = req.discover_requirement_files(v.tree)
    files = [f for f in discovered if f.suffix == ".txt"]
    # every file uv export wrote, named like a requirements file or read by a Dockerfile/CI
    generated = [f for f in discovered if is_uv_generated(f)]
    private = git_ignored(v.root, files)  # a developer's own file, left alone
    # Python code opens it as the hand-written list it is: uv-migrate keeps it as written
    found = uvmk_references.scan(v.tree) if files else None
    read = [
        f
        for f in files
        if found and uvmk_references.code_readers(found, f.relative_to(v.root).as_posix())
    ]
    legacy = [f for f in files if f not in generated and f not in private and f not in read]
    names = ", ".join(f.relative_to(v.root).as_posix() for f in legacy)
    stale = []
    if v.has_uv:
        for f in generated:
            why = stale_export(f, v.root, v.uv_argv)
            if why is not None:
                stale.append(f"{f.relative_to(v.root).as_posix()} {why}")
    if stale:
        v.out.append(
            Check(
                "no requirements*.txt",
                False,
                "stale export: " + "; ".join(stale) + " (make uv-export EXPORT_FILE=<it>)",
            )
        )
    elif not legacy:
        why = (
            "none"
            if not generated
            else (
                "only files generated by uv export: "
                + ", ".join(f.relative_to(v.root).as_posix() for f in generated)
            )
        )
        if read:
            kept = "kept as written, read by Python code: " + ", ".join(
                f.relative_to(v.root).as_posix() for f in read
            )
            why = kept if why == "none" else f"{why}; {kept}"
        v.out.append(Check("no requirements*.txt", True, why))
    elif v.keep_requirements:
        v.out.append(Check("no requirements*.txt", True, f"kept by choice: {names}"))
    else:
        v.out.append(
            Check(
                "no requirements*.txt",
                False,
                f"still present: {names} (make uv-migrate APPLY=1, or "
                "KEEP_REQUIREMENTS=1 if kept on purpose)",
            )
        )


def _check_readers(v: _Verify) -> None:
    """What reads the dependencies (CI, tox, the bots, pre-commit) reads what is there, with a
    uv the repo accepts (uvmk.verify_readers)."""
    from uvmk import verify_readers

    files = verify_readers.reader_files(v.tree)
    if not files:
        return
    found = verify_readers.problems(v.tree, v.required_uv, (v.root / "uv.lock").is_file())
    if found:
        v.out.append(Check("readers", False, "; ".join(found)))
    else:
        v.out.append(Check("readers", True, f"{len(files)} file(s): " + ", ".join(files[:6])))


def _check_not_ignored(v: _Verify) -> None:
    """What a fresh clone needs, hidden by .gitignore (only said when it is)."""
    needed = [v.root / n for n in ("pyproject.toml", "uv.lock", ".python-version")]
    hidden = git_ignored(v.root, [p for p in needed if p.is_file()])
    if hidden:
        names = " ".join(p.name for p in hidden)
        rules = " ".join(f"!{p.name}" for p in hidden)
        v.out.append(
            Check(
                "not git-ignored",
                False,
                f"{names} ignored by git: a fresh clone has none (add {rules} to .gitignore)",
            )
        )


def _check_stray_venvs(v: _Verify) -> None:
    """No venv folder but uv's project environment."""
    target = target_venv_name(v.root)
    stray = [
        p.relative_to(v.root).as_posix() + "/"
        for p, _link in find_venvs(v.tree)
        if p.relative_to(v.root).as_posix() != target
    ]
    v.out.append(
        Check(
            "no stray venvs",
            not stray,
            f"only {target}/" if not stray else "legacy venv folder(s): " + ", ".join(stray),
        )
    )


def _check_dockerfiles(v: _Verify) -> None:
    """Every Dockerfile installs where its command runs, with a pinned uv the repo accepts
    (uvmk.rewriters.readers.dockerfile.check); said only when the repo has one."""
    from uvmk.rewriters.readers.dockerfile import check as dockerfile_check

    files = [rel for rel in v.tree.files if uvmk_references.is_dockerfile(rel.rsplit("/", 1)[-1])]
    if not files:
        return
    required = _tool_uv(v.root).get("required-version")
    found = [
        p
        for rel in files
        for p in dockerfile_check.problems(
            rel, v.tree.text(rel), required if isinstance(required, str) else None
        )
    ]
    v.out.append(
        Check(
            "Dockerfiles",
            not found,
            "; ".join(found) if found else f"{len(files)} file(s): " + ", ".join(files[:6]),
        )
    )


def _tool_uv(root: Path) -> dict[str, Any]:
    """pyproject's [tool.uv] (empty when it has none or does not parse)."""
    try:
        data = parse_pyproject(read_text(root / "pyproject.toml", root)).unwrap()
    except (SurveyError, OSError):
        return {}
    uv = (data.get("tool") or {}).get("uv")
    return uv if isinstance(uv, dict) else {}


QUICK_SKIP = "not run under QUICK=1 (--quick: uv lock --check and make -n only)"


def _check_sync(v: _Verify) -> None:
    """`uv sync --locked` works (timed); under --quick it is not run: it installs everything
    (torch, on an ML repo), and quick means the lock and the targets only."""
    if v.quick:
        v.out.append(Check("uv sync --locked", False, QUICK_SKIP, skipped=True))
    elif v.has_uv and (v.root / "uv.lock").is_file():
        t0 = time.monotonic()
        every = ["--all-packages"] if v.workspace else []
        c, t = _run([*v.uv_argv, "sync", "--locked", *every], v.root, timeout=900)
        secs = time.monotonic() - t0
        members = ", every workspace member" if v.workspace else ""
        v.out.append(
            Check(
                "uv sync --locked",
                c == 0,
                f"works ({secs:.1f} s{members})" if c == 0 else _first_error(t),
            )
        )
    else:
        v.out.append(Check("uv sync --locked", False, "not run: needs uv and uv.lock"))


def _make_base(v: _Verify) -> tuple[list[str], str]:
    """The make command line that reaches the targets (the Makefile, else uv.mk), and its name."""
    makefile = find_makefile(v.root)
    if makefile is not None:
        return ["make", "--no-print-directory", "-f", makefile.name], makefile.name
    if v.uv_mk is not None and v.uv_mk.is_file():
        return ["make", "--no-print-directory", "-f", str(v.uv_mk)], f"-f {v.uv_mk}"
    return [], ""


def _check_make_targets(v: _Verify) -> None:
    """The daily make targets exist (`make -n`), through the Makefile or uv.mk."""
    base, via = _make_base(v)
    if not base:
        v.out.append(Check("make targets", False, "no Makefile and no uv.mk (pass --uv-mk)"))
    else:
        missing = []
        for target_name in DAILY_TARGETS:
            c, t = _run([*base, "-n", target_name], v.root, env=uvmk_proc.make_env(), timeout=60)
            if c != 0:
                missing.append(f"{target_name} ({_first_error(t)})")
        v.out.append(
            Check(
                "make targets",
                not missing,
                f"{' '.join(DAILY_TARGETS)} (make -n, via {via})"
                if not missing
                else "missing: " + "; ".join(missing),
            )
        )


def _run_timed(cmd: list[str], root: Path, timeout: int) -> tuple[int, str]:
    """Run a make target in its own process group, so a timeout kills the tests it started too."""
    code, out = uvmk_proc.run_in_session(cmd, cwd=root, env=uvmk_proc.make_env(), timeout=timeout)
    if code is None:
        return 124, out + f"\ntimed out after {timeout} s (VERIFY_TIMEOUT)"
    return code, out


def _tail(out: str, count: int = 6) -> str:
    """The last lines worth reading: make's own `***` line and blank lines left out."""
    keep = [
        ln.rstrip()
        for ln in out.splitlines()
        if ln.strip() and not re.match(r"make(\[\d+\])?: \*\*\*", ln.strip())
    ]
    return "\n".join(keep[-count:]) if keep else "no output"


def _missing_service(out: str) -> str | None:
    """The output line that says a service is unreachable (None when none does)."""
    found = next((ln.strip() for ln in out.splitlines() if _NO_SERVICE.search(ln)), None)
    return found[:200] if found else None


def _run_make_targets(v: _Verify) -> None:
    """The daily targets run for real (install, dev-install, tests, lint, format-check), each
    within v.timeout; skipped in quick mode, where `make -n` is the whole check."""
    base, _via = _make_base(v)
    if v.quick or not base:
        return
    gates = [c.name for c in v.out if c.name in ("uv sync --locked", "make targets") and not c.ok]
    if gates:  # a repo not migrated yet: its install could still pip-install into a venv
        v.out.append(
            Check("make targets run", False, f"not run: {' and '.join(gates)} failed first")
        )
        return
    locked = verify_needs.locked_packages(v.root) or set()
    # a workspace's test runs each member's tests in its folder; no member has a root test-unit
    targets = (
        [("test" if t == "test-unit" else t) for t in RUN_TARGETS] if v.workspace else RUN_TARGETS
    )
    for target in targets:
        missing = verify_needs.not_installed(verify_needs.modules_run(base, target, v.root), locked)
        if missing and target == "test-unit" and "pytest" in missing and _django_runner(v):
            _run_django_tests(v)
            continue
        if missing:
            v.out.append(
                Check(
                    f"make {target}",
                    False,
                    verify_needs.why_skipped(target, missing),
                    skipped=True,
                )
            )
            continue
        t0 = time.monotonic()
        code, out = _run_timed([*base, target], v.root, v.timeout)
        if target == "test-unit" and code != 0 and NO_UNIT_TESTS in out:
            target = "test"  # no unit/integration split: the whole suite is the unit check
            t0 = time.monotonic()
            code, out = _run_timed([*base, target], v.root, v.timeout)
        v.out.append(_ran(f"make {target}", code, out, time.monotonic() - t0))


def _ran(name: str, code: int, out: str, secs: float, how: str = "") -> Check:
    """A test run's verdict: it works, it needs a service this machine lacks (skipped, not
    failed), or it failed, with its last lines."""
    if code == 0:
        return Check(name, True, f"works ({secs:.1f} s{how})")
    if code != 124 and (why := _missing_service(out)):
        return Check(name, False, f"skipped: needs a service this machine lacks: {why}", True)
    return Check(name, False, f"exit {code} after {secs:.1f} s:\n{_tail(out)}")


def _django_runner(v: _Verify) -> bool:
    """Django's test runner is the repo's (a manage.py at the root, Django locked, no pytest)."""
    return (v.root / "manage.py").is_file() and "django" in (
        verify_needs.locked_packages(v.root) or set()
    )


def _run_django_tests(v: _Verify) -> None:
    """`manage.py test` through the project's environment: the tests the repo really runs."""
    cmd = [
        *v.uv_argv,
        "run",
        "--locked",
        "--all-extras",
        "--all-groups",
        "python",
        "manage.py",
        "test",
    ]
    t0 = time.monotonic()
    code, out = _run_timed(cmd, v.root, v.timeout)
    secs = time.monotonic() - t0
    v.out.append(_ran("manage.py test", code, out, secs, "; Django's runner, no pytest"))


def _check_console_scripts(v: _Verify) -> None:
    """Each console script answers `--help` through `uv run --locked` (which syncs first: not
    under --quick)."""
    scripts = v.project.get("scripts") if isinstance(v.project.get("scripts"), dict) else {}
    assert isinstance(scripts, dict)
    for name in scripts:
        if v.quick or not v.has_uv:
            why = QUICK_SKIP if v.quick else "not run: needs uv"
            v.out.append(Check(f"{name} --help", False, why, skipped=v.quick))
            continue
        c, t = _run([*v.uv_argv, "run", "--locked", name, "--help"], v.root, timeout=300)
        first = next((ln for ln in t.splitlines() if re.search(r"\w", ln)), "")
        v.out.append(
            Check(
                f"{name} --help",
                c == 0,
                f"answers (uv run --locked {name} --help)"
                if c == 0
                else f"exit {c}: {_first_error(t) or first}",
            )
        )


def passed(results: list[Check]) -> bool:
    """Every check passed (or could not run here)."""
    return all(c.ok or c.skipped for c in results)
