"""pip's global options in requirements files -> [tool.uv] settings and [[tool.uv.index]] entries.

Each option is mapped to the uv setting that means the same thing, or reported when there is
none. Credentials in index URLs are never copied: uv reads them from
UV_INDEX_<NAME>_USERNAME / UV_INDEX_<NAME>_PASSWORD, and we say so.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from packaging.utils import canonicalize_name

from uvmk.requirements.grammar import (
    Note,
    OptionLine,
    RequirementsError,
    Where,
    env_vars_in,
    redact,
    toml_text,
)

PYPI_HOSTS = ("pypi.org", "pypi.python.org", "files.pythonhosted.org")


@dataclass
class UvSettings:
    indexes: list[dict[str, Any]] = field(default_factory=list)
    tool_uv: dict[str, Any] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


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


def map_pip_options(options: list[OptionLine], root: Path, existing: dict[str, Any]) -> UvSettings:
    """Map every option line to uv settings or a note. `existing` is pyproject's [tool.uv]:
    what it already says wins, and nothing it already has is planned again."""
    mapper = _OptionMapper(root, existing)
    for option in options:
        mapper.map(option)
    mapper.finish()
    return mapper.out


class _OptionMapper:
    def __init__(self, root: Path, existing: dict[str, Any]) -> None:
        self.root = root
        self.existing = existing
        self.out = UvSettings()
        existing_indexes = existing.get("index")
        self.existing_indexes = [i for i in existing_indexes or [] if isinstance(i, dict)]
        # The deprecated [tool.uv] index-url / extra-index-url keys name indexes too.
        legacy = [existing.get("index-url"), *(existing.get("extra-index-url") or [])]
        self.existing_indexes += [
            {"name": f"legacy-{n}", "url": url, "default": n == 0}
            for n, url in enumerate(legacy)
            if isinstance(url, str)
        ]
        self.taken = {str(i.get("name")) for i in self.existing_indexes}
        self.default_index: OptionLine | None = None
        self.no_binary: set[str] = set()
        self.only_binary: set[str] = set()
        self.format_where: dict[str, Where] = {}
        self.noted: set[tuple[str, str]] = set()
        self.seen: dict[tuple[str, str], Where] = {}

    def note(self, code: str, message: str, where: Where | None) -> None:
        key = (code, message)
        if key not in self.noted:  # the same option in five files is one note
            self.noted.add(key)
            self.out.notes.append(Note(code, message, where))

    def map(self, option: OptionLine) -> None:
        same = (option.option, repr(option.value))
        if same in self.seen:
            first = self.seen[same]
            self.note(
                "repeated-option",
                f"`{redact(option.text)}` repeats {first}: same setting",
                option.where,
            )
            return
        self.seen[same] = option.where
        handler = getattr(self, f"_on_{option.option}", None)
        if handler is None:
            self.note(
                "unsupported-option", f"`{redact(option.text)}` has no uv equivalent", option.where
            )
        else:
            handler(option)

    # --- indexes -------------------------------------------------------------------------

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

    # --- resolution and build options -------------------------------------------------------

    def _on_pre(self, option: OptionLine) -> None:
        self._set("prerelease", "allow", option)

    def _on_no_binary(self, option: OptionLine) -> None:
        for value in option.value:
            _format_control(str(value), self.no_binary, self.only_binary)
        self.format_where.setdefault("no-binary", option.where)
        self._format_note(option)

    def _on_only_binary(self, option: OptionLine) -> None:
        for value in option.value:
            _format_control(str(value), self.only_binary, self.no_binary)
        self.format_where.setdefault("only-binary", option.where)
        self._format_note(option)

    def _format_note(self, option: OptionLine) -> None:
        """Each --no-binary/--only-binary line is read in order with pip's rules; the combined
        result becomes no-binary(-package) / no-build(-package) (noted at the first line)."""
        self.note(
            "binary-option",
            f"`{option.text}` read with pip's rules (comma lists, :all:, :none:, later lines "
            f"win); the combined result goes to [tool.uv]",
            option.where,
        )

    def _on_prefer_binary(self, option: OptionLine) -> None:
        self.note(
            "prefer-binary",
            "--prefer-binary has no uv equivalent (uv already takes wheels when the "
            "version has one); use no-build-package for packages that must never build",
            option.where,
        )

    def _on_require_hashes(self, option: OptionLine) -> None:
        self.note(
            "require-hashes",
            "--require-hashes: uv.lock records a hash for every file and uv sync checks them",
            option.where,
        )

    def _on_use_features(self, option: OptionLine) -> None:
        features = [str(f) for f in option.value]
        if "truststore" in features:
            self.note(
                "use-feature-truststore",
                "--use-feature=truststore (the system's certificates) is uv's `--system-certs`: "
                "a machine setting, not the project's, so it is not written to pyproject; set "
                "UV_SYSTEM_CERTS=1 or `system-certs = true` in ~/.config/uv/uv.toml where a "
                "corporate proxy needs it",
                option.where,
            )
        others = [f for f in features if f != "truststore"]
        if others:
            self.note(
                "use-feature",
                f"--use-feature={','.join(others)} is a pip switch; uv has no equivalent",
                option.where,
            )

    def _on_config_settings(self, option: OptionLine) -> None:
        for key, value in option.value:
            package, scoped, setting = str(key).partition(":")
            if scoped and setting and _PACKAGE.fullmatch(package):
                # `pkg:key=value` is meant for one package's build, never for all of them
                self._set_package_setting(package, setting, str(value), option)
            else:
                self._set_in("config-settings", str(key), str(value), option)

    def _set_package_setting(self, package: str, key: str, value: str, option: OptionLine) -> None:
        current = ((self.existing.get("config-settings-package") or {}).get(package) or {}).get(key)
        if current == value:
            return
        if current is not None:
            self.note(
                "tool-uv-kept",
                f"`{redact(option.text)}` differs from [tool.uv] config-settings-package."
                f"{package}.{key}: pyproject kept",
                option.where,
            )
            return
        per_package = self.out.tool_uv.setdefault("config-settings-package", {})
        per_package.setdefault(package, {})[key] = value
        self.note(
            "config-settings-package",
            f"`{redact(option.text)}` -> [tool.uv] config-settings-package.{package}.{key} = "
            f"{toml_text(value)}",
            option.where,
        )

    def finish(self) -> None:
        for flag, key, names, code in (
            ("no-binary", "no-binary-package", self.no_binary, "no-binary"),
            ("no-build", "no-build-package", self.only_binary, "only-binary"),
        ):
            where = self.format_where.get(code)
            if where is None:
                continue
            if ":all:" in names:
                self._set(flag, True, OptionLine(where, f"--{code} :all:", code, True))
            packages = sorted(n for n in names if n != ":all:")
            for package in packages:
                self._append(key, package, OptionLine(where, f"--{code} {package}", code, package))
            if not names:
                self.note(
                    code,
                    f"--{code}: nothing left once later :all:/:none: options apply (pip's rules)",
                    where,
                )

    # --- writing helpers --------------------------------------------------------------------

    def _set(self, key: str, value: Any, option: OptionLine) -> None:
        current = self.existing.get(key)
        if current is None:
            if key not in self.out.tool_uv:
                self.note(
                    key,
                    f"`{redact(option.text)}` -> [tool.uv] {key} = {toml_text(value)}",
                    option.where,
                )
            self.out.tool_uv[key] = value
        elif current != value:
            self.note(
                "tool-uv-kept",
                f"`{redact(option.text)}` differs from [tool.uv] {key} = {toml_text(current)}: "
                f"pyproject kept",
                option.where,
            )

    def _append(self, key: str, value: str, option: OptionLine) -> None:
        current = self.existing.get(key) or []
        planned = self.out.tool_uv.setdefault(key, [])
        if value in current or value in planned:
            if not planned:
                del self.out.tool_uv[key]
            return
        planned.append(value)
        self.note(
            key, f"`{redact(option.text)}` -> [tool.uv] {key} += {toml_text(value)}", option.where
        )

    def _set_in(self, key: str, sub: str, value: str, option: OptionLine) -> None:
        current = (self.existing.get(key) or {}).get(sub)
        if current == value:
            return
        if current is not None:
            self.note(
                "tool-uv-kept",
                f"`{redact(option.text)}` differs from [tool.uv] {key}.{sub}: pyproject kept",
                option.where,
            )
            return
        self.out.tool_uv.setdefault(key, {})[sub] = value
        self.note(
            key,
            f"`{redact(option.text)}` -> [tool.uv] {key}.{sub} = {toml_text(value)}",
            option.where,
        )


_PACKAGE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


def _format_control(value: str, target: set[str], other: set[str]) -> None:
    """pip's FormatControl.handle_mutual_excludes: comma lists, `:all:`, `:none:`."""
    names = value.split(",")
    while ":all:" in names:
        other.clear()
        target.clear()
        target.add(":all:")
        del names[: names.index(":all:") + 1]
        if ":none:" not in names:
            return
    for name in names:
        if not name:
            continue
        if name == ":none:":
            target.clear()
            continue
        other.discard(name)
        other.discard(canonicalize_name(name))
        target.add(name)


def _same_url(index: dict[str, Any], url: str) -> bool:
    return str(index.get("url", "")).rstrip("/") == url.rstrip("/")


def _relpath(path: Path, root: Path) -> str:
    return os.path.relpath(path, root.resolve())
