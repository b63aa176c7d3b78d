"""One folder per input format the engine migrates from: pip (requirements files),
setuptools (setup.py / setup.cfg), poetry (pyproject [tool.poetry] + poetry.lock) and pipenv
(Pipfile + Pipfile.lock)."""
