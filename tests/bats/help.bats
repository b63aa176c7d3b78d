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
  assert_line "Migration (pip → uv)"
  local target short documented=0
  while IFS= read -r target; do
    documented=$((documented + 1))
    short=${target#uv-}
    # listed by its short alias where uv.mk defines one (see UVMK_ALIASES), else by its full name
    if grep -q "^  $short " <<<"$output"; then target=$short; fi
    assert_line --regexp "^  ${target//./\\.} +[A-Z]"
  done < <(uvmk_documented_targets)
  [ "$documented" -ge 30 ]
  # and nothing else: one line per documented target
  assert_equal "$(grep -cE '^  [^ ]+ +[A-Z]' <<<"$output")" "$documented"
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
  # A uv whose every run waits until all three have started: one after another, the first times out.
  local started="$BATS_TEST_TMPDIR/started"
  mkdir -p "$started"
  recording_stub uv "[ \"\$1\" = --version ] && echo 'uv 0.13.9 (stub)' && exit 0
touch '$started/'\$\$
i=0
while [ \$(ls '$started' | wc -l) -lt 3 ]; do
  i=\$((i + 1)); [ \$i -le \${BARRIER_TENTHS:-100} ] || { echo 'ran alone' >&2; exit 1; }; sleep 0.1
done"
  run make -j4 lint type-check test
  assert_success
  run cat "$BATS_TEST_TMPDIR/uv.argv"
  assert_line "run --all-extras --all-groups python -m ruff check src tests"
  assert_line "run --all-extras --all-groups python -m mypy src"
  assert_line "run --all-extras --all-groups python -m pytest tests"
  # The same stub tells a serial run apart.
  rm -f "$started"/*
  BARRIER_TENTHS=5 run make -j1 lint type-check test
  assert_failure
  assert_output --partial "ran alone"
}

@test "print-VAR shows a variable's value" {
  run make print-SRC
  assert_success
  assert_output "SRC = src"
  run make print-API_APP
  assert_output "API_APP = demoapp.api:app"
}

@test "every variable can be overridden from the command line, the environment or the host Makefile" {
  local knobs=() goals=() assignments=() expected v
  while IFS= read -r v; do knobs+=("$v"); done < <(sed -n 's/^\([A-Z_][A-Z0-9_]*\) ?=.*/\1/p' "$UVMK")
  [ "${#knobs[@]}" -ge 25 ]
  for v in "${knobs[@]}"; do
    goals+=("print-$v") assignments+=("$v=set-$v")
  done
  expected=$(for v in "${knobs[@]}"; do printf '%s = set-%s\n' "$v" "$v"; done)
  run make "${goals[@]}" "${assignments[@]}"
  assert_success
  assert_output "$expected"
  # shellcheck disable=SC2016 # $(UVMK) is make's
  echo 'include $(UVMK)' >Makefile.bare # a host that sets nothing itself: the environment decides
  run env "${assignments[@]}" make -f Makefile.bare "${goals[@]}"
  assert_success
  assert_output "$expected"
  { printf '%s\n' "${assignments[@]/=/ := }" && cat Makefile.bare; } >Makefile.host
  run make -f Makefile.host "${goals[@]}"
  assert_success
  assert_output "$expected"
  # and an override reaches the command a recipe runs
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
package: ## Package it
	@echo "host package ran"
include $(UVMK)
MK
  run make
  assert_success
  assert_output "host package ran"
}

@test "a host's own build, listed in UVMK_SKIP_TARGETS, runs alone; uv.mk's stays reachable as uv-build" {
  cat >Makefile <<'MK'
UVMK_SKIP_TARGETS := build
include $(UVMK)

build: ## Build the team's way
	@echo "host build ran"
MK
  run make build
  assert_success
  assert_output "host build ran"
  run make -n uv-build
  assert_success
  assert_output --partial "uv build --out-dir 'dist'"
}

@test "knobs set after the include take effect, like those set before it" {
  printf 'FORMATTER := black\nCI_MODE := 1\nTESTS := tests/unit\n' >>Makefile
  run make -n format test
  assert_success
  assert_output --partial "python -m black src tests/unit"
  assert_output --partial "run --locked --all-extras --all-groups python -m pytest tests/unit"
}
