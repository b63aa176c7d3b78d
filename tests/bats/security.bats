#!/usr/bin/env bats
# security: uv audit of uv.lock's exact versions, against a real OSV-format service on loopback
# (tests/fixtures/osv/serve.py: the API uv calls, /v1/querybatch and /v1/vulns/ID; the public one,
# api.osv.dev, is out of reach here). Its records say idna 3.6 is vulnerable (GHSA-jjg7-2v4v-x38h,
# alias CVE-2024-3651 and PYSEC-2024-60, fixed in 3.7): the fixture pins idna 3.6, or 3.7 for a
# clean set.

load test_helper

GHSA="GHSA-jjg7-2v4v-x38h"

setup() {
  use_fixture app
  pin_idna 3.6
  start_osv
}

teardown() {
  [ -z "${OSV_PID:-}" ] || kill "$OSV_PID" 2>/dev/null || true
}

pin_idna() {
  sed -i.bak "s/^dependencies = .*/dependencies = [\"idna==$1\"]/" pyproject.toml && rm pyproject.toml.bak &&
    uv lock --quiet
}

# The service, on a free port it picks itself; it stops on its own after a minute.
start_osv() {
  local port_file="$BATS_TEST_TMPDIR/osv.port" _
  python3 "$FIXTURES/osv/serve.py" "$FIXTURES/osv/records.json" "$port_file" 60 2>"$BATS_TEST_TMPDIR/osv.log" &
  OSV_PID=$!
  for _ in $(seq 200); do [ -s "$port_file" ] && break; sleep 0.05; done
  OSV_URL="http://127.0.0.1:$(cat "$port_file")/"
  export SECURITY_SERVICE_URL=$OSV_URL
}

osv_requests() {
  sed -n 's/^osv: //p' "$BATS_TEST_TMPDIR/osv.log"
}

@test "security finds the vulnerable idna pin in uv.lock, exits 1 and says so in one line" {
  run make security
  assert_failure
  assert_line --regexp '^make: \*\*\* \[.*uv-security\] Error 1$'
  assert_output --partial "idna 3.6 has 1 known vulnerability"
  assert_output --partial "Fixed in: 3.7"
  assert_line "uv.mk: security: known vulnerabilities in uv.lock (listed above): upgrade them (make uv-upgrade-package PKG=name) or accept an ID with AUDIT_IGNORE=ID"
  # uv asked the service the way it asks api.osv.dev
  run osv_requests
  assert_line "POST /v1/querybatch"
  assert_line "GET /v1/vulns/$GHSA"
}

@test "security passes a clean set: the same lock with idna 3.7" {
  pin_idna 3.7
  run make security
  assert_success
  assert_output --partial "Found no known vulnerabilities"
  refute_output --partial "uv.mk: security:"
}

@test "AUDIT_IGNORE with the advisory's ID makes it pass; an alias (CVE) or a list works too" {
  run make security AUDIT_IGNORE=$GHSA
  assert_success
  run make security AUDIT_IGNORE="GHSA-0000-0000-0000,CVE-2024-3651"
  assert_success
  run make security AUDIT_IGNORE=GHSA-0000-0000-0000
  assert_failure
}

@test "SECURITY_FORMAT=sarif SECURITY_OUTPUT=file writes the SARIF report whole, findings and all" {
  run --separate-stderr make security SECURITY_FORMAT=sarif SECURITY_OUTPUT=security.sarif
  assert_failure
  # make 4.0 and 4.1 add their "recipe for target … failed" to stdout: the file is the way
  assert_equal "$(output_without_make)" "wrote security.sarif"
  run python3 -c 'import json, sys
log = json.load(open("security.sarif"))
assert log["version"] == "2.1.0", log["version"]
results = log["runs"][0]["results"]
print(len(results), results[0]["properties"]["uv/id"], results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])'
  assert_success
  assert_output "1 $GHSA uv.lock"
  [ ! -e security.sarif.tmp ]
}

@test "SECURITY_FORMAT=json is machine-readable, without uv's experimental-schema warning" {
  run make security SECURITY_FORMAT=json SECURITY_OUTPUT=security.json
  assert_failure
  refute_output --partial "option is experimental"
  run python3 -c 'import json; r = json.load(open("security.json")); print(r["summary"]["vulnerabilities"], r["vulnerabilities"][0]["id"])'
  assert_output "1 $GHSA"
}

@test "in CI mode security audits uv.lock as it is: a stale lock fails instead of being re-locked" {
  sed -i.bak 's/^dependencies = .*/dependencies = ["idna==3.7"]/' pyproject.toml && rm pyproject.toml.bak
  before=$(cksum uv.lock)
  CI=true run make security
  assert_failure
  assert_output --partial "needs to be updated, but \`--locked\` was provided"
  assert_equal "$(cksum uv.lock)" "$before"
}

@test "make -n security shows the uv audit command and asks the service nothing" {
  run make -n security AUDIT_IGNORE="$GHSA"
  assert_success
  assert_output --partial "uv audit --preview-features audit-command --output-format 'text' --ignore '$GHSA' --service-url '$OSV_URL'"
  sleep 0.2
  assert_equal "$(osv_requests)" ""
}
