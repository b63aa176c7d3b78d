#!/usr/bin/env bats
# What uv-migrate APPLY=1 does to a host Makefile's own targets and variables, through real make
# and real uv, on small Makefiles shaped like the field trial's (warehouse, httpie): what the
# host ran before, `make -n` still shows after, but for the changes the plan names.

load test_helper

# Copy fixture makefile/NAME into this test's repo and commit it, as the trial's repos were.
legacy_repo() {
  use_fixture "makefile/$1"
  git init -q
  git add -A && git -c user.name=t -c user.email=t@example.invalid commit -qm legacy
}

migrate() {
  make -f "$UVMK" uv-migrate "$@"
}

# The Makefile's own targets, as make reads them (no pattern rules, no .PHONY and the like).
host_targets() {
  sed -n 's/^\([A-Za-z0-9_][A-Za-z0-9_.-]*\):\([^=].*\)\{0,1\}$/\1/p' Makefile
}

# `make -n` of every host target succeeds and make warns about nothing (an overridden recipe, a
# target uv.mk defines too).
every_target_reads_cleanly() {
  local t
  for t in $(host_targets); do
    run --separate-stderr make -n "$t"
    assert_success
    if [ -n "$stderr" ]; then
      echo "make -n $t warns: $stderr" >&2
      return 1
    fi
  done
}

@test "a word list and paths that merely hold 'python' are left alone, and a variable read through a computed name stays" {
  legacy_repo codeql
  before=$(make -n codeql)
  run migrate APPLY=1
  assert_success
  refute_output --partial "rewrite LANGS"
  refute_output --partial "_custom_python"
  run grep -c -x -F -e 'LANGS ?= python javascript' \
    -e '_pack_python      = .github/codeql/custom-queries/python' \
    -e '_custom_python    = .github/codeql/custom-queries/python/suite.qls' Makefile
  assert_output 3
  # the same commands as before: both languages, with their own suites
  assert_equal "$(make -n codeql)" "$before"
  # the interpreter variable runs the project's Python, its flags kept
  run make -n run
  assert_output 'uv run python -X dev -c "print(42)"'
  every_target_reads_cleanly
}

@test "a default goal that lists the tasks through \$(lastword \$(MAKEFILE_LIST)) still lists them once uv.mk is included" {
  legacy_repo lastword
  run make
  assert_success
  assert_line hello
  run migrate
  assert_success
  assert_output --partial "Makefile:5: \`\$(lastword \$(MAKEFILE_LIST))\` would name uv.mk once it is included: now \`\$(UVMK_HOST_MAKEFILE)\`"
  assert_output --partial "\`list-tasks\` (Makefile:5) lists targets from \`make -p\`: with uv.mk's pattern rule, GNU make 4.2+ prints"
  run migrate APPLY=1
  assert_success
  run make
  assert_success
  assert_line hello
  assert_line default
  assert_line uv-help # uv.mk's targets join the list: the Makefile includes it
  # the grep reads a pipe, not the makefiles: it gets no -h
  run git diff -U0 Makefile
  assert_output --partial "+	@\$(MAKE) -pRrq -f \$(UVMK_HOST_MAKEFILE) : 2>/dev/null | awk -v RS= -F: '/(^|\n)# Files(\n|\$\$)/,"
  refute_output --partial "grep -h"
  every_target_reads_cleanly
}

@test "a kept venv target is reported for removal, and the old venv's tools of kept targets run through uv" {
  legacy_repo venv-tools
  run migrate
  assert_success
  assert_output --partial "\`venv\` (Makefile:7) still creates a venv of its own: uv makes .venv itself"
  run migrate APPLY=1
  assert_success
  run grep -x -F '	python3 -m venv $(VENV)' Makefile # its interpreter left alone
  assert_success
  run make -n docs
  assert_line "uv run --all-extras --all-groups sphinx-build docs site"
  run make -n watch
  assert_output 'uv run --all-extras --all-groups watchmedo shell-command --patterns="*.py" --command="make docs" src'
  every_target_reads_cleanly
}
