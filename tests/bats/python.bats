#!/usr/bin/env bats
# The Python the migration locks with, when uv may not download one (UV_PYTHON_DOWNLOADS=never):
# a repo whose only evidence is a python:3.14 Docker image, on a machine without 3.14. APPLY=1
# refuses before any work in one line; PYTHON_VERSION names an installed Python instead, and
# the requires-python the migration makes starts there.

load test_helper

setup() {
  export UV_PYTHON_DOWNLOADS=never
  # a real situation, not a stub: uv finds no 3.14 here (a machine that has one proves nothing)
  if uv python find --system 3.14 >/dev/null 2>&1; then
    skip "Python 3.14 is installed here"
  fi
  INSTALLED=$(uv python find --system --show-version 2>/dev/null | cut -d. -f1,2)
  [ -n "$INSTALLED" ] || skip "uv finds no Python at all here"
  use_fixture legacy/py314
  git init -q && git add -A && git -c user.name=t -c user.email=t@example.invalid commit -qm legacy
}

migrate() {
  make -f "$UVMK" uv-migrate "$@"
}

# The refusal's way out names a Python that is installed here: which one depends on the machine
# (the newest uv finds that the pin installs on from a wheel, which the engine asked uv).
assert_named_python_installs() {
  [[ $output =~ PYTHON_VERSION=(3\.[0-9]+)\ to\ use\ the\ installed\ (3\.[0-9]+) ]]
  assert_equal "${BASH_REMATCH[2]}" "${BASH_REMATCH[1]}"
  local named=${BASH_REMATCH[1]}
  run uv python find --system "$named"
  assert_success
}

@test "uv-migrate APPLY=1 refuses in one line when the evidence's Python is missing and uv may not download it" {
  before=$(snapshot)
  run migrate APPLY=1
  assert_failure
  run output_without_make
  assert_output --regexp "^uv\.mk: error: Python 3\.14 \(Dockerfile:1\) is not installed here and UV_PYTHON_DOWNLOADS=never keeps uv from downloading it: \`uv python install 3\.14\` \(or let uv download it: unset UV_PYTHON_DOWNLOADS\), or PYTHON_VERSION=(3\.[0-9]+) to use the installed 3\.[0-9]+ \(every pinned version installs there from a wheel\)\$"
  assert_named_python_installs
  assert_equal "$(snapshot)" "$before"
  run git status --short --untracked-files=all
  assert_output ""
}

@test "the uv-migrate preview shows the missing Python as what APPLY=1 refuses until" {
  run migrate
  assert_success
  assert_line "Python: APPLY=1 refuses until this is resolved"
  assert_line --partial "✗ Python 3.14 (Dockerfile:1) is not installed here"
  assert_output --partial "\`make uv-migrate APPLY=1\` refuses until the Python problem above is resolved"
}

@test "PYTHON_VERSION naming an installed Python migrates, with requires-python starting there" {
  run migrate APPLY=1 PYTHON_VERSION="$INSTALLED"
  assert_success
  assert_equal "$(cat .python-version)" "$INSTALLED"
  run grep -Fx "requires-python = \">=$INSTALLED\"" pyproject.toml # not the Dockerfile's >=3.14
  assert_success
  run uv lock --check
  assert_success
}

@test "PYTHON_VERSION naming a Python that is not installed is refused in one line too" {
  before=$(snapshot)
  run migrate APPLY=1 PYTHON_VERSION=3.14
  assert_failure
  run output_without_make
  assert_output --regexp "^uv\.mk: error: Python 3\.14 \(PYTHON_VERSION\) is not installed here .* or PYTHON_VERSION=3\.[0-9]+ to use the installed 3\.[0-9]+ \(every pinned version installs there from a wheel\)\$"
  assert_named_python_installs
  assert_equal "$(snapshot)" "$before"
}

@test "PYTHON_VERSION outside the repo's own requires-python is refused in one line naming both" {
  printf '[project]\nname = "py314"\nversion = "0.1.0"\nrequires-python = ">=3.14"\ndependencies = []\n' >pyproject.toml
  git add -A && git -c user.name=t -c user.email=t@example.invalid commit -qm requires
  before=$(snapshot)
  run migrate APPLY=1 PYTHON_VERSION="$INSTALLED"
  assert_failure
  run output_without_make
  assert_output "uv.mk: error: PYTHON_VERSION=$INSTALLED (--python) is outside requires-python >=3.14 (pyproject.toml:4): name a version it allows, or change requires-python yourself first"
  assert_equal "$(snapshot)" "$before"
  run grep -Fx 'requires-python = ">=3.14"' pyproject.toml # never rewritten silently
  assert_success
}
