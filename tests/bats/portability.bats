#!/usr/bin/env bats
# GNU make 3.81 (macOS) through 4.4, POSIX sh recipes, nothing spawned at parse time.

load test_helper

# Code lines of uv.mk: comments and recipe lines (which start with a tab) stripped.
parse_time_lines() {
  grep -nv -e '^[[:space:]]*#' -e "$(printf '^\t')" "$UVMK"
}

@test "uv.mk uses no GNU make feature newer than 3.81" {
  # Each of these arrived after GNU make 3.81 (macOS's make): 3.81 misreads it or stops on it.
  run grep -nE '(\.ONESHELL|\.SHELLFLAGS|\.RECIPEPREFIX|\$\(file |[^!=:]!=[^=]|::=|^[[:space:]]*(undefine|private)[[:space:]]|&:|\.EXTRA_PREREQS|\$\(let |\$\(intcmp |\.WAIT|\.NOTINTERMEDIATE|--output-sync|define [A-Za-z_]+ :=)' "$UVMK"
  assert_failure # grep found nothing
  # Several modifiers on one line (export override X :=) arrived in 3.82.
  run grep -nE '^[[:space:]]*(export|override)[[:space:]]+(export|override|private)[[:space:]]' "$UVMK"
  assert_failure
}

@test "uv.mk runs no \$(shell) at parse time" {
  run parse_time_lines
  refute_output --partial '$(shell'
  refute_output --partial '`'
}

@test "make help on uv.mk spawns no uv and no Python" {
  # A uv and a python that record being called must stay silent while make parses and prints help.
  local calls="$BATS_TEST_TMPDIR/calls"
  stub uv "echo uv >>'$calls'; exit 1"
  stub python3 "echo python3 >>'$calls'; exit 1"
  use_fixture app
  run make help
  assert_success
  [ ! -e "$calls" ]
  # The stubs do record a call when one happens: make install runs uv.
  run make install
  assert_failure
  run cat "$calls"
  assert_line uv
}

@test "every target parses without an undefined-variable warning" {
  use_fixture app
  local t targets=()
  # every documented target by its full name, and each name help lists (the short aliases)
  while IFS= read -r t; do targets+=("${t/print-%/print-SRC}"); done < <(uvmk_documented_targets)
  while IFS= read -r t; do targets+=("${t/print-%/print-SRC}"); done < <(make -s help | awk '/^  [^ ]/ { print $1 }')
  [ "${#targets[@]}" -ge 50 ]
  for t in "${targets[@]}"; do
    run --separate-stderr make --warn-undefined-variables -n "$t" PKG=x
    assert_success
    [ -z "$stderr" ] || fail "make -n $t: $stderr"
  done
}

@test "recipes run under dash, a strict POSIX sh" {
  [ -x /bin/dash ] || skip "dash is not installed"
  use_fixture app
  run make SHELL=/bin/dash test-unit lint
  assert_success
  assert_output --partial "2 passed"
  run make SHELL=/bin/dash uv-add PKG='x; touch pwned'
  assert_failure
  [ ! -e pwned ]
}

@test "a repository path with spaces works" {
  use_fixture app "a repo with spaces"
  run make install test-unit
  assert_success
  assert_output --partial "2 passed"
  run make clean-venv
  assert_success
  [ ! -e .venv ]
}
