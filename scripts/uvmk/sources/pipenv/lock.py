"""Pipfile.lock → the versions the team tested, as seeds for uv.lock ({name: version}).

Every category (`default`, `develop`, custom ones) is resolved by Pipenv on its own, so a name
may be locked at two versions: such a name is said, not seeded (notes.seeds_of).
Git, path and file entries are pinned by their `[tool.uv.sources]` entry instead; an entry whose
markers were false where Pipenv ran has no version (`"*"`) and seeds nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from packaging.utils import canonicalize_name

from uvmk.sources.notes import Note, reported, seeds_of


@dataclass
class Locked:
    seeds: dict[str, str] = field(default_factory=dict)
    elsewhere: dict[str, str] = field(default_factory=dict)  # name → "git <url>@<ref>" …
    notes: list[Note] = field(default_factory=list)
    categories: dict[str, dict[str, str]] = field(default_factory=dict)  # category → pins


def read(text: str) -> Locked:
    """Pipfile.lock's text → its seeds; raises json.JSONDecodeError on broken JSON."""
    doc = json.loads(text)
    out = Locked()
    versions: dict[str, set[str]] = {}
    for category, packages in doc.items():
        if category == "_meta" or not isinstance(packages, dict):
            continue
        pins = out.categories.setdefault(category, {})
        for name, entry in packages.items():
            key = canonicalize_name(name)
            version = str(entry.get("version", ""))
            kind = next((k for k in ("git", "path", "file") if k in entry), "")
            if not kind and not version.startswith("=="):
                out.notes.append(
                    reported(
                        category,
                        key,
                        f"{key} is in Pipfile.lock without a version (its markers did not hold "
                        "where Pipenv locked it): uv lock chooses one",
                    )
                )
                continue
            if kind:
                where = entry.get("ref") or ""
                out.elsewhere[key] = f"{kind} {entry.get(kind, '')}" + (
                    f"@{where}" if where else ""
                )
                continue
            pins[key] = version[2:]
            versions.setdefault(key, set()).add(version[2:])
    out.seeds, said = seeds_of(versions, "", "in different categories")
    out.notes += said
    return out
