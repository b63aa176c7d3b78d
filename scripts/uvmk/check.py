"""`uv-mk audit --check`: the findings a commit must not bring in, for pre-commit and CI gates.

Only what is wrong, one line each, and exit 1 when there is anything: requirements files that
came back or drift from pyproject.toml, legacy venvs, missing components, and a uv.lock that no
longer matches pyproject.toml (`uv lock --check`). No tables and no plan: a gate says what
failed and what to run, and a repo that uses uv without uv.mk's targets is not a finding.
"""

from __future__ import annotations

from pathlib import Path

from uvmk import proc as uvmk_proc
from uvmk import report
from uvmk.audit import Audit


def stale_lock(root: Path, uv: str) -> str | None:
    """uv's own reason when uv.lock exists and no longer matches pyproject.toml, else None."""
    if not (root / "uv.lock").is_file():
        return None
    try:
        done = uvmk_proc.run(
            [*uvmk_proc.uv_cmd(uv), "lock", "--check"],
            cwd=root,
            env=uvmk_proc.child_env(),
            timeout=600,
        )
    except uvmk_proc.ProcessFailure as exc:
        return f"cannot run uv lock --check: {exc}"
    if done.returncode == 0:
        return None
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    return errors[0].removeprefix("error: ") if errors else "uv lock --check failed"


def run(found: Audit, root: Path, uv: str, st: report.Style) -> int:
    lines = [
        f"  {st.red('✗')} {f.message}"
        + (f"  ({f.where})" if f.where and f.where not in f.message else "")
        for f in found.findings
        if f.severity == "fix"
    ]
    why = stale_lock(root, uv)
    if why:
        lines.append(f"  {st.red('✗')} uv.lock is stale: {why} (run: make uv-lock)")
    if not lines:
        report.write(f"audit --check: {st.green('clean')}\n")
        return 0
    report.write(
        "\n".join([f"audit --check: {len(lines)} finding(s)", *lines])
        + "\n(details: make uv-migrate-audit; fix: make uv-migrate)\n"
    )
    return 1
