"""setup.py read without running it: each idiom real projects use, what keeps setup.py, what is
refused (one line, setup.py:N), and the real CLI migrating fixture repos that uv then syncs."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
import tomlkit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from uvmk import plan as uvmk_plan  # noqa: E402
from uvmk.facts import Facts  # noqa: E402
from uvmk.sources.setuptools import legacy  # noqa: E402
from uvmk.sources.setuptools.project import SetupPyError, SetupPyProject, read_setup_py  # noqa: E402
from uvmk.sources.setuptools.setup_cfg import has_setup_cfg_project  # noqa: E402
from uvmk.survey import snapshot as uvmk_survey  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "setuppy"


def repo(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def read(tmp_path: Path, files: dict[str, str]) -> SetupPyProject:
    found = read_setup_py(repo(tmp_path, files))
    assert found is not None
    return found


def doc(sp: SetupPyProject) -> dict[str, Any]:
    return tomlkit.parse(sp.toml()).unwrap()


def test_literal_keywords_become_project_fields(tmp_path: Path) -> None:
    sp = read(
        tmp_path,
        {
            "setup.py": (
                "from setuptools import setup, find_packages\n"
                "setup(\n"
                "    name='demo', version='1.2.3', description='  A demo  ',\n"
                "    python_requires='>=3.10', install_requires=['click>=8', 'rich'],\n"
                "    author='Ann', author_email='ann@example.org', keywords='cli, demo',\n"
                "    project_urls={'Source': 'https://example.org/src'},\n"
                "    packages=find_packages(where='src'), package_dir={'': 'src'},\n"
                "    scripts=['bin/demo-run'],\n"
                "    entry_points={'console_scripts': ['demo = demo.cli:main'],\n"
                "                  'gui_scripts': ['demo-gui = demo.gui:main']},\n"
                ")\n"
            )
        },
    )
    d = doc(sp)
    assert d["project"] == {
        "name": "demo",
        "version": "1.2.3",
        "description": "A demo",
        "requires-python": ">=3.10",
        "authors": [{"name": "Ann", "email": "ann@example.org"}],
        "keywords": ["cli", "demo"],
        "dependencies": ["click>=8", "rich"],
        "urls": {"Source": "https://example.org/src"},
        "scripts": {"demo": "demo.cli:main"},
        "gui-scripts": {"demo-gui": "demo.gui:main"},
    }
    assert d["build-system"]["build-backend"] == "setuptools.build_meta"
    assert d["tool"]["setuptools"] == {
        "packages": {"find": {"where": ["src"], "namespaces": False}},
        "script-files": ["bin/demo-run"],
        "package-dir": {"": "src"},
        "include-package-data": False,  # setup.py's default, not [project]'s
    }
    assert not sp.keep_setup_py and sp.reads == []


def test_install_requires_read_from_a_requirements_file_stays_a_file_read(
    tmp_path: Path,
) -> None:
    files = {
        "requirements.txt": "# pinned\nflask==3.0.0\n\nrequests>=2\n",
        "setup.py": (
            "import setuptools\n"
            "with open('requirements.txt') as f:\n"
            "    required = f.read().splitlines()\n"
            "setuptools.setup(name='app', version='0.1', install_requires=required)\n"
        ),
    }
    sp = read(tmp_path, files)
    assert doc(sp)["project"]["dynamic"] == ["dependencies"]
    assert sp.dynamic == {"dependencies": {"file": ["requirements.txt"]}}


@pytest.mark.parametrize(
    "helper",
    [
        # a helper with a loop that appends
        "def reqs(path):\n    out = []\n    for line in open(path):\n        line = line.strip()\n"
        "        if line and not line.startswith('#'):\n            out.append(line)\n"
        "    return out\n",
        # pathlib and a filter over the lines
        "from pathlib import Path\n"
        "def reqs(path):\n    text = (Path(__file__).parent / path).read_text()\n"
        "    return list(filter(None, map(str.strip, text.splitlines())))\n",
        # codecs + a comprehension with os.path
        "import codecs, os\nhere = os.path.abspath(os.path.dirname(__file__))\n"
        "def reqs(name):\n    with codecs.open(os.path.join(here, name), encoding='utf-8') as fh:\n"
        "        return [l for l in fh.read().split('\\n') if l and not l.startswith('#')]\n",
    ],
)
def test_requirements_helpers_are_followed(tmp_path: Path, helper: str) -> None:
    sp = read(
        tmp_path,
        {
            "requirements.txt": "flask>=2\n",
            "setup.py": "from setuptools import setup\n"
            + helper
            + "setup(name='app', version='1', install_requires=reqs('requirements.txt'))\n",
        },
    )
    assert sp.dynamic["dependencies"] == {"file": ["requirements.txt"]}


@pytest.mark.parametrize(
    ("setup_py", "version_file", "attr"),
    [
        (
            "import re\nsetup(name='p', version=re.search(r'__version__ = \"(.*?)\"', "
            "open('p/__init__.py').read()).group(1))\n",
            "p/__init__.py",
            "p.__version__",
        ),
        (
            "from p import __version__\nsetup(name='p', version=__version__)\n",
            "p/__init__.py",
            "p.__version__",
        ),
        (
            "about = {}\nexec(open('src/p/_version.py').read(), about)\n"
            "setup(name='p', version=about['__version__'], package_dir={'': 'src'})\n",
            "src/p/_version.py",
            "p._version.__version__",
        ),
    ],
)
def test_version_single_sourced_in_the_package_becomes_a_dynamic_attr(
    tmp_path: Path, setup_py: str, version_file: str, attr: str
) -> None:
    sp = read(
        tmp_path,
        {
            "setup.py": "from setuptools import setup\n" + setup_py,
            version_file: '"""p"""\n__version__ = "4.5.6"\n',
        },
    )
    assert sp.dynamic["version"] == {"attr": attr}
    assert "version" in sp.project["dynamic"] and "version" not in sp.project


def test_module_names_and_kwargs_dict_and_main_guard(tmp_path: Path) -> None:
    sp = read(
        tmp_path,
        {
            "setup.py": (
                "from setuptools import setup\nNAME = 'x'\nVERSION = '0.' + '3'\n"
                "def main():\n    kw = dict(name=NAME, version=VERSION)\n    setup(**kw)\n"
                "if __name__ == '__main__':\n    main()\n"
            )
        },
    )
    assert sp.project["name"] == "x" and sp.project["version"] == "0.3"


def test_extras_from_files_and_markers(tmp_path: Path) -> None:
    sp = read(
        tmp_path,
        {
            "extra-s3-requirements.txt": "boto3>=1.28  # aws\n",
            "setup.py": (
                "from setuptools import setup\n"
                "def extra(n):\n"
                "    return open(f'extra-{n}-requirements.txt').read().splitlines()\n"
                "setup(name='x', version='1', extras_require={\n"
                "    's3': [l.split('#')[0].strip() for l in extra('s3')],\n"
                "    ':sys_platform == \"win32\"': ['colorama'],\n"
                "    'old:python_version<\"3.8\"': ['importlib-metadata; os_name == \"nt\"'],\n"
                "})\n"
            ),
        },
    )
    assert sp.project["optional-dependencies"] == {
        "s3": ["boto3>=1.28"],
        "": ['colorama; sys_platform == "win32"'],
        "old": ['importlib-metadata; (os_name == "nt") and (python_version<"3.8")'],
    }
    assert sp.extras_files == {"extra-s3-requirements.txt": ["s3"]}


def test_build_steps_keep_setup_py_and_computed_metadata_is_dynamic(tmp_path: Path) -> None:
    sp = read(
        tmp_path,
        {
            "setup.py": (
                "import sys\nfrom setuptools import setup, Extension\n"
                "class Build: pass\n"
                "setup(name='x', version=sys.argv[0], ext_modules=[Extension('x._c', ['x/c.c'])],\n"
                "      cmdclass={'build_ext': Build}, data_files=[('etc', ['x.conf'])])\n"
            )
        },
    )
    assert sp.keep_setup_py
    kept = " | ".join(sp.kept_for)
    for construct in ("version: computed by", "ext_modules", "cmdclass", "data_files"):
        assert construct in kept
    assert "(setup.py:4)" in kept and "(setup.py:5)" in kept
    assert sp.project["dynamic"] == ["version"]


@pytest.mark.parametrize(
    ("setup_py", "construct"),
    [
        ("setup(**compute())\n", "setup(**compute()): its keywords are computed"),
        ("import os\nsetup(name=os.environ['NAME'], version='1')\n", "setup(name=...) is computed"),
        (
            "import json\nsetup(name='x', version='1',\n"
            "      install_requires=json.load(open('d.json')))\n",
            "setup(install_requires=...) is computed by the call json.load()",
        ),
        ("setup('x', '1')\n", "setup() takes positional arguments"),
        ("def setup_it(:\n", "setup.py is not valid Python"),
    ],
)
def test_what_cannot_be_read_is_refused_with_its_line(
    tmp_path: Path, setup_py: str, construct: str
) -> None:
    text = "from setuptools import setup\n" + setup_py
    repo(tmp_path, {"setup.py": text, "d.json": "[]"})
    with pytest.raises(SetupPyError) as refused:
        read_setup_py(tmp_path)
    message = str(refused.value)
    assert construct in message and "\n" not in message
    assert message.endswith(f"(setup.py:{len(text.splitlines())})")


def test_files_outside_the_repo_are_never_opened(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("hunter2\n")
    text = "from setuptools import setup\nsetup(name='x', version=open('../secret.txt').read())\n"
    sp = read(tmp_path / "r", {"setup.py": text})
    assert sp.reads == [] and "hunter2" not in sp.toml()
    assert sp.kept_for == [
        "version: computed by open('../secret.txt') outside the repo; declared dynamic, "
        "setuptools reads it from setup.py (setup.py:2)"
    ]


def test_a_bare_setup_shim_without_setup_cfg_has_no_name(tmp_path: Path) -> None:
    repo(tmp_path, {"setup.py": "from setuptools import setup\nsetup()\n"})
    with pytest.raises(SetupPyError, match=r"gives a name.*\(setup\.py:2\)$"):
        read_setup_py(tmp_path)


def test_a_tool_only_setup_cfg_is_not_a_project(tmp_path: Path) -> None:
    assert not has_setup_cfg_project(FIXTURES / "tool-only-cfg")
    assert read_setup_py(FIXTURES / "tool-only-cfg") is None
    repo(tmp_path, {"setup.cfg": "[metadata]\nname = x\n"})
    assert has_setup_cfg_project(tmp_path)


def test_survey_of_a_tool_only_setup_cfg_repo_plans_a_project(tmp_path: Path) -> None:
    root = tmp_path / "r"
    shutil.copytree(FIXTURES / "tool-only-cfg", root)
    s = uvmk_survey.survey(root)
    plan = uvmk_plan.build_plan(s, uvmk_plan.Options(), Facts(pythons=("3.11.7",)))
    project = tomlkit.parse(plan.contents["pyproject.toml"].decode()).unwrap()["project"]
    assert project["dependencies"] == ["requests>=2.28"]
    assert (root / "setup.cfg").read_text().startswith("[tool:pytest]")


def test_plan_keeps_setup_py_and_the_files_it_reads(tmp_path: Path) -> None:
    root = tmp_path / "r"
    shutil.copytree(FIXTURES / "ext-cmdclass", root)
    plan = uvmk_plan.build_plan(
        uvmk_survey.survey(root), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    actions = {c.path: c.action for c in plan.changes}
    assert actions["setup.py"] == "keep" and actions["requirements.txt"] == "keep"
    project = tomlkit.parse(plan.contents["pyproject.toml"].decode()).unwrap()["project"]
    assert project["dependencies"] == ["six>=1.16"]


def test_plan_deletes_setup_py_and_extras_files_once_pyproject_says_it_all(tmp_path: Path) -> None:
    root = tmp_path / "r"
    shutil.copytree(FIXTURES / "literal-extras", root)
    plan = uvmk_plan.build_plan(
        uvmk_survey.survey(root), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    actions = {c.path: c.action for c in plan.changes}
    assert actions["setup.py"] == "delete" and actions["extra-yaml-requirements.txt"] == "delete"
    made = tomlkit.parse(plan.contents["pyproject.toml"].decode()).unwrap()
    assert made["project"]["optional-dependencies"]["yaml"] == ["pyyaml>=6"]
    assert made["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "literal_pkg.version.__version__"
    }


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def _migrate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            "uv",
            "run",
            "--quiet",
            "--script",
            str(ROOT / "scripts" / "uvmk_migrate.py"),
            "migrate",
            *args,
        ],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("fixture", "check", "gone", "kept"),
    [
        (
            "flask-reqs",
            "import flaskapp; assert flaskapp.__version__ == '1.4.0'; import flask",
            ["setup.py", "requirements.txt", "requirements-dev.txt"],
            [],
        ),
        ("literal-extras", "import literal_pkg, attrs, packaging", ["setup.py"], []),
        (
            "ext-cmdclass",
            "import fastpkg, six; assert fastpkg.add(2, 3) == 5",
            [],
            ["setup.py", "requirements.txt"],
        ),
    ],
)
def test_cli_apply_then_uv_sync_and_import(
    tmp_path: Path, fixture: str, check: str, gone: list[str], kept: list[str]
) -> None:
    root = tmp_path / fixture
    shutil.copytree(FIXTURES / fixture, root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "legacy")
    applied = _migrate(root, "--apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    for rel in gone:
        assert not (root / rel).exists(), rel
    for rel in kept:
        assert (root / rel).exists(), rel
    synced = subprocess.run(
        ["uv", "sync", "--locked", "--quiet"], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert synced.returncode == 0, synced.stderr
    ran = subprocess.run(
        ["uv", "run", "--no-sync", "python", "-c", check], cwd=root, capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stderr


def test_cli_refuses_an_unreadable_setup_py_and_changes_nothing(tmp_path: Path) -> None:
    root = tmp_path / "unreadable"
    shutil.copytree(FIXTURES / "unreadable", root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "legacy")
    refused = _migrate(root, "--apply")
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "uv.mk: error: setup(**compute()): its keywords are computed, which cannot be read "
        "without running setup.py (setup.py:11)"
    )
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True
    )
    assert status.stdout == ""


def test_kwargs_filled_key_by_key_keeps_setup_py_for_a_conditional_extension(
    tmp_path: Path,
) -> None:
    sp = read(
        tmp_path,
        {
            "README.rst": "Fast\n====\n",
            "setup.py": (
                "import os, platform, setuptools\n"
                "kwargs = {}\n"
                "with open('README.rst') as f:\n"
                "    kwargs['long_description'] = f.read()\n"
                "if platform.python_implementation() == 'CPython':\n"
                "    kwargs['ext_modules'] = [setuptools.Extension('fast._c', ['fast/c.c'])]\n"
                "setuptools.setup(name='fast', version='1.0', **kwargs)\n"
            ),
        },
    )
    assert sp.project["readme"] == "README.rst"
    assert sp.kept_for == [
        "ext_modules: C/Cython extensions are built by setup.py (setup.py:6)",
    ]


def test_a_name_changed_under_an_unknown_condition_is_not_trusted(tmp_path: Path) -> None:
    repo(
        tmp_path,
        {
            "setup.py": (
                "import sys\nfrom setuptools import setup\nreqs = ['a']\n"
                "if sys.platform == 'win32':\n    reqs.append('pywin32')\n"
                "setup(name='x', version='1', install_requires=reqs)\n"
            )
        },
    )
    with pytest.raises(SetupPyError, match=r"install_requires.*\(setup\.py:6\)$"):
        read_setup_py(tmp_path)


def test_environment_switches_read_as_unset_and_said(tmp_path: Path) -> None:
    sp = read(
        tmp_path,
        {
            "setup.py": (
                "import os\nfrom setuptools import setup\n"
                "name = 'fabric2' if os.environ.get('PACKAGE_AS_FABRIC2') else 'fabric'\n"
                "setup(name=name, version='3')\n"
            )
        },
    )
    assert sp.project["name"] == "fabric"
    assert any("PACKAGE_AS_FABRIC2" in d and "unset" in d for d in sp.dropped)


def test_setup_cfg_metadata_a_setup_py_leaves_to_it_is_carried(tmp_path: Path) -> None:
    sp = read(
        tmp_path,
        {
            "setup.py": "from setuptools import setup\nsetup(name='b', install_requires=['x'])\n",
            "setup.cfg": (
                "[metadata]\nversion = attr: b.__version__\n"
                "long_description = file: README.md\n"
                "[options.extras_require]\ncrt =\n    botocore[crt]>=1.21\n"
                "[options]\nzip_safe = False\n"
            ),
            "b/__init__.py": "__version__ = '1.0'\n",
            "README.md": "# b\n",
        },
    )
    assert sp.dynamic["version"] == {"attr": "b.__version__"}
    assert sp.project["readme"] == "README.md"
    assert sp.project["optional-dependencies"] == {"crt": ["botocore[crt]>=1.21"]}
    assert "extras_require (setup.cfg:4)" in sp.carried
    assert not sp.keep_setup_py  # zip_safe stays setup.cfg's, read there as before


def test_a_dict_updated_by_an_unknown_call_is_refused_not_half_read(tmp_path: Path) -> None:
    repo(
        tmp_path,
        {
            "setup.py": (
                "import setuptools, mybuild\nkwargs = {}\n"
                "kwargs.update(mybuild.metadata())\n"
                "setuptools.setup(name='x', version='1', **kwargs)\n"
            )
        },
    )
    with pytest.raises(SetupPyError, match=r"setup\(\*\*kwargs\).*\(setup\.py:4\)$"):
        read_setup_py(tmp_path)


def test_beside_a_pyproject_with_its_own_tool_setuptools(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "pyproject.toml": (
                '[build-system]\nrequires = ["setuptools>=64"]\n'
                'build-backend = "setuptools.build_meta"\n\n'
                "[tool.setuptools]\nzip-safe = false\n\n[tool.black]\nline-length = 99\n"
            ),
            "setup.py": (
                "from setuptools import setup\n"
                "setup(name='x', version=open('x/VERSION').read().strip(), packages=['x'])\n"
            ),
            "x/VERSION": "2.0\n",
            "x/__init__.py": "",
        },
    )
    plan = uvmk_plan.build_plan(
        uvmk_survey.survey(root), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    made = tomlkit.parse(plan.contents["pyproject.toml"].decode()).unwrap()
    assert made["project"]["dynamic"] == ["version"]
    assert made["tool"]["setuptools"] == {
        "zip-safe": False,
        "dynamic": {"version": {"file": "x/VERSION"}},
    }
    assert made["tool"]["black"] == {"line-length": 99}
    assert made["build-system"]["requires"] == ["setuptools>=64"]
    assert {c.path: c.action for c in plan.changes}["setup.py"] == "keep"


def test_a_requirements_file_setup_py_does_not_read_is_said_to_join_the_package(
    tmp_path: Path,
) -> None:
    root = repo(
        tmp_path,
        {
            "setup.py": (
                "from setuptools import setup\n"
                "setup(name='lib', version='1', install_requires=['six'])\n"
            ),
            "requirements.txt": "sphinx==7.2.6\nblack\n",
        },
    )
    s = uvmk_survey.survey(root)
    plan = uvmk_plan.build_plan(s, uvmk_plan.Options(), Facts(pythons=("3.11.7",)))
    notes = plan.dependencies.notes
    beside = [n for n in notes if n.code == "setup-py-requirements-beside"]
    assert [str(n.where) for n in beside] == ["requirements.txt:1"]
    assert "requirements.txt is not what setup.py's install_requires installs" in beside[0].message


def test_format_cannot_walk_the_evaluators_own_objects(tmp_path: Path) -> None:
    sp = read(
        tmp_path,
        {
            "setup.py": (
                "from setuptools import setup\n"
                "def f(): pass\n"
                "setup(name='x', version='1', description='{0.__globals__}'.format(f))\n"
            )
        },
    )
    assert "description" not in sp.project and sp.project["dynamic"] == ["description"]


def test_a_link_out_of_the_repo_is_never_read(tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("secret-version\n")
    root = tmp_path / "r"
    root.mkdir()
    (root / "VERSION").symlink_to(tmp_path / "outside.txt")
    sp = read(
        root,
        {
            "setup.py": (
                "from setuptools import setup\nsetup(name='x', version=open('VERSION').read())\n"
            )
        },
    )
    assert "secret-version" not in sp.toml() and sp.reads == []


def test_a_bare_setup_shim_takes_every_keyword_from_setup_cfg() -> None:
    """httpie: setup.cfg holds the metadata, setup.py is `setup()`: the same [project], scripts,
    readme and [build-system] a setup.py with keywords gets, and setup.py goes."""
    sp = read_setup_py(FIXTURES / "cfg-shim")
    assert sp is not None
    d = doc(sp)
    assert d["project"] == {
        "name": "cfg-shim",
        "description": "A setup.cfg project behind a bare setup() shim",
        "readme": "README.md",
        "requires-python": ">=3.9",
        "authors": [{"name": "Grace Hopper", "email": "grace@example.org"}],
        "classifiers": ["Programming Language :: Python :: 3"],
        "dynamic": ["version"],
        "dependencies": ["six>=1.16"],
        "optional-dependencies": {"yaml": ["pyyaml>=6"]},
        "urls": {"Source": "https://example.org/cfg-shim"},
        "scripts": {"cfg-shim": "cfgshim.cli:main", "cfg-shim-hello": "cfgshim.cli:hello"},
    }
    assert d["build-system"]["build-backend"] == "setuptools.build_meta"
    # setup.cfg's attr: is pyproject's, word for word; its options stay setup.cfg's
    assert d["tool"] == {"setuptools": {"dynamic": {"version": {"attr": "cfgshim.__version__"}}}}
    assert "version (setup.cfg:3)" in sp.carried and "entry_points (setup.cfg:24)" in sp.carried
    assert legacy.file_actions(sp)[0][:2] == ("setup.py", "delete")
    made = next(n for n in legacy.notes(sp, []) if n.code == "setup-py-project")
    assert made.message.startswith("pyproject.toml [project] is made from setup.cfg: name")
    assert str(made.where) == "setup.cfg:1"


def test_a_setup_cfg_without_setup_py_is_converted_and_nothing_is_deleted() -> None:
    sp = read_setup_py(FIXTURES / "cfg-only")
    assert sp is not None and not sp.has_setup_py
    d = doc(sp)
    assert d["project"]["scripts"] == {"cfg-only": "cfgonly:main"}
    assert d["project"]["dynamic"] == ["version"] and "version" not in d["project"]
    assert d["tool"]["setuptools"]["dynamic"] == {"version": {"file": "VERSION"}}
    assert legacy.file_actions(sp) == []


def test_a_setup_cfg_attr_version_read_from_a_computed_module_stays_setup_cfgs(
    tmp_path: Path,
) -> None:
    """attr: means the same in pyproject, whatever the module does; nothing keeps setup.py."""
    sp = read(
        tmp_path,
        {
            "setup.py": "from setuptools import setup\nsetup()\n",
            "setup.cfg": "[metadata]\nname = calc\nversion = attr: calc.VERSION\n",
            "calc/__init__.py": "VERSION = '.'.join(['1', '2'])\n",
        },
    )
    assert sp.dynamic == {"version": {"attr": "calc.VERSION"}} and not sp.keep_setup_py


def test_a_setup_cfg_readme_of_several_files_is_a_dynamic_readme(tmp_path: Path) -> None:
    sp = read(
        tmp_path,
        {
            "setup.cfg": (
                "[metadata]\nname = two\nversion = 1.0\n"
                "long_description = file: README.md, CHANGES.md\n"
                "long_description_content_type = text/markdown\n"
            ),
            "README.md": "# two\n",
            "CHANGES.md": "## 1.0\n",
        },
    )
    assert doc(sp)["project"]["dynamic"] == ["readme"]
    assert sp.dynamic == {
        "readme": {"file": ["README.md", "CHANGES.md"], "content-type": "text/markdown"}
    }
    assert "long_description (setup.cfg:4)" in sp.carried and not sp.left_in_cfg


def test_a_setup_cfg_that_is_not_ini_is_refused_with_its_line(tmp_path: Path) -> None:
    repo(tmp_path, {"setup.py": "from setuptools import setup\nsetup()\n"})
    (tmp_path / "setup.cfg").write_text("[metadata]\nname = x\n  ok\n!!\n")
    with pytest.raises(SetupPyError) as refused:
        read_setup_py(tmp_path)
    assert str(refused.value) == (
        "setup.cfg cannot be read: '!!' is neither a [section] nor a `key = value` line "
        "(setup.cfg:4)"
    )


def test_package_data_for_every_package_is_spelled_star() -> None:
    """dinov2: setup.py's "" key is "*" in pyproject, whose schema refuses ""."""
    d = doc(read(FIXTURES / "package-data-all", {}))
    assert d["tool"]["setuptools"]["package-data"] == {"*": ["*.yaml"], "datapkg": ["*.json"]}
    assert d["tool"]["setuptools"]["exclude-package-data"] == {"*": ["secret.*"]}


def _wheel_names(root: Path) -> tuple[list[str], str]:
    built = subprocess.run(
        ["uv", "build", "--wheel", "--quiet", "--out-dir", "dist"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr
    with zipfile.ZipFile(next((root / "dist").glob("*.whl"))) as wheel:
        names = wheel.namelist()
        entry_points = next((n for n in names if n.endswith("entry_points.txt")), None)
        return names, wheel.read(entry_points).decode() if entry_points else ""


def test_cli_apply_on_a_setup_cfg_shim_builds_and_installs_its_commands(tmp_path: Path) -> None:
    root = tmp_path / "cfg-shim"
    shutil.copytree(FIXTURES / "cfg-shim", root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "legacy")
    applied = _migrate(root, "--apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert not (root / "setup.py").exists()
    names, entry_points = _wheel_names(root)
    assert "cfgshim/defaults.yaml" in names  # setup.cfg's [options.package_data], still read
    assert "cfg-shim = cfgshim.cli:main" in entry_points
    assert "cfg-shim-hello = cfgshim.cli:hello" in entry_points
    assert any(n.endswith("-2.3.1.dist-info/METADATA") for n in names)
    synced = subprocess.run(
        ["uv", "sync", "--locked", "--quiet"], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert synced.returncode == 0, synced.stderr
    ran = subprocess.run([root / ".venv" / "bin" / "cfg-shim"], capture_output=True, text=True)
    assert ran.returncode == 0 and ran.stdout == "cfg-shim greeting: hi\n", ran.stderr


def test_cli_apply_on_package_data_for_every_package_builds(tmp_path: Path) -> None:
    root = tmp_path / "package-data-all"
    shutil.copytree(FIXTURES / "package-data-all", root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "legacy")
    applied = _migrate(root, "--apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    names, _ = _wheel_names(root)
    assert "datapkg/conf.yaml" in names and "datapkg/schema.json" in names
    assert "datapkg/secret.yaml" not in names


SETUP_PY_ONLY = {
    "setup.py": (
        "from setuptools import setup\n"
        "setup(name='pkg', version='1.0.0', packages=['pkg'], install_requires=['six'])\n"
    ),
    "pkg/__init__.py": "",
}


def planned_setup_py(root: Path) -> tuple[str, bytes | None]:
    plan = uvmk_plan.build_plan(
        uvmk_survey.survey(root), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    change = next(c for c in plan.changes if c.path == "setup.py")
    return change.action, plan.contents.get("setup.py")


def test_a_setup_py_nothing_runs_any_more_is_deleted(tmp_path: Path) -> None:
    root = repo(tmp_path, {**SETUP_PY_ONLY, "Makefile": "test:\n\tpython3 -m pytest\n"})
    assert planned_setup_py(root) == ("delete", None)


def test_a_setup_py_a_kept_target_or_ci_still_runs_becomes_a_bare_shim(tmp_path: Path) -> None:
    runs = {
        "Makefile": "dist:\n\tpython3 setup.py sdist\n",
        ".github/workflows/release.yml": (
            "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - run: ./setup.py bdist_wheel\n"
        ),
        "README.md": "# pkg\n\nInstall it with `python setup.py install`.\n",
        "tools/wheel.py": (
            "import subprocess, sys\nsubprocess.call([sys.executable, 'setup.py', 'bdist_wheel'])\n"
        ),
    }
    root = repo(tmp_path, {**SETUP_PY_ONLY, **runs})
    action, shim = planned_setup_py(root)
    assert action == "modify" and shim is not None
    text = shim.decode()
    assert "Makefile:2" in text and ".github/workflows/release.yml:6" in text
    assert "tools/wheel.py:2" in text
    assert "README.md" not in text  # docs tell people to; they run nothing
    assert text.rstrip().endswith("from setuptools import setup\n\nsetup()")


def test_a_setuptools_project_ignores_the_egg_info_an_editable_install_writes(
    tmp_path: Path,
) -> None:
    root = repo(tmp_path / "r", {**SETUP_PY_ONLY, ".gitignore": "__pycache__/\n"})
    plan = uvmk_plan.build_plan(
        uvmk_survey.survey(root), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    assert plan.contents[".gitignore"].decode().splitlines() == [
        "__pycache__/",
        ".venv/",
        "*.egg-info/",
    ]
    (root / ".gitignore").write_text("*.egg-info\n.venv\n")
    again = uvmk_plan.build_plan(
        uvmk_survey.survey(root), uvmk_plan.Options(), Facts(pythons=("3.11.7",))
    )
    assert ".gitignore" not in again.contents


def test_a_kept_setup_py_that_imports_its_own_package_still_builds(tmp_path: Path) -> None:
    """`from mypkg import __version__, docs_url` in setup.py: `uv pip install .` worked (pip's
    legacy path has setup.py's folder on sys.path); after the migration PEP 517's isolated
    build had none, and uv sync failed with No module named 'mypkg'."""
    root = tmp_path / "own-import"
    shutil.copytree(FIXTURES / "own-import", root)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "legacy")
    applied = _migrate(root, "--apply")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert (root / "setup.py").exists()
    made = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    assert made["build-system"]["build-backend"] == "setuptools.build_meta:__legacy__"
    synced = subprocess.run(
        ["uv", "sync", "--locked", "--quiet"], cwd=root, capture_output=True, text=True, timeout=300
    )
    assert synced.returncode == 0, synced.stderr
    names, _ = _wheel_names(root)
    assert "mypkg/__init__.py" in names
    assert any(n.endswith("-1.2.0.dist-info/METADATA") for n in names)


def test_a_setup_py_deleted_needs_no_legacy_backend(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        {
            "pkg/__init__.py": '__version__ = "1.0"\n',
            "setup.py": "from setuptools import setup\nfrom pkg import __version__\n"
            'setup(name="pkg", version=__version__, packages=["pkg"])\n',
        },
    )
    assert found.imports_own == ["pkg (setup.py:2)"]
    assert not found.keep_setup_py and found.build_backend == "setuptools.build_meta"


def test_a_constraints_file_the_helper_reads_is_not_install_requires(tmp_path: Path) -> None:
    """openedx's load_requirements: it reads base.in, then the `-c` file base.in names, only to
    pin what base.in lists; diff-cover in the constraints file was never a dependency."""
    sp = read(
        tmp_path,
        {
            "requirements/base.in": "-c constraints.txt\n\nDjango  # web framework\nclick\n",
            "requirements/constraints.txt": "# pins\ndiff-cover<6.2.2\nclick<9\n",
            "setup.py": (
                "import os\nfrom setuptools import setup\n"
                "def load_requirements(path):\n"
                "    reqs, constraint_files = {}, set()\n"
                "    with open(path) as f:\n"
                "        for line in f:\n"
                "            line = line.split('#')[0].strip()\n"
                "            if line and not line.startswith('-'):\n"
                "                reqs[line] = ''\n"
                "            if line.startswith('-c'):\n"
                "                constraint_files.add(os.path.dirname(path) + '/' "
                "+ line.replace('-c', '').strip())\n"
                "    for name in constraint_files:\n"
                "        with open(name) as f:\n"
                "            for line in f:\n"
                "                line = line.strip()\n"
                "                if line and not line.startswith('#') and line[:5] in reqs:\n"
                "                    reqs[line[:5]] = line[5:]\n"
                "    return [k + v for k, v in sorted(reqs.items())]\n"
                "setup(name='app', version='1', "
                "install_requires=load_requirements('requirements/base.in'))\n"
            ),
        },
    )
    assert sp.dynamic["dependencies"] == {"file": ["requirements/base.in"]}
