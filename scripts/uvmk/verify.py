"""uv-verify: the review's post-migration checklist, each check ✓/✗ with its reason."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from uvmk import survey as uvmk_survey
from uvmk.plan import child_env
from uvmk.report import Style, use_colour
from uvmk.requirements import planner as req

MAKE_TARGETS = ("install", "dev-install", "test", "lint", "format", "uv-lock")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    reason: str


def _run(
    cmd: list[str], root: Path, env: dict[str, str] | None = None, timeout: int = 600
) -> tuple[int, str]:
    try:
        proc = subprocess.run(
            cmd,
            cwd=root,
            env=env or child_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        return 127, f"{cmd[0]}: not found"
    except subprocess.TimeoutExpired:
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
        proc = subprocess.run(
            [*uv_argv, "export", *kept, "--quiet"],
            cwd=root,
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"cannot re-run its uv export: {exc}"
    if proc.returncode != 0:
        return f"its uv export fails: {_first_error(proc.stderr)}"
    if _export_body(proc.stdout) != _export_body(
        path.read_text(encoding="utf-8", errors="replace")
    ):
        return "differs from what uv.lock exports now"
    return None


def _first_error(out: str) -> str:
    lines = [ln.strip() for ln in out.splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith(("error:", "make: ***", "Traceback")) or "Error" in ln:
            return ln[:200]
    return (lines[-1] if lines else "no output")[:200]


def _make_env() -> dict[str, str]:
    env = child_env()
    for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
        env.pop(var, None)
    return env


def checks(root: Path, *, uv: str, uv_mk: Path | None, keep_requirements: bool) -> list[Check]:
    uv_argv = shlex.split(uv) or ["uv"]
    out: list[Check] = []

    # 1. uv present
    code, text = _run([*uv_argv, "--version"], root)
    has_uv = code == 0
    out.append(
        Check(
            "uv present",
            has_uv,
            text.strip()
            if has_uv
            else f"`{uv} --version` failed: {_first_error(text)}"
            " (install: https://docs.astral.sh/uv/getting-started/installation/)",
        )
    )

    # pyproject
    pyproject = root / "pyproject.toml"
    data: dict[str, Any] = {}
    if pyproject.is_file():
        try:
            text = uvmk_survey.read_text(pyproject, root)
            doc = uvmk_survey.parse_pyproject(text)
            uvmk_survey.check_types(doc, text)
            data = doc.unwrap()
        except uvmk_survey.SurveyError as exc:
            out.append(Check("pyproject.toml parses", False, str(exc)))
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    assert isinstance(project, dict)
    requires = project.get("requires-python")

    # 2. .python-version
    pv = root / ".python-version"
    if not pv.is_file():
        out.append(Check(".python-version", False, "missing (uv python pin 3.X)"))
    else:
        content = pv.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        first = content[0].strip() if content else ""
        xy = uvmk_survey._xy(first)
        if not xy:
            out.append(Check(".python-version", False, f"unreadable version {first!r}"))
        elif not uvmk_survey.uv_reads_python_request(first):
            out.append(
                Check(
                    ".python-version",
                    False,
                    f"{first!r} is not a version uv understands (uv ignores it): write {xy}",
                )
            )
        elif requires and not uvmk_survey.allows(str(requires), xy):
            out.append(
                Check(".python-version", False, f"{first} is outside requires-python {requires}")
            )
        else:
            found = ""
            if has_uv:
                c, t = _run([*uv_argv, "python", "find", "--system", first], root)
                found = (
                    f"; found {t.strip().splitlines()[-1]}"
                    if c == 0 and t.strip()
                    else "; not installed here (uv python install " + first + ")"
                )
            within = f"within requires-python {requires}" if requires else "no requires-python"
            out.append(Check(".python-version", True, f"{first} ({within}{found})"))

    # 3. uv.lock fresh
    if not (root / "uv.lock").is_file():
        out.append(Check("uv.lock", False, "missing (make uv-lock)"))
    elif not has_uv:
        out.append(Check("uv.lock", False, "present; freshness unknown without uv"))
    else:
        c, t = _run([*uv_argv, "lock", "--check"], root)
        out.append(
            Check(
                "uv.lock",
                c == 0,
                "present and fresh (uv lock --check)"
                if c == 0
                else f"stale: {_first_error(t)} (make uv-lock)",
            )
        )

    # what a fresh clone needs, hidden by .gitignore (only said when it is)
    needed = [root / n for n in ("pyproject.toml", "uv.lock", ".python-version")]
    hidden = uvmk_survey.git_ignored(root, [p for p in needed if p.is_file()])
    if hidden:
        names = " ".join(p.name for p in hidden)
        rules = " ".join(f"!{p.name}" for p in hidden)
        out.append(
            Check(
                "not git-ignored",
                False,
                f"{names} ignored by git: a fresh clone has none (add {rules} to .gitignore)",
            )
        )

    # 4. requirements files
    # a pip-compile requirements.in kept as a source is not a leftover requirements*.txt
    discovered = req.discover_requirement_files(root)
    files = [f for f in discovered if f.suffix == ".txt"]
    # every file uv export wrote, named like a requirements file or read by a Dockerfile/CI
    generated = [f for f in discovered if uvmk_survey.is_uv_generated(f)]
    private = uvmk_survey.git_ignored(root, files)  # a developer's own file, left alone
    legacy = [f for f in files if f not in generated and f not in private]
    names = ", ".join(f.relative_to(root).as_posix() for f in legacy)
    stale = []
    if has_uv:
        for f in generated:
            why = stale_export(f, root, uv_argv)
            if why is not None:
                stale.append(f"{f.relative_to(root).as_posix()} {why}")
    if stale:
        out.append(
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
                + ", ".join(f.relative_to(root).as_posix() for f in generated)
            )
        )
        out.append(Check("no requirements*.txt", True, why))
    elif keep_requirements:
        out.append(Check("no requirements*.txt", True, f"kept by choice: {names}"))
    else:
        out.append(
            Check(
                "no requirements*.txt",
                False,
                f"still present: {names} (make uv-migrate APPLY=1, or "
                "KEEP_REQUIREMENTS=1 if kept on purpose)",
            )
        )

    # 5. stray venvs
    target = uvmk_survey.target_venv_name(root)
    stray = [
        p.relative_to(root).as_posix() + "/"
        for p, _link in uvmk_survey.find_venvs(root)
        if p.relative_to(root).as_posix() != target
    ]
    out.append(
        Check(
            "no stray venvs",
            not stray,
            f"only {target}/" if not stray else "legacy venv folder(s): " + ", ".join(stray),
        )
    )

    # 6. uv sync --locked
    if has_uv and (root / "uv.lock").is_file():
        t0 = time.monotonic()
        c, t = _run([*uv_argv, "sync", "--locked"], root, timeout=900)
        secs = time.monotonic() - t0
        out.append(
            Check(
                "uv sync --locked", c == 0, f"works ({secs:.1f} s)" if c == 0 else _first_error(t)
            )
        )
    else:
        out.append(Check("uv sync --locked", False, "not run: needs uv and uv.lock"))

    # 7. make targets
    makefile = uvmk_survey.find_makefile(root)
    if makefile is not None:
        base = ["make", "--no-print-directory", "-f", makefile.name]
        via = makefile.name
    elif uv_mk is not None and uv_mk.is_file():
        base = ["make", "--no-print-directory", "-f", str(uv_mk)]
        via = f"-f {uv_mk}"
    else:
        base = []
        via = ""
    if not base:
        out.append(Check("make targets", False, "no Makefile and no uv.mk (pass --uv-mk)"))
    else:
        missing = []
        for target_name in MAKE_TARGETS:
            c, t = _run([*base, "-n", target_name], root, env=_make_env(), timeout=60)
            if c != 0:
                missing.append(f"{target_name} ({_first_error(t)})")
        out.append(
            Check(
                "make targets",
                not missing,
                f"{' '.join(MAKE_TARGETS)} (make -n, via {via})"
                if not missing
                else "missing: " + "; ".join(missing),
            )
        )

    # 8. console scripts
    scripts = project.get("scripts") if isinstance(project.get("scripts"), dict) else {}
    assert isinstance(scripts, dict)
    for name in scripts:
        if not has_uv:
            out.append(Check(f"{name} --help", False, "not run: needs uv"))
            continue
        c, t = _run([*uv_argv, "run", "--locked", name, "--help"], root, timeout=300)
        first = next((ln for ln in t.splitlines() if re.search(r"\w", ln)), "")
        out.append(
            Check(
                f"{name} --help",
                c == 0,
                f"answers (uv run --locked {name} --help)"
                if c == 0
                else f"exit {c}: {_first_error(t) or first}",
            )
        )
    return out


def render(root: Path, results: list[Check], st: Style) -> str:
    lines = [st.bold(f"uv-verify: {root}")]
    width = max(len(c.name) for c in results)
    for c in results:
        mark = st.green("✓") if c.ok else st.red("✗")
        lines.append(f"  {mark} {c.name.ljust(width)}  {c.reason}")
    bad = sum(1 for c in results if not c.ok)
    total = len(results)
    lines.append("")
    lines.append(
        st.green(f"{total}/{total} checks passed")
        if not bad
        else st.red(f"{bad} of {total} checks failed")
    )
    return "\n".join(lines) + "\n"


def run(root: Path, *, uv: str, uv_mk: Path | None, keep_requirements: bool) -> int:
    try:
        results = checks(root, uv=uv, uv_mk=uv_mk, keep_requirements=keep_requirements)
    except req.RequirementsError as exc:
        print(f"uv.mk: error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render(root, results, Style(use_colour(sys.stdout))))
    return 0 if all(c.ok for c in results) else 1
