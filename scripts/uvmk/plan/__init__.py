"""The MigrationPlan: every file uv-migrate creates, changes or deletes, every requirement and
where it goes, the Python version and the lock seeds. Built once from a Survey and its Facts
by build_plan, one step a module (python, pyproject, lock, fates, references, exports, venvs,
gitignore, makefile_step, vendor, readme); operations.schedule gives each change the
operations that carry it out, in apply's order. The preview, the JSON output and apply all walk
that one list of changes, so what is shown is what is done."""

from uvmk.plan.build import build_plan
from uvmk.plan.model import Change, MigrationPlan, Options, PythonChoice, Route

__all__ = ["Change", "MigrationPlan", "Options", "PythonChoice", "Route", "build_plan"]
