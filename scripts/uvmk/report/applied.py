"""What `uv-migrate APPLY=1` did, as text or JSON, from the same facts: the steps, the pins
kept, and last a warning block naming every pinned package that moved (name: pinned -> locked),
the major moves marked, so the run never ends on a tick when the tested versions changed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from packaging.version import InvalidVersion, Version

from uvmk.report.style import Style
from uvmk.report.terminal import migrate_table
from uvmk.survey.venvs import human_size

if TYPE_CHECKING:
    from uvmk.apply import ApplyResult
    from uvmk.plan import MigrationPlan


def major_move(want: str, got: str | None) -> bool:
    """`got` (one version, or several for several Pythons) leaves `want`'s major version."""
    if got is None:
        return False
    try:
        major = Version(want).major
        return any(Version(v.strip()).major != major for v in got.split(","))
    except InvalidVersion:
        return False


def applied_json(plan: MigrationPlan, result: ApplyResult) -> dict[str, Any]:
    return {
        **plan.to_json(),
        "applied": result.done,
        "warnings": result.cautions,
        "pins_kept": result.pins_kept,
        "pins_moved": {k: list(v) for k, v in result.pins_moved.items()},
        "pins_moved_major": sorted(
            k for k, (want, got) in result.pins_moved.items() if major_move(want, got)
        ),
        "pins_dropped": result.pins_dropped,
        "pins_unexplained": sorted(result.unexplained_moves),
        "freed": result.freed,
    }


def applied_table(plan: MigrationPlan, result: ApplyResult, st: Style, verbose: bool) -> str:
    """What apply did, one line an operation (the plan itself only with --verbose)."""
    head = migrate_table(plan, st, applied=True, verbose=True) if verbose else ""
    out = [head or st.bold(f"uv-migrate (APPLY): {plan.root}") + "\n", st.bold("Done:")]
    out += [
        f"  {st.yellow('!') if d in result.cautions else st.green('✓')} {d}" for d in result.done
    ]
    if result.pins_kept:
        out.append(
            f"  {st.green('✓')} kept the pinned versions: "
            + ", ".join(f"{k}=={v}" for k, v in result.pins_kept.items())
        )
    if result.freed:
        out.append(f"  freed {human_size(result.freed)} of legacy venvs")
    out += [
        f"  {st.yellow('!')} kept {c.path}: {c.reason}" for c in plan.changes if c.action == "keep"
    ]
    out.append("")
    out.append("next: make uv-verify, then review `git diff` and commit")
    out += _moved_block(result, st)  # last: the run never ends on a tick when pins moved
    return "\n".join(out) + "\n"


def _moved_block(result: ApplyResult, st: Style) -> list[str]:
    if not result.pins_moved:
        return []
    out = [
        "",
        st.yellow(
            f"Warning: {len(result.pins_moved)} pinned package(s) not at the version the "
            "requirements files pinned (name: pinned -> locked):"
        ),
    ]
    for k, (want, got) in result.pins_moved.items():
        why = []
        if major_move(want, got):
            why.append("a major version")
        if k in result.pins_dropped:
            why.append("its pin could not hold, see above")
        said = f" ({'; '.join(why)})" if why else ""
        out.append(f"  {st.yellow('!')} {k}: {want} -> {got or 'no longer locked'}{said}")
    if result.unexplained_moves:
        out.append(
            st.yellow(
                f"{len(result.unexplained_moves)} of them moved without uv blaming their pin: "
                "the files are written, review `git status` and `git diff` before committing "
                "(exit status 1)"
            )
        )
    return out
