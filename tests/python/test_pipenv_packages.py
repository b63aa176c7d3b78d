"""Pipfile entries → PEP 508 + [tool.uv.sources], checked against Pipenv's own reading: the real
pipenv's `convert_deps_to_pip` (run by uv in a throwaway environment) says what pip installs for
each entry; ours must name the same package, extras, versions and markers."""

from __future__ import annotations

import itertools
import json
import subprocess
from typing import Any

import pytest
from packaging.requirements import Requirement

from uvmk.sources.pipenv.packages import convert_packages

REGISTRY: dict[str, Any] = {
    "any": "*",
    "ranged": ">=2.0,<3",
    "spaced": ">= 1.2, < 1.5",
    "compatible": "~=1.4.2",
    "exact": "==1.16.0",
    "bare": "1.2",
    "excluded": "!=1.3",
    "extras": {"version": ">=2", "extras": ["socks", "security"]},
    "marked": {"version": "*", "markers": "python_version < '3.11'"},
    "platform": {"version": "*", "sys_platform": "== 'win32'"},
    "machine": {"version": ">=1", "platform_machine": "!= 'arm64'"},
    "both": {
        "version": "==2.*",
        "markers": "python_version >= '3.9' and implementation_name == 'cpython'",
        "sys_platform": "!= 'darwin'",
    },
    "indexed": {"version": ">=1", "index": "mirror"},
}
# Where Pipenv installs elsewhere than the Pipfile says (its translate_markers): ours follows the
# Pipfile and says so; the test pins down both readings.
MISREAD: dict[str, Any] = {
    "osname": {"version": "*", "os_name": "== 'posix'"},
    "either": {
        "version": "*",
        "markers": "python_version >= '3.12' or implementation_name == 'pypy'",
        "sys_platform": "!= 'darwin'",
    },
}
ELSEWHERE: dict[str, Any] = {
    "gitpkg": {"git": "https://github.com/o/gitpkg.git", "ref": "v1.2"},
    "local": {"path": "./libs/local", "editable": True},
}

_VERSIONS = [f"{a}.{b}.{c}" for a, b, c in itertools.product(range(0, 4), range(0, 7), range(0, 3))]
_ENVIRONMENTS = [
    {
        "python_version": f"3.{minor}",
        "python_full_version": f"3.{minor}.0",
        "sys_platform": platform,
        "os_name": "nt" if platform == "win32" else "posix",
        "platform_machine": machine,
        "implementation_name": implementation,
    }
    for minor, platform, machine, implementation in itertools.product(
        range(7, 14), ("linux", "darwin", "win32"), ("x86_64", "arm64"), ("cpython", "pypy")
    )
]


@pytest.fixture(scope="module")
def pipenv_reads() -> dict[str, str]:
    program = (
        "import json, sys\n"
        "from pipenv.utils.dependencies import convert_deps_to_pip\n"
        "print(json.dumps(convert_deps_to_pip(json.loads(sys.stdin.read()))))\n"
    )
    done = subprocess.run(
        ["uv", "run", "--no-project", "--quiet", "--with", "pipenv", "python", "-c", program],
        input=json.dumps(REGISTRY | ELSEWHERE | MISREAD),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _holds(r: Requirement, env: dict[str, str]) -> bool:
    return r.marker is None or r.marker.evaluate(env)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_registry_entry_installs_what_pipenv_installs(
    name: str, pipenv_reads: dict[str, str]
) -> None:
    [ours] = convert_packages({name: REGISTRY[name]}, "packages").requirements
    a, b = Requirement(ours.pep508), Requirement(pipenv_reads[name])
    assert (a.name, a.extras, a.url) == (b.name, b.extras, b.url)
    assert [v for v in _VERSIONS if a.specifier.contains(v) != b.specifier.contains(v)] == []
    assert [e for e in _ENVIRONMENTS if _holds(a, e) != _holds(b, e)] == []


def test_git_and_path_entries_point_where_pipenv_installs_from(
    pipenv_reads: dict[str, str],
) -> None:
    converted = {r.name: r for r in convert_packages(ELSEWHERE, "packages").requirements}
    assert pipenv_reads["gitpkg"] == "gitpkg @ git+https://github.com/o/gitpkg.git@v1.2"
    assert converted["gitpkg"].source == {"git": "https://github.com/o/gitpkg.git", "rev": "v1.2"}
    assert pipenv_reads["local"] == "-e ./libs/local"
    assert converted["local"].source == {"path": "./libs/local", "editable": True}


def test_where_pipenv_misreads_its_own_markers_uv_follows_the_pipfile_and_says_so(
    pipenv_reads: dict[str, str],
) -> None:
    assert pipenv_reads["osname"] == "osname"  # os_name dropped
    assert pipenv_reads["either"] == (
        "either; python_version >= '3.12' or implementation_name == 'pypy' and "
        "sys_platform != 'darwin'"
    )
    converted = convert_packages(MISREAD, "packages")
    assert [r.pep508 for r in converted.requirements] == [
        "osname; os_name == 'posix'",
        "either; (python_version >= '3.12' or implementation_name == 'pypy') and "
        "sys_platform != 'darwin'",
    ]
    assert [n.key for n in converted.notes if n.kind == "reported"] == ["osname", "either"]


def test_a_marker_alone_is_written_as_the_pipfile_says_as_poetry_s_is() -> None:
    """No parentheses around a whole marker: they group it only beside another."""
    either = {"version": "*", "markers": "python_version < '3.11' or os_name == 'nt'"}
    [req] = convert_packages({"either": either}, "packages").requirements
    assert req.pep508 == "either; python_version < '3.11' or os_name == 'nt'"
