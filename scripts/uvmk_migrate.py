#!/usr/bin/env -S uv run --quiet --script
# /// script
# requires-python = ">=3.10"
# dependencies = ["tomlkit>=0.13", "packaging>=24", "pip-requirements-parser>=32.0.1"]
# ///
"""Runs the engine (the uvmk package beside this file) in its own environment, so the host
project gains no dependency: `uv run --script scripts/uvmk_migrate.py audit|migrate|verify`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from uvmk.cli import run

run()
