"""What the survey and the plan ask of a legacy setuptools project: the [project] its setup.py
and setup.cfg make, and the notes that say what happened to each keyword."""

from __future__ import annotations

from typing import Literal

from uvmk.diagnostics import Where
from uvmk.sources.pip.grammar import Note
from uvmk.sources.setuptools.project import SetupPyError, SetupPyProject, read_setup_py

__all__ = [
    "SetupPyError",
    "SetupPyProject",
    "file_actions",
    "notes",
    "read_setup_py",
]


def file_actions(
    sp: SetupPyProject,
) -> list[tuple[str, Literal["keep", "delete"], str, tuple[str, ...]]]:
    """(path, action, why, details) for setup.py and the extras files it read: setup.py goes
    once pyproject says everything it did, else stays, the plan saying why; they go with it.
    Without a setup.py (setup.cfg alone), nothing: setup.cfg stays, setuptools reads its
    options."""
    if not sp.has_setup_py:
        return []
    if sp.keep_setup_py:
        why = "it still does what [project] cannot say"
        out: list[tuple[str, Literal["keep", "delete"], str, tuple[str, ...]]] = [
            ("setup.py", "keep", why, tuple(sp.kept_for))
        ]
    else:
        why = "its metadata and options are in pyproject.toml now"
        out = [("setup.py", "delete", why, tuple(sp.carried))]
    for rel, extras in sp.extras_files.items():
        if sp.keep_setup_py:
            out.append((rel, "keep", "still read by setup.py, which stays", ()))
        else:
            into = f"migrated into [project.optional-dependencies] {', '.join(extras)}"
            out.append((rel, "delete", into, ()))
    return out


def notes(sp: SetupPyProject, runtime_files: list[str]) -> list[Note]:
    """What happened to each keyword; `runtime_files` are the requirements files the plan puts
    into [project].dependencies."""
    where = Where("setup.py", 1)
    from_py = any("(setup.py:" in c for c in sp.carried)
    made_from = "setup.py, read without running it" if from_py else "setup.cfg"
    out = [
        Note(
            "setup-py-project",
            f"pyproject.toml [project] is made from {made_from}: {', '.join(sp.carried)}",
            where if from_py else Where("setup.cfg", 1),
        )
    ]
    from_cfg = [c for c in sp.carried if "(setup.cfg:" in c]
    if from_cfg:
        out.append(
            Note(
                "setup-cfg-carried",
                f"setup.cfg's {', '.join(from_cfg)} are in [project] now, where setuptools reads "
                f"them (it ignores them in setup.cfg from now on): remove them from setup.cfg",
                Where("setup.cfg", 1),
            )
        )
    if sp.left_in_cfg:
        out.append(
            Note(
                "setup-cfg-dynamic",
                "setup.cfg still gives what [project] declares dynamic: "
                + "; ".join(sp.left_in_cfg),
                Where("setup.cfg", 1),
            )
        )
    if sp.keep_setup_py:
        out.append(
            Note(
                "setup-py-kept",
                "setup.py stays, it still does what [project] cannot say: "
                + "; ".join(sp.kept_for),
                where,
            )
        )
        if sp.reads:
            out.append(
                Note(
                    "setup-py-reads",
                    f"setup.py still reads {', '.join(sp.reads)} when it runs: kept",
                    where,
                )
            )
        if sp.imports_own:
            out.append(
                Note(
                    "setup-py-legacy-backend",
                    f"setup.py imports the repo's own {', '.join(sp.imports_own)}: the build "
                    "backend is setuptools.build_meta:__legacy__, which puts setup.py's folder "
                    "on sys.path as the old `pip install .` did (PEP 517's isolated build "
                    "has no project there)",
                    where,
                )
            )
    out += [Note("setup-py-dropped", f"setup.py {d}", where) for d in sp.dropped]
    read = set(sp.dynamic.get("dependencies", {}).get("file", []))
    beside = [f for f in runtime_files if f not in read]
    if beside:
        out.append(
            Note(
                "setup-py-requirements-beside",
                f"{', '.join(beside)} {'is' if len(beside) == 1 else 'are'} not what setup.py's "
                "install_requires installs, yet the requirements join [project].dependencies "
                "(uv sync installs what `pip install -r` did), so a package built from this "
                "project now requires them too: move the "
                "development-only ones to a dependency group (uv remove X && uv add --dev X)",
                Where(beside[0], 1),
            )
        )
    return out
