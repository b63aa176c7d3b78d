"""pip's --no-binary / --only-binary / --prefer-binary, read with pip's own rules ->
[tool.uv] no-binary(-package) / no-build(-package)."""

from __future__ import annotations

from packaging.utils import canonicalize_name

from uvmk.sources.pip.grammar import (
    OptionLine,
)
from uvmk.sources.pip.settings_writer import SettingsWriter


class BinaryOptions(SettingsWriter):
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

    def finish_binary(self) -> None:
        """The combined --no-binary/--only-binary result, written once every line is read."""
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
