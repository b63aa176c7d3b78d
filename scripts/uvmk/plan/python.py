"""Which Python the migrated repo develops on (.python-version) and which it supports
(a new requires-python): the repo's own evidence first, what is installed here second; and,
when uv could not lock with it (missing, downloads off), why APPLY=1 refuses."""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

from uvmk.plan.draft import Draft
from uvmk.plan.model import Change, PythonChoice
from uvmk.survey.model import PythonEvidence
from uvmk.survey.pyproject_text import key_line
from uvmk.survey.python_versions import (
    allows,
    first_line,
    major_minor,
    requires_lower_bound,
    uv_reads_python_request,
)
from uvmk.survey.snapshot import Survey

NO_DOWNLOADS = ("never", "manual")


def choose_python(
    s: Survey,
    installed: list[str] | None,
    forced: str | None = None,
    downloads: str = "automatic",
    *,
    pins_install_on: tuple[str, ...] | None = None,
) -> PythonChoice:
    """The strongest evidence requires-python allows. A version counts as available only when
    uv finds it (`installed`: what `uv python find` found for python_requests(), in its order;
    None: nobody looked, as in the audit, and the evidence is taken at its word). A missing one
    is still pinned when uv may download Pythons (`downloads`: UV_PYTHON_DOWNLOADS), said
    out loud; with downloads off, the installed version the evidence prefers is chosen, and
    when none fits, the choice carries the blocker APPLY=1 refuses with, whose way out names
    the installed Python the pins install on (`pins_install_on`, when known)."""
    notes: list[str] = []
    requires = _choice_range(s)
    current = major_minor(s.python_version_file or "")
    if forced:
        return _forced_python(s, forced, installed, downloads, pins_install_on)
    disagreement = _disagreement(s)
    if disagreement:
        notes.append(disagreement)
    if current and (not requires or allows(requires, current)):
        return _keep_python_version(s, current, installed, downloads, notes, pins_install_on)
    if current:
        notes.append(
            f".python-version says {current}, outside requires-python {requires}: replaced"
        )
    wanted = _strongest_allowed(s, notes)
    if installed is None:
        if wanted is not None:
            notes.append(
                f"not checked here that uv can use Python {wanted.version}: uv-migrate asks "
                "uv, and picks an installed version if it cannot"
            )
            return PythonChoice(
                wanted.version, f"{wanted.where} ({wanted.source})", True, tuple(notes)
            )
        notes.append("no Python version evidence: uv-migrate picks an installed version")
        return PythonChoice(None, "none", False, tuple(notes))
    if wanted is not None and _is_installed(wanted.version, installed):
        return PythonChoice(wanted.version, f"{wanted.where} ({wanted.source})", True, tuple(notes))
    if wanted is not None and downloads not in NO_DOWNLOADS:
        notes.append(
            f"Python {wanted.version} ({wanted.where}) is not installed here: pinned anyway, "
            f"uv downloads it at the first uv lock/sync (UV_PYTHON_DOWNLOADS={downloads}; "
            f"UV_PYTHON_DOWNLOADS=never picks an installed one instead)"
        )
        return PythonChoice(wanted.version, f"{wanted.where} ({wanted.source})", True, tuple(notes))
    fallback = _fallback(s, installed)
    if wanted is not None:
        if fallback is not None:
            notes.append(
                f"Python {wanted.version} ({wanted.where}) is not installed here and uv may "
                f"not download it (UV_PYTHON_DOWNLOADS={downloads}): chose "
                f"{_xy_of(fallback)}, {_fallback_why(s, fallback)}; to use {wanted.version}: "
                f"uv python install {wanted.version} && uv python pin {wanted.version}"
            )
            return PythonChoice(
                _xy_of(fallback),
                f"installed {fallback} (fallback for {wanted.where})",
                True,
                tuple(notes),
            )
        notes.append(
            f"Python {wanted.version} ({wanted.where}) is not installed here and no "
            f"installed Python fits requires-python: uv python install {wanted.version}"
        )
        return PythonChoice(
            wanted.version,
            f"{wanted.where} ({wanted.source})",
            True,
            tuple(notes),
            blocker=_unavailable(
                s, wanted.version, wanted.where, installed, downloads, pins_install_on
            ),
        )
    if fallback is not None:
        notes.append(
            "no Python version evidence: chose the installed version uv finds that "
            "requires-python allows"
        )
        return PythonChoice(_xy_of(fallback), f"installed {fallback}", True, tuple(notes))
    notes.append("no Python version evidence and no installed Python: .python-version not written")
    blocker = None
    if downloads in NO_DOWNLOADS:
        blocker = (
            f"no installed Python fits requires-python {requires or '(any)'} and "
            f"UV_PYTHON_DOWNLOADS={downloads} keeps uv from downloading one: "
            f"uv python install {_install_request(requires)}, or let uv download it "
            "(unset UV_PYTHON_DOWNLOADS)"
        )
    return PythonChoice(None, "none", False, tuple(notes), blocker=blocker)


def _forced_python(
    s: Survey,
    forced: str,
    installed: list[str] | None,
    downloads: str,
    pins_install_on: tuple[str, ...] | None,
) -> PythonChoice:
    """--python (PYTHON_VERSION) wins over the evidence. A requires-python the repo has must
    allow it (never rewritten silently); one made here starts no later than it."""
    xy = major_minor(forced) or forced
    notes: list[str] = []
    write = major_minor(s.python_version_file or "") != xy or s.python_version_file != xy
    blocker = None
    own = s.requires_python
    if own and not allows(own, xy):
        blocker = (
            f"PYTHON_VERSION={forced} (--python) is outside requires-python {own} "
            f"({_requires_where(s)}): "
            "name a version it allows, or change requires-python yourself first"
        )
    elif installed is not None and not _is_installed(forced, installed):
        if downloads in NO_DOWNLOADS:
            blocker = _unavailable(
                s, forced, "PYTHON_VERSION", installed, downloads, pins_install_on
            )
        else:
            notes.append(
                f"Python {forced} (--python) is not installed here: uv downloads it at the "
                f"first uv lock/sync (UV_PYTHON_DOWNLOADS={downloads})"
            )
    lowest = lowest_evidenced(s)
    if not own and lowest is not None and _older(xy, lowest.version):
        notes.append(
            f"requires-python >={xy} (new) starts at --python {forced}, older than "
            f"{lowest.where}'s {lowest.version}"
        )
    return PythonChoice(xy, f"--python {forced}", write, tuple(notes), blocker=blocker, forced=True)


def _unavailable(
    s: Survey,
    version: str,
    where: str,
    installed: list[str],
    downloads: str,
    pins_install_on: tuple[str, ...] | None = None,
) -> str:
    """Why APPLY=1 stops: the Python it would lock with is missing and uv may not fetch it;
    the two ways out (install it or allow downloads, or name an installed one: one the
    pinned versions install on from wheels, when that was asked)."""
    other = next((_xy_of(v) for v in installed if _allows_own(s, v)), None)
    hedge = ""
    if pins_install_on is not None:
        other = next((v for v in pins_install_on if _allows_own(s, v)), None)
        hedge = " (every pinned version installs there from a wheel)"
        if other is None:
            return (
                f"Python {version} ({where}) is not installed here and UV_PYTHON_DOWNLOADS="
                f"{downloads} keeps uv from downloading it: `uv python install {version}` (or "
                "let uv download it: unset UV_PYTHON_DOWNLOADS); no installed Python has wheels "
                "for every pinned version"
            )
    elif other and _older(other, version):  # pins made on 3.12 may need it (Django 6.1 does)
        hedge = " (if the pinned versions support it: uv lock tells)"
    named = (
        f"PYTHON_VERSION={other} to use the installed {other}{hedge}"
        if other and other != _xy_of(version)
        else "PYTHON_VERSION=X.Y naming an installed Python"
        + (f" requires-python {s.requires_python} allows" if s.requires_python else "")
    )
    return (
        f"Python {version} ({where}) is not installed here and UV_PYTHON_DOWNLOADS={downloads} "
        f"keeps uv from downloading it: `uv python install {version}` "
        f"(or let uv download it: unset UV_PYTHON_DOWNLOADS), or {named}"
    )


def _allows_own(s: Survey, version: str) -> bool:
    """Does the requires-python the repo itself declares (pyproject, setup.cfg, setup.py)
    allow `version`? Yes when it declares none."""
    return s.requires_python is None or allows(s.requires_python, _xy_of(version))


def _requires_where(s: Survey) -> str:
    """pyproject.toml:N, where the repo's requires-python is written."""
    line = key_line(s.pyproject_text or "", "project", "requires-python")
    return f"pyproject.toml:{line}" if line else "the setup.cfg/setup.py metadata"


def _install_request(requires: str | None) -> str:
    lower = requires_lower_bound(requires) if requires else None
    return lower or "3.X"


def _older(a: str, b: str) -> bool:
    """3.11 before 3.14.7; a request that is no version (`pypy3.10`) is never older."""
    try:
        return Version(a) < Version(b)
    except InvalidVersion:
        return False


def _keep_python_version(
    s: Survey,
    current: str,
    installed: list[str] | None,
    downloads: str,
    notes: list[str],
    pins_install_on: tuple[str, ...] | None,
) -> PythonChoice:
    """A .python-version requires-python allows stays, if uv can use it: `3.12.6` with only
    3.12.1 installed makes `uv lock` fail unless uv may download 3.12.6."""
    written = first_line(s.python_version_file or "")
    readable = uv_reads_python_request(written)
    request = written if readable and _is_version(written) else current
    blocker = None
    if installed is not None and not _is_installed(request, installed):
        fallback = _fallback(s, installed)
        if downloads in NO_DOWNLOADS and fallback is not None:
            notes.append(
                f"Python {request} (.python-version) is not installed here and uv may not "
                f"download it (UV_PYTHON_DOWNLOADS={downloads}): chose {_xy_of(fallback)}, "
                f"{_fallback_why(s, fallback)}; to keep {request}: uv python install {request}"
            )
            return PythonChoice(
                _xy_of(fallback),
                f"installed {fallback} (fallback for .python-version)",
                True,
                tuple(notes),
            )
        fetch = (
            f"uv downloads it at the first uv lock/sync (UV_PYTHON_DOWNLOADS={downloads})"
            if downloads not in NO_DOWNLOADS
            else f"uv python install {request}"
        )
        notes.append(f"Python {request} (.python-version) is not installed here: {fetch}")
        if downloads in NO_DOWNLOADS:
            blocker = _unavailable(
                s, request, ".python-version", installed, downloads, pins_install_on
            )
    if not readable:
        # a pyenv-virtualenv name ('weatherbot-3.11'): uv ignores the whole file
        notes.append(
            f".python-version says {written!r}, which uv does not understand (a "
            f"pyenv-virtualenv name?): rewritten as {current}"
        )
        return PythonChoice(
            current, f".python-version ({written})", True, tuple(notes), blocker=blocker
        )
    return PythonChoice(current, ".python-version", False, tuple(notes), blocker=blocker)


def _fallback(s: Survey, installed: list[str]) -> str | None:
    """The first version found that requires-python allows: python_requests() asks for the
    evidenced versions first, so an evidenced installed one beats an unevidenced newer one."""
    requires = _choice_range(s)
    return next((v for v in installed if not requires or allows(requires, _xy_of(v))), None)


def _fallback_why(s: Survey, found: str) -> str:
    named = [e for e in s.evidence if e.version == _xy_of(found) and e.source != "requires-python"]
    if named:
        return f"the installed version the evidence names ({named[0].where})"
    return "the installed version uv finds that requires-python allows"


def _disagreement(s: Survey) -> str | None:
    """Sources naming different versions, listed with the rule that decides."""
    named = [e for e in s.evidence if e.source != "requires-python"]
    if len({e.version for e in named}) < 2:
        return None
    by_version: dict[str, list[str]] = {}
    for e in sorted(named, key=lambda e: (-e.strength, e.where)):
        by_version.setdefault(e.version, []).append(e.where)
    listed = ", ".join(f"{v} ({_first_two(wheres)})" for v, wheres in by_version.items())
    return (
        f"the Python evidence disagrees ({listed}): the strongest source requires-python "
        f"allows wins ({RULE})"
    )


def _first_two(wheres: list[str]) -> str:
    more = f" +{len(wheres) - 2} more" if len(wheres) > 2 else ""
    return ", ".join(wheres[:2]) + more


RULE = (
    ".python-version > .tool-versions/mise.toml > runtime.txt > Makefile > Dockerfile > "
    "CI > tox.ini"
)


def _strongest_allowed(s: Survey, notes: list[str]) -> PythonEvidence | None:
    """The strongest evidence (but .python-version) requires-python allows; the ones it rules
    out are said in `notes`."""
    for ev in sorted(s.evidence, key=lambda e: -e.strength):
        if ev.source == ".python-version":
            continue
        if _choice_range(s) and not allows(_choice_range(s), ev.version):
            notes.append(
                f"{ev.source} ({ev.where}) says {ev.version}: outside requires-python "
                f"{_choice_range(s)}, ignored"
            )
            continue
        return ev
    return None


def python_requests(s: Survey, forced: str | None) -> list[str]:
    """What choose_python needs to know uv can use, in the order to ask (the first found
    wins): --python's version, else the version .python-version names, else the evidenced
    versions requires-python allows, strongest first, then any Python requires-python allows;
    last any Python at all, which a refusal can name as the way out."""
    if forced:
        return [forced, ""]
    requests: list[str] = []
    current = major_minor(s.python_version_file or "")
    written = first_line(s.python_version_file or "")
    within = _choice_range(s)
    if current and (not within or allows(within, current)):
        usable = uv_reads_python_request(written) and _is_version(written)
        requests.append(written if usable else current)
        if usable and written != current:  # 3.11.99 missing: an installed 3.11 before a 3.13
            requests.append(current)
    for ev in sorted(s.evidence, key=lambda e: -e.strength):
        if ev.source in (".python-version", "requires-python") or ev.version in requests:
            continue
        if not within or allows(within, ev.version):
            requests.append(ev.version)
    return [*requests, within, ""] if within else [*requests, ""]


def _is_version(text: str) -> bool:
    return re.fullmatch(r"3\.\d{1,2}(\.\d{1,3})?", text.strip()) is not None


def _xy_of(version: str) -> str:
    parts = version.split(".")
    return ".".join(parts[:2])


def _is_installed(request: str, installed: list[str]) -> bool:
    """Is `request` (3.12 or 3.12.6) among the versions found (3.12.1: only 3.12 matches)?"""
    parts = request.split(".")
    return any(v.split(".")[: len(parts)] == parts for v in installed)


def planned_requires(s: Survey, forced: str | None = None) -> str | None:
    """The requires-python the migrated pyproject will have: its own, else (a [project] made
    here) the oldest Python the repo runs on, as plan.merge._new_pyproject writes it."""
    if s.requires_python or s.setup_project is not None:
        return s.requires_python
    lowest = lowest_evidenced(s, forced)
    return f">={lowest.version}" if lowest is not None else None


def _choice_range(s: Survey) -> str | None:
    """The range .python-version must meet: the planned requires-python and, at a workspace's
    root, every member's (uv reads the root's .python-version for all of them)."""
    ranges = [r for r in (planned_requires(s), s.members_python) if r]
    return ", ".join(ranges) or None


def lowest_evidenced(s: Survey, forced: str | None = None) -> PythonEvidence | None:
    """The oldest Python the repo says it runs on (production's Dockerfile, runtime.txt, a CI
    or tox matrix...): a new requires-python starts there, whatever is installed here. The
    version --python asks for (PYTHON_VERSION) is evidence too: the user develops on it."""
    found = [e for e in s.evidence if e.source != "requires-python"]
    if forced:
        xy = major_minor(forced) or forced
        found.append(PythonEvidence("PYTHON_VERSION", f"--python {forced}", xy, 0))
    return min(found, key=lambda e: tuple(int(p) for p in e.version.split(".")), default=None)


def forced_version(python: PythonChoice) -> str | None:
    """The X.Y --python asked for, None when the evidence chose."""
    return python.version if python.forced else None


def requires_python_note(s: Survey, python: PythonChoice) -> str | None:
    lowest = lowest_evidenced(s, forced_version(python))
    if lowest is None or lowest.version == python.version:
        return None
    return (
        f"requires-python >={lowest.version} from {lowest.where} ({lowest.source}), the oldest "
        f"Python the repo runs on; .python-version {python.version or '(none)'} is the "
        f"development version"
    )


def plan_python_version(draft: Draft, s: Survey, python: PythonChoice) -> None:
    if not (python.write and python.version):
        return
    draft.changes.append(
        Change(
            ".python-version",
            "modify" if s.python_version_file is not None else "create",
            f"Python {python.version} from {python.source}",
            python.notes,
        )
    )
    draft.contents[".python-version"] = f"{python.version}\n".encode()
