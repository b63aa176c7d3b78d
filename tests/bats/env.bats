#!/usr/bin/env bats
# check-env, clean, clean-venv.

load test_helper

setup() {
  use_fixture app
}

@test "check-env passes with uv, the pinned Python and a fresh lock" {
  run make check-env
  assert_success
  assert_line --regexp "✓ uv [0-9]+\.[0-9]+\.[0-9]+ \(>= 0\.5\.0\)"
  assert_line --partial "✓ Python 3.11 (.python-version)"
  assert_line --partial "✓ uv.lock is up to date"
  assert_output --regexp "(✓|-) docker"
}

@test "check-env fails on a stale lock and says how to fix it" {
  sed -i.bak 's/^dependencies = \[\]/dependencies = ["iniconfig>=2"]/' pyproject.toml && rm pyproject.toml.bak
  run make check-env
  assert_failure
  assert_line --partial "✗ uv.lock is stale"
  assert_line --partial "make uv-lock"
}

@test "check-env fails when .python-version asks for a Python that is not there" {
  echo "3.4" >.python-version
  run make check-env
  assert_failure
  assert_line --partial "✗ Python 3.4 (.python-version) not found — install it: uv python install 3.4"
}

@test "check-env fails without uv.lock or .python-version" {
  rm uv.lock .python-version
  run make check-env
  assert_failure
  assert_line --partial "✗ .python-version missing"
  assert_line --partial "✗ uv.lock missing"
}

@test "check-env reports a missing uv as a failed check, with the install hint" {
  PATH=$(path_without uv) run make check-env
  assert_failure
  assert_line --partial "✗ uv not found (UV=uv) — install it:"
}

@test "check-env treats docker as optional" {
  PATH=$(path_without docker) run make check-env
  assert_success
  assert_line --partial "- docker not found (optional)"
}

@test "check-env output has no colour codes under NO_COLOR or when piped" {
  run make check-env
  refute_output --partial $'\033['
}

@test "clean removes caches and build artefacts but keeps the environment" {
  make install >/dev/null 2>&1
  mkdir -p .venv/lib/kept/__pycache__ .pytest_cache .mypy_cache .ruff_cache htmlcov build dist src/demoapp/__pycache__ src/demoapp.egg-info
  touch .coverage
  run make clean
  assert_success
  for gone in .pytest_cache .mypy_cache .ruff_cache htmlcov build dist src/demoapp/__pycache__ src/demoapp.egg-info .coverage; do
    [ ! -e "$gone" ] || fail "$gone survived make clean"
  done
  [ -f .venv/pyvenv.cfg ]
  [ -d .venv/lib/kept/__pycache__ ] # the venv's own caches are untouched
}

@test "clean-venv removes the project environment" {
  make install >/dev/null 2>&1
  run make clean-venv
  assert_success
  assert_output "removed .venv"
  [ ! -e .venv ]
}

@test "clean-venv refuses a .venv that is not a virtual environment" {
  mkdir .venv && echo "precious" >.venv/notes.txt
  run make clean-venv
  assert_failure 2
  assert_output --partial "uv.mk: error: .venv is not a virtual environment (no pyvenv.cfg): not removing it"
  [ "$(cat .venv/notes.txt)" = "precious" ]
}

@test "clean-venv refuses a .venv that is a symlink, and leaves its target alone" {
  mkdir -p "$BATS_TEST_TMPDIR/elsewhere" && touch "$BATS_TEST_TMPDIR/elsewhere/pyvenv.cfg"
  ln -s "$BATS_TEST_TMPDIR/elsewhere" .venv
  run make clean-venv
  assert_failure 2
  assert_output --partial ".venv is a symlink"
  [ -L .venv ] && [ -f "$BATS_TEST_TMPDIR/elsewhere/pyvenv.cfg" ]
}

@test "clean-venv refuses a .venv that is a file" {
  echo "not a venv" >.venv
  run make clean-venv
  assert_failure 2
  [ "$(cat .venv)" = "not a venv" ]
}

@test "clean-venv with no .venv says there is nothing to remove" {
  run make clean-venv
  assert_success
  assert_output ".venv does not exist: nothing to remove"
}
