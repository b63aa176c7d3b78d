"""Legacy setuptools metadata read without running anything: setup.py through a closed
evaluator (evaluate.py), turned into [project] and [tool.setuptools] (project.py); a setup.cfg
beside a bare setup() shim, as [project] (cfg_project.py)."""
