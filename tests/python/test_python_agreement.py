"""Over every fixture a migration is planned on: the .python-version the migrated repo has
satisfies the requires-python it has (a field repo got `.python-version` 3.12 beside a
requires-python `>=3.14` that another project's Dockerfile had decided)."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomlkit
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from test_migrate_helpers import EXAMPLE, REPO, UV_MK
from uvmk import facts as uvmk_facts
from uvmk.plan import Options, build_plan
from uvmk.plan.operations import Write
from uvmk.plan.python import python_requests
from uvmk.plan.workspace import build_workspace_plan
from uvmk.survey import snapshot as uvmk_survey
from uvmk.survey.model import SurveyError
from uvmk.workspace import member_folders, workspace_surveys

FIXTURES = REPO / "tests" / "fixtures"
_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "Makefile")


def _roots() -> list[Path]:
    found = [EXAMPLE]
    for group in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        for root in sorted(p for p in group.iterdir() if p.is_dir()):
            if any((root / m).is_file() for m in _MARKERS):
                found.append(root)
    return found


ROOTS = _roots()


@pytest.mark.parametrize("root", ROOTS, ids=[str(r.relative_to(REPO)) for r in ROOTS])
def test_the_written_python_version_satisfies_the_written_requires_python(root: Path) -> None:
    try:
        s = uvmk_survey.survey(root)
    except SurveyError:
        pytest.skip("the survey refuses this fixture")
    plan = build_plan(
        s, Options(uv_mk=UV_MK), uvmk_facts.Facts(pythons=("3.10", "3.11", "3.12", "3.13"))
    )
    version = plan.contents.get(".python-version")
    pinned = version.decode() if version else s.python_version_file
    pyproject = plan.contents.get("pyproject.toml")
    text = pyproject.decode() if pyproject else s.pyproject_text
    if not pinned or not text:
        return
    requires = tomlkit.parse(text).unwrap().get("project", {}).get("requires-python")
    if requires:
        assert Version(pinned.strip()) in SpecifierSet(requires), (pinned, requires)


def test_another_projects_dockerfile_is_no_evidence_for_the_root() -> None:
    """services/mcp/ has its own pyproject.toml: its `FROM python:3.14` is that project's; the
    root's Python is the one its CI matrix tests (3.12)."""
    root = FIXTURES / "losenothing" / "python-other-project"
    s = uvmk_survey.survey(root)
    assert not [e for e in s.evidence if e.where.startswith("services/")]
    plan = build_plan(s, Options(uv_mk=UV_MK), uvmk_facts.Facts(pythons=("3.12", "3.14")))
    assert (plan.python.version, plan.python.source) == ("3.12", ".github/workflows/ci.yml:9 (CI)")
    pyproject = tomlkit.parse(plan.contents["pyproject.toml"].decode()).unwrap()
    assert pyproject["project"]["requires-python"] == ">=3.12"


def test_a_dockerfile_inside_a_service_folder_is_no_evidence_for_the_root(tmp_path: Path) -> None:
    """e2e/ holds requirements-dev.txt beside code of its own (a project of its own, as the
    refusal says: survey.subprojects); the Dockerfiles of its fixtures are not the root's Python
    (Agent-Hellboy/gunicorn-prometheus-exporter: e2e/fixtures/dockerfiles/*.Dockerfile, 3.9)."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\nversion = "1"\n')
    (tmp_path / "Dockerfile").write_text("FROM python:3.11-slim\n")
    dockerfiles = tmp_path / "e2e" / "fixtures" / "dockerfiles"
    dockerfiles.mkdir(parents=True)
    (dockerfiles / "py39.Dockerfile").write_text("FROM python:3.9-slim\n")
    (tmp_path / "e2e" / "requirements-dev.txt").write_text("requests==2.32.3\n")
    (tmp_path / "e2e" / "run_e2e.py").write_text("import requests\n")
    s = uvmk_survey.survey(tmp_path, keep_subprojects=True)
    assert [e.where for e in s.evidence if e.source == "Dockerfile"] == ["Dockerfile:1"]


def _found_by_uv(request: str, installed: list[str]) -> str | None:
    """What `uv python find REQUEST` answers on a machine with `installed` (first on PATH
    first): "" is any Python, else a version or a range the version must meet."""
    for version in installed:
        xy = ".".join(version.split(".")[:2])
        if (
            not request
            or request in (xy, version)
            or (request[0] in "<>=!~" and Version(version) in SpecifierSet(request))
        ):
            return version
    return None


WORKSPACES = sorted(p for p in (FIXTURES / "workspace").iterdir() if p.is_dir())


@pytest.mark.parametrize("root", WORKSPACES, ids=[p.name for p in WORKSPACES])
def test_a_workspace_roots_python_version_satisfies_every_members_requires_python(
    root: Path,
) -> None:
    """Under python3 = 3.10 (first on PATH) linked-services' root got .python-version 3.10
    while its api member, whose image is python:3.11, requires >=3.11: uv lock refused the
    workspace. The root's one .python-version serves every member."""
    installed = ["3.10.13", "3.11.7", "3.12.1", "3.13.0"]
    options = Options(uv_mk=UV_MK)
    top, surveyed = workspace_surveys(root, member_folders(uvmk_survey.survey(root)), options, None)
    found = next((v for r in python_requests(top, None) if (v := _found_by_uv(r, installed))), None)
    facts = uvmk_facts.Facts(pythons=(found,) if found else ())
    plan, _ = build_workspace_plan(top, surveyed, options, facts)
    pinned = plan.python.version
    assert pinned is not None
    written = {
        c.path: op.data.decode()
        for c in plan.changes
        for op in c.operations
        if isinstance(op, Write) and c.path.endswith("/pyproject.toml")
    }
    ranges = {}
    for folder, member in surveyed:
        text = written.get(f"{folder}/pyproject.toml", member.pyproject_text or "")
        ranges[folder] = tomlkit.parse(text).unwrap().get("project", {}).get("requires-python")
    assert any(ranges.values()), "no member says its Python range: nothing to check"
    for folder, requires in ranges.items():
        if requires:
            assert Version(pinned) in SpecifierSet(requires), (folder, pinned, requires)
