"""The one home of the patterns that say whether a line calls pip, makes or uses a venv, or runs
a bare Python interpreter: the audit (survey) and the Makefile rewrite read lines with these.
Where two of them differ, the difference is the point and is named: the audit flags what a
reader must fix, the rewrite decides what uv.mk may replace."""

from __future__ import annotations

import re

# python, python3, python3.11, /usr/bin/python3, /usr/local/bin/python
_PYTHON = r"(?:/usr(?:/local)?/bin/)?python(?:3(?:\.\d{1,2})?)?"

# A hard-coded interpreter the audit reports: not the tail of a path (`venv/bin/python` is a
# venv use, reported as such), not a make variable's name.
INTERPRETER = re.compile(r"(?<![\w$(.{/-])" + _PYTHON + r"(?![\w.-])")
# An interpreter the rewrite treats as legacy: also the tail of a path (`$(VENV)/bin/python`).
INTERPRETER_ANYWHERE = re.compile(r"(?<![\w$(.{-])" + _PYTHON + r"(?![\w.-])")

# A pip call the audit reports: pip's package commands, `-m pip`, `$(PIP)`.
PIP_CALL = re.compile(
    r"(?<![\w.-])pip3?(?:\.\d+)?\s+(?:install|uninstall|freeze|download)\b"
    r"|-m\s+pip\b|\$[({]PIP[)}]"
)
# pip as the rewrite sees it: the word pip anywhere, or `-m pip`.
PIP_WORD = re.compile(r"(?<![\w.-])pip3?(?![\w.-])|-m\s+pip\b")
# pip installing into (or removing from) an environment, or `-m pip` at all.
PIP_ENV_USE = re.compile(r"(?<![\w.-])pip3?(?:\.\d+)?\s+(?:install|uninstall)\b|-m\s+pip\b")

# A venv made or used, as the audit reports it.
VENV_USE = re.compile(
    r"-m\s+venv\b|\bvirtualenv\b|/bin/activate\b|\$[({]VENV[)}]/bin/"
    r"|(?<![\w-])\.?venv/bin/"
)
# A venv made or activated, as the rewrite reads a recipe.
VENV_COMMAND = re.compile(r"-m\s+venv\b|\bvirtualenv\b|/bin/activate\b")
# A venv made (a kept target that makes one needs a real interpreter).
VENV_CREATION = re.compile(r"-m\s+venv\b|(?<![\w-])virtualenv\b")

# A recipe line that manages the environment: pip (un)install, venv creation, ensurepip,
# activation on its own line. uv.mk's install targets do all of this.
ENV_LINE = re.compile(
    r"(?<![\w.-])pip3?(?:\.\d+)?\s+(?:install|uninstall)\b|-m\s+pip\s+(?:install|uninstall)\b"
    r"|-m\s+venv\b|(?<![\w-])virtualenv\b|\bensurepip\b|^(?:source|\.)\s+\S*/activate\s*$"
)

_UV_RUN = re.compile(r"(?:\$[({]UV[)}]|(?<![\w-])uv)\s+(?:run|pip|tool\s+run)\s+(?:-\S+\s+)*\S+")


def strip_uv_run(text: str) -> str:
    """`$(UV) run python`, `uv pip install` are uv's own calls, not legacy ones."""
    return _UV_RUN.sub(" ", text)
