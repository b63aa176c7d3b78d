"""Pipenv (Pipfile, Pipfile.lock) → uv's pyproject: the converter alone, tested against the
real pipenv; the survey does not open this door yet (a Pipfile is still an audit finding that
APPLY=1 refuses: uvmk/elsewhere.py)."""
