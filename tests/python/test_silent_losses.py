"""Migrations that exited 0 and quietly lost something (found on real repos): each fixture in
tests/fixtures/silent-losses/ is a small repo of that shape, committed to git, migrated with
the real uv; the test says what must survive."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import REPO, checksums, git_copy, run

SILENT_LOSSES = REPO / "tests" / "fixtures" / "silent-losses"


def committed_copy(shape: str, tmp_path: Path) -> Path:
    return git_copy(SILENT_LOSSES / shape, tmp_path / shape)


def locked(root: Path) -> dict[str, str]:
    data = tomlkit.parse((root / "uv.lock").read_text()).unwrap()
    return {p["name"]: p.get("version", "") for p in data["package"]}


def test_an_addition_with_extras_pyproject_lacks_is_written_and_locked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pyproject `uvicorn>=0.29`, requirements.txt `uvicorn[standard]==0.29.0`: the extra's
    packages (uvloop) were in the old venv."""
    root = committed_copy("addition-with-extra", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    data = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert "uvicorn[standard]==0.29.0" in data["project"]["dependencies"]
    assert "uvloop" in locked(root)
    again = run(capsys, "migrate", "--root", str(root))
    assert "project.dependencies +=" not in again.out


def test_poetry_dependency_tables_beside_project_are_converted_not_lost(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Poetry 2: [project] plus [tool.poetry.group.dev.dependencies] (pytest) and poetry.lock;
    uv reads no [tool.poetry] table, so migrating as it was would drop pytest: the group is
    converted to [dependency-groups] and poetry.lock's pytest seeds uv.lock."""
    root = committed_copy("poetry2-groups", tmp_path)
    audit = run(capsys, "audit", "--root", str(root))
    assert audit.code == 1
    assert "pyproject.toml:9: [tool.poetry] says what installs" in audit.out
    applied = run(capsys, "migrate", "--root", str(root), "--apply")
    assert applied.code == 0, applied.err
    data = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert data["dependency-groups"] == {"dev": ["pytest>=8.0,<9.0"]}
    assert "group" not in data["tool"]["poetry"]
    lock = tomlkit.parse((root / "poetry.lock").read_text()).unwrap()
    assert locked(root)["pytest"] == next(
        p["version"] for p in lock["package"] if p["name"] == "pytest"
    )


def exported_pins(root: Path, rel: str) -> dict[str, str]:
    """name -> version of each `name==version` line of a `uv export` file."""
    found = {}
    for line in (root / rel).read_text().splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, version = line.split(";")[0].strip().split("==")
            found[name] = version
    return found


def test_a_deployment_file_regenerated_installs_the_app_as_it_did(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """requirements/prod.txt (flask, requests, gunicorn: no -r), read by docker/Dockerfile-prod,
    beside a requirements.txt: the prod group holds gunicorn alone, and `--only-group prod`
    regenerated a file that installs gunicorn alone; the image built and crashed at start."""
    root = committed_copy("deploy-file-loses-app", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--verbose")
    assert r.code == 0, r.err
    assert "--no-default-groups --group prod --no-emit-project" in r.out
    pins = exported_pins(root, "requirements/prod.txt")
    assert {"flask": "3.0.3", "requests": "2.32.3", "gunicorn": "22.0.0"}.items() <= pins.items()


def test_apply_stops_when_a_regenerated_file_would_install_less(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check after the lock, whatever the plan chose: simulate a plan that exports the
    prod group alone (as it did before), and apply refuses, every file as it was."""
    from uvmk.plan import exports

    monkeypatch.setattr(exports, "_lists_runtime", lambda f, doc, root: False)
    root = committed_copy("deploy-file-loses-app", tmp_path)
    before = checksums(root)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 2
    assert "requirements/prod.txt regenerated from uv.lock" in r.err
    assert "would no longer install flask, requests" in r.err
    assert checksums(root) == before


def test_a_deploy_file_that_installs_the_released_package_is_kept_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """deploy/requirements.txt `myapp==0.1.0` (the project's own name), read by deploy/Dockerfile:
    the deployment installs a release from an index; regenerated from uv.lock it was empty."""
    root = committed_copy("deploy-installs-release", tmp_path)
    preview = run(capsys, "migrate", "--root", str(root))
    assert "deploy/requirements.txt is kept as written: it installs a released" in preview.out
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    assert (root / "deploy" / "requirements.txt").read_text() == "myapp==0.1.0\n"
    data = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert data["project"]["dependencies"] == ["six==1.16.0"]
    assert "dependency-groups" not in data


def test_a_named_pip_compile_input_stays_an_input_and_its_pins_seed_the_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """DEV_REQUIREMENTS=requirements-dev.in:dev, the Makefile compiling it: the .in became
    `uv export` output and pytest 8.2.1 (requirements-dev.txt) moved to the newest."""
    root = committed_copy("named-compile-input", tmp_path)
    source = (root / "requirements-dev.in").read_bytes()
    r = run(
        capsys, "migrate", "--root", str(root), "--apply",
        "--dev-requirements", "requirements-dev.in:dev",
    )  # fmt: skip
    assert r.code in (0, 1), r.err  # 1: six (requirements.txt, not named) left the lock
    assert (root / "requirements-dev.in").read_bytes() == source
    assert locked(root)["pytest"] == "8.2.1"
    data = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert data["dependency-groups"]["dev"] == ["pytest>=7"]


def test_what_the_root_requirements_txt_pulls_in_is_the_runtime(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """cookiecutter-django / Heroku: requirements.txt is only `-r requirements/production.txt`
    (base + gunicorn + the DB driver), local.txt the developer's: gunicorn and psycopg went to a
    `production` group that `make install` and the buildpack skip."""
    root = committed_copy("heroku-production-runtime", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--verbose")
    assert r.code == 0, r.err
    data = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert data["project"]["dependencies"] == [
        "django==5.0.6", "gunicorn==22.0.0", "psycopg[binary]==3.1.19",
    ]  # fmt: skip
    assert data["dependency-groups"] == {"dev": ["pytest==8.2.1"]}
    assert "buildpack syncs uv.lock without dependency groups" not in r.out
    assert "Heroku's Python buildpack installs from uv.lock now" in r.out


def test_an_app_json_that_deploys_a_container_gets_no_buildpack_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy("heroku-production-runtime", tmp_path)
    (root / "Procfile").unlink()
    (root / "app.json").write_text('{"name": "shop", "stack": "container"}\n')
    (root / "heroku.yml").write_text("build:\n  docker:\n    web: Dockerfile\n")
    r = run(capsys, "migrate", "--root", str(root))
    assert r.code == 0, r.err
    assert "buildpack" not in r.out


def test_a_requirements_file_named_in_a_python_dict_is_not_read_by_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table of file names (`{"requirements.txt": "pip"}`, checkov's list of package files
    beside package-lock.json and pom.xml) opens nothing: the file is migrated and deleted, not
    kept "read by Python code"."""
    root = committed_copy("addition-with-extra", tmp_path)
    (root / "detect.py").write_text(
        'MANAGERS = {\n    "requirements.txt": "pip",\n    "Pipfile": "pipenv",\n}\n'
        'DEFAULT = {"file": "requirements.txt"}\n'
        'SUPPORTED = [\n    "package-lock.json",\n    "pom.xml",\n    "requirements.txt",\n]\n'
        'PROHIBITED = ("Pipfile.lock", "yarn.lock", "requirements.txt", "go.sum")\n'
    )
    r = run(capsys, "migrate", "--root", str(root), "--verbose")
    assert r.code == 0, r.err
    assert "read by Python code" not in r.out
    assert "delete  requirements.txt" in r.out


def test_a_dev_file_that_repeats_a_runtime_package_is_regenerated_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """requirements-dev.txt (requests, pytest; no -r), read by CI, beside requirements.txt
    (requests): regenerated with --only-group dev it lacked requests, which CI's tests import."""
    root = committed_copy("dev-file-repeats-runtime", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    pins = exported_pins(root, "requirements-dev.txt")
    assert {"requests": "2.32.3", "pytest": "8.2.1"}.items() <= pins.items()


def test_code_that_opens_the_requirements_file_beside_other_manifests_still_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed_copy("addition-with-extra", tmp_path)
    (root / "detect.py").write_text(
        'from pathlib import Path\n\nif Path("Pipfile").exists():\n    pass\n'
        'lines = open("requirements.txt").read().splitlines()\n'
    )
    r = run(capsys, "migrate", "--root", str(root), "--verbose")
    assert r.code == 0, r.err
    assert "requirements.txt is read by Python code (detect.py:5)" in r.out


def test_a_requirements_file_a_dockerfile_edits_in_place_is_kept_as_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """wagtail/bakerydemo: the image's nightly build runs `sed -i "s|wagtail>=.*|$URL|"
    /requirements/base.txt`, then installs requirements/production.txt, which `-r base.txt`.
    Regenerated from uv.lock, base.txt said `six==1.17.0` (the sed no longer matches) and
    production.txt no longer read base.txt: the nightly image silently built the stable
    release. Both stay as written; their requirements are in pyproject.toml all the same."""
    root = committed_copy("dockerfile-edits-requirements", tmp_path)
    base = (root / "requirements" / "base.txt").read_bytes()
    production = (root / "requirements" / "production.txt").read_bytes()
    preview = run(capsys, "migrate", "--root", str(root))
    assert "requirements/base.txt is kept as written: Dockerfile:4 edits it in place" in preview.out
    kept = "requirements/production.txt is kept as written: it includes requirements/base.txt"
    assert kept in preview.out
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    assert (root / "requirements" / "base.txt").read_bytes() == base
    assert (root / "requirements" / "production.txt").read_bytes() == production
    assert not (root / "requirements.txt").exists()  # nothing reads the root's any more
    data = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert sorted(data["project"]["dependencies"]) == ["iniconfig==2.0.0", "six>=1.16,<2"]


@pytest.mark.parametrize(
    ("line", "edits"),
    [
        ('sed -i "s|six>=.*|six @ $URL|" /requirements/base.txt', True),
        ("sed -i.bak -e 's/a/b/' requirements/base.txt && pip install -r prod.txt", True),
        ("perl -pi -e 's/a/b/' base.txt", True),
        ("sed -n '1p' requirements/base.txt", False),  # reads it, edits nothing
        ("sed -i 's/a/b/' setup.cfg && pip install -r requirements/base.txt", False),
        ("sed -i 's/a/b/' requirements/base.txt.bak", False),
    ],
)
def test_which_reader_lines_edit_a_requirements_file_in_place(line: str, edits: bool) -> None:
    from uvmk.plan.edited_in_place import edits_in_place

    assert edits_in_place(line, "requirements/base.txt") is edits


def test_extras_uv_cannot_install_together_are_left_out_of_the_dev_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """feast-dev/feast: `[tool.uv] conflicts` between extras (flink with ge, ci, dev, docs);
    the migrated Makefile ran `$(UV) run --all-extras --all-groups` and uv.mk's dev-install
    `uv sync --all-extras --all-groups`, which uv refuses: "Extras `legacy` and `modern` are
    incompatible with the declared conflicts". With real make and uv, both work now."""
    root = committed_copy("conflicting-extras", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    makefile = (root / "Makefile").read_text()
    flags = "--all-extras --all-groups --no-extra modern"
    assert f"SYNC_DEV_FLAGS := {flags}\n" in makefile
    assert f"smoke:\n\t$(UV) run {flags} python app.py\n" in makefile
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CI")}
    for target in ("dev-install", "smoke"):
        done = subprocess.run(
            ["make", "--no-print-directory", target],
            cwd=root, capture_output=True, text=True, env=env, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
    assert "1.16.0" in done.stdout


@pytest.mark.parametrize(
    ("flags", "conflicts", "left"),
    [
        # feast: one extra in every set goes, the others stay
        (
            "--all-extras --all-groups",
            [[("extra", "flink"), ("extra", x)] for x in ("ge", "ci", "dev", "docs")],
            [("extra", "flink")],
        ),
        # a tie: the name that sorts last goes, the same every run
        ("--all-extras", [[("extra", "cpu"), ("extra", "cu121")]], [("extra", "cu121")]),
        # a group in the set: --no-default-groups selects no group, nothing conflicts
        ("--all-extras --no-default-groups", [[("extra", "a"), ("group", "b")]], []),
        ("--all-extras --all-groups", [[("extra", "a"), ("group", "b")]], [("group", "b")]),
        # already left out by the flags
        ("--all-extras --no-extra cpu", [[("extra", "cpu"), ("extra", "cu121")]], []),
    ],
)
def test_what_the_all_flags_leave_out_of_conflicting_sets(
    flags: str, conflicts: list[list[tuple[str, str]]], left: list[tuple[str, str]]
) -> None:
    from uvmk import uv_conflicts

    raw = [[{kind: name} for kind, name in s] for s in conflicts]
    assert uv_conflicts.left_out(flags, uv_conflicts.conflict_sets(raw)) == left


def test_a_compiled_group_file_sharing_a_pin_with_the_runtime_stays_its_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openedx's requirements/pip-tools.txt, pip-compile's output of pip-tools.in, pins click
    for pip-tools while base.in lists click for the app: its export is still the pip-tools
    group alone, not the app's runtime (six) as well."""
    root = committed_copy("compiled-group-shares-a-pin", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    tools = exported_pins(root, "requirements/pip-tools.txt")
    assert "pip-tools" in tools and "click" in tools
    assert "six" not in tools
    assert set(exported_pins(root, "requirements/base.txt")) == {"click", "six"}


def test_a_dev_file_line_pyproject_declares_in_another_group_joins_the_files_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """psf/requests: requirements-dev.txt (read by tox.ini) lists pytest, which pyproject
    declares in its test group; exported as the dev group it would install no pytest (APPLY
    refused): the line joins the dev group, and the export installs what the file did."""
    root = committed_copy("dev-file-lines-in-another-group", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    data = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert data["dependency-groups"]["dev"] == ["pytest>=7,<10", "iniconfig"]
    assert data["dependency-groups"]["test"] == ["pytest>=7", "pytest-mock"]
    assert {"pytest", "iniconfig"} <= set(exported_pins(root, "requirements-dev.txt"))


def test_a_deployed_pin_the_lock_will_not_keep_is_said_without_verbose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """DjangoGirls/djangogirls: requirements.in pins django-formtools==2.3.0, its compiled
    requirements.txt (what the image pip-syncs) says 2.5.1: uv.lock follows the .in, so the
    image goes back to 2.3.0. The preview and the audit said it only under VERBOSE=1."""
    root = committed_copy("compiled-pin-drifted", tmp_path)
    said = "requirements.txt:7: six==1.16.0 is not kept in uv.lock: ==1.15.0 (requirements.in:1)"
    assert said in run(capsys, "migrate", "--root", str(root)).out
    assert said in run(capsys, "audit", "--root", str(root)).out


def test_a_pin_the_compiled_file_left_out_stays_out_of_its_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openedx's `make upgrade` deletes test.txt's `django==` line so that tox's factors
    choose Django: pinned again by its export, tox's django52 env cannot resolve. The export
    leaves out what pip-compile's output names in `# via` without pinning."""
    root = committed_copy("compiled-file-leaves-a-pin-out", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    test_pins = exported_pins(root, "requirements/test.txt")
    assert "requests" not in test_pins and {"iniconfig", "urllib3"} <= set(test_pins)
    assert "requests" in exported_pins(root, "requirements/base.txt")
    assert "--no-emit-package requests" in (root / "requirements/test.txt").read_text()


def test_a_file_a_kept_requirements_file_includes_is_kept_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """openedx: requirements/base.in stays for the `make upgrade` that pip-compiles it, and
    says `-c constraints.txt`; constraints.txt was deleted (first run, and again on a second
    run over edx-django-utils), so pip-compile could no longer read base.in."""
    root = committed_copy("kept-input-includes-constraints", tmp_path)
    r = run(capsys, "migrate", "--root", str(root), "--apply")
    assert r.code == 0, r.err
    assert (root / "requirements/base.in").is_file()
    assert (root / "requirements/constraints.txt").read_text() == "# why each pin\nsix<2\n"
    again = run(capsys, "migrate", "--root", str(root))
    assert again.code == 0 and "nothing to do" in again.out, again.out
