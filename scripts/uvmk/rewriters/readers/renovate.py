"""Renovate (renovate.json, .renovaterc(.json), .github/renovate.json and the like): the
managers of the old files — `pip_requirements`, `pip-compile`, `pip_setup`, `setup-cfg` —
become `pep621`, Renovate's manager for pyproject.toml that updates uv.lock with it, in
`enabledManagers` and in each package rule's `matchManagers`; their own config blocks (which
files they read) go. The JSON keeps its layout: only those values and blocks change (a file
whose text cannot be edited in place is left, said)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from uvmk.rewriters.readers import files
from uvmk.rewriters.readers.protocol import Finding, ReaderContext, ReaderRewrite

if TYPE_CHECKING:
    from uvmk.survey.tree import FileKind

_OLD = ("pip_requirements", "pip-compile", "pip_setup", "setup-cfg")
_NEW = "pep621"


class _Renovate:
    name = "renovate"
    knob = "bots"

    def reads(self, rel: str, kind: FileKind | None) -> bool:
        return files.renovate(rel, kind)

    def rewrite(self, rel: str, text: str, context: ReaderContext) -> ReaderRewrite:
        try:
            data = json.loads(text)
        except ValueError:
            return ReaderRewrite(text)
        if not isinstance(data, dict):
            return ReaderRewrite(text)
        wanted, findings = _moved(data, text)
        if not findings:
            return ReaderRewrite(text)
        new = _edit(text)
        try:
            same = json.loads(new) == wanted
        except ValueError:
            same = False
        if not same:
            return ReaderRewrite(
                text, (Finding(1, "left: its JSON could not be edited in place", False),)
            )
        return ReaderRewrite(new, tuple(findings))


def _line(text: str, needle: str) -> int:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _moved(data: dict[str, Any], text: str) -> tuple[dict[str, Any], list[Finding]]:
    """The config as it should become, and a finding each change."""
    findings: list[Finding] = []
    out = dict(data)
    enabled = out.get("enabledManagers")
    if isinstance(enabled, list) and any(m in _OLD for m in enabled):
        out["enabledManagers"] = _swap(enabled)
        findings.append(
            Finding(
                _line(text, '"enabledManagers"'),
                f"enabledManagers: {', '.join(m for m in enabled if m in _OLD)} → {_NEW}",
            )
        )
    for old in _OLD:
        if old in out:
            del out[old]
            findings.append(
                Finding(
                    _line(text, f'"{old}"'),
                    f"the {old} block goes: {_NEW} reads pyproject.toml and uv.lock",
                )
            )
    rules = out.get("packageRules")
    if isinstance(rules, list):
        new_rules = []
        for rule in rules:
            managers = rule.get("matchManagers") if isinstance(rule, dict) else None
            if isinstance(managers, list) and any(m in _OLD for m in managers):
                rule = {**rule, "matchManagers": _swap(managers)}
                findings.append(
                    Finding(
                        _line(text, '"matchManagers"'), f"a packageRule's matchManagers → {_NEW}"
                    )
                )
            new_rules.append(rule)
        out["packageRules"] = new_rules
    return out, findings


def _swap(managers: list[Any]) -> list[Any]:
    out: list[Any] = []
    for m in managers:
        m = _NEW if m in _OLD else m
        if m not in out:
            out.append(m)
    return out


def _edit(text: str) -> str:
    """The same changes made on the text: each old manager's block removed, each manager list
    naming an old one rewritten in its own layout (one line, or one item a line)."""
    for old in _OLD:
        text = _drop_block(text, old)

    def one_list(m: re.Match[str]) -> str:
        try:
            managers = json.loads("[" + m.group(2) + "]")
        except ValueError:
            return m.group(0)
        if not any(n in _OLD for n in managers):
            return m.group(0)
        items = [json.dumps(n) for n in _swap(managers)]
        body = m.group(2)
        if "\n" in body:
            pad = re.search(r"\n([ \t]*)\S", body)
            lead = pad.group(1) if pad else "  "
            close = body[body.rstrip().rfind("\n") :] if body.rstrip() != body else "\n"
            tail = re.search(r"\n[ \t]*$", body)
            end = tail.group(0) if tail else close
            return (
                m.group(1) + "".join(f"\n{lead}{i}," for i in items).rstrip(",") + end + m.group(3)
            )
        return m.group(1) + ", ".join(items) + m.group(3)

    return re.sub(r'("(?:enabledManagers|matchManagers)"\s*:\s*\[)([^\]]*)(\])', one_list, text)


def _drop_block(text: str, key: str) -> str:
    m = re.search(rf'(,\s*)?"{re.escape(key)}"\s*:\s*\{{', text)
    if m is None:
        return text
    depth, j, in_string = 0, m.end() - 1, False
    while j < len(text):
        c = text[j]
        if in_string:
            if c == "\\":
                j += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                break
        j += 1
    end = j + 1
    start = m.start()
    if m.group(1) is None:  # the first key: its line, and the comma after it instead
        after = re.match(r"\s*,[ \t]*\n?", text[end:])
        if after:
            end += after.end()
        line_start = text.rfind("\n", 0, start) + 1
        if not text[line_start:start].strip():
            start = line_start
    return text[:start] + text[end:]


RENOVATE = _Renovate()
