"""choose_python when uv may not download a Python (UV_PYTHON_DOWNLOADS=never): what APPLY=1
refuses with (the plan's blocker), and PYTHON_VERSION (--python) as the evidence a new
requires-python starts from. `installed` is what `uv python find` answered, as facts.gather
passes it: here 3.11.7 only."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomlkit

from uvmk import plan as uvmk_plan
from uvmk.facts import Facts
from uvmk.plan import python as plan_python
from uvmk.refusals import refusal
from uvmk.survey import snapshot as uvmk_survey


@pytest.fixture
def docker314(tmp_path: Path) -> Path:
    """No requires-python; the only evidence is production's python:3.14 image."""
    (tmp_path / "Dockerfile").write_text("FROM python:3.14-slim\n")
    (tmp_path / "requirements.txt").write_text("six==1.16.0\n")
    return tmp_path


def test_a_missing_evidence_python_with_no_fallback_is_a_blocker_naming_the_ways_out(
    docker314: Path,
) -> None:
    s = uvmk_survey.survey(docker314)
    choice = plan_python.choose_python(s, ["3.11.7"], downloads="never")
    assert choice.blocker == (
        "Python 3.14 (Dockerfile:1) is not installed here and UV_PYTHON_DOWNLOADS=never keeps "
        "uv from downloading it: `uv python install 3.14` (or let uv download it: unset "
        "UV_PYTHON_DOWNLOADS), or PYTHON_VERSION=3.11 to use the installed 3.11 (if the pinned "
        "versions support it: uv lock tells)"
    )
    # uv may download it: pinned, no blocker
    assert plan_python.choose_python(s, ["3.11.7"], downloads="automatic").blocker is None
    # the audit asks uv nothing (installed=None): it takes the evidence at its word
    assert plan_python.choose_python(s, None, downloads="never").blocker is None


def test_a_missing_python_version_file_version_is_a_blocker(docker314: Path) -> None:
    (docker314 / ".python-version").write_text("3.14.7\n")
    s = uvmk_survey.survey(docker314)
    choice = plan_python.choose_python(s, ["3.11.7"], downloads="never")
    assert choice.blocker is not None
    assert choice.blocker.startswith("Python 3.14.7 (.python-version) is not installed here")


def test_the_blocker_stops_apply_only_and_the_preview_plans_on(docker314: Path) -> None:
    s = uvmk_survey.survey(docker314)
    facts = Facts(pythons=("3.11.7",), python_downloads="never")
    plan = uvmk_plan.build_plan(s, uvmk_plan.Options(), facts)
    assert refusal(plan, applying=False) is None
    stop = refusal(plan, applying=True)
    assert stop is not None and len(stop.splitlines()) == 1
    assert stop.startswith("uv.mk: error: Python 3.14 (Dockerfile:1) is not installed here")
    assert plan.to_json()["python"]["blocker"] == plan.python.blocker


def test_python_version_is_the_evidence_a_new_requires_python_starts_from(
    docker314: Path,
) -> None:
    s = uvmk_survey.survey(docker314)
    choice = plan_python.choose_python(s, ["3.11.7"], forced="3.11", downloads="never")
    assert (choice.version, choice.blocker, choice.forced) == ("3.11", None, True)
    assert plan_python.planned_requires(s, "3.11") == ">=3.11"
    assert any("older than Dockerfile:1's 3.14" in n for n in choice.notes)
    facts = Facts(pythons=("3.11.7",), python_downloads="never")
    plan = uvmk_plan.build_plan(s, uvmk_plan.Options(python="3.11"), facts)
    project = tomlkit.parse(plan.contents["pyproject.toml"].decode())["project"]
    assert project["requires-python"] == ">=3.11"  # not the Dockerfile's >=3.14
    assert refusal(plan, applying=True) is None


def test_python_version_newer_than_the_evidence_keeps_the_evidence_floor(
    docker314: Path,
) -> None:
    (docker314 / "Dockerfile").write_text("FROM python:3.10-slim\n")
    s = uvmk_survey.survey(docker314)
    assert plan_python.planned_requires(s, "3.11") == ">=3.10"  # production runs 3.10


def test_python_version_not_installed_is_a_blocker_when_uv_may_not_download(
    docker314: Path,
) -> None:
    s = uvmk_survey.survey(docker314)
    # facts.gather asked for 3.13 first, then for any Python: it found 3.11.7
    choice = plan_python.choose_python(s, ["3.11.7"], forced="3.13", downloads="never")
    assert choice.blocker is not None
    assert choice.blocker.startswith("Python 3.13 (PYTHON_VERSION) is not installed here")
    assert choice.blocker.endswith(
        "or PYTHON_VERSION=3.11 to use the installed 3.11 (if the pinned versions support it: "
        "uv lock tells)"
    )
    fetched = plan_python.choose_python(s, ["3.11.7"], forced="3.13", downloads="automatic")
    assert fetched.blocker is None and any("uv downloads it" in n for n in fetched.notes)
    assert plan_python.python_requests(s, "3.13") == ["3.13", ""]


def test_python_version_outside_the_repo_s_own_requires_python_is_a_blocker(
    docker314: Path,
) -> None:
    (docker314 / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0"\nrequires-python = ">=3.12"\ndependencies = []\n'
    )
    s = uvmk_survey.survey(docker314)
    choice = plan_python.choose_python(s, ["3.11.7"], forced="3.11", downloads="automatic")
    assert choice.blocker == (
        "PYTHON_VERSION=3.11 (--python) is outside requires-python >=3.12 (pyproject.toml:4): "
        "name a version it allows, or change requires-python yourself first"
    )
    assert plan_python.planned_requires(s, "3.11") == ">=3.12"  # the repo's own, kept
