"""A small, closed evaluator for setup.py: literals, module-level names, helper functions, and
reading files inside the repo. Nothing is imported or run; an operation it does not know makes
the value Unknown, naming the construct and its line, so one computed keyword does not spoil the
others.

What it runs for real is pure: string and container methods, os.path/pathlib arithmetic, `re`
on file text, and the user's own helper functions, under a step budget. Files are opened only
inside the repo, read-only; every file read is recorded, since a migration must know which files
a setup.py still depends on.
"""

from __future__ import annotations

import ast
import operator
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any


def _words(text: str) -> list[str]:
    return text.split()


_STEP_BUDGET = 200_000
# what the real operations it runs may raise on values of the wrong kind
RUNTIME_ERRORS = (
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    re.error,
    RecursionError,
)
_MAX_DEPTH = 20

# the methods a value may be asked for: none of them reaches outside the value itself
_STR_METHODS = frozenset(
    _words(
        "strip lstrip rstrip split rsplit splitlines startswith endswith replace lower upper "
        "format join partition rpartition find index count removeprefix removesuffix isspace "
        "isdigit isalpha title capitalize casefold encode decode"
    )
)
_LIST_METHODS = frozenset(_words("append extend insert index count pop remove copy sort reverse"))
_DICT_METHODS = frozenset(_words("get items keys values update pop setdefault copy"))
_SET_METHODS = frozenset(_words("add update union difference intersection copy discard"))
_MATCH_METHODS = frozenset(_words("group groups groupdict start end span"))
_PATH_METHODS = frozenset(
    _words("joinpath with_name with_suffix read_text open exists is_file is_dir resolve absolute")
)


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known without running setup.py: what it is and where."""

    construct: str
    line: int

    def __str__(self) -> str:
        return f"{self.construct} (setup.py:{self.line})"


class Unreadable(Exception):
    def __init__(self, unknown: Unknown) -> None:
        super().__init__(str(unknown))
        self.unknown = unknown


@dataclass(frozen=True)
class ModuleAttr:
    """`from pkg import __version__` / `import pkg; pkg.__version__`: a name in a module of the
    project, resolved by reading that module's literal assignment."""

    module: str
    attr: str | None = None


@dataclass(frozen=True)
class Builtin:
    name: str  # os.path.join, open, find_packages, setup...


@dataclass(frozen=True)
class StrMethod:
    """`str.strip` passed as a function (map(str.strip, lines))."""

    name: str


@dataclass
class FindPackages:
    """find_packages()/find_namespace_packages() with literal arguments: setuptools' own
    [tool.setuptools.packages.find] says the same."""

    namespaces: bool
    where: str = "."
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)


@dataclass
class Extension:
    line: int


@dataclass
class TextFile:
    rel: str
    text: str

    def read(self) -> str:
        return self.text

    def readlines(self) -> list[str]:
        return self.text.splitlines(keepends=True)

    def __iter__(self) -> Any:
        return iter(self.readlines())


@dataclass
class Function:
    node: ast.FunctionDef | ast.Lambda
    scope: dict[str, Any]


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


_MODULES: dict[str, dict[str, Any]] = {
    "os": {
        "path": ModuleAttr("os.path"),
        "getcwd": Builtin("os.getcwd"),
        "environ": ModuleAttr("os.environ"),
        "getenv": Builtin("os.getenv"),
    },
    "os.environ": {"get": Builtin("os.getenv")},
    "os.path": {
        name: Builtin(f"os.path.{name}")
        for name in _words("join dirname abspath realpath basename exists isfile isdir normpath")
    },
    "io": {"open": Builtin("open")},
    "codecs": {"open": Builtin("open")},
    "pathlib": {"Path": Builtin("Path")},
    "re": {name: Builtin(f"re.{name}") for name in _words("search match findall compile fullmatch")}
    | {name: getattr(re, name) for name in _words("M MULTILINE S DOTALL I IGNORECASE X VERBOSE")},
    "setuptools": {
        "setup": Builtin("setup"),
        "find_packages": Builtin("find_packages"),
        "find_namespace_packages": Builtin("find_namespace_packages"),
        "Extension": Builtin("Extension"),
    },
    "distutils.core": {"setup": Builtin("setup"), "Extension": Builtin("Extension")},
    "sys": {},
}
_MODULES["setuptools.extension"] = {"Extension": Builtin("Extension")}
_BUILTINS: dict[str, Any] = {
    name: Builtin(name)
    for name in _words(
        "open len str int list tuple dict set sorted reversed enumerate zip filter map any all "
        "min max bool print exec isinstance"
    )
} | {"True": True, "False": False, "None": None, "__name__": "__main__"}
_PURE_BUILTINS: dict[str, Any] = {
    "len": len,
    "str": str,
    "int": int,
    "list": list,
    "tuple": tuple,
    "dict": dict,
    "set": set,
    "sorted": sorted,
    "reversed": lambda x: list(reversed(x)),
    "enumerate": lambda *a: list(enumerate(*a)),
    "zip": lambda *a: list(zip(*a, strict=False)),
    "any": any,
    "all": all,
    "min": min,
    "max": max,
    "bool": bool,
}


class Evaluator:
    """Evaluates setup.py's module body up to its setup() call, then its arguments one by one.
    `reads` collects the files read since the last reset (repo-relative POSIX paths)."""

    def __init__(self, root: Path, tree: ast.Module) -> None:
        self.root = root.resolve()
        self.tree = tree
        self.globals: dict[str, Any] = dict(_BUILTINS)
        self.globals["__file__"] = str(self.root / "setup.py")
        self.reads: list[str] = []
        self.env_reads: list[str] = []  # environment variables setup.py consults
        self.steps = 0
        self.depth = 0
        self.setup_call: ast.Call | None = None
        self.setup_scope: dict[str, Any] = {}

    # -- statements --

    def run_module(self) -> None:
        """Runs the module body to its setup() call (which is recorded, not run)."""
        self._block(self.tree.body, self.globals, top=True)

    def _block(self, body: list[ast.stmt], scope: dict[str, Any], *, top: bool = False) -> None:
        for stmt in body:
            if top and self.setup_call is not None:
                return
            if not top:
                self._stmt(stmt, scope, top)
                continue
            try:
                self._stmt(stmt, scope, top)
            except Unreadable as exc:
                self._poison(stmt, scope, exc.unknown)
            except RUNTIME_ERRORS as exc:
                self._poison(stmt, scope, Unknown(type(exc).__name__, stmt.lineno))

    def _poison(self, stmt: ast.stmt, scope: dict[str, Any], unknown: Unknown) -> None:
        """A module-level statement it cannot follow: what it assigns is unknown, and a setup()
        call inside it is still found."""
        for name in _changed_names(stmt):
            scope[name] = unknown
        self._setup_inside(stmt, scope)

    def _stmt(self, stmt: ast.stmt, scope: dict[str, Any], top: bool) -> None:
        self._tick(stmt)
        value = getattr(stmt, "value", None)
        if top and isinstance(stmt, (ast.Expr, ast.Assign)) and self._contains_setup(value, scope):
            self._record_setup(stmt.value, scope)  # `setup(...)` or `dist = setup(...)`
            return
        if isinstance(stmt, ast.Expr):
            self.eval(stmt.value, scope)  # at module level a failure poisons what it changes
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self._assign(stmt, scope, top)
        elif isinstance(stmt, ast.FunctionDef):
            scope[stmt.name] = Function(stmt, scope)
            if top and self._calls_setup(stmt):
                scope[stmt.name] = Builtin("setup-wrapper:" + stmt.name)
        elif isinstance(stmt, ast.ClassDef):
            scope[stmt.name] = Unknown(f"class {stmt.name}", stmt.lineno)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            self._import(stmt, scope)
        elif isinstance(stmt, ast.Return):
            raise _Return(self.eval(stmt.value, scope) if stmt.value else None)
        elif isinstance(stmt, ast.If):
            self._if(stmt, scope, top)
        elif isinstance(stmt, ast.With):
            self._with(stmt, scope, top)
        elif isinstance(stmt, ast.For):
            self._for(stmt, scope, top)
        elif isinstance(stmt, ast.Try):
            self._block(stmt.body, scope, top=top)
            self._block(stmt.orelse, scope, top=top)
            self._block(stmt.finalbody, scope, top=top)
        elif isinstance(stmt, ast.Break) and not top:
            raise _Break
        elif isinstance(stmt, ast.Continue) and not top:
            raise _Continue
        elif isinstance(stmt, (ast.Pass, ast.Delete, ast.Global, ast.Nonlocal, ast.Assert)):
            pass
        elif top:
            self._setup_inside(stmt, scope)
        else:
            raise Unreadable(Unknown(type(stmt).__name__.lower(), stmt.lineno))

    def _assign(
        self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign, scope: dict[str, Any], top: bool
    ) -> None:
        if stmt.value is None:
            return
        try:
            if isinstance(stmt, ast.AugAssign):
                value = self._binop(
                    stmt.op, self.eval(stmt.target, scope), self.eval(stmt.value, scope), stmt
                )
            else:
                value = self.eval(stmt.value, scope)
        except Unreadable as exc:
            if not top:
                raise
            value = exc.unknown
        except RUNTIME_ERRORS as exc:
            if not top:
                raise
            value = Unknown(f"{_describe(stmt.value)} ({type(exc).__name__})", stmt.lineno)
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            self._bind(target, value, scope, stmt.lineno)

    def _bind(self, target: ast.expr, value: Any, scope: dict[str, Any], line: int) -> None:
        if isinstance(target, ast.Name):
            scope[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            if isinstance(value, Unknown):
                for elt in target.elts:
                    self._bind(elt, value, scope, line)
                return
            items = list(value)
            if len(items) != len(target.elts):
                raise Unreadable(Unknown("unpacking of the wrong length", line))
            for elt, item in zip(target.elts, items, strict=True):
                self._bind(elt, item, scope, line)
        elif isinstance(target, ast.Subscript):
            container = self.eval(target.value, scope)
            if not isinstance(container, (dict, list)):
                raise Unreadable(Unknown("item assignment", line))
            container[self.eval(target.slice, scope)] = value
        else:
            raise Unreadable(Unknown("assignment to an attribute", line))

    def _import(self, stmt: ast.Import | ast.ImportFrom, scope: dict[str, Any]) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                name = alias.asname or alias.name.split(".")[0]
                scope[name] = ModuleAttr(alias.name if alias.asname else name)
            return
        module = "." * stmt.level + (stmt.module or "")
        for alias in stmt.names:
            name = alias.asname or alias.name
            known = _MODULES.get(module)
            if known is not None and alias.name in known:
                scope[name] = known[alias.name]
            else:
                scope[name] = ModuleAttr(module, alias.name)

    def _if(self, stmt: ast.If, scope: dict[str, Any], top: bool) -> None:
        test = self.eval(stmt.test, scope)  # unknown: the whole statement is (see _poison)
        self._block(stmt.body if test else stmt.orelse, scope, top=top)

    def _with(self, stmt: ast.With, scope: dict[str, Any], top: bool) -> None:
        for item in stmt.items:
            value = self.eval(item.context_expr, scope)
            if item.optional_vars is not None:
                self._bind(item.optional_vars, value, scope, stmt.lineno)
        self._block(stmt.body, scope, top=top)

    def _for(self, stmt: ast.For, scope: dict[str, Any], top: bool) -> None:
        for item in list(self._iterable(self.eval(stmt.iter, scope), stmt)):
            self._bind(stmt.target, item, scope, stmt.lineno)
            try:
                self._block(stmt.body, scope)
            except _Continue:
                continue
            except _Break:
                return  # no else: clause after a break
        self._block(stmt.orelse, scope, top=top)

    def _setup_inside(self, stmt: ast.stmt, scope: dict[str, Any]) -> None:
        """A module-level statement it cannot follow: setup() inside it is still found."""
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and self._is_setup(node.func, scope):
                self._record_setup(node, scope)
                return

    def _record_setup(self, expr: ast.expr, scope: dict[str, Any]) -> None:
        for node in ast.walk(expr):
            if isinstance(node, ast.Call) and self._is_setup(node.func, scope):
                self.setup_call, self.setup_scope = node, scope
                return

    def _contains_setup(self, expr: ast.expr | None, scope: dict[str, Any]) -> bool:
        return expr is not None and any(
            isinstance(n, ast.Call) and self._is_setup(n.func, scope) for n in ast.walk(expr)
        )

    def _is_setup(self, func: ast.expr, scope: dict[str, Any]) -> bool:
        if isinstance(func, ast.Name):
            value = scope.get(func.id, self.globals.get(func.id))
            return value == Builtin("setup")
        if isinstance(func, ast.Attribute) and func.attr == "setup":
            base = func.value
            return isinstance(base, ast.Name) and scope.get(base.id) in (
                ModuleAttr("setuptools"),
                ModuleAttr("distutils.core"),
            )
        return False

    def _calls_setup(self, fn: ast.FunctionDef) -> bool:
        return any(
            isinstance(n, ast.Call) and self._is_setup(n.func, self.globals) for n in ast.walk(fn)
        )

    def wrapped_setup(self) -> None:
        """setup() called from a function (`def main(): setup(...)`, run under __main__): the
        call is read in that function's own scope, its locals evaluated first."""
        for node in self.tree.body:
            if isinstance(node, ast.FunctionDef) and self._calls_setup(node) and not node.args.args:
                scope: dict[str, Any] = {}
                merged = _Scope(scope, self.globals)
                for stmt in node.body:
                    if self.setup_call is not None:
                        return
                    if self._contains_setup_stmt(stmt):
                        self._record_setup_stmt(stmt, merged)
                        return
                    self._block([stmt], merged, top=True)

    def _contains_setup_stmt(self, stmt: ast.stmt) -> bool:
        return any(
            isinstance(n, ast.Call) and self._is_setup(n.func, self.globals) for n in ast.walk(stmt)
        )

    def _record_setup_stmt(self, stmt: ast.stmt, scope: dict[str, Any]) -> None:
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call) and self._is_setup(node.func, self.globals):
                self.setup_call, self.setup_scope = node, scope
                return

    # -- expressions --

    def _tick(self, node: ast.AST) -> None:
        self.steps += 1
        if self.steps > _STEP_BUDGET:
            raise Unreadable(
                Unknown("a computation too long to follow", getattr(node, "lineno", 1))
            )

    def eval(self, node: ast.expr, scope: dict[str, Any]) -> Any:
        self._tick(node)
        value = self._eval(node, scope)
        if isinstance(value, Unknown):
            raise Unreadable(value)
        return value

    def eval_soft(self, node: ast.expr, scope: dict[str, Any]) -> Any:
        """The value, or the Unknown that says why not."""
        try:
            return self.eval(node, scope)
        except Unreadable as exc:
            return exc.unknown
        except RUNTIME_ERRORS as exc:
            return Unknown(f"{_describe(node)} ({type(exc).__name__})", node.lineno)

    def _eval(self, node: ast.expr, scope: dict[str, Any]) -> Any:
        line = node.lineno
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in scope:
                return scope[node.id]
            if node.id in self.globals:
                return self.globals[node.id]
            return Unknown(f"the name {node.id}", line)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items: list[Any] = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    items.extend(self._iterable(self.eval(elt.value, scope), elt))
                else:
                    items.append(self.eval(elt, scope))
            return {ast.List: list, ast.Tuple: tuple, ast.Set: set}[type(node)](items)
        if isinstance(node, ast.Dict):
            out: dict[Any, Any] = {}
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None:
                    out.update(self.eval(value, scope))
                else:
                    out[self.eval(key, scope)] = self.eval_soft(value, scope)
            return out
        if isinstance(node, ast.JoinedStr):
            return "".join(self._fstring_part(v, scope) for v in node.values)
        if isinstance(node, ast.BinOp):
            left = self.resolve(self.eval(node.left, scope), line)
            right = self.resolve(self.eval(node.right, scope), line)
            return self._binop(node.op, left, right, node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return not self.eval(node.operand, scope)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self.eval(node.operand, scope)
        if isinstance(node, ast.BoolOp):
            result: Any = None
            for value_node in node.values:
                result = self.eval(value_node, scope)
                if isinstance(node.op, ast.And) and not result:
                    return result
                if isinstance(node.op, ast.Or) and result:
                    return result
            return result
        if isinstance(node, ast.Compare):
            return self._compare(node, scope)
        if isinstance(node, ast.IfExp):
            return self.eval(node.body if self.eval(node.test, scope) else node.orelse, scope)
        if isinstance(node, ast.Subscript):
            base = self.eval(node.value, scope)
            if isinstance(base, (str, list, tuple, dict, re.Match)):
                return base[self.eval(node.slice, scope)]
            return Unknown(f"{_describe(node.value)}[...]", line)
        if isinstance(node, ast.Slice):
            parts = (node.lower, node.upper, node.step)
            return slice(*(self.eval(p, scope) if p is not None else None for p in parts))
        if isinstance(node, ast.Attribute):
            return self._attribute(node, scope)
        if isinstance(node, ast.Call):
            return self._call(node, scope)
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            return self._comprehension(node, scope)
        if isinstance(node, ast.Lambda):
            return Function(node, scope)
        return Unknown(_describe(node), line)

    def _fstring_part(self, node: ast.expr, scope: dict[str, Any]) -> str:
        if isinstance(node, ast.Constant):
            return str(node.value)
        assert isinstance(node, ast.FormattedValue)
        value = self.resolve(self.eval(node.value, scope), node.lineno)
        spec = self._eval(node.format_spec, scope) if node.format_spec is not None else ""
        return format(value, spec)

    def _binop(self, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
        line = getattr(node, "lineno", 1)
        plain = (str, int, float, list, tuple)
        if isinstance(op, ast.Add) and isinstance(left, plain) and type(left) is type(right):
            return left + right  # type: ignore[operator]
        if isinstance(op, ast.Mod) and isinstance(left, str):
            return left % right
        if isinstance(op, ast.Div) and isinstance(left, PurePosixPath):
            return left / str(right)
        if isinstance(op, ast.BitOr) and isinstance(left, dict) and isinstance(right, dict):
            return left | right
        return Unknown(f"the operator {type(op).__name__}", line)

    def _compare(self, node: ast.Compare, scope: dict[str, Any]) -> bool:
        left = self.resolve(self.eval(node.left, scope), node.lineno)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.resolve(self.eval(right_node, scope), node.lineno)
            if isinstance(left, Unknown) or isinstance(right, (Unknown, ModuleAttr)):
                raise Unreadable(Unknown("a comparison", node.lineno))
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True

    def _attribute(self, node: ast.Attribute, scope: dict[str, Any]) -> Any:
        base = self.eval(node.value, scope)
        name = node.attr
        if isinstance(base, ModuleAttr):
            if base.attr is None:
                known = _MODULES.get(base.module)
                if known is not None:
                    return known.get(name, Unknown(f"{base.module}.{name}", node.lineno))
                return ModuleAttr(base.module, name)
            if base.module == "os" and base.attr == "path":
                return _MODULES["os.path"].get(name, Unknown(f"os.path.{name}", node.lineno))
            return ModuleAttr(f"{base.module}.{base.attr}", name)
        if base == Builtin("str") and name in _STR_METHODS:
            return StrMethod(name)
        if isinstance(base, PurePosixPath) and name in ("parent", "name", "stem", "suffix"):
            return getattr(base, name)
        allowed = _methods_of(base)
        if name in allowed:
            return _Bound(base, name)
        return Unknown(f"{_describe(node)}", node.lineno)

    def _iterable(self, value: Any, node: ast.AST) -> Any:
        if isinstance(value, (str, list, tuple, dict, set, TextFile, *_DICT_VIEWS)):
            return value
        raise Unreadable(
            Unknown(f"iterating over {_describe_value(value)}", getattr(node, "lineno", 1))
        )

    def _comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp,
        scope: dict[str, Any],
    ) -> Any:
        results: list[Any] = []
        local = _Scope({}, scope)

        def walk(index: int) -> None:
            if index == len(node.generators):
                if isinstance(node, ast.DictComp):
                    results.append((self.eval(node.key, local), self.eval(node.value, local)))
                else:
                    results.append(self.eval(node.elt, local))
                return
            gen = node.generators[index]
            for item in list(self._iterable(self.eval(gen.iter, local), gen.iter)):
                self._bind(gen.target, item, local, node.lineno)
                if all(self.eval(cond, local) for cond in gen.ifs):
                    walk(index + 1)

        walk(0)
        if isinstance(node, ast.DictComp):
            return dict(results)
        return set(results) if isinstance(node, ast.SetComp) else results

    def _call(self, node: ast.Call, scope: dict[str, Any]) -> Any:
        func = self.eval(node.func, scope)
        args: list[Any] = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                args.extend(self._iterable(self.eval(arg.value, scope), arg))
            else:
                args.append(self.resolve(self.eval(arg, scope), node.lineno))
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            if kw.arg is None:
                kwargs.update(self.eval(kw.value, scope))
            else:
                kwargs[kw.arg] = self.resolve(self.eval(kw.value, scope), node.lineno)
        if isinstance(func, _Bound):
            return func.call(self, args, kwargs, node)
        if isinstance(func, Function):
            return self._call_function(func, args, kwargs, node)
        if isinstance(func, Builtin):
            return self._builtin(func.name, args, kwargs, node, scope)
        return Unknown(f"the call {_describe(node.func)}()", node.lineno)

    def _call_function(
        self, func: Function, args: list[Any], kwargs: dict[str, Any], node: ast.Call
    ) -> Any:
        if self.depth >= _MAX_DEPTH:
            raise Unreadable(Unknown("recursion", node.lineno))
        params = func.node.args
        local: dict[str, Any] = {}
        names = [a.arg for a in [*params.posonlyargs, *params.args]]
        defaults = params.defaults
        for i, pname in enumerate(names):
            if i < len(args):
                local[pname] = args[i]
            elif pname in kwargs:
                local[pname] = kwargs.pop(pname)
            elif i >= len(names) - len(defaults):
                local[pname] = self.eval(defaults[i - (len(names) - len(defaults))], func.scope)
            else:
                raise Unreadable(Unknown(f"a call missing the argument {pname}", node.lineno))
        if params.vararg is not None:
            local[params.vararg.arg] = tuple(args[len(names) :])
        for kwonly, default in zip(params.kwonlyargs, params.kw_defaults, strict=True):
            if kwonly.arg in kwargs:
                local[kwonly.arg] = kwargs.pop(kwonly.arg)
            elif default is not None:
                local[kwonly.arg] = self.eval(default, func.scope)
        if params.kwarg is not None:
            local[params.kwarg.arg] = kwargs
        merged = _Scope(local, func.scope)
        self.depth += 1
        try:
            if isinstance(func.node, ast.Lambda):
                return self.eval(func.node.body, merged)
            self._block(func.node.body, merged)
        except _Return as ret:
            return ret.value
        finally:
            self.depth -= 1
        return None

    def _builtin(
        self,
        name: str,
        args: list[Any],
        kwargs: dict[str, Any],
        node: ast.Call,
        scope: dict[str, Any],
    ) -> Any:
        line = node.lineno
        if name in _PURE_BUILTINS:
            return _PURE_BUILTINS[name](*args, **kwargs)
        if name == "print":
            return None
        if name == "open":
            return self.open(
                args[0] if args else kwargs.get("file"),
                args[1:2] or [kwargs.get("mode", "r")],
                line,
            )
        if name == "Path":
            return self._path(*args) if args else PurePosixPath(self.root.as_posix())
        if name == "filter":
            func, items = args
            return [x for x in items if (self._apply(func, x, node) if func is not None else x)]
        if name == "map":
            func, items = args
            return [self._apply(func, x, node) for x in items]
        if name == "isinstance":
            kinds = args[1] if isinstance(args[1], tuple) else (args[1],)
            pytypes = [
                _PURE_BUILTINS[k.name]
                for k in kinds
                if isinstance(k, Builtin)
                and k.name in ("str", "list", "tuple", "dict", "set", "int")
            ]
            if len(pytypes) != len(kinds):
                return Unknown("isinstance()", line)
            return isinstance(args[0], tuple(pytypes))
        if name == "exec":
            return self._exec(args, node)
        if name == "os.getenv":
            # a plain `pip install .` sets none of the project's own switches: read as unset
            self.env_reads.append(str(args[0]) if args else "?")
            return args[1] if len(args) > 1 else kwargs.get("default")
        if name == "os.getcwd":
            return str(self.root)  # pip runs setup.py from the project's folder
        if name.startswith("os.path."):
            return self._os_path(name.removeprefix("os.path."), args)
        if name.startswith("re."):
            return getattr(re, name[3:])(*args, **kwargs)
        if name in ("find_packages", "find_namespace_packages"):
            return self._find_packages(name, args, kwargs, line)
        if name == "Extension":
            return Extension(line)
        return Unknown(f"{name}()", line)

    def _apply(self, func: Any, value: Any, node: ast.Call) -> Any:
        if isinstance(func, Function):
            return self._call_function(func, [value], {}, node)
        if isinstance(func, Builtin) and func.name in _PURE_BUILTINS:
            return _PURE_BUILTINS[func.name](value)
        if isinstance(func, _Bound):
            return func.call(self, [value], {}, node)
        if isinstance(func, StrMethod) and isinstance(value, str):
            return getattr(value, func.name)()
        raise Unreadable(Unknown(f"applying {_describe_value(func)}", node.lineno))

    def _exec(self, args: list[Any], node: ast.Call) -> None:
        """exec(open("pkg/version.py").read(), about): the file's literal assignments land in
        the dict; anything else in it is not followed."""
        if len(args) < 2 or not isinstance(args[0], str) or not isinstance(args[1], dict):
            raise Unreadable(Unknown("exec()", node.lineno))
        try:
            tree = ast.parse(args[0])
        except SyntaxError:
            raise Unreadable(Unknown("exec() of text that is not Python", node.lineno)) from None
        for stmt in tree.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
                for target in stmt.targets:
                    if isinstance(target, ast.Name):
                        args[1][target.id] = stmt.value.value

    def _find_packages(
        self, name: str, args: list[Any], kwargs: dict[str, Any], line: int
    ) -> FindPackages:
        where = args[0] if args else kwargs.get("where", ".")
        found = FindPackages(
            namespaces=name == "find_namespace_packages",
            where=self._rel(where) or "." if isinstance(where, (str, PurePosixPath)) else ".",
            exclude=list(kwargs.get("exclude", args[1] if len(args) > 1 else ())),
            include=list(kwargs.get("include", args[2] if len(args) > 2 else ())),
        )
        if not all(isinstance(p, str) for p in [*found.exclude, *found.include]):
            raise Unreadable(Unknown(f"{name}() with computed patterns", line))
        return found

    # -- the project's own modules, read, never imported --

    def module_file(self, module: str) -> str | None:
        """pkg.version -> pkg/version.py or pkg/version/__init__.py, at the root or under src/."""
        if module.startswith("."):
            return None
        parts = module.split(".")
        for base in ("", "src/"):
            for rel in (f"{base}{'/'.join(parts)}.py", f"{base}{'/'.join(parts)}/__init__.py"):
                if (self.root / rel).is_file():
                    return rel
        return None

    def module_literal(self, attr: ModuleAttr, line: int) -> Any:
        """The literal a project module assigns to a name (`__version__ = "1.2"`), recorded as
        read; Unknown when it is computed there or the module is not the project's."""
        rel = self.module_file(attr.module) if attr.attr else None
        if rel is None or attr.attr is None:
            return Unknown(f"the import of {_describe_value(attr)}", line)
        value = literal_assignment((self.root / rel).read_text("utf-8", "replace"), attr.attr)
        if isinstance(value, Unknown):
            return Unknown(f"{attr.attr} in {rel}, which is computed", line)
        self.reads.append(rel)
        return value

    def resolve(self, value: Any, line: int) -> Any:
        if isinstance(value, ModuleAttr) and value.attr is not None:
            value = self.module_literal(value, line)
            if isinstance(value, Unknown):
                raise Unreadable(value)
        return value

    # -- the file system, inside the repo only --

    def _path(self, *parts: Any) -> PurePosixPath:
        joined = os.path.join(*(str(p) for p in parts))
        return PurePosixPath(self._absolute(joined))

    def _absolute(self, path: str) -> str:
        return os.path.normpath(path if os.path.isabs(path) else os.path.join(self.root, path))

    def _rel(self, path: Any) -> str | None:
        absolute = self._absolute(str(path))
        try:
            rel = Path(absolute).relative_to(self.root).as_posix()
        except ValueError:
            return None
        return "" if rel == "." else rel

    def _os_path(self, name: str, args: list[Any]) -> Any:
        text = [str(a) for a in args]
        if name == "join":
            return os.path.join(*text)
        if name in ("abspath", "realpath"):
            return self._absolute(text[0])
        if name in ("exists", "isfile", "isdir"):
            rel = self._rel(text[0])
            target = self.root / rel if rel is not None else None
            return bool(target and getattr(os.path, name)(target))
        return getattr(os.path, name)(text[0])

    def open(self, path: Any, mode: list[Any], line: int) -> TextFile:
        if mode and isinstance(mode[0], str) and any(c in mode[0] for c in "wax+"):
            raise Unreadable(Unknown("open() for writing", line))
        rel = self._rel(path) if isinstance(path, (str, PurePosixPath)) else None
        if rel is None:
            shown = (
                repr(str(path)) if isinstance(path, (str, PurePosixPath)) else _describe_value(path)
            )
            raise Unreadable(Unknown(f"open({shown}) outside the repo", line))
        target = self.root / rel
        if not target.is_file():
            raise Unreadable(Unknown(f"open({rel!r}), a file that does not exist", line))
        if not target.resolve().is_relative_to(self.root):  # a symlink out of the repo
            raise Unreadable(Unknown(f"open({rel!r}), a link outside the repo", line))
        self.reads.append(rel)
        return TextFile(rel, target.read_text(encoding="utf-8", errors="replace"))


class _Scope(dict[str, Any]):
    """A function's locals over the scope it was defined in (reads fall through, writes stay)."""

    def __init__(self, local: dict[str, Any], outer: dict[str, Any]) -> None:
        super().__init__(local)
        self.outer = outer

    def __missing__(self, key: str) -> Any:
        return self.outer[key]

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or key in self.outer

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default  # noqa: SIM401 (dict.get skips __missing__)


@dataclass
class _Bound:
    obj: Any
    name: str

    def call(self, ev: Evaluator, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
        obj = self.obj
        plain = (str, int, float, bool, type(None))
        if self.name == "format" and not all(
            isinstance(a, plain) for a in [*args, *kwargs.values()]
        ):
            # "{0.__init__.__globals__}".format(x) walks attributes: only plain values
            raise Unreadable(Unknown("str.format() of something else than text", node.lineno))
        if isinstance(obj, PurePosixPath):
            if self.name == "read_text":
                return ev.open(obj, ["r"], node.lineno).text
            if self.name == "open":
                return ev.open(obj, args[:1] or ["r"], node.lineno)
            if self.name in ("exists", "is_file", "is_dir"):
                rel = ev._rel(obj)
                target = ev.root / rel if rel is not None else None
                method = {
                    "exists": os.path.exists,
                    "is_file": os.path.isfile,
                    "is_dir": os.path.isdir,
                }
                return bool(target and method[self.name](target))
            if self.name in ("resolve", "absolute"):
                return obj
            return getattr(obj, self.name)(*args, **kwargs)
        return getattr(obj, self.name)(*args, **kwargs)


_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


_MUTATORS = frozenset(_words("append extend insert update setdefault pop remove add clear"))


def _changed_names(stmt: ast.stmt) -> set[str]:
    """Every name a statement may bind or change in place: assigned (`x = ...`), stored into
    (`kwargs["ext_modules"] = ...`, `o.attr = ...`) or mutated (`kwargs.update(...)`)."""
    names: set[str] = set()
    for node in ast.walk(stmt):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            names |= {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _MUTATORS
            and isinstance(node.func.value, ast.Name)
        ):
            names.add(node.func.value.id)
    return names


def literal_assignment(text: str, name: str) -> Any:
    """The literal a module assigns to `name` at its top level (the last one wins)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return Unknown("a module that does not parse", 1)
    found: Any = Unknown(f"no {name}", 1)
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            targets, value_node = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, value_node = [stmt.target], stmt.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            try:
                found = ast.literal_eval(value_node)
            except ValueError:
                found = Unknown(f"{name} computed", stmt.lineno)
    return found


_DICT_VIEWS: tuple[type, ...] = (type({}.keys()), type({}.values()), type({}.items()))


def _methods_of(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return _STR_METHODS
    if isinstance(value, list):
        return _LIST_METHODS
    if isinstance(value, dict):
        return _DICT_METHODS
    if isinstance(value, set):
        return _SET_METHODS
    if isinstance(value, tuple):
        return frozenset({"index", "count"})
    if isinstance(value, re.Match):
        return _MATCH_METHODS
    if isinstance(value, re.Pattern):
        return frozenset({"search", "match", "findall", "fullmatch"})
    if isinstance(value, PurePosixPath):
        return _PATH_METHODS
    if isinstance(value, TextFile):
        return frozenset({"read", "readlines"})
    return frozenset()


def _describe(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."


def _describe_value(value: Any) -> str:
    if isinstance(value, Unknown):
        return value.construct
    if isinstance(value, ModuleAttr):
        return f"{value.module}.{value.attr}" if value.attr else value.module
    if isinstance(value, Builtin):
        return value.name
    return type(value).__name__
