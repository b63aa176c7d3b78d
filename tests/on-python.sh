#!/usr/bin/env bash
# The engine's pytest and the README's demo again under another Python (default 3.13), as a
# machine whose python3 is that Python runs them: its own dev environment (.cache/venv-pyX.Y,
# from uv.lock), that Python first on PATH as python3. tests/run runs it for each of
# UVMK_TEST_PYTHONS (.ci/run: 3.13).
# Usage: tests/on-python.sh [X.Y]
# Where no such Python is found (python3.X on PATH, pyenv's versions folder), it says so and
# exits 0, or 1 under CI=true: CI that cannot try the second Python must not pass silently.
set -u
cd "$(dirname "$0")/.." || exit 2
want="${1:-3.13}"

# shellcheck source=tests/get-uv.sh
. tests/get-uv.sh
get_uv "$PWD" || exit 2

# A candidate counts only if it runs and is that version: a pyenv shim for a version pyenv does
# not select is on PATH but fails.
find_python() {
  local c pyenv_root
  pyenv_root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  for c in "$(command -v "python$want" 2>/dev/null)" "$pyenv_root"/versions/"$want"*/bin/python"$want"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    if "$c" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$want'.split('.'))))" 2>/dev/null; then
      "$c" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  return 1
}

if ! python=$(find_python); then
  echo "Python $want not found (python$want on PATH, \$(pyenv root)/versions/$want*): the engine's pytest and the demo were not run under it"
  [ "${CI:-}" = true ] && exit 1
  exit 0
fi

env_dir="$PWD/.cache/venv-py$want"
bin=$(mktemp -d) || exit 2
trap 'rm -rf "$bin"' EXIT
status=0
echo "==> Python $want: $python"
UV_PROJECT_ENVIRONMENT="$env_dir" uv sync --locked --quiet --python "$python" || exit 2
# python3 is that Python, and uv the one uv.lock pins (tests assert its wording), as tests/run does
ln -s "$python" "$bin/python3"
ln -s "$env_dir/bin/uv" "$bin/uv"
unset PYTHONDONTWRITEBYTECODE
export PYTHONPYCACHEPREFIX="$PWD/.cache/pycache-py$want"

echo "==> pytest (Python $want)"
# UVMK_JUNIT_DIR (tests/run): a JUnit report there, so the suite's total counts these tests too
junit=()
[ -n "${UVMK_JUNIT_DIR:-}" ] && mkdir -p "$UVMK_JUNIT_DIR" && junit=(--junitxml="$UVMK_JUNIT_DIR/pytest.xml")
PATH="$bin:$PATH" "$env_dir/bin/python" -m pytest -q -p no:cacheprovider ${junit[@]+"${junit[@]}"} || status=1

echo "==> make demo (Python $want)"
demo=$(mktemp -d) || exit 2
if PATH="$bin:$PATH" DEMO_DIR="$demo/k2" examples/demo.sh >"$demo/log" 2>&1; then
  grep -E "checks passed|python-version" "$demo/log" | tail -3
else
  cat "$demo/log"
  echo "make demo failed under Python $want"
  status=1
fi
rm -rf "$demo"
exit "$status"
