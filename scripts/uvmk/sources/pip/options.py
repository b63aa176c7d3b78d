"""pip's global options in requirements files -> [tool.uv] settings and [[tool.uv.index]] entries.

Each option is mapped to the uv setting that means the same thing, or reported when there is
none. Credentials in index URLs are never copied: uv reads them from
UV_INDEX_<NAME>_USERNAME / UV_INDEX_<NAME>_PASSWORD, and we say so.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from uvmk.sources.pip.binary_options import BinaryOptions
from uvmk.sources.pip.grammar import OptionLine, redact
from uvmk.sources.pip.index_options import (
    CleanUrl,
    IndexOptions,
    credential_env,
    index_name,
    is_pypi,
    strip_credentials,
)
from uvmk.sources.pip.settings_writer import UvSettings

__all__ = [
    "CleanUrl",
    "UvSettings",
    "credential_env",
    "index_name",
    "is_pypi",
    "map_pip_options",
    "strip_credentials",
]


PACKAGE_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


def map_pip_options(options: list[OptionLine], root: Path, existing: dict[str, Any]) -> UvSettings:
    """Map every option line to uv settings or a note. `existing` is pyproject's [tool.uv]:
    what it already says wins, and nothing it already has is planned again."""
    mapper = _OptionMapper(root, existing)
    for option in options:
        mapper.map(option)
    mapper.finish()
    return mapper.out


class _OptionMapper(IndexOptions, BinaryOptions):
    """Each option line to its handler (`_on_<option>`); the index and binary options are
    handled by their own classes, the rest here."""

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

    def _on_pre(self, option: OptionLine) -> None:
        self._set("prerelease", "allow", option)

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
            if scoped and setting and PACKAGE_NAME.fullmatch(package):
                # `pkg:key=value` is meant for one package's build, never for all of them
                self._set_package_setting(package, setting, str(value), option)
            else:
                self._set_in("config-settings", str(key), str(value), option)

    def finish(self) -> None:
        self.finish_binary()
