"""The MigrationPlan: every file uv-migrate creates, changes or deletes, every requirement and
where it goes, the Python version and the lock seeds. Built once from a Survey; the preview,
the JSON output and the apply step all read this one object, so what is shown is what is done.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import tomlkit
from packaging.utils import canonicalize_name

from uvmk import makefile as uvmk_makefile
from uvmk import survey as uvmk_survey
from uvmk.requirements import planner as req
from uvmk.setup_py.legacy import file_actions, tool_only_setup_cfg
from uvmk.survey import Survey

Action = Literal["create", "modify", "delete", "delete-dir", "export", "keep"]


@dataclass(frozen=True)
class Options:
    keep_requirements: bool = False
    export_requirements: bool = False
    override_pins: bool = False
    uv_mk: Path | None = None
    python: str | None = None
    uv: str = "uv"


@dataclass(frozen=True)
class Change:
    path: str  # posix, relative to the root
    action: Action
    reason: str
    details: tuple[str, ...] = ()
    size: int | None = None  # delete-dir: bytes freed

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "action": self.action,
            "reason": self.reason,
            "details": list(self.details),
            "size": self.size,
        }


@dataclass(frozen=True)
class Route:
    """One requirement line and where it goes."""

    requirement: str
    source: str  # file:line
    destination: str  # a pyproject table, or "not written"
    status: str  # added | kept pyproject's | reported | ...

    def to_json(self) -> dict[str, Any]:
        return {
            "requirement": self.requirement,
            "source": self.source,
            "destination": self.destination,
            "status": self.status,
        }


@dataclass(frozen=True)
class PythonChoice:
    version: str | None  # "3.11" — what .python-version will contain
    source: str  # why: "Makefile:6 (python3.13)" / ".python-version" ...
    write: bool  # .python-version is created/changed
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "source": self.source,
            "write": self.write,
            "notes": list(self.notes),
        }


@dataclass
class MigrationPlan:
    root: Path
    options: Options
    changes: list[Change]
    routes: list[Route]
    python: PythonChoice
    seed_pins: dict[str, str]
    notes: list[str]
    # what apply writes, by relative path (never shown raw; summarised in `changes`)
    contents: dict[str, bytes] = field(default_factory=dict)
    seeded_pyproject: str | None = None
    exports: dict[str, list[str]] = field(default_factory=dict)  # file -> uv export arguments
    copies: dict[str, Path] = field(default_factory=dict)  # vendored file -> source
    makefile: uvmk_makefile.MakefileRewrite | None = None

    @property
    def actions(self) -> list[Change]:
        return [c for c in self.changes if c.action != "keep"]

    @property
    def empty(self) -> bool:
        return not self.actions

    def to_json(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "nothing_to_do": self.empty,
            "changes": [c.to_json() for c in self.changes],
            "requirements": [r.to_json() for r in self.routes],
            "python": self.python.to_json(),
            "seed_pins": dict(sorted(self.seed_pins.items())),
            "notes": list(self.notes),
            "options": {
                "keep_requirements": self.options.keep_requirements,
                "export_requirements": self.options.export_requirements,
                "override_pins": self.options.override_pins,
            },
        }


# ----------------------------------------------------------------------------- Python


def choose_python(
    s: Survey, probe: list[str] | Callable[[], list[str]], forced: str | None = None
) -> PythonChoice:
    """Strongest evidence that requires-python allows; when that version is not installed (and
    none was forced), the highest installed version requires-python allows, said out loud.
    `probe` lists the installed versions (a callable is only called when needed: it is slow
    on machines with many pyenv shims)."""
    cache: list[list[str]] = []

    def installed_list() -> list[str]:
        if not cache:
            cache.append(probe() if callable(probe) else list(probe))
        return cache[0]

    notes: list[str] = []
    requires = s.requires_python
    current = uvmk_survey._xy(s.python_version_file or "")
    if forced:
        xy = uvmk_survey._xy(forced) or forced
        if requires and not uvmk_survey.allows(requires, xy):
            notes.append(f"--python {forced} is outside requires-python {requires}")
        return PythonChoice(
            xy, f"--python {forced}", current != xy or s.python_version_file != xy, tuple(notes)
        )
    if current and (not requires or uvmk_survey.allows(requires, current)):
        # the slow probe is not worth it here: uv-verify checks that the version is found
        if not callable(probe) and not _is_installed(current, installed_list()):
            notes.append(
                f"Python {current} (.python-version) is not installed here: "
                f"uv python install {current}"
            )
        written = uvmk_survey.first_line(s.python_version_file or "")
        if not uvmk_survey.uv_reads_python_request(written):
            # a pyenv-virtualenv name ('weatherbot-3.11'): uv ignores the whole file
            notes.append(
                f".python-version says {written!r}, which uv does not understand (a "
                f"pyenv-virtualenv name?): rewritten as {current}"
            )
            return PythonChoice(current, f".python-version ({written})", True, tuple(notes))
        return PythonChoice(current, ".python-version", False, tuple(notes))
    if current:
        notes.append(
            f".python-version says {current}, outside requires-python {requires}: replaced"
        )
    wanted: uvmk_survey.PythonEvidence | None = None
    for ev in sorted(s.evidence, key=lambda e: -e.strength):
        if ev.source == ".python-version":
            continue
        if requires and not uvmk_survey.allows(requires, ev.version):
            notes.append(
                f"{ev.source} ({ev.where}) says {ev.version}: outside requires-python "
                f"{requires}, ignored"
            )
            continue
        wanted = ev
        break
    installed = installed_list()
    if wanted is not None and _is_installed(wanted.version, installed):
        return PythonChoice(wanted.version, f"{wanted.where} ({wanted.source})", True, tuple(notes))
    fallback = next(
        (v for v in installed if not requires or uvmk_survey.allows(requires, _xy_of(v))), None
    )
    if wanted is not None:
        downloads = os.environ.get("UV_PYTHON_DOWNLOADS", "automatic")
        if fallback is not None:
            notes.append(
                f"Python {wanted.version} ({wanted.where}) is not installed here "
                f"(UV_PYTHON_DOWNLOADS={downloads}): chose {_xy_of(fallback)}, the "
                f"highest installed version requires-python allows; to use "
                f"{wanted.version}: uv python install {wanted.version} && "
                f"uv python pin {wanted.version}"
            )
            return PythonChoice(
                _xy_of(fallback),
                f"installed {fallback} (fallback for {wanted.where})",
                True,
                tuple(notes),
            )
        notes.append(
            f"Python {wanted.version} ({wanted.where}) is not installed here and no "
            f"installed Python fits requires-python: uv python install {wanted.version}"
        )
        return PythonChoice(wanted.version, f"{wanted.where} ({wanted.source})", True, tuple(notes))
    if fallback is not None:
        notes.append(
            "no Python version evidence: chose the highest installed version requires-python allows"
        )
        return PythonChoice(_xy_of(fallback), f"installed {fallback}", True, tuple(notes))
    notes.append("no Python version evidence and no installed Python: .python-version not written")
    return PythonChoice(None, "none", False, tuple(notes))


def _xy_of(version: str) -> str:
    parts = version.split(".")
    return ".".join(parts[:2])


def _is_installed(xy: str, installed: list[str]) -> bool:
    return any(_xy_of(v) == xy for v in installed)


# ----------------------------------------------------------------------------- helpers


def uv_cmd(options: Options) -> list[str]:
    return shlex.split(options.uv) or ["uv"]


def child_env() -> dict[str, str]:
    """The environment for uv children: an ambient UV_FROZEN makes `uv lock` do nothing and
    UV_LOCKED makes it fail; a foreign VIRTUAL_ENV only adds a warning."""
    env = dict(os.environ)
    for var in ("UV_FROZEN", "UV_LOCKED", "VIRTUAL_ENV"):
        env.pop(var, None)
    return env


def lock_is_fresh(root: Path, options: Options) -> bool:
    try:
        proc = subprocess.run(
            [*uv_cmd(options), "lock", "--check"],
            cwd=root,
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def _gitignore_has(text: str, venv: str) -> bool:
    want = venv.strip("/")
    for line in text.splitlines():
        pat = line.strip()
        if not pat or pat.startswith(("#", "!")):
            continue
        pat = pat.strip("/")
        if pat.endswith("/*"):
            pat = pat[:-2]
        if pat in (want, f"{want}*", "*venv*", ".venv*") or pat == f"**/{want}":
            return True
    return False


UV_QUICKSTART = """# Install uv (if not already installed)
curl -LsSf https://astral.sh/uv/install.sh | sh

# Install dependencies (creates .venv automatically)
uv sync --all-extras

# Optional: activate the venv
source .venv/bin/activate
"""
# The same steps for a Windows block (```bat / ```cmd / ```powershell / ```ps1): comment prefix,
# then the lines.
_WINDOWS_STEPS = (
    (
        "Install uv (if not already installed)",
        'powershell -ExecutionPolicy ByPass -c "irm https://astral.sh/uv/install.ps1 | iex"',
    ),
    ("Install dependencies (creates .venv automatically)", "uv sync --all-extras"),
    ("Optional: activate the venv", r".venv\Scripts\activate"),
)
_WINDOWS_FENCES = {
    "bat": "REM",
    "batch": "REM",
    "cmd": "REM",
    "dos": "REM",
    "doscon": "REM",
    "powershell": "#",
    "ps1": "#",
    "ps": "#",
    "pwsh": "#",
}

_SECTION = re.compile(r"^(#{1,6})\s+(.*)$")
_SETUP_WORDS = re.compile(r"install|set ?up|quick ?start|getting started", re.I)
_PIPISH = re.compile(r"pip3?\s+install|-m\s+venv|virtualenv|-m\s+pip\b")
# a line of a setup block that the uv quick start replaces: pip, venv creation, activation
_ENV_STEP = re.compile(
    r"(?<![\w-])pip3?(?:\.\d+)?\s+install\b|-m\s+pip\b|-m\s+venv\b|(?<![\w-])virtualenv\b"
    r"|(?:^|\s)(?:source|\.)\s+\S*/activate\b|[/\\](?:bin|Scripts)[/\\]activate(?:\.bat|\.ps1)?\b"
    r"|[/\\](?:bin|Scripts)[/\\]pip3?\b",
    re.I,
)
_COMMENT = re.compile(r"^(?:#|REM\b|::|//)", re.I)


def _quickstart_lines(fence_info: str) -> list[str]:
    lang = fence_info.strip().lower().split()[0] if fence_info.strip() else ""
    prefix = _WINDOWS_FENCES.get(lang)
    if prefix is None:
        return UV_QUICKSTART.splitlines()
    out: list[str] = []
    for comment, command in _WINDOWS_STEPS:
        if out:
            out.append("")
        out += [f"{prefix} {comment}", command]
    return out


def _replace_env_steps(
    body: list[str], quick: list[str], indent: str
) -> tuple[list[str], list[str], list[str]]:
    """(new body lines, the lines dropped): the pip/venv/activate lines (and the comments and
    blank lines that only go with them) make way for the quick start, at the first of them;
    every other line stays where it was."""
    code = [ln.rstrip("\r\n") for ln in body]
    stripped = [ln[len(indent) :] if ln.startswith(indent) else ln.lstrip() for ln in code]
    cmd = [re.sub(r"^(?:\$|>|PS>|C:\\>)\s+", "", t.strip()) for t in stripped]
    drop = [bool(c) and not _COMMENT.match(c) and bool(_ENV_STEP.search(c)) for c in cmd]
    # a comment goes with the commands right after it when they are all dropped
    for i in range(len(cmd) - 1, -1, -1):
        if cmd[i] and _COMMENT.match(cmd[i]):
            j = i + 1
            while j < len(cmd) and cmd[j] and _COMMENT.match(cmd[j]):
                j += 1
            drop[i] = j < len(cmd) and bool(cmd[j]) and drop[j]
    # a blank line between dropped lines (or at an edge) goes too
    for i, c in enumerate(cmd):
        if c:
            continue
        before = next((drop[k] for k in range(i - 1, -1, -1) if cmd[k]), True)
        after = next((drop[k] for k in range(i + 1, len(cmd)) if cmd[k]), True)
        drop[i] = before and after
    prompt = (
        "$ "
        if any(t.strip().startswith("$ ") for t, d in zip(stripped, drop, strict=True) if d)
        else ""
    )
    inserted = [
        (indent + (prompt if q and not _COMMENT.match(q) else "") + q) if q else ""
        for q in quick
        if q or not indent  # an indented block: no blank lines inside
    ]
    new: list[str] = []
    for i, line in enumerate(code):
        if drop[i]:
            if inserted:
                new += inserted
                inserted = []
            continue
        new.append(line)
    dropped = [code[i].strip() for i in range(len(code)) if drop[i] and cmd[i]]
    kept = [code[i].strip() for i in range(len(code)) if not drop[i] and cmd[i]]
    return new, dropped, kept


def readme_quickstart(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    """(new text, what changed, the lines replaced and kept) or None when there is nothing to
    do. Only the pip/venv lines of a setup block are replaced; its other lines stay."""
    if re.search(r"\buv sync\b", text):
        return None
    lines = text.splitlines(keepends=True)
    nl = "\r\n" if "\r\n" in text else "\n"
    in_fence = False
    sect_start = sect_level = None
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = _SECTION.match(line.rstrip("\r\n"))
        if m and _SETUP_WORDS.search(m.group(2)):
            sect_start, sect_level = i, len(m.group(1))
            break
    if sect_start is None or sect_level is None:
        return None
    heading = lines[sect_start].strip()
    end = len(lines)
    in_fence = False
    for i in range(sect_start + 1, len(lines)):
        if lines[i].lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        m = _SECTION.match(lines[i].rstrip("\r\n"))
        if not in_fence and m and len(m.group(1)) <= sect_level:
            end = i
            break

    def replaced(first: int, last: int, info: str, indent: str) -> tuple[str, str, tuple[str, ...]]:
        """lines[first:last] is a block body: its pip/venv lines become the quick start."""
        quick = _quickstart_lines(info)
        body, dropped, kept = _replace_env_steps(lines[first:last], quick, indent)
        new = "".join(lines[:first]) + "".join(b + nl for b in body) + "".join(lines[last:])
        what = f"replace the pip commands under `{heading}` by the uv quick start"
        if (info.lower().split() or [""])[0] in _WINDOWS_FENCES:
            what += f" (Windows commands: a {info} block)"
        details = tuple(f"replaced: {d}" for d in dropped) + tuple(f"kept: {k}" for k in kept)
        return new, what, details

    # the first code block in the section (fenced or indented) that installs with pip
    i = sect_start + 1
    prev_blank = True
    while i < end:
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            info = stripped.rstrip("\r\n")[3:].strip("`~ ")
            j = i + 1
            while j < end and not lines[j].lstrip().startswith(fence):
                j += 1
            body = "".join(lines[i + 1 : j])
            if _PIPISH.search(body) and j < end:
                indent = line[: len(line) - len(stripped)]
                return replaced(i + 1, j, info, indent)
            i = j + 1
            prev_blank = False
            continue
        indent_m = re.match(r"^( {4,}|\t)\S", line)
        if indent_m and prev_blank:
            indent = indent_m.group(1)
            j = i
            while j < end and (
                lines[j].startswith(indent)
                or (not lines[j].strip() and j + 1 < end and lines[j + 1].startswith(indent))
            ):
                j += 1
            if _PIPISH.search("".join(lines[i:j])):
                return replaced(i, j, "", indent)
            i = j
            continue
        prev_blank = not line.strip()
        i += 1
    block = f"```bash{nl}{UV_QUICKSTART.replace(chr(10), nl)}```{nl}{nl}"
    new = "".join(lines[: sect_start + 1]) + nl + block + "".join(lines[sect_start + 1 :])
    return new, f"add the uv quick start under `{heading}`", ()


def default_uv_mk() -> Path:
    return Path(__file__).resolve().parent.parent / "uv.mk"


def _new_pyproject(s: Survey, python: PythonChoice) -> tomlkit.TOMLDocument:
    if s.setup_project is not None:  # setup.cfg's own metadata, never a made-up name
        made = tomlkit.parse(s.setup_project)
        lowest = lowest_evidenced(s)  # evidence only: a library may support older Pythons
        if s.setup_py is not None and "requires-python" not in made["project"] and lowest:
            made["project"].add("requires-python", f">={lowest.version}")
        return made
    doc = tomlkit.document()
    project = tomlkit.table()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", s.root.name).strip("-._") or "project"
    project.add("name", name)
    project.add("version", "0.1.0")
    lowest = lowest_evidenced(s)
    floor = lowest.version if lowest is not None else python.version
    if floor:
        project.add("requires-python", f">={floor}")
    project.add("dependencies", tomlkit.array())
    doc.add("project", project)
    return doc


def _add_missing(dst: Any, src: Any, keys: tuple[str, ...] | None = None) -> None:
    """The tables of `src` that `dst` lacks, at any depth ([tool.setuptools.dynamic] into a
    pyproject that has [tool.setuptools] already); what `dst` has wins."""
    for key in keys if keys is not None else tuple(src):
        if key not in src:
            continue
        if key not in dst:
            dst.add(key, src[key])
        elif isinstance(dst[key], dict) and isinstance(src[key], dict):
            _add_missing(dst[key], src[key])


def lowest_evidenced(s: Survey) -> uvmk_survey.PythonEvidence | None:
    """The oldest Python the repo says it runs on (production's Dockerfile, runtime.txt, a CI
    or tox matrix...): a new requires-python starts there, whatever is installed here."""
    found = [e for e in s.evidence if e.source != "requires-python"]
    return min(found, key=lambda e: tuple(int(p) for p in e.version.split(".")), default=None)


def _requires_python_note(s: Survey, python: PythonChoice) -> str | None:
    lowest = lowest_evidenced(s)
    if lowest is None or lowest.version == python.version:
        return None
    return (
        f"requires-python >={lowest.version} from {lowest.where} ({lowest.source}), the oldest "
        f"Python the repo runs on; .python-version {python.version or '(none)'} is the "
        f"development version"
    )


_REF_FILES = (
    "Dockerfile*",
    "*.Dockerfile",
    "docker-compose*.y*ml",
    "compose*.y*ml",
    "tox.ini",
    "noxfile.py",
    "setup.py",
    "setup.cfg",
    "MANIFEST.in",
    "Procfile",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    "*.sh",
    ".github/workflows/*.y*ml",
    "GNUmakefile",
    "makefile",
    "Makefile",
)


def requirement_references(
    root: Path,
    rel: str,
    final_texts: dict[str, str],
    kept_lines: dict[str, frozenset[int]] | None = None,
) -> list[str]:
    """file:line of the lines outside requirements files that name `rel` (a requirements file
    about to be deleted). `final_texts` are files as the plan will leave them; a file in
    `kept_lines` (the rewritten Makefile) is read as it is today, counting only the lines the
    rewrite keeps, so the line numbers are the ones the user sees in the file now."""
    kept_lines = kept_lines or {}
    name = Path(rel).name
    # a name on its own, or glued to pip's -r/-c (`deps = -rrequirements-dev.txt` in tox.ini)
    start = r"(?:(?<![\w.-])|(?<![\w-])-[rc])"
    pattern = re.compile(
        start
        + re.escape(rel)
        + r"(?![\w.-])"
        + (
            r"|" + start + re.escape(name) + r"(?![\w.-])"
            if "requirements" in name or "constraints" in name
            else ""
        )
    )
    seen: set[Path] = set()
    refs: list[str] = []
    for glob in _REF_FILES:
        for path in sorted(root.glob(glob)):
            if path in seen or not path.is_file():
                continue
            seen.add(path)
            frel = path.relative_to(root).as_posix()
            text = None if frel in kept_lines else final_texts.get(frel)
            if text is None:
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
            for n, line in enumerate(text.splitlines(), 1):
                if frel in kept_lines and n not in kept_lines[frel]:
                    continue  # a line the rewrite removes
                if pattern.search(line) and not line.lstrip().startswith("#"):
                    refs.append(f"{frel}:{n}")
    return refs


def _may_add_project(s: Survey, doc: Any) -> bool:
    """Not when another tool owns the metadata (poetry: the survey refuses). A setup.cfg project
    gets the [project] made from its metadata (the survey refuses one it cannot read)."""
    tool = doc.get("tool") or {}
    if "poetry" in tool:
        return False
    if tool_only_setup_cfg(s.root):
        return True
    if (s.root / "setup.py").exists() or (s.root / "setup.cfg").exists():
        return s.setup_project is not None
    return True


def _seeded(final_text: str, seeds: dict[str, str]) -> str:
    doc = tomlkit.parse(final_text)
    tool = doc.get("tool")
    if tool is None:
        tool = tomlkit.table(is_super_table=True)
        doc.add("tool", tool)
    uv = tool.get("uv")
    if uv is None:
        uv = tomlkit.table()
        tool.add("uv", uv)
    existing = uv.get("constraint-dependencies")
    taken = set()
    if existing is not None:
        for item in existing:
            m = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", str(item))
            if m:
                taken.add(canonicalize_name(m.group(1)))
    else:
        existing = tomlkit.array()
        uv.add("constraint-dependencies", existing)
    for name, version in sorted(seeds.items()):
        if canonicalize_name(name) not in taken:
            existing.append(f"{name}=={version}")
    return tomlkit.dumps(doc)


# ----------------------------------------------------------------------------- routes


# notes that only repeat an addition's row; any other note at an added line is shown too
_SAID_BY_ADDITION = frozenset({"added", "constraint-added"})


def routes_of(dep: req.DependencyPlan) -> list[Route]:
    rows: list[Route] = []
    added_at = set()
    for a in dep.additions:
        rows.append(Route(a.requirement, str(a.where), a.table, "added"))
        added_at.add(str(a.where))
    for d in dep.drift:
        if d.requirements_where is None or str(d.requirements_where) in added_at:
            continue
        status = {
            "consistent": "already in pyproject (kept)",
            "pin-outside-range": "DRIFT: pin outside pyproject's range, not written",
            "extras-differ": "extras differ: reported, not written",
            "marker-differs": "marker differs: reported",
            "only-requirements": "only in requirements",
            "only-pyproject": "only in pyproject",
        }.get(d.kind, d.kind)
        dest = f"pyproject keeps {d.pyproject}" if d.pyproject else "not written"
        rows.append(Route(d.requirements or d.name, str(d.requirements_where), dest, status))
    drift_at = {(str(d.requirements_where), d.kind) for d in dep.drift}
    for n in dep.notes:
        if n.where is None or (str(n.where), n.code) in drift_at:
            continue
        if n.code in _SAID_BY_ADDITION and str(n.where) in added_at:
            continue  # "X added to [table]": the addition's own row says it
        rows.append(Route(n.message, str(n.where), "reported", n.code))
    rows.sort(key=lambda r: _where_key(r.source))
    return rows


def _where_key(where: str) -> tuple[str, int]:
    path, _, line = where.rpartition(":")
    return (path, int(line)) if line.isdigit() else (where, 0)


def _refresh_exports(
    regenerated: dict[str, list[str]],
    s: Survey,
    mk_rewrite: uvmk_makefile.MakefileRewrite | None,
    contents: dict[str, bytes],
    changes: list[Change],
    notes: list[str],
) -> uvmk_makefile.MakefileRewrite | None:
    """How a regenerated requirements file stays in step with uv.lock: one file becomes what
    `make uv-export` writes (EXPORT_FILE/EXPORT_FLAGS set in the rewritten Makefile); with
    several, each one's command is in the notes."""
    (path, args), *more = regenerated.items()
    flags = " ".join(args)
    default = path == "requirements.txt" and flags == "--no-default-groups"
    if not more and mk_rewrite is not None and mk_rewrite.include_line and s.makefile is not None:
        knobs = {"EXPORT_FILE": path}
        if flags != "--no-default-groups":
            knobs["EXPORT_FLAGS"] = flags
        rel = s.rel(s.makefile)
        redone = uvmk_makefile.rewrite(
            uvmk_survey.read_text(s.makefile, s.root),
            include_path=mk_rewrite.include_line.removeprefix("include "),
            venv_dirs={v.path for v in s.venvs},
            target_venv=s.target_venv,
            tests_dir=(s.makefile.parent / "tests").is_dir(),
            extra_knobs={} if default else knobs,
        )
        contents[rel] = redone.text.encode("utf-8")
        for i, c in enumerate(changes):
            if c.path == rel and c.action == "modify":
                changes[i] = Change(c.path, c.action, c.reason, tuple(redone.summary()))
        notes.append(f"`make uv-export` refreshes {path} from uv.lock")
        return redone
    for p, a in regenerated.items():
        cmd = (
            "make uv-export"
            if p == "requirements.txt" and a == ["--no-default-groups"]
            else (f"make uv-export EXPORT_FILE={p} EXPORT_FLAGS='{' '.join(a)}'")
        )
        notes.append(f"`{cmd}` refreshes {p} from uv.lock")
    return mk_rewrite


def _export_args(doc: Any, f: Any) -> list[str]:
    """`uv export` arguments regenerating requirements file `f` from the lock: its selection,
    and no hashes when the export holds a line pip cannot hash (the project itself when it is
    a package, a local path): pip refuses the whole file in hash-checking mode then."""
    groups = doc.get("dependency-groups") or {}
    args = ["--no-default-groups"]
    if f.role == "group" and f.group and f.group in groups:
        args += ["--group", f.group]
    tool_uv = (doc.get("tool") or {}).get("uv") or {}
    sources = tool_uv.get("sources") or {}
    local = any(isinstance(v, dict) and "path" in v for v in sources.values())
    packaged = "build-system" in doc and tool_uv.get("package") is not False
    if local or packaged or tool_uv.get("package") is True:
        args.append("--no-hashes")
    return args


# ----------------------------------------------------------------------------- build


def build_plan(s: Survey, options: Options, installed: list[str] | None = None) -> MigrationPlan:
    root = s.root
    changes: list[Change] = []
    contents: dict[str, bytes] = {}
    notes: list[str] = []
    dep = s.dep_plan
    uv = uv_cmd(options)[0]
    python = choose_python(
        s,
        installed if installed is not None else (lambda: uvmk_survey.installed_pythons(uv)),
        options.python,
    )
    notes += python.notes

    # pyproject.toml
    if s.pyproject_text is None:
        doc = _new_pyproject(s, python)
        original = ""
        if floor_note := _requires_python_note(s, python):
            notes.append(floor_note)
    else:
        doc = uvmk_survey.parse_pyproject(s.pyproject_text)
        original = s.pyproject_text
        if "project" not in doc and _may_add_project(s, doc):
            # a pyproject that only configures tools (black, ruff...): give it a [project]
            if not original.endswith("\n\n"):
                doc.add(tomlkit.nl())
            made = _new_pyproject(s, python)
            doc.add("project", made["project"])
            _add_missing(doc, made, ("build-system", "tool"))  # a setup.py project's
            notes.append(
                "pyproject.toml had no [project] table: added one (name, version, "
                "requires-python, dependencies)"
            )
            if floor_note := _requires_python_note(s, python):
                notes.append(floor_note)
    req.apply_dependency_plan(doc, dep)
    final = tomlkit.dumps(doc)
    pyproject_changes = final != original
    if pyproject_changes:
        details = [f"{a.table} += {a.requirement}  ({a.where})" for a in dep.additions]
        # where a package now comes from (git, URL, path): `+= click` alone reads like PyPI
        for source_name, source in dep.sources.items():
            inline = tomlkit.inline_table()
            inline.update(source)
            details.append(f"tool.uv.sources.{source_name} = {inline.as_string()}")
        if s.has_deprecated_dev_dependencies:
            details.append("[tool.uv] dev-dependencies -> [dependency-groups] dev")
        changes.append(
            Change(
                "pyproject.toml",
                "create" if s.pyproject_text is None else "modify",
                "import the requirements files (pyproject stays the source of truth)"
                if dep.files
                else "complete the uv configuration",
                tuple(details),
            )
        )
        contents["pyproject.toml"] = final.encode("utf-8")
    if s.requires_python is None and s.pyproject_text is not None:
        notes.append("pyproject.toml has no requires-python: uv will warn; consider adding one")

    # .python-version
    if python.write and python.version:
        changes.append(
            Change(
                ".python-version",
                "modify" if s.python_version_file is not None else "create",
                f"Python {python.version} from {python.source}",
                python.notes,
            )
        )
        contents[".python-version"] = f"{python.version}\n".encode()

    # uv.lock
    seeds = dict(dep.seed_pins)
    if not s.has_lock:
        lock_action: Action | None = "create"
    elif pyproject_changes or python.write or not lock_is_fresh(root, options):
        lock_action = "modify"
    else:
        lock_action = None
    if lock_action:
        why = "uv lock"
        if seeds:
            why += (
                f", seeded with {len(seeds)} pin(s) from the requirements files so the tested "
                "versions are kept"
            )
        changes.append(
            Change(
                "uv.lock", lock_action, why, tuple(f"{k}=={v}" for k, v in sorted(seeds.items()))
            )
        )
    seeded = _seeded(final, seeds) if seeds and lock_action else None

    # requirements files
    exports: dict[str, list[str]] = {}
    for f in dep.files:
        if options.keep_requirements:
            changes.append(Change(f.path, "keep", "--keep-requirements"))
        elif options.export_requirements and f.role in ("runtime", "group"):
            args = _export_args(doc, f)
            exports[f.path] = args
            changes.append(
                Change(
                    f.path,
                    "export",
                    "regenerated from uv.lock: uv export --format requirements.txt "
                    + " ".join(args),
                )
            )
        else:
            dup = f"; {f.duplicates}" if f.duplicates else ""
            changes.append(
                Change(
                    f.path,
                    "delete",
                    f"migrated into pyproject.toml ({f.role}"
                    f"{'=' + f.group if f.group else ''}{dup})",
                )
            )

    # venvs
    for v in s.venvs:
        if v.is_target:
            continue
        if v.is_symlink:
            notes.append(f"{v.path} is a symlink to a venv: not deleted (remove the link yourself)")
            continue
        real = (root / v.path).resolve()
        if not real.is_relative_to(root):
            notes.append(f"{v.path} resolves outside the repository: not deleted")
            continue
        used = f"; was referenced at {', '.join(v.used_by)}" if v.used_by else ""
        changes.append(
            Change(
                v.path + "/",
                "delete-dir",
                f"legacy venv (Python {v.python or '?'}, {uvmk_survey.human_size(v.size)}){used}",
                size=v.size,
            )
        )

    # .gitignore
    gi = root / ".gitignore"
    gi_text = uvmk_survey.read_text(gi, root) if gi.is_file() else None
    if gi_text is None or not _gitignore_has(gi_text, s.target_venv):
        line = s.target_venv.strip("/") + "/"
        new = gi_text or ""
        if new and not new.endswith("\n"):
            new += "\n"
        new += line + "\n"
        contents[".gitignore"] = new.encode("utf-8")
        changes.append(
            Change(
                ".gitignore",
                "modify" if gi_text is not None else "create",
                f"ignore {line} (uv's project environment)",
            )
        )

    # Makefile (+ vendored uv.mk)
    copies: dict[str, Path] = {}
    mk_rewrite: uvmk_makefile.MakefileRewrite | None = None
    if s.makefile is not None:
        uv_mk = (options.uv_mk or default_uv_mk()).resolve()
        mk_text = uvmk_survey.read_text(s.makefile, root)
        if uv_mk.is_relative_to(root):
            include_path = os.path.relpath(uv_mk, s.makefile.parent)
        else:
            include_path = "uv-mk/uv.mk"
        mk_rewrite = uvmk_makefile.rewrite(
            mk_text,
            include_path=include_path,
            venv_dirs={v.path for v in s.venvs},
            target_venv=s.target_venv,
            tests_dir=(s.makefile.parent / "tests").is_dir(),
        )
        if mk_rewrite.changed:
            rel = s.rel(s.makefile)
            contents[rel] = mk_rewrite.text.encode("utf-8")
            changes.append(
                Change(
                    rel,
                    "modify",
                    "run the daily targets through uv.mk",
                    tuple(mk_rewrite.summary()),
                )
            )
            if mk_rewrite.include_line and not uv_mk.is_relative_to(root):
                if not uv_mk.is_file():
                    notes.append(f"uv.mk not found at {uv_mk}: cannot vendor it (pass --uv-mk)")
                else:
                    scripts = uv_mk.parent / "scripts"
                    sources = [
                        uv_mk,
                        scripts / "uvmk_migrate.py",
                        *sorted((scripts / "uvmk").rglob("*.py")),
                    ]
                    for src in sources:
                        dest = "uv-mk/" + src.relative_to(uv_mk.parent).as_posix()
                        if not (root / dest).exists():
                            copies[dest] = src
                    if copies:
                        changes.append(
                            Change(
                                "uv-mk/",
                                "create",
                                f"vendored copy of {uv_mk} and its helpers "
                                f"({len(copies)} files), included by the Makefile",
                                tuple(sorted(copies)),
                            )
                        )
    else:
        notes.append(
            "no Makefile: run uv.mk's targets with `make -f <path>/uv.mk <target>`, or create a "
            "Makefile that says `include <path>/uv.mk`"
        )

    # README quick start
    if s.setup_py is not None:  # setup.py and the extras files it read: gone, or kept and why
        changes += [Change(*action) for action in file_actions(s.setup_py)]
    readme = root / "README.md"
    if readme.is_file():
        rd = readme_quickstart(uvmk_survey.read_text(readme, root))
        if rd is not None:
            contents["README.md"] = rd[0].encode("utf-8")
            changes.append(Change("README.md", "modify", rd[1], rd[2]))

    # a requirements file something that stays still reads (a kept Makefile target, Dockerfile,
    # CI, tox...) is not deleted: regenerated from uv.lock, so nothing that uses it breaks
    final_texts = {k: v.decode("utf-8", "replace") for k, v in contents.items()}
    kept_lines: dict[str, frozenset[int]] = {}
    if s.makefile is not None and mk_rewrite is not None:
        kept_lines[s.rel(s.makefile)] = mk_rewrite.kept_lines
    roles = {f.path: f for f in dep.files}
    if s.setup_py is not None and not s.setup_py.keep_setup_py:
        final_texts["setup.py"] = ""  # deleted: what it read no longer matters
    for i, c in enumerate(changes):
        if c.action != "delete" or c.path.endswith("/"):
            continue
        if s.setup_py is not None and s.setup_py.keep_setup_py and c.path in s.setup_py.reads:
            # the setup.py that stays opens it when it runs: neither deleted nor regenerated
            changes[i] = Change(c.path, "keep", "still read by setup.py, which stays", (c.reason,))
            continue
        refs = requirement_references(root, c.path, final_texts, kept_lines)
        if not refs:
            continue
        rf = roles.get(c.path)
        # A pip-tools input (requirements.in) holds ranges, not pins: exporting the lock over it
        # would lose them, so it is kept as it is, like any file that is not a pin list.
        if rf is not None and rf.role in ("runtime", "group") and rf.kind != "compile-input":
            args = _export_args(doc, rf)
            exports[c.path] = args
            changes[i] = Change(
                c.path,
                "export",
                f"still read by {', '.join(refs)}: regenerated from uv.lock",
                (c.reason, "uv export --format requirements.txt " + " ".join(args)),
            )
            notes.append(
                f"{c.path} is still read by {', '.join(refs)}: regenerated from uv.lock "
                "(uv export) instead of deleted, so those keep working"
            )
        else:
            changes[i] = Change(c.path, "keep", f"still read by {', '.join(refs)}")
            notes.append(
                f"{c.path} is still read by {', '.join(refs)}: kept as it is (its "
                "requirements are in pyproject.toml now); update those, then delete it"
            )

    regenerated = {c.path: exports[c.path] for c in changes if c.action == "export"}
    if regenerated:
        mk_rewrite = _refresh_exports(regenerated, s, mk_rewrite, contents, changes, notes)

    return MigrationPlan(
        root=root,
        options=options,
        changes=changes,
        routes=routes_of(dep),
        python=python,
        seed_pins=seeds,
        notes=notes,
        contents=contents,
        seeded_pyproject=seeded,
        exports=exports,
        copies=copies,
        makefile=mk_rewrite,
    )
