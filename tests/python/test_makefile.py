"""The host Makefile rewrite (include uv.mk, drop pip/venv targets, keep rest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_migrate_helpers import EXAMPLE, FIXTURES
from uvmk.rewriters import makefile as uvmk_makefile
from uvmk.rewriters.makefile import legacy
from uvmk.rewriters.makefile.later_knobs import add_knobs

TINY_EXPECTED = """\
# tiny - developer tasks

# uv.mk: uv-based daily targets (uv-help lists them); added by `make uv-migrate`
UVMK_SKIP_TARGETS := clean
include uv-mk/uv.mk
.DEFAULT_GOAL := install

PYTHON := $(UV) run python

run: ## Run the tool
\t$(PYTHON) -m tiny

clean:
\trm -rf build dist
"""


def rewrite(text: str, include: str = "uv-mk/uv.mk") -> uvmk_makefile.MakefileRewrite:
    return uvmk_makefile.rewrite(text, include_path=include, venv_dirs={"venv", ".venv"})


def test_tiny_makefile_rewrite_is_exact() -> None:
    r = rewrite((FIXTURES / "tiny" / "Makefile").read_text())
    assert r.text == TINY_EXPECTED
    assert r.removed_targets == ["install", "test"]
    assert r.kept_targets == ["clean"]
    assert r.removed_variables == ["PIP", "VENV"]


def test_example_makefile_follows_the_review() -> None:
    original = (EXAMPLE / "Makefile").read_text()
    r = rewrite(original)
    lines = r.text.splitlines()
    # include after the leading comment block, skip list and knobs just before it
    assert lines[:2] == original.splitlines()[:2]
    block = lines[
        lines.index("UVMK_SKIP_TARGETS := help clean") : lines.index("include uv-mk/uv.mk")
    ]
    assert "API_APP := k2.api.main:app" in block
    assert "FORMATTER := black" in block
    assert "PACKAGE := k2" in block
    assert "API_WORKERS := 4" in block
    # pip/venv targets gone, host-specific ones kept
    for gone in (
        "install:",
        "dev-install:",
        "test:",
        "test-unit:",
        "coverage:",
        "lint:",
        "format:",
        "type-check:",
        "api:",
        "api-prod:",
        "check-env:",
    ):
        assert not any(line.startswith(gone) for line in lines), gone
    for kept in (
        "help: ## Show this help",
        "docker-up: ## Start the local infrastructure (Kafka, Postgres)",
        "clean: ## Remove build artefacts",
    ):
        assert kept in lines
    assert ".PHONY: help docker-up clean" in lines
    assert "PYTEST := $(UV) run pytest" in lines
    assert not any(line.startswith(("PYTHON :=", "PIP :=", "VENV :=")) for line in lines)
    # every kept line is byte-identical to an original line (besides the added block)
    added = set(block) | {
        "include uv-mk/uv.mk",
        "# uv.mk: uv-based daily targets (uv-help lists them); added by `make uv-migrate`",
        ".PHONY: help docker-up clean",
    }
    added |= {line for line in lines if "$(UV) run" in line}
    orig = set(original.splitlines())
    assert [line for line in lines if line not in orig and line not in added] == []
    assert any("which docker" in note for note in r.notes)  # what uv.mk does not carry over


def test_second_rewrite_changes_nothing() -> None:
    for text in ((FIXTURES / "tiny" / "Makefile").read_text(), (EXAMPLE / "Makefile").read_text()):
        first = rewrite(text)
        second = rewrite(first.text)
        assert not second.changed
        assert second.text == first.text


def test_include_path_is_relative_when_uv_mk_is_in_the_repo() -> None:
    r = rewrite("all:\n\techo hi\n", include="tools/uv.mk")
    assert r.text == (
        "# uv.mk: uv-based daily targets (uv-help lists them); added by "
        "`make uv-migrate`\ninclude tools/uv.mk\n\nall:\n\techo hi\n"
    )


def test_crlf_and_untouched_lines_are_kept() -> None:
    text = (
        "# header\r\n\r\nPIP := pip3\r\ninstall:\r\n\t$(PIP) install -e .\r\n\r\n"
        "deploy: ## ship it\r\n\t./deploy.sh   # keep this comment\r\n"
    )
    r = rewrite(text)
    assert "\r\n" in r.text and "\n" not in r.text.replace("\r\n", "")
    assert "deploy: ## ship it\r\n\t./deploy.sh   # keep this comment\r\n" in r.text
    assert "install:" not in r.text and "PIP :=" not in r.text


def test_venv_variable_still_used_points_at_the_project_env() -> None:
    text = "VENV := venv\n\nsite:\n\tls $(VENV)/lib\n\nshell:\n\t. $(VENV)/bin/activate && bash\n"
    r = rewrite(text)
    assert "VENV := .venv\n" in r.text
    assert any("VENV" in x for x in r.rewritten_variables)
    # a kept target's activated shell is uv's environment's
    assert "shell:\n\t$(UV) run --all-extras --all-groups bash\n" in r.text


def test_define_blocks_and_non_alias_targets_are_left_alone() -> None:
    text = "define HELP\ninstall: not a rule\nendef\n\nship:\n\tpip install -r requirements.txt\n"
    r = rewrite(text)
    assert "define HELP\ninstall: not a rule\nendef\n" in r.text
    assert "ship:\n\tpip install -r requirements.txt\n" in r.text  # reported, not removed


def test_multiline_phony_is_fixed() -> None:
    text = ".PHONY: install \\\n\tdocs\n\ninstall:\n\tpip install .\n\ndocs:\n\tmkdocs build\n"
    r = rewrite(text)
    assert ".PHONY: \\\n\tdocs\n" in r.text or ".PHONY:  \\\n\tdocs\n" in r.text
    assert "install:" not in r.text


def test_already_included_makefile_only_gets_new_skips() -> None:
    text = "include uv.mk\n\nlint:\n\tflake8 src\n"
    r = rewrite(text)
    assert r.include_line == ""
    assert r.text == (
        "UVMK_SKIP_TARGETS += lint\ninclude uv.mk\n\n"
        "lint:\n\t$(UV) run --all-extras --all-groups flake8 src\n"  # the old venv's tool
    )
    assert not rewrite(r.text).changed


def test_knobs_the_host_already_sets_are_not_repeated(tmp_path: Path) -> None:
    text = "API_APP := app:app\n\napi:\n\t.venv/bin/uvicorn other:app --port 9000\n"
    r = rewrite(text)
    assert "API_APP" not in r.knobs
    assert r.knobs["API_PORT"] == "9000"


def test_venv_building_targets_go_with_the_targets_that_needed_them() -> None:
    text = (
        "VENV := venv\n\n"
        "$(VENV)/bin/activate: requirements.txt\n\tpython3 -m venv $(VENV)\n"
        "\t$(VENV)/bin/pip install -r requirements.txt\n\n"
        "install: $(VENV)/bin/activate\n\n"
        "test: $(VENV)/bin/activate\n\t$(VENV)/bin/pytest\n\n"
        "docs: $(VENV)/bin/activate\n\tmkdocs build\n"
    )
    r = rewrite(text)
    # `docs` still needs the venv target, so it stays (audit keeps reporting it)
    assert "$(VENV)/bin/activate: requirements.txt" in r.text
    assert "test:" not in r.text
    text2 = text.replace("docs: $(VENV)/bin/activate", "docs:")
    r2 = rewrite(text2)
    assert "$(VENV)/bin/activate" not in r2.text.replace("docs:", "")
    assert "VENV :=" not in r2.text


def test_alias_targets_running_another_tool_are_kept_and_skipped() -> None:
    """An alias target goes only when it manages the environment or runs uv.mk's own tool with
    nothing lost; flake8, manage.py test, coverage run, PYTHONPATH=... are kept."""
    text = (
        "VENV := venv\n\n"
        "install:\n\t$(VENV)/bin/pip install -r requirements.txt\n\n"
        "test:\n\tpython manage.py test\n\n"
        "test-unit:\n\tPYTHONPATH=src python -m pytest tests/unit\n\n"
        "test-integration:\n\t$(VENV)/bin/pytest tests/integration -v\n\n"
        "coverage:\n\t$(VENV)/bin/coverage run -m pytest && $(VENV)/bin/coverage report\n\n"
        "lint:\n\t$(VENV)/bin/flake8 src tests\n\n"
        "lint-fix:\n\t$(VENV)/bin/ruff check --fix src\n\n"
        "format:\n\t$(VENV)/bin/black src\n\t$(VENV)/bin/isort src\n\n"
        "type-check:\n\t$(VENV)/bin/mypy src\n\n"
        "api:\n\t$(VENV)/bin/uvicorn app.main:app --reload\n"
    )
    r = rewrite(text)
    assert r.removed_targets == [
        "install",
        "test-integration",
        "lint-fix",
        "format",
        "type-check",
        "api",
    ]
    assert r.kept_targets == ["test", "test-unit", "coverage", "lint"]
    assert "UVMK_SKIP_TARGETS := test test-unit coverage lint\n" in r.text
    # kept targets run their venv tools and bare interpreter through uv
    assert "test:\n\t$(UV) run --all-extras --all-groups python manage.py test\n" in r.text
    assert (
        "\tPYTHONPATH=src $(UV) run --all-extras --all-groups python -m pytest tests/unit\n"
        in r.text
    )
    assert (
        "\t$(UV) run --all-extras --all-groups coverage run -m pytest && "
        "$(UV) run --all-extras --all-groups coverage report\n"
    ) in r.text
    assert "lint:\n\t$(UV) run --all-extras --all-groups flake8 src tests\n" in r.text
    # every decision is in the plan, with its line
    summary = "\n".join(r.summary())
    assert "lint (Makefile:18): kept (UVMK_SKIP_TARGETS), runs `$(VENV)/bin/flake8" in summary
    assert "test (Makefile:6): kept (UVMK_SKIP_TARGETS), runs `python manage.py test`" in summary
    assert "install (Makefile:3): removed, environment management" in summary
    assert "type-check (Makefile:28): removed, runs mypy (or pyright) like uv.mk's" in summary
    assert not rewrite(r.text).changed


def test_pytest_with_host_variables_or_prerequisites_is_kept() -> None:
    text = (
        "FLAGS := -x\n\ntest:\n\tpytest $(FLAGS) tests\n\n"
        "test-unit: db-up\n\tpytest tests/unit\n\ndb-up:\n\tdocker compose up -d\n"
    )
    r = rewrite(text)
    assert r.removed_targets == []
    assert r.kept_targets == ["test", "test-unit"]
    assert any("test-unit" in d and "needs db-up" in d for d in r.decisions)


def test_kept_targets_that_pip_install_are_reported() -> None:
    text = (
        "VENV := .venv\n\nbootstrap:\n\tpython3 -m venv $(VENV)\n"
        "\t$(VENV)/bin/pip install -r r.txt\n"
    )
    r = rewrite(text.replace("bootstrap:", "install-prod:"))
    assert "install-prod:" in r.text
    assert "`install-prod` (Makefile:5) still uses pip: consider `make dev-install`" in r.notes


def test_a_kept_target_that_only_built_the_venv_becomes_dev_install() -> None:
    text = (
        "VENV := venv\n\nvenv: ## Make the venv\n\tpython3 -m venv $(VENV)\n"
        "\t$(VENV)/bin/pip install -U pip\n\t$(VENV)/bin/pip install -r r.txt\n\n"
        "lint: venv\n\tflake8 src && isort --check src\n\n"
        "bootstrap:\n\tpython3 -m venv $(VENV)\n\t$(VENV)/bin/pip install -r r.txt\n"
    )
    r = rewrite(text)
    assert "venv: dev-install ## Make the venv\n\n" in r.text
    assert "bootstrap: dev-install\n" in r.text and "pip" not in r.text
    assert "lint: venv\n" in r.text  # the prerequisite now runs dev-install
    run = "$(UV) run --all-extras --all-groups"
    assert f"\t{run} flake8 src && {run} isort --check src\n" in r.text
    assert "VENV" not in r.text  # nothing uses it any more
    assert "`bootstrap` built the venv with pip: now runs dev-install" in r.notes


def test_a_kept_self_documenting_help_still_lists_the_targets_after_the_include() -> None:
    text = (
        "help: ## Show this help\n\t@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | "
        "awk -F ':.*## ' '{print $$1}'\n\nship: ## Ship it\n\t./ship.sh\n"
    )
    r = rewrite(text)
    assert "\t@grep -h -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) |" in r.text
    assert rewrite(r.text).text == r.text  # -h once


def test_interpreter_variable_that_runs_pip_keeps_a_pip() -> None:
    text = (
        "PYTHON ?= python3.9\n\ninstall:\n\tpip install .\n\n"
        "dist:\n\t$(PYTHON) -m pip wheel -w dist .\n"
    )
    r = rewrite(text)
    assert "PYTHON ?= $(UV) run --with=pip python\n" in r.text
    assert "dist:\n\t$(PYTHON) -m pip wheel -w dist .\n" in r.text


def test_default_goal_survives_the_rewrite() -> None:
    # the first target removed: the next host target would become the default
    r = rewrite("install:\n\tpip install -r requirements.txt\n\nrun:\n\tpython app.py\n")
    assert r.default_goal == "install"
    assert "include uv-mk/uv.mk\n.DEFAULT_GOAL := install\n" in r.text
    # every host target removed: make would say "No targets"
    r = rewrite("install:\r\n\tpip install -r requirements.txt\r\n\r\ntest:\r\n\tpytest\r\n")
    assert r.text.endswith("include uv-mk/uv.mk\r\n.DEFAULT_GOAL := install\r\n")
    # the first target stays first, or .DEFAULT_GOAL is already set: nothing added
    r = rewrite("help:\n\t@echo hi\n\ninstall:\n\tpip install .\n")
    assert r.default_goal == "" and ".DEFAULT_GOAL" not in r.text
    r = rewrite(".DEFAULT_GOAL := all\n\nall: install\n\ninstall:\n\tpip install .\n")
    assert r.default_goal == "" and r.text.count(".DEFAULT_GOAL") == 1
    # a venv-building default goal is gone (uv creates .venv): dev-install succeeds it
    r = rewrite("venv:\n\tpython3 -m venv venv\n\ninstall: venv\n\nrun:\n\tpython app.py\n")
    assert r.default_goal == "dev-install"


def test_kept_targets_run_a_bare_python_through_uv() -> None:
    text = (
        "migrate:\n\tpython manage.py migrate\n\n"
        "seed:\n\tDJANGO_ENV=dev python3 manage.py loaddata x && python -m tool\n\n"
        "venv:\n\tpython3 -m venv .venv\n\n"
        "wheel:\n\tpython -m pip wheel .\n"
    )
    r = rewrite(text)
    assert "migrate:\n\t$(UV) run --all-extras --all-groups python manage.py migrate\n" in r.text
    assert (
        "\tDJANGO_ENV=dev $(UV) run --all-extras --all-groups python manage.py loaddata x && "
        "$(UV) run --all-extras --all-groups python -m tool\n"
    ) in r.text
    assert "\tpython -m pip wheel .\n" in r.text
    assert not rewrite(r.text).changed


def test_interpreter_variable_that_creates_a_kept_venv_is_left_alone() -> None:
    text = (
        "PYTHON := python3.12\n\nvenv:\n\t$(PYTHON) -m venv venv\n\n"
        "install-prod: venv\n\tvenv/bin/pip install -r requirements-prod.txt\n"
    )
    r = rewrite(text)
    assert "PYTHON := python3.12\n" in r.text
    assert "PYTHON still creates a venv in a kept target: left as it is" in r.notes


def test_a_bare_pytest_is_kept_when_there_is_no_tests_folder() -> None:
    """uv.mk's test runs pytest over tests/: a bare `pytest` (the rootdir) only matches it
    when tests/ exists."""
    text = "install:\n\tpip install -e .\n\ntest:\n\tpython -m pytest -q\n"
    r = uvmk_makefile.rewrite(text, include_path="uv.mk", tests_dir=False)
    assert r.kept_targets == ["test"]
    assert "test:\n\t$(UV) run --all-extras --all-groups python -m pytest -q\n" in r.text
    assert any("over the whole repo" in d for d in r.decisions)
    assert uvmk_makefile.rewrite(text, include_path="uv.mk").kept_targets == []
    r = uvmk_makefile.rewrite(text.replace("-q", "-q src/x"), include_path="uv.mk", tests_dir=False)
    assert r.kept_targets == []  # a path of its own: TESTS carries it
    assert r.knobs["TESTS"] == "src/x"


def test_commands_of_the_packages_the_requirements_installed_run_through_uv() -> None:
    text = (
        "lint:\n\tcurlylint --parse-only src\n\tgit ls-files '*.html' | xargs djhtml --check\n"
        "\tdocker compose config\n"
    )
    r = uvmk_makefile.rewrite(text, include_path="uv.mk", tools=["curlylint", "djhtml"])
    run = "$(UV) run --all-extras --all-groups"
    assert f"\t{run} curlylint --parse-only src\n" in r.text
    assert f"\tgit ls-files '*.html' | xargs {run} djhtml --check\n" in r.text
    assert "\tdocker compose config\n" in r.text  # not a package of the old venv


def test_a_word_list_or_a_path_holding_python_is_no_interpreter() -> None:
    """warehouse: `CODEQL_LANGS ?= python javascript` and paths under custom-queries/python are
    not interpreters; `_custom_python`, read only through `$(_custom_$*)`, stays."""
    text = (
        "LANGS ?= python javascript\n\n"
        "_pack_python      = .github/codeql/custom-queries/python\n"
        "_custom_python    = .github/codeql/custom-queries/python/suite.qls\n\n"
        "install:\n\tpip install -r requirements.txt\n\n"
        "codeql: $(addprefix codeql-,$(LANGS))\n\t@echo $(_pack_python)\n\n"
        "codeql-%:\n\t@echo $(_custom_$*)\n"
    )
    r = rewrite(text)
    assert r.text.endswith(text.split("install:")[0] + "codeql:" + text.split("codeql:")[1])
    assert r.rewritten_variables == [] and r.removed_variables == []


def test_interpreter_commands_are_whole_values() -> None:
    bins = {"VENV_BIN"}
    for value in ("python", "python3.12", "/usr/bin/python3", "$(VENV)/bin/python", "python3 -u",
                  "venv/bin/python3 -X dev", "$(VENV_BIN)/python", "python -m pytest"):  # fmt: skip
        assert legacy.interpreter_command(value, bins), value
    for value in ("python javascript", ".github/codeql/custom-queries/python", "python app.py",
                  "$(HOME)/python", "python3 manage.py -v", "mypython"):  # fmt: skip
        assert not legacy.interpreter_command(value, bins), value
    assert legacy.pip_command("$(VENV)/bin/pip3") and not legacy.pip_command("pip setuptools")


def test_an_interpreter_keeps_its_flags_and_an_unread_one_is_left_alone() -> None:
    text = (
        "PYTHON ?= python3 -X dev\nCI_PYTHON ?= python3.12\n\n"
        "install:\n\tpip install .\n\nrun:\n\t$(PYTHON) -m app\n"
    )
    r = rewrite(text)
    assert "PYTHON ?= $(UV) run python -X dev\n" in r.text
    assert "CI_PYTHON ?= python3.12\n" in r.text  # nothing here reads it: whoever does, wants it


def test_a_variable_is_dropped_only_when_the_rewrite_removed_its_uses() -> None:
    text = (
        "VENV := venv\nPY := $(VENV)/bin/python\nSPARE := $(VENV)/bin/pip\n"
        "LANG_python := python3\n\n"
        "install:\n\t$(PY) -m pip install -r requirements.txt\n\n"
        "show-%:\n\t@echo ${LANG_${*}}\n"
    )
    r = rewrite(text)
    assert r.removed_variables == ["PY"]  # install went, and with it PY's one use
    # nothing read SPARE before the rewrite: it stays, and so does the VENV it reads
    assert "VENV := .venv\n" in r.text and "SPARE := $(VENV)/bin/pip\n" in r.text
    # read only through ${LANG_${*}}: still read, so kept (an interpreter, run through uv)
    assert "LANG_python := $(UV) run python\n" in r.text


def test_blank_lines_inside_a_recipe_keep_it_whole() -> None:
    """httpie's `venv:` has blank lines between its commands: `$(SYSTEM_PYTHON) -m venv` is
    still its recipe, so SYSTEM_PYTHON stays an interpreter that makes a venv."""
    text = (
        "SYSTEM_PYTHON=python3\n\nvenv:\n\t@echo making\n\n\t$(SYSTEM_PYTHON) -m venv venv\n"
        "# a make comment\n\t@echo done\n\nbuild: venv\n\tvenv/bin/python -m build\n"
    )
    r = rewrite(text)
    assert "SYSTEM_PYTHON=python3\n" in r.text
    assert "\t$(SYSTEM_PYTHON) -m venv venv\n# a make comment\n\t@echo done\n" in r.text
    assert any(n.startswith("`venv` (Makefile:6) still creates a venv") for n in r.notes)
    assert "build: venv\n\t$(UV) run --all-extras --all-groups python -m build\n" in r.text


def test_lastword_of_makefile_list_reads_the_host_name_taken_before_the_include() -> None:
    text = (
        "default: list\n\nlist:\n"
        "\t@$(MAKE) -pRrq -f $(lastword $(MAKEFILE_LIST)) : | sort | grep -E -v '^x'\n"
        "\t@echo ${lastword ${MAKEFILE_LIST}} $(word $(words $(MAKEFILE_LIST)),$(MAKEFILE_LIST))\n"
    )
    r = rewrite(text)
    assert r.text.startswith(
        "# uv.mk: uv-based daily targets (uv-help lists them); added by `make uv-migrate`\n"
        "# this Makefile's own name, taken before uv.mk joins MAKEFILE_LIST (its recipes read it)\n"
        "UVMK_HOST_MAKEFILE := $(lastword $(MAKEFILE_LIST))\ninclude uv-mk/uv.mk\n"
    )
    # grep reads a pipe, not $(MAKEFILE_LIST): no -h
    assert "\t@$(MAKE) -pRrq -f $(UVMK_HOST_MAKEFILE) : | sort | grep -E -v '^x'\n" in r.text
    assert "\t@echo $(UVMK_HOST_MAKEFILE) $(UVMK_HOST_MAKEFILE)\n" in r.text
    assert (
        "Makefile:4, Makefile:5: `$(lastword $(MAKEFILE_LIST))` would name uv.mk once it is "
        "included: now `$(UVMK_HOST_MAKEFILE)`, this Makefile's name taken before the include"
    ) in r.summary()
    assert not rewrite(r.text).changed
    # a host that includes files of its own: lastword named the last of those, which it still is
    text = "include common.mk\n\nlist:\n\t@echo $(lastword $(MAKEFILE_LIST))\n"
    assert "$(lastword $(MAKEFILE_LIST))" in rewrite(text).text


def test_the_help_grep_gets_h_and_the_plan_says_why() -> None:
    text = "help:\n\t@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sort\n\nrun: ## Run\n\t./run\n"
    r = rewrite(text)
    assert "\t@grep -h -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sort\n" in r.text
    assert any(n.startswith("`help` (Makefile:2) greps $(MAKEFILE_LIST)") for n in r.notes)


def test_venv_bin_tools_of_any_kept_target_run_through_uv() -> None:
    text = (
        "VENV := venv\n\ninstall:\n\t$(VENV)/bin/pip install -r requirements.txt\n\n"
        "watch:\n\t$(VENV)/bin/watchmedo shell-command src\n"
        "\t[ -f $(VENV)/bin/flake8 ] && cd src && ! venv/bin/flake8 .\n\n"
        "dev:\n\twatchmedo auto-restart -- python app.py\n"
    )
    r = uvmk_makefile.rewrite(text, include_path="uv.mk", tools=["watchdog"])
    run = "$(UV) run --all-extras --all-groups"
    assert f"watch:\n\t{run} watchmedo shell-command src\n" in r.text
    # an argument is no command: only the command after `&& !` runs through uv
    assert f"\t[ -f $(VENV)/bin/flake8 ] && cd src && ! {run} flake8 .\n" in r.text
    # watchdog's command is watchmedo
    assert f"dev:\n\t{run} watchmedo auto-restart -- python app.py\n" in r.text


def test_the_make_p_listing_idiom_finds_its_files_section_after_the_include() -> None:
    """GNU make 4.2+ prints `# Files` with no blank line before it once a pattern rule exists
    (uv.mk's print-%): the idiom's awk range, anchored at a paragraph's start, found nothing."""
    awk = "awk -v RS= -F: '{}/ {{if ($$1 !~ \"^[#.]\") {{print $$1}}}}' | sort"
    text = (
        "list:\n\t@$(MAKE) -pRrq -f Makefile : 2>/dev/null | "
        + awk.format("/^# File/,/^# Finished Make data base")
        + "\n"
    )
    r = rewrite(text)
    new_range = r"/(^|\n)# Files(\n|$$)/,/(^|\n)# Finished Make data base"
    assert "\t@$(MAKE) -pRrq -f Makefile : 2>/dev/null | " + awk.format(new_range) in r.text
    assert any(n.startswith("`list` (Makefile:2) lists targets from `make -p`") for n in r.headline)


def test_a_kept_tool_after_a_variable_of_env_assignments_runs_through_uv() -> None:
    # tortoise/tortoise-orm: `py_warn = PYTHONDEVMODE=1`, then `$(py_warn) TORTOISE_TEST_DB=…
    # pytest …` in its kept test targets ran the system's pytest, not the project's
    text = (
        "py_warn = PYTHONDEVMODE=1\nrunner = docker compose run app\n\n"
        "test_sqlite:\n\t$(py_warn) TORTOISE_TEST_DB=sqlite://:memory: pytest -q\n\n"
        "in_docker:\n\t$(runner) pytest -q\n"
    )
    r = rewrite(text)
    assert (
        "\t$(py_warn) TORTOISE_TEST_DB=sqlite://:memory: $(UV) run --all-extras --all-groups "
        "pytest -q\n"
    ) in r.text
    assert "\t$(runner) pytest -q\n" in r.text  # a command of its own: its pytest is not ours


def test_a_tool_inside_a_uv_run_command_is_not_run_through_uv_again() -> None:
    # feast-dev/feast: `uv run bash -c "cd sdk/python && mypy feast"` became `uv run bash -c
    # "cd sdk/python && $(UV) run … mypy feast"`: the quoted && is bash's, already inside uv run
    text = (
        'lint:\n\tuv run bash -c "cd sdk/python && mypy feast"\n'
        "\t$(UV) run sh -c 'pytest -q; flake8 .' && mypy src\n"
    )
    r = rewrite(text)
    assert '\tuv run bash -c "cd sdk/python && mypy feast"\n' in r.text
    # the command after the quoted argument's && is make's shell's: that one runs through uv
    assert (
        "\t$(UV) run sh -c 'pytest -q; flake8 .' && $(UV) run --all-extras --all-groups mypy src\n"
        in r.text
    )


@pytest.mark.parametrize(
    "text",
    [
        "install:\n\tpip install -r requirements.txt\n\nlint:\n\tflake8 .\n",
        "# the app\r\nformat:\r\n\tblack .\r\n\r\ndeploy:\r\n\tpip install -r requirements.txt\r\n",
        "EXPORT_FILE := deploy.txt\ntest:\n\tpytest tests\n",  # the host's own stays
    ],
)
def test_knobs_added_after_the_rewrite_are_the_ones_the_rewrite_would_have_written(
    text: str,
) -> None:
    knobs = {"EXPORT_FILE": "requirements/base.txt", "EXPORT_FLAGS": "--no-hashes"}
    once = uvmk_makefile.rewrite(text, include_path="uv.mk", extra_knobs=knobs)
    first = uvmk_makefile.rewrite(text, include_path="uv.mk")
    later, done = add_knobs(first.text, first, knobs)
    assert (later, done.knobs) == (once.text, once.knobs)
    assert done.summary() == once.summary()
