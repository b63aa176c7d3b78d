#!/usr/bin/env bats
# uv-migrate-audit, uv-migrate (preview, APPLY=1) and uv-verify through real make on a legacy pip repo
# that does not include uv.mk yet: `make -f path/to/uv.mk …` from its root.

load test_helper

# The migrated repos' uv-verify runs the uv-mk release of uv.mk's version: this checkout, built.
setup_file() {
  use_release
}

setup() {
  use_fixture legacy/tiny
  python3 -m venv --without-pip venv # the legacy venv the old Makefile built
  git init -q && git add -A && git -c user.name=t -c user.email=t@example.invalid commit -qm legacy
}

migrate() {
  make -f "$UVMK" uv-migrate "$@"
}

@test "uv-migrate-audit reports drift, stray venvs, missing lock and hard-coded interpreters, and fails" {
  run make -f "$UVMK" uv-migrate-audit
  assert_failure
  assert_output --partial "requirements.txt"
  assert_output --partial "requirements.txt:3: not in pyproject.toml (1, uv-migrate adds them): six==1.16.0"
  assert_output --partial "venv/"
  assert_output --partial "uv.lock"
  assert_output --partial "Makefile:3"
}

@test "uv-audit, the old name, warns once on stderr and runs uv-migrate-audit: same report, same exit" {
  run --separate-stderr make -s -f "$UVMK" uv-migrate-audit FORMAT=json
  local audit_status=$status audit_output=$output
  run --separate-stderr make -s -f "$UVMK" uv-audit FORMAT=json
  assert_equal "$status" "$audit_status"
  assert_equal "$output" "$audit_output"
  # shellcheck disable=SC2154 # bats sets stderr
  assert_equal "$(printf '%s\n' "$stderr" | grep -v '^make: \*\*\*')" \
    "uv.mk: warning: uv-audit is deprecated: it is now uv-migrate-audit (uv-audit will become the vulnerability audit: make security)"
  run make -f "$UVMK" uv-audit
  assert_line --regexp '^make: \*\*\* \[.*uv-audit\] Error 1$'
}

@test "uv-migrate-audit FORMAT=json is machine-readable" {
  # OUTPUT, not stdout: make 4.0 and 4.1 add "recipe for target ... failed" to stdout.
  run --separate-stderr make -s -f "$UVMK" uv-migrate-audit FORMAT=json OUTPUT=audit.json
  assert_failure
  python3 -c 'import json; d = json.load(open("audit.json")); assert d, d'
}

@test "uv-migrate-audit FORMAT=markdown is a review document" {
  run --separate-stderr make -s -f "$UVMK" uv-migrate-audit FORMAT=markdown
  assert_failure
  assert_line --regexp "^# "
  assert_output --partial "| "
}

@test "uv-migrate previews every change and changes nothing" {
  before=$(snapshot)
  run migrate
  assert_success
  assert_output --partial "requirements.txt"
  assert_output --partial "uv.lock"
  assert_equal "$(snapshot)" "$before"
  assert_equal "$(git status --porcelain)" ""
}

@test "uv-migrate APPLY=1 moves the repo onto uv, keeps the tested pins, and uv-verify passes" {
  run migrate APPLY=1
  assert_success
  [ -f uv.lock ] && [ -f .python-version ]
  [ ! -e requirements.txt ] && [ ! -e requirements-dev.txt ] && [ ! -e venv ]
  run grep -F 'six' pyproject.toml
  assert_success
  run grep -F 'iniconfig>=1.1' pyproject.toml # pyproject's own specifier survives
  assert_success
  run awk '$0 == "name = \"iniconfig\"" { getline; print; exit }' uv.lock
  assert_output 'version = "2.0.0"' # the version requirements.txt pinned
  run grep -E '^include ' Makefile
  assert_success
  # QUICK=1: the targets exist; tiny installs no pytest or ruff, so running them would fail
  # (the K2 demo below runs them for real)
  run make uv-verify QUICK=1
  assert_success
  refute_output --partial "✗"
  assert_line --regexp '^  - uv sync --locked +not run under QUICK=1' # quick installs nothing
}

@test "after APPLY=1, a second uv-migrate finds nothing to do and uv-migrate-audit passes" {
  migrate APPLY=1 >/dev/null 2>&1
  git add -A && git -c user.name=t -c user.email=t@example.invalid commit -qm migrated
  before=$(snapshot)
  run migrate
  assert_success
  assert_output --partial "nothing to do"
  run migrate APPLY=1
  assert_success
  assert_equal "$(snapshot)" "$before"
  run make -f "$UVMK" uv-migrate-audit
  assert_success
}

@test "uv-migrate APPLY=1 refuses a dirty tree, naming the files; FORCE=1 goes ahead" {
  echo "# local edit" >>requirements.txt
  before=$(snapshot)
  run migrate APPLY=1
  assert_failure
  assert_output --partial "uv.mk: error:"
  assert_output --partial "requirements.txt"
  assert_equal "$(snapshot)" "$before"
  run migrate APPLY=1 FORCE=1
  assert_success
  [ -f uv.lock ]
}

@test "KEEP_REQUIREMENTS=1 keeps the requirements files and uv-verify accepts that" {
  run migrate APPLY=1 KEEP_REQUIREMENTS=1
  assert_success
  [ -f requirements.txt ]
  run make uv-verify KEEP_REQUIREMENTS=1 QUICK=1 # about the requirements check alone
  assert_success
}

@test "uv-verify on the unmigrated repo fails with a reason per failed check" {
  run make -f "$UVMK" uv-verify
  assert_failure
  assert_output --partial "✗"
  assert_output --partial "uv.lock"
}

@test "the migration targets find their helpers next to uv.mk, from any directory" {
  cd "$BATS_TEST_TMPDIR" && mkdir elsewhere && cd elsewhere
  cp -R "$REPO/." .
  run make -f "$UVMK" uv-migrate FORMAT=json
  assert_success
  # uv.mk lives outside this repo: it alone will be vendored, beside the Makefile
  assert_output --partial '"path": "uv.mk"'
  refute_output --partial 'uv-mk/'
}

@test "uv-migrate APPLY=1 from a uv.mk elsewhere vendors that one file, stamped, and no engine" {
  run migrate APPLY=1
  assert_success
  assert_output --partial "vendored uv.mk ($(sed -n 's/^UVMK_VERSION := //p' "$UVMK"), from $UVMK)"
  assert_equal "$(sed -n 1p uv.mk)" "$(sed -n 1p "$UVMK")"
  run sed -n 2p uv.mk
  assert_output --regexp '^# vendored by uv-mk, sha256 [0-9a-f]{64}'
  assert_equal "$(sed 2d uv.mk | cksum)" "$(cksum <"$UVMK")"
  run git status --short --untracked-files=all
  assert_line '?? uv.mk'
  refute_output --partial 'scripts/'
  refute_output --partial 'uv-mk/'
  grep -qx 'include uv.mk' Makefile
}

@test "the README's demo migrates the bundled K2 example end to end" {
  DEMO_DIR="$BATS_TEST_TMPDIR/k2" run "$UVMK_ROOT/examples/demo.sh"
  assert_success
  assert_output --partial "requirements.txt:6: pydantic==2.4.2 is outside pyproject's"
  assert_output --partial "14/14 checks passed"
  assert_output --partial "nothing to do"
  assert_output --partial "2 passed"
}
