#!/usr/bin/env bats
# install / dev-install, CI mode, and the uv guard every uv target goes through.

load test_helper

setup() {
  use_fixture app
}

@test "install syncs the project with its runtime dependencies only" {
  run make install
  assert_success
  [ -f .venv/pyvenv.cfg ]
  run .venv/bin/python -c "import demoapp; print(demoapp.mid_price(1, 3))"
  assert_output "2.0"
  # production gets neither the dev group nor the api extra
  [ ! -e .venv/bin/pytest ]
  [ ! -e .venv/bin/uvicorn ]
}

@test "dev-install installs every extra and every dependency group" {
  run make dev-install
  assert_success
  [ -x .venv/bin/pytest ]
  [ -x .venv/bin/ruff ]
  [ -x .venv/bin/uvicorn ]
  [ -x .venv/bin/gunicorn ]
}

@test "install in CI mode fails on a stale lock with uv's message and leaves uv.lock alone" {
  sed -i.bak 's/^dependencies = \[\]/dependencies = ["iniconfig>=2"]/' pyproject.toml && rm pyproject.toml.bak
  before=$(cksum uv.lock)
  CI=true run make install
  assert_failure
  assert_output --partial "needs to be updated, but \`--locked\` was provided"
  [ "$(cksum uv.lock)" = "$before" ]
}

@test "CI mode uses --locked and never --frozen, even with UV_FROZEN=1 in the environment" {
  run make -n install CI=true
  assert_success
  assert_output --partial "sync --locked --no-default-groups"
  refute_output --partial "--frozen"
  sed -i.bak 's/^dependencies = \[\]/dependencies = ["iniconfig>=2"]/' pyproject.toml && rm pyproject.toml.bak
  UV_FROZEN=1 CI=1 run make install
  assert_failure
  assert_output --partial "--locked\` was provided"
}

@test "CI=false is not CI mode" {
  run make -n install CI=false
  assert_success
  refute_output --partial "--locked"
}

@test "every uv target stops with one line and an install hint when uv is missing" {
  local target no_uv
  no_uv=$(path_without uv)
  for target in install dev-install test lint format type-check uv-lock uv-upgrade uv-tree; do
    PATH=$no_uv run make "$target"
    assert_failure 2
    assert_output --partial "uv.mk: error: uv not found"
    assert_output --partial "install it:"
    assert_equal "$(output_without_make | wc -l | tr -d ' ')" 1 # ours; the rest is make's
  done
  [ ! -e .venv ]
}

@test "a uv older than UV_MIN_VERSION is refused before uv-lock asks it anything else" {
  # shellcheck disable=SC2016 # the stub script expands it, not this shell
  recording_stub uv 'case "$1" in --version) echo "uv 0.4.30 (stub)";; *) exit 0;; esac'
  run make uv-lock
  assert_failure 2
  assert_output --partial "uv.mk: error: uv 0.4.30 is older than UV_MIN_VERSION=0.5.0"
  run cat "$BATS_TEST_TMPDIR/uv.argv"
  assert_output "--version"
}

@test "a uv that prints no version is refused with a line that asks whether it is uv at all" {
  stub uv 'exit 0'
  run make uv-lock
  assert_failure 2
  assert_output --partial "uv.mk: error: 'uv --version' printed no version: is UV=uv really uv?"
}

@test "a uv that fails to start (a pyenv shim in a repo pinning a Python it lacks) is refused with its own reason" {
  stub uv 'echo "pyenv: version \`3.14.7'"'"' is not installed (set by $PWD/.python-version)" >&2; exit 1'
  run make uv-lock
  assert_failure 2
  assert_output --partial "uv.mk: error: 'uv --version' printed no version (pyenv: version \`3.14.7' is not installed"
  assert_output --partial "is UV=uv really uv?"
  assert_equal "$(printf '%s\n' "$output" | grep -c 'uv.mk: error:')" 1
}

@test "install in sync asks uv for the sync alone, not its version first" {
  make install >/dev/null 2>&1 # a real .venv, so no dry run comes first
  # shellcheck disable=SC2016 # the stub script expands it, not this shell
  recording_stub uv 'exit 0'
  run make install
  assert_success
  run cat "$BATS_TEST_TMPDIR/uv.argv"
  assert_output "sync --no-default-groups"
}

@test "install names a too-old uv as the cause when its sync fails, and changes nothing" {
  make install >/dev/null 2>&1
  before=$(snapshot)
  # An old uv rejects a flag it does not know yet.
  # shellcheck disable=SC2016 # the stub script expands it, not this shell
  recording_stub uv 'case "$1" in --version) echo "uv 0.4.30 (stub)";;
    *) echo "error: unexpected argument --no-default-groups found" >&2; exit 2;; esac'
  run make install
  assert_failure 2
  assert_line --partial "error: unexpected argument"
  assert_line "uv.mk: error: uv 0.4.30 is older than UV_MIN_VERSION=0.5.0: run 'uv self update' (or: python3 -m pip install -U uv)"
  run cat "$BATS_TEST_TMPDIR/uv.argv"
  assert_output $'sync --no-default-groups\n--version'
  assert_equal "$(snapshot)" "$before"
}

@test "a failed install with a uv new enough is uv's own error, with no diagnosis added" {
  run make install SYNC_PROD_FLAGS='--group nosuch'
  assert_failure
  assert_output --partial "nosuch"
  refute_output --partial "uv.mk: error"
}

@test "UV_MIN_VERSION can be raised by the host" {
  run make uv-lock UV_MIN_VERSION=99.0
  assert_failure 2
  assert_output --partial "is older than UV_MIN_VERSION=99.0"
  run make check-env UV_MIN_VERSION=99.0
  assert_failure
  assert_line --regexp "✗ uv [0-9.]+ is older than 99.0"
}

@test "dev-install in CI mode fails on a stale lock" {
  sed -i.bak 's/^dependencies = \[\]/dependencies = ["iniconfig>=2"]/' pyproject.toml && rm pyproject.toml.bak
  CI=true run make dev-install
  assert_failure
  assert_output --partial "needs to be updated, but \`--locked\` was provided"
}
