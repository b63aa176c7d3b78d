#!/usr/bin/env bats
# help, the host's default goal, the skip list, make -n, make -j and print-VAR.

load test_helper

setup() {
  use_fixture app
}

# Replace the fixture's Makefile with a host that has its own targets around the include.
write_host_makefile() {
  cat >Makefile <<'MK'
UVMK_SKIP_TARGETS := test
API_APP := demoapp.api:app
include $(UVMK)

##@ Our own
all: ## Build everything the team ships
	@echo "host all ran"

test: ## The team's own test entry point
	@echo "host test ran"
MK
}

@test "help lists every target with its help line, grouped by section" {
  run make help
  assert_success
  assert_line "Environment"
  assert_line --regexp "^  install +Install the project and its runtime dependencies"
  assert_line --regexp "^  uv-add +Add a runtime dependency"
  assert_line "Migration (pip → uv)"
  assert_line --regexp "^  uv-verify +The post-migration checklist"
}

@test "help also lists the host Makefile's own ## targets" {
  write_host_makefile
  run make help
  assert_success
  assert_line "Our own"
  assert_line --regexp "^  all +Build everything the team ships"
  assert_line --regexp "^  test +The team's own test entry point"
  assert_line --regexp "^  uv-test +Run the whole test suite" # skipped alias: shown by its full name
}

@test "help needs neither uv nor Python" {
  PATH=$(path_without uv) run make help
  assert_success
  assert_line --regexp "^  install "
}

@test "including uv.mk at the top keeps the host's default goal" {
  write_host_makefile
  run make
  assert_success
  assert_output "host all ran"
}

@test "help is the default goal when uv.mk is the top makefile" {
  run make -f "$UVMK"
  assert_success
  assert_line --regexp "^  uv-migrate "
}

@test "a host target named in UVMK_SKIP_TARGETS wins without any make warning" {
  write_host_makefile
  run --separate-stderr make test
  assert_success
  assert_output "host test ran"
  assert_equal "$stderr" ""
  run make -n uv-test
  assert_success
  assert_output --partial "python -m pytest tests"
}

@test "make -n prints what a target would run and runs nothing" {
  run make -n install
  assert_success
  assert_output --partial "uv sync --no-default-groups"
  run make -n uv-add PKG=iniconfig
  assert_success
  [ ! -e .venv ]
  run grep -c iniconfig pyproject.toml
  assert_output "0"
}

@test "make -j4 lint type-check test runs them side by side" {
  run make -j4 lint type-check test
  assert_success
  assert_output --partial "All checks passed"
  assert_output --partial "Success: no issues found"
  assert_output --partial "3 passed"
}

@test "print-VAR shows a variable's value" {
  run make print-SRC
  assert_success
  assert_output "SRC = src"
  run make print-API_APP
  assert_output "API_APP = demoapp.api:app"
}

@test "every variable can be overridden from the command line" {
  run make -n lint SRC=src/demoapp TESTS=tests/unit
  assert_success
  assert_output --partial "ruff check src/demoapp tests/unit"
}

@test "the host's pre-install:: and post-install:: hooks run before and after install" {
  cat >>Makefile <<'MK'
pre-install::
	@echo "hook: before"
post-install::
	@echo "hook: after"
MK
  run make -j4 install
  assert_success
  assert_equal "${lines[0]}" "hook: before"
  assert_equal "${lines[${#lines[@]}-1]}" "hook: after"
  [ -f .venv/pyvenv.cfg ]
}

@test "under BSD make, uv.mk stops with a line saying GNU make is required" {
  command -v bmake >/dev/null || skip "bmake is not installed (apt-get install bmake)"
  run bmake -f "$UVMK" help
  assert_failure
  assert_output --partial "uv.mk needs GNU make (gmake) 3.81 or newer; this is BSD make: run gmake instead"
}

@test "a uv.mk whose own path has a space stops with a clear line" {
  mkdir -p "$BATS_TEST_TMPDIR/tools dir"
  cp "$UVMK" "$BATS_TEST_TMPDIR/tools dir/uv.mk"
  run make -f "$BATS_TEST_TMPDIR/tools dir/uv.mk" help
  assert_failure
  assert_output --partial "uv.mk: its path contains a space"
}

@test "a Makefile that includes uv.mk last keeps its own first target as the default" {
  cat >Makefile <<'MK'
build: ## Build it
	@echo "host build ran"
include $(UVMK)
MK
  run make
  assert_success
  assert_output "host build ran"
}

@test "knobs set after the include take effect, like those set before it" {
  printf 'FORMATTER := black\nCI_MODE := 1\nTESTS := tests/unit\n' >>Makefile
  run make -n format test
  assert_success
  assert_output --partial "python -m black src tests/unit"
  assert_output --partial "run --locked --all-extras --all-groups python -m pytest tests/unit"
}
