"""Rewrite a legacy pip Makefile so that uv.mk's targets take over.

- `include <uv.mk>` is added after the leading comment block, preceded by `UVMK_SKIP_TARGETS := ...`
  (host targets named like uv.mk aliases whose recipes are not pip/venv based are kept and listed
  there) and by the uv.mk knobs carried over from the legacy recipes (API_APP, FORMATTER, ...).
- Host targets named like uv.mk aliases whose recipes use pip, `python -m venv`, a hard-coded
  interpreter or venv paths are removed; their names leave `.PHONY` too.
- `PYTEST := $(VENV)/bin/pytest` becomes `PYTEST := $(UV) run pytest`; interpreter/pip/venv
  variables nobody references any more are removed.
- Every other line is kept byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from uvmk.survey import strip_uv_run

# uv.mk's UVMK_ALIASES: each is an alias of uv-<name> unless listed in UVMK_SKIP_TARGETS.
ALIASES = (
    "install",
    "dev-install",
    "test",
    "test-unit",
    "test-integration",
    "coverage",
    "lint",
    "lint-fix",
    "format",
    "format-check",
    "type-check",
    "api",
    "api-prod",
    "check-env",
    "clean",
    "clean-venv",
    "help",
)
KNOBS = (
    "UV",
    "SRC",
    "TESTS",
    "UNIT_TESTS",
    "INTEGRATION_TESTS",
    "PACKAGE",
    "PYTEST_ARGS",
    "FORMATTER",
    "TYPE_CHECKER",
    "API_APP",
    "API_HOST",
    "API_PORT",
    "API_WORKERS",
    "UV_MIN_VERSION",
)
# What we assume uv.mk uses when a knob is not set: only knobs that differ are written.
KNOB_DEFAULTS = {
    "SRC": "src",
    "TESTS": "tests",
    "UNIT_TESTS": "tests/unit",
    "INTEGRATION_TESTS": "tests/integration",
}

_ASSIGN = re.compile(
    r"^(?P<prefix>(?:(?:override|export)\s+)*)(?P<name>[A-Za-z_][\w.-]*)\s*"
    r"(?P<op>:::=|::=|:=|\?=|\+=|!=|=)(?P<value>.*)$"
)
_RULE = re.compile(r"^(?P<targets>[^\t#:=][^#:=]*?)\s*(?P<colons>::?)(?!=)(?P<rest>.*)$")
_REF = re.compile(r"\$[({]([A-Za-z_][\w.-]*)[)}]")
_INCLUDE_UVMK = re.compile(r"^\s*-?s?include\s+\S*uv\.mk\s*$")

_INTERP = re.compile(r"(?<![\w$(.{-])(?:/usr(?:/local)?/bin/)?python(?:3(?:\.\d{1,2})?)?(?![\w.-])")
_PIP = re.compile(r"(?<![\w.-])pip3?(?![\w.-])|-m\s+pip\b")
_VENV_CMD = re.compile(r"-m\s+venv\b|\bvirtualenv\b|/bin/activate\b")


@dataclass
class Block:
    """One logical unit of the Makefile: its physical lines and what it is."""

    kind: str  # "assign" | "rule" | "other"
    lines: list[str]  # physical lines, each with its newline
    start: int  # 1-based line number of the first line
    name: str = ""  # assign: variable name
    op: str = ""
    value: str = ""
    prefix: str = ""
    targets: list[str] = field(default_factory=list)
    recipe: list[str] = field(default_factory=list)  # rule: recipe lines (within `lines`)
    head: str = ""  # rule: the joined header line
    removed: bool = False

    @property
    def text(self) -> str:
        return "".join(self.lines)


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


def split_blocks(text: str) -> list[Block]:
    physical = text.splitlines(keepends=True)
    blocks: list[Block] = []
    i = 0
    in_define = False
    while i < len(physical):
        start = i
        # a logical line: follow backslash continuations
        while physical[i].rstrip("\r\n").endswith("\\") and i + 1 < len(physical):
            i += 1
        lines = physical[start : i + 1]
        i += 1
        logical = " ".join(ln.rstrip("\r\n").rstrip("\\").strip() for ln in lines)
        first = lines[0]
        stripped = first.strip()
        if in_define:
            blocks.append(Block("other", lines, start + 1))
            if re.match(r"^\s*endef\b", first):
                in_define = False
            continue
        if re.match(r"^\s*(?:override\s+|export\s+)*define\b", first):
            in_define = True
            blocks.append(Block("other", lines, start + 1))
            continue
        if first.startswith("\t") or not stripped or stripped.startswith("#"):
            blocks.append(Block("other", lines, start + 1))
            continue
        m = _ASSIGN.match(logical)
        if m and not re.match(
            r"^\s*(?:ifeq|ifneq|ifdef|ifndef|else|endif|include|-include|"
            r"sinclude|vpath|unexport)\b",
            logical,
        ):
            blocks.append(
                Block(
                    "assign",
                    lines,
                    start + 1,
                    name=m.group("name"),
                    op=m.group("op"),
                    value=m.group("value").strip(),
                    prefix=m.group("prefix"),
                )
            )
            continue
        r = _RULE.match(logical)
        if r and not re.match(
            r"^\s*(?:ifeq|ifneq|ifdef|ifndef|else|endif|include|-include)\b", logical
        ):
            block = Block(
                "rule", list(lines), start + 1, targets=r.group("targets").split(), head=logical
            )
            # recipe: following lines that start with a tab (with their continuations)
            while i < len(physical) and physical[i].startswith("\t"):
                j = i
                while physical[j].rstrip("\r\n").endswith("\\") and j + 1 < len(physical):
                    j += 1
                block.lines += physical[i : j + 1]
                block.recipe += physical[i : j + 1]
                i = j + 1
            blocks.append(block)
            continue
        blocks.append(Block("other", lines, start + 1))
    return blocks


def _refs(text: str) -> set[str]:
    return set(_REF.findall(text))


def _is_venv_dir(value: str, venv_dirs: set[str]) -> bool:
    v = value.strip().strip("\"'")
    v = re.sub(r"^\$[({]CURDIR[)}]/", "", v).removeprefix("./")
    return v in venv_dirs or v in {".venv", "venv"}


def classify_variables(blocks: list[Block], venv_dirs: set[str]) -> dict[str, str]:
    """name -> "interpreter" | "pip" | "venv-dir" | "tool" (value inside a venv) | "legacy"."""
    kinds: dict[str, str] = {}
    assigns = [b for b in blocks if b.kind == "assign"]
    venv_names: set[str] = set()
    for b in assigns:
        if _is_venv_dir(b.value, venv_dirs):
            kinds[b.name] = "venv-dir"
            venv_names.add(b.name)
    dir_alt = "|".join(re.escape(d) for d in sorted(venv_dirs | {".venv", "venv"}))
    venv_path = re.compile(
        r"(?:\$[({](?:"
        + "|".join(map(re.escape, venv_names or {"VENV"}))
        + r")[)}]|(?<![\w.-])(?:"
        + dir_alt
        + r"))/bin/(?P<tool>[\w.-]+)"
    )
    for b in assigns:
        if b.name in kinds:
            continue
        m = venv_path.search(b.value)
        if m:
            tool = m.group("tool")
            if re.fullmatch(r"python(?:3(?:\.\d+)?)?", tool):
                kinds[b.name] = "interpreter"
            elif re.fullmatch(r"pip3?(?:\.\d+)?", tool):
                kinds[b.name] = "pip"
            else:
                kinds[b.name] = "tool"
        elif _PIP.search(strip_uv_run(b.value)):
            kinds[b.name] = "pip"
        elif _INTERP.search(strip_uv_run(b.value)):
            kinds[b.name] = "interpreter"
    return kinds


def _recipe_is_legacy(
    recipe: str, kinds: dict[str, str], values: dict[str, str], venv_dirs: set[str]
) -> bool:
    text = recipe
    seen: set[str] = set()
    for _ in range(5):  # expand variables a few levels
        refs = _refs(text) - seen
        if not refs:
            break
        for name in refs:
            seen.add(name)
            if name in kinds:
                return True
            text += " " + values.get(name, "")
    text = strip_uv_run(text)
    if _PIP.search(text) or _VENV_CMD.search(text) or _INTERP.search(text):
        return True
    dir_alt = "|".join(re.escape(d) for d in sorted(venv_dirs | {".venv", "venv"}))
    return re.search(r"(?<![\w.-])(?:" + dir_alt + r")/bin/", text) is not None


# What uv.mk's version of each alias runs: a host recipe line running the same tool (with
# nothing uv.mk would lose) may be replaced by uv.mk's target; any other command keeps the target.
_SAME_TOOL = {
    "test": r"pytest\b(?!.*--cov)",
    "test-unit": r"pytest\b(?!.*--cov)",
    "test-integration": r"pytest\b(?!.*--cov)",
    "coverage": r"pytest\b.*--cov",
    "lint": r"ruff(?:\s+check)?(?:\s|$)(?!.*--fix)",
    "lint-fix": r"ruff(?:\s+check)?\s.*--fix",
    "format": r"(?:black|isort)(?:\s|$)(?!.*--(?:check|diff))|ruff\s+format\b(?!.*--(?:check|diff))"
    r"|ruff\s+check\s.*--select[ =]I\b.*--fix",
    "format-check": r"(?:black|isort)\s.*--(?:check|diff)|ruff\s+format\s.*--(?:check|diff)"
    r"|ruff\s+check\s.*--select[ =]I\b(?!.*--fix)",
    "type-check": r"(?:mypy|pyright|ty)(?:\s|$)",
    "api": r"uvicorn\s",
    "api-prod": r"gunicorn\s",
    "check-env": r"(?:which|command\s+-v|type)\s",
}
_TOOL_NAMES = {
    "test": "pytest",
    "test-unit": "pytest",
    "test-integration": "pytest",
    "coverage": "pytest --cov",
    "lint": "ruff check",
    "lint-fix": "ruff check --fix",
    "format": "ruff format (or black + isort)",
    "format-check": "ruff format --check (or black/isort --check)",
    "type-check": "mypy (or pyright)",
    "api": "uvicorn",
    "api-prod": "gunicorn",
    "check-env": "its own uv/Python/lock checks",
    "clean": "its own cache cleanup",
    "clean-venv": "removing VENV",
    "help": "its own help",
}
_ENV_LINE = re.compile(
    r"(?<![\w.-])pip3?(?:\.\d+)?\s+(?:install|uninstall)\b|-m\s+pip\s+(?:install|uninstall)\b"
    r"|-m\s+venv\b|(?<![\w-])virtualenv\b|\bensurepip\b|^(?:source|\.)\s+\S*/activate\s*$"
)
_NEUTRAL_LINE = re.compile(r"^(?:echo|printf|:|true)(?:\s|$)")
_ACTIVATE_PREFIX = re.compile(r"^(?:source|\.)\s+\S*/activate\s*&&\s*")
_RUNNER_PREFIX = re.compile(
    r"^(?:(?:\$[({]UV[)}]|uv)\s+run\s+(?:-\S+\s+)*)?"
    r"(?:(?:\S*/)?python(?:3(?:\.\d+)?)?\s+-m\s+|\S*/(?:bin|Scripts)/)?"
)
_DEP_FILE = re.compile(r"requirements|constraints|setup\.(?:py|cfg)$|pyproject\.toml$")
_PIP_USE = re.compile(r"(?<![\w.-])pip3?(?:\.\d+)?\s+(?:install|uninstall)\b|-m\s+pip\b")


def _logical_lines(physical: list[str]) -> list[str]:
    out: list[str] = []
    buf = ""
    for line in physical:
        body = line.rstrip("\r\n")
        if body.endswith("\\"):
            buf += body[:-1] + " "
            continue
        out.append(buf + body)
        buf = ""
    if buf:
        out.append(buf)
    return out


def _expand_known(text: str, values: dict[str, str], known: set[str]) -> str:
    """Expand references to the interpreter/pip/venv/tool variables (not the host's others)."""
    for _ in range(5):
        new = _REF.sub(
            lambda m: values.get(m.group(1), m.group(0)) if m.group(1) in known else m.group(0),
            text,
        )
        if new == text:
            break
        text = new
    return text


def _command_of(line: str, values: dict[str, str], known: set[str]) -> str:
    """A recipe line as the command it runs: variables of the legacy env expanded, recipe
    prefixes, `source venv/bin/activate &&`, venv paths and `python -m` dropped."""
    text = _expand_known(line.strip(), values, known).lstrip("@-+ \t")
    text = _ACTIVATE_PREFIX.sub("", text)
    return _RUNNER_PREFIX.sub("", text, count=1).strip()


def _loses_something(cmd: str) -> bool:
    """A command uv.mk's version would not reproduce: chained or redirected commands, env
    assignments, host variables other than uv.mk's own knobs."""
    if re.search(r"&&|\|\||[;|<>`]", cmd) or re.match(r"^[A-Za-z_]\w*=", cmd):
        return True
    return any(ref not in KNOBS for ref in _REF.findall(cmd))


def _line_fate(
    alias: str,
    line: str,
    values: dict[str, str],
    known: set[str],
    tests_dir: bool = True,
) -> str:
    """ "env" (environment management), "same" (uv.mk's own tool, nothing lost), "neutral"
    (echo...), or "other". `tests_dir`: the repo has the folder uv.mk's test/coverage run
    (TESTS); without it a bare `pytest` (the whole rootdir) is not what uv.mk's would run."""
    expanded = _expand_known(line.strip(), values, known).lstrip("@-+ \t")
    if not expanded or expanded.startswith("#"):
        return "neutral"
    if _ENV_LINE.search(strip_uv_run(expanded)):
        return "env"
    if alias == "clean-venv" and re.fullmatch(r"rm\s+-r?f+r?\s+\S*venv/?", expanded):
        return "env"
    cmd = _command_of(line, values, known)
    if _NEUTRAL_LINE.match(cmd):
        return "neutral"
    tool = _SAME_TOOL.get(alias)
    if tool and re.match(tool, cmd) and (alias == "check-env" or not _loses_something(cmd)):
        if alias in ("test", "coverage") and not tests_dir and not _names_a_path(cmd):
            return "other"
        return "same"
    return "other"


def _names_a_path(cmd: str) -> bool:
    """pytest given a folder or file to run (else it collects from the rootdir)."""
    return any(
        not tok.startswith("-") and re.fullmatch(r"[\w./-]*(?:/|\.py|tests?)[\w./-]*", tok)
        for tok in cmd.split()[1:]
    )


def _rewrite_kept_line(line: str, venv_bin: re.Pattern[str], tools: str = "") -> str:
    """A recipe line of a host target that stays: venv tools and a bare interpreter run through
    `$(UV) run` (uv syncs the environment first); pip lines are left alone (reported)."""
    eol = line[len(line.rstrip("\r\n")) :]
    body = line[: len(line) - len(eol)]
    if _PIP_USE.search(body):
        return line
    run = "$(UV) run --all-extras --all-groups "
    body = re.sub(
        r"(?:source|\.)\s+" + venv_bin.pattern + r"/activate\s*&&\s*(?=[^&|;]*$)", run, body
    )
    body = re.sub(venv_bin.pattern + r"/(?=[\w.-]+(?:\s|$))", run, body)
    return _run_bare_interpreter(body, tools) + eol


def _run_bare_interpreter(line: str, tools: str = "") -> str:
    """`python manage.py migrate` in a recipe: the project's Python, through `$(UV) run` (the
    system one has none of the project's packages). Not `-m venv` / `-m pip` lines. The same
    for a bare tool that lived in the old venv (`flake8 app`, `pre-commit run`)."""
    if _PIP_USE.search(line) or re.search(r"-m\s+venv\b|(?<![\w-])virtualenv\b", line):
        return line
    return re.sub(
        _COMMAND_START
        + r"((?:/usr(?:/local)?/bin/)?python(?:3(?:\.\d{1,2})?)?|"
        + _TOOLS
        + (f"|{tools}" if tools else "")
        + r")"
        r"(?=\s|$)",
        lambda m: (
            m.group(1)
            + "$(UV) run --all-extras --all-groups "
            + ("python" if "python" in m.group(2) else m.group(2))
        ),
        _help_greps_without_names(line),
    )


# where a command starts in a recipe line: after the tab and @-+ prefixes, or after &&, ||, ;
# (each maybe with VAR=value assignments before the command)
_COMMAND_START = (
    r"(^\t[@+-]*(?:[A-Za-z_]\w*=\S*\s+)*|(?:&&|\|\||;)\s*(?:[A-Za-z_]\w*=\S*\s+)*"
    r"|\|\s*xargs\s+(?:-\S+\s+)*)"
)
# Python tools a legacy venv provided, called bare in recipes (the venv activated, or on PATH)
_TOOLS = (
    r"(?:black|flake8|isort|pytest|py\.test|mypy|pre-commit|pyupgrade|pylint|ruff|coverage"
    r"|bandit|pydocstyle|pycodestyle|pyflakes|autoflake|autopep8|yapf|pyright|sphinx-build"
    r"|sphinx-autobuild|mkdocs|django-admin|gunicorn|uvicorn|celery|alembic|flask|twine"
    r"|pip-audit|safety|codespell|interrogate|vulture|docformatter|nbqa|towncrier|ipython"
    r"|jupyter|locust|behave)"
)


def _help_greps_without_names(line: str) -> str:
    """A self-documenting help greps `$(MAKEFILE_LIST)`: with uv.mk included that is two files,
    and grep prefixes each match with its file name, which the awk then prints instead of the
    target. `grep -h` keeps the output as it was (and uv.mk's own `## ` targets join it)."""
    if "MAKEFILE_LIST" not in line:
        return line
    return re.sub(
        r"(?<![\w-])(e?grep)((?:\s+-[A-Za-z]+)*)(?=\s)",
        lambda m: (
            m.group(0)
            if re.search(r"\s-[A-Za-z]*h", m.group(2))
            else m.group(1) + " -h" + m.group(2)
        ),
        line,
        count=1,
    )


def _kept_recipe_note(targets: list[str], recipe: list[str], what: str) -> str:
    name = " ".join(targets)
    if any(re.search(r"grep -h\b.*MAKEFILE_LIST", ln) for ln in recipe):
        return f"`{name}` greps $(MAKEFILE_LIST) with -h: it still lists the targets (uv.mk's too)"
    return f"`{name}` now runs {what} through `$(UV) run`"


# a kept target with one of these names that only builds the environment is dev-install now
_ENV_TARGETS = frozenset(
    {
        "venv", ".venv", "env", "virtualenv", "deps", "dependencies", "setup", "bootstrap",
        "develop", "devenv", "dev-env", "dev-setup", "requirements", "reqs", "init",
        "environment",
    }
)  # fmt: skip


def _dev_install_alias(b: Block, values: dict[str, str], known: set[str]) -> bool:
    """Turn a kept `venv:`/`deps:` target whose recipe only creates a venv and pip-installs
    into it into `venv: dev-install` (its `## ` help kept): uv's .venv has no pip, and
    dev-install builds the environment. Prerequisites on it now get dev-install."""
    if not b.targets or not all(t in _ENV_TARGETS for t in b.targets):
        return False
    commands = [
        strip_uv_run(_expand_known(ln, values, known)).strip().lstrip("@-+")
        for ln in _logical_lines(b.recipe)
        if ln.strip()
    ]
    if not any(_PIP_USE.search(c) for c in commands):
        return False  # only creates a venv: a kept target may still need that interpreter
    if not all(_ENV_LINE.search(c) or _NEUTRAL_LINE.match(c) for c in commands):
        return False
    first = b.lines[0]
    eol = first[len(first.rstrip("\r\n")) :]
    comment = re.search(r"\s##\s.*$", first.rstrip("\r\n"))
    b.lines = [" ".join(b.targets) + ": dev-install" + (comment.group(0) if comment else "") + eol]
    b.recipe = []
    return True


_DEFAULT_GOAL = re.compile(r"^\s*(?:override\s+)?\.DEFAULT_GOAL\s*:{0,3}=\s*([^#\r\n]*)")


def legacy_default_goal(blocks: list[Block]) -> str:
    """The goal a bare `make` ran: `.DEFAULT_GOAL`, else the first ordinary target."""
    for b in blocks:
        m = _DEFAULT_GOAL.match(b.lines[0]) if b.kind != "rule" else None
        if m and m.group(1).strip():
            return m.group(1).strip()
    for b in blocks:
        if b.kind == "rule" and b.targets:
            first = b.targets[0]
            if (first.startswith(".") and "/" not in first) or "%" in first:
                continue
            return first
    return ""


def _extract_knobs(recipes: dict[str, str], values: dict[str, str]) -> dict[str, str]:
    def expand(text: str) -> str:
        for _ in range(5):
            new = _REF.sub(lambda m: values.get(m.group(1), m.group(0)), text)
            if new == text:
                break
            text = new
        return text

    knobs: dict[str, str] = {}
    alltext = {t: expand(r) for t, r in recipes.items()}
    joined = "\n".join(alltext.values())
    m = re.search(r"\buvicorn\s+(?:[^\n]*?\s)?([\w.]+:[\w.]+)", joined) or re.search(
        r"\bgunicorn\s+(?:[^\n]*?\s)?([\w.]+:[\w.]+)", joined
    )
    if m:
        knobs["API_APP"] = m.group(1)
    m = re.search(r"\buvicorn\b[^\n]*?--host[ =](\S+)", joined)
    if m:
        knobs["API_HOST"] = m.group(1)
    m = re.search(r"\buvicorn\b[^\n]*?--port[ =](\d+)", joined)
    if m:
        knobs["API_PORT"] = m.group(1)
    m = re.search(r"\bgunicorn\b[^\n]*?(?:-w\s*|--workers[ =])(\d+)", joined)
    if m:
        knobs["API_WORKERS"] = m.group(1)
    m = re.search(r"--cov=(?:\./)?(?:src/)?([A-Za-z_][\w]*)", joined)
    if m:
        knobs["PACKAGE"] = m.group(1)
    fmt = alltext.get("format", "")
    if re.search(r"(?<![\w-])black\b", fmt):
        knobs["FORMATTER"] = "black"
    elif re.search(r"\bruff\s+format\b", fmt):
        knobs["FORMATTER"] = "ruff"
    tc = alltext.get("type-check", "")
    for checker in ("mypy", "pyright", "ty"):
        if re.search(r"(?<![\w-])" + checker + r"(?![\w-])", tc):
            knobs["TYPE_CHECKER"] = checker
            break

    def first_path(target: str, tool: str) -> str | None:
        mm = re.search(
            r"(?<![\w-])" + tool + r"\s+(?:-[^\s=]+\s+)*([^\s$-]\S*)", alltext.get(target, "")
        )
        return mm.group(1).rstrip("/") if mm else None

    for knob, target, tool in (
        ("UNIT_TESTS", "test-unit", "pytest"),
        ("INTEGRATION_TESTS", "test-integration", "pytest"),
        ("TESTS", "test", "pytest"),
        ("SRC", "lint", r"ruff\s+check"),
    ):
        path = first_path(target, tool)
        if path and path != KNOB_DEFAULTS[knob]:
            knobs[knob] = path
    return knobs


def rewrite(
    text: str,
    *,
    include_path: str,
    venv_dirs: set[str] | None = None,
    target_venv: str = ".venv",
    name: str = "Makefile",
    tests_dir: bool = True,
    extra_knobs: dict[str, str] | None = None,
    tools: Iterable[str] = (),
) -> MakefileRewrite:
    """Rewrite a host Makefile's text (see the module doc). `include_path` is what follows
    `include` (e.g. "uv.mk" or "uv-mk/uv.mk"). `tests_dir`: the repo has a tests/ folder.
    `extra_knobs`: uv.mk variables the plan sets (EXPORT_FILE for a regenerated file).
    `tools`: the packages the requirements files installed into the old venv (their commands,
    called bare in a kept recipe, run through `$(UV) run`)."""
    tool_names = "|".join(re.escape(t) for t in sorted(set(tools), key=len, reverse=True))
    venv_dirs = set(venv_dirs or set())
    blocks = split_blocks(text)
    values = {b.name: b.value for b in blocks if b.kind == "assign"}
    kinds = classify_variables(blocks, venv_dirs)
    has_include = any(b.kind == "other" and _INCLUDE_UVMK.match(b.lines[0]) for b in blocks)
    notes: list[str] = []

    # targets that build a venv: `venv:`, `$(VENV)/bin/activate: requirements.txt`
    venv_names = [n for n, k in kinds.items() if k == "venv-dir"]
    venv_target = re.compile(
        r"^(?:\$[({](?:"
        + "|".join(map(re.escape, venv_names or ["VENV"]))
        + r")[)}]|(?:\./)?(?:"
        + "|".join(re.escape(d) for d in sorted(venv_dirs | {".venv", "venv"}))
        + r"))(?:/\S*)?$"
    )

    # 1. alias targets: removed only when their recipe is environment management or runs the
    #    tool uv.mk's version runs with nothing lost; any other host target is kept (and skipped)
    dirs_alt = "|".join(re.escape(d) for d in sorted(venv_dirs | {".venv", "venv"}))
    names_alt = "|".join(map(re.escape, venv_names or ["VENV"]))
    bin_dirs = {
        b.name
        for b in blocks
        if b.kind == "assign"
        and b.name not in kinds
        and re.fullmatch(
            r"(?:\$[({](?:" + names_alt + r")[)}]|(?:\./)?(?:" + dirs_alt + r"))/(?:bin|Scripts)/?",
            b.value.strip(),
        )
    }
    known = set(kinds) | bin_dirs
    venv_bin = re.compile(
        r"(?:\$[({](?:"
        + names_alt
        + r")[)}]/(?:bin|Scripts)"
        + (
            r"|\$[({](?:" + "|".join(map(re.escape, sorted(bin_dirs))) + r")[)}]"
            if bin_dirs
            else ""
        )
        + r"|(?<![\w.-])(?:\./)?(?:"
        + dirs_alt
        + r")/(?:bin|Scripts))"
    )
    removed_targets: list[str] = []
    kept_targets: list[str] = []
    removed_recipes: dict[str, str] = {}
    decisions: list[str] = []
    kept_alias_blocks: list[Block] = []
    for b in blocks:
        if b.kind != "rule" or b.targets == [".PHONY"]:
            continue
        aliases = [t for t in b.targets if t in ALIASES]
        if not aliases:
            continue
        recipe = "".join(b.recipe)
        where = f"{name}:{b.start}"
        prereqs = _prereqs(b.head)
        extra = [
            p for p in prereqs if not (venv_target.match(p) or p in ALIASES or _DEP_FILE.search(p))
        ]
        commands = [ln for ln in _logical_lines(b.recipe) if ln.strip()]
        fates = [
            (ln, {_line_fate(a, ln, values, known, tests_dir) for a in aliases}) for ln in commands
        ]
        others = [ln for ln, f in fates if f != {"env"} and f != {"same"} and f != {"neutral"}]
        if not commands:
            remove = bool(prereqs) and not extra and any(venv_target.match(p) for p in prereqs)
        else:
            remove = not extra and not others and any(f & {"env", "same"} for _, f in fates)
        if remove and len(aliases) == len(b.targets):
            b.removed = True
            removed_targets += b.targets
            for t in b.targets:
                removed_recipes[t] = recipe
            runs_same = any("same" in f for _, f in fates)
            why = (
                f"runs {_TOOL_NAMES.get(aliases[0], aliases[0])} like uv.mk's"
                if runs_same
                else "environment management (pip/venv)"
            )
            decisions.append(f"{' '.join(b.targets)} ({where}): removed, {why}; uv.mk's takes over")
            continue
        kept_targets += [t for t in aliases if t not in kept_targets]
        kept_alias_blocks.append(b)
        if extra:
            why = "needs " + " ".join(extra)
        elif others:
            shown = others[0].strip().lstrip("@-+")
            same_tool = _SAME_TOOL.get(aliases[0])
            cmd = _command_of(others[0], values, known)
            if same_tool and re.match(same_tool, cmd) and not _loses_something(cmd):
                why = f"runs `{shown}` over the whole repo: uv.mk's runs tests/, which is missing"
            elif same_tool and re.match(same_tool, cmd):
                why = f"runs `{shown}`: uv.mk's {_TOOL_NAMES[aliases[0]]} would lose part of it"
            else:
                why = f"runs `{shown}`, not {_TOOL_NAMES.get(aliases[0], aliases[0])}"
        else:
            why = "does something uv.mk's does not"
        decisions.append(f"{' '.join(aliases)} ({where}): kept (UVMK_SKIP_TARGETS), {why}")

    # any other kept target's bare interpreter runs the project's Python, through `$(UV) run`
    for b in blocks:
        if b.kind != "rule" or b.removed or b in kept_alias_blocks or b.targets == [".PHONY"]:
            continue
        head = b.lines[: len(b.lines) - len(b.recipe)]
        new_recipe = []
        for ln in b.recipe:
            eol = ln[len(ln.rstrip("\r\n")) :]
            new_recipe.append(_run_bare_interpreter(ln[: len(ln) - len(eol)], tool_names) + eol)
        if new_recipe != b.recipe:
            b.recipe = new_recipe
            b.lines = head + new_recipe
            notes.append(_kept_recipe_note(b.targets, b.recipe, "python or its venv tools"))

    # a kept alias target's venv tools and bare interpreter run through `$(UV) run`
    for b in kept_alias_blocks:
        head = b.lines[: len(b.lines) - len(b.recipe)]
        new_recipe = [_rewrite_kept_line(ln, venv_bin, tool_names) for ln in b.recipe]
        if new_recipe != b.recipe:
            b.recipe = new_recipe
            b.lines = head + new_recipe
            notes.append(_kept_recipe_note(b.targets, b.recipe, "its venv tools"))

    # venv-building targets that only the removed targets needed: uv creates .venv itself
    for b in blocks:
        if b.kind != "rule" or b.removed or not b.targets:
            continue
        if not all(venv_target.match(t) for t in b.targets):
            continue
        if not _recipe_is_legacy("".join(b.recipe), kinds, values, venv_dirs):
            continue
        needed = any(
            t in _prereqs(o.head)
            for o in blocks
            if o.kind == "rule" and not o.removed and o is not b and o.targets != [".PHONY"]
            for t in b.targets
        )
        if not needed:
            b.removed = True
            removed_targets += b.targets

    # (not while another kept target still pip-installs into the venv it made)
    live_rules = [b for b in blocks if b.kind == "rule" and not b.removed]
    for b in live_rules:
        pip_elsewhere = any(
            _PIP_USE.search(_expand_known("".join(o.recipe), values, known))
            for o in live_rules
            if o is not b and not set(o.targets) <= _ENV_TARGETS
        )
        if not pip_elsewhere and _dev_install_alias(b, values, known):
            notes.append(f"`{' '.join(b.targets)}` built the venv with pip: now runs dev-install")

    existing_skip = set()
    for b in blocks:
        if b.kind == "assign" and b.name == "UVMK_SKIP_TARGETS":
            existing_skip |= set(b.value.split())
    new_skip = [t for t in kept_targets if t not in existing_skip]

    # 2. tool variables -> $(UV) run <tool>
    rewritten: list[str] = []
    dir_alt = "|".join(re.escape(d) for d in sorted(venv_dirs | {".venv", "venv"}))
    venv_names = [n for n, k in kinds.items() if k == "venv-dir"] or ["VENV"]
    tool_re = re.compile(
        r"(?:\$[({](?:" + "|".join(map(re.escape, venv_names)) + r")[)}]|"
        r"(?<![\w.-])(?:\./)?(?:" + dir_alt + r"))/bin/(?P<tool>[\w.-]+)"
    )
    for b in blocks:
        if b.kind == "assign" and kinds.get(b.name) == "tool" and len(b.lines) == 1:
            tool_value = tool_re.sub(lambda m: f"$(UV) run {m.group('tool')}", b.value)
            b.lines = [_replace_value(b.lines[0], b.value, tool_value)]
            rewritten.append(f"{b.name}: {b.value} -> {tool_value}")
            b.value = tool_value

    # 3. remove unreferenced interpreter/pip/venv variables (to a fixed point); rewrite the rest
    removed_vars: list[str] = []
    changed = True
    while changed:
        changed = False
        live = [b for b in blocks if not b.removed]
        for b in live:
            if b.kind != "assign" or kinds.get(b.name) not in ("interpreter", "pip", "venv-dir"):
                continue
            used = any(
                b.name in _refs(o.text)
                for o in live
                if o is not b and not (o.kind == "assign" and o.name == b.name)
            )
            if not used:
                b.removed = True
                if b.name not in removed_vars:
                    removed_vars.append(b.name)
                changed = True
    for b in blocks:
        if b.removed or b.kind != "assign" or len(b.lines) != 1:
            continue
        kind = kinds.get(b.name)
        new_value: str | None = None
        if kind == "interpreter":
            # uv's .venv has no pip: a kept `$(PYTHON) -m pip wheel` gets pip from --with
            pip_use = re.compile(r"\$[({]" + re.escape(b.name) + r"[)}]\s+-m\s+pip\b")
            uses_pip = any(
                pip_use.search(o.text) for o in blocks if not o.removed and o.kind == "rule"
            )
            new_value = "$(UV) run --with=pip python" if uses_pip else "$(UV) run python"
            venv_use = re.compile(r"\$[({]" + re.escape(b.name) + r"[)}]\s+-m\s+venv\b")
            if any(venv_use.search(o.text) for o in blocks if not o.removed and o.kind == "rule"):
                new_value = None  # a kept `$(PYTHON) -m venv` needs a real interpreter
                notes.append(f"{b.name} still creates a venv in a kept target: left as it is")
        elif kind == "pip":
            new_value = "$(UV) pip"
        elif kind == "venv-dir" and b.value.strip() != target_venv:
            new_value = target_venv  # uv.mk reads VENV as the project environment
        if new_value and new_value != b.value:
            b.lines = [_replace_value(b.lines[0], b.value, new_value)]
            rewritten.append(f"{b.name}: {b.value} -> {new_value}")
            notes.append(f"{b.name} is still used by host targets: now `{new_value}`")
            b.value = new_value

    # 4. .PHONY lists
    gone = set(removed_targets)
    for b in blocks:
        if b.kind == "rule" and b.targets == [".PHONY"] and not b.removed and gone:
            new_lines = [_drop_words(line, gone) for line in b.lines]
            if new_lines != b.lines:
                names = " ".join(ln.rstrip("\r\n").rstrip("\\") for ln in new_lines)
                names = names.split(":", 1)[1] if ":" in names else ""
                if not names.strip():
                    b.removed = True
                b.lines = new_lines

    # removing a block must not leave a pile of blank lines behind
    for idx, b in enumerate(blocks):
        if not b.removed or b.kind == "assign":
            continue
        prev = next((p for p in reversed(blocks[:idx]) if not p.removed), None)
        nxt = blocks[idx + 1] if idx + 1 < len(blocks) else None
        if (
            nxt is not None
            and not nxt.removed
            and nxt.kind == "other"
            and not nxt.text.strip()
            and (prev is None or not prev.text.strip())
        ):
            nxt.removed = True
    # nor a blank line at the end of the file
    live_blocks = [b for b in blocks if not b.removed]
    if text.strip() and not text.endswith(("\n\n", "\r\n\r\n")):
        while live_blocks and live_blocks[-1].kind == "other" and not live_blocks[-1].text.strip():
            live_blocks.pop().removed = True
    for t, recipe in removed_recipes.items():
        for line in _logical_lines(recipe.splitlines(keepends=True)):
            fate = _line_fate(t, line, values, known)
            if line.strip() and (fate == "neutral" or (t == "check-env" and fate == "same")):
                notes.append(f"`{t}` was removed with a line uv.mk does not do: {line.strip()}")
    # kept targets that still pip-install into the environment: reported, not rewritten
    for b in blocks:
        if b.kind != "rule" or b.removed or b.targets == [".PHONY"]:
            continue
        offset = len(b.lines) - len(b.recipe)
        for k, line in enumerate(b.recipe):
            expanded = _expand_known(line, values, known)
            if _ENV_LINE.search(strip_uv_run(expanded)) and _PIP_USE.search(expanded):
                notes.append(
                    f"`{' '.join(b.targets)}` ({name}:{b.start + offset + k}) still uses pip: "
                    "consider `make dev-install`"
                )

    # 5. the include block
    knobs = _extract_knobs(removed_recipes, values)
    knobs.update(extra_knobs or {})
    knobs = {k: v for k, v in knobs.items() if k not in values}
    include_line = ""
    default_goal = ""
    body = [b for b in blocks if not b.removed]
    out = "".join(b.text for b in body)
    nl = "\r\n" if "\r\n" in text else "\n"
    if not has_include:
        include_line = f"include {include_path}"
        header: list[str] = [
            "# uv.mk: uv-based daily targets (uv-help lists them); added by `make uv-migrate`"
        ]
        if new_skip:
            header.append("UVMK_SKIP_TARGETS := " + " ".join(new_skip))
        header += [f"{k} := {v}" for k, v in knobs.items()]
        header.append(include_line)
        # a bare `make` keeps running what it ran: the first host target after the include
        # becomes the default, so say which one when the legacy default is gone or moved
        legacy_goal = legacy_default_goal(blocks)
        if legacy_goal and legacy_default_goal(body) != legacy_goal:
            default_goal = legacy_goal
            if legacy_goal in removed_targets and legacy_goal not in ALIASES:
                # a venv-building default goal (uv creates .venv itself): its successor
                default_goal = "dev-install"
                notes.append(
                    f"the default goal `{legacy_goal}` built the venv (removed: uv creates "
                    "it): `make` now runs dev-install"
                )
            header.append(f".DEFAULT_GOAL := {default_goal}")
        out = _insert_after_leading_comments(body, nl.join(header) + nl, nl)
    elif new_skip:
        notes.append(
            "uv.mk is already included: add "
            + " ".join(new_skip)
            + " to UVMK_SKIP_TARGETS before the include"
        )
        lines = out.splitlines(keepends=True)
        for idx, line in enumerate(lines):
            if _INCLUDE_UVMK.match(line):
                lines.insert(idx, "UVMK_SKIP_TARGETS += " + " ".join(new_skip) + nl)
                break
        out = "".join(lines)
        include_line = ""
    kept_lines = frozenset(n for b in body for n in range(b.start, b.start + len(b.lines)))
    return MakefileRewrite(
        text=out,
        changed=out != text,
        removed_targets=removed_targets,
        kept_targets=new_skip,
        removed_variables=removed_vars,
        rewritten_variables=rewritten,
        knobs=knobs,
        include_line=include_line,
        notes=notes,
        decisions=decisions,
        kept_lines=kept_lines,
        default_goal=default_goal,
    )


def _prereqs(head: str) -> list[str]:
    _, _, rest = head.partition(":")
    rest = rest.lstrip(":")
    return rest.split(";", 1)[0].split("#", 1)[0].replace("|", " ").split()


def _replace_value(line: str, old: str, new: str) -> str:
    idx = line.rfind(old) if old else -1
    if idx < 0:
        m = _ASSIGN.match(line.rstrip("\r\n"))
        eol = line[len(line.rstrip("\r\n")) :]
        return f"{m.group('prefix')}{m.group('name')} {m.group('op')} {new}{eol}" if m else line
    return line[:idx] + new + line[idx + len(old) :]


def _drop_words(line: str, words: set[str]) -> str:
    eol = line[len(line.rstrip("\r\n")) :]
    body = line[: len(line) - len(eol)]
    if body.lstrip().startswith(".PHONY"):
        head, _, rest = body.partition(":")
        head += ":"
    else:
        head = body[: len(body) - len(body.lstrip())]
        rest = body[len(head) :]
    cont = rest.rstrip().endswith("\\")
    toks = rest.rstrip().rstrip("\\").split()
    kept = [t for t in toks if t not in words]
    if kept == toks:
        return line
    new = " ".join(kept)
    if head.endswith(":"):
        new = " " + new if new else ""
    if cont:
        new += " \\"
    return head + new + eol


def _insert_after_leading_comments(body: list[Block], header: str, nl: str) -> str:
    idx = 0
    while (
        idx < len(body)
        and body[idx].kind == "other"
        and body[idx].lines[0].lstrip().startswith("#")
    ):
        idx += 1
    before = "".join(b.text for b in body[:idx])
    after = "".join(b.text for b in body[idx:])
    if before and not before.endswith("\n"):
        before += nl
    sep_before = nl if before and before.strip() and not before.endswith(nl + nl) else ""
    sep_after = "" if after.startswith(("\n", "\r\n")) or not after else nl
    return before + sep_before + header + sep_after + after
