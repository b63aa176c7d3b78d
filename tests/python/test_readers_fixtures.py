"""After APPLY the repo still works for everything that read its requirements files: the
Dockerfile's `pip install -r` file dry-runs into a scratch venv, CI's file exists with the same
selection it had, the kept Makefile targets run, and uv-verify checks the regenerated files.
Fixtures: tests/fixtures/readers/<shape>/, each a small legacy repo copied into a temp dir and
committed to git, migrated with the real uv."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import REPO, UV_MK, run
from uvmk.facts import Facts
from uvmk.plan import MigrationPlan
from uvmk.plan.operations import Export

READERS = REPO / "tests" / "fixtures" / "readers"


def committed_copy(shape: str, tmp_path: Path) -> Path:
    root = tmp_path / shape
    subprocess.run(["cp", "-r", str(READERS / shape), str(root)], check=True)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "legacy"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True
        )
    return root


def migrate(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    """APPLY's report with the plan it carried out (--verbose: every note and detail)."""
    r = run(
        capsys,
        "migrate",
        "--root",
        str(root),
        "--apply",
        "--verbose",
        "--uv-mk",
        str(UV_MK),
        *extra,
    )
    assert r.code == 0, r.err
    return r.out


def dry_run(root: Path, rel: str, *flags: str) -> str:
    """`uv pip install --dry-run -r <rel>` into a scratch venv, the way its reader installs it."""
    venv = root.parent / f"scratch-{rel.replace('/', '-')}"
    subprocess.run(["uv", "venv", "-q", "--python", "3.11", str(venv)], check=True)
    proc = subprocess.run(
        ["uv", "pip", "install", "--dry-run", "--python", str(venv), *flags, "-r", rel],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stderr


def make(root: Path, target: str) -> str:
    proc = subprocess.run(
        ["make", "--no-print-directory", target], cwd=root, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def export_args(plan: MigrationPlan, rel: str) -> list[str]:
    """The `uv export` arguments the plan regenerates `rel` with."""
    ops = [op for c in plan.changes if c.path == rel for op in c.operations]
    return [a for op in ops if isinstance(op, Export) for a in op.args]


def body(root: Path, rel: str) -> list[str]:
    """The requirement names a regenerated file installs."""
    lines = (root / rel).read_text().splitlines()
    return sorted(
        ln.split("==")[0] for ln in lines if ln and not ln.startswith((" ", "#")) and "==" in ln
    )


def test_flask_app_keeps_its_docker_docs_and_ci_files_faithful(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy("flask-docker", tmp_path)
    out = migrate(root, capsys)
    assert "docker/Dockerfile-prod:3, docker/Dockerfile-prod:4" in out
    assert ".readthedocs.yaml:8" in out
    # Heroku would refuse the kept requirements.txt next to uv.lock: said, not hidden
    assert "Procfile: Heroku's Python buildpack refuses requirements.txt next to uv.lock" in out
    # the Dockerfile's file: runtime only, no project line, no hashes it never had
    assert body(root, "requirements.txt") == [
        "blinker", "click", "flask", "gunicorn", "itsdangerous", "jinja2", "markupsafe",
        "packaging", "werkzeug",
    ]  # fmt: skip
    assert "--hash" not in (root / "requirements.txt").read_text()
    assert "Would install" in dry_run(root, "requirements.txt")
    # Read the Docs' file: the docs group only, not the whole lock
    assert body(root, "docs-requirements.txt") == ["docutils"]
    # CI's file had `-r requirements.txt`: runtime plus dev
    dev = body(root, "requirements-dev.txt")
    assert {"flask", "pytest", "flake8"} <= set(dev) and "docutils" not in dev
    header = (root / "docs-requirements.txt").read_text().splitlines()[2]
    assert header == (
        "#    regenerate it with: make uv-export EXPORT_FILE=docs-requirements.txt "
        "EXPORT_FLAGS='--only-group docs --no-emit-project --no-hashes'"
    )
    # the kept Makefile still works: help lists the targets, the kept lint runs flake8 from
    # uv's environment, `venv` (a prerequisite of lint) is dev-install now
    makefile = (root / "Makefile").read_text()
    assert "venv: dev-install ## Create the virtualenv\n" in makefile
    shown = make(root, "help")
    assert "lint       Lint the code" in shown and "Makefile" not in shown
    make(root, "lint")
    assert "1 passed" in make(root, "test")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    v = run(capsys, "verify", "--root", str(root), "--uv-mk", str(UV_MK))
    assert "only files generated by uv export: docs-requirements.txt" in v.out, v.out
    # a regenerated file that drifts from the lock is caught
    (root / "docs-requirements.txt").write_text(
        (root / "docs-requirements.txt").read_text().replace("0.21.2", "0.20")
    )
    v = run(capsys, "verify", "--root", str(root), "--uv-mk", str(UV_MK))
    assert "docs-requirements.txt differs from what uv.lock exports now" in v.out


def test_django_files_found_by_reference_are_migrated_and_kept_for_their_readers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy("django-tox", tmp_path)
    out = migrate(root, capsys)
    for said in (
        "development.txt is installed by tox.ini:5",
        "linting.txt is installed by .gitlab-ci.yml:4",
        "deps/prod.pip is installed by infra/dockerfile.base:4",
        "development.txt is still read by tox.ini:5, scripts/ci.sh:3, utils/makefile.include:2",
    ):
        assert said in out, said
    pyproject = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert pyproject["dependency-groups"] == {"dev": ["pytest==8.3.3"], "lint": ["flake8==7.1.1"]}
    assert pyproject["project"]["dependencies"] == ["Django>=4.2,<6", "gunicorn==22.0.0"]
    dev = body(root, "development.txt")  # had only the test tools: the dev group only
    assert "pytest" in dev and "django" not in dev and "flake8" not in dev
    assert body(root, "linting.txt") == ["flake8", "mccabe", "pycodestyle", "pyflakes"]
    assert "django" in body(root, "deps/prod.pip")
    dry_run(root, "deps/prod.pip")


def test_uv_pip_compile_output_is_migrated_from_its_in_files_never_weakened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy("uv-compile", tmp_path)
    out = migrate(root, capsys)
    assert "pip-compile output of requirements.in" in out
    pyproject = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    # as the .in files wrote them: no `==` loosened to `>=`, no extras added
    assert pyproject["project"]["dependencies"] == ["django>=5.2", "pyjwt[crypto]>=2.8"]
    assert pyproject["dependency-groups"] == {"dev": ["pytest>=8"]}
    assert "weakened" not in out
    # the Dockerfile installs with --require-hashes: the hashes stay; the dev file had none
    assert "--hash=sha256:" in (root / "requirements.txt").read_text()
    assert "--hash" not in (root / "requirements-dev.txt").read_text()
    assert "django" not in body(root, "requirements-dev.txt")  # its .in only -c'd the runtime
    dry_run(root, "requirements.txt", "--require-hashes")
    dry_run(root, "requirements-dev.txt")


def test_a_compiled_file_without_its_in_is_weakened_and_says_so(tmp_path: Path) -> None:
    from uvmk.plan.routes import routes_of
    from uvmk.sources.pip import planner as req

    (tmp_path / "requirements.txt").write_text(
        "# This file was autogenerated by uv via the following command:\n"
        "#    ./bin/lock-deps\n"
        "django==5.2.15\n    # via -r requirements.in\nsqlparse==0.5.3\n    # via django\n"
    )
    dep = req.plan_dependencies(tmp_path, None)
    weakened = [(r.source, r.requirement) for r in routes_of(dep) if r.status == "weakened"]
    assert weakened == [("requirements.txt:3", "django>=5.2.15")]
    why = [n.message for n in dep.notes if n.code == "weakened"]
    assert "weakened from django==5.2.15" in why[0] and "no .in beside it" in why[0]


def test_an_empty_requirements_file_stays_empty(tmp_path: Path) -> None:
    from uvmk import plan as uvmk_plan
    from uvmk.survey import snapshot as uvmk_survey

    (tmp_path / "requirements.txt").write_text("iniconfig==2.0.0\n")
    (tmp_path / "requirements-test.txt").write_text("# nothing yet\n")
    (tmp_path / "ci.sh").write_text("pip install -r requirements-test.txt\n")
    plan = uvmk_plan.build_plan(
        uvmk_survey.survey(tmp_path), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    # the empty group it now is, not the runtime (nor the whole lock)
    assert export_args(plan, "requirements-test.txt") == [
        "--only-group", "test", "--no-emit-project", "--no-hashes",
    ]  # fmt: skip
    (tmp_path / "requirements-test.txt").write_text("\n")
    (tmp_path / "requirements.in").write_text("")
    (tmp_path / "setup.sh").write_text("pip install -r requirements.in\n")
    plan = uvmk_plan.build_plan(
        uvmk_survey.survey(tmp_path), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    actions = {c.path: c.action for c in plan.changes}
    assert actions["requirements.in"] == "keep"  # nothing of its own to regenerate


def test_named_files_and_roles_replace_discovery(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "requirements.txt").write_text("iniconfig==2.0.0\n")  # discovery would take it
    (tmp_path / "base.pip").write_text("six==1.16.0\n")
    (tmp_path / "tools.txt").write_text("packaging==24.1\n")
    r = run(
        capsys, "migrate", "--root", str(tmp_path), "--format", "json",
        "--requirements", "base.pip", "--dev-requirements", "tools.txt:lint",
    )  # fmt: skip
    assert r.code == 0, r.err
    import json

    plan = json.loads(r.out)
    routes = {x["requirement"]: x["destination"] for x in plan["requirements"]}
    assert routes == {
        "six==1.16.0": "project.dependencies",
        "packaging==24.1": "dependency-groups.lint",
    }
    assert "requirements.txt" not in {c["path"] for c in plan["changes"]}
    bad = run(capsys, "migrate", "--root", str(tmp_path), "--requirements", "nope.txt")
    assert bad.code == 2 and "nope.txt" in bad.err


def test_a_docs_line_that_installs_a_deleted_file_is_rewritten_or_reported(tmp_path: Path) -> None:
    from uvmk import plan as uvmk_plan
    from uvmk.survey import snapshot as uvmk_survey

    (tmp_path / "requirements.txt").write_text("iniconfig==2.0.0\n")
    (tmp_path / "requirements-dev.txt").write_text("pytest==8.3.3\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "hacking.md").write_text(
        "# Hacking\n\nThe tools: requirements-dev.txt.\n\n    pip install -r requirements-dev.txt\n"
        "\nOr run ``pip install --user -r requirements-dev.txt`` in your own Python.\n"
    )
    plan = uvmk_plan.build_plan(
        uvmk_survey.survey(tmp_path), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    actions = {c.path: c.action for c in plan.changes}
    assert actions["requirements-dev.txt"] == "delete" and actions["docs/hacking.md"] == "modify"
    # the command alone on its line becomes the uv step; prose around one is reported
    docs = plan.contents["docs/hacking.md"].decode()
    assert "\n    uv sync --group dev\n" in docs and "The tools: requirements-dev.txt." in docs
    said = [n for n in plan.notes if n.startswith("docs/hacking.md:7 still says")]
    assert said and "requirements-dev.txt is deleted: update that line" in said[0]
    assert any(n.startswith("looked for readers of the requirements files in") for n in plan.notes)


def test_a_heroku_app_with_no_other_reader_loses_its_requirements_txt(tmp_path: Path) -> None:
    """Heroku's buildpack installs uv.lock itself and refuses a requirements.txt next to it."""
    from uvmk import plan as uvmk_plan
    from uvmk.survey import snapshot as uvmk_survey

    (tmp_path / "requirements.txt").write_text("gunicorn==22.0.0\n")
    (tmp_path / "Procfile").write_text("web: gunicorn app:app\n")
    plan = uvmk_plan.build_plan(
        uvmk_survey.survey(tmp_path), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    assert {c.path: c.action for c in plan.changes}["requirements.txt"] == "delete"
    assert "Procfile: Heroku's Python buildpack installs from uv.lock now" in " ".join(plan.notes)


def test_what_the_migration_writes_is_un_ignored_so_a_fresh_clone_has_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "app"
    root.mkdir()
    (root / "requirements.txt").write_text("iniconfig==2.0.0\n")
    (root / "Makefile").write_text("lint:\n\tflake8 .\n")
    (root / ".gitignore").write_text(".python-version\nuv.lock\n*.mk\n")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
        cwd=root,
        check=True,
    )
    migrate(root, capsys)
    assert (
        (root / ".gitignore")
        .read_text()
        .endswith(
            "# written by uv-migrate: a fresh clone needs them\n"
            "!.python-version\n!uv.lock\n!uv.mk\n"  # uv.mk: the one file vendored
        )
    )
    # uv-verify says so when .gitignore hides the (not yet committed) lock again
    rules = (root / ".gitignore").read_text()
    (root / ".gitignore").write_text(rules + "uv.lock\n")
    v = run(capsys, "verify", "--root", str(root), "--uv-mk", str(UV_MK))
    assert "uv.lock ignored by git: a fresh clone has none (add !uv.lock to .gitignore)" in v.out
    (root / ".gitignore").write_text(rules)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.split()
    for path in (".python-version", "uv.lock", "uv.mk"):
        assert path in tracked, path


def test_a_setup_cfg_of_tool_settings_only_is_no_setuptools_project(tmp_path: Path) -> None:
    """fastapi-tdd-docker: setup.cfg holds [flake8], pyproject.toml [tool.aerich] only."""
    from uvmk import plan as uvmk_plan
    from uvmk.survey import snapshot as uvmk_survey

    (tmp_path / "setup.cfg").write_text("[flake8]\nmax-line-length = 119\n")
    (tmp_path / "pyproject.toml").write_text('[tool.aerich]\nlocation = "./migrations"\n')
    (tmp_path / "requirements.txt").write_text("fastapi==0.109.0\n")
    plan = uvmk_plan.build_plan(
        uvmk_survey.survey(tmp_path), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    pyproject = plan.contents["pyproject.toml"].decode()
    assert '[tool.aerich]\nlocation = "./migrations"\n' in pyproject
    assert '"fastapi==0.109.0"' in pyproject


def test_what_heroku_installs_is_the_runtime_other_deployment_files_export_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """djangoproject.com and flasky: the root requirements.txt (what Heroku installs) is only
    `-r requirements/heroku.txt`, which -r's prod.txt (-r common.txt + gunicorn): gunicorn and
    whitenoise are what the app runs with, so [project] dependencies, not groups `make install`
    skips (the buildpack syncs uv.lock without groups: the dyno had no web server)."""
    root = committed_copy("deploy-groups", tmp_path)
    out = migrate(root, capsys)
    pyproject = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert pyproject["project"]["dependencies"] == [
        "six==1.16.0", "gunicorn==23.0.0", "whitenoise==6.8.2",
    ]  # fmt: skip
    assert pyproject["dependency-groups"] == {
        "dev": ["iniconfig==2.0.0"],
        "docker": ["pymysql==1.1.1"],
    }
    assert "buildpack syncs uv.lock without dependency groups" not in out
    # deploy/Dockerfile's prod.txt: the runtime it installed (and whitenoise beside it)
    assert body(root, "requirements/prod.txt") == ["gunicorn", "packaging", "six", "whitenoise"]
    # the other Dockerfile's docker.txt: the runtime and the docker group
    assert body(root, "requirements/docker.txt") == [
        "gunicorn", "packaging", "pymysql", "six", "whitenoise",
    ]  # fmt: skip
    dry_run(root, "requirements/prod.txt")
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    v = run(capsys, "verify", "--root", str(root), "--uv-mk", str(UV_MK), "--quick")
    assert "only files generated by uv export: requirements/docker.txt, requirements/prod" in v.out
    # `make install` (uv sync --no-default-groups) installs the runtime, the web server with it
    installs = subprocess.run(
        ["uv", "export", "--locked", "--no-default-groups", "--no-emit-project", "--no-hashes"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "six==" in installs and "gunicorn==" in installs and "pymysql" not in installs
    # `make dev-install` installs every group: no deployment group is left to leave out
    assert "--no-group" not in (root / "Makefile").read_text()
    make(root, "dev-install")
    installed = subprocess.run(
        ["uv", "pip", "list", "--python", str(root / ".venv")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()
    assert "iniconfig" in installed and "pymysql" in installed


def test_the_only_requirements_file_in_the_app_folder_is_the_runtime(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """fastapi-celery: project/requirements.txt beside project/Dockerfile, none at the root."""
    root = committed_copy("subfolder-app", tmp_path)
    out = migrate(root, capsys)
    pyproject = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert pyproject["project"]["dependencies"] == ["six==1.16.0", "iniconfig==2.0.0"]
    assert "dependency-groups" not in pyproject
    assert "project/requirements.txt is the runtime requirements" in out
    assert body(root, "project/requirements.txt") == ["iniconfig", "six"]
    assert "--no-default-groups --no-emit-project --no-hashes" in out
    dry_run(root, "project/requirements.txt")


def test_a_subfolder_with_a_pyproject_of_its_own_is_a_subproject_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy("subfolder-app", tmp_path)
    (root / "project" / "pyproject.toml").write_text('[project]\nname = "api"\nversion = "1"\n')
    r = run(capsys, "audit", "--root", str(root))
    assert "project/ is a project of its own (its project/pyproject.toml)" in r.out
    assert r.code == 1
    # APPLY refuses while it is there, as for services/*/requirements.txt, and writes nothing
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--uv-mk", str(UV_MK))
    assert r.code == 2 and "project/requirements.txt" in r.err
    assert not (root / "pyproject.toml").exists()


def test_a_requirements_file_python_code_opens_is_kept_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """yolov5: check_requirements(ROOT / "requirements.txt") parses and installs what it
    lists; an exact-pin export of the lock would change what it does."""
    root = committed_copy("python-reader", tmp_path)
    before = (root / "requirements.txt").read_bytes()
    out = migrate(root, capsys)
    assert "keep    requirements.txt" in out
    assert "read by train.py:3, .github/workflows/ci.yml:7, utils/general.py:6" in out
    assert (root / "requirements.txt").read_bytes() == before
    # a docstring naming requirements-dev.txt opens nothing: that file is migrated and deleted
    assert not (root / "requirements-dev.txt").exists()
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    v = run(capsys, "verify", "--root", str(root), "--uv-mk", str(UV_MK), "--quick")
    assert "✓ no requirements*.txt  kept as written, read by Python code: requirements.txt" in v.out
    a = run(capsys, "audit", "--root", str(root), "--check")
    assert a.code == 0, a.out


def test_readers_through_computed_names_keep_every_file_their_pattern_matches(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """scripts/compile.sh compiles `requirements/$name.in` in a loop, CI installs
    `requirements/${{ matrix.requirements-file }}.txt`, a hatch script compiles
    `requirements/{args}.in`: none names a file, each reads every file its pattern matches."""
    root = committed_copy("computed-names", tmp_path)
    out = migrate(root, capsys)
    for rel in ("requirements/base.in", "requirements/dev.in"):
        assert (root / rel).read_bytes() == (READERS / "computed-names" / rel).read_bytes(), rel
    assert "scripts/compile.sh:5" in out and "pyproject.toml:10" in out  # as migrated
    for rel in ("requirements/base.txt", "requirements/dev.txt"):
        assert (root / rel).is_file(), rel
        assert ".github/workflows/tests.yml:14" in out
    assert "iniconfig" in dry_run(root, "requirements/dev.txt")
