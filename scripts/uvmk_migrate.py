#!/usr/bin/env -S uv run --quiet --script
# /// script
# requires-python = ">=3.10"
# dependencies = ["tomlkit>=0.13", "packaging>=24", "pip-requirements-parser>=32.0.1"]
# ///
"""Runs the engine (the uvmk package beside this file) in its own environment, so the host
project gains no dependency: `uv run --script scripts/uvmk_migrate.py audit|migrate|verify`."""

import os
import sys
from pathlib import Path

if sys.dont_write_bytecode:
    # PYTHONDONTWRITEBYTECODE=1 (the python Docker images, many CI images) would make every run
    # compile the engine and its libraries from source (~0.3-0.5 s of CPU). The engine keeps its
    # byte-code anyway, in a cache of its own (never beside the files of a repo, the host's
    # wish), set here and not in the environment: the processes it starts see the host's setting.
    sys.dont_write_bytecode = False
    if sys.pycache_prefix is None:
        cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        sys.pycache_prefix = os.path.join(cache, "uv-mk", "pycache")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from uvmk.cli import run

run()
