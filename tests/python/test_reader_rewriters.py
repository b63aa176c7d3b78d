"""The reader rewriters (uvmk.rewriters.readers) and the REWRITE knob: the preview lists what
each would change, file:line, one line each (VERBOSE: the diff); only the names REWRITE gives
are written, by apply's atomic writes; an unknown name is one line and exit 2."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from test_migrate_helpers import REPO, UV_MK, Result, checksums, git_copy, run
from uvmk.rewriters.readers import (
    KNOBS,
    ReaderContext,
    ReaderRewrite,
    UnknownReader,
    parse_rewrite,
)
from uvmk.rewriters.readers.commands import pip_install
from uvmk.rewriters.readers.dependabot import DEPENDABOT
from uvmk.rewriters.readers.github_actions import GITHUB_ACTIONS, SETUP_UV, SETUP_UV_SHA
from uvmk.rewriters.readers.gitlab_ci import GITLAB_CI
from uvmk.rewriters.readers.pre_commit import PRE_COMMIT
from uvmk.rewriters.readers.renovate import RENOVATE
from uvmk.rewriters.readers.tox import TOX

FIXTURE = REPO / "tests" / "fixtures" / "readers" / "ci-matrix"


def committed_copy(tmp_path: Path, src: Path = FIXTURE) -> Path:
    return git_copy(src, tmp_path / src.name)


def _migrate(capsys: pytest.CaptureFixture[str], root: Path, *args: str) -> Result:
    """A migration of `root` with this checkout's uv.mk (a preview unless --apply)."""
    return run(capsys, "migrate", "--root", str(root), "--uv-mk", str(UV_MK), *args)


def test_rewrite_takes_names_commas_or_spaces_and_all() -> None:
    assert parse_rewrite("ci,tox") == {"ci", "tox"}
    assert parse_rewrite(" bots  pre-commit ") == {"bots", "pre-commit"}
    assert parse_rewrite("all") == set(KNOBS)
    assert parse_rewrite("") == frozenset()


def test_an_unknown_rewrite_name_is_one_line_naming_it_and_the_known_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(UnknownReader, match="unknown reader 'github'"):
        parse_rewrite("ci,github")
    root = committed_copy(tmp_path)
    before = checksums(root)
    done = run(capsys, "migrate", "--root", str(root), "--rewrite", "ci,github", "--apply")
    assert done.code == 2
    assert done.err.count("\n") == 1
    assert "unknown reader 'github' (known: docker, ci, tox, bots, pre-commit, or all)" in done.err
    assert checksums(root) == before


def test_dependabot_pip_in_the_root_becomes_uv_and_keeps_its_schedule_and_groups() -> None:
    text = (FIXTURE / ".github" / "dependabot.yml").read_text()
    done = DEPENDABOT.rewrite(".github/dependabot.yml", text, ReaderContext())
    assert done.new_text == text.replace('"pip"', '"uv"')
    assert [(f.line, f.rewritten) for f in done.findings] == [(3, True)]


def test_dependabot_pip_of_another_folder_stays_and_is_said() -> None:
    text = (
        "version: 2\nupdates:\n  - package-ecosystem: pip\n    directories:\n      - /docs\n"
        "    schedule:\n      interval: daily\n"
    )
    done = DEPENDABOT.rewrite(".github/dependabot.yml", text, ReaderContext())
    assert done.new_text == text
    assert [(f.line, f.rewritten) for f in done.findings] == [(3, False)]
    assert "/docs" in done.findings[0].message


def test_the_preview_lists_each_reader_change_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy(tmp_path)
    before = checksums(root)
    done = _migrate(capsys, root)
    assert done.code == 0, done.err
    assert (
        "- [bots] .github/dependabot.yml:3: would rewrite: package-ecosystem pip → uv" in done.out
    )
    assert "REWRITE=ci,tox,... or all rewrites them" in done.out
    assert checksums(root) == before
    verbose = _migrate(capsys, root, "--verbose")
    assert "--- a/.github/dependabot.yml\n+++ b/.github/dependabot.yml\n" in verbose.out
    assert '-  - package-ecosystem: "pip"\n+  - package-ecosystem: "uv"\n' in verbose.out


def test_rewrite_names_what_the_plan_writes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy(tmp_path)
    done = _migrate(capsys, root, "--rewrite", "bots", "--format", "json")
    assert done.code == 0, done.err
    plan = json.loads(done.out)
    change = next(c for c in plan["changes"] if c["path"] == ".github/dependabot.yml")
    assert change["action"] == "modify"
    assert [op["do"] for op in change["operations"]] == ["write"]
    applied = {r["path"] for r in plan["readers"] if r["applied"]}
    assert applied == {".github/dependabot.yml", "renovate.json"}
    assert plan["options"]["rewrite"] == ["bots"]
    assert all(c["path"] != ".github/workflows/ci.yml" for c in plan["changes"])
    fates = {c["path"]: c["action"] for c in plan["changes"]}
    assert fates["requirements-dev.txt"] == "export"  # CI and tox, not rewritten, still read it


def test_a_requirements_file_only_rewritten_readers_read_is_deleted_not_exported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy(tmp_path)
    kept = json.loads(_migrate(capsys, root, "--format", "json").out)
    every = json.loads(_migrate(capsys, root, "--format", "json", "--rewrite", "all").out)
    fates = {c["path"]: c["action"] for c in kept["changes"]}
    assert fates["requirements-dev.txt"] == fates["requirements-lint.txt"] == "export"
    assert fates["requirements.txt"] == "export"  # pre-commit's pip-compile writes it
    fates = {c["path"]: c["action"] for c in every["changes"]}
    assert [fates[f] for f in ("requirements.txt", "requirements-dev.txt")] == ["delete"] * 2
    assert fates["requirements-lint.txt"] == "delete"


def test_every_reader_rewriter_changes_a_file_of_the_fixture() -> None:
    """Each registered reader rewriter changes some file of tests/fixtures/readers/ci-matrix,
    with the context the plan gives it: a new one comes with its fixture file."""
    from uvmk.facts import Facts
    from uvmk.plan import Options, build_plan
    from uvmk.rewriters.readers import READERS
    from uvmk.survey.snapshot import survey

    plan = build_plan(
        survey(FIXTURE),
        Options(uv_mk=UV_MK, rewrite=frozenset(KNOBS)),
        # the uv the Dockerfile copies in, as `uv --version` tells the facts step
        Facts(pythons=("3.11",), uv_version="0.13.9"),
    )
    changed = {r.rewriter for r in plan.readers if r.after != r.before and r.applied}
    assert changed == {r.name for r in READERS}
    assert {r.knob for r in READERS} <= set(KNOBS)


def test_the_registry_entries_are_their_rewriters() -> None:
    """READERS holds each rewriter's names and file test without importing its module (most
    audits have no CI or Dockerfile): each entry's names are its module's rewriter's, and the
    module is imported on the first rewrite, not before."""
    import sys

    from uvmk.rewriters.readers import READERS

    paths = [".github/workflows/ci.yml", ".gitlab-ci.yml", ".gitlab/ci/test.yaml", "tox.ini",
             ".github/dependabot.yml", "renovate.json", ".pre-commit-config.yaml", "Dockerfile",
             "docker/app.dockerfile", "setup.cfg", "Makefile"]  # fmt: skip
    for entry in READERS:
        real = entry.loaded()  # type: ignore[attr-defined]
        assert (entry.name, entry.knob) == (real.name, real.knob)
        assert [entry.reads(p, None) for p in paths] == [real.reads(p, None) for p in paths]
        assert real.__class__.__module__ in sys.modules
    probe = subprocess.run(
        [sys.executable, "-c", "import sys; from uvmk.plan import build_plan; "
         "print(sorted(m for m in sys.modules if m.startswith('uvmk.rewriters.readers.')))"],
        cwd=REPO / "scripts", capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert probe.stdout.strip() == "['uvmk.rewriters.readers.files']"


CONTEXT = ReaderContext(
    selections={
        "requirements.txt": ("--no-default-groups",),
        "requirements-dev.txt": ("--no-default-groups", "--group", "dev"),
        "requirements/lint.in": ("--only-group", "lint"),
        "requirements/lint.txt": ("--only-group", "lint"),
    },
    uv_version="0.13.9",
    python="3.11",
    extras=frozenset({"test"}),
    groups=frozenset({"dev", "lint"}),
    homes={
        "requests": ("--no-default-groups",),
        "pytest": ("--group", "dev"),
        "ruff": ("--group", "lint"),
        "coverage": ("--extra", "test"),
    },
)


def _actions(text: str) -> ReaderRewrite:
    """The GitHub Actions rewriter on a workflow of the test's own."""
    return GITHUB_ACTIONS.rewrite(".github/workflows/t.yml", text, CONTEXT)


def _gitlab(text: str) -> ReaderRewrite:
    return GITLAB_CI.rewrite(".gitlab-ci.yml", text, CONTEXT)


def _workflow(steps: str, setup: bool = True) -> str:
    head = "name: t\non: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
    head += "      - uses: actions/checkout@v4\n"
    if setup:
        head += "      - uses: actions/setup-python@v5\n        with:\n"
        head += "          python-version: '3.12'\n"
    return head + steps


def test_pip_lines_as_the_rewriters_read_them() -> None:
    assert pip_install("pytest -q") is None
    got = pip_install("python -m pip install -U -r requirements-dev.txt -e '.[test]' coverage")
    assert got is not None and got.problem is None
    assert (got.files, got.project, got.extras, got.packages) == (
        ("requirements-dev.txt",), True, ("test",), ("coverage",),
    )  # fmt: skip
    assert pip_install("pip install -U pip setuptools wheel").packaging_only  # type: ignore[union-attr]
    assert pip_install("pip install uv==0.13.9").packaging_only  # type: ignore[union-attr]
    quoted = pip_install("pip install 'notebook[all]' \"x; python_version >= '3.10'\"")
    assert quoted is not None and quoted.problem is None and quoted.packages == ("notebook", "x")
    # psf/requests' urllib3 job: `uv sync` would install uv.lock's urllib3 2.x instead
    assert "asks for urllib3<2" in (pip_install('pip install "urllib3<2"').problem or "")
    assert "black==24.1.1" in (pip_install("pip install black==24.1.1").problem or "")
    assert "`>`" in (pip_install("pip install pyperf>=2.3.0").problem or "")  # a redirection
    assert "computes" in (pip_install('pip install "pkg==${{ matrix.v }}"').problem or "")
    assert "installs a file" in (pip_install("pip install dist/*.whl").problem or "")
    assert "--index-url" in (pip_install("pip install --index-url=x -r a.txt").problem or "")
    assert pip_install("pip install -r requirements/lint.in -c requirements/lint.txt") == (
        pip_install("pip install -r requirements/lint.in -c requirements/lint.txt")
    )


def test_a_job_with_a_pip_line_uv_cannot_say_stays_byte_for_byte_and_says_why() -> None:
    text = _workflow(
        "      - run: pip install -r requirements-dev.txt\n"
        "      - run: pip install --pre sqlalchemy\n      - run: pytest\n"
    )
    done = _actions(text)
    assert done.new_text == text
    assert [(f.line, f.rewritten) for f in done.findings] == [(11, False), (12, False)]
    assert "pip's --pre option" in done.findings[1].message


def test_a_constraint_file_the_migration_moved_is_what_uv_lock_pins() -> None:
    text = _workflow(
        "      - run: pip install -r requirements/lint.in -c requirements/lint.txt\n"
        "      - run: ruff check .\n"
    )
    done = _actions(text)
    assert "      - run: uv sync --locked --only-group lint\n" in done.new_text
    assert "      - run: uv run --no-sync ruff check .\n" in done.new_text


def test_an_action_pinned_by_sha_gets_setup_uv_by_sha() -> None:
    text = _workflow("      - run: pip install -r requirements.txt\n").replace(
        "actions/setup-python@v5", "actions/setup-python@" + "a" * 40 + " # v5"
    )
    done = _actions(text)
    assert f"      - uses: {SETUP_UV_SHA}\n" in done.new_text


def test_a_container_job_without_setup_python_gets_a_setup_uv_step() -> None:
    text = _workflow("      - run: pip install -r requirements-dev.txt\n", setup=False)
    done = _actions(text)
    assert done.new_text.endswith(
        f'      - uses: {SETUP_UV}\n        with:\n          version: "0.13.9"\n'
        '          enable-cache: true\n          cache-dependency-glob: "uv.lock"\n'
        "          activate-environment: true\n      - run: uv sync --locked\n"
    )


def test_gitlab_uses_the_images_python_and_rekeys_its_cache() -> None:
    text = (
        "test:\n  image: python:3.12-slim\n  cache:\n    key:\n      files:\n"
        "        - requirements.txt\n        - requirements-dev.txt\n    paths: [.cache/pip]\n"
        "  script: pip install -r requirements-dev.txt\n"
    )
    done = _gitlab(text)
    assert done.new_text == (
        "test:\n  image: python:3.12-slim\n  cache:\n    key:\n      files:\n"
        "        - uv.lock\n    paths: [.cache/pip]\n"
        "  script: pip install uv==0.13.9 && uv sync --locked --python 3.12\n"
    )


def test_tox_envs_uv_cannot_say_stay_on_a_runner_that_installs_their_deps() -> None:
    text = (
        "[tox]\nrequires = tox>=4\n\n[testenv]\ndeps = -r{toxinidir}/requirements-dev.txt\n"
        "commands = pytest\n\n[testenv:old]\ndeps =\n    py38: hypothesis\n\n"
        "[testenv:docs]\ndeps = {[testenv]deps}\n    sphinx\n"
    )
    done = TOX.rewrite("tox.ini", text, CONTEXT)
    assert done.new_text == text  # [testenv]'s deps are used by [testenv:docs]: all stay
    assert any("other testenvs use them" in f.message for f in done.findings)
    text = text.replace("[testenv:docs]\ndeps = {[testenv]deps}\n    sphinx\n", "")
    done = TOX.rewrite("tox.ini", text, CONTEXT)
    assert done.new_text == (
        "[tox]\nrequires =\n    tox>=4\n    tox-uv>=1\n\n[testenv]\nrunner = uv-venv-lock-runner\n"
        "dependency_groups = dev\ncommands = pytest\n\n[testenv:old]\nrunner = uv-venv-runner\n"
        "deps =\n    py38: hypothesis\n\n"
    )


def test_a_tox_env_that_installs_the_project_syncs_its_group_beside_it() -> None:
    """psf/requests: [testenv] installs the package with `extras` and deps from a file whose
    export is `--only-group`; tox-uv's `only_groups` would leave the project out, and uv
    refuses `--only-group` beside `--extra`. A skip_install env (a linter's) stays only."""
    from uvmk.rewriters.readers.tox import TOX

    text = (
        "[testenv]\ndeps = -rrequirements/lint.txt\nextras =\n    test\ncommands = pytest\n\n"
        "[testenv:lint]\nskip_install = true\ndeps = -rrequirements/lint.txt\ncommands = ruff\n"
    )
    done = TOX.rewrite("tox.ini", text, CONTEXT)
    assert "[testenv]\nrunner = uv-venv-lock-runner\ndependency_groups = lint\nextras" in (
        done.new_text
    )
    assert "skip_install = true\nrunner = uv-venv-lock-runner\nonly_groups = lint\n" in (
        done.new_text
    )


def test_renovate_keeps_its_layout_and_moves_every_rule_to_pep621() -> None:
    text = (
        '{\n  "pip_requirements": {\n    "fileMatch": ["req.txt"]\n  },\n'
        '  "enabledManagers": [\n    "pip-compile",\n    "pip_requirements",\n    "npm"\n  ],\n'
        '  "packageRules": [{"matchManagers": ["pip_requirements"], "automerge": true}]\n}\n'
    )
    done = RENOVATE.rewrite("renovate.json", text, CONTEXT)
    assert done.new_text == (
        '{\n  "enabledManagers": [\n    "pep621",\n    "npm"\n  ],\n'
        '  "packageRules": [{"matchManagers": ["pep621"], "automerge": true}]\n}\n'
    )
    assert len(done.findings) == 3


def test_poetry_hooks_become_uv_lock_and_a_still_exported_file_gets_uv_export() -> None:
    text = (
        "repos:\n  - repo: https://github.com/python-poetry/poetry\n    rev: 1.8.0\n"
        "    hooks:\n      - id: poetry-check\n      - id: poetry-lock\n      - id: poetry-export\n"
        "        args: [-f, requirements.txt, -o, requirements.txt]\n"
    )
    done = PRE_COMMIT.rewrite(".pre-commit-config.yaml", text, CONTEXT)
    uv_lock = (
        "repos:\n  - repo: https://github.com/astral-sh/uv-pre-commit\n    rev: 0.13.9\n"
        "    hooks:\n      - id: uv-lock\n"
    )
    assert done.new_text == uv_lock
    exported = replace(
        CONTEXT, exported={"requirements.txt": ("--no-default-groups", "--no-hashes")}
    )
    done = PRE_COMMIT.rewrite(".pre-commit-config.yaml", text, exported)
    assert done.new_text == uv_lock + (
        "      - id: uv-export\n"
        '        args: ["--no-default-groups", "--no-hashes", "--output-file=requirements.txt"]\n'
    )


def test_a_command_continued_over_lines_is_one_command() -> None:
    text = _workflow(
        "      - run: |\n          pip install \\\n            -r requirements-dev.txt\n"
        "          pytest \\\n            -q tests\n"
    )
    done = _actions(text)
    assert done.new_text.endswith(
        "      - run: |\n          uv sync --locked\n"
        "          uv run --no-sync pytest \\\n            -q tests\n"
    )
    text = (
        "test:\n  image: python:3.11\n  script:\n    - pip install\n      -r requirements-dev.txt\n"
        "    - pytest tests/unit/\n        -v\n"
    )
    done = _gitlab(text)
    assert done.new_text == (
        "test:\n  image: python:3.11\n  script:\n    - pip install uv==0.13.9\n"
        "    - uv sync --locked\n    - uv run --no-sync pytest tests/unit/\n        -v\n"
    )


def test_a_job_whose_pip_lines_run_elsewhere_stays() -> None:
    """A working-directory (the paths are that folder's), a conda environment, a `cd` first."""
    for steps in (
        "      - run: pip install -r requirements.txt\n        working-directory: docs\n",
        "      - uses: conda-incubator/setup-miniconda@v3\n"
        "      - run: pip install -r requirements.txt\n",
        "      - run: |\n          cd docs\n          pip install -r requirements.txt\n",
    ):
        text = _workflow(steps)
        done = _actions(text)
        assert done.new_text == text, steps
        assert done.findings and not any(f.rewritten for f in done.findings)
    text = "t:\n  script:\n    - cd docs\n    - pip install -r requirements.txt\n"
    assert _gitlab(text).new_text == text


def test_a_job_reading_setup_pythons_python_path_stays() -> None:
    text = _workflow(
        "      - run: pip install -r requirements.txt\n"
        "      - run: ${{ steps.py.outputs.python-path }} -m pytest\n"
    ).replace(
        "      - uses: actions/setup-python@v5\n",
        "      - id: py\n        uses: actions/setup-python@v5\n",
    )
    done = _actions(text)
    assert done.new_text == text
    assert "python-path (line 13)" in done.findings[0].message
