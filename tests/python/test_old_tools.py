"""Poetry's and Pipenv's commands → uv's (rewriters/old_tools.py, the one table), and the
rewriters that use it: the host Makefile's recipes, docs, tox.ini, shell scripts. Each row is
what the old tool installs or does for the project, said with uv; a row the table cannot say
exactly is None (the line is kept and said, never approximated)."""

from __future__ import annotations

import pytest

from uvmk.rewriters.makefile import rewrite
from uvmk.rewriters.old_tool_lines import OLD_TOOL_LINES, is_setup_page
from uvmk.rewriters.old_tools import Shape, calls, translate

BOTH = frozenset({"poetry", "pipenv"})
# no optional group, no extra: `poetry install` installs what `make dev-install` does
PLAIN = Shape(make_targets=True, converted=BOTH)
# an optional docs group and an extra: `poetry install` is less than dev-install
OPTIONAL = Shape(
    groups=frozenset({"dev", "docs"}),
    default_groups=frozenset({"dev"}),
    extras=frozenset({"yaml"}),
    make_targets=True,
    converted=BOTH,
)
NO_MAKEFILE = Shape(converted=BOTH)


def _one(line: str, shape: Shape) -> str | None:
    [call] = list(calls(line))
    done = translate(call, shape)
    return None if done is None else done.for_people(shape)


@pytest.mark.parametrize(
    ("line", "shape", "expected"),
    [
        # poetry install: the default groups (the converted non-optional ones), no extras
        ("poetry install", PLAIN, "make dev-install"),
        ("poetry install", OPTIONAL, "uv sync"),
        ("poetry install", NO_MAKEFILE, "uv sync"),
        ("poetry install --with docs --all-extras", OPTIONAL, "make dev-install"),
        ("poetry install --with=docs", OPTIONAL, "uv sync --group docs"),
        ("poetry install --without dev", OPTIONAL, "make install"),  # dev is its one default
        (
            "poetry install --without dev",
            Shape(groups=frozenset({"dev", "test"})),
            "uv sync --no-group dev",
        ),
        ("poetry install --only main", OPTIONAL, "make install"),
        ("poetry install --only main,docs", OPTIONAL, "uv sync --no-default-groups --group docs"),
        ("poetry install --only docs", OPTIONAL, "uv sync --only-group docs"),
        ("poetry install --no-dev", PLAIN, "make install"),
        ("poetry install -E yaml", OPTIONAL, "uv sync --extra yaml"),
        ('poetry install --extras "a b"', OPTIONAL, "uv sync --extra a --extra b"),
        ("poetry install --all-groups --all-extras", OPTIONAL, "make dev-install"),
        ("poetry install --no-root -n", PLAIN, "uv sync --no-install-project"),
        ("poetry install --sync", PLAIN, "make dev-install"),  # uv sync always removes extras
        ("poetry install --compile", PLAIN, "uv sync --compile-bytecode"),
        ("poetry sync --with docs", OPTIONAL, "uv sync --group docs"),
        ("poetry -C app install", PLAIN, "uv --directory app sync"),
        ("poetry install --only-root", PLAIN, None),
        # run, shell: the same command in the project's environment
        ("poetry run pytest -q {posargs}", PLAIN, "uv run pytest -q {posargs}"),
        ('poetry run sh -c "a && b"', PLAIN, 'uv run sh -c "a && b"'),
        ("poetry shell", PLAIN, 'uv run "$SHELL"'),
        # add / remove: uv.mk's targets for the runtime and the dev group
        ("poetry add requests", PLAIN, "make uv-add PKG=requests"),
        ("poetry add requests", NO_MAKEFILE, "uv add requests"),
        ("poetry add requests@^2.31", PLAIN, "make uv-add PKG='requests>=2.31,<3.0'"),
        ("poetry add requests@latest", PLAIN, "make uv-add PKG=requests"),
        ("poetry add -G dev pytest", PLAIN, "make uv-add-dev PKG=pytest"),
        ("poetry add --dev pytest", PLAIN, "make uv-add-dev PKG=pytest"),
        ("poetry add --group docs mkdocs", PLAIN, "uv add --group docs mkdocs"),
        ("poetry add --source company six", PLAIN, "uv add --index company six"),
        ("poetry add -E socks requests", PLAIN, "make uv-add PKG='requests[socks]'"),
        (
            "poetry add git+https://github.com/a/b",
            PLAIN,
            "make uv-add PKG=git+https://github.com/a/b",
        ),
        ("poetry add b@git+https://github.com/a/b", PLAIN, None),
        (
            "poetry add 'attrs@^22.1 || ^23.1'",
            PLAIN,
            "make uv-add PKG='attrs>=22.1,<24.0,!=23.0.*'",
        ),
        ("poetry remove requests", PLAIN, "make uv-remove PKG=requests"),
        ("poetry remove -G dev pytest", PLAIN, "make uv-remove-dev PKG=pytest"),
        # lock: Poetry 2 keeps the locked versions, 1.x re-resolved unless --no-update
        ("poetry lock", PLAIN, "make uv-lock"),
        ("poetry lock", Shape(poetry_lock_upgrades=True, converted=BOTH), "uv lock --upgrade"),
        ("poetry lock --no-update", Shape(poetry_lock_upgrades=True), "uv lock"),
        ("poetry lock --regenerate", PLAIN, "uv lock --upgrade"),
        ("poetry lock --check", PLAIN, "make uv-check-lock"),
        ("poetry update", PLAIN, "make uv-upgrade"),
        ("poetry update", OPTIONAL, "uv lock --upgrade && uv sync"),
        ("poetry update requests", PLAIN, "make uv-upgrade-package PKG=requests"),
        ("poetry update --lock", PLAIN, "uv lock --upgrade"),
        # export: the main group alone, never the project itself
        (
            "poetry export -f requirements.txt -o requirements.txt --without-hashes",
            PLAIN,
            "uv export --no-default-groups --no-emit-project -o requirements.txt --no-hashes",
        ),
        (
            "poetry export --with dev --only main",
            PLAIN,
            "uv export --no-default-groups --no-emit-project --group dev",
        ),
        ("poetry export -f constraints.txt", PLAIN, None),
        (
            "poetry export -E yaml --extras=a",
            OPTIONAL,
            "uv export --no-default-groups --no-emit-project --extra yaml --extra a",
        ),
        # each --only is one more group: the second no longer fails to drop the default ones
        (
            "poetry export --only docs --only dev",
            OPTIONAL,
            "uv export --no-emit-project --only-group docs --only-group dev",
        ),
        ("poetry export --with", PLAIN, None),  # an option without its value: not understood
        ("poetry build -f wheel", PLAIN, "uv build --wheel"),
        # a short option's value may follow it directly, as Poetry's parser reads it
        ("poetry build -fsdist -odist", PLAIN, "uv build --sdist --out-dir dist"),
        ("poetry add -Gdocs mkdocs", PLAIN, "uv add --group docs mkdocs"),
        ("poetry add -Esocks requests", PLAIN, "make uv-add PKG='requests[socks]'"),
        ("poetry remove --extras socks requests", PLAIN, None),  # add's option, not remove's
        ("poetry publish", PLAIN, None),
        ("poetry config virtualenvs.in-project true", PLAIN, None),
        # pipenv install: [packages] alone; --dev adds [dev-packages] (the dev group)
        ("pipenv install", PLAIN, "make install"),
        ("pipenv install --dev", PLAIN, "make dev-install"),
        ("pipenv install --dev", OPTIONAL, "uv sync --no-default-groups --group dev"),
        ("pipenv install --deploy", PLAIN, "uv sync --locked --no-default-groups"),
        (
            "pipenv install --ignore-pipfile --dev",
            PLAIN,
            "uv sync --frozen --no-default-groups --group dev",
        ),
        ("pipenv install --system --deploy", PLAIN, None),
        (
            'pipenv install --categories "docs"',
            OPTIONAL,
            "uv sync --no-default-groups --group docs",
        ),
        ("pipenv install requests", PLAIN, "make uv-add PKG=requests"),
        ("pipenv install --dev pytest", PLAIN, "make uv-add-dev PKG=pytest"),
        ("pipenv install 'requests>=2.31'", PLAIN, "make uv-add PKG='requests>=2.31'"),
        ("pipenv install -e ./libs/x", PLAIN, "uv add --editable ./libs/x"),
        ("pipenv sync", PLAIN, "uv sync --frozen --no-default-groups"),
        ("pipenv sync --dev", PLAIN, "uv sync --frozen --no-default-groups --group dev"),
        ("pipenv run python manage.py test", PLAIN, "uv run python manage.py test"),
        ("pipenv shell", PLAIN, 'uv run "$SHELL"'),
        ("pipenv uninstall requests", PLAIN, "make uv-remove PKG=requests"),
        ("pipenv lock", PLAIN, "uv lock --upgrade"),  # pipenv lock resolves everything again
        ("pipenv update --dev", PLAIN, "make uv-upgrade"),
        (
            "pipenv requirements --dev",
            PLAIN,
            "uv export --no-default-groups --no-emit-project --no-hashes --group dev",
        ),
        ("pipenv graph", PLAIN, "make uv-tree"),
        ("pipenv --rm", PLAIN, None),
        ("pipenv check", PLAIN, None),
    ],
)
def test_each_command_has_its_exact_uv_form_or_none(
    line: str, shape: Shape, expected: str | None
) -> None:
    assert _one(line, shape) == expected


@pytest.mark.parametrize(
    ("line", "found"),
    [
        (
            "cd app && poetry install --no-root && poetry run pytest",
            ["poetry install --no-root", "poetry run pytest"],
        ),
        ("pipenv requirements --dev > requirements.txt", ["pipenv requirements --dev"]),
        ("poetry run pytest  # the tests", ["poetry run pytest"]),
        ("poetry install 2>/dev/null", ["poetry install"]),
        ('poetry add "click>=8" | tee log', ['poetry add "click>=8"']),
        ("COPY pyproject.toml poetry.lock ./", []),
        ("pip install poetry", []),
        ("see ./poetry-tools/poetry run", []),
        # a make function or a command substitution is one word of the command
        (
            "\tpoetry env use $(shell which python3.10) && poetry install",
            ["poetry env use $(shell which python3.10)", "poetry install"],
        ),
        # prose: no command of the tool follows its name
        ("poetry (1.8.3) is installed", []),
        ("- description: poetry export to sync the lock file", []),
    ],
)
def test_a_command_is_found_from_the_tools_name_to_the_operator_outside_quotes(
    line: str, found: list[str]
) -> None:
    assert [line[c.start : c.end] for c in calls(line)] == found


def _lines(text: str, kind: str, shape: Shape = PLAIN) -> tuple[str, tuple[str, ...]]:
    done = OLD_TOOL_LINES.rewrite(text, {"shape": shape, "kind": kind, "path": "f"})
    return done.new_text, done.readers_left


def test_docs_rewrite_what_a_reader_types_and_leave_prose() -> None:
    text = (
        "We used Poetry; poetry install was slow.\n\n"
        "```bash\npoetry install --with docs\npoetry run mkdocs serve\n```\n\n"
        "$ poetry add requests\n\n"
        "Run `poetry run pytest`, or `uv tool run --from poetry<2 poetry lock`.\n"
    )
    new, left = _lines(text, "docs", OPTIONAL)
    assert new == (
        "We used Poetry; poetry install was slow.\n\n"
        "```bash\nuv sync --group docs\nuv run mkdocs serve\n```\n\n"
        "$ make uv-add PKG=requests\n\n"
        "Run `uv run pytest`, or `uv tool run --from poetry<2 poetry lock`.\n"
    )
    assert left == ()


def test_tox_runs_uv_in_the_env_tox_made_and_allows_uv() -> None:
    text = (
        "[testenv]\nallowlist_externals =\n    poetry\n    make\n"
        "commands_pre = poetry install --with dev\ncommands =\n    poetry run pytest {posargs}\n"
    )
    new, _ = _lines(text, "tox")
    assert new == (
        "[testenv]\nallowlist_externals =\n    uv\n    make\n"
        "commands_pre = uv sync --active --group dev\ncommands =\n"
        "    uv run --active pytest {posargs}\n"
    )


def test_a_tox_ini_with_a_command_left_keeps_poetry_allowed() -> None:
    text = (
        "[testenv]\nallowlist_externals = poetry\ncommands =\n"
        "    poetry install\n    poetry publish\n"
    )
    new, left = _lines(text, "tox")
    assert "allowlist_externals = poetry\n" in new and "uv sync --active" in new
    assert left == ("f:5 `poetry publish`",)


def test_a_shell_script_runs_uv_but_its_comments_stay() -> None:
    new, left = _lines("#!/bin/sh\n# poetry install first\npoetry install\npipenv run x\n", "shell")
    assert (new, left) == ("#!/bin/sh\n# poetry install first\nuv sync\nuv run x\n", ())


def test_only_the_converted_tools_commands_are_rewritten() -> None:
    new, _ = _lines(
        "poetry install\npipenv install\n", "shell", Shape(converted=frozenset({"pipenv"}))
    )
    assert new == "poetry install\nuv sync --no-default-groups\n"


def _makefile(text: str, shape: Shape) -> str:
    return rewrite(text, include_path="uv.mk", old_tools=shape).text


def test_a_makefile_recipe_runs_uv_and_an_alias_doing_what_uv_mk_does_gives_way() -> None:
    text = (
        ".PHONY: dev-install install docs shell\n\ndev-install:\n\tpoetry install\n\n"
        "install:\n\tpoetry install --only main --no-root\n\n"
        "docs:\n\tpoetry install --with docs && poetry run mkdocs build\n\n"
        "shell:\n\t@poetry shell\n\npublish-it:\n\tpoetry publish\n"
    )
    new = _makefile(text, PLAIN)
    assert "dev-install:" not in new  # poetry install is uv.mk's dev-install here
    assert "install:\n\t$(UV) sync --no-default-groups --no-install-project\n" in new
    assert "docs:\n\t$(UV) sync --group docs && $(UV) run mkdocs build\n" in new
    assert 'shell:\n\t@$(UV) run "$$SHELL"\n' in new
    assert "publish-it:\n\tpoetry publish\n" in new  # no exact uv form: kept
    assert "UVMK_SKIP_TARGETS := install\n" in new


def test_a_makefile_alias_installing_less_than_uv_mk_is_kept_with_its_uv_form() -> None:
    new = _makefile("dev-install:\n\tpoetry install\n", OPTIONAL)
    assert "UVMK_SKIP_TARGETS := dev-install\n" in new
    assert "dev-install:\n\t$(UV) sync\n" in new


def test_a_makefile_without_converted_tools_keeps_its_poetry_lines() -> None:
    text = "build:\n\tpoetry build\n"
    assert _makefile(text, Shape()).endswith(text)


@pytest.mark.parametrize(
    ("rel", "setup"),
    [
        ("README.md", True),
        ("CONTRIBUTING.rst", True),
        ("docs/contributing.md", True),
        ("docs/installation.md", True),
        ("docs/development/setup.md", True),
        ("docs/cli.md", False),  # Poetry's own reference: about the tool, not the setup
        ("docs/managing-environments.md", False),
    ],
)
def test_only_the_setup_pages_of_the_docs_are_rewritten(rel: str, setup: bool) -> None:
    assert is_setup_page(rel) is setup


def test_a_recipes_make_references_stay_make_references() -> None:
    # iusztinpaul/hands-on-llms: `poetry add $(package)`, `poetry run … ${PARAMS}`
    text = (
        "add:\n\tpoetry add $(package)\n\nadd_dev:\n\tpoetry add --group dev $(package)\n\n"
        "search:\n\tpoetry run python -m tools.search ${PARAMS}\n"
    )
    new = _makefile(text, PLAIN)
    assert "add:\n\t$(UV) add $(package)\n" in new
    assert "add_dev:\n\t$(UV) add --dev $(package)\n" in new
    assert "search:\n\t$(UV) run python -m tools.search ${PARAMS}\n" in new


def test_a_readme_rewrites_its_setup_sections_not_how_users_use_the_project() -> None:
    # python-poetry/poetry-plugin-export's README: `poetry export` under Usage is the plugin's
    # own usage, not its development setup
    text = (
        "# plugin\n\n## Usage\n\n```bash\npoetry export -f requirements.txt\n```\n\n"
        "## Development\n\n```bash\npoetry install\n```\n\nRunning tests\n-------------\n\n"
        "    $ poetry run pytest\n"
    )
    done = OLD_TOOL_LINES.rewrite(text, {"shape": PLAIN, "kind": "docs", "path": "README.md"})
    assert "poetry export -f requirements.txt" in done.new_text
    assert "```bash\nmake dev-install\n```" in done.new_text
    assert "    $ uv run pytest\n" in done.new_text


def test_a_variable_holding_the_old_tools_run_prefix_runs_uv() -> None:
    # Textualize/textual: `run := poetry run`, and every recipe is `$(run) pytest …`
    text = "run := poetry run\nINSTALL = poetry install --with docs\n\ntest:\n\t$(run) pytest\n"
    new = _makefile(text, OPTIONAL)
    assert "run := $(UV) run\n" in new
    assert "INSTALL = $(UV) sync --group docs\n" in new
    assert "poetry" not in new


def test_a_variable_naming_the_bare_old_tool_is_kept_and_said() -> None:
    # `PIPENV=pipenv`, read as `$(PIPENV) install`: no command to translate in the value
    done = rewrite(
        "PIPENV=pipenv\n\nrun:\n\t$(PIPENV) run python app.py\n",
        include_path="uv.mk",
        old_tools=PLAIN,
    )
    assert any("PIPENV still runs `pipenv`" in h for h in done.headline)
