"""Write a DependencyPlan into a tomlkit document, keeping its comments, order and layout.

Arrays grow in the style they already have (a multiline array stays multiline; an empty or new
one becomes multiline, like uv writes it). Missing tables are created after the existing ones;
tables the user wrote inline (`sources = { ... }`) are extended inline. Applying the same plan
twice, or the plan of an already migrated pyproject, changes nothing.

After writing, the document is read back and every planned value is looked for where uv will
look for it: a layout tomlkit cannot extend faithfully (dotted keys such as `uv.package = true`
under [tool]) is refused instead of producing a pyproject that means something else.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import tomlkit
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from tomlkit.container import Container, OutOfOrderTableProxy
from tomlkit.items import AoT, Array, InlineTable, Table

from uvmk.sources.pip.grammar import RequirementsError
from uvmk.survey.pyproject_text import plain_values

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

    from uvmk.sources.pip.dependency_plan import DependencyPlan

Node = Table | InlineTable


def apply_dependency_plan(doc: TOMLDocument, plan: DependencyPlan) -> None:
    """Mutate `doc` in place. Raises RequirementsError if the plan needs a [project] table that
    the document does not have, or if the result would not say what the plan says."""
    # held until the end: tomlkit hands some tables back as proxies made on the fly, and a
    # proxy's id, once it is collected, may be reused by a table added below (which would then
    # pass for one that was there, depending on what ran before in the process)
    existing = list(_tables(doc))
    before = {id(t) for t in existing}
    for rewrite in plan.rewrites:
        _rewrite(doc, rewrite.table, rewrite.old, rewrite.new)
    if plan.static_dependencies:
        _make_dependencies_static(doc)
    if plan.static_optional:
        _make_optional_static(doc, plan.static_optional)
    for field_name in plan.stale_dynamic:
        _drop_dynamic(doc, _project(doc), field_name)
    if plan.dev_dependencies_to_group:
        _move_dev_dependencies(doc)
    for group in plan.groups:
        _array(doc, f"dependency-groups.{group}")
    for group, included in plan.group_includes.items():
        _include_groups(_array(doc, f"dependency-groups.{group}"), included)
    for addition in plan.additions:
        append_requirement(_array(doc, addition.table), addition.requirement, addition.comment)
    # Plain [tool.uv] keys before its sub-tables: tomlkit keeps keys above tables that way.
    for key, value in plan.tool_uv.items():
        _merge_setting(_tool_uv(doc), key, value)
    if plan.sources:
        sources = _child(_tool_uv(doc), "sources")
        for name, source in plan.sources.items():
            if not any(canonicalize_name(k) == canonicalize_name(name) for k in sources):
                sources[name] = _inline(source)
    if plan.indexes:
        _add_indexes(doc, plan.indexes)
    _blank_line_after_new_tables(doc, before)
    del existing
    check_applied(doc, plan)


# --- arrays of requirements -------------------------------------------------------------------


def _identity(requirement: str) -> tuple[str, frozenset[str], str | None] | str:
    """A requirement's package, extras and marker: `uvicorn[standard]` installs packages
    `uvicorn>=0.29` does not, so the two are different entries."""
    try:
        req = Requirement(requirement)
    except InvalidRequirement:
        return requirement
    extras = frozenset(canonicalize_name(e) for e in req.extras)
    return canonicalize_name(req.name), extras, str(req.marker) if req.marker else None


def append_requirement(array: Array, requirement: str, comment: str | None = None) -> bool:
    """Append unless the same package with the same extras under the same marker is already
    there, with the requirement line's own comment beside it (in an array written one entry a
    line)."""
    wanted = _identity(requirement)
    if any(isinstance(item, str) and _identity(item) == wanted for item in array):
        return False
    if len(array) == 0:
        array.multiline(True)
    if comment and (len(array) == 0 or "\n" in array.as_string()):
        array.add_line(requirement, comment=comment)
        _two_spaces_before(array, f"# {comment}")
    else:
        array.append(requirement)
    return True


def _two_spaces_before(array: Array, comment: str) -> None:
    """tomlkit writes `"x", # why`; the rest of a pyproject (and PEP 8) has two spaces."""
    for group in reversed(array._value):  # tomlkit has no public handle on an item's comment
        if group.comment is not None and group.comment.trivia.comment == comment:
            group.comment.trivia.indent = "  "
            return


def _include_groups(array: Array, groups: list[str]) -> None:
    """PEP 735 {include-group = "test"} entries, first in the group like the -r line was."""
    present = {
        canonicalize_name(str(item.get("include-group")))
        for item in array
        if isinstance(item, (dict, InlineTable))
    }
    for position, group in enumerate(g for g in groups if canonicalize_name(g) not in present):
        if len(array) == 0:
            array.multiline(True)
        array.insert(position, _inline({"include-group": group}))


def _array(doc: TOMLDocument, table: str) -> Array:
    if table == "project.dependencies":
        return _array_in(_project(doc), "dependencies")
    if table == "tool.uv.constraint-dependencies":
        return _array_in(_tool_uv(doc), "constraint-dependencies")
    if table == "tool.uv.dev-dependencies":
        return _array_in(_tool_uv(doc), "dev-dependencies")
    if table.startswith("dependency-groups."):
        return _array_in(_child(doc, "dependency-groups"), table.split(".", 1)[1])
    if table.startswith("project.optional-dependencies."):
        extras = _child(_project(doc), "optional-dependencies")
        return _array_in(extras, table.split(".", 2)[2])
    raise RequirementsError(f"unknown pyproject table {table}")


def _array_in(container: Node | TOMLDocument, key: str) -> Array:
    current = container.get(key)
    if isinstance(current, Array):
        return current
    if current is not None:
        raise RequirementsError(f"pyproject.toml: {key} is not an array")
    array = tomlkit.array()
    array.multiline(True)
    container[key] = array
    return array


def _rewrite(doc: TOMLDocument, table: str, old: str, new: str) -> None:
    array = _array(doc, table)
    for i, item in enumerate(array):
        if item == old:
            array[i] = new
            return


# --- tables -------------------------------------------------------------------------------------


def _project(doc: TOMLDocument) -> Node:
    project = doc.get("project")
    if isinstance(project, OutOfOrderTableProxy):
        # [project] split around other tables ([project], [tool.setuptools.dynamic],
        # [project.urls]): a key set on the proxy goes into the first part
        return project  # type: ignore[return-value]
    if not isinstance(project, (Table, InlineTable)):
        raise RequirementsError(
            "pyproject.toml has no [project] table to hold the runtime dependencies"
        )
    return project


def _child(parent: Node | TOMLDocument, key: str) -> Node:
    """parent[key] as a table, created when missing: a [table] under a table or the document,
    an inline table inside an inline table."""
    current = parent.get(key)
    if isinstance(current, (Table, InlineTable)):
        return current
    if current is not None:
        raise RequirementsError(f"pyproject.toml: {key} is not a table")
    if isinstance(parent, InlineTable):
        inline = tomlkit.inline_table()
        parent[key] = inline
        return inline
    table = tomlkit.table()
    if isinstance(parent, Table):
        _end_last_child_with_blank_line(parent)
    parent.add(key, table)
    return table


def _tool_uv(doc: TOMLDocument) -> Node:
    tool = doc.get("tool")
    if not isinstance(tool, (Table, InlineTable)):
        if tool is not None:
            raise RequirementsError("pyproject.toml: tool is not a table")
        tool = tomlkit.table(is_super_table=True)
        doc.add("tool", tool)
    if "uv" not in tool and isinstance(tool, Table):
        _separate_from_next(doc, tool)
    return _child(tool, "uv")


def _tables(container: Any) -> Iterator[Table]:
    """Every [table] and [[array]] entry of the document, nested ones included."""
    for value in container.values():
        if isinstance(value, Table):
            yield value
            yield from _tables(value)
        elif isinstance(value, AoT):
            for table in value:
                yield table
                yield from _tables(table)


def _aot_of(container: Any) -> dict[int, int]:
    """id of each [[array]] entry -> id of its array (tomlkit spaces entries of one array)."""
    found: dict[int, int] = {}
    for value in container.values():
        if isinstance(value, AoT):
            for table in value:
                found[id(table)] = id(value)
                found.update(_aot_of(table))
        elif isinstance(value, Table):
            found.update(_aot_of(value))
    return found


def _blank_line_after_new_tables(doc: TOMLDocument, before: set[int]) -> None:
    """A table we added in the middle of the file (inside [tool] when more tables follow) must
    not stick to the next header. The last table of the file keeps a single final newline."""
    ordered = list(_tables(doc))  # the order tomlkit writes them in
    arrays = _aot_of(doc)
    for position, table in enumerate(ordered[:-1]):
        following = ordered[position + 1]
        if id(table) in before or id(following) in {id(t) for t in _tables(table)}:
            continue  # not ours, or its own sub-table comes next (spaced when it was added)
        if arrays.get(id(table)) is not None and arrays.get(id(table)) == arrays.get(id(following)):
            continue  # entries of one [[array]]: tomlkit spaces them itself
        if not table.as_string().endswith("\n\n"):
            table.add(tomlkit.nl())


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


def _separate_from_next(doc: TOMLDocument, tool: Table) -> None:
    """[tool.uv] added inside [tool.*] lands before the tables that follow [tool]; end the last
    [tool.*] table with a blank line so the new header does not stick to it."""
    keys = list(doc.keys())
    if keys.index("tool") < len(keys) - 1 or len(tool.value):
        _end_last_child_with_blank_line(tool)


def _inline(value: dict[str, Any]) -> InlineTable:
    inline = tomlkit.inline_table()
    inline.update(value)
    return inline


def _add_indexes(doc: TOMLDocument, indexes: list[dict[str, Any]]) -> None:
    uv = _tool_uv(doc)
    current = uv.get("index")
    if current is None:
        if isinstance(uv, InlineTable):
            raise RequirementsError("pyproject.toml: [tool.uv] is an inline table; add indexes")
        current = tomlkit.aot()
        _end_last_child_with_blank_line(uv)
        uv.append("index", current)
    if not isinstance(current, (AoT, Array)):
        raise RequirementsError("pyproject.toml: [tool.uv] index is not a list of tables")
    known = {str(t.get("url", "")).rstrip("/") for t in current}
    for index in indexes:
        if str(index["url"]).rstrip("/") in known:
            continue
        if isinstance(current, AoT):
            table = tomlkit.table()
            table.update(index)
            current.append(table)
        else:
            current.append(_inline(index))


def _merge_setting(uv: Node, key: str, value: Any) -> None:
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


def _make_optional_static(doc: TOMLDocument, extras: dict[str, list[str]]) -> None:
    """dynamic optional-dependencies read from files -> static [project.optional-dependencies]."""
    project = _project(doc)
    _drop_dynamic(doc, project, "optional-dependencies")
    optional = project.get("optional-dependencies")
    if optional is None:
        optional = tomlkit.table()
        project["optional-dependencies"] = optional
    for extra, items in extras.items():
        array = _array_in(optional, extra)
        for item in items:
            append_requirement(array, item)


def _drop_dynamic(doc: TOMLDocument, project: Node, field_name: str) -> None:
    """`field_name` out of project.dynamic and [tool.setuptools.dynamic], both together."""
    dynamic = project.get("dynamic")
    if isinstance(dynamic, Array):
        for i, item in enumerate(list(dynamic)):
            if item == field_name:
                del dynamic[i]
                break
        if len(dynamic) == 0:
            del project["dynamic"]
    tool = doc.get("tool")
    setuptools = tool.get("setuptools") if isinstance(tool, (Table, InlineTable)) else None
    dynamic_table = (
        setuptools.get("dynamic") if isinstance(setuptools, (Table, InlineTable)) else None
    )
    if isinstance(dynamic_table, (Table, InlineTable)) and field_name in dynamic_table:
        del dynamic_table[field_name]
        if len(dynamic_table) == 0 and isinstance(setuptools, (Table, InlineTable)):
            del setuptools["dynamic"]


def _make_dependencies_static(doc: TOMLDocument) -> None:
    """dynamic = ["dependencies"] + [tool.setuptools.dynamic] dependencies = {file = ...}
    -> a static [project] dependencies list; both places change together."""
    project = _project(doc)
    _drop_dynamic(doc, project, "dependencies")
    _array_in(project, "dependencies")


def _move_dev_dependencies(doc: TOMLDocument) -> None:
    """[tool.uv] dev-dependencies (deprecated) -> [dependency-groups] dev, merged, no repeats."""
    uv = _tool_uv(doc)
    old = uv.get("dev-dependencies")
    if not isinstance(old, Array):
        return
    group = _array_in(_child(doc, "dependency-groups"), "dev")
    for item in list(old):
        if isinstance(item, str):
            append_requirement(group, item)
    del uv["dev-dependencies"]


# --- reading the result back --------------------------------------------------------------------


def check_applied(doc: TOMLDocument | Container, plan: DependencyPlan) -> None:
    """Every planned value must be where uv reads it once the text is parsed again."""
    data = plain_values(tomlkit.dumps(doc))
    uv = _path(data, "tool", "uv")
    problems: list[str] = []
    for addition in plan.additions:
        array = _path(data, *_table_path(addition.table))
        wanted = _identity(addition.requirement)
        if not isinstance(array, list) or not any(_identity(str(i)) == wanted for i in array):
            problems.append(f"{addition.requirement} in [{addition.table}]")
    sources = _path(data, "tool", "uv", "sources")
    for name in plan.sources:
        if not isinstance(sources, dict) or not any(
            canonicalize_name(k) == canonicalize_name(name) for k in sources
        ):
            problems.append(f"[tool.uv.sources] {name}")
    indexes = _path(data, "tool", "uv", "index")
    for index in plan.indexes:
        urls = [str(i.get("url", "")).rstrip("/") for i in indexes or [] if isinstance(i, dict)]
        if str(index["url"]).rstrip("/") not in urls:
            problems.append(f"[[tool.uv.index]] {index['name']}")
    for key in plan.tool_uv:
        if not isinstance(uv, dict) or key not in uv:
            problems.append(f"[tool.uv] {key}")
    for group, included in plan.group_includes.items():
        entries = _path(data, "dependency-groups", group) or []
        names = {str(e.get("include-group")) for e in entries if isinstance(e, dict)}
        problems.extend(
            f"[dependency-groups] {group} include {g}" for g in included if g not in names
        )
    if problems:
        raise RequirementsError(
            "pyproject.toml's layout (dotted keys or inline tables) cannot be extended safely; "
            f"write these by hand: {', '.join(problems)}"
        )


def _table_path(table: str) -> tuple[str, ...]:
    for prefix in ("tool.uv.", "project.optional-dependencies.", "dependency-groups.", "project."):
        if table.startswith(prefix):
            return (*prefix.rstrip(".").split("."), table[len(prefix) :])
    return tuple(table.split("."))


def _path(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
