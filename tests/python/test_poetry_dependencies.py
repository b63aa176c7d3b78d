"""A Poetry dependency table → PEP 508 + [tool.uv.sources], checked against poetry-core's own
`Factory.create_dependency(...).to_pep_508()`: the same name, extras, versions and markers."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from packaging.requirements import Requirement
from poetry.core.factory import Factory

from uvmk.sources.poetry.dependencies import convert_table

_VERSIONS = [f"{a}.{b}.{c}" for a, b, c in itertools.product(range(0, 4), range(0, 4), range(0, 3))]
_ENVIRONMENTS = [
    {
        "python_version": f"3.{minor}",
        "python_full_version": f"3.{minor}.{patch}",
        "sys_platform": platform,
        "implementation_name": implementation,
        "platform_machine": "x86_64",
    }
    for minor, patch, platform, implementation in itertools.product(
        range(6, 15), (0, 3), ("linux", "darwin", "win32"), ("cpython", "pypy")
    )
]

TABLES: list[Any] = [
    "^1.2",
    "*",
    {"version": "^1.0", "python": "^3.9"},
    {"version": "~1.1", "platform": "linux"},
    {"version": "~1.1", "platform": "linux || darwin"},
    {"version": ">=1.0,<3", "markers": 'implementation_name == "cpython"'},
    {
        "version": "^1.0",
        "python": "<3.9 || >=3.11",
        "markers": 'sys_platform == "linux" or sys_platform == "darwin"',
    },
    {"version": "^2", "extras": ["a", "b"]},
    {"version": "^2", "extras": ["a"], "optional": True},
    {"version": "1.2.*", "python": ">=3.8,<3.12", "platform": "win32"},
    {"version": "^0.0.3", "python": ">3.9"},
]


def _same(ours: str, theirs: str) -> None:
    a, b = Requirement(ours), Requirement(theirs)
    assert (a.name, a.extras, a.url) == (b.name, b.extras, b.url)
    assert [v for v in _VERSIONS if a.specifier.contains(v) != b.specifier.contains(v)] == []

    def holds(r: Requirement, env: dict[str, str]) -> bool:
        return r.marker is None or r.marker.evaluate(env)

    assert [e for e in _ENVIRONMENTS if holds(a, e) != holds(b, e)] == []


@pytest.mark.parametrize("spec", TABLES)
def test_a_registry_dependency_is_what_poetry_makes_of_it(spec: Any) -> None:
    converted = convert_table({"foo": spec}, "tool.poetry.dependencies")
    [ours] = converted.requirements
    assert ours.source is None
    assert ours.optional == (isinstance(spec, dict) and spec.get("optional", False))
    _same(ours.pep508, Factory.create_dependency("foo", spec).to_pep_508())


def test_several_constraints_become_one_requirement_each_with_poetrys_markers() -> None:
    spec = [
        {"version": "^1.0", "python": "<3.10"},
        {"version": "^2.0", "python": ">=3.10"},
    ]
    converted = convert_table({"foo": spec}, "tool.poetry.dependencies")
    assert len(converted.requirements) == 2
    for ours, entry in zip(converted.requirements, spec, strict=True):
        _same(ours.pep508, Factory.create_dependency("foo", entry).to_pep_508())
    assert [n.kind for n in converted.notes] == ["mapped"]


@pytest.mark.parametrize(
    ("spec", "source"),
    [
        (
            {"git": "https://github.com/o/foo.git", "branch": "main"},
            {"git": "https://github.com/o/foo.git", "branch": "main"},
        ),
        (
            {"git": "https://github.com/o/foo.git", "tag": "v1.2"},
            {"git": "https://github.com/o/foo.git", "tag": "v1.2"},
        ),
        (
            {"git": "git@github.com:o/foo.git", "rev": "abc123", "subdirectory": "pkg"},
            {"git": "ssh://git@github.com/o/foo.git", "rev": "abc123", "subdirectory": "pkg"},
        ),
        ({"path": "../foo", "develop": True}, {"path": "../foo", "editable": True}),
        ({"path": "../foo"}, {"path": "../foo"}),
        ({"path": "dist/foo-1.0-py3-none-any.whl"}, {"path": "dist/foo-1.0-py3-none-any.whl"}),
        ({"url": "https://x.org/foo-1.0.tar.gz"}, {"url": "https://x.org/foo-1.0.tar.gz"}),
        ({"version": "^1.0", "source": "private"}, {"index": "private"}),
    ],
)
def test_a_dependency_from_elsewhere_gets_its_uv_source(
    spec: dict[str, Any], source: dict[str, Any]
) -> None:
    converted = convert_table({"foo": spec}, "tool.poetry.dependencies")
    [ours] = converted.requirements
    assert ours.source == source
    assert converted.sources() == {"foo": source}
    expected = "foo>=1.0,<2.0" if "source" in spec else "foo"
    assert ours.pep508 == expected


def test_alternatives_from_elsewhere_carry_their_markers_into_the_sources() -> None:
    spec = [
        {"path": "../foo", "develop": True, "platform": "linux"},
        {"version": "^1.0", "platform": "darwin", "source": "mirror"},
    ]
    sources = convert_table({"foo": spec}, "t").sources()
    assert sources == {
        "foo": [
            {"path": "../foo", "editable": True, "marker": 'sys_platform == "linux"'},
            {"index": "mirror", "marker": 'sys_platform == "darwin"'},
        ]
    }


def test_python_entry_is_the_projects_python_not_a_dependency() -> None:
    assert convert_table({"python": "^3.10"}, "t").requirements == []


def test_a_constraint_pep_440_cannot_say_is_refused_naming_the_dependency() -> None:
    converted = convert_table({"foo": "1.2 || 1.4", "bar": "^1"}, "tool.poetry.dependencies")
    assert [r.name for r in converted.requirements] == ["bar"]
    [note] = converted.notes
    assert (note.kind, note.key) == ("refused", "foo")


def test_allow_prereleases_and_unknown_keys_are_reported() -> None:
    converted = convert_table(
        {"foo": {"version": "^1", "allow-prereleases": True, "weird": 1}}, "t"
    )
    assert sorted(n.kind for n in converted.notes) == ["reported", "reported"]


def test_a_local_version_range_from_a_torch_index_is_a_valid_requirement_and_said() -> None:
    # KCaverly/axolotl_memory: torch = {version = "^2.1.2+cpu", source = "pytorch-cpu-src"}
    converted = convert_table(
        {"torch": {"version": "^2.1.2+cpu", "source": "pytorch-cpu-src"}, "six": "^1.16"}, "t"
    )
    torch = converted.requirements[0]
    assert Requirement(torch.pep508).specifier == Requirement("x>=2.1.2,<3.0.0").specifier
    assert torch.source == {"index": "pytorch-cpu-src"}
    [note] = converted.notes
    assert (note.kind, note.key) == ("reported", "torch")
    assert "2.1.2+cpu" in note.text and ">=2.1.2,<3.0.0" in note.text
