#!/usr/bin/env bats
# The pre-commit hooks in .pre-commit-hooks.yaml, run for real with `pre-commit try-repo` (which
# installs this checkout's uv-mk package into the hooks' own environment) against a fixture repo.

load test_helper

setup_file() {
  # One hooks environment for the whole file: building it is the slow part.
  export PRE_COMMIT_HOME="$BATS_FILE_TMPDIR/pre-commit-home"
}

setup() {
  use_fixture app
  export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.invalid
  export GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.invalid
  git init -q && git add -A && git commit -qm "a project on uv"
}

try_hook() {
  run "$UVMK_ROOT/.venv/bin/pre-commit" try-repo "$UVMK_ROOT" "$1" --color never
}

@test "uv-mk-migrate-audit passes a commit of a clean uv project" {
  printf '# notes\n' >>README.md && git add README.md
  try_hook uv-mk-migrate-audit
  assert_success
  assert_output --partial "uv-mk audit --check"
  assert_output --partial "Passed"
}

@test "uv-mk-migrate-audit fails a commit that brings back a requirements file, with the finding" {
  printf 'requests==2.31.0\n' >requirements.txt && git add requirements.txt
  try_hook uv-mk-migrate-audit
  assert_failure
  assert_output --partial "Failed"
  assert_output --partial "requirements.txt: 1 lines, role runtime"
  assert_output --partial "not in pyproject.toml (1, uv-migrate adds them): requests==2.31.0  (requirements.txt:1)"
}

@test "uv-mk-migrate-audit fails a commit that leaves uv.lock stale" {
  sed -i.bak 's/^dependencies = \[\]/dependencies = ["iniconfig"]/' pyproject.toml && rm pyproject.toml.bak
  git add pyproject.toml
  try_hook uv-mk-migrate-audit
  assert_failure
  assert_output --partial "uv.lock is stale"
  assert_output --partial "make uv-lock"
}

@test "uv-mk-lock-check passes a fresh lock and fails a stale one with uv's reason" {
  try_hook uv-mk-lock-check
  assert_success
  sed -i.bak 's/^dependencies = \[\]/dependencies = ["iniconfig"]/' pyproject.toml && rm pyproject.toml.bak
  git add pyproject.toml
  try_hook uv-mk-lock-check
  assert_failure
  assert_output --partial "needs to be updated"
}

@test "uv-mk-audit, the hook's old id, still runs the migration audit and says it is deprecated" {
  printf 'requests==2.31.0\n' >requirements.txt && git add requirements.txt
  try_hook uv-mk-audit
  assert_failure
  assert_output --partial "deprecated hook id uv-mk-audit, now uv-mk-migrate-audit"
  assert_output --partial "requirements.txt: 1 lines, role runtime"
}

@test "pre-commit-install installs the git hook of .pre-commit-config.yaml, pre-commit run through uv" {
  printf 'repos:\n  - repo: local\n    hooks:\n      - id: no-todo\n        name: no TODO\n        entry: "TODO"\n        language: pygrep\n' >.pre-commit-config.yaml
  git add .pre-commit-config.yaml && git commit -qm "hooks"
  run make pre-commit-install
  assert_success
  assert_output --partial "pre-commit installed at .git/hooks/pre-commit"
  [ -x .git/hooks/pre-commit ]
  # the hook runs: a commit with a TODO is stopped
  printf 'TODO\n' >notes.txt && git add notes.txt
  run git commit -qm "todo"
  assert_failure
  assert_output --partial "no TODO"
}

@test "pre-commit-install without a .pre-commit-config.yaml says so in one line" {
  run make pre-commit-install
  assert_failure
  assert_line "uv.mk: error: no .pre-commit-config.yaml here: write one first (https://pre-commit.com/#2-add-a-pre-commit-configuration), then make pre-commit-install"
  [ ! -e .git/hooks/pre-commit ]
}
