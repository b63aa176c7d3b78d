"""The engine's shape, checked: one walk of the repository per command, a plan that reads no
file, no import cycle and no import from a higher layer, one door to other processes."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from test_migrate_helpers import FIXTURES, UV_MK, copy_repo, run
from uvmk import proc
from uvmk.rewriters.old_tools import Shape
from uvmk.survey import tree as survey_tree

ENGINE = Path(__file__).resolve().parents[2] / "scripts" / "uvmk"
# The layers, lowest first: a module imports its own layer or lower ones only. The longest
# prefix names a module's layer (the survey's snapshot assembles what the sources detect).
LAYERS: dict[str, int] = {
    **dict.fromkeys(
        (
            "atomic", "proc", "patterns", "contract", "options", "diagnostics", "venv_excludes",
            "lazy_module", "poetry_constraints", "uv_conflicts",
        ),
        0,
    ),
    "survey": 0,
    **dict.fromkeys(("sources", "rewriters"), 1),
    **dict.fromkeys(
        (
            "survey.snapshot", "survey.requirement_files", "elsewhere", "vendor",
            "stale_extras", "unsatisfiable", "same_install", "leftovers", "fetch_failure",
            "verify_needs", "verify_readers", "wheels",
        ),
        2,
    ),
    "facts": 3,
    "plan": 4,
    **dict.fromkeys(("audit", "apply", "verify", "refusals", "workspace"), 5),
    **dict.fromkeys(("report", "check"), 6),
    **dict.fromkeys(("cli", "__main__", ""), 7),
}  # fmt: skip


def _modules(root: Path = ENGINE) -> dict[str, Path]:
    """The modules of the package at `root`, by their dotted name below it ("" is its own
    __init__)."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _packages_above(module: str) -> list[str]:
    """The packages whose __init__ runs before `module` does: "", then each dotted prefix."""
    parts = module.split(".") if module else []
    return [".".join(parts[:n]) for n in range(len(parts))]


def _imports(me: str, path: Path, modules: dict[str, Path], package: str) -> set[str]:
    """The modules of `package` that module `me` (at `path`) runs first (under TYPE_CHECKING
    too), by their name below it. `from pkg import name` reads pkg's __init__ (and is an import
    of pkg.name when that is a module); importing pkg.sub runs pkg/__init__ too, except where
    the importer is inside pkg: its own packages' __init__ began before it could run."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == package:
            base = (node.module or "").removeprefix(package).removeprefix(".")
            found |= {base} | {f"{base}.{a.name}".lstrip(".") for a in node.names}
            found |= set(_packages_above(base)) - set(_packages_above(me))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == package:
                    name = alias.name.removeprefix(package).removeprefix(".")
                    found |= {name} | (set(_packages_above(name)) - set(_packages_above(me)))
    return {m for m in found if m in modules} - {me}


def _cycles(graph: dict[str, set[str]]) -> list[str]:
    """The modules a path of imports leads back to."""
    cycles = []
    for start in graph:  # a cycle through `start`: a path from one of its imports back to it
        seen, todo = set(), list(graph[start])
        while todo:
            m = todo.pop()
            if m == start:
                cycles.append(start)
                break
            if m not in seen:
                seen.add(m)
                todo.extend(graph[m])
    return cycles


def _graph(root: Path = ENGINE, package: str = "uvmk") -> dict[str, set[str]]:
    modules = _modules(root)
    return {m: _imports(m, p, modules, package) for m, p in modules.items()}


def _layer(module: str) -> int:
    if module == "":  # uvmk/__init__ is a docstring: the package every module is in
        return 0
    best = max((k for k in LAYERS if k == "" or module == k or module.startswith(k + ".")), key=len)
    return LAYERS[best]


def test_no_plan_module_reads_a_file() -> None:
    """plan/ decides from the Survey alone: the survey (and its Tree) reads, never the plan."""
    reading = re.compile(r"open\(|read_text\(|read_bytes\(|os\.walk\(|\.rglob\(")
    found = [
        f"{path.relative_to(ENGINE)}:{n}: {line.strip()}"
        for path in sorted((ENGINE / "plan").rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if reading.search(line)
    ]
    assert found == []


def test_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


def _package(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / "pkg" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "pkg" / rel).write_text(text)
    return root / "pkg"


@pytest.mark.parametrize(
    ("reads_yaml", "cycle"),
    [
        # the package's __init__ imports the module, which reads the package for its sibling
        ("from pkg.readers import yaml_lines", ["readers", "readers.ci"]),
        ("from pkg.readers.yaml_lines import load", []),
        ("import pkg.readers.yaml_lines as y", []),
    ],
)
def test_the_cycle_finder_sees_a_module_read_from_its_package(
    reads_yaml: str, cycle: list[str], tmp_path: Path
) -> None:
    pkg = _package(
        tmp_path,
        {
            "__init__.py": "",
            "readers/__init__.py": "from pkg.readers.ci import CI\n",
            "readers/ci.py": f"{reads_yaml}\nCI = 1\n",
            "readers/yaml_lines.py": "def load(): pass\n",
        },
    )
    assert sorted(_cycles(_graph(pkg, "pkg"))) == cycle


def test_importing_a_module_of_a_package_runs_the_package_first(tmp_path: Path) -> None:
    """pkg.b imports pkg.a.x: a's __init__ runs first, and it imports pkg.b."""
    pkg = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a/__init__.py": "from pkg.b import B\n",
            "a/x.py": "X = 1\n",
            "b.py": "from pkg.a.x import X\nB = X\n",
        },
    )
    assert sorted(_cycles(_graph(pkg, "pkg"))) == ["a", "b"]


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        f"{m} ({_layer(m)}) imports {t} ({_layer(t)})"
        for m, imported in _graph().items()
        for t in sorted(imported)
        if _layer(t) > _layer(m)
    ]
    assert upward == []


def test_proc_is_the_one_door_to_other_processes() -> None:
    starting = re.compile(r"\bsubprocess\b|\bos\.(system|exec\w*|spawn\w*|popen)\(")
    found = [
        f"{path.relative_to(ENGINE)}:{n}"
        for path in sorted(ENGINE.rglob("*.py"))
        if path.name != "proc.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if starting.search(line)
    ]
    assert found == []


def _count_listings(monkeypatch: pytest.MonkeyPatch, root: Path) -> list[int]:
    """Counts the listings of `root` itself (os.walk and pathlib list through these two)."""
    listed = [0]
    target = root.resolve()

    def counting(real: Callable[..., Any]) -> Callable[..., Any]:
        def listing(path: Any = ".", *args: Any) -> Any:
            if not isinstance(path, int) and Path(os.fsdecode(path)).resolve() == target:
                listed[0] += 1
            return real(path, *args)

        return listing

    monkeypatch.setattr(os, "scandir", counting(os.scandir))
    monkeypatch.setattr(os, "listdir", counting(os.listdir))
    return listed


@pytest.mark.parametrize(
    ("command", "code", "walks", "listings"),
    [
        (("audit",), 1, 1, 1),
        (("migrate",), 0, 1, 1),
        # apply also lists every path once before it writes, to undo a failed run's new files
        (("migrate", "--apply"), 0, 1, 2),
        (("verify", "--quick"), 1, 1, 1),
    ],
)
def test_a_command_walks_the_repository_once(
    command: tuple[str, ...],
    code: int,
    walks: int,
    listings: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tiny = copy_repo(FIXTURES / "tiny", tmp_path / "tiny")
    before = survey_tree.WALKS[0]
    listed = _count_listings(monkeypatch, tiny)
    result = run(capsys, *command, "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert result.code == code, result.err
    assert (survey_tree.WALKS[0] - before, listed[0]) == (walks, listings)


def _inside_a_work_tree(tmp_path: Path) -> Path:
    """tiny as services/tiny of a bigger git work tree whose Makefile reads its files."""
    top = tmp_path / "big"
    tiny = copy_repo(FIXTURES / "tiny", top / "services" / "tiny")
    (top / "Makefile").write_text("deps:\n\tpip install -r services/tiny/requirements.txt\n")
    (tiny / "deep" / "a" / "b" / "c" / "d" / "e" / "f" / "g" / "h").mkdir(parents=True)
    (tiny / "deep" / "a" / "b" / "c" / "d" / "e" / "f" / "g" / "h" / "Dockerfile").write_text(
        "FROM python:3.12\n"
    )
    proc.run(["git", "init", "-q", str(top)], timeout=30)
    return tiny


def test_a_root_inside_a_bigger_work_tree_is_walked_once_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """ROOT=services/api: the walk of the top finds both the root's files and the readers
    around it (the top's Makefile here)."""
    tiny = _inside_a_work_tree(tmp_path)
    before = survey_tree.WALKS[0]
    listed = _count_listings(monkeypatch, tiny)
    result = run(capsys, "audit", "--root", str(tiny), "--uv-mk", str(UV_MK), "--format", "json")
    assert result.code == 1, result.err
    assert (survey_tree.WALKS[0] - before, listed[0]) == (1, 1)
    assert "../../Makefile" in result.out


def test_a_folder_walked_from_its_work_tree_is_walked_as_on_its_own(tmp_path: Path) -> None:
    tiny = _inside_a_work_tree(tmp_path)
    inside, around = survey_tree.walk_within(tiny)
    alone = survey_tree.walk(tiny)
    assert around is not None and around.root == tiny.parents[1]
    assert (inside.dirs, inside.files, inside.venvs, inside.root_entries) == (
        alone.dirs,
        alone.files,
        alone.venvs,
        alone.root_entries,
    )
    assert inside.venvs and "deep/a/b/c/d/e/f/g/h/Dockerfile" in inside.files


def test_an_audit_reads_each_file_of_the_repository_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyproject.toml, the requirements files, setup.cfg and the Makefile come from the one
    walk's reads (the survey, pip's -r graph and its roles read them again from the disk)."""
    tiny = copy_repo(FIXTURES / "tiny", tmp_path / "tiny")
    (tiny / "setup.cfg").write_text("[flake8]\nmax-line-length = 100\n")
    opened: dict[str, int] = {}

    def counting(real: Callable[..., Any]) -> Callable[..., Any]:
        def opening(file: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, (str, os.PathLike)):
                path = Path(os.fsdecode(file)).resolve()
                if path.is_relative_to(tiny.resolve()):
                    rel = path.relative_to(tiny.resolve()).as_posix()
                    opened[rel] = opened.get(rel, 0) + 1
            return real(file, *args, **kwargs)

        return opening

    # Path.read_bytes/read_text open through Path.open (on 3.10 not through io.open)
    monkeypatch.setattr(Path, "open", counting(Path.open))
    monkeypatch.setattr("builtins.open", counting(open))
    result = run(capsys, "audit", "--root", str(tiny), "--uv-mk", str(UV_MK))
    assert result.code == 1, result.err
    read = ("pyproject.toml", "requirements.txt", "requirements-dev.txt", "setup.cfg", "Makefile")
    assert {rel: opened.get(rel, 0) for rel in read} == dict.fromkeys(read, 1)


def test_readme_layout_names_every_module_of_the_engine() -> None:
    """README's Layout row for scripts/uvmk/ names each top-level module and package, and
    every name in it is one."""
    readme = (ENGINE.parents[1] / "README.md").read_text(encoding="utf-8")
    row = next(ln for ln in readme.splitlines() if ln.startswith("| `scripts/uvmk/` |"))
    named = {n.rstrip("/") for n in re.findall(r"`([a-z_]+/?)`", row.split("|")[2])}
    top = {
        p.stem if p.is_file() else p.name
        for p in ENGINE.iterdir()
        if (p.suffix == ".py" or (p / "__init__.py").is_file()) and not p.name.startswith("__")
    }
    assert top - named == set(), "modules the README's layout does not name"
    anywhere = {p.stem for p in ENGINE.rglob("*.py")} | {
        p.parent.name for p in ENGINE.rglob("*.py")
    }
    assert named - anywhere == set(), "names in the README's layout that are no module"


def test_every_source_and_rewriter_is_exercised_by_a_fixture() -> None:
    """Each registered source detects files in some fixture repository (and each converted
    format converts one), and each rewriter changes some fixture file it applies to."""
    from uvmk.rewriters import REGISTRY as REWRITERS
    from uvmk.sources import REGISTRY as SOURCES
    from uvmk.sources import converted_formats
    from uvmk.survey.tree import walk

    fixtures = ENGINE.parents[1] / "tests" / "fixtures"
    repos = sorted(p.parent for p in fixtures.rglob("*") if p.name in _REPO_MARKERS)
    trees = [walk(repo) for repo in dict.fromkeys(repos)]
    detected = {s.name for s in SOURCES for t in trees if s.detect(t)}
    assert detected == {s.name for s in SOURCES}
    converted = {s.name for s in converted_formats() for t in trees if _converts(s, t)}
    assert converted == {s.name for s in converted_formats()}
    rewritten = {
        r.name
        for r in REWRITERS
        if any(
            r.applies_to(rel, t.kind(rel))
            and r.rewrite(t.text(rel), _FIXTURE_CONTEXT[r.name](t, rel)).changed
            for t in trees
            for rel in t.files
        )
    }
    assert rewritten == {r.name for r in REWRITERS}


def _converts(source: Any, tree: survey_tree.Tree) -> bool:
    """Does the converted format make a project of this fixture (a refused one is no fixture of
    a conversion)?"""
    from uvmk.survey.model import SurveyError
    from uvmk.survey.pyproject_text import read_pyproject

    try:
        return source.convert(tree, *read_pyproject(tree.root, tree)) is not None
    except SurveyError:
        return False


_REPO_MARKERS = frozenset(
    {"pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "requirements.txt", "Makefile"}
)


def _makefile_context(tree: survey_tree.Tree, rel: str) -> dict[str, Any]:
    return {
        "include_path": "uv.mk",
        "venv_dirs": {v.rel for v in tree.venvs},
        "target_venv": ".venv",
    }


def _docs_context(tree: survey_tree.Tree, rel: str) -> dict[str, Any]:
    """The first `pip install -r` line, as if the file it installs were the runtime's."""
    lines = tree.lines(rel)
    n = next((i for i, ln in enumerate(lines, 1) if re.search(r"pip3? install -r", ln)), 1)
    return {"line": n, "role": "runtime", "group": None, "where": f"{rel}:{n}"}


_FIXTURE_CONTEXT: dict[str, Callable[[survey_tree.Tree, str], dict[str, Any]]] = {
    "makefile": _makefile_context,
    "readme": lambda tree, rel: {},
    "docs-lines": _docs_context,
    "setup-py-shim": lambda tree, rel: {"runners": [f"{rel}:1"]},
    "old-tool-lines": lambda tree, rel: {
        "shape": Shape(converted=frozenset({"poetry", "pipenv"})),
        "kind": tree.kind(rel),
        "path": rel,
    },
}


def test_sources_detect_and_read_their_own_files(tmp_path: Path) -> None:
    """Each source names the files it owns; what one source took (setup.py's extras file) is
    not read by pip, and Pipenv's files are the ones the survey converted."""
    from uvmk.survey import snapshot

    (tmp_path / "setup.py").write_text(
        "from setuptools import setup\n\nsetup(\n    name='demo',\n    version='1.0',\n"
        "    extras_require={'test': open('requirements-test.txt').read().splitlines()},\n)\n"
    )
    (tmp_path / "requirements-test.txt").write_text("pytest\n")
    (tmp_path / "requirements.txt").write_text("requests\n")
    s = snapshot.survey(tmp_path)
    assert s.owned["setuptools"] == ("setup.py",)
    assert s.owned["poetry"] == s.owned["pipenv"] == ()
    assert "requirements-test.txt" in s.contributions["setuptools"].owned
    assert s.contributions["pip"].owned == ("requirements.txt",)
    (tmp_path / "setup.py").unlink()
    (tmp_path / "Pipfile").write_text("[packages]\nrequests = '*'\n")
    s = snapshot.survey(tmp_path)
    assert s.owned["pipenv"] == ("Pipfile",)
    assert [f.fate for f in s.contributions["pipenv"].fates] == ["converted"]
    assert s.contributions["pipenv"].said("blocks-apply") == ()
    assert s.pipenv is not None and s.converted is s.pipenv  # the survey converted it


def test_a_docs_line_the_rewriter_cannot_rewrite_comes_back_as_a_reader_left() -> None:
    from uvmk.rewriters.docs_lines import DOCS_LINES

    text = (
        "Run:\n\n    pip install -r requirements.txt\n\nor pip install -r requirements.txt --user\n"
    )
    done = DOCS_LINES.rewrite(text, {"line": 3, "role": "runtime", "where": "README.md:3"})
    assert done.changed and "    uv sync --no-default-groups\n" in done.new_text
    left = DOCS_LINES.rewrite(text, {"line": 5, "role": "runtime", "where": "README.md:5"})
    assert (left.changed, left.readers_left) == (False, ("README.md:5",))


def test_a_kept_makefile_line_reading_a_deleted_file_comes_back_as_a_reader_left() -> None:
    """The Makefile's kept targets that still read a file the plan deletes are its readers
    left (today's line numbers), like the docs lines': the plan keeps or regenerates the file
    from them. `install` is uv.mk's now (removed): it reads nothing any more."""
    from uvmk.rewriters.makefile.rewriter import MAKEFILE

    text = (
        "install:\n\tpip install -r requirements.txt\n\n"
        "docs:\n\tpip install -r docs/requirements.txt\n\tsphinx-build docs out\n\n"
        "sdist:\n\tpython setup.py sdist\n"
    )
    deleted = ("requirements.txt", "docs/requirements.txt", "setup.py")
    done = MAKEFILE.rewrite(text, {"include_path": "uv.mk", "read_files": deleted})
    assert done.changed and done.readers_left == ("Makefile:5", "Makefile:9")
    only = MAKEFILE.rewrite(text, {"include_path": "uv.mk", "read_files": deleted[:1]})
    assert only.readers_left == ()


def test_a_converted_format_enters_the_survey_through_the_registry() -> None:
    """Poetry and Pipenv are registry entries that convert (sources.ConvertedFormat): the
    survey's snapshot imports nothing of their folders, so a new one is a folder and a line."""
    from uvmk.sources import REGISTRY, converted_formats

    formats = converted_formats()
    assert [s.name for s in formats] == ["poetry", "pipenv"]
    assert all(s in REGISTRY for s in formats)
    folders = {type(s).__module__.removeprefix("uvmk.").rsplit(".", 1)[0] for s in formats}
    imported = _graph()["survey.snapshot"]
    assert {m for m in imported if any(m == f or m.startswith(f + ".") for f in folders)} == set()


def test_a_second_converted_format_beside_the_first_is_refused(tmp_path: Path) -> None:
    from uvmk.survey import snapshot

    (tmp_path / "pyproject.toml").write_text(
        '[tool.poetry]\nname = "demo"\nversion = "1.0"\n\n'
        '[tool.poetry.dependencies]\npython = "^3.10"\nrequests = "^2.31"\n'
    )
    (tmp_path / "Pipfile").write_text("[packages]\nrequests = '*'\n")
    s = snapshot.survey(tmp_path)
    assert s.poetry is not None and s.pipenv is None
    assert s.refused[0] == (
        "Pipfile: Pipenv and Poetry (pyproject.toml) both say what installs: keep one, then run "
        "uv-migrate again (Pipfile:1)"
    )


def _fields(node: ast.ClassDef) -> set[str]:
    return {
        s.target.id
        for s in node.body
        if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
    }


def test_a_message_about_a_place_has_one_shape() -> None:
    """What the engine says at a file:line is a diagnostics.Diagnostic (the sources' notes, the
    audit's findings), placed by a diagnostics.Where. pip's planner keeps its own Note (a
    message at a Where, sorted into refusals, notes and conflicts by the list it is in), which
    pip's source hands over as Diagnostics."""
    found = sorted(
        f"{path.relative_to(ENGINE).as_posix()}:{node.name}"
        for path in ENGINE.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
        and ({"message", "where"} <= _fields(node) or {"path", "line"} == _fields(node))
    )
    assert found == [
        "diagnostics.py:Diagnostic",
        "diagnostics.py:Where",
        "sources/pip/grammar.py:Note",
    ]
