from uvmk.cli import run

run()
