"""tox.ini: a testenv whose `deps` are requirements files (and packages) the migration moved
into pyproject.toml runs on tox-uv's lock runner instead: `runner = uv-venv-lock-runner` and
the same selection from uv.lock (`dependency_groups`, `only_groups`, `extras`,
`no_default_groups`), `deps` gone (the lock runner ignores it), and `[tox] requires` gains
tox-uv so every contributor's tox has the plugin. A testenv whose deps uv sync cannot say stays
on pip's runner, said; one that would inherit the lock runner from [testenv] with deps of its
own it cannot map gets `runner = uv-venv-runner` (uv pip installs those deps), never a lock
runner that would silently skip them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from packaging.utils import canonicalize_name

from uvmk.rewriters.readers import files
from uvmk.rewriters.readers.commands import PipInstall, Selection, select
from uvmk.rewriters.readers.protocol import Finding, ReaderContext, ReaderRewrite

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind

TOX_UV = "tox-uv>=1"
_SECTION = re.compile(r"^\[(?P<name>[^\]]+)\]\s*$")
_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*=\s*(?P<value>.*)$")


@dataclass
class _Section:
    name: str
    head: int  # the [name] line
    end: int  # after its last line


@dataclass
class _Key:
    name: str
    start: int
    end: int  # after its continuation lines
    values: list[str]  # the value's entries (one a line, commas split too)


class _Tox:
    name = "tox"
    knob = "tox"

    def reads(self, rel: str, kind: FileKind | None) -> bool:
        return files.tox_ini(rel, kind)

    def rewrite(self, rel: str, text: str, context: ReaderContext) -> ReaderRewrite:
        lines = text.splitlines(keepends=True)
        sections = _sections(lines)
        edits: dict[int, list[str]] = {}
        findings: list[Finding] = []
        base = next((s for s in sections if s.name == "testenv"), None)
        base_locked = False
        base_keys: set[str] = set()
        referenced = set(re.findall(r"\{\[([^\]]+)\]deps\}", text))
        ordered = sorted(sections, key=lambda s: s.name != "testenv")  # [testenv] first
        for section in ordered:
            if section.name != "testenv" and not section.name.startswith("testenv:"):
                continue
            keys = _keys(lines, section)
            deps = keys.get("deps")
            if deps is None:
                continue
            if "install_command" in keys or "runner" in keys:
                continue  # its own way of installing: left as the user set it
            flags, why = _selection(deps, context)
            if why is None and section.name in referenced:
                why = f"other testenvs use them ({{[{section.name}]deps}})"
            if why is not None:
                findings.append(
                    Finding(deps.start + 1, f"[{section.name}] deps stay: {why}", False)
                )
                if section is not base and base_locked:
                    edits[section.head] = [lines[section.head], "runner = uv-venv-runner\n"]
                    findings.append(
                        Finding(section.head + 1, f"[{section.name}]: runner = uv-venv-runner "
                                "(its deps, by uv pip, not the lock runner [testenv] has now)")
                    )  # fmt: skip
                continue
            settings = _settings(flags, keys)
            if section is base:
                base_keys = {s.split("=")[0].strip() for s in settings}
            else:  # what it would inherit from [testenv] and not set itself: emptied
                mine = {s.split("=")[0].strip() for s in settings}
                settings += [f"{k} =\n" for k in sorted(base_keys - mine - {"no_default_groups"})]
            new = ["runner = uv-venv-lock-runner\n", *settings]
            edits[deps.start] = new
            for j in range(deps.start + 1, deps.end):
                edits[j] = []
            shown = " ".join(line.strip() for line in new)
            findings.append(Finding(deps.start + 1, f"[{section.name}] deps → {shown}"))
            base_locked = base_locked or section is base
        if edits:
            _require_tox_uv(lines, sections, edits, findings)
        out: list[str] = []
        for j, line in enumerate(lines):
            out.extend(edits.get(j, [line]))
        return ReaderRewrite("".join(out), tuple(sorted(findings, key=lambda f: f.line)))


def _sections(lines: list[str]) -> list[_Section]:
    found: list[_Section] = []
    for j, line in enumerate(lines):
        m = _SECTION.match(line.strip())
        if m:
            if found:
                found[-1].end = j
            found.append(_Section(m["name"].strip(), j, len(lines)))
    return found


def _keys(lines: list[str], section: _Section) -> dict[str, _Key]:
    out: dict[str, _Key] = {}
    current: _Key | None = None
    for j in range(section.head + 1, section.end):
        line = lines[j]
        m = _KEY.match(line)
        if m and not line[0].isspace():
            current = _Key(m["key"], j, j + 1, _entries(m["value"]))
            out[current.name] = current
        elif current is not None and line[:1].isspace() and line.strip():
            current.end = j + 1
            current.values += _entries(line)
        elif not line.strip() or line.lstrip().startswith(("#", ";")):
            continue
        else:
            current = None
    return out


def _entries(value: str) -> list[str]:
    value = re.sub(r"\s[#;].*$", "", value).strip()
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _selection(deps: _Key, context: ReaderContext) -> tuple[Selection, str | None]:
    selection = Selection()
    files, packages = [], []
    project = False
    for entry in deps.values:
        m = re.fullmatch(r"(?:-r\s*|--requirement[=\s]\s*)(?:\{toxinidir\}/)?(\S+)", entry)
        if m:
            files.append(m.group(1))
        elif entry in (".", "-e .", "-e."):
            project = True
        elif re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?([<>=!~][^;{]*)?", entry):
            packages.append(re.split(r"[\[<>=!~ ]", entry, maxsplit=1)[0].lower())
        elif re.match(r"^[\w.,!{}-]+:\s", entry):
            return selection, f"a factor-conditional dependency ({entry})"
        else:
            return selection, f"{entry} is not a requirements file or package name"
    install = PipInstall(tuple(files), project, (), tuple(canonicalize_name(p) for p in packages))
    return selection, select(install, context, selection)


def _settings(selection: Selection, keys: dict[str, _Key]) -> list[str]:
    flags = selection.flags()
    out: list[str] = []
    groups = [flags[i + 1] for i, f in enumerate(flags) if f == "--group"]
    only = [flags[i + 1] for i, f in enumerate(flags) if f == "--only-group"]
    extras = [flags[i + 1] for i, f in enumerate(flags) if f == "--extra"]
    if only and _installs_the_project(keys):
        # tox installs the project into the env (with its `extras`): uv's --only-group would
        # leave it out, and refuses --extra beside it (psf/requests' [testenv])
        out.append(_list("dependency_groups", only))
    elif only:
        out.append(_list("only_groups", only))
    elif not flags:
        out.append("dependency_groups = dev\n")
    elif groups:
        out.append(_list("dependency_groups", groups))
    else:
        out.append("no_default_groups = true\n")
    missing = [e for e in extras if e not in (keys["extras"].values if "extras" in keys else [])]
    if missing and "extras" not in keys:
        out.append(_list("extras", missing))
    return out


def _installs_the_project(keys: dict[str, _Key]) -> bool:
    """Does tox install the project into this env (neither `skip_install` nor `package = skip`)?"""
    said = {
        k: " ".join(keys[k].values).strip().lower()
        for k in ("skip_install", "package")
        if k in keys
    }
    return said.get("skip_install") != "true" and said.get("package") != "skip"


def _list(key: str, values: list[str]) -> str:
    if len(values) == 1:
        return f"{key} = {values[0]}\n"
    return f"{key} =\n" + "".join(f"    {v}\n" for v in values)


def _require_tox_uv(
    lines: list[str], sections: list[_Section], edits: dict[int, list[str]], findings: list[Finding]
) -> None:
    tox = next((s for s in sections if s.name == "tox"), None)
    if tox is None:
        first = sections[0].head if sections else 0
        edits[first] = [
            "[tox]\n",
            f"requires = {TOX_UV}\n",
            "\n",
            *edits.get(first, [lines[first]]),
        ]
        findings.append(Finding(first + 1, f"[tox] requires = {TOX_UV}"))
        return
    requires = _keys(lines, tox).get("requires")
    if requires is None:
        edits[tox.head] = [lines[tox.head], f"requires = {TOX_UV}\n"]
        findings.append(Finding(tox.head + 1, f"[tox] requires = {TOX_UV}"))
    elif not any(v.startswith(("tox-uv", "tox_uv")) for v in requires.values):
        last = requires.end - 1
        if requires.end - requires.start == 1 and requires.values:  # `requires = tox>=4`
            values = [*requires.values, TOX_UV]
            edits[requires.start] = ["requires =\n", *(f"    {v}\n" for v in values)]
        else:
            edits[last] = [*edits.get(last, [lines[last]]), f"    {TOX_UV}\n"]
        findings.append(Finding(requires.start + 1, f"[tox] requires += {TOX_UV}"))


TOX = _Tox()
