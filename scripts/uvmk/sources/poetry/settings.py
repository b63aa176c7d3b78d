"""poetry.toml (Poetry's own settings for this project) → what each one is with uv: said at its
line, mapped where uv already does the same, reported with uv's way where it does not. The file
is kept (Poetry reads it while a kept line still runs Poetry); no credential it holds is echoed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import tomlkit
from tomlkit.exceptions import ParseError

from uvmk.survey.pyproject_text import key_line

# setting → (the value at which uv does the same already, or None; what uv does then; uv's way
# otherwise)
_UV_WAY: dict[str, tuple[Any, str, str]] = {
    "virtualenvs.in-project": (
        True,
        "uv's environment is .venv in the project already",
        "uv's environment is .venv in the project (UV_PROJECT_ENVIRONMENT moves it)",
    ),
    "virtualenvs.create": (
        True,
        "uv makes .venv too",
        "Poetry installed into the Python it ran with; uv installs into .venv (`uv sync "
        "--active` into an activated venv, UV_PROJECT_ENVIRONMENT names another)",
    ),
    "virtualenvs.path": (None, "", "UV_PROJECT_ENVIRONMENT moves .venv"),
    "virtualenvs.prefer-active-python": (None, "", ".python-version decides uv's Python"),
    "virtualenvs.use-poetry-python": (None, "", ".python-version decides uv's Python"),
    "virtualenvs.options.system-site-packages": (
        False,
        "uv's .venv sees no system packages either",
        "`uv venv --system-site-packages` before `uv sync` gives the same",
    ),
    "virtualenvs.options.no-pip": (True, "uv's .venv has no pip", "uv's .venv has no pip"),
    "virtualenvs.options.no-setuptools": (True, "uv's .venv has none", "uv's .venv has none"),
    "installer.max-workers": (None, "", "UV_CONCURRENT_INSTALLS"),
    "installer.parallel": (True, "uv installs in parallel", "UV_CONCURRENT_INSTALLS=1"),
    "installer.no-binary": (None, "", "[tool.uv] no-binary-package (not written: check it)"),
    "installer.only-binary": (None, "", "[tool.uv] no-build-package (not written: check it)"),
    "keyring.enabled": (None, "", "uv's --keyring-provider (UV_KEYRING_PROVIDER)"),
    "cache-dir": (None, "", "UV_CACHE_DIR"),
}
# tables whose keys are per index or repository: said by table, their values never shown
_PER_NAME = {
    "repositories": "a publishing repository: `uv publish --publish-url <its URL>` (make "
    "publish PUBLISH_URL=…)",
    "http-basic": "credentials: never written; uv reads UV_INDEX_<NAME>_USERNAME / _PASSWORD "
    "(UV_PUBLISH_USERNAME / _PASSWORD to publish)",
    "pypi-token": "a publishing token: never written; uv publish reads UV_PUBLISH_TOKEN",
    "certificates": "SSL_CERT_FILE (or uv's --native-tls) for the index's certificate",
}


def settings_notes(text: str) -> list[str]:
    """One note a setting of poetry.toml's `text`, each ending `(poetry.toml:N)`."""
    try:
        doc = tomlkit.parse(text).unwrap()
    except ParseError as e:
        return [f"poetry.toml cannot be read ({e}): kept as it is, uv reads none of it"]
    notes = ["poetry.toml (Poetry's own settings) kept, for the lines left running Poetry"]
    for dotted, value in _settings(doc):
        table, _, key = dotted.rpartition(".")
        line = key_line(text, table, key) or key_line(text, "", dotted) or 1
        where = f"(poetry.toml:{line})"
        top = dotted.split(".", 1)[0]
        if top in _PER_NAME:
            notes.append(f"poetry.toml {dotted}: {_PER_NAME[top]} {where}")
            continue
        same, alike, other = _UV_WAY.get(dotted, (None, "", "none: Poetry's own setting"))
        uv = alike if same is not None and value == same else f"with uv: {other}"
        notes.append(f"poetry.toml {dotted} = {_show(value)}: {uv} {where}")
    return notes


def _settings(doc: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in doc.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, Mapping) and dotted.split(".", 1)[0] not in _PER_NAME:
            yield from _settings(value, dotted + ".")
        elif isinstance(value, Mapping):
            for name in value:
                yield f"{dotted}.{name}", None
        else:
            yield dotted, value


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)
