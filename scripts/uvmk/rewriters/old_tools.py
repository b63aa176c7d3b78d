"""Poetry's and Pipenv's commands → uv's: the one table every rewriter translates with (the
Makefile's recipes, docs, tox.ini, shell scripts) and the notes on the lines left as they are
(a Dockerfile, CI) read too.

Each translation is exact for the migrated project (`Shape`): `poetry install` installs the
groups Poetry installs by default, which the conversion made uv's default groups, so it is
`uv sync`; `pipenv install` installs [packages] alone, so it is `uv sync --no-default-groups`.
Where a uv.mk target runs the very same command for this project (`make dev-install` when no
group is optional and there is no extra) it is named, for the files a person reads. Anything
the table does not know exactly (an option it has no uv form for) is not translated: the
caller keeps the line and says it.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from uvmk.poetry_constraints import ConstraintError, specifier

TOOLS = ("poetry", "pipenv")
# each tool's commands: a word after its name that is none of them is prose (`poetry (1.8)`,
# `poetry export to sync…` in a hook's description), not a command
VERBS = {
    "poetry": frozenset(
        {
            "about",
            "add",
            "build",
            "cache",
            "check",
            "config",
            "debug",
            "env",
            "export",
            "help",
            "init",
            "install",
            "list",
            "lock",
            "new",
            "publish",
            "python",
            "remove",
            "run",
            "search",
            "self",
            "shell",
            "show",
            "source",
            "sync",
            "update",
            "version",
        }
    ),
    "pipenv": frozenset(
        {
            "check",
            "clean",
            "graph",
            "install",
            "lock",
            "open",
            "requirements",
            "run",
            "scripts",
            "shell",
            "sync",
            "uninstall",
            "update",
            "upgrade",
            "verify",
        }
    ),
}
# where one shell command ends: a control operator, a subshell's end, a comment
_END = re.compile(r"&&|\|\||[;|)`<>\r\n]|\s#|\s\d+[<>]")
_TOKEN = re.compile(r"""(?:[^\s'"]+|'[^']*'|"(?:\\.|[^"\\])*")+""")
_CALL = re.compile(r"(?<![\w./$-])(?P<tool>poetry|pipenv)(?=[ \t])")


@dataclass(frozen=True)
class Shape:
    """What the migrated project offers: its dependency groups (all, and the default ones), its
    extras, what uv.mk's install and dev-install run, and whether uv.mk's targets exist (a root
    Makefile includes uv.mk)."""

    groups: frozenset[str] = frozenset({"dev"})
    default_groups: frozenset[str] = frozenset({"dev"})
    extras: frozenset[str] = frozenset()
    make_targets: bool = False
    dev_flags: str = "--all-extras --all-groups"
    prod_flags: str = "--no-default-groups"
    # Poetry 1.x's plain `poetry lock` re-resolved every package (`--no-update` kept them)
    poetry_lock_upgrades: bool = False
    converted: frozenset[str] = frozenset()  # the tools whose files the migration converts


@dataclass(frozen=True)
class Translation:
    uv: tuple[str, ...]  # the uv command's words, shell-quoted ("uv", "sync", "--group", "x")
    target: str = ""  # the uv.mk target doing exactly that ("dev-install", "uv-add PKG=x")
    then: tuple[str, ...] = ()  # a second uv command run after the first (`poetry update`)

    def shell(self) -> str:
        first = " ".join(self.uv)
        return f"{first} && {' '.join(self.then)}" if self.then else first

    def for_people(self, shape: Shape) -> str:
        """What a README or a docs page says: the uv.mk target where there is one."""
        return f"make {self.target}" if self.target and shape.make_targets else self.shell()

    def for_make(self) -> str:
        """A recipe's command: `$(UV)` (uv.mk's uv), `$$SHELL` for the shell's own variable
        the table writes; the words kept as written keep their `$(make)` references."""
        text = self.shell().replace('"$SHELL"', '"$$SHELL"')
        return re.sub(r"^uv\b|(?<=&& )uv\b", "$(UV)", text)


@dataclass(frozen=True)
class Call:
    """One Poetry/Pipenv command found in a line: line[start:end] is it."""

    tool: str
    start: int
    end: int
    words: tuple[str, ...]  # after the tool's name, unquoted
    raw: tuple[str, ...]  # the same, as written
    verb: str = ""


@dataclass
class _Select:
    """What a `uv sync` installs: the groups, the extras, the project's own dependencies."""

    groups: set[str] = field(default_factory=set)
    extras: set[str] = field(default_factory=set)
    runtime: bool = True


def calls(line: str) -> Iterator[Call]:
    """Every `poetry …`/`pipenv …` command in a line (a word of its own, not `poetry.lock`)."""
    for m in _CALL.finditer(line):
        end = _command_end(line, m.end())
        span = line[m.end() : end]
        raw = tuple(_TOKEN.findall(span))
        try:
            words = tuple(shlex.split(" ".join(raw)))
        except ValueError:
            continue
        if len(words) != len(raw):
            continue
        verb = next((w for w in words if not w.startswith("-")), "")
        if verb not in VERBS[m.group("tool")] and not (words and words[0].startswith("-")):
            continue
        if verb in ("export",) and len(words) > 1 and not words[1].startswith("-"):
            continue  # `poetry export to sync the lock file…`: prose
        yield Call(m.group("tool"), m.start(), m.end() + len(span.rstrip()), words, raw, verb)


@dataclass(frozen=True)
class LineRewrite:
    text: str
    done: tuple[tuple[str, str], ...] = ()  # (the old command, its uv form)
    left: tuple[str, ...] = ()  # the commands of a converted tool kept as written (no uv form)


def rewrite_line(
    line: str,
    shape: Shape,
    render: Callable[[Translation], str],
    wanted: Callable[[Call], bool] = lambda call: True,
) -> LineRewrite:
    """The line with each `wanted` command of a converted tool in its uv form (`render`)."""
    done: list[tuple[str, str]] = []
    left: list[str] = []
    for call in reversed(list(calls(line))):
        if call.tool not in shape.converted or not wanted(call):
            continue
        old = line[call.start : call.end]
        t = translate(call, shape)
        if t is None:
            left.insert(0, old)
            continue
        new = render(t)
        line = line[: call.start] + new + line[call.end :]
        done.insert(0, (old, new))
    return LineRewrite(line, tuple(done), tuple(left))


def _command_end(line: str, at: int) -> int:
    """Where the command starting before `at` ends: the first operator outside quotes and
    outside a `$(…)`/`${…}` (a make function or a command substitution is one word)."""
    quote = ""
    depth = 0
    for i in range(at, len(line)):
        ch = line[i]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "$" and line[i + 1 : i + 2] in ("(", "{"):
            depth += 1
        elif depth and ch in ")}":
            depth -= 1
        elif depth == 0 and _END.match(line, i):
            return i
    return len(line)


def translate(call: Call, shape: Shape) -> Translation | None:
    """The uv command doing what `call` did, or None when the table has no exact form for it."""
    words, raw = list(call.words), list(call.raw)
    head: list[str] = []
    # global options before the command: `poetry -C app install`, `poetry -n install`
    while words and words[0].startswith("-"):
        opt = words.pop(0)
        raw.pop(0)
        if opt in ("-n", "--no-interaction", "--no-ansi", "--ansi", "-q", "--quiet"):
            continue
        if call.tool == "poetry" and opt in ("-C", "--directory", "-P", "--project") and words:
            head += ["--directory" if opt in ("-C", "--directory") else "--project", words.pop(0)]
            raw.pop(0)
            continue
        return None
    if not words:
        return None
    verb = words.pop(0)
    raw.pop(0)
    table = _POETRY if call.tool == "poetry" else _PIPENV
    fn = table.get(verb)
    if fn is None:
        return None
    done = fn(words, raw, shape)
    if done is None or not head:
        return done
    # a uv.mk target runs in the root: another folder's project is uv's own option
    return Translation((done.uv[0], *head, *done.uv[1:]), "", done.then)


# --- sync: the selection and the uv.mk target that installs the same -------------------------


def _sync(flags: list[str], shape: Shape, *, plain_target: bool = True) -> Translation:
    target = ""
    if plain_target:
        mine = _selection(flags, shape)
        if mine is None:
            pass
        elif mine == _selection(shape.dev_flags.split(), shape):
            target = "dev-install"
        elif mine == _selection(shape.prod_flags.split(), shape):
            target = "install"
    return Translation(("uv", "sync", *flags), target)


def _selection(flags: list[str], shape: Shape) -> _Select | None:
    """What `uv sync <flags>` installs for this project; None for flags that do more than
    select (those name no uv.mk target)."""
    out = _Select(set(shape.default_groups))
    only: set[str] = set()
    it = iter(flags)
    for f in it:
        if f == "--all-groups":
            out.groups = set(shape.groups)
        elif f == "--no-default-groups":
            out.groups -= shape.default_groups
        elif f == "--group":
            out.groups.add(next(it, ""))
        elif f == "--no-group":
            out.groups.discard(next(it, ""))
        elif f == "--only-group":
            only.add(next(it, ""))
        elif f == "--all-extras":
            out.extras = set(shape.extras)
        elif f == "--extra":
            out.extras.add(next(it, ""))
        else:
            return None
    if only:
        out.groups, out.runtime = only, False
    return out


def _groups(value: str) -> list[str]:
    return [g.strip() for g in re.split(r"[,\s]+", value) if g.strip()]


def _each(flag: str, value: str) -> list[str]:
    """`--group a --group b` for the list `a,b` (or `a b`) a Poetry option names."""
    return [x for g in _groups(value) for x in (flag, g)]


@dataclass(frozen=True)
class _Word:
    """One word of a command's arguments, as read by _read."""

    name: str  # an option's long name (`--extras` for `-E`), else the word itself
    value: str | None  # the value of an option that takes one; None for any other word
    at: int  # its index in the words (raw[at] is it as written)


def _read(words: list[str], *taking_a_value: str) -> list[_Word] | None:
    """The words as options and other words, the way Poetry's and Pipenv's parsers read them:
    an option taking a value (`taking_a_value`: its long name, then its short one if it has
    one: "--extras -E") as `--extras V`, `--extras=V`, `-E V` or `-EV`. None when one ends
    the words without its value: the command is not understood."""
    valued = {spelling: o.split()[0] for o in taking_a_value for spelling in o.split()}
    out: list[_Word] = []
    i = 0
    while i < len(words):
        w = words[i]
        long, eq, attached = w.partition("=")
        if eq and long.startswith("--") and long in valued:
            out.append(_Word(valued[long], attached, i))
        elif w in valued:
            if i + 1 == len(words):
                return None
            out.append(_Word(valued[w], words[i + 1], i))
            i += 1
        elif not w.startswith("--") and w[:2] in valued and len(w) > 2:
            out.append(_Word(valued[w[:2]], w[2:], i))
        else:
            out.append(_Word(w, None, i))
        i += 1
    return out


_QUIET = frozenset({"-n", "--no-interaction", "--no-ansi", "--ansi", "-v", "-vv", "-vvv"})


def _poetry_install(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    read = _read(words, "--with", "--without", "--only", "--extras -E")
    if read is None:
        return None
    flags: list[str] = []
    plain = True  # only selecting options: a uv.mk target may do the same
    for word in read:
        w, value = word.name, word.value or ""
        if w == "--with":
            flags += _each("--group", value)
        elif w == "--without":
            flags += _each("--no-group", value)
        elif w == "--only":
            named = _groups(value)
            if "main" in named:
                flags += ["--no-default-groups"]
                flags += [x for g in named if g != "main" for x in ("--group", g)]
            else:
                flags += _each("--only-group", value)
        elif w == "--extras":
            flags += _each("--extra", value)
        elif w in ("--no-dev",):
            flags.append("--no-default-groups")
        elif w in ("--all-extras", "--all-groups"):
            flags.append(w)
        elif w == "--no-root":
            flags.append("--no-install-project")
            plain = False
        elif w == "--compile":
            flags.append("--compile-bytecode")
            plain = False
        elif w in ("--dry-run", "--no-cache"):
            flags.append(w)
            plain = False
        elif w in ("--sync", "--remove-untracked") or w in _QUIET:
            pass  # uv sync removes what the lock does not hold: it always did --sync
        elif w in ("-q", "--quiet"):
            flags.append("-q")
        else:
            return None
    return _sync(flags, shape, plain_target=plain)


def _run(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    if not raw:
        return None
    return Translation(("uv", "run", *raw))


def _shell(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    if words:
        return None
    return Translation(("uv", "run", '"$SHELL"'))


def _add_words(packages: list[tuple[str, str]], extras: list[str]) -> list[str] | None:
    """Poetry's `name@^1.2` forms → PEP 508, quoted for the shell; a word with nothing to
    translate stays as written (`$(package)` in a recipe stays make's to expand)."""
    out = []
    for p, written in packages:
        name, at, constraint = p.partition("@")
        if not at and not extras:
            out.append(written)
            continue
        if at and re.match(r"\s*(?:git\+|https?:|file:)", constraint):
            return None
        spec = ""
        if at and constraint.strip() not in ("latest", ""):
            try:
                spec = specifier(constraint)
            except ConstraintError:
                return None
        if extras:
            name += f"[{','.join(extras)}]"
        word = name + spec
        out.append(word if re.fullmatch(r"[\w.\[\],-]+", word) else shlex.quote(word))
    return out


def _poetry_add(
    words: list[str], raw: list[str], shape: Shape, verb: str = "add"
) -> Translation | None:
    read = _read(words, "--group -G", *(("--extras -E", "--source") if verb == "add" else ()))
    if read is None:
        return None
    group = ""
    extras: list[str] = []
    flags: list[str] = []
    packages: list[tuple[str, str]] = []  # (the word, as written)
    for word in read:
        w, value = word.name, word.value
        if value is not None:  # --group, and add's --extras and --source
            if w == "--group":
                group = value
            elif w == "--extras":
                extras += _groups(value)
            else:
                flags += ["--index", value]
        elif w in ("-D", "--dev"):
            group = "dev"
        elif w in ("-e", "--editable") and verb == "add":
            flags.append("--editable")
        elif w == "--allow-prereleases" and verb == "add":
            flags += ["--prerelease", "allow"]
        elif w == "--lock":
            flags.append("--no-sync")
        elif w in _QUIET:
            pass
        elif w.startswith("-"):
            return None
        else:
            packages.append((w, raw[word.at]))
    as_written = [written for _, written in packages]
    named = _add_words(packages, extras) if verb == "add" else as_written
    if not named:
        return None
    return _edit(verb, named, group, flags)


def _edit(verb: str, named: list[str], group: str, flags: list[str]) -> Translation:
    """`uv add|remove`, and the uv.mk target (uv-add PKG=…) when it runs the same."""
    where = ["--dev"] if group == "dev" else (["--group", group] if group else [])
    target = ""
    if not flags and group in ("", "dev"):
        pkg = " ".join(shlex.split(" ".join(named)))
        value = pkg if re.fullmatch(r"[\w.-]+", pkg) else shlex.quote(pkg)
        target = f"uv-{verb}{'-dev' if group else ''} PKG={value}"
    return Translation(("uv", verb, *where, *flags, *named), target)


def _poetry_remove(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    return _poetry_add(words, raw, shape, verb="remove")


def _poetry_lock(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    upgrade = shape.poetry_lock_upgrades
    check = False
    for w in words:
        if w == "--no-update":
            upgrade = False
        elif w == "--regenerate":
            upgrade = True
        elif w == "--check":
            check = True
        elif w not in _QUIET:
            return None
    if check:
        return Translation(("uv", "lock", "--check"), "uv-check-lock")
    if upgrade:
        return Translation(("uv", "lock", "--upgrade"))
    return Translation(("uv", "lock"), "uv-lock")


def _upgrade(packages: list[str], sync: list[str], shape: Shape) -> Translation:
    """Re-resolve (every package, or those named), then install (`sync`: the flags, or None)."""
    lock = ("uv", "lock", *[x for p in packages for x in ("--upgrade-package", p)])
    if not packages:
        lock = ("uv", "lock", "--upgrade")
    installed = _sync(sync, shape)
    target = ""
    if installed.target == "dev-install":
        names = " ".join(packages)
        value = names if re.fullmatch(r"[\w.-]+", names) else shlex.quote(names)
        target = f"uv-upgrade-package PKG={value}" if packages else "uv-upgrade"
    return Translation(lock, target, installed.uv)


def _poetry_update(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    packages: list[str] = []
    sync: list[str] | None = []
    for w in words:
        if w == "--lock":
            sync = None
        elif w in _QUIET:
            pass
        elif w.startswith("-"):
            return None
        else:
            packages.append(w)
    if sync is None:
        lock = [x for p in packages for x in ("--upgrade-package", p)] or ["--upgrade"]
        return Translation(("uv", "lock", *lock))
    return _upgrade(packages, sync, shape)


def _poetry_export(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    read = _read(words, "--with", "--only", "--extras -E", "--format -f", "--output -o")
    if read is None:
        return None
    # poetry exports the main group alone, never the project itself
    flags = ["--no-default-groups", "--no-emit-project"]
    for word in read:
        w, value = word.name, word.value or ""
        if w == "--format":
            if value != "requirements.txt":
                return None
        elif w == "--output":
            flags += ["-o", shlex.quote(value)]
        elif w == "--with":
            flags += _each("--group", value)
        elif w == "--extras":
            flags += _each("--extra", value)
        elif w == "--only":
            named = _groups(value)
            if "main" in named:
                flags += [x for g in named if g != "main" for x in ("--group", g)]
            else:
                flags = [f for f in flags if f != "--no-default-groups"]
                flags += _each("--only-group", value)
        elif w == "--without-hashes":
            flags.append("--no-hashes")
        elif w == "--dev":
            flags += ["--group", "dev"]
        elif w in ("--all-extras", "--all-groups"):
            flags.append(w)
        elif w not in _QUIET:
            return None
    return Translation(("uv", "export", *flags))


def _poetry_build(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    read = _read(words, "--format -f", "--output -o")
    if read is None:
        return None
    flags: list[str] = []
    for word in read:
        w, value = word.name, word.value or ""
        if w == "--format":
            if value not in ("wheel", "sdist"):
                return None
            flags.append(f"--{value}")
        elif w == "--output":
            flags += ["--out-dir", shlex.quote(value)]
        elif w not in _QUIET:
            return None
    return Translation(("uv", "build", *flags))


_POETRY = {
    "install": _poetry_install,
    "sync": _poetry_install,  # Poetry 2's `install --sync`
    "run": _run,
    "shell": _shell,
    "add": _poetry_add,
    "remove": _poetry_remove,
    "lock": _poetry_lock,
    "update": _poetry_update,
    "export": _poetry_export,
    "build": _poetry_build,
}


# --- Pipenv: [packages] is the runtime, [dev-packages] the dev group --------------------------


def _pipenv_selection(
    words: list[str], raw: list[str]
) -> tuple[list[str], list[str], list[str]] | None:
    """(the groups named beside [packages], uv's other flags, the packages named, as
    written)."""
    read = _read(words, "--categories")
    if read is None:
        return None
    dev = False
    categories: list[str] = []
    other: list[str] = []
    packages: list[str] = []
    for word in read:
        w = word.name
        if w == "--categories":
            categories += _groups(word.value or "")
        elif w in ("-d", "--dev"):
            dev = True
        elif w == "--deploy":
            other.append("--locked")
        elif w == "--ignore-pipfile":
            other.append("--frozen")
        elif w in ("-e", "--editable"):
            other.append("--editable")
        elif w in ("-v", "--verbose", "-q", "--quiet"):
            pass
        elif w.startswith("-"):
            return None
        else:
            packages.append(raw[word.at])
    groups = ["dev"] if dev else []
    for c in categories:
        if c == "packages":
            continue
        groups.append("dev" if c == "dev-packages" else c)
    return list(dict.fromkeys(groups)), other, packages


def _select(groups: list[str]) -> list[str]:
    """uv sync's flags for [packages] and `groups` (Pipenv installs no other by default)."""
    return ["--no-default-groups", *[x for g in groups for x in ("--group", g)]]


def _pipenv_install(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    found = _pipenv_selection(words, raw)
    if found is None:
        return None
    groups, other, packages = found
    if packages:
        if len(groups) > 1 or [o for o in other if o != "--editable"]:
            return None
        return _edit("add", packages, groups[0] if groups else "", other)
    if "--editable" in other:
        return None
    if other:
        return Translation(("uv", "sync", *other, *_select(groups)))
    return _sync(_select(groups), shape)


def _pipenv_sync(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    found = _pipenv_selection(words, raw)
    if found is None or found[2] or found[1]:
        return None
    # the lock as it is, never re-resolved (Pipfile.lock → uv.lock)
    return Translation(("uv", "sync", "--frozen", *_select(found[0])))


def _pipenv_uninstall(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    found = _pipenv_selection(words, raw)
    if found is None or found[1] or not found[2]:
        return None
    groups = found[0]
    if len(groups) > 1:
        return None
    return _edit("remove", found[2], groups[0] if groups else "", [])


def _pipenv_lock(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    if [w for w in words if w not in ("-v", "--verbose", "-q", "--quiet")]:
        return None
    # pipenv lock resolves every package again, to the newest the Pipfile allows
    return Translation(("uv", "lock", "--upgrade"))


def _pipenv_update(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    found = _pipenv_selection(words, raw)
    if found is None or found[1]:
        return None
    return _upgrade(found[2], _select(found[0]), shape)


def _pipenv_requirements(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    flags = ["--no-default-groups", "--no-emit-project", "--no-hashes"]
    for w in words:
        if w == "--dev":
            flags += ["--group", "dev"]
        elif w == "--dev-only":
            flags = ["--only-group", "dev", "--no-emit-project", "--no-hashes"]
        elif w == "--hash":
            flags.remove("--no-hashes")
        else:
            return None
    return Translation(("uv", "export", *flags))


def _pipenv_graph(words: list[str], raw: list[str], shape: Shape) -> Translation | None:
    return None if words else Translation(("uv", "tree"), "uv-tree")


_PIPENV = {
    "install": _pipenv_install,
    "sync": _pipenv_sync,
    "run": _run,
    "shell": _shell,
    "uninstall": _pipenv_uninstall,
    "lock": _pipenv_lock,
    "update": _pipenv_update,
    "requirements": _pipenv_requirements,
    "graph": _pipenv_graph,
}
