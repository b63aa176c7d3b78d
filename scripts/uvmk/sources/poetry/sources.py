"""`[[tool.poetry.source]]` → `[[tool.uv.index]]`, searched in Poetry's order.

Poetry searches primary sources in order (PyPI only when none is configured or it is listed),
then supplemental ones; explicit ones only for the packages that name them. uv searches its
indexes in order and its default index (PyPI unless one says `default = true`) last. So the
last index of Poetry's order becomes uv's default, and PyPI is written out where Poetry puts
it; credentials are never written (uv reads them from UV_INDEX_<NAME>_USERNAME/_PASSWORD).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from uvmk.sources.notes import Note, mapped, refused, reported

PYPI = "https://pypi.org/simple"
_TABLE = "tool.poetry.source"


@dataclass
class Indexes:
    indexes: list[dict[str, Any]] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # Poetry's source name → uv's index name
    notes: list[Note] = field(default_factory=list)


def convert_sources(sources: list[Mapping[str, Any]], named: set[str]) -> Indexes:
    """`named`: the sources that dependencies name with `source = "…"`."""
    out = Indexes()
    primary: list[Mapping[str, Any]] = []
    supplemental: list[Mapping[str, Any]] = []
    explicit: list[Mapping[str, Any]] = []
    for source in sources:
        priority = _priority(source, out.notes)
        {"primary": primary, "supplemental": supplemental, "explicit": explicit}[priority].append(
            source
        )
    pypi_listed = any(_is_pypi(s) for s in primary + supplemental)
    ordered = (primary or [{"name": "PyPI"}]) + supplemental
    if not primary:
        pypi_listed = True
    entries = [_index(s, out) for s in ordered]
    if entries and _is_pypi(ordered[-1]):
        entries.pop()  # uv's own default, searched last, is PyPI already
    elif entries and pypi_listed:
        entries[-1]["default"] = True
    elif entries:
        last_primary = len(primary) - 1
        entries[last_primary]["default"] = True
        if supplemental:
            out.notes.append(
                reported(
                    _TABLE,
                    "",
                    "uv searches its default index last: the supplemental sources come "
                    f"before primary {primary[-1]['name']} (Poetry searches them after it)",
                )
            )
    for source in explicit:
        entry = _index(source, out)
        entry["explicit"] = True
        entries.append(entry)
        if source["name"] not in named:
            out.notes.append(
                reported(_TABLE, "", f"explicit source {source['name']}: no dependency names it")
            )
    out.indexes = [e for e in entries if e]
    for name in named - set(out.names):
        out.notes.append(refused(_TABLE, "", f"a dependency names source {name}, never declared"))
    return out


def _priority(source: Mapping[str, Any], notes: list[Note]) -> str:
    priority = str(source.get("priority", ""))
    if source.get("default") or priority == "default":
        notes.append(mapped(_TABLE, "", f"source {source['name']}: default → primary, first"))
        return "primary"
    if source.get("secondary") or priority == "secondary":
        notes.append(mapped(_TABLE, "", f"source {source['name']}: secondary → supplemental"))
        return "supplemental"
    if priority in ("", "primary", "supplemental", "explicit"):
        return priority or "primary"
    notes.append(reported(_TABLE, "", f"source {source['name']}: priority {priority!r} unknown"))
    return "primary"


def _is_pypi(source: Mapping[str, Any]) -> bool:
    return str(source.get("name", "")).lower() == "pypi" and not source.get("url")


def _index(source: Mapping[str, Any], out: Indexes) -> dict[str, Any]:
    name = str(source["name"])
    uv_name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "index"
    if _is_pypi(source):
        out.names[name] = "pypi"
        return {"name": "pypi", "url": PYPI}
    out.names[name] = uv_name
    url = str(source.get("url", ""))
    parts = urlsplit(url)
    env = re.sub(r"[^A-Z0-9]", "_", uv_name.upper())
    if parts.username or parts.password:
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        url = urlunsplit(parts._replace(netloc=netloc))
        out.notes.append(
            reported(
                _TABLE,
                "",
                f"source {name}: its URL's credentials not written (uv reads them from "
                f"UV_INDEX_{env}_USERNAME / UV_INDEX_{env}_PASSWORD)",
            )
        )
    out.notes.append(
        mapped(
            _TABLE,
            "",
            f"source {name} → [[tool.uv.index]] {uv_name} (credentials: "
            f"UV_INDEX_{env}_USERNAME / UV_INDEX_{env}_PASSWORD, as Poetry's http-basic.{name})",
        )
    )
    return {"name": uv_name, "url": url}
