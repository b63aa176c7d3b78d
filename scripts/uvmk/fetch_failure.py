"""Which line of the old files brought in the URL uv could not fetch: a lock that fails on
an unreachable index says "Failed to fetch: https://pypi.corp.example/simple/click/"; the user
needs that host and the `--index-url` / `--extra-index-url` / `-f` line (or the pyproject
entry) it came from, not only the DNS error at the end of uv's causes."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from uvmk.sources.pip.grammar import Note

_FETCH = re.compile(r"Failed to (?:fetch|download)[^:]*:\s*`?(?P<url>[a-z][a-z0-9+.-]*://[^\s`]+)")
_ORIGIN_CODES = ("index-added", "index-default-kept", "find-links", "index-credentials")


def failed_url(stderr: str) -> str | None:
    """The first URL uv says it failed to fetch or download."""
    match = _FETCH.search(stderr)
    return match["url"] if match else None


def fetch_line(stderr: str, notes: list[Note], pyproject_text: str | None) -> str | None:
    """`cannot fetch <url> (host <h>, from <file:line>)`, or None when uv fetched everything;
    the origin is the old file's option with that host, else pyproject.toml's line naming it."""
    url = failed_url(stderr)
    if url is None:
        return None
    host = (urlsplit(url).hostname or "").lower()
    origin = next(
        (
            str(n.where)
            for n in notes
            if n.where is not None
            and n.code.startswith(_ORIGIN_CODES)
            and host
            and host in n.message.lower()
        ),
        None,
    )
    if origin is None and pyproject_text and host:
        for number, line in enumerate(pyproject_text.splitlines(), start=1):
            if host in line.lower():
                origin = f"pyproject.toml:{number}"
                break
    where = f", from {origin}" if origin else ""
    return f"cannot fetch {url} (host {host}{where})"
