#!/usr/bin/env bats
# test, test-unit, test-integration, coverage: pytest from the project environment only.

load test_helper

setup() {
  use_fixture app
}

add_failing_unit_test() {
  printf 'def test_breaks() -> None:\n    assert 1 == 2\n' >tests/unit/test_broken.py
}

@test "test runs the whole suite" {
  run make test
  assert_success
  assert_output --partial "3 passed"
}

@test "test fails when a test fails" {
  add_failing_unit_test
  run make test
  assert_failure
  assert_output --partial "1 failed, 3 passed"
}

@test "test passes PYTEST_ARGS through to pytest" {
  run make test PYTEST_ARGS="-k crossed"
  assert_success
  assert_output --partial "1 passed, 2 deselected"
}

@test "test-unit runs the unit folder only" {
  run make test-unit
  assert_success
  assert_output --partial "2 passed"
  refute_output --partial "test_cli"
}

@test "test-unit falls back to the unit marker when there is no unit folder" {
  run make test-unit UNIT_TESTS=no/such/dir
  assert_success
  assert_output --partial "2 passed, 1 deselected"
}

@test "test-unit fails when a unit test fails" {
  add_failing_unit_test
  run make test-unit
  assert_failure
  assert_output --partial "1 failed"
}

@test "test-integration runs the integration folder" {
  run make test-integration
  assert_success
  assert_output --partial "1 passed"
}

@test "test-integration fails when there is no integration test at all" {
  rm -r tests/integration
  run make test-integration
  assert_failure
  assert_output --partial "uv.mk: error: no integration tests: INTEGRATION_TESTS=tests/integration is not a folder and no test is marked integration: set INTEGRATION_TESTS to their folder (make test-integration INTEGRATION_TESTS=path) or mark them @pytest.mark.integration"
}

@test "coverage reports in the terminal and writes htmlcov/" {
  run make coverage
  assert_success
  assert_output --partial "TOTAL"
  assert_output --partial "demoapp"
  [ -f htmlcov/index.html ]
}

@test "coverage fails when a test fails" {
  add_failing_unit_test
  run make coverage
  assert_failure
}

@test "pytest is never taken from outside the project environment" {
  # A pytest on PATH must not stand in for a missing one in the project env.
  stub pytest 'echo "stray pytest ran"; exit 0'
  sed -i.bak '/^dev = /d' pyproject.toml && rm pyproject.toml.bak
  run make test
  assert_failure
  refute_output --partial "stray pytest ran"
  assert_line "uv.mk: error: test needs pytest, which pyproject.toml does not install into .venv: run make uv-add-dev PKG=pytest"
}

@test "test-unit and test-integration without pytest say how to add it, on either path" {
  sed -i.bak 's/"pytest>=8", "pytest-cov>=5", //' pyproject.toml && rm pyproject.toml.bak # pytest-cov would bring pytest
  run make test-unit
  assert_failure
  assert_line "uv.mk: error: test-unit needs pytest, which pyproject.toml does not install into .venv: run make uv-add-dev PKG=pytest"
  # No folder: the marker fallback, whose own "no tests" line must not hide the missing pytest.
  run make test-integration INTEGRATION_TESTS=nowhere
  assert_failure
  assert_line "uv.mk: error: test-integration needs pytest, which pyproject.toml does not install into .venv: run make uv-add-dev PKG=pytest"
  refute_output --partial "no integration tests"
}

@test "coverage without pytest-cov says how to add it instead of pytest's unknown --cov" {
  sed -i.bak 's/"pytest-cov>=5", //' pyproject.toml && rm pyproject.toml.bak
  run make coverage
  assert_failure
  assert_line "uv.mk: error: coverage needs pytest-cov, which pyproject.toml does not install into .venv: run make uv-add-dev PKG=pytest-cov"
}

@test "a workspace's test runs each member's tests in its folder, PACKAGE picks one by folder or name" {
  printf 'WORKSPACE := libs/common services/api\ninclude %s\n' "$UVMK" >Makefile
  mkdir -p services/api/tests
  run make -n uv-test
  assert_success
  assert_output --partial "for uvmk_m in libs/common services/api; do"
  assert_output --partial "run --directory \"\$uvmk_m\" --all-packages"
  run make -n uv-test PACKAGE=api
  assert_success
  assert_output --partial "run --directory 'services/api' --all-extras --all-groups python -m pytest tests"
  run make -n uv-install PACKAGE=acme-api
  assert_output --partial "sync --no-default-groups --package 'acme-api'"
  run make -n uv-dev-install
  assert_output --partial "sync --all-extras --all-groups --all-packages"
}

@test "an exported WORKSPACE (Jenkins sets one) is no member list" {
  printf 'include %s\n' "$UVMK" >Makefile
  WORKSPACE=/var/lib/jenkins/workspace/job run make -n uv-dev-install uv-test
  assert_success
  refute_output --partial "--all-packages"
  refute_output --partial "--directory"
}
