#!/usr/bin/env bats
# ci: the whole gate in one target, in CI mode whatever the environment says: dev-install
# --locked, format-check, lint, type-check, test, in that order, stopping at the first failure.

load test_helper

setup() {
  use_fixture app
}

@test "ci installs with --locked, then format-checks, lints, type-checks and tests, and passes" {
  run make ci
  assert_success
  assert_output --partial "files already formatted"
  assert_output --partial "Success: no issues found"
  assert_output --regexp "3 passed"
  assert_line "ci: all checks passed"
  [ -x .venv/bin/pytest ] && [ -x .venv/bin/uvicorn ] # the dev environment: every extra and group
}

@test "ci fails on a stale uv.lock even where CI is not set, before any check, and leaves it" {
  sed -i.bak 's/^dependencies = \[\]/dependencies = ["iniconfig>=2"]/' pyproject.toml && rm pyproject.toml.bak
  before=$(cksum uv.lock)
  run make ci
  assert_failure
  assert_output --partial "needs to be updated, but \`--locked\` was provided"
  refute_output --partial "ci: all checks passed"
  refute_output --partial "test session starts"
  assert_equal "$(cksum uv.lock)" "$before"
}

@test "ci stops at the first failing check: code that is not formatted never reaches the tests" {
  printf 'x  =  1\n' >>src/demoapp/prices.py
  run make ci
  assert_failure
  assert_output --partial "1 file would be reformatted"
  refute_output --partial "test session starts"
}

@test "make -n ci shows every step with --locked, even with CI_MODE= on the command line, and runs none" {
  run make -n ci CI_MODE=
  assert_success
  local step
  for step in "uv sync --locked --all-extras --all-groups" "ruff format --check" "ruff check" "python -m mypy" "python -m pytest"; do
    assert_output --partial "$step"
  done
  assert_equal "$(grep -c 'uv run --locked' <<<"$output")" "$(grep -c 'uv run' <<<"$output")"
  [ ! -e .venv ] || fail "make -n ci created .venv"
}

@test "ci runs the host's post-dev-install hooks before the checks" {
  cat >>Makefile <<'MK'

post-dev-install::
	@echo "host hook ran"
MK
  run make -n ci
  assert_success
  assert_line 'echo "host hook ran"'
}
