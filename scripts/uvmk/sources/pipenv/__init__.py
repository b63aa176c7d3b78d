"""Pipenv: a Pipfile (and its Pipfile.lock) at the root → uv's pyproject. The Source is
source.PIPENV (the survey converts the project through it: project.pipenv_project)."""
