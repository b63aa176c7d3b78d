#!/usr/bin/env bats
# A Pipenv application (tests/fixtures/pipenv/, each Pipfile.lock written by the real pipenv),
# migrated the way its users would: uv-migrate-audit, uv-migrate APPLY=1 through real make and
# real uv, then the daily targets and the Pipfile's scripts as make targets.

load test_helper

pipenv_repo() {
  use_fixture "pipenv/$1"
  git init -q && git add -A && git -c user.name=t -c user.email=t@example.invalid commit -qm legacy
}

uvmk() {
  make -f "$UVMK" "$@"
}

@test "uv-migrate-audit says the Pipfile holds what installs, and that uv-migrate converts it" {
  pipenv_repo pipenv-app
  run uvmk uv-migrate-audit
  assert_failure
  assert_output --partial "Pipfile:1"
  assert_output --partial "uv-migrate converts it"
}

@test "a Pipenv app migrates: Pipfile's packages in pyproject, Pipfile.lock's versions in uv.lock" {
  pipenv_repo pipenv-app
  run uvmk uv-migrate APPLY=1
  assert_success
  run grep -F '"requests[socks]>=2.31,<3",' pyproject.toml
  assert_success
  run grep -F 'docs = ["mdurl~=0.1.2"]' pyproject.toml # a custom category is a group
  assert_success
  run uv export --frozen --no-hashes --no-header --no-annotate
  assert_line 'requests==2.34.2'
  assert_line 'six==1.16.0'
  [ ! -e Pipfile ] && [ ! -e Pipfile.lock ] # nothing else reads them: gone after the lock
  assert_equal "$(cat .python-version)" "3.11"
}

@test "a Pipfile's scripts are make targets of the migrated Makefile, run through uv" {
  pipenv_repo pipenv-make-docker
  run uvmk uv-migrate APPLY=1
  assert_success
  run make -n hello
  assert_output 'uv run python -m app.cli --name $USER'
  USER=uv run make hello
  assert_success
  assert_line 'hello, uv'
  run make dev-install uv-test
  assert_success
  assert_output --partial '1 passed'
}

@test "Pipfile and Pipfile.lock stay, said, while the Dockerfile still runs pipenv" {
  pipenv_repo pipenv-make-docker
  run uvmk uv-migrate APPLY=1
  assert_success
  assert_output --partial 'kept Pipfile.lock: still read by Dockerfile:5'
  [ -e Pipfile ] && [ -e Pipfile.lock ]
}
