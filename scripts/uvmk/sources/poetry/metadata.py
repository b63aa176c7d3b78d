"""Poetry 1.x metadata (`[tool.poetry]` name, version, authors, urls, scripts, plugins, …) →
the PEP 621 `[project]` keys (dependencies aside: dependencies.py)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from uvmk.poetry_constraints import ConstraintError, specifier
from uvmk.sources.notes import Note, mapped, refused, reported

_PERSON = re.compile(r"^\s*(?P<name>[^<>]*?)\s*(?:<(?P<email>[^<>]+)>)?\s*$")
_COPIED = ("name", "version", "description", "keywords")
_URLS = (("homepage", "Homepage"), ("repository", "Repository"), ("documentation", "Documentation"))
# What poetry-core, kept as the build backend, still reads from [tool.poetry] beside [project].
BUILD_KEYS = ("packages", "include", "exclude", "build", "classifiers")
# Poetry's own settings: they mean nothing to uv (each said where it is not followed).
_POETRY_ONLY = ("package-mode", "requires-poetry", "requires-plugins")
_ELSEWHERE = ("dependencies", "dev-dependencies", "group", "source", "extras")
_HERE = (*_COPIED, "readme", "license", "authors", "maintainers", "urls", "scripts", "plugins")
_URL_KEYS = tuple(k for k, _ in _URLS)


@dataclass
class Metadata:
    project: dict[str, Any] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)
    file_scripts: dict[str, Any] = field(default_factory=dict)  # stay in [tool.poetry.scripts]
    kept: list[str] = field(default_factory=list)  # [tool.poetry] keys `dynamic` reads


def convert_metadata(poetry: Mapping[str, Any], version_plugin: str | None = None) -> Metadata:
    """[project] from a Poetry 1.x [tool.poetry]; `dynamic` names what poetry-core computes
    from what stays in [tool.poetry] (`version_plugin`: the plugin that sets the version)."""
    out = Metadata()
    table = "tool.poetry"
    for key in _COPIED:
        if key in poetry:
            out.project[key] = poetry[key]
    dynamic = []
    if version_plugin is not None or "version" not in poetry:
        out.project.pop("version", None)
        dynamic.append("version")
        out.kept.append("version")
        by = f"{version_plugin} sets it at build time" if version_plugin else "no version"
        out.notes.append(
            reported(table, "version", f"version: dynamic ({by}); [tool.poetry] keeps it")
        )
    readme = poetry.get("readme")
    if isinstance(readme, list) and len(readme) > 1:
        dynamic.append("readme")  # poetry-core joins them, as it did
        out.kept.append("readme")
        out.notes.append(reported(table, "readme", "readme: several files: dynamic, as before"))
    elif readme:
        out.project["readme"] = str(readme[0] if isinstance(readme, list) else readme)
    if dynamic:
        out.project["dynamic"] = dynamic
    if "license" in poetry:
        out.project["license"] = {"text": str(poetry["license"])}
    for key in ("authors", "maintainers"):
        if key in poetry:
            out.project[key] = [_person(p) for p in poetry[key]]
    if urls := _urls(poetry):
        out.project["urls"] = urls
    python = (poetry.get("dependencies") or {}).get("python")
    if python is not None:
        try:
            if requires := specifier(str(python)):
                out.project["requires-python"] = requires
                out.notes.append(
                    mapped("tool.poetry.dependencies", "python", "python → requires-python")
                )
        except ConstraintError as e:
            out.notes.append(refused("tool.poetry.dependencies", "python", f"python: {e}"))
    _entry_points(poetry, out)
    for key in poetry:
        if key in _POETRY_ONLY:
            out.notes.append(reported(table, key, f"{key}: Poetry's own setting, not uv's"))
        elif key not in (*_HERE, *_URL_KEYS, *_ELSEWHERE, *BUILD_KEYS):
            out.notes.append(reported(table, key, f"{key}: no [project] key; left out"))
    out.notes.extend(mapped(table, k, f"{k} → [project]") for k in _HERE if k in poetry)
    out.notes.extend(mapped(table, k, f"{k} → [project.urls]") for k in _URL_KEYS if k in poetry)
    return out


def _person(text: str) -> dict[str, str]:
    m = _PERSON.match(str(text))
    if m is None:
        return {"name": str(text)}
    person = {"name": m["name"]} if m["name"] else {}
    if m["email"]:
        person["email"] = m["email"].strip()
    return person


def _urls(poetry: Mapping[str, Any]) -> dict[str, str]:
    urls = {label: str(poetry[key]) for key, label in _URLS if key in poetry}
    urls.update({str(k): str(v) for k, v in (poetry.get("urls") or {}).items()})
    return urls


def _entry_points(poetry: Mapping[str, Any], out: Metadata) -> None:
    scripts: dict[str, str] = {}
    for name, target in (poetry.get("scripts") or {}).items():
        if isinstance(target, Mapping) and target.get("type") == "file":
            out.file_scripts[name] = target
            out.notes.append(
                reported(
                    "tool.poetry.scripts",
                    name,
                    f"{name}: a file script has no [project] form; it stays in "
                    "[tool.poetry.scripts], which poetry-core (the build backend) still reads",
                )
            )
            continue
        reference = _script_reference(name, target, out.notes)
        if reference is not None:
            scripts[name] = reference
    groups: dict[str, dict[str, str]] = {}
    for group, entries in (poetry.get("plugins") or {}).items():
        if group == "console_scripts":  # PEP 621 forbids it among entry-points
            scripts.update({str(k): str(v) for k, v in entries.items()})
        else:
            groups[str(group)] = {str(k): str(v) for k, v in entries.items()}
    if scripts:
        out.project["scripts"] = scripts
    if groups:
        out.project["entry-points"] = groups


def _script_reference(name: str, target: Any, notes: list[Note]) -> str | None:
    if isinstance(target, str):
        return target
    if not isinstance(target, Mapping):
        notes.append(refused("tool.poetry.scripts", name, f"{name}: {target!r} is no script"))
        return None
    reference = str(target.get("reference") or target.get("callable") or "")
    extras = target.get("extras") or []
    return reference + (f" [{','.join(extras)}]" if extras else "")
