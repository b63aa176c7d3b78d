"""GitHub Actions workflows (.github/workflows/*.yml): a job that sets up Python and
`pip install`s what the migration moved becomes the uv job of uv's GitHub guide:
actions/setup-python -> astral-sh/setup-uv (pinned, uv pinned to the repo's, its cache keyed on
uv.lock, the job's Python version passed on, which sets UV_PYTHON: a matrix keeps its versions),
the pip lines -> one `uv sync --locked` with the job's selection, each Python tool line ->
`uv run --no-sync` (what the sync installed, nothing re-locked), a pip cache dropped, a cache
keyed on requirements files rekeyed on uv.lock. A job with a pip line uv sync cannot say (an
index option, a file not migrated, a package not in pyproject) stays as it is, each such line
said: half a job on uv and half on a Python without its packages would fail."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import uvmk.rewriters.readers.yaml_lines as y
from uvmk.rewriters.readers import files
from uvmk.rewriters.readers.commands import uv_run
from uvmk.rewriters.readers.jobs import JobLeft, ShellLine, rewrite_job
from uvmk.rewriters.readers.protocol import Finding, ReaderContext, ReaderRewrite

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind

# the newest astral-sh/setup-uv release (its tags since v8 are exact versions only, no v8/v9
# moving tag): github.com/astral-sh/setup-uv tags, v10.0.1
SETUP_UV = "astral-sh/setup-uv@v10.0.1"
# the same release by its commit, for a workflow that pins its actions by SHA (zizmor's rule)
SETUP_UV_SHA = "astral-sh/setup-uv@20cfd1bf945f4377ade1205e4dbc17946fc9a30d # v10.0.1"
_BEFORE = 1 << 30  # edits key: lines inserted before line (key - _BEFORE)
_SETUP_PYTHON = re.compile(r"^[\"']?actions/setup-python@")
_CACHE = re.compile(r"^[\"']?actions/cache(?:/restore|/save)?@")
# setup-python's inputs setup-uv has no use for (its own cache replaces `cache`)
_DROPPED = frozenset(
    {"cache", "cache-dependency-path", "check-latest", "token", "update-environment",
     "allow-prereleases", "freethreaded"}
)  # fmt: skip
_REQUIREMENTS_GLOB = re.compile(r"requirements|constraints|setup\.py|setup\.cfg|Pipfile", re.I)


@dataclass
class _Step:
    start: int
    end: int
    keys: list[y.Key]

    def key(self, name: str) -> y.Key | None:
        return next((k for k in self.keys if k.name == name), None)

    @property
    def uses(self) -> str:
        k = self.key("uses")
        return k.value if k else ""


@dataclass
class _Job:
    name: str
    steps: list[_Step] = field(default_factory=list)
    start: int = 0  # its key's line
    # where its pip lines run instead of the root's environment (a working-directory, a conda
    # environment): the job is left as it is
    elsewhere: str | None = None


def _working_directory(lines: list[str], start: int, end: int) -> str | None:
    """A `working-directory:` other than the root in lines[start:end], said."""
    for j in range(start, end):
        m = re.match(r"^\s*working-directory:\s*[\"']?([^\"'#]+?)[\"']?\s*(?:#.*)?$", lines[j])
        if m and m.group(1).strip() not in (".", "./", "${{ github.workspace }}"):
            return f"working-directory {m.group(1).strip()}"
    return None


class _GitHubActions:
    name = "github-actions"
    knob = "ci"

    def reads(self, rel: str, kind: FileKind | None) -> bool:
        return files.github_workflow(rel, kind)

    def rewrite(self, rel: str, text: str, context: ReaderContext) -> ReaderRewrite:
        lines = text.splitlines(keepends=True)
        edits: dict[int, list[str]] = {}  # line index -> its replacement lines ([]: removed)
        findings: list[Finding] = []
        for job in _jobs(lines):
            _rewrite_job(lines, job, context, edits, findings)
        out: list[str] = []
        for j, line in enumerate(lines):
            out.extend(edits.get(_BEFORE + j, []))
            out.extend(edits.get(j, [line]))
        return ReaderRewrite("".join(out), tuple(sorted(findings, key=lambda f: f.line)))


def _jobs(lines: list[str]) -> list[_Job]:
    top = next((k for k in y.keys(lines, 0, len(lines)) if k.name == "jobs"), None)
    if top is None:
        return []
    jobs = []
    top_keys = y.keys(lines, 0, len(lines))
    defaults = next((k for k in top_keys if k.name == "defaults"), None)
    workflow_dir = _working_directory(lines, defaults.line, defaults.end) if defaults else None
    for k in y.keys(lines, top.line + 1, top.end):
        job = _Job(k.name, start=k.line, elsewhere=workflow_dir)
        job.elsewhere = job.elsewhere or _working_directory(lines, k.line, k.end)
        if re.search(r"setup-miniconda|mamba-org/setup-micromamba", "".join(lines[k.line : k.end])):
            job.elsewhere = "a conda environment"
        steps = next((s for s in y.keys(lines, k.line + 1, k.end) if s.name == "steps"), None)
        if steps is not None:
            for start, end in y.items(lines, steps.line + 1, steps.end):
                job.steps.append(_Step(start, end, y.keys(lines, start, end)))
        jobs.append(job)
    return jobs


@dataclass(frozen=True)
class _RunLine:
    index: int  # line index in the file
    command: str  # the shell text
    inline: bool  # `run: cmd` (else a line of a `run: |` block)
    end: int = -1  # after the last line of a `\`-continued command


def _run_lines(lines: list[str], step: _Step) -> list[_RunLine]:
    run = step.key("run")
    if run is None:
        return []
    body = y.block_scalar(lines, run)
    if body is None:
        value = run.value
        return [_RunLine(run.line, value, True)] if value else []
    out: list[_RunLine] = []
    content = [j for j in body if y.is_content(lines[j])]
    k = 0
    while k < len(content):
        first = k
        while lines[content[k]].rstrip().endswith("\\") and k + 1 < len(content):
            k += 1  # a command continued with `\` is one command
        text = " ".join(lines[j].strip().removesuffix("\\").strip() for j in content[first : k + 1])
        out.append(_RunLine(content[first], text, False, content[k] + 1))
        k += 1
    return out


def _rewrite_job(
    lines: list[str],
    job: _Job,
    context: ReaderContext,
    edits: dict[int, list[str]],
    findings: list[Finding],
) -> None:
    runs = {r.index: (step, r) for step in job.steps for r in _run_lines(lines, step)}
    shell = [ShellLine(r.index, r.command, r.end) for _, r in runs.values()]
    done = rewrite_job(job.name, shell, context)
    if done is None:
        return
    if isinstance(done, JobLeft):
        findings += done.findings
        return
    if job.elsewhere is not None:
        why = f"job {job.name} stays on pip: its pip lines run in {job.elsewhere}"
        findings.append(Finding(job.start + 1, why, rewritten=False))
        return
    setups = [s for s in job.steps if _SETUP_PYTHON.match(s.uses)]
    used = _python_path_used(lines, setups)
    if used is not None:  # setup-uv has no python-path output
        why = f"job {job.name} stays on pip: it reads setup-python's python-path ({used})"
        findings.append(Finding(job.start + 1, why, rewritten=False))
        return
    for s in setups:
        _setup_uv(lines, s, context, edits, findings)
    if not setups:
        first = runs[done.first][0]
        edits[_BEFORE + first.start] = _new_setup_uv(lines, first, context)
        findings.append(Finding(first.start + 1, f"a setup-uv step ({SETUP_UV}) before it"))
    findings += done.findings
    _replace_command(lines, runs[done.first][1], done.sync, edits)
    for j in _continued(runs[done.first][1]):
        edits[j] = []
    for index in done.dropped:
        for j in [index, *_continued(runs[index][1])]:
            edits[j] = []
    for index in done.runs:
        r = runs[index][1]
        first_line = uv_run(lines[r.index].strip(), context) if not r.inline else done.runs[index]
        if first_line is not None:  # a continued command: its first line says the command
            _replace_command(lines, r, first_line, edits)
    for step, r in runs.values():
        if "pip cache dir" in r.command:
            _remove(edits, step)
            findings.append(Finding(r.index + 1, "pip's cache folder step dropped: setup-uv's"))
    _drop_emptied_steps(lines, job, edits)
    for step in job.steps:
        if _CACHE.match(step.uses):
            _recache(lines, step, edits, findings)


def _python_path_used(lines: list[str], setups: list[_Step]) -> str | None:
    """`steps.<id>.outputs.python-path` of one of these setup-python steps, where read."""
    for s in setups:
        step_id = s.key("id")
        if step_id is None:
            continue
        needle = f"steps.{step_id.value.strip(chr(34) + chr(39))}.outputs.python-path"
        for j, line in enumerate(lines):
            if needle in line:
                return f"line {j + 1}"
    return None


def _setup_uv(
    lines: list[str],
    step: _Step,
    context: ReaderContext,
    edits: dict[int, list[str]],
    findings: list[Finding],
) -> None:
    uses = step.key("uses")
    assert uses is not None
    col = uses.column
    pad = " " * col
    with_key = step.key("with")
    inputs = y.keys(lines, with_key.line + 1, with_key.end) if with_key else []
    kept: list[str] = []
    for k in inputs:
        if k.name == "python-version":
            kept += lines[k.line : k.end]
        elif k.name == "python-version-file":
            if k.value.strip("\"'") not in (".python-version", "pyproject.toml"):
                findings.append(
                    Finding(
                        k.line + 1,
                        f"python-version-file {k.value} dropped: uv reads .python-version",
                        rewritten=False,
                    )
                )
        elif k.name not in _DROPPED:
            findings.append(
                Finding(k.line + 1, f"setup-python's {k.name} has no setup-uv input: dropped")
            )
    inner = " " * (inputs[0].column if inputs else col + 2)
    lead = lines[uses.line][: len(lines[uses.line]) - len(lines[uses.line].lstrip())]
    dash = "- " if lines[uses.line].lstrip().startswith("- ") else ""
    action = SETUP_UV_SHA if re.search(r"@[0-9a-f]{40}\b", uses.value) else SETUP_UV
    new = [f"{lead}{dash}uses: {action}\n", f"{pad}with:\n"]
    new += _uv_inputs(inner, context, kept)
    edits[uses.line] = new
    if with_key is not None:
        for j in range(with_key.line, with_key.end):
            edits[j] = []
    findings.append(
        Finding(uses.line + 1, f"{uses.value} → {action} (uv {context.uv_version or 'latest'})")
    )


def _uv_inputs(inner: str, context: ReaderContext, kept: list[str]) -> list[str]:
    out = [f'{inner}version: "{context.uv_version}"\n'] if context.uv_version else []
    out += kept
    out += [
        f"{inner}enable-cache: true\n",
        f'{inner}cache-dependency-glob: "uv.lock"\n',
        f"{inner}activate-environment: true\n",
    ]
    return out


def _new_setup_uv(lines: list[str], before: _Step, context: ReaderContext) -> list[str]:
    """A setup-uv step for a job that had no setup-python (a container's Python)."""
    head = lines[before.start]
    lead = head[: len(head) - len(head.lstrip())]
    pad = lead + "  "
    return [f"{lead}- uses: {SETUP_UV}\n", f"{pad}with:\n", *_uv_inputs(pad + "  ", context, [])]


def _replace_command(
    lines: list[str], r: _RunLine, command: str, edits: dict[int, list[str]]
) -> None:
    line = lines[r.index]
    if r.inline:
        at = line.index("run:") + len("run:")
        eol = line[len(line.rstrip("\n")) :]
        edits[r.index] = [f"{line[:at]} {command}{eol}"]
    else:
        lead = line[: len(line) - len(line.lstrip())]
        edits[r.index] = [f"{lead}{command}\n"]


def _continued(r: _RunLine) -> range:
    r"""The lines after the first of a `\`-continued command."""
    return range(r.index + 1, r.end) if r.end > r.index + 1 else range(0)


def _drop_emptied_steps(lines: list[str], job: _Job, edits: dict[int, list[str]]) -> None:
    """A run step whose every line was a pip line now done by the sync goes too."""
    for step in job.steps:
        body = _run_lines(lines, step)
        if body and all(edits.get(r.index) == [] for r in body):
            _remove(edits, step)


def _remove(edits: dict[int, list[str]], step: _Step) -> None:
    for j in range(step.start, step.end):
        edits[j] = []


def _recache(
    lines: list[str], step: _Step, edits: dict[int, list[str]], findings: list[Finding]
) -> None:
    """actions/cache of pip's cache goes (setup-uv caches uv's, keyed on uv.lock); one of
    something else keyed on the requirements files is keyed on uv.lock."""
    text = "".join(lines[step.start : step.end])
    with_key = step.key("with")
    path = next(
        (k for k in (y.keys(lines, with_key.line + 1, with_key.end) if with_key else [])
         if k.name == "path"),
        None,
    )  # fmt: skip
    path_text = "".join(lines[path.line : path.end]) if path else ""
    if re.search(r"\bpip\b|pip-cache|pip_cache|\.cache/pip|pip/cache", path_text, re.I):
        _remove(edits, step)
        findings.append(
            Finding(step.start + 1, "actions/cache of pip's cache dropped: setup-uv caches uv's")
        )
        return
    if not _REQUIREMENTS_GLOB.search(text):
        return
    for j in range(step.start, step.end):
        if "hashFiles(" in lines[j] and _REQUIREMENTS_GLOB.search(lines[j]):
            edits[j] = [re.sub(r"hashFiles\([^)]*\)", "hashFiles('uv.lock')", lines[j])]
            findings.append(Finding(j + 1, "cache key rekeyed on uv.lock"))


GITHUB_ACTIONS = _GitHubActions()
