"""pip's index options (--index-url, --extra-index-url, --no-index, --find-links,
--trusted-host) -> [[tool.uv.index]] entries and [tool.uv] settings; credentials never copied."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from uvmk.diagnostics import Where
from uvmk.sources.pip.grammar import OptionLine, RequirementsError, env_vars_in
from uvmk.sources.pip.settings_writer import SettingsWriter

PYPI_HOSTS = ("pypi.org", "pypi.python.org", "files.pythonhosted.org")


@dataclass(frozen=True)
class CleanUrl:
    url: str  # without user:password@
    had_credentials: bool
    variables: tuple[str, ...]  # ${VAR} found in the credentials


def strip_credentials(url: str, where: Where) -> CleanUrl:
    """Remove `user:pass@` / `${USER}:${TOKEN}@` from a URL. A variable anywhere else in the URL
    is refused: uv does not expand variables in pyproject.toml."""
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    clean = urlunsplit(parts._replace(netloc=host)) if at else url
    if env_vars_in(clean):
        raise RequirementsError(
            f"URL {clean} uses an environment variable outside its credentials; "
            f"uv cannot expand it in pyproject.toml ({where})"
        )
    return CleanUrl(clean, bool(at), tuple(env_vars_in(userinfo)))


def is_pypi(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in PYPI_HOSTS


_GENERIC_LABELS = {"www", "pypi", "download", "downloads", "repo", "packages", "simple", "api"}


def index_name(url: str, taken: set[str]) -> str:
    """A short, stable, unique name from the URL: `https://download.pytorch.org/whl/cu121` ->
    `pytorch-cu121`, `https://pypi.corp.example.com/simple` -> `corp-example`."""
    parts = urlsplit(url)
    labels = (parts.hostname or "index").lower().split(".")
    if len(labels) > 1:
        labels = labels[:-1]  # the TLD says nothing
    words = [label for label in labels if label not in _GENERIC_LABELS] or labels[:1]
    segments = [s for s in parts.path.lower().split("/") if s and s not in _GENERIC_LABELS]
    if segments:
        words.append(segments[-1])
    base = re.sub(r"[^a-z0-9]+", "-", "-".join(words)).strip("-") or "index"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def credential_env(name: str) -> str:
    return "UV_INDEX_" + re.sub(r"[^A-Z0-9]", "_", name.upper())


class IndexOptions(SettingsWriter):
    def _on_index_url(self, option: OptionLine) -> None:
        if self.default_index is not None and self.default_index.value != option.value:
            raise RequirementsError(
                f"two different --index-url: {self.default_index.where} and {option.where}; "
                f"keep one ({option.where})"
            )
        self.default_index = option
        self._index(str(option.value), option, default=True)

    def _on_extra_index_urls(self, option: OptionLine) -> None:
        for url in option.value:
            self._index(str(url), option, default=False)
        self.note(
            "index-strategy",
            "pip merged all indexes; uv takes a package from the first index that has it "
            '(safer). Set index-strategy = "unsafe-best-match" in [tool.uv] only if you must',
            option.where,
        )

    def _index(self, url: str, option: OptionLine, *, default: bool) -> None:
        clean = strip_credentials(url, option.where)
        if is_pypi(clean.url):
            self.note(
                "index-pypi", f"{clean.url} is PyPI, uv's default: nothing to add", option.where
            )
            return
        known = [i for i in self.existing_indexes + self.out.indexes if _same_url(i, clean.url)]
        name = str(known[0]["name"]) if known else index_name(clean.url, self.taken)
        if not known:
            if default and any(i.get("default") for i in self.existing_indexes):
                self.note(
                    "index-default-kept",
                    f"pyproject already has a default index; {clean.url} added as a normal index",
                    option.where,
                )
                default = False
            entry: dict[str, Any] = {"name": name, "url": clean.url}
            if default:
                entry["default"] = True
            self.taken.add(name)
            self.out.indexes.append(entry)
            what = "replaces PyPI (default = true)" if default else "is searched before PyPI"
            self.note("index-added", f"index {name!r} ({clean.url}) {what}", option.where)
        if clean.had_credentials:
            env = credential_env(name)
            origin = (
                f"they came from {', '.join(clean.variables)}"
                if clean.variables
                else "they were written in clear in the file"
            )
            self.note(
                "index-credentials",
                f"credentials of index {name!r} not written ({origin}): "
                f"set {env}_USERNAME and {env}_PASSWORD",
                option.where,
            )

    def _on_no_index(self, option: OptionLine) -> None:
        self._set("no-index", True, option)

    def _on_find_links(self, option: OptionLine) -> None:
        for value in option.value:
            self._find_links(str(value), option)

    def _find_links(self, value: str, option: OptionLine) -> None:
        if re.match(r"^[a-z][a-z0-9+.-]*://", value, re.I):
            clean = strip_credentials(value, option.where)
            if clean.had_credentials:
                self.note(
                    "find-links-credentials",
                    f"credentials in --find-links {clean.url} not written; use a netrc or keyring",
                    option.where,
                )
            self._append("find-links", clean.url, option)
            return
        # pip looks next to the requirements file first, then in the working directory.
        file_dir = self.root / Path(option.where.path).parent
        for base in (file_dir, self.root):
            candidate = (base / value).resolve()
            if candidate.exists():
                rel = Path(_relpath(candidate, self.root)).as_posix()
                self._append("find-links", rel, option)
                return
        self.note(
            "find-links-missing",
            f"--find-links {value} does not exist; not written (uv would fail on it)",
            option.where,
        )

    def _on_trusted_hosts(self, option: OptionLine) -> None:
        hosts = ", ".join(option.value)
        self.note(
            "trusted-host",
            f"--trusted-host {hosts} not migrated: prefer HTTPS; if you must, add "
            f"allow-insecure-host = [...] to [tool.uv] yourself",
            option.where,
        )


def _same_url(index: dict[str, Any], url: str) -> bool:
    return str(index.get("url", "")).rstrip("/") == url.rstrip("/")


def _relpath(path: Path, root: Path) -> str:
    return os.path.relpath(path, root.resolve())
