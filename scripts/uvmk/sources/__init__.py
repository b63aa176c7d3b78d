"""One folder per input format the engine migrates from: pip (requirements files) and
setuptools (setup.py / setup.cfg)."""
