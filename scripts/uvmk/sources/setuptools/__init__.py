"""Legacy setuptools metadata read without running anything: setup.py through a closed
evaluator (evaluate.py), with setup.cfg's [metadata]/[options] as setup() keywords
(setup_cfg.py), turned into [project] and [tool.setuptools] (project.py)."""
