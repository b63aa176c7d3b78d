"""A standard-library module imported on its first attribute access, for a library that imports
more than the engine uses: pip-requirements-parser imports urllib.request for one function
(url2pathname, for `file:` URLs), and with it http.client, email and ssl, ~20 ms of every engine
start (python -X importtime); and tempfile (with random) for what it does with archives.

Not importlib's LazyLoader: the `import` statement itself reads the module's __spec__, which
makes a LazyLoader module load at once. A stand-in module is put in sys.modules instead; its
first attribute lookup imports the real module in its place and answers from it, so any later
`import` gets the real one."""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any


def defer(name: str) -> None:
    """Put a stand-in for `name` in sys.modules unless the real one is imported already."""
    if name in sys.modules:
        return
    stand_in = types.ModuleType(name, f"stand-in for {name}, imported on first use")

    def real(attr: str) -> Any:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        return getattr(importlib.import_module(name), attr)

    stand_in.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[name] = stand_in
    parent, _, child = name.rpartition(".")
    if parent:  # `import urllib.request` finds it as an attribute of urllib, as usual
        setattr(importlib.import_module(parent), child, stand_in)
