"""Which Python the migrated repo develops on (.python-version) and which it supports
(a new requires-python): the repo's own evidence first, what is installed here second."""

from __future__ import annotations

from uvmk import survey as uvmk_survey
from uvmk.plan.draft import Draft
from uvmk.plan.model import Change, PythonChoice
from uvmk.survey import Survey


def choose_python(
    s: Survey,
    installed: list[str] | None,
    forced: str | None = None,
    downloads: str = "automatic",
) -> PythonChoice:
    """Strongest evidence that requires-python allows; when that version is not installed (and
    none was forced), the first installed version requires-python allows, said out loud.
    `installed`: the versions found here for python_requests(), in its order (None: nobody
    looked, as in the audit: the evidence is taken at its word). `downloads`:
    UV_PYTHON_DOWNLOADS, quoted in the note."""
    notes: list[str] = []
    requires = s.requires_python
    current = uvmk_survey._xy(s.python_version_file or "")
    if forced:
        xy = uvmk_survey._xy(forced) or forced
        if requires and not uvmk_survey.allows(requires, xy):
            notes.append(f"--python {forced} is outside requires-python {requires}")
        return PythonChoice(
            xy, f"--python {forced}", current != xy or s.python_version_file != xy, tuple(notes)
        )
    if current and (not requires or uvmk_survey.allows(requires, current)):
        # nobody looks for it in a real run: uv-verify checks that the version is found
        if installed is not None and not _is_installed(current, installed):
            notes.append(
                f"Python {current} (.python-version) is not installed here: "
                f"uv python install {current}"
            )
        written = uvmk_survey.first_line(s.python_version_file or "")
        if not uvmk_survey.uv_reads_python_request(written):
            # a pyenv-virtualenv name ('weatherbot-3.11'): uv ignores the whole file
            notes.append(
                f".python-version says {written!r}, which uv does not understand (a "
                f"pyenv-virtualenv name?): rewritten as {current}"
            )
            return PythonChoice(current, f".python-version ({written})", True, tuple(notes))
        return PythonChoice(current, ".python-version", False, tuple(notes))
    if current:
        notes.append(
            f".python-version says {current}, outside requires-python {requires}: replaced"
        )
    wanted = _strongest_allowed(s, notes)
    if installed is None:
        if wanted is not None:
            return PythonChoice(
                wanted.version, f"{wanted.where} ({wanted.source})", True, tuple(notes)
            )
        notes.append("no Python version evidence: uv-migrate picks an installed version")
        return PythonChoice(None, "none", False, tuple(notes))
    if wanted is not None and _is_installed(wanted.version, installed):
        return PythonChoice(wanted.version, f"{wanted.where} ({wanted.source})", True, tuple(notes))
    fallback = next(
        (v for v in installed if not requires or uvmk_survey.allows(requires, _xy_of(v))), None
    )
    if wanted is not None:
        if fallback is not None:
            notes.append(
                f"Python {wanted.version} ({wanted.where}) is not installed here "
                f"(UV_PYTHON_DOWNLOADS={downloads}): chose {_xy_of(fallback)}, the "
                f"installed version uv finds that requires-python allows; to use "
                f"{wanted.version}: uv python install {wanted.version} && "
                f"uv python pin {wanted.version}"
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
        return PythonChoice(wanted.version, f"{wanted.where} ({wanted.source})", True, tuple(notes))
    if fallback is not None:
        notes.append(
            "no Python version evidence: chose the installed version uv finds that "
            "requires-python allows"
        )
        return PythonChoice(_xy_of(fallback), f"installed {fallback}", True, tuple(notes))
    notes.append("no Python version evidence and no installed Python: .python-version not written")
    return PythonChoice(None, "none", False, tuple(notes))


def _strongest_allowed(s: Survey, notes: list[str]) -> uvmk_survey.PythonEvidence | None:
    """The strongest evidence (but .python-version) requires-python allows; the ones it rules
    out are said in `notes`."""
    for ev in sorted(s.evidence, key=lambda e: -e.strength):
        if ev.source == ".python-version":
            continue
        if s.requires_python and not uvmk_survey.allows(s.requires_python, ev.version):
            notes.append(
                f"{ev.source} ({ev.where}) says {ev.version}: outside requires-python "
                f"{s.requires_python}, ignored"
            )
            continue
        return ev
    return None


def python_requests(s: Survey, forced: str | None) -> list[str] | None:
    """What choose_python needs to know is installed, in the order to ask: the X.Y version the
    strongest evidence names, then any Python requires-python allows (its fallback); None when
    it needs nothing (--python, or a usable .python-version)."""
    current = uvmk_survey._xy(s.python_version_file or "")
    if forced or (
        current and (not s.requires_python or uvmk_survey.allows(s.requires_python, current))
    ):
        return None
    wanted = _strongest_allowed(s, [])
    return ([wanted.version] if wanted else []) + [s.requires_python or ""]


def _xy_of(version: str) -> str:
    parts = version.split(".")
    return ".".join(parts[:2])


def _is_installed(xy: str, installed: list[str]) -> bool:
    return any(_xy_of(v) == xy for v in installed)


def lowest_evidenced(s: Survey) -> uvmk_survey.PythonEvidence | None:
    """The oldest Python the repo says it runs on (production's Dockerfile, runtime.txt, a CI
    or tox matrix...): a new requires-python starts there, whatever is installed here."""
    found = [e for e in s.evidence if e.source != "requires-python"]
    return min(found, key=lambda e: tuple(int(p) for p in e.version.split(".")), default=None)


def _requires_python_note(s: Survey, python: PythonChoice) -> str | None:
    lowest = lowest_evidenced(s)
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
