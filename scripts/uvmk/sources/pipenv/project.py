"""The one door the survey opens to Pipenv: a Pipfile at the root becomes the pyproject uv reads
(convert), Pipfile.lock's versions seed uv.lock (lock), [scripts] go to the plan for make
targets, and every line that still runs pipenv is named with its uv command. Pipfile and
Pipfile.lock are retired: deleted once uv.lock is written, unless something still reads them."""

from __future__ import annotations

import json

import tomlkit
from tomlkit.exceptions import TOMLKitError

from uvmk.sources.converted import (
    ConvertedProject,
    locked_elsewhere,
    not_rewritten,
    refused,
    said_line,
    still_running,
)
from uvmk.sources.setuptools.setup_cfg import is_setup_cfg_project
from uvmk.sources.toml_tables import folder_project_name
from uvmk.survey import readers
from uvmk.survey.model import SurveyError
from uvmk.survey.tree import Tree

# what each pipenv command is with uv (uv.mk's targets do install/sync: `make dev-install`)
_UV_FOR = {"install": "uv sync (uv add for a package)", "sync": "uv sync", "run": "uv run"}
_UV_FOR |= {"shell": "uv run $SHELL", "lock": "uv lock", "update": "uv lock -U && uv sync"}
_UV_FOR |= {"upgrade": "uv lock -U", "uninstall": "uv remove", "graph": "uv tree"}
_UV_FOR |= {"requirements": "uv export --format requirements.txt", "clean": "uv sync"}
_UV_FOR |= {"verify": "uv lock --check"}


def _a_setuptools_project(tree: Tree, rel: str) -> bool:
    """setup.py, or a setup.cfg of [metadata]/[options] (one of tool settings alone, flake8's
    and pytest's beside nyu-devops' Pipfile apps, makes no project)."""
    if rel == "setup.cfg":
        text = tree.read(rel)
        return text is not None and is_setup_cfg_project(text)
    return tree.has_file(rel)


def _converted_before(pipfile: str, name: str, pyproject: str) -> bool:
    """Does pyproject.toml say what the Pipfile converts to (its dependencies and groups)? The
    migration keeps a Pipfile a Dockerfile or CI still runs pipenv on (nyu-devops'): a second
    run then finds its own conversion, not a [project] to merge by hand."""
    from uvmk.sources.pipenv.convert import convert

    try:
        fresh = tomlkit.parse(convert(pipfile, name, None).text).unwrap()
        have = tomlkit.parse(pyproject).unwrap()
    except TOMLKitError:
        return False
    if "project" not in have:
        return False
    return all(
        (fresh.get(table) or {}).get(key) == (have.get(table) or {}).get(key)
        for table, key in (("project", "dependencies"), ("project", "optional-dependencies"))
    ) and fresh.get("dependency-groups") == have.get("dependency-groups")


def pipenv_project(tree: Tree, pyproject: str | None) -> ConvertedProject | None:
    """None without a Pipfile at the root; SurveyError (one line, file:line) when the Pipfile or
    its lock cannot be read, or the conversion would lose something. `pyproject`: the
    pyproject.toml beside it (its tool tables are kept)."""
    pipfile = tree.read("Pipfile")
    if pipfile is None:
        return None
    # the converter and Pipfile.lock's reader only for a Pipenv project: every survey asks
    from uvmk.sources.pipenv import lock
    from uvmk.sources.pipenv.convert import convert

    if beside := [rel for rel in ("setup.py", "setup.cfg") if _a_setuptools_project(tree, rel)]:
        raise SurveyError(
            f"Pipfile: {beside[0]} beside it makes the project (setuptools) and the Pipfile its "
            "environment: uv-migrate converts a Pipfile application only, not yet both; move "
            "the Pipfile's packages to requirements files, or setup.py's metadata to "
            f"pyproject.toml [project], then run uv-migrate again ({beside[0]}:1)"
        )
    if pyproject is not None and _converted_before(
        pipfile, folder_project_name(tree.root.name), pyproject
    ):
        return None  # a Pipfile kept for its readers by a migration already done
    try:
        conversion = convert(pipfile, folder_project_name(tree.root.name), pyproject)
    except TOMLKitError as e:
        raise SurveyError(f"Pipfile: cannot be read ({e}) (Pipfile:1)") from None
    if refusals := conversion.refusals():
        raise refused(refusals, "Pipfile", "Pipenv")
    notes = [said_line(s) for s in conversion.said if s.note.kind == "reported"]
    seeds: dict[str, str] = {}
    has_lock = tree.has_file("Pipfile.lock")
    if has_lock:
        try:
            locked = lock.read(tree.text("Pipfile.lock"))
        except (json.JSONDecodeError, AttributeError) as e:
            raise SurveyError(f"Pipfile.lock: cannot be read ({e}) (Pipfile.lock:1)") from None
        seeds = locked.seeds
        notes += [f"Pipfile.lock: {n.text}" for n in locked.notes]
        notes += locked_elsewhere("Pipfile.lock", locked.elsewhere)
    running = still_running(readers.scan(tree), "pipenv", _UV_FOR)
    notes += not_rewritten("pipenv", running)
    return ConvertedProject(
        conversion.text,
        seeds,
        tuple(notes),
        tool="pipenv",
        config="Pipfile",
        lock="Pipfile.lock" if has_lock else None,
        retired=("Pipfile", *(["Pipfile.lock"] if has_lock else [])),
        scripts=conversion.scripts,
        runners=tuple(running),
    )
