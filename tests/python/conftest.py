"""Every test runs with UV_PYTHON_DOWNLOADS=never unless the caller set it: this machine (and
CI without network) cannot download Pythons, so the engine picks an installed one, as the
bats suite's test_helper.bash does."""

from __future__ import annotations

import os

os.environ.setdefault("UV_PYTHON_DOWNLOADS", "never")
