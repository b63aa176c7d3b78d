"""The MigrationPlan: every file uv-migrate creates, changes or deletes, every requirement and
where it goes, the Python version and the lock seeds. Built once from a Survey by build_plan,
one step a module (python, pyproject, lock, fates, venvs, gitignore, makefile_step, vendor,
readme); the preview, the JSON output and the apply step all read this one object, so what is
shown is what is done."""

from uvmk.plan.build import build_plan
from uvmk.plan.model import Change, MigrationPlan, Options, PythonChoice, Route

__all__ = ["Change", "MigrationPlan", "Options", "PythonChoice", "Route", "build_plan"]
