"""uv.mk in a host repo: the one code path that puts it there, for `uv-mk init`, `uv-mk update`
and `uv-migrate APPLY=1`, so an adopted or migrated repo gains exactly one file, `uv.mk`.

A vendored copy carries a stamp on its second line: the sha256 of its own text without that line.
`update` recomputes it: a match means the copy is a release as shipped (any release, whatever its
age: replace it freely); a mismatch means someone edited it (refuse without --force). Comparing
with the pristine text of the version the header names would need every past release at hand
(the network, or a table of hashes to keep up by hand); the stamp travels with the file instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.version import InvalidVersion, Version

from uvmk.contract import DeclarationError, bundled_uv_mk
from uvmk.contract import parse as parse_declarations
from uvmk.rewriters.makefile.scan import find_makefile

DEST = "uv.mk"
_VERSION = re.compile(rb"^UVMK_VERSION := (\S+)[ \t]*\r?$", re.M)
_STAMP = re.compile(rb"^# vendored by uv-mk, sha256 ([0-9a-f]{64})\b[^\n]*\n", re.M)
_STAMP_TEXT = "# vendored by uv-mk, sha256 {}: `uv-mk update` replaces an unedited copy\n"
# GNU make's own order of default makefile names.
_INCLUDES_UVMK = re.compile(r"^\s*-?s?include\s+(\S*uv\.mk)\s*$", re.M)
_SKIP_LINE = re.compile(r"^\s*(?:override\s+)?UVMK_SKIP_TARGETS\s*[:?+]?=(.*)$", re.M)
_TARGETS = re.compile(r"^([A-Za-z0-9_.%/-][A-Za-z0-9_.%/ \t-]*?)\s*::?(?!=)", re.M)
NEW_MAKEFILE = """\
# This project's own targets go here; uv.mk adds the daily ones, run through uv.
# `make help` lists them all.
.DEFAULT_GOAL := help

include uv.mk
"""


class VendorError(Exception):
    """A refusal: one line for `uv.mk: error: …`, every file left as it was; `diff` is what the
    refused update would have changed, for the user to review."""

    def __init__(self, message: str, diff: str = "") -> None:
        super().__init__(message)
        self.diff = diff


@dataclass
class VendorResult:
    done: list[str] = field(default_factory=list)
    diff: str = ""


def bundled() -> Path:
    """The uv.mk this package ships (see uvmk.contract.bundled_uv_mk)."""
    found = bundled_uv_mk()
    if not found.is_file():
        raise VendorError(f"uv.mk not found beside the uvmk package ({found}): reinstall uv-mk")
    return found


def version_of(text: bytes) -> str | None:
    m = _VERSION.search(text)
    return m.group(1).decode("ascii", "replace") if m else None


def version() -> str:
    found = version_of(bundled().read_bytes())
    if found is None:
        raise VendorError(f"{bundled()} states no UVMK_VERSION")
    return found


def pristine(text: bytes) -> tuple[bytes, str | None]:
    """The text without its stamp line, and the sha256 the stamp holds (None: no stamp)."""
    m = _STAMP.search(text)
    if m is None:
        return text, None
    return text[: m.start()] + text[m.end() :], m.group(1).decode("ascii")


def stamped(text: bytes) -> bytes:
    """`text` (any stamp dropped) with a fresh stamp after its first line: the vendored copy."""
    body, _ = pristine(text)
    stamp = _STAMP_TEXT.format(_sha256(body)).encode("ascii")
    first, nl, rest = body.partition(b"\n")
    return first + nl + stamp + rest


def _sha256(data: bytes) -> str:
    import hashlib  # only a vendored copy's stamp hashes: the plan names the copy, ~3 ms less

    return hashlib.sha256(data).hexdigest()


def vendored_bytes(source: Path) -> bytes:
    return stamped(source.read_bytes())


def origin(source: Path) -> str:
    """Where a vendored uv.mk comes from, in words: its version, and its path unless it is the
    one inside this installed package (a path in uv's cache says nothing to the user)."""
    found = version_of(source.read_bytes()) or "no version"
    inside_package = source == Path(__file__).resolve().with_name("uv.mk")
    return f"{found}, from this uv-mk" if inside_package else f"{found}, from {source}"


def describe_copy(source: Path) -> str:
    return f"vendored ({origin(source)}), included by the Makefile"


def _aliases(uv_mk: bytes) -> tuple[str, ...]:
    try:
        return parse_declarations(uv_mk.decode("utf-8", "replace")).aliases
    except DeclarationError:
        return ()


def _host_targets(makefile: str) -> set[str]:
    names: set[str] = set()
    for m in _TARGETS.finditer(makefile):
        names.update(m.group(1).split())
    return names


def include_block(makefile: str, uv_mk: bytes) -> str:
    """What `init` appends to a host Makefile: the include, after a UVMK_SKIP_TARGETS naming the
    host's own targets that uv.mk also offers (else make warns and one recipe silently wins)."""
    lines = ["", "# uv.mk: the daily targets, run through uv (`make help` lists them)"]
    if not _SKIP_LINE.search(makefile):
        clash = sorted(set(_aliases(uv_mk)) & _host_targets(makefile))
        if clash:
            lines.append("UVMK_SKIP_TARGETS := " + " ".join(clash))
    lines.append(f"include {DEST}")
    eol = "\r\n" if "\r\n" in makefile else "\n"
    sep = "" if makefile.endswith("\n") or not makefile else eol
    return sep + eol.join(lines) + eol


def _label(text: bytes, where: str) -> str:
    return f"{where} ({version_of(text) or 'no version'})"


def diff(old: bytes, new: bytes, name: str = DEST) -> str:
    import difflib  # init and update show diffs; the migration's plan vendors without one

    return "".join(
        difflib.unified_diff(
            old.decode("utf-8", "replace").splitlines(keepends=True),
            new.decode("utf-8", "replace").splitlines(keepends=True),
            fromfile=_label(old, f"a/{name}"),
            tofile=_label(new, f"b/{name}"),
        )
    )


def init(root: Path) -> VendorResult:
    """Put the bundled uv.mk into `root` and include it from the Makefile (a new one with
    `.DEFAULT_GOAL := help` if there is none). A second run changes nothing."""
    if not root.is_dir():
        raise VendorError(f"{root} is not a folder")
    source = bundled().read_bytes()
    result = VendorResult()
    writes: dict[Path, bytes] = {}
    target = root / DEST
    if target.is_file():
        current, _ = pristine(target.read_bytes())
        if current != source:
            raise VendorError(
                f"{target} is already there ({version_of(current) or 'no version'}), and not "
                f"this uv-mk's {version()}: `uv-mk update` replaces it"
            )
    elif target.exists():
        raise VendorError(f"{target} exists and is not a file")
    else:
        writes[target] = stamped(source)
        result.done.append(f"wrote {DEST} ({version()})")
    makefile = find_makefile(root)
    if makefile is None:
        writes[root / "Makefile"] = NEW_MAKEFILE.encode("utf-8")
        result.done.append("wrote Makefile (includes uv.mk; `make` shows help)")
    else:
        text = makefile.read_bytes().decode("utf-8", "surrogateescape")  # CRLF kept as is
        included = _INCLUDES_UVMK.search(text)
        if included is None:
            block = include_block(text, source)
            writes[makefile] = (text + block).encode("utf-8", "surrogateescape")
            result.done.append(f"{makefile.name}: added `include {DEST}`")
        elif included.group(1) != DEST:
            raise VendorError(
                f"{makefile.name}:{text.count(chr(10), 0, included.start()) + 1} already includes "
                f"{included.group(1)}: keep that one (`uv-mk update` in its folder), or include "
                f"{DEST} instead"
            )
    _write_all(writes)
    if not result.done:
        result.done.append(f"nothing to do: {DEST} {version()} is here, included by the Makefile")
    return result


def update(root: Path, *, force: bool = False) -> VendorResult:
    """Replace the vendored uv.mk in `root` with the bundled one; the unified diff says what
    changed. Refuses a copy with local edits, or a newer release, unless `force`."""
    target = root / DEST if root.is_dir() else root
    if not target.is_file():
        raise VendorError(f"no {DEST} in {root}: `uv-mk init` puts it there")
    raw = target.read_bytes()
    current, stamp = pristine(raw)
    source = bundled().read_bytes()
    result = VendorResult()
    if current == source:
        result.done.append(f"{DEST} is already {version()}: nothing to do")
        return result
    result.diff = diff(current, source)
    if not force:
        refusal = _refusal(target, current, stamp)
        if refusal:
            raise VendorError(refusal, result.diff)
    _write_all({target: stamped(source)})
    result.done.append(f"updated {DEST}: {version_of(current) or 'no version'} -> {version()}")
    clash = _new_clashes(target.parent, current, source)
    if clash:
        names = ", ".join(clash)
        result.done.append(
            f"note: the Makefile has its own {names}, which uv.mk {version()} now also offers: "
            f"add {'them' if len(clash) > 1 else 'it'} to UVMK_SKIP_TARGETS (before the include), "
            f"or make {clash[0]} also runs uv.mk's uv-{clash[0]}"
        )
    return result


def _new_clashes(root: Path, old: bytes, new: bytes) -> list[str]:
    """The host's own targets that are short names of the new uv.mk and not of the old one, and
    that UVMK_SKIP_TARGETS does not name: an alias would add uv.mk's recipe to the host's."""
    makefile = find_makefile(root)
    if makefile is None:
        return []
    text = makefile.read_bytes().decode("utf-8", "surrogateescape")
    skipped = {w for m in _SKIP_LINE.finditer(text) for w in m.group(1).split()}
    added = set(_aliases(new)) - set(_aliases(old))
    return sorted((added & _host_targets(text)) - skipped)


def _refusal(target: Path, current: bytes, stamp: str | None) -> str:
    """Why `update` must not overwrite `current` without --force ("" when it may)."""
    here = version_of(current)
    try:
        newer = here is not None and Version(here) > Version(version())
    except InvalidVersion:
        newer = False
    if newer:
        return (
            f"{target} is {here}, newer than this uv-mk ({version()}): run a newer one "
            "(`uvx uv-mk@latest update`), or `uv-mk update --force` to go back"
        )
    if stamp is None:
        return (
            f"{target} has no vendoring stamp (copied by hand?), so a local edit cannot be told "
            "from an older release: review the diff above, then `uv-mk update --force`"
        )
    if _sha256(current) != stamp:
        return (
            f"{target} has local edits (it no longer matches its stamp): the diff above would "
            "undo them; carry them over by hand, or `uv-mk update --force`"
        )
    return ""


def _write_all(writes: dict[Path, bytes]) -> None:
    """Every write atomic; all of them or none (a failure restores what was written)."""
    from uvmk.atomic import Journal  # only init and update write; the plan imports this module

    journal = Journal()
    for path in writes:
        journal.remember(path)
    try:
        for path, data in writes.items():
            journal.write(path, data)
    except OSError as exc:
        journal.restore()
        raise VendorError(f"cannot write {exc.filename}: {exc.strerror}") from None


def vendor_sources(uv_mk: Path) -> list[tuple[str, Path]]:
    """(destination, source) of what vendoring writes: uv.mk alone."""
    return [(DEST, uv_mk)]
