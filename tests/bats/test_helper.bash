# Shared setup for every bats suite: real GNU make, real uv, a private copy of a fixture repo.
# shellcheck shell=bash

UVMK_ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
export UVMK_ROOT
# The fixture Makefiles include $(UVMK); point it at the uv.mk under test.
export UVMK="$UVMK_ROOT/uv.mk"
FIXTURES="$UVMK_ROOT/tests/fixtures"

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

# Tests see a predictable environment, whatever the developer's shell has set.
# MAKELEVEL too: under `make test` every make in a test would print "Entering directory".
unset CI CI_MODE UV_FROZEN UV_LOCKED VIRTUAL_ENV NO_COLOR UV_PROJECT_ENVIRONMENT MAKELEVEL MAKEFLAGS MFLAGS MAKEOVERRIDES
# Offline-friendly: never wait on a Python download that cannot happen here.
export UV_PYTHON_DOWNLOADS=never

# The make under test: UVMK_TEST_MAKE names another binary (tests/run sets it from
# UVMK_TEST_MAKES to run the make-facing files under GNU make 3.81 … 4.1); every `make` a test
# runs goes through it, and the recipes' $(MAKE) follows the make that runs them.
UVMK_TEST_MAKE=${UVMK_TEST_MAKE:-make}
make() {
  command "$UVMK_TEST_MAKE" "$@"
}

# The running make's version, e.g. 4.1 (for a test that cannot hold on an old make).
make_version() {
  make --version | sed -n '1s/^GNU Make \([0-9.]*\).*/\1/p'
}

# $output minus make's own lines about a failed recipe: "make: *** [T] Error 2", and the
# "FILE:LINE: recipe for target 'T' failed" make 4.0 and 4.1 add (on stdout).
output_without_make() { # $output: set by bats's run
  # shellcheck disable=SC2154
  printf '%s\n' "$output" | grep -v -e '^g\{0,1\}make\(\[[0-9]*\]\)\{0,1\}: \*\*\*' -e ": recipe for target '.*' failed$" || true
}

# Copy fixture NAME into this test's own temp dir and cd there; REPO is its path.
use_fixture() {
  REPO="$BATS_TEST_TMPDIR/${2:-repo}"
  mkdir -p "$REPO"
  cp -R "$FIXTURES/$1/." "$REPO/"
  cd "$REPO" || return 1
}

# Every target uv.mk gives a `## ` help line, by its own name (uv-install, print-%), read from
# uv.mk itself: the one list of targets the tests share.
uvmk_documented_targets() {
  sed -n 's/^\([A-Za-z0-9_.%/-][A-Za-z0-9_.%/-]*\):.*## .*/\1/p' "$UVMK"
}

# Checksums of every file in the repo except the environment, for "nothing changed" assertions.
snapshot() {
  find . -path ./.venv -prune -o -type f -print | LC_ALL=C sort | while IFS= read -r f; do
    cksum "$f"
  done
}

# A PATH on which CMD is not found: each PATH dir holding it is shadowed by a copy of links to
# everything else in that dir (the rbenv way of hiding one binary).
path_without() {
  local cmd=$1 dir out="" shadow
  local IFS=:
  for dir in $PATH; do
    if [ -n "$dir" ] && [ -e "$dir/$cmd" ]; then
      shadow="$BATS_TEST_TMPDIR/path-without-$cmd/$(printf '%s' "$dir" | tr '/' '_')"
      local f others=()
      for f in "$dir"/*; do
        [ "${f##*/}" = "$cmd" ] || others+=("$f")
      done
      mkdir -p "$shadow"
      [ "${#others[@]}" -eq 0 ] || ln -sf "${others[@]}" "$shadow/" # one ln, not one per file
      dir=$shadow
    fi
    out="${out:+$out:}$dir"
  done
  printf '%s\n' "$out"
}

# Put an executable stub named CMD, with BODY as its sh script, first on PATH.
stub() {
  local cmd=$1 body=$2
  mkdir -p "$BATS_TEST_TMPDIR/stubs"
  printf '#!/bin/sh\n%s\n' "$body" >"$BATS_TEST_TMPDIR/stubs/$cmd"
  chmod +x "$BATS_TEST_TMPDIR/stubs/$cmd"
  PATH="$BATS_TEST_TMPDIR/stubs:$PATH"
}

# Like stub, and the stub first logs its arguments, one call a line, to $BATS_TEST_TMPDIR/CMD.argv:
# for tests that only need to know what uv.mk asked CMD to do.
recording_stub() {
  stub "$1" "printf '%s\\n' \"\$*\" >>'$BATS_TEST_TMPDIR/$1.argv'
$2"
}


# Like snapshot, and stricter: every file with its checksum, every folder, every symlink with its
# target, which paths are executable or read-only for their owner, and the environment's own
# entry (a .venv that is a symlink, a file or a folder; not what is inside it). .git's internals
# are left out: `git status` may refresh its index. A few finds, not a process per file.
snapshot_all() {
  local f
  set -- \( -path ./.git -o -path './.venv/*' \) -prune -o
  {
    find . "$@" -type f -exec cksum {} + | sed 's/^/file /'
    find . "$@" -type d -print | sed 's/^/dir /'
    find . "$@" ! -type l -perm -u=x -print | sed 's/^/executable /'
    find . "$@" ! -type l ! -perm -u=w -print | sed 's/^/read-only /'
    find . "$@" -type l -print | while IFS= read -r f; do
      printf 'link %s -> %s\n' "$f" "$(readlink "$f")"
    done
  } | LC_ALL=C sort
}

# A migrated repo holds uv.mk alone, so its uv-migrate-audit/-verify run the released engine of uv.mk's
# version (uvx --from uv-mk==X.Y.Z), as a user's would. Build that release from this checkout once
# per bats file (call it from setup_file) and offer it to uv: from a folder no earlier run used
# (uv caches a find-links wheel by its path) and with a private tool dir (an installed uv-mk
# would win).
use_release() {
  local wheels="$BATS_FILE_TMPDIR/wheels"
  [ -d "$wheels" ] || uv build --quiet --wheel --out-dir "$wheels" "$UVMK_ROOT" || return 1
  export UV_FIND_LINKS="$wheels" UV_TOOL_DIR="$BATS_FILE_TMPDIR/uv-tools"
}

# A TCP port nobody listens on now, on loopback (the kernel's pick; free again once printed).
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Wait (up to ~10 s) until something listens on 127.0.0.1:PORT; bash's /dev/tcp, no process.
wait_for_port() {
  local _
  for _ in $(seq 200); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.05
  done
  echo "nothing listens on 127.0.0.1:$1" >&2
  return 1
}

# A real package index on loopback: pypiserver (uv.mk's dev group) serving and accepting uploads
# into $INDEX_DIR, no authentication, bounded by timeout so a test that dies leaves no server
# behind. Sets INDEX_PID, INDEX_URL (the upload URL) and INDEX_SIMPLE (the simple index).
# stop_index (teardown) ends it.
start_index() {
  local port
  INDEX_DIR="$BATS_TEST_TMPDIR/index-packages"
  mkdir -p "$INDEX_DIR"
  port=$(free_port) || return 1
  timeout 120 "$UVMK_ROOT/.venv/bin/pypi-server" run -i 127.0.0.1 -p "$port" -a . -P . "$INDEX_DIR" \
    >"$BATS_TEST_TMPDIR/index.log" 2>&1 &
  INDEX_PID=$!
  # shellcheck disable=SC2034 # read by the tests
  INDEX_URL="http://127.0.0.1:$port/" INDEX_SIMPLE="http://127.0.0.1:$port/simple/"
  wait_for_port "$port"
}

stop_index() {
  [ -z "${INDEX_PID:-}" ] || kill "$INDEX_PID" 2>/dev/null || true
}

# The app fixture as a team's checkout: a git repo with everything committed.
commit_all() {
  git init -q . && git add -A &&
    git -c user.name=bats -c user.email=bats@example.com commit -qm "${1:-the project}"
}

# The app fixture with a dynamic version, as hatch-vcs or setuptools-scm projects have: hatchling
# reads it from the package's __version__, and uv.lock is locked again.
make_version_dynamic() {
  sed -i.bak 's/^version = "0.1.0"$/dynamic = ["version"]/' pyproject.toml && rm pyproject.toml.bak &&
    printf '\n[tool.hatch.version]\npath = "src/demoapp/__init__.py"\n' >>pyproject.toml &&
    printf '__version__ = "0.1.0"\n' >>src/demoapp/__init__.py &&
    uv lock --quiet
}
