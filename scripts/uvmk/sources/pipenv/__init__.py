"""Pipenv (Pipfile, Pipfile.lock) → uv's pyproject."""
