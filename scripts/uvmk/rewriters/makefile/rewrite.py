"""rewrite: a legacy Makefile's text -> the text that runs its daily targets through uv.mk (see
the package doc), one phase a function over the shared _Rewrite state."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from uvmk import contract
from uvmk.contract import UvMkDeclarations
from uvmk.patterns import ENV_LINE, PIP_ENV_USE, VENV_CREATION, strip_uv_run
from uvmk.rewriters.makefile.blocks import (
    _INCLUDE_UVMK,
    Block,
    _drop_words,
    _insert_after_leading_comments,
    _logical_lines,
    _prereqs,
    _replace_value,
    legacy_default_goal,
    references,
    split_blocks,
)
from uvmk.rewriters.makefile.database_listing import match_files_anywhere
from uvmk.rewriters.makefile.host_name import CAPTURE, read_own_name
from uvmk.rewriters.makefile.knobs import _extract_knobs
from uvmk.rewriters.makefile.legacy import (
    _DEP_FILE,
    _NEUTRAL_LINE,
    _SAME_TOOL,
    _TOOL_NAMES,
    RUN,
    _command_of,
    _expand_known,
    _help_greps_without_names,
    _line_fate,
    _loses_something,
    _recipe_is_legacy,
    _rewrite_kept_line,
    classify_variables,
    commands_of,
    env_assignments,
)

if TYPE_CHECKING:
    from uvmk.rewriters.old_tools import Shape, Translation


@dataclass
class MakefileRewrite:
    text: str
    changed: bool
    removed_targets: list[str]
    kept_targets: list[str]  # alias names kept from the host (-> UVMK_SKIP_TARGETS)
    removed_variables: list[str]
    rewritten_variables: list[str]  # "NAME: old -> new"
    knobs: dict[str, str]
    include_line: str
    notes: list[str]
    decisions: list[str] = field(default_factory=list)  # each alias target: removed/kept, why
    kept_lines: frozenset[int] = frozenset()  # original line numbers still in the new text
    default_goal: str = ""  # `.DEFAULT_GOAL := X` written after the include (the legacy default)
    # notes on what a kept host target now does differently (the preview shows them unasked)
    headline: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        out: list[str] = []
        if self.include_line:
            out.append(f"add `{self.include_line}`")
        if self.removed_targets:
            out.append(
                "remove pip/venv targets (uv.mk's take over): " + " ".join(self.removed_targets)
            )
        if self.kept_targets:
            out.append("keep host targets via UVMK_SKIP_TARGETS: " + " ".join(self.kept_targets))
        out += self.decisions
        if self.default_goal:
            out.append(
                f"keep `{self.default_goal}` the default goal: `.DEFAULT_GOAL := "
                f"{self.default_goal}` after the include"
            )
        if self.removed_variables:
            out.append("remove unused variables: " + " ".join(self.removed_variables))
        out += [f"rewrite {r}" for r in self.rewritten_variables]
        if self.knobs:
            out.append(
                "set uv.mk knobs: " + ", ".join(f"{k} := {v}" for k, v in self.knobs.items())
            )
        out += self.notes
        return out


@dataclass
class _Rewrite:
    """One rewrite: the Makefile's blocks, what its variables are, what has been decided."""

    text: str
    name: str
    blocks: list[Block]
    venv_dirs: set[str]
    target_venv: str
    tests_dir: bool
    declares: UvMkDeclarations
    values: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    venv_target: re.Pattern[str] = re.compile("")  # a target that builds a venv
    venv_bin: re.Pattern[str] = re.compile("")  # a venv's bin/ folder in a recipe
    known: set[str] = field(default_factory=set)  # the legacy environment's variables
    bin_dirs: set[str] = field(default_factory=set)  # those naming a venv's bin/ folder
    removed_targets: list[str] = field(default_factory=list)
    kept_targets: list[str] = field(default_factory=list)
    removed_recipes: dict[str, str] = field(default_factory=dict)
    decisions: list[str] = field(default_factory=list)
    kept_alias_blocks: list[Block] = field(default_factory=list)
    rewritten: list[str] = field(default_factory=list)
    headline: list[str] = field(default_factory=list)  # notes the preview shows unasked
    tools: str = ""  # the old venv's packages, as a regex alternation (their bare commands)
    read_before: set[str] = field(default_factory=set)  # variables read before the rewrite
    foreign: frozenset[str] = frozenset()  # files of projects left as they are (rewrite())
    run: str = ""  # what a kept recipe's tool runs through (RUN, or the plan's run_flags)
    # a recipe line translated from Poetry/Pipenv -> the uv.mk target doing the same, if any
    same_as: dict[str, str] = field(default_factory=dict)


def rewrite(
    text: str,
    *,
    include_path: str,
    venv_dirs: set[str] | None = None,
    target_venv: str = ".venv",
    name: str = "Makefile",
    tests_dir: bool = True,
    extra_knobs: dict[str, str] | None = None,
    default_knobs: dict[str, str] | None = None,
    declares: UvMkDeclarations | None = None,
    entries: frozenset[str] = frozenset(),
    tools: Iterable[str] = (),
    foreign_files: frozenset[str] = frozenset(),
    old_tools: Shape | None = None,
    run_flags: str | None = None,
) -> MakefileRewrite:
    """Rewrite a host Makefile's text (see the package doc). `include_path` is what follows
    `include` (e.g. "uv.mk" or "uv-mk/uv.mk"). `tests_dir`: the repo has a tests/ folder.
    `extra_knobs`: uv.mk variables the plan sets (EXPORT_FILE for a regenerated file);
    `default_knobs`: ones the dependencies suggest (FORMATTER=black), which a recipe overrides.
    `declares`: what the uv.mk in use declares (default: the one beside this engine);
    `entries`: the names in the Makefile's folder (uv.mk's `$(wildcard src)` defaults).
    `tools`: the packages the requirements files installed into the old venv (their commands,
    called bare in a kept recipe, run through `$(UV) run`). `foreign_files`: requirements files
    of projects the migration leaves as they are (services/api/requirements.txt): a target
    that installs one does what uv.mk's does not, and is kept. `old_tools`: the migrated
    project's shape for the Poetry/Pipenv commands of its recipes (old_tools.Shape)."""
    blocks = split_blocks(text)
    r = _Rewrite(
        text,
        name,
        blocks,
        set(venv_dirs or set()),
        target_venv,
        tests_dir,
        declares or contract.bundled(),
    )
    r.values = {b.name: b.value for b in blocks if b.kind == "assign"}
    r.foreign = foreign_files
    r.run = f"$(UV) run {run_flags}" if run_flags else RUN
    r.read_before = _read_before(blocks)
    r.tools = "|".join(re.escape(t) for t in sorted(commands_of(tools), key=lambda t: (-len(t), t)))
    r.kinds = classify_variables(blocks, r.venv_dirs)
    has_include = any(b.kind == "other" and _INCLUDE_UVMK.match(b.lines[0]) for b in blocks)
    _venv_patterns(r)
    # 0. Poetry's and Pipenv's commands in recipes run uv
    if old_tools is not None:
        _translate_old_tools(r, old_tools)
    # 1. alias targets: removed only when their recipe is environment management or runs the
    #    tool uv.mk's version runs with nothing lost; any other host target is kept (and skipped)
    for b in blocks:
        _decide_alias_target(r, b)
    _run_kept_recipes_through_uv(r)
    _drop_venv_builders(r)
    _alias_env_builders(r)
    existing_skip = set()
    for b in blocks:
        if b.kind == "assign" and b.name == "UVMK_SKIP_TARGETS":
            existing_skip |= set(b.value.split())
    new_skip = [t for t in r.kept_targets if t not in existing_skip]
    # 2. tool variables -> $(UV) run <tool>; 3. the legacy variables nobody uses go
    _run_tool_variables_through_uv(r)
    removed_vars = _drop_unused_variables(r)
    _rewrite_used_variables(r)
    # 4. .PHONY lists, and the blank lines removed blocks leave
    _prune_phony(r)
    _tidy_blank_lines(r)
    _report_what_uv_mk_does_not_do(r)
    # 5. the include block
    knobs = dict(default_knobs or {})
    knobs.update(_extract_knobs(r.removed_recipes, r.values, r.declares, entries))
    knobs.update(extra_knobs or {})
    knobs = {k: v for k, v in knobs.items() if k not in r.values}
    body = [b for b in blocks if not b.removed]
    if has_include:
        out, include_line, default_goal = _extend_skip_list(r, body, new_skip), "", ""
    else:
        out, include_line, default_goal = _add_include(r, body, include_path, new_skip, knobs)
    kept_lines = frozenset(n for b in body for n in range(b.start, b.start + len(b.lines)))
    return MakefileRewrite(
        text=out,
        changed=out != text,
        removed_targets=r.removed_targets,
        kept_targets=new_skip,
        removed_variables=removed_vars,
        rewritten_variables=r.rewritten,
        knobs=knobs,
        include_line=include_line,
        notes=r.notes,
        decisions=r.decisions,
        kept_lines=kept_lines,
        default_goal=default_goal,
        headline=r.headline,
    )


def _dirs_alt(r: _Rewrite) -> str:
    return "|".join(re.escape(d) for d in sorted(r.venv_dirs | {".venv", "venv"}))


def _venv_patterns(r: _Rewrite) -> None:
    """Targets that build a venv (`venv:`, `$(VENV)/bin/activate: requirements.txt`), a venv's
    bin/ folder in a recipe, and the variables of the legacy environment."""
    venv_names = [n for n, k in r.kinds.items() if k == "venv-dir"]
    names_alt = "|".join(map(re.escape, venv_names or ["VENV"]))
    r.venv_target = re.compile(
        r"^(?:\$[({](?:" + names_alt + r")[)}]|(?:\./)?(?:" + _dirs_alt(r) + r"))(?:/\S*)?$"
    )
    bin_dirs = {
        b.name
        for b in r.blocks
        if b.kind == "assign"
        and b.name not in r.kinds
        and re.fullmatch(
            r"(?:\$[({](?:" + names_alt + r")[)}]|(?:\./)?(?:" + _dirs_alt(r) + r"))"
            r"/(?:bin|Scripts)/?",
            b.value.strip(),
        )
    }
    r.known = set(r.kinds) | bin_dirs
    r.bin_dirs = bin_dirs
    r.venv_bin = re.compile(
        r"(?:\$[({](?:"
        + names_alt
        + r")[)}]/(?:bin|Scripts)"
        + (
            r"|\$[({](?:" + "|".join(map(re.escape, sorted(bin_dirs))) + r")[)}]"
            if bin_dirs
            else ""
        )
        + r"|(?<![\w.-])(?:\./)?(?:"
        + _dirs_alt(r)
        + r")/(?:bin|Scripts))"
    )


def _decide_alias_target(r: _Rewrite, b: Block) -> None:
    """A host target named like a uv.mk alias: removed (uv.mk's takes over) or kept (listed in
    UVMK_SKIP_TARGETS), with the reason in `decisions`."""
    if b.kind != "rule" or b.targets == [".PHONY"]:
        return
    aliases = [t for t in b.targets if t in r.declares.aliases]
    if not aliases:
        return
    where = f"{r.name}:{b.start}"
    prereqs = _prereqs(b.head)
    extra = [
        p
        for p in prereqs
        if not (r.venv_target.match(p) or p in r.declares.aliases or _DEP_FILE.search(p))
    ]
    commands = [ln for ln in _logical_lines(b.recipe) if ln.strip()]
    fates = [
        (
            ln,
            {"same"}
            if r.same_as.get(ln.strip()) in aliases
            else {
                _line_fate(a, ln, r.values, r.known, r.declares.knobs, r.tests_dir) for a in aliases
            },
        )
        for ln in commands
    ]
    others = [
        ln
        for ln, f in fates
        if (f != {"env"} and f != {"same"} and f != {"neutral"}) or _names_any(ln, r.foreign)
    ]
    if not commands:
        remove = bool(prereqs) and not extra and any(r.venv_target.match(p) for p in prereqs)
    else:
        remove = not extra and not others and any(f & {"env", "same"} for _, f in fates)
    if remove and len(aliases) == len(b.targets):
        b.removed = True
        r.removed_targets += b.targets
        for t in b.targets:
            r.removed_recipes[t] = "".join(b.recipe)
        runs_same = any("same" in f for _, f in fates)
        why = (
            f"runs {_TOOL_NAMES.get(aliases[0], aliases[0])} like uv.mk's"
            if runs_same
            else "environment management (pip/venv)"
        )
        r.decisions.append(f"{' '.join(b.targets)} ({where}): removed, {why}; uv.mk's takes over")
        return
    r.kept_targets += [t for t in aliases if t not in r.kept_targets]
    r.kept_alias_blocks.append(b)
    why = _why_kept(r, aliases, extra, others)
    r.decisions.append(f"{' '.join(aliases)} ({where}): kept (UVMK_SKIP_TARGETS), {why}")


def _translate_old_tools(r: _Rewrite, shape: Shape) -> None:
    """Every recipe line's Poetry/Pipenv command in its uv form (`$(UV) sync …`), said by line;
    one the table cannot translate exactly is kept and said. A line whose one command is what a
    uv.mk target runs is remembered, so an alias target doing just that gives way to uv.mk's."""
    # the old tools' table loads only for a converted Poetry or Pipenv project (most have none)
    from uvmk.rewriters.old_tools import rewrite_line

    for b in r.blocks:
        if b.kind != "rule" or b.targets == [".PHONY"]:
            continue
        offset = len(b.lines) - len(b.recipe)
        new_recipe = []
        for k, line in enumerate(b.recipe):
            targets: list[str] = []

            def render(t: Translation, targets: list[str] = targets) -> str:
                targets.append(t.target.split()[0] if t.target else "")
                return t.for_make()

            done = rewrite_line(line, shape, render)
            where = f"{r.name}:{b.start + offset + k}"
            for old, new in done.done:
                r.notes.append(f"{where}: `{old}` → `{new}`")
            for old in done.left:
                _headline(r, f"{where} still runs `{old}`: no exact uv form; kept as written")
            body = done.text.strip().lstrip("@-+").strip()
            if len(targets) == 1 and targets[0] and body.startswith("$(UV)") and "&&" not in body:
                r.same_as[done.text.strip()] = targets[0]
            new_recipe.append(done.text)
        _set_recipe(b, new_recipe)
    _translate_old_tool_variables(r, shape)


# `run := poetry run`: a prefix the recipes put before their commands (`$(run) pytest`)
_RUN_PREFIX = re.compile(r"(?P<tool>poetry|pipenv)\s+run")


def _translate_old_tool_variables(r: _Rewrite, shape: Shape) -> None:
    """A variable holding a Poetry/Pipenv command (`run := poetry run`, textual's way, read by
    every recipe as `$(run) pytest`) gets its uv form too: left as it was, each kept target
    would still run the old tool. One the table cannot translate is kept and said."""
    from uvmk.rewriters.old_tools import rewrite_line  # as in _translate_old_tools

    for b in r.blocks:
        if b.kind != "assign" or len(b.lines) != 1 or not b.value.strip():
            continue
        value = b.value.strip()
        prefix = _RUN_PREFIX.fullmatch(value)
        if value in shape.converted:  # `PIPENV = pipenv`, read as `$(PIPENV) install`
            _headline(r, f"{r.name}:{b.start}: {b.name} still runs `{value}`: kept as written")
            continue
        if prefix is not None and prefix.group("tool") in shape.converted:
            new_value = "$(UV) run"
        else:
            done = rewrite_line(value, shape, lambda t: t.for_make())
            for old in done.left:
                _headline(
                    r, f"{r.name}:{b.start}: {b.name} still runs `{old}`: no exact uv form; kept"
                )
            if not done.done:
                continue
            new_value = done.text
        b.lines = [_replace_value(b.lines[0], b.value, new_value)]
        r.rewritten.append(f"{b.name}: {b.value} -> {new_value}")
        r.notes.append(f"{r.name}:{b.start}: `{value}` → `{new_value}`")
        b.value = new_value


def _in_foreign_folder(line: str, files: frozenset[str]) -> bool:
    """Does the line cd into (or name) the folder of a project left as it is?"""
    folders = {posixpath.dirname(f) for f in files} - {""}
    return any(
        re.search(rf"(?<![\w./-])(?:\./)?{re.escape(d)}(?:/|(?![\w.-]))", line) for d in folders
    )


def _names_any(line: str, files: frozenset[str]) -> bool:
    return any(re.search(rf"(?<![\w./-])(?:\./)?{re.escape(f)}(?![\w.-])", line) for f in files)


def _why_kept(r: _Rewrite, aliases: list[str], extra: list[str], others: list[str]) -> str:
    if extra:
        return "needs " + " ".join(extra)
    if not others:
        return "does something uv.mk's does not"
    shown = others[0].strip().lstrip("@-+")
    same_tool = _SAME_TOOL.get(aliases[0])
    cmd = _command_of(others[0], r.values, r.known)
    if same_tool and re.match(same_tool, cmd) and not _loses_something(cmd, r.declares.knobs):
        return f"runs `{shown}` over the whole repo: uv.mk's runs tests/, which is missing"
    if same_tool and re.match(same_tool, cmd):
        return f"runs `{shown}`: uv.mk's {_TOOL_NAMES[aliases[0]]} would lose part of it"
    return f"runs `{shown}`, not {_TOOL_NAMES.get(aliases[0], aliases[0])}"


def _headline(r: _Rewrite, note: str) -> None:
    """A note on what a kept host target now does differently: in the plan's Makefile lines and
    in the preview's own notes."""
    r.notes.append(note)
    r.headline.append(note)


def _set_recipe(b: Block, new_recipe: list[str]) -> bool:
    if new_recipe == b.recipe:
        return False
    head = b.lines[: len(b.lines) - len(b.recipe)]
    b.recipe = new_recipe
    b.lines = head + new_recipe
    return True


def _run_kept_recipes_through_uv(r: _Rewrite) -> None:
    """Every kept target's bare interpreter, venv tools and old-venv commands run the project's
    environment through `$(UV) run`; a grep of $(MAKEFILE_LIST) gets -h. Each said, by line."""
    env_refs = env_assignments(r.values)
    for b in r.blocks:
        if b.kind != "rule" or b.removed or b.targets == [".PHONY"]:
            continue
        offset = len(b.lines) - len(b.recipe)
        grep_lines: list[int] = []
        new_recipe = []
        for k, ln in enumerate(b.recipe):
            new = _help_greps_without_names(ln)
            if new != ln:
                grep_lines.append(b.start + offset + k)
            if _in_foreign_folder(new, r.foreign):
                # `cd services/api && python main.py`: that project's own environment, left
                # as it is, not the root's .venv (which lacks its dependencies)
                new_recipe.append(new)
                continue
            new_recipe.append(_rewrite_kept_line(new, r.venv_bin, r.tools, env_refs, r.run))
        runs_uv = [
            ln
            for ln, old in zip(new_recipe, b.recipe, strict=True)
            if ln.count("$(UV) run") > old.count("$(UV) run")
        ]
        _set_recipe(b, new_recipe)
        name = " ".join(b.targets)
        if runs_uv:
            r.notes.append(f"`{name}` now runs python or its venv tools through `$(UV) run`")
        if grep_lines:
            where = ", ".join(f"{r.name}:{n}" for n in grep_lines)
            _headline(
                r,
                f"`{name}` ({where}) greps $(MAKEFILE_LIST), which holds uv.mk too once it is "
                "included: grep -h keeps the file names out of the output (uv.mk's targets "
                "join the list)",
            )


# a kept target with one of these names that only builds the environment is dev-install now
_ENV_TARGETS = frozenset(
    {
        "venv", ".venv", "env", "virtualenv", "deps", "dependencies", "setup", "bootstrap",
        "develop", "devenv", "dev-env", "dev-setup", "requirements", "reqs", "init",
        "environment",
    }
)  # fmt: skip


def _alias_env_builders(r: _Rewrite) -> None:
    """A kept `venv:`/`deps:` target whose recipe only creates a venv and pip-installs into it
    becomes `venv: dev-install` (its `## ` help kept): uv's .venv has no pip, and dev-install
    builds the environment; prerequisites on it now get dev-install. Not while another kept
    target still pip-installs into the venv it made."""
    live = [b for b in r.blocks if b.kind == "rule" and not b.removed]
    for b in live:
        pip_elsewhere = any(
            PIP_ENV_USE.search(_expand_known("".join(o.recipe), r.values, r.known))
            for o in live
            if o is not b and not set(o.targets) <= _ENV_TARGETS
        )
        if not pip_elsewhere and _dev_install_alias(r, b):
            r.notes.append(f"`{' '.join(b.targets)}` built the venv with pip: now runs dev-install")


def _dev_install_alias(r: _Rewrite, b: Block) -> bool:
    if not b.targets or not all(t in _ENV_TARGETS for t in b.targets):
        return False
    commands = [
        strip_uv_run(_expand_known(ln, r.values, r.known)).strip().lstrip("@-+")
        for ln in _logical_lines(b.recipe)
        if ln.strip()
    ]
    if not any(PIP_ENV_USE.search(c) for c in commands):
        return False  # only creates a venv: a kept target may still need that interpreter
    if not all(ENV_LINE.search(c) or _NEUTRAL_LINE.match(c) for c in commands):
        return False
    first = b.lines[0]
    eol = first[len(first.rstrip("\r\n")) :]
    comment = re.search(r"\s##\s.*$", first.rstrip("\r\n"))
    b.lines = [" ".join(b.targets) + ": dev-install" + (comment.group(0) if comment else "") + eol]
    b.recipe = []
    return True


def _drop_venv_builders(r: _Rewrite) -> None:
    """Venv-building targets that only the removed targets needed: uv creates .venv itself."""
    for b in r.blocks:
        if b.kind != "rule" or b.removed or not b.targets:
            continue
        if not all(r.venv_target.match(t) for t in b.targets):
            continue
        if not _recipe_is_legacy("".join(b.recipe), r.kinds, r.values, r.venv_dirs):
            continue
        needed = any(
            t in _prereqs(o.head)
            for o in r.blocks
            if o.kind == "rule" and not o.removed and o is not b and o.targets != [".PHONY"]
            for t in b.targets
        )
        if not needed:
            b.removed = True
            r.removed_targets += b.targets


def _run_tool_variables_through_uv(r: _Rewrite) -> None:
    """`PYTEST := $(VENV)/bin/pytest` -> `PYTEST := $(UV) run pytest`."""
    venv_names = [n for n, k in r.kinds.items() if k == "venv-dir"] or ["VENV"]
    tool_re = re.compile(
        r"(?:\$[({](?:" + "|".join(map(re.escape, venv_names)) + r")[)}]|"
        r"(?<![\w.-])(?:\./)?(?:" + _dirs_alt(r) + r"))/bin/(?P<tool>[\w.-]+)"
    )
    for b in r.blocks:
        if b.kind == "assign" and r.kinds.get(b.name) == "tool" and len(b.lines) == 1:
            tool_value = tool_re.sub(lambda m: f"$(UV) run {m.group('tool')}", b.value)
            b.lines = [_replace_value(b.lines[0], b.value, tool_value)]
            r.rewritten.append(f"{b.name}: {b.value} -> {tool_value}")
            b.value = tool_value


def _drop_unused_variables(r: _Rewrite) -> list[str]:
    """Interpreter/pip/venv variables whose every use went with a removed target or variable
    (to a fixed point). One nothing read before the rewrite stays: the host reads it some way
    this rewrite cannot see (the command line, an including Makefile, the environment)."""
    removed_vars: list[str] = []
    changed = True
    while changed:
        changed = False
        live = [b for b in r.blocks if not b.removed]
        for b in live:
            legacy = r.kinds.get(b.name) in ("interpreter", "pip", "venv-dir")
            if b.kind != "assign" or not (legacy or b.name in r.bin_dirs):
                continue
            if b.name not in r.read_before or "export" in b.prefix:
                continue
            used = any(
                references(o.text, b.name)
                for o in live
                if o is not b and not (o.kind == "assign" and o.name == b.name)
            )
            if not used:
                b.removed = True
                if b.name not in removed_vars:
                    removed_vars.append(b.name)
                changed = True
    return removed_vars


def _read_before(blocks: list[Block]) -> set[str]:
    """The variables something other than their own definitions reads, before any change."""
    names = {b.name for b in blocks if b.kind == "assign"}
    return {
        n
        for n in names
        if any(references(o.text, n) for o in blocks if not (o.kind == "assign" and o.name == n))
    }


def _rewrite_used_variables(r: _Rewrite) -> None:
    """The legacy variables kept targets still use now name uv's: `$(UV) run python`... One
    nothing here reads is left as it is (whoever reads it wants that value)."""
    live = [b for b in r.blocks if not b.removed]
    for b in live:
        if b.kind != "assign" or len(b.lines) != 1:
            continue
        if not any(references(o.text, b.name) for o in live if o.name != b.name):
            continue
        new_value = _uv_value(r, b)
        if new_value and new_value != b.value:
            b.lines = [_replace_value(b.lines[0], b.value, new_value)]
            r.rewritten.append(f"{b.name}: {b.value} -> {new_value}")
            r.notes.append(f"{b.name} is still used by host targets: now `{new_value}`")
            b.value = new_value


def _uv_value(r: _Rewrite, b: Block) -> str | None:
    kind = r.kinds.get(b.name)
    rules = [o for o in r.blocks if not o.removed and o.kind == "rule"]
    if kind == "interpreter":
        # uv's .venv has no pip: a kept `$(PYTHON) -m pip wheel` gets pip from --with
        pip_use = re.compile(r"\$[({]" + re.escape(b.name) + r"[)}]\s+-m\s+pip\b")
        uses_pip = any(pip_use.search(o.text) for o in rules)
        venv_use = re.compile(r"\$[({]" + re.escape(b.name) + r"[)}]\s+-m\s+venv\b")
        if any(venv_use.search(o.text) for o in rules):
            # a kept `$(PYTHON) -m venv` needs a real interpreter
            r.notes.append(f"{b.name} still creates a venv in a kept target: left as it is")
            return None
        flags = b.value.split(None, 1)[1:]  # `python3 -u`: the flags stay
        if re.search(r"-m\s*venv\b", b.value):
            return None
        run = "$(UV) run --with=pip python" if uses_pip else "$(UV) run python"
        return " ".join([run, *flags])
    if kind == "pip":
        return "$(UV) pip"
    if kind == "venv-dir" and b.value.strip() != r.target_venv:
        return r.target_venv  # uv.mk reads VENV as the project environment
    return None


def _prune_phony(r: _Rewrite) -> None:
    gone = set(r.removed_targets)
    for b in r.blocks:
        if b.kind == "rule" and b.targets == [".PHONY"] and not b.removed and gone:
            new_lines = [_drop_words(line, gone) for line in b.lines]
            if new_lines != b.lines:
                names = " ".join(ln.rstrip("\r\n").rstrip("\\") for ln in new_lines)
                names = names.split(":", 1)[1] if ":" in names else ""
                if not names.strip():
                    b.removed = True
                b.lines = new_lines


def _tidy_blank_lines(r: _Rewrite) -> None:
    """Removing a block must not leave a pile of blank lines behind, nor one at the end."""
    blocks = r.blocks
    prev: Block | None = None  # the last block kept
    gap = False  # a block was removed since
    for b in blocks:
        if b.removed:
            gap = True
            continue
        blank = b.kind == "other" and not b.text.strip()
        if blank and gap and (prev is None or not prev.text.strip()):
            b.removed = True
            continue
        prev, gap = b, False
    live_blocks = [b for b in blocks if not b.removed]
    if r.text.strip() and not r.text.endswith(("\n\n", "\r\n\r\n")):
        while live_blocks and live_blocks[-1].kind == "other" and not live_blocks[-1].text.strip():
            live_blocks.pop().removed = True


def _report_what_uv_mk_does_not_do(r: _Rewrite) -> None:
    """A removed target's line uv.mk does not do, and kept targets that still pip-install into
    the environment: said, not rewritten."""
    for t, recipe in r.removed_recipes.items():
        for line in _logical_lines(recipe.splitlines(keepends=True)):
            fate = _line_fate(t, line, r.values, r.known, r.declares.knobs)
            if line.strip() and (fate == "neutral" or (t == "check-env" and fate == "same")):
                r.notes.append(f"`{t}` was removed with a line uv.mk does not do: {line.strip()}")
    for b in r.blocks:
        if b.kind != "rule" or b.removed or b.targets == [".PHONY"]:
            continue
        offset = len(b.lines) - len(b.recipe)
        for k, line in enumerate(b.recipe):
            expanded = _expand_known(line, r.values, r.known)
            if VENV_CREATION.search(strip_uv_run(expanded)):
                _headline(
                    r,
                    f"`{' '.join(b.targets)}` ({r.name}:{b.start + offset + k}) still creates a "
                    "venv of its own: uv makes .venv itself (`make dev-install`), so this target "
                    "can go",
                )
            elif ENV_LINE.search(strip_uv_run(expanded)) and PIP_ENV_USE.search(expanded):
                r.notes.append(
                    f"`{' '.join(b.targets)}` ({r.name}:{b.start + offset + k}) still uses pip: "
                    "consider `make dev-install`"
                )


def _add_include(
    r: _Rewrite, body: list[Block], include_path: str, new_skip: list[str], knobs: dict[str, str]
) -> tuple[str, str, str]:
    """(the new text, the include line, the .DEFAULT_GOAL written): the include block goes
    after the leading comments, with UVMK_SKIP_TARGETS and the knobs before it."""
    nl = "\r\n" if "\r\n" in r.text else "\n"
    include_line = f"include {include_path}"
    header: list[str] = [
        "# uv.mk: uv-based daily targets (uv-help lists them); added by `make uv-migrate`"
    ]
    own_name_notes = read_own_name(body, r.name) + match_files_anywhere(body, r.name)
    if own_name_notes:
        header += CAPTURE
        for note in own_name_notes:
            _headline(r, note)
    if new_skip:
        header.append("UVMK_SKIP_TARGETS := " + " ".join(new_skip))
    header += [f"{k} := {v}" for k, v in knobs.items()]
    header.append(include_line)
    # a bare `make` keeps running what it ran: the first host target after the include
    # becomes the default, so say which one when the legacy default is gone or moved
    default_goal = ""
    legacy_goal = legacy_default_goal(r.blocks)
    if legacy_goal and legacy_default_goal(body) != legacy_goal:
        default_goal = legacy_goal
        if legacy_goal in r.removed_targets and legacy_goal not in r.declares.aliases:
            # a venv-building default goal (uv creates .venv itself): its successor
            default_goal = "dev-install"
            r.notes.append(
                f"the default goal `{legacy_goal}` built the venv (removed: uv creates "
                "it): `make` now runs dev-install"
            )
        header.append(f".DEFAULT_GOAL := {default_goal}")
    out = _insert_after_leading_comments(body, nl.join(header) + nl, nl)
    return out, include_line, default_goal


def _extend_skip_list(r: _Rewrite, body: list[Block], new_skip: list[str]) -> str:
    """uv.mk is included already: the kept targets join UVMK_SKIP_TARGETS before the include."""
    out = "".join(b.text for b in body)
    if not new_skip:
        return out
    nl = "\r\n" if "\r\n" in r.text else "\n"
    r.notes.append(
        "uv.mk is already included: add "
        + " ".join(new_skip)
        + " to UVMK_SKIP_TARGETS before the include"
    )
    lines = out.splitlines(keepends=True)
    for idx, line in enumerate(lines):
        if _INCLUDE_UVMK.match(line):
            lines.insert(idx, "UVMK_SKIP_TARGETS += " + " ".join(new_skip) + nl)
            break
    return "".join(lines)
