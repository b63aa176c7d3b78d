"""The bundled K2 example: audit -> migrate preview -> apply -> verify, as the README demo does."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import EXAMPLE, UV_MK, checksums, copy_repo, run
from uvmk import proc


def _missing(version: str) -> bool:
    """uv finds no installed Python `version` (the suite never downloads one)."""
    found = subprocess.run(
        ["uv", "python", "find", "--system", "--no-python-downloads", version],
        capture_output=True,
        env=proc.child_env(),
        check=False,
    )
    return found.returncode != 0


def test_k2_example_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    k2 = copy_repo(EXAMPLE, tmp_path / "k2")
    assert run(capsys, "audit", "--root", str(k2)).code == 1
    before = checksums(k2)
    preview = run(capsys, "migrate", "--root", str(k2), "--uv-mk", str(UV_MK))
    assert preview.code == 0 and checksums(k2) == before
    # the Makefile's python3.13, where uv finds it; else the installed Python chosen instead
    fallback = re.search(
        r"Python 3\.13 \(Makefile:6\) is not installed here .*: chose (3\.\d+)", preview.out
    )
    pinned = fallback[1] if fallback else "3.13"
    assert fallback or not _missing("3.13"), preview.out

    assert "Conflicts (1): APPLY=1 refuses" in preview.out
    assert "requirements.txt:6: pydantic==2.4.2 is outside" in preview.out

    # the pydantic pin is outside pyproject's range: apply refuses until a side is picked
    refused = run(capsys, "migrate", "--root", str(k2), "--apply", "--uv-mk", str(UV_MK))
    assert refused.code == 2 and checksums(k2) == before
    assert "requirements.txt:6: pydantic==2.4.2" in refused.err
    assert "OVERRIDE_PINS=1" in refused.err and "KEEP_PYPROJECT_PINS=1" in refused.err

    applied = run(
        capsys,
        *("migrate", "--root", str(k2), "--apply", "--keep-pyproject-pins", "--format", "json"),
        *("--uv-mk", str(UV_MK)),
    )
    assert applied.code == 0, applied.err
    result = json.loads(applied.out)
    assert result["pins_moved"] == {}
    assert result["pins_kept"]["httpx"] == "0.27.0"
    assert result["pins_kept"]["structlog"] == "24.1.0"
    lock = tomlkit.parse((k2 / "uv.lock").read_text()).unwrap()
    versions = {p["name"]: p["version"] for p in lock["package"] if "version" in p}
    assert versions["httpx"] == "0.27.0" and versions["python-dotenv"] == "1.0.1"
    assert versions["pydantic"] != "2.4.2"  # pyproject's side kept: the pin was dropped
    pyproject = (k2 / "pyproject.toml").read_text()
    assert '"pydantic>=2.5",' in pyproject and "pydantic==2.4.2" not in pyproject
    assert "# data model and HTTP" in pyproject  # comments kept
    assert (k2 / ".python-version").read_text() == f"{pinned}\n"
    makefile = (k2 / "Makefile").read_text()
    assert "UVMK_SKIP_TARGETS := help clean\n" in makefile
    assert "API_APP := k2.api.main:app\n" in makefile and "FORMATTER := black\n" in makefile
    assert "docker-up: ## Start the local infrastructure (Kafka, Postgres)\n" in makefile
    readme = (k2 / "README.md").read_text()
    assert "uv sync --all-extras --all-groups" in readme and "pip install -e" not in readme
    assert "## Architecture" in readme

    verify = run(capsys, "verify", "--root", str(k2), "--uv-mk", str(UV_MK))
    assert verify.code == 0, verify.out
    assert "k2 --help" in verify.out and "k2-api --help" in verify.out

    after = checksums(k2)
    again = run(capsys, "migrate", "--root", str(k2), "--apply", "--uv-mk", str(UV_MK))
    assert again.code == 0 and "nothing to do" in again.out
    assert checksums(k2) == after
    audit = run(capsys, "audit", "--root", str(k2))
    assert audit.code == 0, audit.out
