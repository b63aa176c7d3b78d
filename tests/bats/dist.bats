#!/usr/bin/env bats
# uv-mk as a distribution: the wheel `uv build` makes, `uvx uv-mk init` adopting uv.mk in one
# command, and a repo that holds uv.mk alone running its migration targets through the released
# engine of uv.mk's own version (`uvx --from uv-mk==X.Y.Z`), served from a local --find-links
# folder: offline, so it can come from nowhere else.

load test_helper

setup_file() {
  use_release
  WHEEL=$(find "$UV_FIND_LINKS" -name 'uv_mk-*.whl')
  VERSION=$(sed -n 's/^UVMK_VERSION := //p' "$UVMK_ROOT/uv.mk")
  export WHEEL VERSION
}

setup() {
  export UV_OFFLINE=1 # the release comes from the find-links folder or from nowhere
}

uv_mk() {
  uv tool run --quiet --from "$WHEEL" uv-mk "$@"
}

# Print the entry NAME of the wheel WHEEL: wheel_file WHEEL NAME.
wheel_file() {
  python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$1" "$2"
}

@test "uv build makes a wheel and an sdist named uv-mk, at uv.mk's version, with uv.mk inside" {
  cd "$BATS_TEST_TMPDIR" && uv build --quiet --out-dir dist "$UVMK_ROOT"
  [ -f "dist/uv_mk-$VERSION-py3-none-any.whl" ]
  [ -f "dist/uv_mk-$VERSION.tar.gz" ]
  assert_equal "$(wheel_file "dist/uv_mk-$VERSION-py3-none-any.whl" uvmk/uv.mk | cksum)" "$(cksum <"$UVMK")"
  run wheel_file "dist/uv_mk-$VERSION-py3-none-any.whl" "uv_mk-$VERSION.dist-info/entry_points.txt"
  assert_output --partial "uv-mk = uvmk.cli:run"
  run wheel_file "dist/uv_mk-$VERSION-py3-none-any.whl" "uv_mk-$VERSION.dist-info/METADATA"
  assert_line "Version: $VERSION"
  assert_line --regexp '^Requires-Dist: tomlkit'
}

@test "uv-mk --version agrees with uv.mk's header line and its UVMK_VERSION" {
  run uv_mk --version
  assert_success
  assert_output "uv-mk $VERSION"
  run sed -n 1p "$UVMK"
  assert_output --regexp "^# uv.mk $VERSION "
}

@test "uv tool install puts uv-mk on PATH, and UVMK_ENGINE=uv-mk makes uv.mk's targets use it" {
  export UV_TOOL_BIN_DIR="$BATS_TEST_TMPDIR/bin" UV_TOOL_DIR="$BATS_TEST_TMPDIR/tools"
  uv tool install --quiet "$WHEEL"
  PATH="$UV_TOOL_BIN_DIR:$PATH"
  run uv-mk --version
  assert_output "uv-mk $VERSION"
  use_fixture legacy/tiny
  cp "$UVMK" uv.mk
  unset UV_FIND_LINKS # the release cannot be fetched: only the installed command can answer
  run make -f uv.mk uv-migrate-audit UVMK_ENGINE=uv-mk
  assert_failure
  assert_output --partial "finding(s) to fix"
}

@test "uvx uv-mk init adopts uv.mk in a fresh repo: make help, dev-install and test pass" {
  use_fixture app
  rm Makefile
  git init -q
  run uv_mk init
  assert_success
  assert_output --partial "wrote uv.mk ($VERSION)"
  assert_equal "$(find . -mindepth 1 -maxdepth 1 | sed 's|^\./||' | LC_ALL=C sort | tr '\n' ' ')" ".git .python-version Makefile pyproject.toml src tests uv.lock uv.mk "
  grep -qx '.DEFAULT_GOAL := help' Makefile
  grep -qx 'include uv.mk' Makefile
  run make
  assert_success
  assert_output --partial "dev-install"
  run make dev-install
  assert_success
  run make test
  assert_success
  assert_output --regexp 'passed'
}

@test "uv-mk init twice changes nothing" {
  use_fixture app
  rm Makefile
  uv_mk init
  before=$(snapshot_all)
  run uv_mk init .
  assert_success
  assert_output --partial "nothing to do"
  assert_equal "$(snapshot_all)" "$before"
}

@test "uv-mk init on a Makefile with its own test target skips uv.mk's alias, so make never warns" {
  use_fixture app
  printf 'test:\n\t@echo host test\n' >Makefile
  run uv_mk init
  assert_success
  assert_output --partial "Makefile: added \`include uv.mk\`"
  grep -qx 'UVMK_SKIP_TARGETS := test' Makefile
  run make test
  assert_success
  assert_output "host test"
}

@test "uv-mk init refuses a Makefile that includes another uv.mk, in one line, changing nothing" {
  use_fixture app
  printf '# ours\ninclude vendor/uv.mk\n' >Makefile
  before=$(snapshot_all)
  run --separate-stderr uv_mk init
  assert_equal "$status" 2
  assert_equal "$stderr" "uv.mk: error: Makefile:2 already includes vendor/uv.mk: keep that one (\`uv-mk update\` in its folder), or include uv.mk instead"
  assert_equal "$(snapshot_all)" "$before"
}

@test "a repo holding uv.mk alone audits, migrates and verifies through the released uv-mk" {
  use_fixture legacy/tiny
  python3 -m venv --without-pip venv
  cp "$UVMK" uv.mk
  git init -q && git add -A && git -c user.name=t -c user.email=t@example.invalid commit -qm legacy
  # the recipe names the release of uv.mk's own version; nothing ran to decide it
  run make -n -f uv.mk uv-migrate-audit
  assert_output --partial "tool run --quiet --from uv-mk==$VERSION uv-mk"
  [ ! -e scripts ]
  run make -f uv.mk uv-migrate-audit
  assert_failure # audit's exit 1 (findings), which make reports as 2
  assert_output --partial "finding(s) to fix"
  run make -f uv.mk uv-migrate APPLY=1
  assert_success
  grep -qx 'include uv.mk' Makefile
  run git status --short --untracked-files=all
  refute_output --partial "scripts/"
  refute_output --partial "uv-mk/"
  run make uv-verify QUICK=1 # the make -n checks: tiny installs no pytest or ruff to run
  assert_success
  assert_output --partial "checks passed"
  run make uv-migrate-audit
  assert_success
}

@test "the migrated example holds uv.mk and no engine code, and its uv-verify runs the release" {
  use_fixture legacy/tiny
  python3 -m venv --without-pip venv
  git init -q && git add -A && git -c user.name=t -c user.email=t@example.invalid commit -qm legacy
  make -f "$UVMK" uv-migrate APPLY=1 >/dev/null
  run git status --short --untracked-files=all
  assert_line "?? uv.mk"
  refute_output --regexp '\.py$'
  run make uv-verify QUICK=1 # the make -n checks: tiny installs no pytest or ruff to run
  assert_success
  assert_output --partial "checks passed"
}

@test "a repo holding uv.mk alone, where no index has uv-mk, fails in one line naming the ways out" {
  use_fixture legacy/tiny
  cp "$UVMK" uv.mk
  mkdir "$BATS_TEST_TMPDIR/no-wheels"
  # the lookup fails for real: an empty find-links folder, no network, a cache of its own
  export UV_FIND_LINKS="$BATS_TEST_TMPDIR/no-wheels" UV_CACHE_DIR="$BATS_TEST_TMPDIR/cache"
  before=$(snapshot)
  run make -f uv.mk uv-verify QUICK=1
  assert_failure
  run output_without_make
  assert_output --regexp "^uv.mk: error: uv-mk $VERSION is not in the package index this machine reaches .*UVMK_ENGINE='uv run --script /path/to/uv.mk-checkout/scripts/uvmk_migrate.py'.*UV_FIND_LINKS=[^ ]*wheel\$"
  assert_equal "$(snapshot)" "$before"
  # the first way out: a checkout's engine (its dependencies from the shared cache)
  unset UV_CACHE_DIR
  run make -f uv.mk uv-migrate-audit UVMK_ENGINE="uv run --quiet --script $UVMK_ROOT/scripts/uvmk_migrate.py"
  assert_output --partial "finding(s) to fix"
}

@test "uvx uv-mk migrate --apply moves a legacy repo without make, vendoring the wheel's uv.mk" {
  use_fixture legacy/tiny
  git init -q && git add -A && git -c user.name=t -c user.email=t@example.invalid commit -qm legacy
  run uv_mk migrate --apply
  assert_success
  assert_output --partial "vendored uv.mk ($VERSION, from this uv-mk)"
  assert_equal "$(sed 2d uv.mk | cksum)" "$(cksum <"$UVMK")"
  run make uv-verify QUICK=1 # the make -n checks: tiny installs no pytest or ruff to run
  assert_success
}

@test "UVMK_ENGINE names another engine command, and the release is not fetched" {
  use_fixture legacy/tiny
  cp "$UVMK" uv.mk
  unset UV_FIND_LINKS # the release cannot be found: only the named engine can answer
  run make -f uv.mk uv-migrate-audit FORMAT=json UVMK_ENGINE="uv run --quiet --script $UVMK_ROOT/scripts/uvmk_migrate.py"
  assert_failure
  assert_output --partial '"clean": false'
}
