"""GitLab CI (.gitlab-ci.yml and the files under .gitlab/): a job whose scripts `pip install`
what the migration moved installs uv into its image with the pip it has (`pip install
uv==<the repo's uv>`), then `uv sync --locked` with the job's selection and the image's Python
(`python:3.11` -> `--python 3.11`: the interpreter the old pip installed into), and runs its
Python tools with `uv run --no-sync`; a cache keyed on requirements files is keyed on uv.lock.
A job with a pip line uv sync cannot say stays, said (rewriters.readers.jobs)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import uvmk.rewriters.readers.yaml_lines as y
from uvmk.rewriters.readers import files
from uvmk.rewriters.readers.commands import uv_run
from uvmk.rewriters.readers.jobs import JobLeft, ShellLine, rewrite_job
from uvmk.rewriters.readers.protocol import Finding, ReaderContext, ReaderRewrite

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind

_SCRIPTS = ("before_script", "script", "after_script")
_IMAGE_PYTHON = re.compile(r"(?:^|/)python:(?P<v>\d+\.\d+|\$\{?\w+\}?)")
_REQUIREMENTS = re.compile(r"requirements|constraints", re.I)


class _GitLabCI:
    name = "gitlab-ci"
    knob = "ci"

    def reads(self, rel: str, kind: FileKind | None) -> bool:
        return files.gitlab_ci(rel, kind)

    def rewrite(self, rel: str, text: str, context: ReaderContext) -> ReaderRewrite:
        lines = text.splitlines(keepends=True)
        edits: dict[int, list[str]] = {}
        findings: list[Finding] = []
        top = y.keys(lines, 0, len(lines))
        image = _image(lines, top)
        for job in top:
            _rewrite_job(lines, job, context, image, edits, findings)
        out: list[str] = []
        for j, line in enumerate(lines):
            out.extend(edits.get(j, [line]))
        return ReaderRewrite("".join(out), tuple(sorted(findings, key=lambda f: f.line)))


def _image(lines: list[str], keys: list[y.Key]) -> str:
    """The `image:` of a job or of the file (`image: python:3.11`, `image: {name: ...}`)."""
    for k in keys:
        if k.name == "image":
            return k.value or "".join(lines[k.line : k.end])
        if k.name == "default":
            found = _image(lines, y.keys(lines, k.line + 1, k.end))
            if found:
                return found
    return ""


def _shell_lines(lines: list[str], key: y.Key) -> list[tuple[ShellLine, str]]:
    """Each command of a script key: (the line, how it is written: "item", "inline", "block")."""
    if key.value and not re.fullmatch(r"[|>][-+]?\d*", key.value):
        if key.value.startswith("["):
            return []  # a flow list: left alone
        return [(ShellLine(key.line, key.value), "inline")]
    out = []
    for start, end in y.items(lines, key.line + 1, key.end):
        item = lines[start].strip()[2:].strip()
        if re.fullmatch(r"[|>][-+]?\d*", item):
            out += [
                (ShellLine(j, lines[j].strip()), "block")
                for j in range(start + 1, end)
                if y.is_content(lines[j])
            ]
        elif item and not item.startswith(("'", '"')):
            # a plain scalar folded over several lines is one command
            more = [lines[j].strip() for j in range(start + 1, end) if y.is_content(lines[j])]
            command = " ".join([item, *more])
            out.append((ShellLine(start, command, end if more else -1), "item"))
    return out


def _rewrite_job(
    lines: list[str],
    job: y.Key,
    context: ReaderContext,
    file_image: str,
    edits: dict[int, list[str]],
    findings: list[Finding],
) -> None:
    if job.name in _SCRIPTS:  # a global before_script: a job of its own here
        keys = [job]
    else:
        keys = [k for k in y.keys(lines, job.line + 1, job.end) if k.name in _SCRIPTS]
    shell = {s.index: (s, how) for k in keys for s, how in _shell_lines(lines, k)}
    inner = y.keys(lines, job.line + 1, job.end) if job.name not in _SCRIPTS else []
    image = _image(lines, inner) or file_image
    m = _IMAGE_PYTHON.search(image)
    python: tuple[str, ...] = ()
    if m and m["v"] != context.python:
        python = ("--python", m["v"] if m["v"][0] != "$" else f'"{m["v"]}"')
    done = rewrite_job(job.name, [s for s, _ in shell.values()], context, python)
    if done is None:
        return
    if isinstance(done, JobLeft):
        findings += done.findings
        return
    install_uv = f"pip install uv=={context.uv_version}" if context.uv_version else "pip install uv"
    findings += done.findings
    findings.append(Finding(done.first + 1, f"`{install_uv}` first: the image has pip, not uv"))
    _put(lines, edits, shell[done.first], [install_uv, done.sync])
    for j in list(shell[done.first][0].lines)[1:]:
        edits[j] = []
    for index in done.dropped:
        for j in shell[index][0].lines:
            edits[j] = []
    for index in done.runs:
        s, how = shell[index]
        first = lines[s.index].strip()
        first = first[2:].strip() if how == "item" else first
        if how == "inline":
            first = s.command
        new = uv_run(first, context)
        if new is not None:  # a folded command: its first line says the command
            _put(lines, edits, shell[index], [new])
    for k in inner:
        if k.name == "cache":
            _rekey(lines, k, edits, findings)


def _put(
    lines: list[str], edits: dict[int, list[str]], at: tuple[ShellLine, str], commands: list[str]
) -> None:
    s, how = at
    line = lines[s.index]
    lead = line[: len(line) - len(line.lstrip())]
    if how == "item":
        edits[s.index] = [f"{lead}- {c}\n" for c in commands]
    elif how == "block":
        edits[s.index] = [f"{lead}{c}\n" for c in commands]
    else:
        head = line[: line.index(":") + 1]
        edits[s.index] = [f"{head} {' && '.join(commands)}\n"]


def _rekey(
    lines: list[str], cache: y.Key, edits: dict[int, list[str]], findings: list[Finding]
) -> None:
    """`cache: key: files: [requirements.txt]` -> uv.lock (GitLab hashes the files listed)."""
    keyed = False
    for j in range(cache.line + 1, cache.end):
        if _REQUIREMENTS.search(lines[j]) and re.match(r"^\s*-\s", lines[j]):
            lead = lines[j][: lines[j].index("-")]
            edits[j] = [] if keyed else [f"{lead}- uv.lock\n"]
            keyed = True
            findings.append(Finding(j + 1, "cache key files: uv.lock"))


GITLAB_CI = _GitLabCI()
