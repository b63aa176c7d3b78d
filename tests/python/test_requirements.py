"""uvmk.sources.pip.planner: behaviour a fixture row does not show on its own (roles, seed
pins, drift, what pyproject already says, apply's layout rules). The per-row fixtures are in
test_requirements_fixtures.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tomlkit

from uvmk.sources.pip import planner as req
from uvmk.sources.pip.grammar import parse_requirements_file, split_config_settings
from uvmk.survey.tree import walk

PYPROJECT = """[project]
name = "demo"
version = "0.1.0"
dependencies = [
    "requests>=2.28",  # HTTP client
]
"""


def repo(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return tmp_path


def plan(
    root: Path,
    pyproject: str | None = PYPROJECT,
    *,
    override_pins: bool = False,
    keep_pyproject_pins: bool = False,
) -> req.DependencyPlan:
    return req.plan_dependencies(
        root, pyproject, override_pins=override_pins, keep_pyproject_pins=keep_pyproject_pins
    )


def applied(pyproject: str, dep: req.DependencyPlan) -> str:
    doc = tomlkit.parse(pyproject)
    req.apply_dependency_plan(doc, dep)
    return tomlkit.dumps(doc)


def codes(dep: req.DependencyPlan) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for note in dep.notes:
        found.setdefault(note.code, []).append(str(note.where))
    return found


def refusal(root: Path, pyproject: str | None = PYPROJECT) -> str:
    """The first thing the plan refuses (it reads on and lists every one), or the
    RequirementsError of a pyproject.toml it cannot read at all."""
    try:
        refused = plan(root, pyproject).refusal_lines()
    except req.RequirementsError as exc:
        refused = [str(exc)]
    assert refused, "nothing refused"
    message = refused[0]
    assert "\n" not in message
    return message


# --- reading files like pip ----------


def test_every_include_spelling_is_followed(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "requirements.txt": "-ra.txt\n--requirement=b.txt\n--requirement c.txt\n"
            "-cd.txt\n--constraint=e.txt\n",
            **{f"{n}.txt": f"pkg-{n}>=1\n" for n in "abcde"},
        },
    )
    parsed = parse_requirements_file(root, root / "requirements.txt")
    assert [(i.kind, i.target) for i in parsed.includes] == [
        ("requirement", "a.txt"),
        ("requirement", "b.txt"),
        ("requirement", "c.txt"),
        ("constraint", "d.txt"),
        ("constraint", "e.txt"),
    ]
    dep = plan(root)
    assert {a.requirement for a in dep.additions if a.table == "project.dependencies"} == {
        "pkg-a>=1",
        "pkg-b>=1",
        "pkg-c>=1",
    }
    assert {a.requirement for a in dep.additions if a.table.startswith("tool.uv")} == {
        "pkg-d>=1",
        "pkg-e>=1",
    }


def test_continuations_keep_the_first_line_number(tmp_path: Path) -> None:
    root = repo(tmp_path, {"requirements.txt": b"\xef\xbb\xbfa\r\nhttpx\\\r\n>=0.27\r\nb\r\n"})
    parsed = parse_requirements_file(root, root / "requirements.txt")
    assert [(r.name, r.specifier, r.where.line) for r in parsed.requirements] == [
        ("a", "", 1),
        ("httpx", ">=0.27", 2),
        ("b", "", 4),
    ]


def test_specifier_keeps_the_written_order(tmp_path: Path) -> None:
    root = repo(tmp_path, {"requirements.txt": "urllib3 >= 1.26, < 2\nx (<3,>1)\n"})
    parsed = parse_requirements_file(root, root / "requirements.txt")
    assert [r.specifier for r in parsed.requirements] == [">=1.26,<2", "<3,>1"]


def test_config_settings_are_taken_out_of_the_line() -> None:
    assert split_config_settings("pkg>=1 --config-settings=a=b -C c=d --hash=sha256:x") == (
        "pkg>=1 --hash=sha256:x",
        (("a", "b"), ("c", "d")),
    )
    assert split_config_settings("--config-settings key=value") == ("", (("key", "value"),))
    assert split_config_settings("plain>=1") == ("plain>=1", ())


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ("requests==2.0#nospace", "invalid requirements line"),
        ("pkg==${VERSION}", "${VERSION}"),
        ("-r a.txt -r b.txt", "several files"),
        ("--no-such-option", "no such option"),
        ("pkg===1.0.0-custom", "PEP 440"),
    ],
)
def test_lines_pip_rejects_are_refused_with_file_and_line(
    tmp_path: Path, line: str, why: str
) -> None:
    root = repo(tmp_path, {"requirements.txt": f"click>=8\n\n{line}\n"})
    message = refusal(root)
    assert why in message and "requirements.txt:3" in message


def test_a_file_that_is_not_utf8_is_read_and_reported(tmp_path: Path) -> None:
    root = repo(tmp_path, {"requirements.txt": "# caf\xe9 au lait\nclick>=8\n".encode("latin-1")})
    dep = plan(root)
    assert codes(dep)["not-utf8"] == ["requirements.txt:1"]
    assert [a.requirement for a in dep.additions] == ["click>=8"]


def test_legacy_and_misplaced_options_are_reported(tmp_path: Path) -> None:
    root = repo(tmp_path, {"requirements.txt": "--allow-external foo\nclick>=8 --pre\n"})
    dep = plan(root)
    assert codes(dep)["ignored-option"] == ["requirements.txt:1", "requirements.txt:2"]


# --- which file is what ----------


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("requirements.txt", ("runtime", None)),
        ("requirements/base.txt", ("runtime", None)),
        ("requirements/prod.txt", ("runtime", None)),
        ("requirements/common.txt", ("runtime", None)),
        ("requirements-dev.txt", ("group", "dev")),
        ("requirements_development.txt", ("group", "dev")),
        ("dev-requirements.txt", ("group", "dev")),
        ("test-requirements.txt", ("group", "test")),
        ("requirements/tests.txt", ("group", "test")),
        ("requirements/Docs.txt", ("group", "docs")),
        ("requirements-lint.txt", ("group", "lint")),
        ("constraints.txt", ("constraints", None)),
        ("constraints-py310.txt", ("constraints", None)),
        ("requirements.in", ("runtime", None)),
        ("requirements/dev.in", ("group", "dev")),
        ("requirements-py3.10.txt", ("group", "py3-10")),
    ],
)
def test_file_role_from_its_name(path: str, role: tuple[str, str | None]) -> None:
    assert req.file_role(path) == role


def test_discovery_skips_venvs_and_other_folders_and_takes_the_docs_requirements(
    tmp_path: Path,
) -> None:
    root = repo(
        tmp_path,
        {
            "requirements.txt": "",
            "requirements-dev.txt": "",
            "dev-requirements.txt": "",
            "constraints.txt": "",
            "notes.txt": "",
            "requirements/test.txt": "",
            "requirements/venv/pyvenv.cfg": "",
            "requirements/venv/requirements.txt": "",
            "docs/requirements.txt": "",
            "venv/requirements.txt": "",
        },
    )
    found = [p.relative_to(root).as_posix() for p in req.discover_requirement_files(walk(root))]
    assert found == [
        "constraints.txt",
        "dev-requirements.txt",
        "requirements-dev.txt",
        "requirements.txt",
        "requirements/test.txt",
        "docs/requirements.txt",  # the docs group (Read the Docs installs it)
    ]


def test_explicit_files_may_be_given_relative_to_the_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = repo(tmp_path / "repo", {"requirements.txt": "click>=8\n", "requirements-dev.txt": ""})
    monkeypatch.chdir(tmp_path)
    dep = req.plan_dependencies(root, PYPROJECT, [Path("requirements.txt")])
    assert [f.path for f in dep.files] == ["requirements.txt"]
    assert [a.requirement for a in dep.additions] == ["click>=8"]


def test_a_file_reached_only_through_r_belongs_to_its_includer(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "requirements-dev.txt": "-r ci/test-tools.txt\nruff>=0.5\n",
            "ci/test-tools.txt": "pytest>=8\n",
        },
    )
    dep = plan(root)
    roles = {f.path: (f.role, f.group) for f in dep.files}
    assert roles == {
        "requirements-dev.txt": ("group", "dev"),
        "ci/test-tools.txt": ("include-only", None),
    }
    assert {(a.table, a.requirement) for a in dep.additions} == {
        ("dependency-groups.dev", "ruff>=0.5"),
        ("dependency-groups.dev", "pytest>=8"),
    }


def test_a_group_file_including_another_includes_that_group(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "requirements/base.txt": "click>=8\n",
            "requirements/test.txt": "-r base.txt\npytest>=8\n",
            "requirements/dev.txt": "-r test.txt\nipython>=8\n",
        },
    )
    dep = plan(root)
    assert {f.path: f.group for f in dep.files if f.role == "group"} == {
        "requirements/dev.txt": "dev",
        "requirements/test.txt": "test",
    }
    assert dep.group_includes == {"dev": ["test"]}
    result = applied(PYPROJECT, dep)
    data = tomlkit.parse(result).unwrap()
    assert data["dependency-groups"] == {
        "dev": [{"include-group": "test"}, "ipython>=8"],
        "test": ["pytest>=8"],
    }
    assert not plan(root, result).changes_pyproject


def test_group_files_including_each_other_do_not_make_a_cycle(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "requirements-dev.txt": "-r requirements-test.txt\nipython>=8\n",
            "requirements-test.txt": "-r requirements-dev.txt\npytest>=8\n",
        },
    )
    dep = plan(root)
    assert dep.group_includes == {"dev": ["test"]}
    assert codes(dep)["include-cycle"] == ["requirements-test.txt:1"]


# --- pyproject is the source of truth ----------


def test_group_lines_already_runtime_are_not_repeated(tmp_path: Path) -> None:
    root = repo(tmp_path, {"requirements-dev.txt": "requests==2.31.0\nclick>=8\npytest>=8\n"})
    text = PYPROJECT + '\n[dependency-groups]\ndev = ["pytest>=7"]\n'
    dep = plan(root, text)
    assert [(a.table, a.requirement) for a in dep.additions] == [
        ("dependency-groups.dev", "click>=8")
    ]
    assert dep.seed_pins == {"requests": "2.31.0"}
    kinds = {d.name: d.kind for d in dep.drift}
    assert kinds == {"requests": "consistent", "click": "only-requirements", "pytest": "consistent"}


def test_a_group_file_repeating_an_extra_includes_that_extra(tmp_path: Path) -> None:
    text = PYPROJECT + '\n[project.optional-dependencies]\nDev = ["pytest>=8", "ruff"]\n'
    root = repo(tmp_path, {"requirements-dev.txt": "pytest==8.1.1\nruff==0.5.0\n"})
    dep = plan(root, text)
    assert [(a.table, a.requirement) for a in dep.additions] == [
        ("dependency-groups.dev", "demo[Dev]")
    ]
    result = applied(text, dep)
    assert '[dependency-groups]\ndev = [\n    "demo[Dev]",\n]' in result
    assert not plan(root, result).changes_pyproject


def test_editable_project_with_extras_in_a_group_file_pulls_the_extras_in(
    tmp_path: Path,
) -> None:
    text = PYPROJECT + '\n[project.optional-dependencies]\napi = ["fastapi"]\ndocs = ["sphinx"]\n'
    root = repo(tmp_path, {"requirements-dev.txt": "-e .[api]\n-e .[docs,api]\npytest>=8\n"})
    dep = plan(root, text)
    assert [(a.table, a.requirement) for a in dep.additions] == [
        ("dependency-groups.dev", "pytest>=8"),
        ("dependency-groups.dev", "demo[api,docs]"),
    ]
    result = applied(text, dep)
    assert not plan(root, result).changes_pyproject
    assert '"demo[api,docs]"' in result
    # A group that already refers to the project is the user's to extend.
    other = result.replace('"demo[api,docs]"', '"demo[api]"')
    again = plan(root, other)
    assert not again.additions and "self-reference-kept" in codes(again)


def test_only_pyproject_rows_need_a_runtime_file(tmp_path: Path) -> None:
    root = repo(tmp_path, {"requirements-dev.txt": "pytest>=8\n"})
    assert not [d for d in plan(root).drift if d.kind == "only-pyproject"]
    (root / "requirements.txt").write_text("click>=8\n")
    rows = [d for d in plan(root).drift if d.kind == "only-pyproject"]
    assert [(d.name, d.pyproject, d.pyproject_where) for d in rows] == [
        ("requests", "requests>=2.28", "project.dependencies")
    ]


def test_runtime_and_group_pins_that_cannot_both_hold_are_refused(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {"requirements.txt": "click==8.1.7\n", "requirements-dev.txt": "\n\nclick<8\n"},
    )
    message = refusal(root)
    assert "requirements.txt:1" in message and "requirements-dev.txt:3" in message


def test_seed_pins_keep_only_pins_inside_pyproject_range(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "requirements.txt": "requests==2.0.0\nclick==8.1.7\nrich>=13\n",
            "requirements-dev.txt": "pytest==8.1.1\n",
        },
    )
    dep = plan(root)
    assert dep.seed_pins == {"click": "8.1.7", "pytest": "8.1.1"}
    assert [(d.name, d.kind) for d in dep.drift if d.kind == "pin-outside-range"] == [
        ("requests", "pin-outside-range")
    ]
    assert "requests>=2.28" in applied(PYPROJECT, dep)


def test_override_pins_rewrites_and_seeds(tmp_path: Path) -> None:
    root = repo(tmp_path, {"requirements.txt": "requests==2.0.0\n"})
    dep = plan(root, override_pins=True)
    assert dep.seed_pins == {"requests": "2.0.0"}
    result = applied(PYPROJECT, dep)
    assert '"requests==2.0.0",  # HTTP client' in result
    assert not plan(root, result, override_pins=True).changes_pyproject


def test_conflicting_pins_under_different_markers_seed_nothing(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "requirements.txt": 'numpy==1.26.4; python_version < "3.12"\n'
            'numpy==2.0.0; python_version >= "3.12"\n'
        },
    )
    dep = plan(root)
    assert "numpy" not in dep.seed_pins
    assert "seed-conflict" in codes(dep)
    assert len(dep.additions) == 2


def test_a_transitive_pin_against_a_direct_range_is_not_seeded(tmp_path: Path) -> None:
    compiled = "click==8.1.7\n    # via -r requirements.in\nurllib3==2.2.1\n    # via click\n"
    root = repo(
        tmp_path,
        {
            "requirements.txt": "-c constraints.txt\n",
            "constraints.txt": "urllib3<2\n",
            "requirements-dev.txt": compiled,
        },
    )
    dep = plan(root)
    assert "urllib3" not in dep.seed_pins and dep.seed_pins["click"] == "8.1.7"
    assert codes(dep)["seed-skipped"] == ["requirements-dev.txt:3"]


def test_self_referencing_extras_are_expanded(tmp_path: Path) -> None:
    text = """[project]
name = "k2-platform"
version = "0"
dependencies = []

[project.optional-dependencies]
dev = ["pytest>=8", "k2-platform[all]"]
all = ["k2-platform[dev]", "rich>=13"]

[dependency-groups]
dev = ["k2-platform[all]"]
"""
    root = repo(tmp_path, {"requirements-dev.txt": "pytest==8.1.1\nrich==13.7.1\nmypy>=1\n"})
    dep = plan(root, text)
    assert [a.requirement for a in dep.additions] == ["mypy>=1"]
    rows = {d.name: (d.kind, d.pyproject_where) for d in dep.drift}
    assert rows["pytest"] == ("consistent", "dependency-groups.dev via k2-platform[all]")
    assert rows["rich"] == ("consistent", "dependency-groups.dev via k2-platform[all]")


def test_override_pins_rewrites_inside_the_extra_a_self_reference_points_to(
    tmp_path: Path,
) -> None:
    text = """[project]
name = "k2"
version = "0"
dependencies = []

[project.optional-dependencies]
dev = ["pytest>=8"]

[dependency-groups]
dev = ["k2[dev]"]
"""
    root = repo(tmp_path, {"requirements-dev.txt": "pytest==7.4.0\n"})
    dep = plan(root, text, override_pins=True)
    assert [(r.table, r.old, r.new) for r in dep.rewrites] == [
        ("project.optional-dependencies.dev", "pytest>=8", "pytest==7.4.0")
    ]
    assert 'dev = ["pytest==7.4.0"]' in applied(text, dep)


def test_existing_uv_settings_win(tmp_path: Path) -> None:
    text = (
        PYPROJECT
        + """
[tool.uv]
prerelease = "disallow"
find-links = ["wheels"]
extra-index-url = ["https://extra.example.com/simple"]

[tool.uv.sources]
mylib = { path = "vendor/mylib" }

[[tool.uv.index]]
name = "corp"
url = "https://pypi.corp.example.com/simple/"
"""
    )
    root = repo(
        tmp_path,
        {
            "requirements.txt": "--pre\n-f wheels\n-i https://pypi.corp.example.com/simple\n"
            "--extra-index-url https://extra.example.com/simple/\n"
            "-e ./libs/mylib\n",
            "wheels/x.whl": "",
            "libs/mylib/pyproject.toml": '[project]\nname = "mylib"\nversion = "1"\n',
        },
    )
    dep = plan(root, text)
    assert dep.tool_uv == {} and dep.indexes == [] and dep.sources == {}
    assert {"tool-uv-kept", "source-kept"} <= set(codes(dep))


def test_two_different_default_indexes_are_refused(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "requirements.txt": "-i https://a.example.com/simple\n",
            "requirements-dev.txt": "-i https://b.example.com/simple\n",
        },
    )
    message = refusal(root)
    assert "requirements.txt:1" in message and "requirements-dev.txt:1" in message


def test_missing_find_links_folder_is_reported_not_written(tmp_path: Path) -> None:
    root = repo(tmp_path, {"requirements.txt": "--find-links ./no-such-dir\n"})
    dep = plan(root)
    assert codes(dep)["find-links-missing"] == ["requirements.txt:1"]
    assert dep.tool_uv == {}


# --- compiled and frozen files ----------

FROZEN = 15  # pins in a made-up freeze dump; its mark is the pkg-resources==0.0.0 line


def test_a_freeze_without_pyproject_dependencies_keeps_every_pin_and_says_so(
    tmp_path: Path,
) -> None:
    pins = "".join(f"pkg{i}=={i}.0\n" for i in range(FROZEN))
    root = repo(tmp_path, {"requirements.txt": pins + "pkg-resources==0.0.0\n"})
    text = '[project]\nname = "demo"\nversion = "0"\n'
    dep = plan(root, text)
    assert codes(dep)["freeze-all-added"] == ["requirements.txt:1"]
    assert dep.additions[0].requirement == "pkg0>=0.0"
    assert len(dep.seed_pins) == FROZEN


def test_a_dev_freeze_keeps_its_pins_when_pyproject_has_no_dev_dependencies(
    tmp_path: Path,
) -> None:
    pins = "requests==2.31.0\n" + "".join(f"tool{i}=={i}.1\n" for i in range(FROZEN))
    dep = plan(repo(tmp_path, {"requirements-dev.txt": pins + "pkg-resources==0.0.0\n"}))
    assert codes(dep)["freeze-all-added"] == ["requirements-dev.txt:1"]
    requests = [d for d in dep.drift if d.name == "requests"]
    assert [(d.kind, d.pyproject_where) for d in requests] == [
        ("consistent", "project.dependencies")
    ]
    added = [a.requirement for a in dep.additions]
    assert added[0] == "tool0>=0.1" and len(added) == FROZEN


def test_a_frozen_constraints_file_stays_constraints_as_written(tmp_path: Path) -> None:
    pins = "".join(f"pkg{i}=={i}.0\n" for i in range(FROZEN))
    dep = plan(
        repo(tmp_path, {"requirements.txt": "-c constraints.txt\n", "constraints.txt": pins})
    )
    assert {a.table for a in dep.additions} == {"tool.uv.constraint-dependencies"}
    assert dep.additions[3].requirement == "pkg3==3.0"
    assert len(dep.additions) == FROZEN


def test_a_freeze_with_local_installs_reports_them(tmp_path: Path) -> None:
    pins = "".join(f"pkg{i}=={i}.0\n" for i in range(FROZEN))
    freeze = (
        "# Editable install with no version control (demo==0.1.0)\n"
        "-e /home/bob/src/demo\n"
        "tool @ file:///home/bob/src/tool\n" + pins
    )
    dep = plan(repo(tmp_path, {"requirements.txt": freeze}))
    assert codes(dep)["frozen-local-path"] == ["requirements.txt:2", "requirements.txt:3"]
    assert dep.files[0].kind == "freeze"


def test_a_long_hand_pinned_dev_file_keeps_its_pins_exact(tmp_path: Path) -> None:
    """Field: `-r requirements.txt` plus 15 `==` lines was read as a pip freeze dump and its
    pins became `>=` bounds: how many pins a file has is no evidence, and pip freeze never
    writes `-r`."""
    pins = "".join(f"tool{i}=={i}.1\n" for i in range(15))
    root = repo(
        tmp_path,
        {
            "requirements.txt": "click==8.1.7\n",
            "requirements-dev.txt": "-r requirements.txt\n" + pins,
        },
    )
    dep = plan(root, '[project]\nname = "demo"\nversion = "0"\n')
    assert {f.kind for f in dep.files} == {"hand-written"}
    added = [a.requirement for a in dep.additions if a.table != "project.dependencies"]
    assert added == [f"tool{i}=={i}.1" for i in range(15)]
    assert "weakened" not in codes(dep)
    # the same pins with a person's comment, or without pip freeze's mark, are hand-written too
    for text in (
        "# pinned for the CI image\n" + pins,
        pins,
        "tool==1.0  # why\npkg-resources==0.0.0\n",
    ):
        (root / "requirements-dev.txt").write_text(text)
        assert {f.kind for f in plan(root).files} == {"hand-written"}, text
    (root / "requirements-dev.txt").write_text(pins + "pkg-resources==0.0.0\n")
    assert [f.kind for f in plan(root).files if f.path == "requirements-dev.txt"] == ["freeze"]


def test_a_short_pinned_file_is_hand_written(tmp_path: Path) -> None:
    root = repo(tmp_path, {"requirements.txt": "click==8.1.7\nrich==13.7.1\n"})
    dep = plan(root)
    assert dep.files[0].kind == "hand-written"
    assert [a.requirement for a in dep.additions] == ["click==8.1.7", "rich==13.7.1"]


def test_compiled_dev_file_adds_only_its_direct_requirements(tmp_path: Path) -> None:
    compiled = (
        "# uv pip compile requirements-dev.in -o requirements-dev.txt\n"
        "iniconfig==2.0.0\n    # via pytest\n"
        "pytest==8.1.1\n    # via -r requirements-dev.in\n"
    )
    root = repo(tmp_path, {"requirements-dev.txt": compiled})
    dep = plan(root)
    assert [(a.table, a.requirement) for a in dep.additions] == [
        ("dependency-groups.dev", "pytest>=8.1.1")
    ]
    assert dep.seed_pins == {"iniconfig": "2.0.0", "pytest": "8.1.1"}


def test_old_pip_compile_inline_annotations_count(tmp_path: Path) -> None:
    compiled = "click==8.1.7  # via -r requirements.in\ncolorama==0.4.6  # via click\n"
    dep = plan(repo(tmp_path, {"requirements.txt": compiled}))
    assert [a.requirement for a in dep.additions] == ["click>=8.1.7"]
    assert dep.seed_pins == {"click": "8.1.7", "colorama": "0.4.6"}


def test_no_index_and_prerelease_map_to_uv_settings(tmp_path: Path) -> None:
    root = repo(
        tmp_path, {"requirements.txt": "--no-index\n--pre\n", "requirements-dev.txt": "--pre\n"}
    )
    dep = plan(root)
    assert dep.tool_uv == {"no-index": True, "prerelease": "allow"}
    assert codes(dep)["prerelease"] == ["requirements.txt:2"]  # runtime file first
    assert codes(dep)["repeated-option"] == ["requirements-dev.txt:1"]


# --- apply: layout, conversions, refusals ----------


def test_apply_keeps_comments_and_inline_style(tmp_path: Path) -> None:
    text = """# top comment
[project]
name = "demo"  # the name
version = "0.1.0"
dependencies = ["requests>=2.28"]  # inline array stays inline

# groups below
[dependency-groups]
dev = [
    # test tools
    "pytest>=8",
]
"""
    root = repo(tmp_path, {"requirements.txt": "click>=8\n", "requirements-dev.txt": "ruff>=0.5\n"})
    result = applied(text, plan(root, text))
    for line in text.splitlines():
        if line.strip().startswith("#") or "#" in line:
            assert line.split("#")[1] in result
    assert 'dependencies = ["requests>=2.28", "click>=8"]  # inline array stays inline' in result
    assert '    # test tools\n    "pytest>=8",\n    "ruff>=0.5",\n]' in result


def test_tables_added_inside_tool_keep_blank_lines_around(tmp_path: Path) -> None:
    text = (
        '[project]\nname = "x"\nversion = "0"\ndependencies = []\n\n'
        "[tool.uv]\npackage = true\n\n[tool.ruff]\nline-length = 100\n\n"
        '[build-system]\nrequires = ["hatchling"]\n'
    )
    root = repo(
        tmp_path,
        {
            "requirements.txt": "-i https://pypi.corp.example.com/simple\n--pre\n-e ./lib\n",
            "lib/pyproject.toml": '[project]\nname = "lib"\nversion = "1"\n',
        },
    )
    result = applied(text, plan(root, text))
    assert '[tool.uv]\npackage = true\nprerelease = "allow"\n\n[tool.uv.sources]\n' in result
    assert "default = true\n\n[tool.ruff]\nline-length = 100\n\n[build-system]" in result
    assert result.endswith('requires = ["hatchling"]\n')


def test_dev_dependencies_move_into_the_dev_group_without_repeats(tmp_path: Path) -> None:
    text = (
        PYPROJECT
        + """
[dependency-groups]
dev = ["pytest>=7"]

[tool.uv]
package = true
dev-dependencies = ["pytest>=8", "ruff>=0.5"]
"""
    )
    root = repo(tmp_path, {})
    dep = plan(root, text)
    assert dep.dev_dependencies_to_group
    result = applied(text, dep)
    data = tomlkit.parse(result).unwrap()
    assert data["dependency-groups"]["dev"] == ["pytest>=7", "ruff>=0.5"]
    assert "dev-dependencies" not in data["tool"]["uv"]
    assert not plan(root, result).changes_pyproject


def test_dynamic_dependencies_need_setuptools_files(tmp_path: Path) -> None:
    text = '[project]\nname = "d"\nversion = "0"\ndynamic = ["dependencies"]\n'
    text += '[tool.setuptools.dynamic]\ndependencies = {file = ["requirements/prod.in"]}\n'
    root = repo(tmp_path, {})
    assert "requirements/prod.in" in refusal(root, text)
    (root / "requirements").mkdir()
    (root / "requirements/prod.in").write_text("click>=8\n")
    dep = plan(root, text)
    result = tomlkit.parse(applied(text, dep)).unwrap()
    assert result["project"]["dependencies"] == ["click>=8"]
    assert "dynamic" not in result["project"]
    assert "dependencies" not in result.get("tool", {}).get("setuptools", {}).get("dynamic", {})


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[project]\nname = "x"\ndependencies = [\n  "ok",\n  "bad name here",\n]\n', 5),
        ('[project]\nname = "x"\n\ndependencies = ["a",\n', 4),  # tomlkit's line
    ],
)
def test_a_broken_pyproject_is_refused_with_its_line(tmp_path: Path, text: str, line: int) -> None:
    assert f"(pyproject.toml:{line})" in refusal(repo(tmp_path, {}), text)


def test_dynamic_optional_dependencies_read_from_a_missing_file_are_refused(
    tmp_path: Path,
) -> None:
    text = '[project]\nname = "d"\nversion = "0"\ndynamic = ["optional-dependencies"]\n'
    text += '[tool.setuptools.dynamic]\noptional-dependencies.dev = {file = ["r.txt"]}\n'
    message = refusal(repo(tmp_path, {}), text)
    assert "optional-dependencies.dev reads r.txt, which does not exist" in message
    assert message.endswith("(pyproject.toml:6)")


def test_without_pyproject_the_project_is_known_by_its_setup_cfg_name(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "setup.cfg": "[metadata]\nname = pollsite\n",
            "setup.py": "from setuptools import setup\nsetup()\n",
            "requirements.txt": "Django==4.2.16\npollsite==1.4.2\n",
        },
    )
    dep = plan(root, None)
    assert [a.requirement for a in dep.additions] == ["Django==4.2.16"]
    assert codes(dep)["project-itself"] == ["requirements.txt:2"]


def test_runtime_additions_need_a_project_table(tmp_path: Path) -> None:
    root = repo(tmp_path, {"requirements.txt": "click>=8\n"})
    dep = plan(root, None)
    assert [a.requirement for a in dep.additions] == ["click>=8"]
    with pytest.raises(req.RequirementsError, match=r"\[project\]"):
        applied("[tool.black]\n", dep)
    assert 'dependencies = [\n    "click>=8",\n]' in applied('[project]\nname = "x"\n', dep)


def test_inline_tables_are_extended_inline(tmp_path: Path) -> None:
    text = (
        'dependency-groups = { dev = ["pytest"] }\n[project]\nname = "x"\n'
        '[tool.uv]\nsources = { other = { path = "o" } }\n'
    )
    root = repo(
        tmp_path,
        {
            "requirements-dev.txt": "ruff>=0.5\n-e ./lib\n",
            "lib/pyproject.toml": '[project]\nname = "lib"\nversion = "1"\n',
        },
    )
    result = applied(text, plan(root, text))
    assert 'dependency-groups = { dev = ["pytest", "ruff>=0.5", "lib"] }' in result
    assert 'sources = { other = { path = "o" }, lib = ' in result


def test_a_layout_tomlkit_cannot_extend_is_refused(tmp_path: Path) -> None:
    text = '[project]\nname = "x"\n\n[tool]\nuv.package = true\n'
    root = repo(
        tmp_path,
        {"requirements.txt": "-e ./lib\n", "lib/setup.py": "setup(name='lib')\n"},
    )
    with pytest.raises(req.RequirementsError, match=r"\[tool.uv.sources\] lib"):
        applied(text, plan(root, text))


def test_secrets_never_reach_notes_or_pyproject(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "requirements.txt": "-i https://bob:s3cret@pypi.corp.example.com/simple\n"
            "-f https://bob:s3cret@files.example.com/links/\n"
            "priv @ git+https://bob:s3cret@github.com/acme/priv.git@v1\n"
            "-e git+https://bob:s3cret@github.com/acme/edit.git#egg=edit\n"
            "wheel @ https://bob:s3cret@files.example.com/wheel-1.0-py3-none-any.whl\n"
        },
    )
    dep = plan(root)
    assert "s3cret" not in json.dumps(dep.to_json())
    assert "s3cret" not in applied(PYPROJECT, dep)
    (root / "requirements.txt").write_text("bad @ https://bob:s3cret@x.example.com/a b c\n")
    assert "s3cret" not in refusal(root)


def test_plan_is_json_serialisable(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {"requirements.txt": "-e git+https://g.example.com/a.git#egg=a\nclick==8.1.7\n"},
    )
    data = json.loads(json.dumps(plan(root).to_json()))
    assert data["additions"][0]["where"] == "requirements.txt:1"
    assert data["sources"] == {"a": {"git": "https://g.example.com/a.git"}}


# --- specifier helpers ----------


@pytest.mark.parametrize(
    ("a", "b", "ok"),
    [
        ("==1.0", ">=1", True),
        ("==1.0", ">1.0", False),
        (">=1,<2", ">=1.5", True),
        ("<1", ">=1", False),
        (">1.0", "<1.1", True),
        ("~=1.4", "<1.4", False),
        ("==1.*", ">=1.5", True),
        ("===1.0-custom", "===1.0-custom", True),
        ("", "==3", True),
    ],
)
def test_specifiers_compatible(a: str, b: str, ok: bool) -> None:
    assert req.specifiers_compatible(a, b) is ok


@pytest.mark.parametrize(
    ("a", "b", "merged"),
    [
        (">=5", ">=5.3", ">=5.3"),
        (">=4.2", "<5", ">=4.2,<5"),
        (">=4.2,<5", "==4.2.11", "==4.2.11"),
        ("<3", "<=2", "<=2"),
        ("", ">=1", ">=1"),
    ],
)
def test_merge_specifiers(a: str, b: str, merged: str) -> None:
    assert req.merge_specifiers(a, b) == merged


def test_every_include_line_is_accounted_for_at_its_own_line(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "constraints.txt": "Werkzeug==3.0.3\n",
            "requirements/base.txt": "Flask>=2.2\n",
            "requirements/dev.txt": "-r base.txt\n-c ../constraints.txt\npytest\n",
            "requirements/prod.txt": "-r base.txt\n-c ../constraints.txt\ngunicorn\n",
        },
    )
    dep = plan(root)
    at = {str(n.where) for n in dep.notes}
    for where in (
        "requirements/dev.txt:1",
        "requirements/dev.txt:2",
        "requirements/prod.txt:1",
        "requirements/prod.txt:2",
    ):
        assert where in at, where
    found = codes(dep)
    # prod.txt -r's the base: a deployment group of its own, which does not copy the base
    assert "requirements/prod.txt:1" in found["include-runtime"]
    assert "requirements/prod.txt:2" in found["include-constraints"]


def test_requirements_in_gives_the_direct_specifiers_its_compiled_txt_seeds_the_lock(
    tmp_path: Path,
) -> None:
    root = repo(
        tmp_path,
        {
            "requirements.in": "requests>=2.31\nclick>=8.1\n",
            "requirements.txt": "# autogenerated by pip-compile\nclick==8.1.7\n"
            "    # via -r requirements.in\nidna==3.7\n    # via requests\nrequests==2.32.3\n"
            "    # via -r requirements.in\n",
            "requirements-dev.in": "-c requirements.txt\npytest\n",
            "requirements-dev.txt": "# pip-compile requirements-dev.in\npytest==8.2.1\n"
            "    # via -r requirements-dev.in\n",
        },
    )
    assert [p.name for p in req.discover_requirement_files(walk(root))] == [
        "requirements-dev.txt",
        "requirements-dev.in",
        "requirements.txt",
        "requirements.in",
    ]
    dep = plan(root, None)
    assert [(a.table, a.requirement, str(a.where)) for a in dep.additions] == [
        ("project.dependencies", "requests>=2.31", "requirements.in:1"),
        ("project.dependencies", "click>=8.1", "requirements.in:2"),
        ("dependency-groups.dev", "pytest", "requirements-dev.in:2"),
    ]
    assert dep.seed_pins == {
        "click": "8.1.7",
        "idna": "3.7",
        "pytest": "8.2.1",
        "requests": "2.32.3",
    }
    roles = {f.path: (f.role, f.group) for f in dep.files}
    assert roles["requirements.in"] == roles["requirements.txt"] == ("runtime", None)
    assert roles["requirements-dev.in"] == ("group", "dev")
    kinds = {f.path: f.kind for f in dep.files}
    assert kinds["requirements.in"] == kinds["requirements-dev.in"] == "compile-input"
    assert kinds["requirements.txt"] == "compiled"
    found = codes(dep)
    assert found["constraint-compiled"] == ["requirements-dev.in:1"]  # not constraints
    assert "requirements.txt:1" in found["transitive-pins-seeded"]


def test_a_line_comment_goes_beside_its_entry_only_in_a_one_entry_a_line_array(
    tmp_path: Path,
) -> None:
    """`Django==5.0  # Used by find_formatters` keeps its why; a one-line array gets no
    comment (it would swallow the closing bracket)."""
    root = repo(tmp_path, {"requirements.txt": "black==24.4.2  # Used by find_formatters\n"})
    for before, after in (
        ('dependencies = [\n    "six",\n]\n', '    "black==24.4.2",  # Used by find_formatters\n'),
        ('dependencies = ["six"]\n', 'dependencies = ["six", "black==24.4.2"]\n'),
    ):
        text = '[project]\nname = "demo"\nversion = "1"\n' + before
        doc = tomlkit.parse(text)
        req.apply_dependency_plan(doc, plan(root, text))
        assert after in tomlkit.dumps(doc)
        assert tomlkit.parse(tomlkit.dumps(doc))["project"]["dependencies"] == [
            "six",
            "black==24.4.2",
        ]


@pytest.mark.parametrize(
    ("comment", "requirement"),
    [
        ("# onnx>=1.10.0  # ONNX export", "onnx>=1.10.0"),
        ("# tritonclient[all]~=2.24.0", "tritonclient[all]~=2.24.0"),
        ("# tensorrt  # TensorRT export", "tensorrt"),
        ("# comet_ml", "comet_ml"),
        ("# Base ----------------------------------------", None),
        ("# Usage: pip install -r requirements.txt", None),
        ("# Export", None),
        ("# via -r requirements.in", None),
    ],
)
def test_a_commented_out_requirement_is_told_from_prose(
    comment: str, requirement: str | None
) -> None:
    from uvmk.sources.pip.file_summary import commented_requirement

    assert commented_requirement(comment) == requirement


def test_pip_compile_annotations_are_not_commented_out_requirements(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "requirements.in": "pyramid\n",
            "requirements.txt": "# This file is autogenerated by pip-compile with Python 3.12\n"
            "pyramid==2.0.2\n    # via\n    #   -r requirements.in\n    #   pyramid-jinja2\n"
            "zope-interface==7.1.1\n    # via pyramid\n",
        },
    )
    assert "commented-out" not in codes(plan(root, None))
