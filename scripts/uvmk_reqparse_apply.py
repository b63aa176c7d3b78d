"""Write a DependencyPlan into a tomlkit document, keeping its comments, order and layout.

Arrays grow in the style they already have (a multiline array stays multiline; an empty or new
one becomes multiline, like uv writes it). Missing tables are created after the existing ones.
Applying the same plan twice, or the plan of an already migrated pyproject, changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import tomlkit
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from tomlkit.items import AoT, Array, InlineTable, Table

from uvmk_reqparse import RequirementsError

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

    from uvmk_requirements import DependencyPlan


def apply_dependency_plan(doc: TOMLDocument, plan: DependencyPlan) -> None:
    """Mutate `doc` in place. Raises RequirementsError if the plan needs a [project] table that
    the document does not have."""
    for rewrite in plan.rewrites:
        _rewrite(doc, rewrite.table, rewrite.old, rewrite.new)
    if plan.static_dependencies:
        _make_dependencies_static(doc)
    if plan.dev_dependencies_to_group:
        _move_dev_dependencies(doc)
    for group in plan.groups:
        _array(doc, f"dependency-groups.{group}")
    for addition in plan.additions:
        append_requirement(_array(doc, addition.table), addition.requirement)
    # Plain [tool.uv] keys before its sub-tables: tomlkit keeps keys above tables that way.
    for key, value in plan.tool_uv.items():
        _merge_setting(_tool_uv(doc), key, value)
    if plan.sources:
        sources = _table(_tool_uv(doc), "sources")
        for name, source in plan.sources.items():
            if not any(canonicalize_name(k) == canonicalize_name(name) for k in sources):
                sources[name] = _inline(source)
    if plan.indexes:
        _add_indexes(doc, plan.indexes)


# --- arrays of requirements -------------------------------------------------------------------


def _identity(requirement: str) -> tuple[str, str | None] | str:
    try:
        req = Requirement(requirement)
    except InvalidRequirement:
        return requirement
    return canonicalize_name(req.name), str(req.marker) if req.marker else None


def append_requirement(array: Array, requirement: str) -> bool:
    """Append unless the same package under the same marker is already there."""
    wanted = _identity(requirement)
    if any(isinstance(item, str) and _identity(item) == wanted for item in array):
        return False
    if len(array) == 0:
        array.multiline(True)
    array.append(requirement)
    return True


def _new_array() -> Array:
    array = tomlkit.array()
    array.multiline(True)
    return array


def _array(doc: TOMLDocument, table: str) -> Array:
    if table == "project.dependencies":
        project = doc.get("project")
        if not isinstance(project, Table):
            raise RequirementsError(
                "pyproject.toml has no [project] table to hold the runtime dependencies"
            )
        return _array_in(project, "dependencies")
    if table == "tool.uv.constraint-dependencies":
        return _array_in(_tool_uv(doc), "constraint-dependencies")
    if table.startswith("dependency-groups."):
        return _array_in(_top_table(doc, "dependency-groups"), table.split(".", 1)[1])
    if table.startswith("project.optional-dependencies."):
        project = doc.get("project")
        if not isinstance(project, Table):
            raise RequirementsError("pyproject.toml has no [project] table")
        extras = _table(project, "optional-dependencies")
        return _array_in(extras, table.split(".", 2)[2])
    if table == "tool.uv.dev-dependencies":
        return _array_in(_tool_uv(doc), "dev-dependencies")
    raise RequirementsError(f"unknown pyproject table {table}")


def _array_in(container: Table, key: str) -> Array:
    current = container.get(key)
    if isinstance(current, Array):
        return current
    if current is not None:
        raise RequirementsError(f"pyproject.toml: {key} is not an array")
    array = _new_array()
    container[key] = array
    return array


def _rewrite(doc: TOMLDocument, table: str, old: str, new: str) -> None:
    array = _array(doc, table)
    for i, item in enumerate(array):
        if item == old:
            array[i] = new
            return


# --- tables -------------------------------------------------------------------------------------


def _top_table(doc: TOMLDocument, key: str) -> Table:
    current = doc.get(key)
    if isinstance(current, Table):
        return current
    table = tomlkit.table()
    doc.add(key, table)
    return table


def _tool_uv(doc: TOMLDocument) -> Table:
    tool = doc.get("tool")
    if not isinstance(tool, Table):
        tool = tomlkit.table(is_super_table=True)
        doc.add("tool", tool)
    uv = tool.get("uv")
    if isinstance(uv, Table):
        return uv
    uv = tomlkit.table()
    _separate_from_next(doc, uv)
    tool.add("uv", uv)
    return uv


def _table(parent: Table, key: str) -> Table:
    current = parent.get(key)
    if isinstance(current, Table):
        return current
    table = tomlkit.table()
    _end_last_child_with_blank_line(parent)
    parent.add(key, table)
    return table


def _end_last_child_with_blank_line(parent: Table) -> None:
    """tomlkit glues a new sub-table right under the previous one; keep the usual blank line."""
    children = [v for v in parent.value.values() if isinstance(v, (Table, AoT))]
    if not children:
        if len(parent.value) and not parent.as_string().endswith("\n\n"):
            parent.add(tomlkit.nl())  # plain keys above: a blank line before the first sub-table
        return
    last = children[-1]
    table = last[-1] if isinstance(last, AoT) and len(last) else last
    if isinstance(table, Table) and not table.as_string().endswith("\n\n"):
        table.add(tomlkit.nl())


def _separate_from_next(doc: TOMLDocument, table: Table) -> None:
    """A table added inside [tool.*] lands before the tables that follow [tool]; end it with a
    blank line so `[build-system]` does not stick to it."""
    keys = list(doc.keys())
    if "tool" in keys and keys.index("tool") < len(keys) - 1:
        table.add(tomlkit.nl())


def _inline(value: dict[str, Any]) -> InlineTable:
    inline = tomlkit.inline_table()
    inline.update(value)
    return inline


def _add_indexes(doc: TOMLDocument, indexes: list[dict[str, Any]]) -> None:
    uv = _tool_uv(doc)
    current = uv.get("index")
    if not isinstance(current, AoT):
        current = tomlkit.aot()
        _end_last_child_with_blank_line(uv)
        uv.append("index", current)
    known = {str(t.get("url", "")).rstrip("/") for t in current}
    for index in indexes:
        if str(index["url"]).rstrip("/") in known:
            continue
        table = tomlkit.table()
        table.update(index)
        current.append(table)


def _merge_setting(uv: Table, key: str, value: Any) -> None:
    current = uv.get(key)
    if isinstance(value, list):
        array = _array_in(uv, key)
        for item in value:
            if item not in array:
                array.append(item)
    elif isinstance(value, dict):
        if current is None:
            uv[key] = _inline({})
            current = uv[key]
        for sub, sub_value in value.items():
            if isinstance(sub_value, dict):
                inner = current.setdefault(sub, _inline({}))
                for k, v in sub_value.items():
                    inner.setdefault(k, v)
            else:
                current.setdefault(sub, sub_value)
    elif current is None:
        uv[key] = value


# --- pyproject housekeeping -----------------------------------------------------------------------


def _make_dependencies_static(doc: TOMLDocument) -> None:
    """dynamic = ["dependencies"] + [tool.setuptools.dynamic] dependencies = {file = ...}
    -> a static [project] dependencies list; both places change together."""
    project = doc.get("project")
    if not isinstance(project, Table):
        raise RequirementsError("pyproject.toml has no [project] table")
    dynamic = project.get("dynamic")
    if isinstance(dynamic, Array):
        for i, item in enumerate(list(dynamic)):
            if item == "dependencies":
                del dynamic[i]
                break
        if len(dynamic) == 0:
            del project["dynamic"]
    tool = doc.get("tool")
    setuptools = tool.get("setuptools") if isinstance(tool, Table) else None
    setuptools_dynamic = setuptools.get("dynamic") if isinstance(setuptools, Table) else None
    if isinstance(setuptools_dynamic, Table) and "dependencies" in setuptools_dynamic:
        del setuptools_dynamic["dependencies"]
        if len(setuptools_dynamic) == 0 and isinstance(setuptools, Table):
            del setuptools["dynamic"]
    _array_in(project, "dependencies")


def _move_dev_dependencies(doc: TOMLDocument) -> None:
    """[tool.uv] dev-dependencies (deprecated) -> [dependency-groups] dev, merged, no repeats."""
    uv = _tool_uv(doc)
    old = uv.get("dev-dependencies")
    if not isinstance(old, Array):
        return
    group = _array_in(_top_table(doc, "dependency-groups"), "dev")
    for item in list(old):
        if isinstance(item, str):
            append_requirement(group, item)
    del uv["dev-dependencies"]
