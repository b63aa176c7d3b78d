"""`uv-mk audit --check`: the findings a commit must not bring in, for pre-commit and CI gates.

Only what is wrong, one line each, and exit 1 when there is anything: requirements files that
came back or drift from pyproject.toml, legacy venvs, missing components, and a uv.lock that no
longer matches pyproject.toml (`uv lock --check`). No tables and no plan: a gate says what
failed and what to run, and a repo that uses uv without uv.mk's targets is not a finding.
"""

from __future__ import annotations

from uvmk import report
from uvmk.audit import Audit


def run(found: Audit, stale_lock: str | None, st: report.Style) -> int:
    """`stale_lock`: uv's reason when uv.lock no longer matches pyproject.toml (the facts'
    `uv lock --check`, run once for the plan and this gate)."""
    lines = [
        f"  {st.red('✗')} {f.message}"
        + (f"  ({f.where})" if f.where and f.where not in f.message else "")
        for f in found.findings
        if f.severity == "fix"
    ]
    if stale_lock:
        lines.append(f"  {st.red('✗')} uv.lock is stale: {stale_lock} (run: make uv-lock)")
    if not lines:
        report.write(f"audit --check: {st.green('clean')}\n")
        return 0
    report.write(
        "\n".join([f"audit --check: {len(lines)} finding(s)", *lines])
        + "\n(details: make uv-migrate-audit; fix: make uv-migrate)\n"
    )
    return 1
