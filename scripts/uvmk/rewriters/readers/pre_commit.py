"""pre-commit (.pre-commit-config.yaml): the hooks that kept the old files in step — pip-tools'
pip-compile, Poetry's poetry-check / poetry-lock / poetry-export — become astral's
uv-pre-commit `uv-lock` (uv.lock kept in step with pyproject.toml), pinned to the repo's uv,
and `uv-export` for a requirements file the migration still regenerates (context.exported),
with its export's flags. Any other hook of those repositories stays, said."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import uvmk.rewriters.readers.yaml_lines as y
from uvmk.rewriters.readers import files
from uvmk.rewriters.readers.protocol import Finding, ReaderContext, ReaderRewrite

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind

UV_PRE_COMMIT = "https://github.com/astral-sh/uv-pre-commit"
_OLD_REPOS = re.compile(
    r"github\.com/(?:jazzband/pip-tools|python-poetry/poetry(?:-plugin-export)?)(?:\.git)?/?$"
)
_MAPPED = frozenset({"pip-compile", "poetry-check", "poetry-lock", "poetry-export"})
_OUTPUT = re.compile(r"(?:^|[\s\[,\"'])(?:--output-file|-o)[=\s,]\s*[\"']?([^\s,\]\"']+)")


class _PreCommit:
    name = "pre-commit"
    knob = "pre-commit"

    def reads(self, rel: str, kind: FileKind | None) -> bool:
        return files.pre_commit(rel, kind)

    def rewrite(self, rel: str, text: str, context: ReaderContext) -> ReaderRewrite:
        lines = text.splitlines(keepends=True)
        top = next((k for k in y.keys(lines, 0, len(lines)) if k.name == "repos"), None)
        if top is None:
            return ReaderRewrite(text)
        edits: dict[int, list[str]] = {}
        findings: list[Finding] = []
        done = False
        for start, end in y.items(lines, top.line + 1, top.end):
            keys = {k.name: k for k in y.keys(lines, start, end)}
            repo = keys.get("repo")
            if repo is None or not _OLD_REPOS.search(repo.value.strip("\"'")):
                continue
            hooks = keys.get("hooks")
            ids = _hook_ids(lines, hooks) if hooks else []
            left = [(j, i) for j, i in ids if i not in _MAPPED]
            if left or not ids:
                for j, i in left:
                    findings.append(Finding(j + 1, f"hook {i} stays: no uv hook does it", False))
                continue
            outputs = _OUTPUT.findall("".join(lines[start:end]))
            new = [] if done else _uv_hooks(lines[start], context, outputs)
            edits[start] = new
            for j in range(start + 1, end):
                edits[j] = []
            names = ", ".join(i for _, i in ids)
            verb = "→ uv-pre-commit uv-lock" if not done else "dropped: uv-lock above does it"
            findings.append(Finding(start + 1, f"{names} ({repo.value}) {verb}"))
            done = True
        out: list[str] = []
        for j, line in enumerate(lines):
            out.extend(edits.get(j, [line]))
        return ReaderRewrite("".join(out), tuple(findings))


def _hook_ids(lines: list[str], hooks: y.Key) -> list[tuple[int, str]]:
    out = []
    for start, end in y.items(lines, hooks.line + 1, hooks.end):
        hook = next((k for k in y.keys(lines, start, end) if k.name == "id"), None)
        if hook is not None:
            out.append((hook.line, hook.value.strip("\"'")))
    return out


def outputs_of(text: str) -> list[str]:
    """The files the old hooks of this config write (`--output-file=requirements.txt`)."""
    return _OUTPUT.findall(text)


def _uv_hooks(head: str, context: ReaderContext, outputs: list[str]) -> list[str]:
    lead = head[: len(head) - len(head.lstrip())]
    pad = lead + "  "
    rev = context.uv_version or "0.13.9"
    out = [
        f"{lead}- repo: {UV_PRE_COMMIT}\n",
        f"{pad}rev: {rev}\n",
        f"{pad}hooks:\n",
        f"{pad}  - id: uv-lock\n",
    ]
    for path in outputs:
        flags = context.exported.get(path)
        if flags is None:
            continue
        args = ", ".join(f'"{a}"' for a in [*flags, f"--output-file={path}"])
        out += [f"{pad}  - id: uv-export\n", f"{pad}    args: [{args}]\n"]
    return out


PRE_COMMIT = _PreCommit()
