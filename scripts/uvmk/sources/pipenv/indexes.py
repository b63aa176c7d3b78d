"""Pipfile `[[source]]` → `[[tool.uv.index]]`.

Pipenv installs a package from the first source unless the package names another with
`index = "…"` (since 2022.3; `[pipenv] install_search_all_sources = true` restores searching
them all). So the first source is uv's default (nothing to write when it is PyPI) and every
other one is `explicit`, unless all are searched. URLs keep `${VAR}` references out: uv reads
credentials from UV_INDEX_<NAME>_USERNAME / _PASSWORD.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from uvmk.sources.notes import Note, mapped, refused, reported

_TABLE = "source"
_PYPI = re.compile(r"^https?://pypi\.(org|python\.org)/simple/?$")


@dataclass
class Indexes:
    indexes: list[dict[str, Any]] = field(default_factory=list)
    insecure_hosts: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # Pipfile name → uv index name
    notes: list[Note] = field(default_factory=list)


def convert_indexes(sources: list[Mapping[str, Any]], search_all: bool) -> Indexes:
    out = Indexes()
    for position, source in enumerate(sources):
        name = str(source.get("name") or f"index-{position}")
        uv_name = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or f"index-{position}"
        out.names[name] = uv_name
        url = _without_credentials(str(source.get("url", "")), name, out.notes)
        if "$" in url:  # uv does not expand variables in pyproject.toml
            out.notes.append(
                refused(
                    _TABLE,
                    "",
                    f"source {name}: its URL {url} uses an environment variable outside its "
                    "credentials, which uv cannot expand in pyproject.toml",
                )
            )
            continue
        if source.get("verify_ssl") is False and (host := urlsplit(url).hostname):
            out.insecure_hosts.append(host)
            out.notes.append(
                mapped(_TABLE, "", f"source {name}: verify_ssl = false → allow-insecure-host")
            )
        if position == 0:
            if _PYPI.match(url):
                out.names[name] = ""  # uv's own default: a pin to it needs no source
                continue
            out.indexes.append({"name": uv_name, "url": url, "default": True})
        else:
            entry: dict[str, Any] = {"name": uv_name, "url": url}
            if not search_all:
                entry["explicit"] = True
            out.indexes.append(entry)
        out.notes.append(mapped(_TABLE, "", f"source {name} → [[tool.uv.index]] {uv_name}"))
    if search_all and len(sources) > 1:
        out.notes.append(
            reported(
                "pipenv",
                "install_search_all_sources",
                "every source searched: uv takes a package from the first index that has it "
                "(pip and Pipenv take the best version of all)",
            )
        )
    return out


def _without_credentials(url: str, name: str, notes: list[Note]) -> str:
    parts = urlsplit(url)
    if not (parts.username or parts.password):
        return url
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    env = re.sub(r"[^A-Z0-9]", "_", name.upper())
    notes.append(
        reported(
            _TABLE,
            "",
            f"source {name}: its URL's credentials not written (uv reads "
            f"UV_INDEX_{env}_USERNAME / UV_INDEX_{env}_PASSWORD)",
        )
    )
    return urlunsplit(parts._replace(netloc=netloc))
