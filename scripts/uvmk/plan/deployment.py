"""Deployment groups (prod, heroku: a deployment file's own requirements) stay out of the
development environment, as they were out of requirements/dev.txt: `make dev-install` syncs
every group but those (SYNC_DEV_FLAGS with --no-group in the rewritten Makefile)."""

from __future__ import annotations

from uvmk.contract import UvMkDeclarations
from uvmk.plan.draft import Draft
from uvmk.sources.pip import planner as req
from uvmk.sources.pip.roles import DEPLOY_STEMS
from uvmk.survey.snapshot import Survey


def plan_deployment_groups(
    draft: Draft, s: Survey, dep: req.DependencyPlan, declares: UvMkDeclarations
) -> None:
    groups = sorted({f.group for f in dep.files if f.role == "group" and f.group in DEPLOY_STEMS})
    if not groups:
        return
    skip = " ".join(f"--no-group {g}" for g in groups)
    flags = f"{declares.default('SYNC_DEV_FLAGS')} {skip}".strip()
    named = ", ".join(groups)
    if s.makefile is None:
        draft.notes.append(
            f"`make dev-install` syncs every group, the deployment group(s) {named} too: run "
            f"`make dev-install SYNC_DEV_FLAGS='{flags}'` to leave them out"
        )
        return
    draft.knobs["SYNC_DEV_FLAGS"] = flags
    draft.notes.append(
        f"`make dev-install` leaves out the deployment group(s) {named} (SYNC_DEV_FLAGS in "
        f"{s.rel(s.makefile)}), as the old dev requirements did; where it is deployed, "
        f"`uv sync --locked --no-default-groups --group {groups[0]}` installs one"
    )
