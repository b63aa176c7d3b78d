"""Which seed pins uv's "No solution found" explanation blames, read from real uv 0.13.9 output
(tests/fixtures/uv-no-solution/, each file's first line says how it was produced), and the
seeded pyproject without them."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomlkit

from uvmk.plan.seeded_text import with_seeds, without_seeds
from uvmk.unsatisfiable import blamed, named

NO_SOLUTION = Path(__file__).resolve().parents[1] / "fixtures" / "uv-no-solution"

# the pins the one-platform fixture seeds (pip-compile on Linux, and the docs file's pin)
ONE_PLATFORM = {
    "mkdocs-rss-plugin": "1.17.9",
    "numpy": "2.1.3",
    "pandas": "2.2.3",
    "python-dateutil": "2.9.0.post0",
    "pytz": "2024.2",
    "six": "1.16.0",
    "tzdata": "2026.2",
}


def uv_said(name: str) -> str:
    """The captured stderr, without the fixture's own first line (how it was produced)."""
    text = (NO_SOLUTION / name).read_text(encoding="utf-8")
    assert text.startswith("# uv 0.13.9")
    return text.split("\n", 1)[1]


@pytest.mark.parametrize(
    "fixture",
    [
        "one-platform-every-python.txt",
        "one-platform-tested-python.txt",
        "warehouse-every-python.txt",
        "warehouse-tested-python.txt",
    ],
)
def test_a_pin_a_dependency_needs_lower_on_one_platform_is_the_one_blamed(fixture: str) -> None:
    said = uv_said(fixture)
    assert named(said) == {"mkdocs-rss-plugin", "tzdata"}  # the fork's markers name nothing
    # mkdocs-rss-plugin is pinned too, but it is the package whose dependency the pin breaks
    assert blamed(said, ONE_PLATFORM) == {
        "tzdata": (
            "mkdocs-rss-plugin==1.17.9 depends on tzdata>=2024,<2026 on sys_platform == 'win32'"
        )
    }


def test_names_are_matched_canonically() -> None:
    said = uv_said("pin-below-a-pinned-dependency.txt")
    seeds = {"requests": "2.31.0", "Charset_Normalizer": "1.0.0", "idna": "3.7"}
    assert blamed(said, seeds) == {
        "Charset_Normalizer": "requests==2.31.0 depends on charset-normalizer>=2,<4"
    }


def test_a_pin_that_needs_a_newer_python_gives_uvs_whole_reason() -> None:
    said = uv_said("pin-needs-newer-python.txt")
    seeds = {"numpy": "2.1.0", "pandas": "2.2.3", "tzdata": "2024.2"}
    got = blamed(said, seeds)
    assert list(got) == ["numpy"]
    assert got["numpy"].startswith("the requested Python version (>=3.9) does not satisfy")


def test_the_projects_own_conflict_blames_no_seed() -> None:
    said = uv_said("project-own-conflict.txt")
    assert named(said) == {"requests", "charset-normalizer"}
    assert blamed(said, {"idna": "3.7", "urllib3": "2.2.2"}) == {}


def test_once_the_dependency_pin_is_gone_the_pinned_package_itself_is_blamed() -> None:
    # the next round: the pin the dependency needed moved is dropped, uv still fails
    said = uv_said("pin-below-a-pinned-dependency.txt")
    assert list(blamed(said, {"requests": "2.31.0", "idna": "3.7"})) == ["requests"]


def test_the_seeded_pyproject_loses_only_the_blamed_pins() -> None:
    final = '[project]\nname = "p"\n\n[tool.uv]\nconstraint-dependencies = ["tzdata>=2024"]\n'
    seeds = {"tzdata": "2026.2", "pandas": "2.2.3", "six": "1.16.0"}
    seeded = with_seeds(final, seeds, "python_version == '3.11'")
    left = tomlkit.parse(without_seeds(seeded, seeds, {"tzdata", "six"})).unwrap()
    # the project's own constraint stays (the seeding never wrote one over it), the other pin too
    assert left["tool"]["uv"]["constraint-dependencies"] == [
        "tzdata>=2024",
        "pandas==2.2.3; python_version == '3.11'",
    ]
