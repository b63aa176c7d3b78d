#!/usr/bin/env python3
"""Write docs/targets.md from uv.mk itself: its `## ` help lines, its header and its recipes.

    python3 tools/docs_targets.py            # rewrite docs/targets.md
    python3 tools/docs_targets.py --check    # exit 1 if docs/targets.md is not what this writes

Standard library only, so it runs anywhere uv.mk's tests run. The page is never edited by hand:
what a target runs, which knobs reach it and which errors it can print are read from the recipes
(following the helper variables they use), so the page cannot say something uv.mk does not do.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UV_MK = ROOT / "uv.mk"
PAGE = ROOT / "docs" / "targets.md"

RULE = re.compile(r"^([A-Za-z0-9_.%/-]+):(?!=)([^#]*?)(?:## (.*))?$")
ASSIGN = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(\?=|:=|=)\s?(.*)$")
REFERENCE = re.compile(
    # a migration knob is named, not expanded: $(call uvmk_knob,FORMAT,table)
    r"\$\(call uvmk_(?:knob|opt|flag),([A-Za-z_][A-Za-z0-9_]*)"
    r"|\$\((?:call\s+)?([A-Za-z_][A-Za-z0-9_]*)[),\s]"
)
ERROR = re.compile(r"""uvmk_die "([^"]*)"|uv\.mk: error: ((?:[^"'\\]|\\.)*)""")


@dataclass
class Target:
    name: str
    section: str
    help: str
    prerequisites: list[str]
    recipe: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # the recipe as written, for the page


@dataclass
class Makefile:
    """The parts of uv.mk the page is made of."""

    header: list[str]
    knobs: dict[str, str]  # name -> default as written after `?=`
    variables: dict[str, str]  # every assignment, continuation lines joined
    comments: dict[str, str]  # variable -> the comment block right above it
    targets: list[Target]
    aliases: list[str]
    private: dict[str, list[str]] = field(default_factory=dict)  # _uvmk-* rule -> recipe
    written: list[str] = field(default_factory=list)  # uv.mk's lines as they are


def logical_lines(text: str) -> list[str]:
    """uv.mk's lines with backslash continuations joined, as make reads them."""
    out: list[str] = []
    pending = ""
    for line in text.splitlines():
        if pending:
            line = line.lstrip()
        if line.endswith("\\"):
            pending += line[:-1].rstrip() + " "
            continue
        out.append(pending + line)
        pending = ""
    return out


def parse(text: str) -> Makefile:
    lines = logical_lines(text)
    header = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line[2:] if line.startswith("# ") else line[1:])
    knobs: dict[str, str] = {}
    variables: dict[str, str] = {}
    comments: dict[str, str] = {}
    targets: list[Target] = []
    section = ""
    comment: list[str] = []
    current: Target | None = None
    for line in lines:
        if line.startswith("\t") and current is not None:
            current.recipe.append(line.strip())
            continue
        current = None
        if line.startswith("##@ "):
            section = line[4:].strip()
        elif line.startswith("#"):
            comment.append(line.lstrip("#").strip())
            continue
        elif match := ASSIGN.match(line):
            name, operator, value = match.groups()
            variables.setdefault(name, value.strip())
            if operator == "?=":
                knobs.setdefault(name, value.strip())
            if comment:
                comments.setdefault(name, " ".join(comment))
        elif (match := RULE.match(line)) and match.group(3) and not line.startswith("."):
            name, prerequisites, help_text = match.groups()
            current = Target(name, section, help_text.strip(), prerequisites.split())
            targets.append(current)
        comment = []
    aliases = variables.get("UVMK_ALIASES", "").split()
    written = text.splitlines()
    for target in targets:
        target.shown = recipe_as_written(written, target.name)
    mk = Makefile(header, knobs, variables, comments, targets, aliases)
    mk.private = private_rules(text)
    mk.written = written
    return mk


def recipe_as_written(lines: list[str], name: str) -> list[str]:
    """The target's recipe lines as uv.mk spells them, continuations and all, one tab less."""
    start = next(i for i, line in enumerate(lines) if line.startswith(name + ":"))
    shown = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        shown.append(line[1:])
    return shown


def split_args(text: str) -> list[str]:
    """The comma-separated arguments of a make function call, nested parentheses respected."""
    args, depth, current = [], 0, ""
    for char in text:
        if char == "," and depth == 0:
            args.append(current)
            current = ""
            continue
        depth += {"(": 1, ")": -1}.get(char, 0)
        current += char
    return [*args, current]


def calls(text: str) -> list[tuple[str, list[str]]]:
    """Each `$(call NAME,ARGS…)` in text, with its arguments."""
    found = []
    for match in re.finditer(r"\$\(call ([A-Za-z_][A-Za-z0-9_]*),", text):
        depth, end = 1, match.end()
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        found.append((match.group(1), split_args(text[match.end() : end - 1])))
    return found


def expansions(mk: Makefile, text: str) -> list[str]:
    """text and the values of every variable it reaches, each call's $(1)… filled in."""
    out, todo, seen = [], [text], set()
    while todo:
        current = todo.pop(0)
        if current in seen:
            continue
        seen.add(current)
        out.append(current)
        for name, args in calls(current):
            value = mk.variables.get(name, "")
            for number, arg in enumerate(args, start=1):
                value = value.replace(f"$({number})", arg)
            todo.append(value)
        todo.extend(mk.variables[n] for n in references(current) if n in mk.variables)
    return out


def references(text: str) -> list[str]:
    return [a or b for a, b in REFERENCE.findall(text + " ")]


def reached(mk: Makefile, text: str) -> list[str]:
    """Every variable `text` uses, directly or through the variables it uses, in first-use order."""
    seen: list[str] = []
    todo = references(text)
    while todo:
        name = todo.pop(0)
        if name in seen or name not in mk.variables:
            continue
        seen.append(name)
        todo.extend(references(mk.variables[name]))
    return seen


def private_recipe(mk: Makefile, target: Target) -> str:
    """The target's recipe plus those of its hidden prerequisites (_uvmk-uv, _uvmk-api-app)."""
    parts = list(target.recipe)
    for prerequisite in target.prerequisites:
        parts.extend(mk.private.get(prerequisite, []))
    return "\n".join(parts)


def private_rules(text: str) -> dict[str, list[str]]:
    """Recipes of the rules without a help line (uv.mk's internal prerequisites)."""
    rules: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in logical_lines(text):
        if line.startswith("\t") and current is not None:
            current.append(line.strip())
            continue
        current = None
        match = RULE.match(line)
        if match and not match.group(3) and match.group(1).startswith("_uvmk"):
            current = rules.setdefault(match.group(1), [])
    return rules


def clean_message(mk: Makefile, raw: str, target: str) -> str:
    """An error template as a reader sees it: shell and make plumbing turned into placeholders."""
    helpers = {k: v for k, v in mk.variables.items() if k.startswith("UVMK_") and k not in mk.knobs}
    for _ in range(3):  # uv.mk's own short helpers, inlined; knobs stay $(KNOB)
        raw = re.sub(r"\$\((UVMK_[A-Z_]+)\)", lambda m: helpers.get(m.group(1), m.group(0)), raw)
    text = raw.replace("\\n", "").replace("\\`", "`").replace("\\$$", "$").rstrip(";")
    text = text.replace("$(uvmk_target)", target).replace("$@", target)
    text = re.sub(r"\$\(patsubst uv-%,%,\$\(firstword \$\(MAKECMDGOALS\) api\)\)", target, text)
    text = re.sub(r"\$\(call uvmk_sq,(\$\([A-Z_]+\))\)", r"\1", text)
    # `${x:+ (…)}`: a part only there when x is set, shown as what it says
    text = re.sub(r"\$\$\{uvmk_[a-z]+:\+([^}]*)\}", r"\1", text)
    text = re.sub(r"\$\$uvmk_([a-z]+)", r"<\1>", text)
    text = re.sub(r"\$\$([A-Z_]+)", r"<\1>", text)
    return text.replace("%s", "<…>").strip()


def messages(mk: Makefile, target: Target, source: str) -> list[str]:
    """The `uv.mk: error:` lines the target can print, in the order uv.mk has them."""
    name = display_name(mk, target)
    found: list[str] = []
    texts = expansions(mk, source)
    for text in texts:
        for die, printed in ERROR.findall(text):
            message = clean_message(mk, die or printed, name)
            unfilled = re.search(r"\$\(\d\)", message) or message == "<…>"
            if not unfilled and message not in found:
                found.append(message)
    return found


def probed_tools(mk: Makefile, source: str) -> list[str]:
    """Packages whose absence the target explains (the MODULE=PACKAGE pairs of uvmk_needs)."""
    texts = [source] + [mk.variables[v] for v in reached(mk, source)]
    packages: list[str] = []
    for text in texts:
        for args in re.findall(r"\$\(call uvmk_(?:needs|if_missing),[^,]*,([^,]*),", text):
            for package in re.findall(r"[a-z_]+=([a-z-]+|\$\([A-Z_]+\))", args):
                if package not in packages:
                    packages.append(package)
    return packages


def display_name(mk: Makefile, target: Target) -> str:
    short = target.name.removeprefix("uv-")
    return short if short != target.name and short in mk.aliases else target.name


def target_section(mk: Makefile, target: Target) -> list[str]:
    name = display_name(mk, target)
    title = f"### `{name}`" + (f" (`{target.name}`)" if name != target.name else "")
    source = private_recipe(mk, target)
    knobs = [v for v in reached(mk, source) if v in mk.knobs]
    out = [title, "", target.help + ".", ""]
    if target.shown:
        out += ["Runs:", "", "```make", *target.shown, "```", ""]
    if knobs:
        out += ["Variables: " + ", ".join(f"`{k}`" for k in knobs) + ".", ""]
    tools = probed_tools(mk, source)
    if tools:
        out += [
            "A missing tool is named with the command that adds it: "
            + ", ".join(f"`{t}`" for t in tools)
            + ".",
            "",
        ]
    errors = messages(mk, target, source)
    if errors:
        out += ["Failure messages:", ""]
        out += [f"- {code('uv.mk: error: ' + message)}" for message in errors] + [""]
    return out


def header_variables(mk: Makefile) -> list[tuple[str, str, str]]:
    """(names, meaning, default) rows of the header's variable list.

    The list is laid out in columns, two spaces or more apart; the first row says where the
    default column starts. An entry that goes on over more lines is prose with no default; a
    one-line meaning that runs into the default column leaves the default as its last word.
    """
    entries: list[list[str]] = []
    inside = False
    for line in mk.header:
        if line.startswith("Variables"):
            inside = True
        elif inside and not line.strip():
            break
        elif inside and re.match(r"^  \S", line):
            entries.append([line])
        elif inside and entries:
            entries[-1].append(line)
    if not entries:
        return []
    default_at = [m.start() for m in re.finditer(r"\S+(?: \S+)*", entries[0][0])][-1]
    rows = []
    for first, *more in entries:
        cells = re.split(r"\s{2,}", first.strip())
        name, rest = cells[0], cells[1:]
        if more and len(rest) >= 2 and all(len(m) - len(m.lstrip()) >= default_at for m in more):
            # A default too long for its column goes on under it.
            default = " ".join([rest[-1], *(m.strip() for m in more)])
            rows.append((name, " ".join(rest[:-1]), default))
        elif more:
            meaning = " ".join([*rest, *(line.strip() for line in more)])
            rows.append((name, meaning, ""))
        elif len(rest) >= 2:
            rows.append((name, " ".join(rest[:-1]), rest[-1]))
        elif rest and first.rstrip().rfind(" ") >= default_at:
            meaning, _, default = rest[0].rpartition(" ")
            rows.append((name, meaning, default))
        else:
            rows.append((name, " ".join(rest), ""))
    return rows


def variables_table(mk: Makefile) -> list[str]:
    users: dict[str, list[str]] = {}
    for target in mk.targets:
        for knob in reached(mk, private_recipe(mk, target)):
            users.setdefault(knob, []).append(display_name(mk, target))
    out = ["| Variable | What it is | Default | Used by |", "|---|---|---|---|"]
    for names, meaning, default in header_variables(mk):
        knob_names = [n.strip() for n in re.split(r"[/,]", names) if n.strip()]
        used = sorted({u for n in knob_names for u in users.get(n, [])})
        used_by = f"{len(used)} targets" if len(used) > 12 else ", ".join(used)
        out.append(
            f"| {', '.join(code(n) for n in knob_names)} | {escape(meaning)} | "
            f"{escape(default)} | {used_by} |"
        )
    return out


def code(text: str) -> str:
    """text as a Markdown code span, even when it holds backticks."""
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def escape(cell: str) -> str:
    return cell.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def render(text: str) -> str:
    mk = parse(text)
    out = [
        "# uv.mk targets",
        "",
        "<!-- Generated by tools/docs_targets.py from uv.mk; do not edit: run `make docs`. -->",
        "",
        "Every target uv.mk defines, in the order `make help` lists them: what it runs, the",
        "variables that reach it and the errors it can stop with. A short name (`lint`) is an",
        "alias of the `uv-` one (`uv-lint`) unless your Makefile lists it in `UVMK_SKIP_TARGETS`.",
        "The variables table and uv.mk's internal helpers (the `UVMK_…` and `uvmk_…` names the",
        "recipes use) are at the end.",
        "",
    ]
    sections: dict[str, list[Target]] = {}
    for target in mk.targets:
        sections.setdefault(target.section, []).append(target)
    for section, targets in sections.items():
        out += [f"## {section}", ""]
        for target in targets:
            out += target_section(mk, target)
    out += ["## Variables", ""]
    out += ["Set any of them before the include, in the environment or on the command line.", ""]
    out += [*variables_table(mk), ""]
    out += helpers_section(mk)
    return "\n".join(out)


def helpers_section(mk: Makefile) -> list[str]:
    """Each internal helper a recipe reaches: the comment above it and its definition."""
    used: set[str] = set()
    for target in mk.targets:
        used.update(reached(mk, private_recipe(mk, target)))
    out = ["## Internal helpers", ""]
    out += ["What the `$(UVMK_…)` and `$(call uvmk_…)` in the recipes above stand for.", ""]
    for name in (n for n in mk.variables if n in used and n not in mk.knobs):
        out += [f"### `{name}`", ""]
        if mk.comments.get(name):
            out += [mk.comments[name], ""]
        out += ["```make", *definition_as_written(mk.written, name), "```", ""]
    return out


def definition_as_written(lines: list[str], name: str) -> list[str]:
    """A variable's definition as uv.mk spells it, continuation lines included."""
    start = next(i for i, line in enumerate(lines) if (m := ASSIGN.match(line)) and m[1] == name)
    shown = [lines[start]]
    while shown[-1].endswith("\\"):
        shown.append(lines[start + len(shown)])
    return shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the page is stale")
    args = parser.parse_args(argv)
    page = render(UV_MK.read_text(encoding="utf-8"))
    if args.check:
        if PAGE.exists() and PAGE.read_text(encoding="utf-8") == page:
            return 0
        print(f"{PAGE.relative_to(ROOT)} is stale: run make docs", file=sys.stderr)
        return 1
    PAGE.parent.mkdir(exist_ok=True)
    tmp = PAGE.with_suffix(".md.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(PAGE)
    print(f"wrote {PAGE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
