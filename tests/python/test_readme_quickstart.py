"""README's quick start replaces the steps that install the checkout (`pip install -e .`,
`pip install -r requirements…`, `python setup.py develop`, `pip install .`, and the venv they go
into), under the heading where those steps were; a user's `pip install <the package>` stays. It
installs what `make dev-install` installs, and no unchanged `pip install -r` step is left below
it."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_migrate_helpers import REPO, UV_MK, git_copy, run
from uvmk.rewriters import readme as plan_readme

LIBRARY = """# mylib

A library.

## Installation

```bash
pip install mylib
```

## Development

```bash
git clone https://github.com/example/mylib
cd mylib
python -m venv venv
source venv/bin/activate
pip install -e ".[dev]"
python setup.py develop
```

## Usage

Run `pip install mylib[plot]` for the plots.
"""


def test_a_users_pip_install_stays_and_the_quick_start_goes_where_the_clone_is_set_up() -> None:
    new, what, details = plan_readme.readme_quickstart(LIBRARY) or ("", "", ())
    installation, development = new.split("## Development")
    assert "```bash\npip install mylib\n```" in installation  # for users: kept
    assert "uv sync" not in installation
    assert "git clone https://github.com/example/mylib\ncd mylib\n" in development
    assert "uv sync --all-extras --all-groups" in development
    assert "pip install -e" not in new and "setup.py develop" not in new
    assert "source venv/bin/activate" not in new
    assert "`## Development`" in what
    assert 'replaced: pip install -e ".[dev]"' in details
    assert "Run `pip install mylib[plot]` for the plots." in new


def test_a_readme_that_only_installs_the_published_package_is_left_alone() -> None:
    text = "# mylib\n\n## Install\n\n```\npip install mylib\n```\n"
    assert plan_readme.readme_quickstart(text) is None


def test_the_quick_start_installs_what_dev_install_does_and_leaves_no_pip_step_below(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = git_copy(
        REPO / "tests" / "fixtures" / "readme" / "deploy-group", tmp_path / "deploy-group"
    )
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--uv-mk", str(UV_MK))
    assert r.code == 0, r.err
    assert "--no-group prod" in (root / "Makefile").read_text()  # make dev-install leaves it out
    readme = (root / "README.md").read_text()
    assert "uv sync --all-extras --all-groups --no-group prod" in readme
    setup = readme.split("## Setup", 1)[1].split("## Deploy", 1)[0]
    assert "pip install" not in setup and "source venv/bin/activate" not in setup
    assert "pre-commit install" in setup.split("uv sync", 1)[1]  # what the chained step also did
