"""A [project] table made from setup.cfg alone, for a setuptools project whose setup.py is a
bare setup() shim: the static [metadata] and [options] values carried over, anything computed
(setup() with arguments, `attr:`/`file:`) refused with its file:line."""

from __future__ import annotations

import configparser
import re
from pathlib import Path
from typing import Any

import tomlkit
from packaging.requirements import InvalidRequirement, Requirement

from uvmk.survey_model import SurveyError
from uvmk.text_files import line_of, read_text

SETUP_REFUSAL = (
    "setup.py/setup.cfg project: convert it to pyproject.toml first (e.g. move setup()'s "
    "name, version, python_requires, install_requires and extras_require into a [project] "
    "table: https://packaging.python.org/en/latest/guides/modernize-setup-py-project/)"
)
# the setup.cfg keys carried into [project]; any other [metadata]/[options] key stays setuptools'
_SETUP_CFG_KEYS = {
    ("metadata", "name"): "name",
    ("metadata", "version"): "version",
    ("metadata", "description"): "description",
    ("options", "python_requires"): "requires-python",
    ("options", "install_requires"): "dependencies",
}


def setup_cfg_project(root: Path) -> tuple[str, list[str]] | None:
    """A [project] table (TOML text) from a setuptools project with no pyproject [project]:
    setup.cfg's [metadata] name/version/description, [options] python_requires and
    install_requires, [options.extras_require]. None when there is no setup.py/setup.cfg;
    SurveyError when it cannot be done faithfully (setup() with arguments, no static name
    and version, `attr:`/`file:` values). Also returns what was carried over."""
    setup_py, setup_cfg = root / "setup.py", root / "setup.cfg"
    if not setup_py.is_file() and not setup_cfg.is_file():
        return None
    if setup_py.is_file():
        code = read_text(setup_py, root)
        if not re.search(r"\bsetup\(\s*\)", code):
            line = line_of(code, "setup(")
            raise SurveyError(f"{SETUP_REFUSAL} (setup.py:{line})")
    if not setup_cfg.is_file():
        raise SurveyError(f"{SETUP_REFUSAL} (setup.py:1)")
    text = read_text(setup_cfg, root)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source="setup.cfg")
    except configparser.Error as exc:
        raise SurveyError(f"setup.cfg cannot be read: {exc.message.splitlines()[0]}") from None
    if not setup_py.is_file() and not any(
        parser.has_section(s) for s in ("metadata", "options", "options.extras_require")
    ):
        return None  # only tool settings ([flake8], [tool:pytest]): no setuptools project
    values: dict[str, str] = {}
    for (section, key), field_name in _SETUP_CFG_KEYS.items():
        if parser.has_option(section, key):
            values[field_name] = parser.get(section, key).strip()
    extras: dict[str, str] = {}
    if parser.has_section("options.extras_require"):
        extras = {k: v.strip() for k, v in parser.items("options.extras_require")}
    for value in [*values.values(), *extras.values()]:
        if value.startswith(("attr:", "file:")):
            line = line_of(text, value)
            raise SurveyError(f"{SETUP_REFUSAL}: {value!r} is computed (setup.cfg:{line})")
    if not values.get("name") or not values.get("version"):
        raise SurveyError(f"{SETUP_REFUSAL}: setup.cfg has no static [metadata] name and version")
    project = tomlkit.table()
    for key in ("name", "version", "description", "requires-python"):
        if values.get(key):
            project.add(key, values[key])
    project.add("dependencies", _cfg_list(values.get("dependencies", "")))
    if extras:
        optional = tomlkit.table()
        for extra, value in extras.items():
            optional.add(extra, _cfg_list(value))
        project.add("optional-dependencies", optional)
    doc = tomlkit.document()
    doc.add("project", project)
    carried = [
        f"[{section}] {key}" for (section, key), f in _SETUP_CFG_KEYS.items() if f in values
    ] + (["[options.extras_require]"] if extras else [])
    return tomlkit.dumps(doc), carried


def _cfg_list(value: str) -> Any:
    """setup.cfg's dangling list (one item a line, `;`-less comments) as a multiline array."""
    items = [ln.split(" #", 1)[0].strip() for ln in value.splitlines()]
    array = tomlkit.array()
    for item in items:
        if item and not item.startswith("#"):
            try:
                Requirement(item)
            except InvalidRequirement:
                raise SurveyError(
                    f"{SETUP_REFUSAL}: setup.cfg lists {item!r}, not a PEP 508 requirement"
                ) from None
            array.append(item)
    array.multiline(True)
    return array
