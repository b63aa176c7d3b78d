#!/usr/bin/env bats
# The migration knobs: taken from the command line or a makefile, never from the environment;
# the engine's flags wired as knobs; OUTPUT=path for a report no make can corrupt.

load test_helper

setup() {
  use_fixture legacy/tiny
}

@test "an exported PYTHON_VERSION (as python:* images set) does not pin the migration's Python" {
  PYTHON_VERSION=3.12.7 run make -n -f "$UVMK" uv-migrate
  assert_success
  refute_output --partial "--python"
}

@test "PYTHON_VERSION on the command line reaches the engine as --python" {
  run make -n -f "$UVMK" uv-migrate PYTHON_VERSION=3.12
  assert_success
  assert_output --partial "--python '3.12'"
}

@test "an exported FORMAT=json, APPLY=1 or OUTPUT leaves the preview a table on stdout" {
  FORMAT=json APPLY=1 OUTPUT=x.json run make -n -f "$UVMK" uv-migrate
  assert_success
  assert_output --partial "--format 'table'"
  refute_output --partial "--apply"
  refute_output --partial "--output"
}

@test "a FORMAT set in the host's Makefile is used" {
  printf 'FORMAT := json\ninclude %s\n' "$UVMK" >Makefile
  run --separate-stderr make -s uv-migrate
  assert_success
  printf '%s' "$output" | python3 -c 'import json, sys; json.load(sys.stdin)'
}

@test "REQUIREMENTS and DEV_REQUIREMENTS name the files for audit and migrate, each one shell word" {
  run make -n -f "$UVMK" uv-migrate-audit REQUIREMENTS='a.txt b.txt' DEV_REQUIREMENTS='dev.txt:test'
  assert_output --partial "--requirements 'a.txt b.txt' --dev-requirements 'dev.txt:test'"
  run make -n -f "$UVMK" uv-migrate REQUIREMENTS="x'; touch pwned; echo '"
  assert_output --partial "--requirements 'x'\\''; touch pwned; echo '\\'''"
}

@test "ROOT from the command line points uv-migrate-audit, uv-migrate and uv-verify at that folder" {
  run make -n -f "$UVMK" uv-migrate ROOT='services/my api' SUBPROJECTS=keep
  assert_output --partial "--root 'services/my api'"
  assert_output --partial "--subprojects 'keep'"
  run make -n -f "$UVMK" uv-verify ROOT=services/api
  assert_output --partial "verify --root 'services/api'"
  run make -n -f "$UVMK" uv-migrate-audit ROOT=services/api
  assert_output --partial "--root 'services/api'"
}

@test "a ROOT from the environment or the host's Makefile is theirs, not uv.mk's" {
  ROOT=/somewhere/else run make -n -f "$UVMK" uv-migrate-audit
  refute_output --partial "--root"
  printf 'ROOT := $(CURDIR)/build\ninclude %s\n' "$UVMK" >Makefile
  run make -n uv-migrate
  refute_output --partial "--root"
}

@test "REQUIREMENTS limits the migration to the files named" {
  printf 'requests\n' >base.txt
  run --separate-stderr make -s -f "$UVMK" uv-migrate FORMAT=json REQUIREMENTS=base.txt
  assert_success
  printf '%s' "$output" | python3 -c 'import json, sys; t = sys.stdin.read(); assert "base.txt" in t, t'
}

@test "uv-migrate-audit OUTPUT=path writes the whole JSON there and one line to stdout" {
  run --separate-stderr make -s -f "$UVMK" uv-migrate-audit FORMAT=json OUTPUT=audit.json
  assert_failure
  assert_equal "$(output_without_make)" "uv-mk audit: report written to audit.json (exit 1)"
  python3 -c 'import json; d = json.load(open("audit.json")); assert d["clean"] is False, d'
}

@test "a CI gate tells findings from a failed audit through make: the file and its clean field" {
  run make -s -f "$UVMK" uv-migrate-audit FORMAT=json OUTPUT=audit.json
  assert_equal "$status" 2 # make turns every failing recipe into 2
  [ -f audit.json ] # written: the audit ran, and found something
  run python3 -c 'import json, sys; sys.exit(0 if json.load(open("audit.json"))["clean"] else 1)'
  assert_equal "$status" 1
  rm audit.json
  printf '[project\n' >pyproject.toml # unreadable: the audit itself fails
  run make -s -f "$UVMK" uv-migrate-audit FORMAT=json OUTPUT=audit.json
  assert_equal "$status" 2
  [ ! -e audit.json ] # no report: the audit failed
}

@test "OUTPUT works for every FORMAT and for uv-migrate" {
  run make -s -f "$UVMK" uv-migrate-audit FORMAT=markdown OUTPUT=audit.md
  assert_line "uv-mk audit: report written to audit.md (exit 1)"
  assert_equal "$(head -c 2 audit.md)" "# "
  run make -s -f "$UVMK" uv-migrate OUTPUT=plan.txt
  assert_success
  assert_output "uv-mk migrate: report written to plan.txt (exit 0)"
  [ -s plan.txt ]
}

@test "VERBOSE=1 gives uv-migrate-audit the full account, longer than the default one" {
  run make -s -f "$UVMK" uv-migrate-audit
  local short=${#lines[@]}
  run make -s -f "$UVMK" uv-migrate-audit VERBOSE=1
  assert_failure
  [ "${#lines[@]}" -gt "$short" ] || fail "VERBOSE=1 printed $short lines or fewer"
}

@test "KEEP_PYPROJECT_PINS=1 reaches uv-migrate as --keep-pyproject-pins, an exported one does not" {
  run make -n -f "$UVMK" uv-migrate KEEP_PYPROJECT_PINS=1
  assert_output --partial "--keep-pyproject-pins"
  KEEP_PYPROJECT_PINS=1 VERBOSE=1 run make -n -f "$UVMK" uv-migrate
  refute_output --partial "--keep-pyproject-pins"
  refute_output --partial "--verbose"
  run --separate-stderr make -s -f "$UVMK" uv-migrate KEEP_PYPROJECT_PINS=1
  assert_success
}

@test "REWRITE reaches uv-migrate as --rewrite, shown by make -n, an exported one does not" {
  run make -n -f "$UVMK" uv-migrate REWRITE=ci,tox
  assert_success
  assert_output --partial "--rewrite 'ci,tox'"
  REWRITE=all run make -n -f "$UVMK" uv-migrate
  refute_output --partial "--rewrite"
}

@test "REWRITE with an unknown name is one line naming it, and changes nothing" {
  before=$(snapshot_all)
  run --separate-stderr make -s -f "$UVMK" uv-migrate REWRITE=ci,docker-compose APPLY=1
  assert_failure
  [ "$(printf '%s\n' "$stderr" | grep -c 'uv.mk: error:')" -eq 1 ] || fail "$stderr"
  [[ "$stderr" == *"unknown reader 'docker-compose' (known: docker, ci, tox, bots, pre-commit, or all)"* ]] || fail "$stderr"
  [ "$(snapshot_all)" = "$before" ] || fail "a file changed"
}

@test "uv-migrate APPLY=1 REWRITE=ci,tox,pre-commit moves those readers to uv and deletes the file only they read" {
  use_fixture readers/ci-matrix ci
  commit_all
  run make -s -f "$UVMK" uv-migrate
  assert_success
  assert_output --partial "- [ci] .github/workflows/ci.yml:27: would rewrite: \`pip install -r requirements-dev.txt\` → \`uv sync --locked\`"
  run make -s -f "$UVMK" uv-migrate APPLY=1 REWRITE=ci,tox,pre-commit
  assert_success
  assert_output --partial "wrote .github/workflows/ci.yml"
  grep -q 'uses: astral-sh/setup-uv@v10.0.1' .github/workflows/ci.yml
  grep -q 'run: uv run --no-sync ruff check .' .github/workflows/ci.yml
  grep -q 'package-ecosystem: "pip"' .github/dependabot.yml  # bots was not asked for
  [ ! -e requirements-dev.txt ] || fail "requirements-dev.txt is only read by rewritten readers"
}
