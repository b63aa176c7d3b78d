"""What in a legacy Makefile is environment management: which variables name an interpreter,
pip, a venv or a tool inside it; what each recipe line of an alias target does compared with
uv.mk's own target; a kept recipe line made to run through `$(UV) run`."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

from packaging.utils import canonicalize_name

from uvmk.patterns import (
    ENV_LINE,
    INTERPRETER_ANYWHERE,
    PIP_ENV_USE,
    PIP_WORD,
    VENV_COMMAND,
    VENV_CREATION,
    strip_uv_run,
)
from uvmk.rewriters.makefile.blocks import _REF, Block, _refs


def _is_venv_dir(value: str, venv_dirs: set[str]) -> bool:
    v = value.strip().strip("\"'")
    v = re.sub(r"^\$[({]CURDIR[)}]/", "", v).removeprefix("./")
    return v in venv_dirs or v in {".venv", "venv"}


def classify_variables(blocks: list[Block], venv_dirs: set[str]) -> dict[str, str]:
    """name -> "interpreter" | "pip" | "venv-dir" | "tool" (value inside a venv). A variable
    names an interpreter or pip only when its whole value is that command (`python3 -u`,
    `$(VENV)/bin/pip`, `python -m pip`): a word list (`python javascript`) or a path that merely
    contains `python` is something else."""
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
    bin_dirs = {b.name for b in assigns if re.search(r"/(?:bin|Scripts)/?$", b.value.strip())}
    for b in assigns:
        if b.name in kinds:
            continue
        value = b.value.strip()
        if interpreter_command(value, bin_dirs):
            is_pip = re.match(r"\S+\s+(?:-\S+\s+)*-m\s*pip\b", value)
            kinds[b.name] = "pip" if is_pip else "interpreter"
        elif pip_command(value, bin_dirs):
            kinds[b.name] = "pip"
        elif venv_path.search(value):
            kinds[b.name] = "tool"
    return kinds


# an interpreter as a command's first word: python, python3.12, /usr/bin/python3, a venv's
# bin/python (`$(VENV)/bin/python`, `venv/bin/python3`, `$(VENV_BIN)/python`)
_INTERPRETER_WORD = r"python(?:\d(?:\.\d{1,2})?)?(?:\.exe)?"
_PIP_WORD_ONLY = r"pip(?:\d(?:\.\d{1,2})?)?(?:\.exe)?"
# what may follow it and still be the interpreter: flags, `-m module`, `-W arg`
_FLAGS = r"(?:\s+(?:-m\s*[\w.]+|-[WX]\s*\S+|-[A-Za-z]+|--[\w-]+(?:=\S+)?))*"


def _command_word(word: str, bin_dirs: Collection[str]) -> str:
    """The program a command word names once its folder is set aside (`` when the folder is
    not a bin/ or a variable naming one)."""
    head, sep, prog = word.rpartition("/")
    if not sep:
        return word
    ref = re.fullmatch(r"\$[({]([\w.-]+)[)}]", head)
    if (ref and ref.group(1) in bin_dirs) or re.search(r"(?:^|/)(?:bin|Scripts)$", head):
        return prog
    return ""


def interpreter_command(value: str, bin_dirs: Collection[str] = ()) -> bool:
    """`python3 -u`, `$(VENV)/bin/python`, `python -m pip`: the whole value runs Python."""
    m = re.fullmatch(r"(\S+)(" + _FLAGS + r")\s*", value)
    word = _command_word(m.group(1), bin_dirs) if m else ""
    return re.fullmatch(_INTERPRETER_WORD, word) is not None


def pip_command(value: str, bin_dirs: Collection[str] = ()) -> bool:
    """`pip3`, `$(VENV)/bin/pip`, `pip --disable-pip-version-check`: the whole value is pip."""
    m = re.fullmatch(r"(\S+)(" + _FLAGS + r")\s*", value)
    word = _command_word(m.group(1), bin_dirs) if m else ""
    return re.fullmatch(_PIP_WORD_ONLY, word) is not None


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
    if PIP_WORD.search(text) or VENV_COMMAND.search(text) or INTERPRETER_ANYWHERE.search(text):
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


_NEUTRAL_LINE = re.compile(r"^(?:echo|printf|:|true)(?:\s|$)")


_ACTIVATE_PREFIX = re.compile(r"^(?:source|\.)\s+\S*/activate\s*&&\s*")


_RUNNER_PREFIX = re.compile(
    r"^(?:(?:\$[({]UV[)}]|uv)\s+run\s+(?:-\S+\s+)*)?"
    r"(?:(?:\S*/)?python(?:3(?:\.\d+)?)?\s+-m\s+|\S*/(?:bin|Scripts)/)?"
)


_DEP_FILE = re.compile(r"requirements|constraints|setup\.(?:py|cfg)$|pyproject\.toml$")


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


def _loses_something(cmd: str, knobs: Collection[str]) -> bool:
    """A command uv.mk's version would not reproduce: chained or redirected commands, env
    assignments, host variables other than uv.mk's own knobs."""
    if re.search(r"&&|\|\||[;|<>`]", cmd) or re.match(r"^[A-Za-z_]\w*=", cmd):
        return True
    return any(ref not in knobs for ref in _REF.findall(cmd))


def _line_fate(
    alias: str,
    line: str,
    values: dict[str, str],
    known: set[str],
    knobs: Collection[str],
    tests_dir: bool = True,
) -> str:
    """ "env" (environment management), "same" (uv.mk's own tool, nothing lost), "neutral"
    (echo...), or "other". `tests_dir`: the repo has the folder uv.mk's test/coverage run
    (TESTS); without it a bare `pytest` (the whole rootdir) is not what uv.mk's would run."""
    expanded = _expand_known(line.strip(), values, known).lstrip("@-+ \t")
    if not expanded or expanded.startswith("#"):
        return "neutral"
    if ENV_LINE.search(strip_uv_run(expanded)):
        return "env"
    if alias == "clean-venv" and re.fullmatch(r"rm\s+-r?f+r?\s+\S*venv/?", expanded):
        return "env"
    cmd = _command_of(line, values, known)
    if _NEUTRAL_LINE.match(cmd):
        return "neutral"
    tool = _SAME_TOOL.get(alias)
    if tool and re.match(tool, cmd) and (alias == "check-env" or not _loses_something(cmd, knobs)):
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


def _rewrite_kept_line(
    line: str,
    venv_bin: re.Pattern[str],
    tools: str = "",
    env_refs: Collection[str] = (),
    run: str = "",
) -> str:
    """A recipe line of a host target that stays: venv tools (`$(VENV)/bin/watchmedo`,
    `venv/bin/flake8` run as a command) and a bare interpreter run through `$(UV) run` (uv
    syncs the environment first); pip and venv-creating lines are left alone (reported).
    `env_refs`: the Makefile's variables whose value is only `NAME=value` assignments, which
    may come before a command (`$(py_warn) pytest`). `run`: what they run through (RUN)."""
    run = run or RUN
    eol = line[len(line.rstrip("\r\n")) :]
    body = line[: len(line) - len(eol)]
    if PIP_ENV_USE.search(body) or VENV_CREATION.search(body):
        return line
    body = re.sub(
        r"(?:source|\.)\s+" + venv_bin.pattern + r"/activate\s*&&\s*(?=[^&|;]*$)", run + " ", body
    )
    inside = _inside_uv_run(body)
    body = re.sub(
        command_start(env_refs) + r"(!\s+)?" + venv_bin.pattern + r"/(?=[\w.-]+(?:\s|$))",
        lambda m: m.group(0) if inside(m.start()) else m.group(1) + (m.group(2) or "") + run + " ",
        body,
    )
    return _run_bare_interpreter(body, tools, env_refs, run) + eol


RUN = "$(UV) run --all-extras --all-groups"


def _run_bare_interpreter(
    line: str, tools: str = "", env_refs: Collection[str] = (), run: str = RUN
) -> str:
    """`python manage.py migrate` in a recipe: the project's Python, through `$(UV) run` (the
    system one has none of the project's packages). Not `-m venv` / `-m pip` lines. The same
    for a bare tool that lived in the old venv (`flake8 app`, `pre-commit run`), one of
    _TOOLS or of `tools` (the packages the requirements files installed)."""
    if PIP_ENV_USE.search(line) or VENV_CREATION.search(line):
        return line
    inside = _inside_uv_run(line)
    return re.sub(
        command_start(env_refs)
        + r"((?:/usr(?:/local)?/bin/)?python(?:3(?:\.\d{1,2})?)?|"
        + _TOOLS
        + (f"|{tools}" if tools else "")
        + r")(?=\s|$)",
        lambda m: (
            m.group(0)
            if inside(m.start())
            else m.group(1) + run + " " + ("python" if "python" in m.group(2) else m.group(2))
        ),
        line,
    )


_UV_RUN_START = re.compile(r"(?:\$[({]UV[)}]|(?<![\w-])uv)\s+run(?=\s)")


def _inside_uv_run(line: str) -> Callable[[int], bool]:
    """Whether a position of the recipe line lies in a command uv already runs: from `uv run`
    (or `$(UV) run`) to the end of that command, the first `&&`, `||`, `;` or `|` outside
    quotes. A quoted `bash -c "cd x && mypy ."` it runs is bash's, in uv's environment
    already: another `uv run` there would sync and run again inside it."""
    spans = []
    for start in _UV_RUN_START.finditer(line):
        quote, i = "", start.end()
        while i < len(line):
            c = line[i]
            if quote:
                quote = "" if c == quote else quote
            elif c in "'\"":
                quote = c
            elif c in ";&|":
                break
            i += 1
        spans.append((start.start(), i))
    return lambda pos: any(a <= pos < b for a, b in spans)


def command_start(env_refs: Collection[str] = ()) -> str:
    """Where a command starts in a recipe line: after the tab and @-+ prefixes, after &&, ||,
    ; (each maybe with VAR=value assignments before the command, or `$(v)` of `env_refs`,
    variables holding only such), or as what `| xargs` runs."""
    refs = "|".join(map(re.escape, sorted(env_refs)))
    assign = r"(?:[A-Za-z_]\w*=\S*\s+" + (rf"|\$[({{](?:{refs})[)}}]\s+" if refs else "") + ")*"
    return rf"(^\t[@+-]*{assign}|(?:&&|\|\||;)\s*{assign}|\|\s*xargs\s+(?:-\S+\s+)*)"


_COMMAND_START = command_start()


def env_assignments(values: dict[str, str]) -> set[str]:
    """The variables whose whole value is `NAME=value` assignments (`PYTHONDEVMODE=1`)."""
    return {
        name
        for name, value in values.items()
        if re.fullmatch(r"(?:[A-Za-z_]\w*=\S*\s*)+", value.strip())
    }


# Python tools a legacy venv provided, called bare in recipes (the venv activated, or on PATH)
_TOOLS = (
    r"(?:black|flake8|isort|pytest|py\.test|mypy|pre-commit|pyupgrade|pylint|ruff|coverage"
    r"|bandit|pydocstyle|pycodestyle|pyflakes|autoflake|autopep8|yapf|pyright|sphinx-build"
    r"|sphinx-autobuild|mkdocs|django-admin|gunicorn|uvicorn|celery|alembic|flask|twine"
    r"|pip-audit|safety|codespell|interrogate|vulture|docformatter|nbqa|towncrier|ipython"
    r"|jupyter|locust|behave)"
)


# packages whose commands are not named like the package (`watchdog` installs `watchmedo`)
_PACKAGE_COMMANDS = {
    "watchdog": ("watchmedo",),
    "sphinx": ("sphinx-build", "sphinx-apidoc", "sphinx-quickstart"),
    "django": ("django-admin",),
    "httpie": ("http", "https"),
    "python-dotenv": ("dotenv",),
    "jupyterlab": ("jupyter", "jupyter-lab"),
    "notebook": ("jupyter", "jupyter-notebook"),
    "awscli": ("aws",),
    "fabric": ("fab",),
    "invoke": ("inv", "invoke"),
    "poethepoet": ("poe",),
    "bump2version": ("bump2version", "bumpversion"),
}


def commands_of(packages: Iterable[str]) -> set[str]:
    """The commands the packages put in the venv's bin/: each one's name, and the differently
    named ones of _PACKAGE_COMMANDS."""
    packages = list(packages)
    named_apart = {c for p in packages for c in _PACKAGE_COMMANDS.get(canonicalize_name(p), ())}
    return {p.lower() for p in packages} | named_apart


def _help_greps_without_names(line: str) -> str:
    """A self-documenting help greps `$(MAKEFILE_LIST)`: with uv.mk included that is two files,
    and grep prefixes each match with its file name, which the awk then prints instead of the
    target. `grep -h` keeps the output as it was (and uv.mk's own `## ` targets join it). Only
    a grep given $(MAKEFILE_LIST) as its files: one reading a pipe prints no names."""
    return re.sub(
        r"(?<![\w-])(e?grep)((?:\s+-[A-Za-z]+)*)(?=\s[^|;&]*?\s" + _MAKEFILE_LIST_ARG + ")",
        lambda m: (
            m.group(0)
            if re.search(r"\s-[A-Za-z]*h", m.group(2))
            else m.group(1) + " -h" + m.group(2)
        ),
        line,
        count=1,
    )


# $(MAKEFILE_LIST) as a word of its own (not inside `$(lastword $(MAKEFILE_LIST))`)
_MAKEFILE_LIST_ARG = r"[\"']?\$[({]MAKEFILE_LIST[)}][\"']?(?=\s|$|[|;&])"
