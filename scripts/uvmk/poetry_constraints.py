"""Poetry's version constraints → PEP 440 specifiers and PEP 508 python markers.

Poetry's grammar (poetry-core's `parse_constraint`): `||` or `|` joins alternatives, `,` or a
space joins constraints that all hold; each one is `^v`, `~v`, `~=v`, `v.*`, `*`, a comparison
or a bare version (exact). PEP 440 has no "or", so alternatives become one range: merged where
they touch, a hole between them written `!=X.*` (or `!=v` for one version) where it is exactly
one; any other union cannot be said in PEP 440 and is refused, never widened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version


class ConstraintError(ValueError):
    """A Poetry constraint this module cannot translate exactly (the message says why)."""


@dataclass(frozen=True)
class _Bound:
    version: Version
    text: str  # as written (`2.0`, not `2`): the specifier keeps the project's precision
    inclusive: bool


@dataclass(frozen=True)
class _Range:
    """One alternative: lower/upper bounds plus the `!=` it also says (kept as written)."""

    lower: _Bound | None
    upper: _Bound | None
    others: tuple[str, ...] = ()  # `!=v`, `!=v.*`, `==v.*`: specifiers kept verbatim


_OR = re.compile(r"\s*\|\|?\s*")
_AND = re.compile(r"(?<!^)(?<![\^~=>< ,]) *(?<!-)[, ](?!-) *(?!,|$)")
_ANY = re.compile(r"(?i)^v?[x*](\.[x*])*$")
_COMPARISON = re.compile(r"^(<>|!=|>=|<=|==|>|<|=)?\s*v?(\S+?)$")
_WILDCARD = re.compile(r"^(==|!=)?\s*v?(\d+(?:\.\d+){0,2})(?:\.\*)+$")


def specifier(constraint: str) -> str:
    """`^1.2` → `>=1.2,<2.0`; `*` → `` (any version); raises ConstraintError."""
    ranges = _parse(constraint)
    if not ranges:
        return ""
    if len(ranges) == 1:
        return _render(ranges[0])
    return _render_union(ranges, constraint)


def python_marker(constraint: str) -> str:
    """`^3.9` → `python_version >= "3.9" and python_version < "4.0"`; `*` → ``."""
    clauses = []
    for r in _parse(constraint):
        parts = [_python_comparison(s) for s in _render(r).split(",") if s]
        if not parts:
            return ""  # one alternative allows every Python: so does the whole
        clauses.append(" and ".join(parts))
    if len(clauses) == 1:
        return clauses[0]
    return " or ".join(f"({c})" if " and " in c else c for c in clauses)


def _python_comparison(spec: str) -> str:
    m = re.match(r"^(==|!=|>=|<=|>|<|~=)(.+)$", spec)
    if m is None:
        raise ConstraintError(f"{spec!r} is no comparison")
    op, version = m.groups()
    if version.endswith(".*"):
        if op not in ("==", "!="):
            raise ConstraintError(f"{spec!r}: a wildcard only goes with == or !=")
        version = version[:-2]
        if version.count(".") > 1:
            return f'python_full_version {op} "{version}.*"'
        return f'python_version {op} "{version}"'
    if op == "~=":
        raise ConstraintError(f"{spec!r} reached python_marker unexpanded")
    release = Version(version).release
    if len(release) > 2:
        return f'python_full_version {op} "{version}"'
    if op in (">", "<=", "!="):
        # Poetry's reading: `>3.9` takes 3.9.1, which `python_version > "3.9"` would not
        padded = ".".join(map(str, [*release, 0, 0][:3]))
        return f'python_full_version {op} "{padded}"'
    return f'python_version {op} "{version}"'


def _parse(constraint: str) -> list[_Range]:
    """The alternatives of `constraint`, [] when any version is allowed."""
    text = constraint.strip()
    if text in ("", "*"):
        return []
    ranges = []
    for alternative in _OR.split(text):
        pieces = _AND.split(alternative.rstrip(",").rstrip())
        singles = [_single(p.strip(), constraint) for p in pieces if p.strip()]
        if any(s is None for s in singles):
            singles = [s for s in singles if s is not None]
            if not singles:
                return []  # `*` among the alternatives: anything goes
        ranges.append(_intersect([s for s in singles if s is not None], constraint))
    return ranges


def _single(piece: str, whole: str) -> _Range | None:
    if _ANY.match(piece):
        return None
    if piece.startswith("^"):
        v, text = _version(piece[1:], whole)
        return _Range(_Bound(v, text, True), _upper(_caret_upper(v)))
    if piece.startswith("~="):
        v, text = _version(piece[2:], whole)
        if len(v.release) < 2:
            return _Range(_Bound(v, text, True), _upper(_bump(v, 0)))
        return _Range(_Bound(v, text, True), _upper(_bump(v, len(v.release) - 2)))
    if piece.startswith("~"):
        v, text = _version(piece[1:], whole)
        return _Range(_Bound(v, text, True), _upper(_bump(v, 0 if len(v.release) == 1 else 1)))
    wildcard = _WILDCARD.match(piece)
    if wildcard:
        op, text = wildcard.groups()
        return _wildcard(op or "==", text)
    m = _COMPARISON.match(piece)
    if m is None:
        raise ConstraintError(f"{whole!r}: {piece!r} is no version constraint Poetry reads")
    op, raw = m.groups()
    if op == "<>":
        raise ConstraintError(f"{whole!r}: Poetry reads `<>` as `==`, which is likely not meant")
    op = {"=": "==", None: "=="}.get(op, op)
    if raw.endswith(".*"):
        return _wildcard(op, raw[:-2])
    v, text = _version(raw, whole)
    if op == ">=":
        return _Range(_Bound(v, text, True), None)
    if op == ">":
        return _Range(_Bound(v, text, False), None)
    if op == "<=":
        return _Range(None, _Bound(v, text, True))
    if op == "<":
        return _Range(None, _Bound(v, text, False))
    if op == "!=":
        return _Range(None, None, (f"!={text}",))
    return _Range(_Bound(v, text, True), _Bound(v, text, True))


def _wildcard(op: str, text: str) -> _Range:
    if op not in ("==", "!="):
        raise ConstraintError(f"{op}{text}.*: a wildcard only goes with == or !=")
    try:
        Version(text)
    except InvalidVersion as e:
        raise ConstraintError(f"{text}.*: {text!r} is no version") from e
    if op == "!=":
        return _Range(None, None, (f"!={text}.*",))
    v = Version(text)
    return _Range(_Bound(v, text, True), _upper(_bump(v, len(v.release) - 1)), (f"=={text}.*",))


def _version(raw: str, whole: str) -> tuple[Version, str]:
    text = raw.strip()
    if text[:1] in ("v", "V"):
        text = text[1:]
    try:
        return Version(text), text
    except InvalidVersion as e:
        raise ConstraintError(f"{whole!r}: {raw.strip()!r} is no version") from e


def _caret_upper(v: Version) -> Version:
    """Poetry's next breaking release: the first non-zero of major.minor.patch bumped."""
    release = v.release
    if release[0] > 0 or len(release) == 1:
        return _bump(v, 0)
    if release[1] > 0 or len(release) == 2:
        return _bump(v, 1)
    return _bump(v, 2)


def _bump(v: Version, index: int) -> Version:
    """The release with segment `index` one higher and the later ones zero, as long as v's (at
    least index+1 segments: `~1` → 2, `^1.2.3` → 2.0.0)."""
    release = list(v.release)
    release[index] += 1
    release[index + 1 :] = [0] * (len(release) - index - 1)
    epoch = f"{v.epoch}!" if v.epoch else ""
    return Version(epoch + ".".join(map(str, release)))


def _upper(v: Version) -> _Bound:
    return _Bound(v, str(v), False)


def _intersect(singles: list[_Range], whole: str) -> _Range:
    lower: _Bound | None = None
    upper: _Bound | None = None
    others: list[str] = []
    for s in singles:
        others.extend(o for o in s.others if o not in others)
        if s.lower is not None and (lower is None or _higher_lower(s.lower, lower)):
            lower = s.lower
        if s.upper is not None and (upper is None or _lower_upper(s.upper, upper)):
            upper = s.upper
    return _Range(lower, upper, tuple(others))


def _higher_lower(a: _Bound, b: _Bound) -> bool:
    return a.version > b.version or (a.version == b.version and not a.inclusive and b.inclusive)


def _lower_upper(a: _Bound, b: _Bound) -> bool:
    return a.version < b.version or (a.version == b.version and not a.inclusive and b.inclusive)


def _render(r: _Range) -> str:
    if _is_one_version(r) and r.lower is not None:
        return f"=={r.lower.text}"
    wildcard = [o for o in r.others if o.startswith("==")]
    if wildcard and len(r.others) == 1 and _is_wildcard_range(r):
        return wildcard[0]
    parts = []
    if r.lower is not None:
        parts.append((">=" if r.lower.inclusive else ">") + _public(r.lower.text))
    if r.upper is not None:
        parts.append(("<=" if r.upper.inclusive else "<") + _public(r.upper.text))
    parts.extend(o for o in r.others if not o.startswith("==") or not _is_wildcard_range(r))
    return ",".join(parts)


def _public(text: str) -> str:
    """A range's bound without its local label (`2.1.2+cpu` → `2.1.2`): PEP 440 orders only
    public versions; the local builds above it stay allowed, as Poetry allows them."""
    return text.split("+", 1)[0]


def _is_one_version(r: _Range) -> bool:
    return (
        r.lower is not None
        and r.upper is not None
        and r.lower.version == r.upper.version
        and r.lower.inclusive
        and r.upper.inclusive
        and not r.others
    )


def _is_wildcard_range(r: _Range) -> bool:
    """The bounds are exactly the `==X.*` among r.others (nothing narrowed them)."""
    for o in r.others:
        if o.startswith("==") and r.lower is not None and r.upper is not None:
            v = Version(o[2:-2])
            if r.lower.version == v and r.upper.version == _bump(v, len(v.release) - 1):
                return r.lower.inclusive and not r.upper.inclusive
    return False


def _render_union(ranges: list[_Range], whole: str) -> str:
    """Alternatives that touch merged; one hole between them said as `!=`; else refused."""
    if any(r.others for r in ranges):
        raise ConstraintError(f"{whole!r}: an alternative with != or .* has no PEP 440 form")
    ordered = sorted(ranges, key=_lower_key)
    merged = [ordered[0]]
    holes: list[str] = []
    for r in ordered[1:]:
        last = merged[-1]
        if last.upper is None or _overlaps_or_touches(last.upper, r.lower):
            merged[-1] = _Range(last.lower, _wider_upper(last.upper, r.upper))
            continue
        hole = _hole(last.upper, r.lower)
        if hole is None:
            raise ConstraintError(
                f"{whole!r}: the versions between its alternatives cannot be excluded in PEP 440"
            )
        holes.append(hole)
        merged[-1] = _Range(last.lower, r.upper)
    return ",".join(p for p in [_render(merged[0]), *holes] if p)


def _lower_key(r: _Range) -> tuple[int, Version | None]:
    return (0, None) if r.lower is None else (1, r.lower.version)


def _overlaps_or_touches(upper: _Bound, lower: _Bound | None) -> bool:
    if lower is None or upper.version > lower.version:
        return True
    return upper.version == lower.version and (upper.inclusive or lower.inclusive)


def _wider_upper(a: _Bound | None, b: _Bound | None) -> _Bound | None:
    if a is None or b is None:
        return None
    return b if _lower_upper(a, b) else a


def _hole(upper: _Bound, lower: _Bound | None) -> str | None:
    """`<2.0` then `>=3.0` → `!=2.*`; `<1.2` then `>1.2` → `!=1.2`; None when it is no such."""
    if lower is None:
        return None
    if upper.version == lower.version and not upper.inclusive and not lower.inclusive:
        return f"!={upper.text}"
    if upper.inclusive or not lower.inclusive:
        return None
    release = upper.version.release
    for size in range(1, len(release) + 1):
        if any(release[size:]):
            continue
        prefix = Version(".".join(map(str, release[:size])))
        if _bump(prefix, size - 1) == lower.version and upper.version.epoch == 0:
            return "!=" + ".".join(map(str, release[:size])) + ".*"
    return None
