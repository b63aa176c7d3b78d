"""The whole-pyproject conversion, one Poetry feature at a time: what it writes, what it says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomlkit

from uvmk.sources.poetry.convert import Conversion, convert
from uvmk.sources.poetry.lock import read

FIXTURES = Path(__file__).parents[1] / "fixtures"
HEAD = '[tool.poetry]\nname = "app"\nversion = "1.0"\ndescription = ""\nauthors = []\n'


def _convert(body: str) -> tuple[dict[str, Any], Conversion]:
    conversion = convert(HEAD + body)
    return tomlkit.parse(conversion.text).unwrap(), conversion


def _said(conversion: Conversion, kind: str) -> list[str]:
    return [s.note.text for s in conversion.said if s.note.kind == kind]


def test_python_becomes_requires_python_and_the_backend_poetry_core_2() -> None:
    doc, _ = _convert('[tool.poetry.dependencies]\npython = "^3.10"\nclick = "^8"\n')
    assert doc["project"]["requires-python"] == ">=3.10,<4.0"
    assert doc["project"]["dependencies"] == ["click>=8,<9"]
    assert doc["build-system"] == {
        "requires": ["poetry-core>=2.0,<3"],
        "build-backend": "poetry.core.masonry.api",
    }


def test_a_python_range_pep_440_cannot_say_is_refused_at_its_line() -> None:
    _, conversion = _convert('[tool.poetry.dependencies]\npython = "~2.7 || ^3.6"\n')
    [refusal] = conversion.refusals()
    assert refusal.line == 7
    assert "python" in refusal.note.text


def test_optional_dependencies_go_to_their_extras_and_only_there() -> None:
    doc, conversion = _convert(
        "[tool.poetry.dependencies]\n"
        'pg = { version = "^2.9", optional = true }\n'
        'orphan = { version = "^1", optional = true }\n'
        'core = "^1"\n'
        '[tool.poetry.extras]\ndb = ["pg"]\nbad = ["nothere"]\n'
    )
    assert doc["project"]["dependencies"] == ["core>=1,<2"]
    assert doc["project"]["optional-dependencies"] == {"db": ["pg>=2.9,<3.0"], "bad": []}
    assert any("orphan" in t and "no extra" in t for t in _said(conversion, "reported"))
    assert any("nothere" in t for t in _said(conversion, "refused"))


def test_authors_urls_scripts_and_plugins_become_pep_621() -> None:
    doc, conversion = _convert(
        'homepage = "https://h"\nrepository = "https://r"\n'
        'maintainers = ["Ann <ann@x.org>"]\nlicense = "MIT"\n'
        '[tool.poetry.scripts]\napp = "app:main"\n'
        'gui = { reference = "app:gui", extras = ["ui"], type = "console" }\n'
        'tool = { reference = "bin/tool.sh", type = "file" }\n'
        '[tool.poetry.plugins."pytest11"]\napp = "app.plugin"\n'
        '[tool.poetry.plugins."console_scripts"]\nlegacy = "app:legacy"\n'
    )
    project = doc["project"]
    assert project["maintainers"] == [{"name": "Ann", "email": "ann@x.org"}]
    assert project["license"] == {"text": "MIT"}
    assert project["urls"] == {"Homepage": "https://h", "Repository": "https://r"}
    assert project["scripts"] == {"app": "app:main", "gui": "app:gui [ui]", "legacy": "app:legacy"}
    assert project["entry-points"] == {"pytest11": {"app": "app.plugin"}}
    # poetry-core, still the backend, builds the file script from where it was
    assert doc["tool"]["poetry"]["scripts"] == {
        "tool": {"reference": "bin/tool.sh", "type": "file"}
    }
    assert any("file script" in t for t in _said(conversion, "reported"))


def test_groups_poetry_installs_by_default_are_uvs_default_groups() -> None:
    doc, conversion = _convert(
        '[tool.poetry.group.test.dependencies]\npytest = "^8"\n'
        "[tool.poetry.group.docs]\noptional = true\n"
        '[tool.poetry.group.docs.dependencies]\nsphinx = "^7"\n'
    )
    assert doc["dependency-groups"] == {"test": ["pytest>=8,<9"], "docs": ["sphinx>=7,<8"]}
    assert doc["tool"]["uv"]["default-groups"] == ["test"]
    assert any("docs is optional" in t for t in _said(conversion, "reported"))


def test_old_dev_dependencies_are_the_dev_group_uv_installs_anyway() -> None:
    doc, _ = _convert('[tool.poetry.dev-dependencies]\npytest = "^8"\n')
    assert doc["dependency-groups"] == {"dev": ["pytest>=8,<9"]}
    assert "uv" not in doc.get("tool", {})


def test_every_group_optional_means_no_default_group() -> None:
    doc, _ = _convert(
        '[tool.poetry.group.dev]\noptional = true\n[tool.poetry.group.dev.dependencies]\nx = "1"\n'
    )
    assert doc["tool"]["uv"]["default-groups"] == []


def test_sources_keep_poetrys_search_order_and_never_write_credentials() -> None:
    doc, conversion = _convert(
        '[tool.poetry.dependencies]\ntorch = { version = "^2", source = "torch" }\n'
        '[[tool.poetry.source]]\nname = "corp"\nurl = "https://me:s3cret@corp.example/simple"\n'
        'priority = "supplemental"\n'
        '[[tool.poetry.source]]\nname = "torch"\nurl = "https://download.pytorch.org/whl/cpu"\n'
        'priority = "explicit"\n'
    )
    assert doc["tool"]["uv"]["index"] == [
        {"name": "pypi", "url": "https://pypi.org/simple"},
        {"name": "corp", "url": "https://corp.example/simple", "default": True},
        {"name": "torch", "url": "https://download.pytorch.org/whl/cpu", "explicit": True},
    ]
    assert doc["tool"]["uv"]["sources"] == {"torch": {"index": "torch"}}
    assert "s3cret" not in conversion.text
    assert any("credentials not written" in t for t in _said(conversion, "reported"))


def test_a_primary_source_replaces_pypi_as_uvs_default() -> None:
    doc, _ = _convert('[[tool.poetry.source]]\nname = "corp"\nurl = "https://corp/simple"\n')
    assert doc["tool"]["uv"]["index"] == [
        {"name": "corp", "url": "https://corp/simple", "default": True}
    ]


def test_pypi_listed_last_stays_uvs_own_default() -> None:
    doc, _ = _convert(
        '[[tool.poetry.source]]\nname = "corp"\nurl = "https://corp/simple"\n'
        'priority = "primary"\n[[tool.poetry.source]]\nname = "PyPI"\npriority = "primary"\n'
    )
    assert doc["tool"]["uv"]["index"] == [{"name": "corp", "url": "https://corp/simple"}]


def test_a_source_no_one_declared_is_refused() -> None:
    _, conversion = _convert('[tool.poetry.dependencies]\nx = { version = "1", source = "nope" }\n')
    assert any("nope" in t for t in _said(conversion, "refused"))


def test_git_path_and_url_dependencies_become_uv_sources() -> None:
    doc, _ = _convert(
        "[tool.poetry.dependencies]\n"
        'lib = { git = "https://github.com/o/lib.git", tag = "v1" }\n'
        'local = { path = "../local", develop = true }\n'
        'wheel = { url = "https://x.org/wheel-1.0-py3-none-any.whl" }\n'
    )
    assert doc["project"]["dependencies"] == ["lib", "local", "wheel"]
    assert doc["tool"]["uv"]["sources"] == {
        "lib": {"git": "https://github.com/o/lib.git", "tag": "v1"},
        "local": {"path": "../local", "editable": True},
        "wheel": {"url": "https://x.org/wheel-1.0-py3-none-any.whl"},
    }


def test_a_non_package_project_has_no_build_system_and_is_no_package() -> None:
    doc, _ = _convert('package-mode = false\n[tool.poetry.dependencies]\nx = "1"\n')
    assert "build-system" not in doc
    assert doc["tool"]["uv"]["package"] is False
    assert "poetry" not in doc["tool"]


def test_other_tools_tables_are_kept_byte_for_byte() -> None:
    conversion = convert(HEAD + "\n[tool.black]\n# why 100\nline-length = 100\n")
    assert "[tool.black]\n# why 100\nline-length = 100\n" in conversion.text


def test_the_files_leading_comments_stay_on_top() -> None:
    # found on tweag/python-monorepo-example: its root's three lines on why it has a
    # [build-system] were gone after the conversion
    head = "# why this file builds nothing\n# second line\n\n"
    conversion = convert(head + '[build-system]\nrequires = ["poetry-core"]\n\n' + HEAD)
    assert conversion.text.startswith(head + "[build-system]\n")


def test_poetry_2_project_is_kept_and_its_poetry_details_become_sources() -> None:
    text = (
        '[project]\nname = "p2"\nversion = "1"\ndependencies = ["lib", "six (>=1.16)"]\n'
        '[tool.poetry.dependencies]\nlib = { path = "../lib", develop = true }\n'
        'six = { source = "corp" }\n'
        '[[tool.poetry.source]]\nname = "corp"\nurl = "https://corp/simple"\n'
        'priority = "explicit"\n'
    )
    conversion = convert(text)
    doc = tomlkit.parse(conversion.text).unwrap()
    assert doc["project"]["dependencies"] == ["lib", "six (>=1.16)"]
    assert doc["tool"]["uv"]["sources"] == {
        "lib": {"path": "../lib", "editable": True},
        "six": {"index": "corp"},
    }
    assert conversion.refusals() == []


def test_the_lock_seeds_registry_versions_only_and_says_the_rest() -> None:
    locked = read(
        "# This file is automatically @generated by Poetry 2.1.3 and should not be changed.\n"
        '[[package]]\nname = "Six"\nversion = "1.16.0"\n'
        '[[package]]\nname = "numpy"\nversion = "1.24.4"\n'
        '[[package]]\nname = "numpy"\nversion = "2.0.1"\n'
        '[[package]]\nname = "corp-lib"\nversion = "3.0"\n'
        '[package.source]\ntype = "legacy"\nurl = "https://corp/simple"\nreference = "corp"\n'
        '[[package]]\nname = "lib"\nversion = "0.1"\n'
        '[package.source]\ntype = "git"\nurl = "https://github.com/o/lib.git"\n'
        'reference = "main"\nresolved_reference = "abc123"\n'
    )
    assert locked.poetry_version == "2.1.3"
    assert locked.seeds == {"six": "1.16.0", "corp-lib": "3.0"}
    assert locked.elsewhere == {"lib": "git https://github.com/o/lib.git@abc123"}
    assert any("numpy" in n.text for n in locked.notes)


def test_a_version_set_by_poetry_dynamic_versioning_stays_dynamic_and_its_backend_stays() -> None:
    conversion = convert(
        '[tool.poetry]\nname = "app"\nversion = "0.0.0"\n'
        "[tool.poetry-dynamic-versioning]\nenable = true\n"
        '[build-system]\nrequires = ["poetry-core>=1.0.0", "poetry-dynamic-versioning>=1.0.0,<2"]\n'
        'build-backend = "poetry_dynamic_versioning.backend"\n'
    )
    doc = tomlkit.parse(conversion.text).unwrap()
    assert "version" not in doc["project"]
    assert doc["project"]["dynamic"] == ["version", "classifiers"]
    assert doc["tool"]["poetry"]["version"] == "0.0.0"
    assert doc["tool"]["poetry-dynamic-versioning"] == {"enable": True}
    assert doc["build-system"] == {
        "requires": ["poetry-core>=2.0,<3", "poetry-dynamic-versioning>=1.0.0,<2"],
        "build-backend": "poetry_dynamic_versioning.backend",
    }
    assert any("poetry-dynamic-versioning" in s.note.text for s in conversion.said)


def test_several_readmes_stay_poetrys_to_join_as_a_dynamic_readme() -> None:
    doc, conversion = _convert('readme = ["README.md", "CHANGES.md"]\n')
    assert "readme" not in doc["project"] and "readme" in doc["project"]["dynamic"]
    assert doc["tool"]["poetry"]["readme"] == ["README.md", "CHANGES.md"]
    assert conversion.refusals() == []


def test_explicit_sources_a_dependency_names_and_a_supplemental_one_keep_poetrys_order() -> None:
    """tests/fixtures/unseen/poetry-private: two explicit sources (a runtime and a dev dependency
    name one each), a supplemental mirror, credentials in one URL."""
    conversion = convert((FIXTURES / "unseen/poetry-private/pyproject.toml").read_text())
    doc = tomlkit.parse(conversion.text).unwrap()
    assert doc["tool"]["uv"]["index"] == [
        {"name": "pypi", "url": "https://pypi.org/simple"},  # Poetry's implicit primary, first
        {"name": "mirror", "url": "https://mirror.corp.invalid/simple/", "default": True},
        {"name": "corp", "url": "https://pypi.corp.invalid/simple/", "explicit": True},
        {"name": "corp-dev", "url": "https://pypi-dev.corp.invalid/simple/", "explicit": True},
    ]
    assert doc["tool"]["uv"]["sources"] == {
        "corp-auth": {"index": "corp"},
        "corp-testkit": {"index": "corp-dev"},
    }
    assert "hunter2" not in conversion.text


def test_a_project_for_python_3_8_is_told_poetry_core_2_needs_3_9_to_build() -> None:
    # tortoise/tortoise-orm (python = "^3.8", .python-version 3.8 from its CI): after the
    # conversion `make dev-install` failed building the project, poetry-core >= 2 not installing
    _, conversion = _convert('[tool.poetry.dependencies]\npython = "^3.8"\n')
    [note] = [t for t in _said(conversion, "reported") if "poetry-core" in t]
    assert "Python 3.9" in note and "3.8" in note
    _, newer = _convert('[tool.poetry.dependencies]\npython = "^3.9"\n')
    assert not [t for t in _said(newer, "reported") if "poetry-core" in t]


def test_a_file_without_a_last_newline_gets_its_tool_uv_table_on_a_line_of_its_own() -> None:
    # Fregatty/integralytix' pyproject ends `asyncio_mode = "auto"` with no newline
    text = (
        '[project]\nname = "a"\nversion = "0.1.0"\ndependencies = []\n\n'
        '[tool.poetry]\npackage-mode = false\n\n[tool.pytest.ini_options]\nasyncio_mode = "auto"'
    )
    assert 'asyncio_mode = "auto"\n\n[tool.uv]\npackage = false\n' in convert(text).text
