"""Poetry constraints → PEP 440 / PEP 508, checked against Poetry's own reading (poetry-core):
every translation must allow exactly the versions Poetry's `parse_constraint` allows, and every
python marker must hold for exactly the Pythons Poetry's `to_pep_508()` marker holds for."""

from __future__ import annotations

import itertools
import re

import pytest
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from poetry.core.constraints.version import Version as PoetryVersion
from poetry.core.constraints.version import parse_constraint
from poetry.core.packages.dependency import Dependency

from uvmk.poetry_constraints import ConstraintError, python_marker, specifier

# The lead's and the exact strings: the specifier itself, not only its meaning.
EXACT = [
    ("^1.2.3", ">=1.2.3,<2.0.0"),
    ("^1.2", ">=1.2,<2.0"),
    ("^1", ">=1,<2"),
    ("^0.2.3", ">=0.2.3,<0.3.0"),
    ("^0.0.3", ">=0.0.3,<0.0.4"),
    ("^0.0", ">=0.0,<0.1"),
    ("^0", ">=0,<1"),
    ("~1", ">=1,<2"),
    ("~1.2", ">=1.2,<1.3"),
    ("~1.2.3", ">=1.2.3,<1.3.0"),
    ("1.2.*", "==1.2.*"),
    ("==1.2.*", "==1.2.*"),
    ("!=1.2.*", "!=1.2.*"),
    ("*", ""),
    ("1.2.3", "==1.2.3"),
    ("==1.2.3", "==1.2.3"),
    ("=1.2.3", "==1.2.3"),
    ("!=1.2.3", "!=1.2.3"),
    (">=1.2,<1.5", ">=1.2,<1.5"),
    (">= 1.2, < 1.5", ">=1.2,<1.5"),
    (">=1.2 <1.5", ">=1.2,<1.5"),
    ("^1.0 || ^2.0", ">=1.0,<3.0"),
    ("^1.0 || ^3.0", ">=1.0,<4.0,!=2.*"),
    ("<1.0 || >=2.0", "!=1.*"),
    ("<1.2 || >1.2", "!=1.2"),
    ("~=1.4.5", ">=1.4.5,<1.5.0"),
]

# Everything Poetry's grammar allows that real pyprojects use, plus the corners.
CONSTRAINTS = [c for c, _ in EXACT] + [
    "^2.28.1",
    "^0.9",
    "^0.0.0",
    "^1.2.3rc1",
    "^1.2.3.post1",
    "^2!1.2",
    "~0",
    "~0.1",
    "~2.2.1",
    "~=1.4",
    "~=2",
    ">1.2",
    ">=1.2",
    "<1.2",
    "<=1.2",
    ">1.2,<=2",
    ">=1.0.0,<2.0.0,!=1.3.0",
    ">=1.0,!=1.5.*",
    ">=1.2.3,<1.3,!=1.2.5",
    "1.*",
    "1.2.3.*",
    "x",
    "1.2",
    "v1.2.3",
    "^1.0,<1.5",
    "~1.2,!=1.2.4",
    ">=0.9,<1.0 || ^1.1",
    "^0.3 || ^0.4 || ^0.5",
    "<2 || >=3,<4",
    "~1.1 || ~1.2",
    ">=1.0,<2.0,",
    "^1.0 | ^2.0",
    "~1.1 || ~1.3",
]

# Poetry reads these but PEP 440 cannot say them (a hole no `!=` expresses): refused.
UNSAYABLE = ["1.2 || 1.4", "~1.1 || ~1.4", "<1.5 || >=2.0", "!=1.2 || >=3"]

_GRID = (
    [f"{a}" for a in range(0, 5)]
    + [f"{a}.{b}" for a, b in itertools.product(range(0, 5), range(0, 7))]
    + [f"{a}.{b}.{c}" for a, b, c in itertools.product(range(0, 5), range(0, 7), range(0, 7))]
    + ["1.2.3.1", "1.2.3.post1", "1.10", "1.10.2", "2!1.2", "2!1.3", "2!2.0"]
)
_PRERELEASES = ["1.2.3rc1", "1.2.4a1", "1.3.0b2", "2.0.0rc1", "0.2.4.dev0", "1.0rc1", "3.0a1"]


def _poetry_allows(constraint: str, version: str) -> bool:
    return bool(parse_constraint(constraint).allows(PoetryVersion.parse(version)))


@pytest.mark.parametrize(("constraint", "expected"), EXACT)
def test_exact_translation(constraint: str, expected: str) -> None:
    assert specifier(constraint) == expected


@pytest.mark.parametrize("constraint", CONSTRAINTS)
def test_allows_exactly_the_releases_poetry_allows(constraint: str) -> None:
    ours = SpecifierSet(specifier(constraint))
    differ = [
        v for v in _GRID if ours.contains(v, prereleases=True) != _poetry_allows(constraint, v)
    ]
    assert differ == [], f"{constraint!r} → {specifier(constraint)!r}"


@pytest.mark.parametrize("constraint", [c for c in CONSTRAINTS if "|" not in c])
def test_allows_exactly_the_prereleases_poetry_allows(constraint: str) -> None:
    ours = SpecifierSet(specifier(constraint))
    differ = [
        v
        for v in _PRERELEASES
        if ours.contains(v, prereleases=True) != _poetry_allows(constraint, v)
    ]
    assert differ == [], f"{constraint!r} → {specifier(constraint)!r}"


def test_touching_alternatives_merge_into_one_range_that_also_takes_the_joints_prereleases() -> (
    None
):
    # Poetry's `<2.0` stops before 2.0.dev0, so `^1.0 || ^2.0` leaves out 2.0's prereleases;
    # PEP 440 has no way to say that, and uv only takes a prerelease when asked anyway.
    assert SpecifierSet(specifier("^1.0 || ^2.0")).contains("2.0.0rc1", prereleases=True)
    assert not _poetry_allows("^1.0 || ^2.0", "2.0.0rc1")


@pytest.mark.parametrize("constraint", UNSAYABLE)
def test_a_union_pep_440_cannot_say_is_refused_not_widened(constraint: str) -> None:
    with pytest.raises(ConstraintError, match=r"cannot|no PEP 440"):
        specifier(constraint)


def test_diamond_operator_which_poetry_reads_as_equals_is_refused() -> None:
    assert _poetry_allows("<>1.2", "1.2") and not _poetry_allows("<>1.2", "1.3")
    with pytest.raises(ConstraintError, match="likely not meant"):
        specifier("<>1.2")


@pytest.mark.parametrize("constraint", ["^", "~foo", ">=1.2,<abc", "1.2.3-", "=>1.2", ">>1"])
def test_what_poetry_cannot_parse_either_is_refused(constraint: str) -> None:
    with pytest.raises(Exception):  # noqa: B017 (Poetry's own exception types vary)
        parse_constraint(constraint)
    with pytest.raises(ConstraintError):
        specifier(constraint)


PYTHONS = [
    "^3.9",
    "^3.10",
    ">=3.8,<4.0",
    ">=3.8.1,<4.0",
    "~3.11",
    "~3.11.2",
    "3.10.*",
    "!=3.9.*",
    ">=3.6,<3.8 || >=3.9",
    "~2.7 || >=3.6",
    "~2.7 || ^3.5",
    ">=3.7,!=3.8.0",
    "<3.12",
    ">3.9",
    "<=3.9",
    "!=3.9",
    "==3.9",
    ">3",
    "<=3.11.2",
    "3.11",
    "*",
]

_PYTHON_ENVIRONMENTS = [
    {"python_version": f"{major}.{minor}", "python_full_version": f"{major}.{minor}.{patch}"}
    for major, minor, patch in [(2, 7, p) for p in range(0, 19)]
    + list(itertools.product([3], range(0, 15), range(0, 13)))
    + [(4, 0, 0), (4, 1, 0)]
]


def _poetry_marker(constraint: str) -> str:
    d = Dependency("foo", "*")
    d.python_versions = constraint
    pep508 = d.to_pep_508()
    return pep508.split(";", 1)[1] if ";" in pep508 else ""


def _holds(marker: str, env: dict[str, str]) -> bool:
    return not marker or Marker(marker).evaluate(env)


@pytest.mark.parametrize("constraint", PYTHONS)
def test_python_marker_holds_for_exactly_the_pythons_poetrys_holds_for(constraint: str) -> None:
    ours, theirs = python_marker(constraint), _poetry_marker(constraint)
    differ = [
        env["python_full_version"]
        for env in _PYTHON_ENVIRONMENTS
        if _holds(ours, env) != _holds(theirs, env)
    ]
    assert differ == [], f"{constraint!r}: ours {ours!r}, Poetry's {theirs!r}"


@pytest.mark.parametrize(
    ("constraint", "expected"),
    [
        ("^3.10", ">=3.10,<4.0"),
        (">=3.8,<3.13", ">=3.8,<3.13"),
        (">=3.6,<3.8 || >=3.9", ">=3.6,!=3.8.*"),
        ("~3.11", ">=3.11,<3.12"),
        ("*", ""),
    ],
)
def test_requires_python_is_the_same_range(constraint: str, expected: str) -> None:
    assert specifier(constraint) == expected
    assert [
        env["python_full_version"]
        for env in _PYTHON_ENVIRONMENTS
        if SpecifierSet(expected).contains(env["python_full_version"])
        != _poetry_allows(constraint, env["python_full_version"])
    ] == []


# A local version label (`+cpu`, PyTorch's builds on its own index) in a range: PEP 440 bounds
# ranges by public versions only (`>=2.1.2+cpu` is no specifier), so the bound drops its label;
# every local build Poetry allows is still allowed (its index decides which build installs), and
# the only others allowed are builds of the bound's own release (1.0+cpu beside >=1.0+cu118).
LOCAL = ["^2.1.2+cpu", ">=2.1.2+cpu", "~0.15.2+cpu", ">=1.0+cu118,<2.0", "<3.0+cpu"]
_BUILDS = [
    f"{v}+{label}"
    for v in ("1.0", "1.5", "2.1.2", "2.1.3", "2.9", "3.0.0", "0.15.2", "0.15.9", "0.16.0")
    for label in ("cpu", "cu118")
]


@pytest.mark.parametrize("constraint", LOCAL)
def test_a_local_version_bounds_a_range_by_its_public_version_taking_poetrys_builds(
    constraint: str,
) -> None:
    ours = SpecifierSet(specifier(constraint))  # a valid PEP 440 specifier set
    lost = [v for v in _BUILDS if _poetry_allows(constraint, v) and not ours.contains(v)]
    assert lost == [], f"{constraint!r} → {specifier(constraint)!r}"
    bounds = set(re.findall(r"(\d[\d.]*)\+", constraint))
    more = [v for v in _BUILDS if ours.contains(v) and not _poetry_allows(constraint, v)]
    assert all(v.split("+")[0] in bounds for v in more), more


@pytest.mark.parametrize(
    ("constraint", "expected"), [("2.1.2+cpu", "==2.1.2+cpu"), ("!=2.1+cpu", "!=2.1+cpu")]
)
def test_an_exact_local_version_keeps_its_label(constraint: str, expected: str) -> None:
    assert specifier(constraint) == expected
