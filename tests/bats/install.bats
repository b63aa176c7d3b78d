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
  local target
  for target in install dev-install test lint format type-check uv-lock uv-upgrade uv-tree; do
    PATH=$(path_without uv) run make "$target"
    assert_failure 2
    assert_output --partial "uv.mk: error: uv not found"
    assert_output --partial "install it:"
    assert_equal "${#lines[@]}" 2 # our line and make's "Error 2" line
  done
  [ ! -e .venv ]
}

@test "a uv older than UV_MIN_VERSION is refused before anything runs" {
  # shellcheck disable=SC2016 # the stub script expands it, not this shell
  stub uv 'case "$1" in --version) echo "uv 0.4.30";; *) echo ran >"$PWD/uv-ran";; esac'
  run make install
  assert_failure 2
  assert_output --partial "uv 0.4.30 is older than UV_MIN_VERSION=0.5.0"
  [ ! -e uv-ran ]
}

@test "UV_MIN_VERSION can be raised by the host" {
  run make install UV_MIN_VERSION=99.0
  assert_failure 2
  assert_output --partial "is older than UV_MIN_VERSION=99.0"
}

@test "dev-install in CI mode fails on a stale lock" {
  sed -i.bak 's/^dependencies = \[\]/dependencies = ["iniconfig>=2"]/' pyproject.toml && rm pyproject.toml.bak
  CI=true run make dev-install
  assert_failure
  assert_output --partial "needs to be updated, but \`--locked\` was provided"
}
