"""The preview's account of the readers (plan.readers): one line a change a reader rewriter
makes or would make (REWRITE= names the ones written), file:line each; with VERBOSE=1 each
file's unified diff."""

from __future__ import annotations

from uvmk.plan.model import MigrationPlan
from uvmk.report.style import Style


def reader_lines(plan: MigrationPlan, st: Style, verbose: bool = False) -> list[str]:
    if not plan.readers:
        return []
    asked = sorted(plan.options.rewrite)
    head = (
        f"Readers of the old files (REWRITE={','.join(asked)} rewrites its own):"
        if asked
        else "Readers of the old files (previewed; REWRITE=ci,tox,... or all rewrites them):"
    )
    out = ["", st.bold(head)]
    for r in plan.readers:
        for f in r.findings:
            if not f.rewritten:
                mark, verb = st.yellow("!"), "left"
            elif r.applied:
                mark, verb = st.green("✓"), "rewrites"
            else:
                mark, verb = "-", "would rewrite"
            out.append(f"  {mark} [{r.knob}] {r.path}:{f.line}: {verb}: {f.message}")
    if verbose:
        for r in plan.readers:
            if r.after != r.before:
                out += _diff(r.path, r.before, r.after)
    return out


def _diff(path: str, before: str, after: str) -> list[str]:
    import difflib  # only VERBOSE=1 shows diffs, and difflib costs ~2 ms of every report

    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), f"a/{path}", f"b/{path}", lineterm=""
    )
    return ["", *lines]
