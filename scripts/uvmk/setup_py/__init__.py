"""Legacy setuptools metadata read without running anything: setup.py through a closed
evaluator (evaluate.py), turned into [project] and [tool.setuptools] (project.py)."""
