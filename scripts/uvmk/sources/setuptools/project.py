"""setup.py's setup() keywords as a [project] table, [tool.setuptools] and [build-system].

Each keyword is read on its own: a literal or a value the evaluator can follow is carried over;
build steps [project] cannot say (ext_modules, cmdclass, data_files...) keep setup.py, and
metadata it cannot follow is declared `dynamic`, so setuptools still takes it from the kept
setup.py. Only what the migration itself needs and cannot read is refused: the name, the
dependencies, or a setup(**...) whose keywords are unknown.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import tomlkit
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from uvmk.sources.setuptools.evaluate import (
    Evaluator,
    Extension,
    FindPackages,
    ModuleAttr,
    Unknown,
    literal_assignment,
)
from uvmk.sources.setuptools.setup_cfg import SetupCfgError, cfg_keywords, has_setup_cfg_project


class SetupPyError(Exception):
    """One line naming the construct and its setup.py line."""


@dataclass
class SetupPyProject:
    project: dict[str, Any] = field(default_factory=dict)
    dynamic: dict[str, Any] = field(default_factory=dict)  # [tool.setuptools.dynamic]
    setuptools: dict[str, Any] = field(default_factory=dict)  # [tool.setuptools]
    build_requires: list[str] = field(default_factory=lambda: ["setuptools>=61"])
    carried: list[str] = field(default_factory=list)  # "install_requires (setup.py:12)"
    kept_for: list[str] = field(default_factory=list)  # why setup.py stays
    dropped: list[str] = field(default_factory=list)  # keywords left out, with why
    reads: list[str] = field(default_factory=list)  # files setup.py reads when it runs
    extras_files: dict[str, list[str]] = field(default_factory=dict)  # file -> extras it gave
    setuptools_exists: bool = False  # pyproject has its own [tool.setuptools] already
    left_in_cfg: list[str] = field(default_factory=list)  # dynamic, setup.cfg still gives it
    has_setup_py: bool = True  # False: setup.cfg alone holds the project
    # the repo's own modules setup.py imports ("mypkg (setup.py:3)"): a kept setup.py then
    # builds only with its folder on sys.path, as setuptools' __legacy__ backend puts it
    imports_own: list[str] = field(default_factory=list)

    @property
    def build_backend(self) -> str:
        if self.keep_setup_py and self.imports_own:
            return "setuptools.build_meta:__legacy__"
        return "setuptools.build_meta"

    @property
    def keep_setup_py(self) -> bool:
        return bool(self.kept_for)

    def beside(self, existing: Any) -> None:
        """Fit next to a pyproject that already has [tool.setuptools] (`existing`, a table):
        its options stay pyproject's, setup.py stays for its own, and a second
        [tool.setuptools.dynamic] cannot be written."""
        if not isinstance(existing, dict):
            return
        if self.dynamic and "dynamic" in existing:
            raise SetupPyError(
                "pyproject.toml already has [tool.setuptools.dynamic] and setup.py's "
                f"{', '.join(self.dynamic)} would need one too: merge them by hand first "
                "(pyproject.toml:1)"
            )
        if self.setuptools:
            self.kept_for.append(
                f"its build options ({', '.join(self.setuptools)}), beside pyproject.toml's own "
                "[tool.setuptools] (setup.py:1)"
            )
            self.setuptools = {}
        self.setuptools_exists = True

    def toml(self, *, build_system: bool = True) -> str:
        doc = tomlkit.document()
        project = tomlkit.table()
        for key, value in self.project.items():
            if key in _SUBTABLES:
                table = tomlkit.table()
                for k, v in value.items():
                    table.add(k, _toml_value(v) if key != "entry-points" else _subtable(v))
                project.add(key, table)
            elif key == "dynamic":
                project.add(key, value)  # one line: a short list of field names
            else:
                project.add(key, _toml_value(value))
        doc.add("project", project)
        if build_system:
            build = tomlkit.table()
            build.add("requires", self.build_requires)
            build.add("build-backend", self.build_backend)
            doc.add("build-system", build)
        if self.setuptools or self.dynamic:
            tool = tomlkit.table(is_super_table=True)
            # only a header when it holds no key of its own
            setuptools = tomlkit.table(is_super_table=self.setuptools_exists or not self.setuptools)
            for key, value in self.setuptools.items():
                if key == "packages" and isinstance(value, dict):  # [tool.setuptools.packages.find]
                    packages = tomlkit.table()
                    packages.add("find", _subtable(value["find"]))
                    setuptools.add(key, packages)
                elif isinstance(value, dict):
                    setuptools.add(key, _subtable(value))
                else:
                    setuptools.add(key, _toml_value(value))
            if self.dynamic:
                setuptools.add("dynamic", _subtable(self.dynamic))
            tool.add("setuptools", setuptools)
            doc.add("tool", tool)
        return tomlkit.dumps(doc)


_METADATA = {
    "version": "version",
    "description": "description",
    "long_description": "readme",
    "author": "authors",
    "author_email": "authors",
    "maintainer": "maintainers",
    "maintainer_email": "maintainers",
    "url": "urls",
    "download_url": "urls",
    "project_urls": "urls",
    "license": "license",
    "keywords": "keywords",
    "classifiers": "classifiers",
    "python_requires": "requires-python",
    "extras_require": "optional-dependencies",
    "entry_points": "entry-points",
}
_DROPPED = {
    "zip_safe": "obsolete: wheels are never zipped eggs",
    "test_suite": "`setup.py test` is gone from setuptools; run the tests with make test",
    "tests_require": "`setup.py test` is gone from setuptools; test tools belong in a group",
    "dependency_links": "pip has ignored dependency_links since 19.0",
    "platforms": "no longer used by installers",
    "license_file": "setuptools includes LICENSE*, COPYING*, NOTICE*, AUTHORS* by default",
    "license_files": "setuptools includes LICENSE*, COPYING*, NOTICE*, AUTHORS* by default",
}
_BUILD_STEPS = {
    "ext_modules": "C/Cython extensions are built by setup.py",
    "cmdclass": "custom build commands",
    "data_files": "data_files has no [project] equivalent",
    "distclass": "a custom Distribution class",
    "cffi_modules": "cffi modules are built by setup.py",
    "rust_extensions": "Rust extensions are built by setup.py",
    "use_scm_version": "setuptools-scm computes the version",
    "namespace_packages": "pkg_resources namespace packages",
}
_LIST_OPTIONS = {"py_modules": "py-modules", "scripts": "script-files"}
_DICT_OPTIONS = {
    "package_dir": "package-dir",
    "package_data": "package-data",
    "exclude_package_data": "exclude-package-data",
}
_REQUIREMENT_FILE = re.compile(r"\.(txt|in|pip)$|requirements", re.I)


def read_setup_py(root: Path) -> SetupPyProject | None:
    """None without a setuptools project: no setup.py, and no setup.cfg [metadata]/[options].
    A bare setup() shim, or a setup.cfg alone, is read the same way, every keyword from
    setup.cfg."""
    try:
        return _read(root)
    except SetupCfgError as exc:
        raise SetupPyError(str(exc)) from None


def _read(root: Path) -> SetupPyProject | None:
    path = root / "setup.py"
    if not path.is_file():
        if not has_setup_cfg_project(root):
            return None
        result = _convert(Evaluator(root, ast.parse("")), {}, 1, [])
        result.has_setup_py = False
        return result
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        tree = ast.parse(text, filename="setup.py")
    except SyntaxError as exc:
        raise SetupPyError(
            f"setup.py is not valid Python: {exc.msg} (setup.py:{exc.lineno})"
        ) from None
    ev = Evaluator(root, tree)
    ev.run_module()
    if ev.setup_call is None:
        ev.wrapped_setup()
    call = ev.setup_call
    if call is None:
        line = _first_line_naming(text, "setup")
        raise SetupPyError(
            f"setup.py: no setup() call found that can be read without running it (setup.py:{line})"
        )
    module_reads = list(ev.reads)  # files read before setup() is called
    result = _convert(ev, _keywords(ev, call), call.lineno, module_reads)
    result.imports_own = _own_imports(root, tree)
    return result


def _own_imports(root: Path, tree: ast.Module) -> list[str]:
    """The modules at the repo's root that setup.py imports (`from mypkg import __version__`,
    `import versioneer`): PEP 517's isolated build finds them only through __legacy__."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if (root / f"{top}.py").is_file() or (root / top / "__init__.py").is_file():
                found.append(f"{top} (setup.py:{node.lineno})")
    return list(dict.fromkeys(found))


def _convert(
    ev: Evaluator, keywords: dict[str, _Keyword], line: int, module_reads: list[str]
) -> SetupPyProject:
    """setup()'s keywords, and setup.cfg's for the metadata it leaves out, as pyproject."""
    for key, (value, cfg_line, reads) in cfg_keywords(ev.root).items():
        keywords.setdefault(key, _Keyword(value, cfg_line, None, reads, "setup.cfg"))
    result = SetupPyProject(reads=module_reads)
    _Convert(ev, result, keywords, line).run()
    if ev.env_reads:
        names = ", ".join(dict.fromkeys(ev.env_reads))
        result.dropped.append(
            f"reads the environment ({names}): read as unset, as a plain `pip install .` has it"
        )
    result.reads = sorted(set(result.reads))
    return result


@dataclass
class _Keyword:
    value: Any
    line: int
    node: ast.expr | None
    reads: list[str]
    file: str = "setup.py"  # or setup.cfg, for a key setup.py leaves to it

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _keywords(ev: Evaluator, call: ast.Call) -> dict[str, _Keyword]:
    if call.args:
        raise SetupPyError(
            f"setup() takes positional arguments, which cannot be read (setup.py:{call.lineno})"
        )
    out: dict[str, _Keyword] = {}
    for kw in call.keywords:
        ev.reads = []
        if kw.arg is not None:
            value = ev.eval_soft(kw.value, ev.setup_scope)
            out[kw.arg] = _Keyword(value, kw.value.lineno, kw.value, ev.reads)
            continue
        spread = ev.eval_soft(kw.value, ev.setup_scope)
        if isinstance(spread, Unknown) and isinstance(kw.value, ast.Name):
            stored = _stored_entries(ev, kw.value.id)
            if stored is not None:
                out.update(stored)
                continue
        if not isinstance(spread, dict) or not all(isinstance(k, str) for k in spread):
            construct = ast.unparse(kw)
            raise SetupPyError(
                f"setup({construct}): its keywords are computed, which cannot be read without "
                f"running setup.py (setup.py:{kw.value.lineno})"
            )
        literal = _literal_entries(kw.value, ev)
        for key, value in spread.items():
            node = literal.get(key)
            if node is None:
                out[key] = _Keyword(value, kw.value.lineno, None, [])
                continue
            ev.reads = []  # read again, one entry at a time, to know which files each reads
            value = ev.eval_soft(node, ev.setup_scope)
            out[key] = _Keyword(value, node.lineno, node, ev.reads)
    return out


def _stored_entries(ev: Evaluator, name: str) -> dict[str, _Keyword] | None:
    """`kwargs = {}` filled by `kwargs["key"] = value` at module level, some of it under a
    condition it cannot decide (`if platform...: kwargs["ext_modules"] = [...]`): each key
    is known even when the dict is not. A key set under a condition is computed; None when the
    dict is used any other way (update(), passed to a function...)."""
    out: dict[str, _Keyword] = {}
    conditional: set[int] = set()
    for stmt in ev.tree.body:
        if isinstance(stmt, (ast.If, ast.For, ast.While, ast.Try)):
            conditional |= {id(n) for n in ast.walk(stmt)}
    for node in ast.walk(ev.tree):
        if not (isinstance(node, ast.Name) and node.id == name):
            continue
        parent = _parents(ev.tree).get(id(node))
        if isinstance(parent, ast.Assign) and node in parent.targets:
            if not (isinstance(parent.value, ast.Dict) and not parent.value.keys):
                return None  # bound to something else than an empty dict
            continue
        if isinstance(parent, ast.keyword) and parent.arg is None:
            continue  # setup(**kwargs)
        if not (
            isinstance(parent, ast.Subscript)
            and isinstance(parent.ctx, ast.Store)
            and isinstance(parent.slice, ast.Constant)
            and isinstance(parent.slice.value, str)
        ):
            return None
        store = _parents(ev.tree).get(id(parent))
        if not isinstance(store, ast.Assign):
            return None
        key = parent.slice.value
        if id(store) in conditional:
            why = Unknown(f"{name}[{key!r}] set under a condition", store.lineno)
            out[key] = _Keyword(why, store.lineno, None, [])
        else:
            ev.reads = []
            value = ev.eval_soft(store.value, ev.setup_scope)
            out[key] = _Keyword(value, store.lineno, store.value, ev.reads)
    return out


_PARENTS: dict[int, dict[int, ast.AST]] = {}


def _parents(tree: ast.Module) -> dict[int, ast.AST]:
    if id(tree) not in _PARENTS:
        _PARENTS.clear()
        _PARENTS[id(tree)] = {
            id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
        }
    return _PARENTS[id(tree)]


def _literal_entries(node: ast.expr, ev: Evaluator) -> dict[str, ast.expr]:
    """The value written for each key of a `**kwargs` dict: a dict literal or dict(...) call,
    given in place or bound once at module level."""
    if isinstance(node, ast.Name):
        name = node.id
        for stmt in ev.tree.body:
            if isinstance(stmt, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in stmt.targets
            ):
                node = stmt.value
    if isinstance(node, ast.Dict):
        return {
            k.value: v
            for k, v in zip(node.keys, node.values, strict=True)
            if isinstance(k, ast.Constant) and isinstance(k.value, str)
        }
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        return {kw.arg: kw.value for kw in node.keywords if kw.arg is not None}
    return {}


class _Convert:
    def __init__(self, ev: Evaluator, out: SetupPyProject, kws: dict[str, _Keyword], line: int):
        self.ev, self.out, self.kws, self.line = ev, out, kws, line
        self.dynamic_fields: list[str] = []
        self.seen: set[str] = set()
        self.module_reads = list(out.reads)  # files read before setup() is called

    def run(self) -> None:
        p = self.out.project
        p["name"] = self._name()
        self._version()
        for key in ("description",):
            self._text(key, key)
        self._readme()
        self._people("author", "authors")
        self._people("maintainer", "maintainers")
        self._license()
        self._list_of_strings("keywords", "keywords", split=True)
        self._list_of_strings("classifiers", "classifiers")
        self._urls()
        self._text("python_requires", "requires-python")
        self._dependencies()
        self._extras()
        self._entry_points()
        self._options()
        for key in self.kws:
            if key not in self.seen:
                self._keep(key, _BUILD_STEPS.get(key, "a setuptools option [project] cannot say"))
        if self.dynamic_fields:
            p["dynamic"] = sorted(set(self.dynamic_fields))
        for kw in self.kws.values():
            self.out.reads.extend(kw.reads)
        # the order uv and the packaging guide use
        order = [
            "name", "version", "description", "readme", "requires-python", "license", "authors",
            "maintainers", "keywords", "classifiers", "dynamic", "dependencies",
            "optional-dependencies", "urls", "scripts", "gui-scripts", "entry-points",
        ]  # fmt: skip
        self.out.project = {k: p[k] for k in order if k in p}

    def _take(self, key: str) -> _Keyword | None:
        self.seen.add(key)
        return self.kws.get(key)

    def _carry(self, key: str, kw: _Keyword) -> None:
        self.out.carried.append(f"{key} ({kw.where})")

    def _keep(self, key: str, why: str) -> None:
        kw = self.kws[key]
        if (
            kw.file == "setup.cfg"
        ):  # setup.cfg stays, and setuptools reads it with or without setup.py
            self.out.left_in_cfg.append(f"{key}: {why} ({kw.where})")
        else:
            self.out.kept_for.append(f"{key}: {why} ({kw.where})")

    def _computed(self, key: str, field_name: str, kw: _Keyword, why: str | None = None) -> None:
        """Metadata it cannot follow: declared dynamic, setuptools takes it from setup.py."""
        self.dynamic_fields.append(field_name)
        unknown = kw.value if isinstance(kw.value, Unknown) else None
        if why is None:
            why = f"computed by {unknown.construct}" if unknown else "not a value [project] holds"
        self._keep(key, f"{why}; declared dynamic, setuptools reads it from {kw.file}")

    def _name(self) -> str:
        kw = self._take("name")
        if kw is None:
            from_py = any(k.file == "setup.py" for k in self.kws.values())
            cfg = not from_py and (self.ev.root / "setup.cfg").is_file()
            where = "setup.cfg:1" if cfg else f"setup.py:{self.line}"
            raise SetupPyError(
                f"neither setup() nor setup.cfg [metadata] gives a name, which [project] needs "
                f"({where})"
            )
        if not isinstance(kw.value, str) or not kw.value.strip():
            raise SetupPyError(
                f"setup(name=...) is {_what(kw.value)}, and [project] name must be a literal "
                f"({kw.where})"
            )
        self._carry("name", kw)
        return kw.value.strip()

    def _version(self) -> None:
        kw = self._take("version")
        if kw is None:
            self.out.project["version"] = "0.0.0"
            self.out.dropped.append(
                "version: setup() gives none, so setuptools built 0.0.0; [project] says so"
            )
            return
        attr = self._version_attr(kw)
        if attr is not None:
            self.dynamic_fields.append("version")
            self.out.dynamic["version"] = {"attr": attr}
            self._carry("version", kw)
            return
        version_file = self._version_file(kw)
        if version_file is not None:
            self.dynamic_fields.append("version")
            self.out.dynamic["version"] = {"file": version_file}
            self._carry("version", kw)
            return
        if isinstance(kw.value, str):
            self.out.project["version"] = kw.value
            self._carry("version", kw)
            sources = [
                r for r in dict.fromkeys([*kw.reads, *self.module_reads]) if r.endswith(".py")
            ]
            if sources and not isinstance(kw.node, ast.Constant):  # attr would have to import it
                self.out.dropped.append(
                    f"version ({kw.where}): {kw.value} is computed in {', '.join(sources)}, "
                    "so [project] holds it as written: bump it there and in pyproject.toml"
                )
            return
        self._computed("version", "version", kw)

    def _version_file(self, kw: _Keyword) -> str | None:
        """A version kept alone in a text file (`supervisor/version.txt`): setuptools reads it."""
        if not isinstance(kw.value, str):
            return None
        for rel in dict.fromkeys([*kw.reads, *self.module_reads]):
            if rel.endswith(".py") or not (self.ev.root / rel).is_file():
                continue
            if (self.ev.root / rel).read_text("utf-8", "replace").strip() == kw.value.strip():
                return rel
        return None

    def _version_attr(self, kw: _Keyword) -> str | None:
        """The module attribute the version is single-sourced from (`pkg.__version__`), when
        setuptools can read it statically (a literal there)."""
        value = kw.value
        if isinstance(value, ModuleAttr) and value.attr and kw.file == "setup.cfg":
            return f"{value.module}.{value.attr}"  # setup.cfg's attr: is pyproject's, word for word
        if isinstance(value, ModuleAttr) and value.attr:
            if isinstance(self.ev.module_literal(value, kw.line), str):
                return f"{value.module}.{value.attr}"
            return None
        if not isinstance(value, str):
            return None
        for rel in [*kw.reads, *self.module_reads]:
            if not rel.endswith(".py"):
                continue
            text = (self.ev.root / rel).read_text("utf-8", "replace")
            for name in ("__version__", "VERSION", "version", "__VERSION__"):
                if literal_assignment(text, name) == value:
                    return f"{self._module_of(rel)}.{name}"
        return None

    def _module_of(self, rel: str) -> str:
        path = rel
        package_dir = self.kws.get("package_dir")
        roots = ["src/"]
        if package_dir is not None and isinstance(package_dir.value, dict):
            base = package_dir.value.get("")
            if isinstance(base, str) and base:
                roots.insert(0, base.rstrip("/") + "/")
        for prefix in roots:
            if path.startswith(prefix):
                path = path[len(prefix) :]
                break
        return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")

    def _text(self, key: str, field_name: str) -> None:
        kw = self._take(key)
        if kw is None:
            return
        if isinstance(kw.value, str):
            if kw.value.strip():
                self.out.project[field_name] = (
                    kw.value.strip() if key == "description" else kw.value
                )
            self._carry(key, kw)
        else:
            self._computed(key, field_name, kw)

    def _readme(self) -> None:
        kw = self._take("long_description")
        ctype = self._take("long_description_content_type")
        if kw is None:
            return
        content_type = ctype.value if ctype is not None and isinstance(ctype.value, str) else None
        value = kw.value
        if isinstance(value, str):
            candidates = dict.fromkeys([*kw.reads, *self.module_reads])
            files = [
                r
                for r in candidates
                if _same_text(value, (self.ev.root / r).read_text("utf-8", "replace"))
            ]
            if files:
                suffix = PurePosixPath(files[0]).suffix.lower()
                implied = {".md": "text/markdown", ".rst": "text/x-rst", ".txt": "text/plain"}
                if suffix in implied and content_type in (None, implied[suffix]):
                    self.out.project["readme"] = files[0]
                else:
                    self.out.project["readme"] = {
                        "file": files[0],
                        "content-type": content_type or "text/plain",
                    }
                self._carry("long_description", kw)
                return
            if isinstance(kw.node, ast.Constant):
                if value.strip():
                    self.out.project["readme"] = {
                        "text": value,
                        "content-type": content_type or "text/plain",
                    }
                self._carry("long_description", kw)
                return
        if isinstance(value, str) and kw.file == "setup.cfg" and len(kw.reads) > 1:
            # `file: README.md, CHANGES.md`: setuptools joins the files from pyproject too
            self.dynamic_fields.append("readme")
            self.out.dynamic["readme"] = {
                "file": list(kw.reads),
                "content-type": content_type or "text/plain",
            }
            self._carry("long_description", kw)
            return
        why = "text that is not one file's content" if isinstance(value, str) else None
        self._computed("long_description", "readme", kw, why)

    def _people(self, key: str, field_name: str) -> None:
        name_kw, email_kw = self._take(key), self._take(f"{key}_email")
        if name_kw is None and email_kw is None:
            return
        person: dict[str, str] = {}
        for kw, part in ((name_kw, "name"), (email_kw, "email")):
            if kw is None:
                continue
            if not isinstance(kw.value, str):
                self._computed(key if part == "name" else f"{key}_email", field_name, kw)
                return
            if kw.value.strip():
                person[part] = kw.value.strip()
            self._carry(key if part == "name" else f"{key}_email", kw)
        if person:
            self.out.project[field_name] = [person]

    def _license(self) -> None:
        kw = self._take("license")
        if kw is None:
            return
        if not isinstance(kw.value, str):
            self._computed("license", "license", kw)
            return
        text = kw.value.strip()
        if not text:
            return
        spdx = _spdx(text)
        classifiers = self.kws.get("classifiers")
        if classifiers is not None and any(
            str(c).startswith("License ::") for c in getattr(classifiers, "value", None) or ()
        ):
            spdx = None  # setuptools refuses an SPDX license next to License :: classifiers
        if spdx is not None:
            self.out.project["license"] = spdx
            self.out.build_requires[0] = "setuptools>=77"
        else:
            self.out.project["license"] = {"text": text}
        self._carry("license", kw)

    def _list_of_strings(self, key: str, field_name: str, *, split: bool = False) -> None:
        kw = self._take(key)
        if kw is None:
            return
        value = kw.value
        if split and isinstance(value, str):
            value = [w for w in re.split(r"[,\s]+" if "," not in value else r"\s*,\s*", value) if w]
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            if value:
                self.out.project[field_name] = list(value)
            self._carry(key, kw)
        else:
            self._computed(key, field_name, kw)

    def _urls(self) -> None:
        urls: dict[str, str] = {}
        for key, label in (("url", "Homepage"), ("download_url", "Download")):
            kw = self._take(key)
            if kw is None:
                continue
            if isinstance(kw.value, str):
                if kw.value.strip():
                    urls[label] = kw.value.strip()
                self._carry(key, kw)
            else:
                self._computed(key, "urls", kw)
        kw = self._take("project_urls")
        if kw is not None:
            if isinstance(kw.value, dict) and all(
                isinstance(k, str) and isinstance(v, str) for k, v in kw.value.items()
            ):
                urls.update(kw.value)
                self._carry("project_urls", kw)
            else:
                self._computed("project_urls", "urls", kw)
        if urls:
            self.out.project["urls"] = urls

    def _dependencies(self) -> None:
        kw = self._take("install_requires")
        if kw is None:
            self.out.project["dependencies"] = []
            return
        items = _requirement_list(kw.value)
        files = _requirement_files(self.ev.root, kw.reads, self.module_reads, items)
        if files and items is not None:
            self.dynamic_fields.append("dependencies")
            self.out.dynamic["dependencies"] = {"file": files}
            self._carry("install_requires", kw)
            return
        if items is None:
            raise SetupPyError(
                f"setup(install_requires=...) is {_what(kw.value)}: the dependencies cannot be "
                f"read without running setup.py ({kw.where})"
            )
        self.out.project["dependencies"] = [
            _checked(r, "install_requires", kw.where) for r in items
        ]
        self._carry("install_requires", kw)

    def _extras(self) -> None:
        kw = self._take("extras_require")
        if kw is None:
            return
        if not isinstance(kw.value, dict):
            raise SetupPyError(
                f"setup(extras_require=...) is {_what(kw.value)}: the extras cannot be read "
                f"without running setup.py ({kw.where})"
            )
        extras: dict[str, list[str]] = {}
        for key, value in kw.value.items():
            items = _requirement_list(value)
            if not isinstance(key, str) or items is None:
                raise SetupPyError(
                    f"setup(extras_require={{{key!r}: ...}}) is {_what(value)}: the extra cannot "
                    f"be read without running setup.py ({kw.where})"
                )
            extra, _, marker = key.partition(":")
            extras.setdefault(extra.strip(), [])  # an empty extra still installs
            for item in items:
                text = _checked(item, f"extras_require[{key!r}]", kw.where)
                if marker:
                    req = Requirement(text)
                    both = f"({req.marker}) and ({marker})" if req.marker else marker
                    req.marker = None
                    text = f"{req}; {both}"
                extras.setdefault(extra.strip(), []).append(text)
        for extra, items in extras.items():
            reads = [*kw.reads, *self.module_reads]
            for rel in _requirement_files(self.ev.root, [], reads, items):
                self.out.extras_files.setdefault(rel, []).append(extra)
        if extras:
            self.out.project["optional-dependencies"] = extras
        self._carry("extras_require", kw)

    def _entry_points(self) -> None:
        kw = self._take("entry_points")
        if kw is None:
            return
        groups = _entry_point_groups(kw.value)
        if groups is None:
            self._computed("entry_points", "scripts", kw)
            self.dynamic_fields += ["gui-scripts", "entry-points"]
            return
        for group, entries in groups.items():
            field_name = {"console_scripts": "scripts", "gui_scripts": "gui-scripts"}.get(group)
            if field_name:
                self.out.project[field_name] = entries
            else:
                self.out.project.setdefault("entry-points", {})[group] = entries
        self._carry("entry_points", kw)

    def _options(self) -> None:
        """The build options [tool.setuptools] holds; a computed one keeps setup.py."""
        st = self.out.setuptools
        kw = self._take("packages")
        if kw is not None:
            if isinstance(kw.value, FindPackages):
                find: dict[str, Any] = {}
                if kw.value.where not in (".", ""):
                    find["where"] = [kw.value.where]
                if kw.value.include:
                    find["include"] = kw.value.include
                if kw.value.exclude:
                    find["exclude"] = kw.value.exclude
                find["namespaces"] = kw.value.namespaces
                st["packages"] = {"find": find}
                self._carry("packages", kw)
            elif _strings(kw.value):
                st["packages"] = list(kw.value)
                self._carry("packages", kw)
            else:
                self._keep("packages", f"computed by {_what(kw.value)}")
        for key, option in _LIST_OPTIONS.items():
            kw = self._take(key)
            if kw is None:
                continue
            if _strings(kw.value):
                st[option] = list(kw.value)
                self._carry(key, kw)
            else:
                self._keep(key, f"computed by {_what(kw.value)}")
        for key, option in _DICT_OPTIONS.items():
            kw = self._take(key)
            if kw is None:
                continue
            value = kw.value
            if isinstance(value, dict) and all(
                isinstance(k, str) and (isinstance(v, str) or _strings(v)) for k, v in value.items()
            ):
                st[option] = _by_package(value) if option != "package-dir" else dict(value)
                self._carry(key, kw)
            else:
                self._keep(key, f"computed by {_what(value)}")
        kw = self._take("include_package_data")
        if kw is not None:
            if isinstance(kw.value, bool):
                st["include-package-data"] = kw.value
                self._carry("include_package_data", kw)
            else:
                self._keep("include_package_data", f"computed by {_what(kw.value)}")
        elif not _cfg_sets(self.ev.root, "include_package_data"):
            # setup.py's default is False, [project]'s is True: say the old one, or the wheel
            # grows every file MANIFEST.in lists (tornado's speedups.c)
            st["include-package-data"] = False
        for key, why in _DROPPED.items():
            kw = self._take(key)
            if kw is None or not why:
                continue
            self.out.dropped.append(f"{key} ({kw.where}): {why}")
        kw = self._take("setup_requires")
        if kw is not None:
            items = _requirement_list(kw.value)
            if items is None:
                self._keep("setup_requires", f"computed by {_what(kw.value)}")
            else:
                self.out.build_requires += [_checked(r, "setup_requires", kw.where) for r in items]
                self._carry("setup_requires", kw)


def _by_package(value: dict[str, Any]) -> dict[str, list[str]]:
    """package_data's {package: globs}: setup.py's "" (every package) is spelled "*" in
    pyproject, whose schema refuses ""; a lone glob string is a list of one."""
    out: dict[str, list[str]] = {}
    for package, globs in value.items():
        merged = out.setdefault(package or "*", [])
        merged += [g for g in ([globs] if isinstance(globs, str) else globs) if g not in merged]
    return out


def _cfg_sets(root: Path, option: str) -> bool:
    cfg = root / "setup.cfg"
    text = cfg.read_text("utf-8", "replace") if cfg.is_file() else ""
    return re.search(rf"(?m)^\s*{option}\s*[=:]", text) is not None


def _requirement_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [
            ln.split(" #", 1)[0].strip()
            for ln in value.splitlines()
            if ln.strip() and not ln.strip().startswith("#")
        ]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        # setuptools skips blank and comment lines in a list too
        return [v.strip() for v in value if v.strip() and not v.strip().startswith("#")]
    return None


def _requirement_files(
    root: Path, reads: list[str], module_reads: list[str], items: list[str] | None
) -> list[str]:
    """The requirements files a keyword's value came from: read while evaluating it, or read
    earlier at module level (`REQS = open(...).read().splitlines()`) when every item is one of
    their lines."""

    def is_requirements(rel: str) -> bool:
        return bool(_REQUIREMENT_FILE.search(rel)) and not rel.endswith((".py", ".md", ".rst"))

    direct = [r for r in dict.fromkeys(reads) if is_requirements(r)]
    if items and direct:
        # a file is the keyword's when every line of it installs: a helper that also reads a
        # constraints file to pin what the first one lists (openedx's load_requirements)
        # installs no line of it but those the first file names too
        wanted = _names(items)
        direct = [r for r in direct if _names(_file_lines(root, r)) <= wanted]
    if direct or not items:
        return direct
    earlier = [r for r in dict.fromkeys(module_reads) if is_requirements(r)]
    lines = {
        rel: {
            re.sub(r"(^|\s)#.*", "", ln).strip()
            for ln in (root / rel).read_text("utf-8", "replace").splitlines()
        }
        for rel in earlier
    }
    if all(any(item in found for found in lines.values()) for item in items):
        return [rel for rel, found in lines.items() if found & set(items)]
    return []


def _file_lines(root: Path, rel: str) -> list[str]:
    """A requirements file's requirement lines, comments and options (`-c`, `-r`) left out."""
    text = (root / rel).read_text("utf-8", "replace")
    lines = (re.sub(r"(^|\s)#.*", "", ln).strip() for ln in text.splitlines())
    return [ln for ln in lines if ln and not ln.startswith("-")]


def _names(requirements: list[str]) -> set[str]:
    """The canonical names of the PEP 508 strings among `requirements`."""
    names: set[str] = set()
    for text in requirements:
        try:
            names.add(canonicalize_name(Requirement(text).name))
        except InvalidRequirement:
            continue
    return names


def _checked(text: str, key: str, where: str) -> str:
    try:
        Requirement(text)
    except InvalidRequirement:
        raise SetupPyError(
            f"setup({key}=...) lists {text!r}, not a PEP 508 requirement ({where})"
        ) from None
    return text


def _entry_point_groups(value: Any) -> dict[str, dict[str, str]] | None:
    if isinstance(value, str):
        groups: dict[str, list[str]] = {}
        current = None
        for raw in value.splitlines():
            line = raw.strip()
            if not line or line.startswith(("#", ";")):
                continue
            if line.startswith("[") and line.endswith("]"):
                current = line[1:-1].strip()
                groups[current] = []
            elif current is None:
                return None
            else:
                groups[current].append(line)
        value = groups
    if not isinstance(value, dict):
        return None
    out: dict[str, dict[str, str]] = {}
    for group, entries in value.items():
        if isinstance(entries, str):
            entries = [e for e in entries.splitlines() if e.strip()]
        if not isinstance(group, str) or not _strings(entries):
            return None
        out[group] = {}
        for entry in entries:
            name, sep, target = entry.partition("=")
            if not sep:
                return None
            out[group][name.strip()] = target.strip()
    return out


def _strings(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def _same_text(a: str, b: str) -> bool:
    return a.strip() == b.strip()


def _spdx(text: str) -> str | None:
    try:
        from packaging.licenses import (  # packaging >= 24.2
            InvalidLicenseExpression,
            canonicalize_license_expression,
        )
    except ImportError:
        return None
    try:
        return str(canonicalize_license_expression(text))
    except InvalidLicenseExpression:
        return None


def _what(value: Any) -> str:
    if isinstance(value, Unknown):
        return f"computed by {value.construct}"
    if isinstance(value, ModuleAttr):
        return f"imported from {value.module}"
    if isinstance(value, (FindPackages, Extension)):
        return type(value).__name__
    return f"a {type(value).__name__}"


def _first_line_naming(text: str, word: str) -> int:
    for n, line in enumerate(text.splitlines(), 1):
        if re.search(rf"\b{word}\b", line):
            return n
    return 1


_SUBTABLES = ("optional-dependencies", "urls", "scripts", "gui-scripts", "entry-points")


def _subtable(value: dict[str, Any]) -> Any:
    table = tomlkit.table()
    for k, v in value.items():
        table.add(k, _toml_value(v))
    return table


def _toml_value(value: Any) -> Any:
    """Lists of strings one a line (the way uv writes dependencies), small tables inline."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        array = tomlkit.array()
        array.extend(value)
        if len(value) > 1:
            array.multiline(True)
        return array
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        array = tomlkit.array()
        for item in value:
            inline = tomlkit.inline_table()
            inline.update(item)
            array.append(inline)
        return array
    if isinstance(value, dict):
        inline = tomlkit.inline_table()
        for k, v in value.items():
            inline.append(k, _toml_value(v) if not isinstance(v, list) else v)
        return inline
    return value
