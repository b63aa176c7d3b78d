"""The MigrationPlan: every file uv-migrate creates, changes or deletes, every requirement and
where it goes, the Python version and the lock seeds. Built once from a Survey and its Facts
by build_plan, one step a module (python, pyproject, lock, fates, references, exports, venvs,
gitignore, makefile_step, vendor, readme_step); schedule gives each change the operations
(operations.py) that carry it out, in apply's order. The preview, the JSON output and apply all
walk that one list of changes, so what is shown is what is done. No module here reads a file:
the Survey (and its Tree) is the plan's only source."""

from uvmk.options import Options
from uvmk.plan.build import build_plan
from uvmk.plan.model import Change, MigrationPlan, PythonChoice, Route

__all__ = ["Change", "MigrationPlan", "Options", "PythonChoice", "Route", "build_plan"]
