#!/usr/bin/env bats
# lint, lint-fix, format, format-check, type-check.

load test_helper

setup() {
  use_fixture app
}

add_unused_import() {
  printf 'import os\n\n\ndef unused() -> None:\n    pass\n' >src/demoapp/sloppy.py
}

@test "lint passes on clean code" {
  run make lint
  assert_success
  assert_output --partial "All checks passed"
}

@test "lint fails on a lint error and names the file" {
  add_unused_import
  run make lint
  assert_failure
  assert_output --partial "src/demoapp/sloppy.py"
  assert_output --partial "F401"
}

@test "lint-fix repairs what ruff can fix" {
  add_unused_import
  run make lint-fix
  assert_success
  run grep -c "import os" src/demoapp/sloppy.py
  assert_output "0"
  run make lint
  assert_success
}

@test "format rewrites badly formatted code and format-check then passes" {
  printf 'def f( a:int,b:int )->int :\n  return a+b\n' >src/demoapp/ugly.py
  run make format-check
  assert_failure
  run make format
  assert_success
  assert_equal "$(sed -n 1p src/demoapp/ugly.py)" "def f(a: int, b: int) -> int:"
  run make format-check
  assert_success
}

@test "format with FORMATTER=black runs black and isort from the project env" {
  run make -n format FORMATTER=black
  assert_success
  assert_output --partial "python -m black src tests"
  assert_output --partial "python -m isort src tests"
  run make format FORMATTER=black
  assert_failure
  assert_output --partial "No module named black"
}

@test "type-check passes on typed code" {
  run make type-check
  assert_success
  assert_output --partial "Success: no issues found"
}

@test "type-check fails on a type error" {
  printf 'def f() -> int:\n    return "nope"\n' >src/demoapp/wrong.py
  run make type-check
  assert_failure
  assert_output --partial "src/demoapp/wrong.py:2: error"
}

@test "lint and type-check only look at folders that exist" {
  rm -r tests
  run make -n lint
  assert_success
  assert_output --partial "ruff check src"
  refute_output --partial "tests"
}

@test "lint-fix fails when an error is left that ruff cannot fix" {
  printf 'def f() -> int:\n    return undefined_name\n' >src/demoapp/broken.py
  run make lint-fix
  assert_failure
  assert_output --partial "F821"
}

@test "format fails on a file that is not valid Python" {
  printf 'def f(:\n' >src/demoapp/syntax.py
  run make format
  assert_failure
  assert_output --partial "src/demoapp/syntax.py"
}

# Remove a tool from the fixture's dev group, as a project that never had it.
drop_dev_tool() {
  sed -i.bak "s/\"$1[>=0-9.]*\", *//; s/, *\"$1[>=0-9.]*\"//" pyproject.toml && rm pyproject.toml.bak
  ! grep -q "\"$1" pyproject.toml
}

@test "lint without ruff says in one line how to add it" {
  drop_dev_tool ruff
  run make lint
  assert_failure
  assert_line "uv.mk: error: lint needs ruff, which pyproject.toml does not install into .venv: run make uv-add-dev PKG=ruff"
}

@test "lint-fix, format and uv-format-check without ruff say the same, under their short names" {
  drop_dev_tool ruff
  run make lint-fix
  assert_failure
  assert_line "uv.mk: error: lint-fix needs ruff, which pyproject.toml does not install into .venv: run make uv-add-dev PKG=ruff"
  run make format
  assert_failure
  assert_line "uv.mk: error: format needs ruff, which pyproject.toml does not install into .venv: run make uv-add-dev PKG=ruff"
  run make uv-format-check
  assert_failure
  assert_line "uv.mk: error: format-check needs ruff, which pyproject.toml does not install into .venv: run make uv-add-dev PKG=ruff"
}

@test "format with FORMATTER=black names both black and isort when neither is there" {
  run make format FORMATTER=black
  assert_failure
  assert_line "uv.mk: error: format needs 'black isort' (FORMATTER=black), which pyproject.toml does not install into .venv: run make uv-add-dev PKG='black isort' or set FORMATTER=ruff"
}

@test "format-check with FORMATTER=black names isort alone when black is there" {
  sed -i.bak 's/"mypy>=1.10"/"mypy>=1.10", "black>=24"/' pyproject.toml && rm pyproject.toml.bak
  run make format-check FORMATTER=black
  assert_failure
  assert_line "uv.mk: error: format-check needs isort (FORMATTER=black), which pyproject.toml does not install into .venv: run make uv-add-dev PKG=isort or set FORMATTER=ruff"
}

@test "type-check without mypy says how to add it" {
  drop_dev_tool mypy
  run make type-check
  assert_failure
  assert_line "uv.mk: error: type-check needs mypy, which pyproject.toml does not install into .venv: run make uv-add-dev PKG=mypy"
}

@test "type-check with TYPE_CHECKER=pyright and no pyright names the knob and the way back" {
  run make type-check TYPE_CHECKER=pyright
  assert_failure
  assert_line "uv.mk: error: type-check needs pyright (TYPE_CHECKER=pyright), which pyproject.toml does not install into .venv: run make uv-add-dev PKG=pyright or set TYPE_CHECKER=mypy"
}

@test "a tool that fails for its own reasons gets no missing-tool hint" {
  add_unused_import
  run make lint
  assert_failure
  assert_output --partial "F401"
  refute_output --partial "uv.mk: error"
}

@test "a tool that succeeds costs no probe: uv runs once besides the version check" {
  local real_uv
  real_uv=$(command -v uv)
  stub uv "printf '%s\n' \"\$*\" >>'$BATS_TEST_TMPDIR/uv.calls'; exec '$real_uv' \"\$@\""
  run make lint
  assert_success
  run grep -vc -- '--version' "$BATS_TEST_TMPDIR/uv.calls"
  assert_output "1"
}
