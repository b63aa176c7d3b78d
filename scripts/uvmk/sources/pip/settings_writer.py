"""The state pip options are mapped into, and how a [tool.uv] setting is written: what
pyproject already says wins, and each decision is said once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uvmk.diagnostics import Where
from uvmk.sources.pip.grammar import Note, OptionLine, redact, toml_text


@dataclass
class UvSettings:
    indexes: list[dict[str, Any]] = field(default_factory=list)
    tool_uv: dict[str, Any] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


class SettingsWriter:
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

    def _set_package_setting(self, package: str, key: str, value: str, option: OptionLine) -> None:
        """[tool.uv] config-settings-package.<package>.<key>, unless pyproject says otherwise."""
        per_package = self.existing.get("config-settings-package") or {}
        current = (per_package.get(package) or {}).get(key)
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
        planned = self.out.tool_uv.setdefault("config-settings-package", {})
        planned.setdefault(package, {})[key] = value
        self.note(
            "config-settings-package",
            f"`{redact(option.text)}` -> [tool.uv] config-settings-package.{package}.{key} = "
            f"{toml_text(value)}",
            option.where,
        )
