#!/usr/bin/env bats
# Bad input: a clear one-line error, the right exit code, and nothing changed.
#
# Every row of CASES is one @test below (same name). A row reads:
#
#   name | repo | setup | make arguments | exit | message
#
#   repo     the fixture copied into the test's temp dir: legacy (tests/fixtures/bad-input/legacy,
#            a pip repo to migrate) or app (tests/fixtures/app, a uv project with a uv.lock)
#   setup    shell code run in the repo before the snapshot: it breaks one thing ("-": nothing)
#   make     the arguments of `make -f uv.mk …`, split like a shell line (quotes are kept as data)
#   exit     the exit code of the failing recipe (`make: *** [...] Error N`); 0: it succeeds
#   message  what the user reads: "a ... b" means a then b on the same line, "x && y" two lines
#
# Lines starting with "# --" are section titles.
#
# A message that does not start with "uv.mk: error:" is uv's own: a failure uv reports itself in
# one clear line, to which uv.mk adds nothing. Its wording is that of the uv pinned in uv.lock's
# dev group, which tests/run puts first on PATH; the first @test checks that this uv is running,
# so a uv upgrade changes these rows in the same commit as the pin.
#
# check_case then asserts: make's status, the recipe's exit code, each message line, no Python
# traceback, no file named pwned anywhere in the repo, and every file, symlink and folder of the
# repo (the .venv entry included, .git's internals not) byte-identical before and after.

load test_helper

CASES=$(
  cat <<'EOF'
# -- pyproject.toml that is not TOML, or not text
malformed pyproject (unclosed array): uv-migrate | legacy | pyproject unclosed-array | uv-migrate | 2 | uv.mk: error: pyproject.toml is not valid TOML: ... (pyproject.toml:8:1)
malformed pyproject (unclosed array): uv-migrate-audit | legacy | pyproject unclosed-array | uv-migrate-audit | 2 | uv.mk: error: pyproject.toml is not valid TOML: ... (pyproject.toml:8:1)
malformed pyproject (unclosed array): uv-lock | legacy | pyproject unclosed-array | uv-lock | 2 | error: Failed to parse: pyproject.toml && cause: TOML parse error at line 9, column 1
malformed pyproject (unclosed array): install | legacy | pyproject unclosed-array | install | 2 | error: Failed to parse: pyproject.toml && cause: TOML parse error at line 9, column 1
malformed pyproject (bad string): uv-migrate | legacy | pyproject bad-string | uv-migrate | 2 | uv.mk: error: pyproject.toml is not valid TOML: ... (pyproject.toml:2:12)
malformed pyproject (bad string): uv-migrate-audit | legacy | pyproject bad-string | uv-migrate-audit | 2 | uv.mk: error: pyproject.toml is not valid TOML: ... (pyproject.toml:2:12)
malformed pyproject (bad string): uv-lock | legacy | pyproject bad-string | uv-lock | 2 | error: Failed to parse: pyproject.toml && cause: TOML parse error at line 2, column 13
malformed pyproject (bad string): install | legacy | pyproject bad-string | install | 2 | error: Failed to parse: pyproject.toml && cause: TOML parse error at line 2, column 13
malformed pyproject (duplicate key): uv-migrate | legacy | pyproject duplicate-key | uv-migrate | 2 | uv.mk: error: pyproject.toml is not valid TOML: key "name" is defined twice (pyproject.toml:5)
malformed pyproject (duplicate key): uv-migrate-audit | legacy | pyproject duplicate-key | uv-migrate-audit | 2 | uv.mk: error: pyproject.toml is not valid TOML: key "name" is defined twice (pyproject.toml:5)
malformed pyproject (duplicate key): uv-verify | legacy | pyproject duplicate-key | uv-verify | 1 | ✗ pyproject.toml parses ... key "name" is defined twice (pyproject.toml:5)
malformed pyproject (duplicate key): uv-lock | legacy | pyproject duplicate-key | uv-lock | 2 | error: Failed to parse: pyproject.toml && cause: TOML parse error at line 5, column 1
malformed pyproject (duplicate key): install | legacy | pyproject duplicate-key | install | 2 | error: Failed to parse: pyproject.toml && cause: TOML parse error at line 5, column 1
malformed pyproject (not TOML at all): uv-migrate | legacy | pyproject not-toml | uv-migrate | 2 | uv.mk: error: pyproject.toml is not valid TOML: Invalid key "from setuptools import setup" at line 1 col 28 (pyproject.toml:1:28)
malformed pyproject (not TOML at all): uv-migrate-audit | legacy | pyproject not-toml | uv-migrate-audit | 2 | uv.mk: error: pyproject.toml is not valid TOML: Invalid key "from setuptools import setup" at line 1 col 28 (pyproject.toml:1:28)
malformed pyproject (not TOML at all): uv-lock | legacy | pyproject not-toml | uv-lock | 2 | error: Failed to parse: pyproject.toml && cause: TOML parse error at line 1, column 6
malformed pyproject (not TOML at all): install | legacy | pyproject not-toml | install | 2 | error: Failed to parse: pyproject.toml && cause: TOML parse error at line 1, column 6
malformed pyproject (empty file): uv-migrate previews a new [project] | legacy | pyproject empty | uv-migrate | 0 | pyproject.toml had no [project] table: added one
malformed pyproject (empty file): uv-migrate-audit | legacy | pyproject empty | uv-migrate-audit | 1 | ! pyproject.toml had no [project] table: added one
malformed pyproject (not UTF-8): uv-migrate | legacy | pyproject latin1 | uv-migrate | 2 | uv.mk: error: pyproject.toml is not UTF-8 ... (pyproject.toml:4)
pyproject is a folder: uv-migrate | legacy | rm pyproject.toml; mkdir pyproject.toml | uv-migrate | 2 | uv.mk: error: pyproject.toml is not a regular file
pyproject with a UTF-8 byte order mark (uv reads it): uv-migrate | legacy | with_bom pyproject.toml | uv-migrate FORMAT=json | 0 | project.dependencies += six==1.16.0  (requirements.txt:3)
# -- pyproject.toml without [project], or with values of the wrong type
no [project] table: uv-add | legacy | pyproject no-project | uv-add PKG=six | 2 | error: Project is missing a `[project]` table
no [project] table, setup.py owns the metadata: uv-migrate | legacy | pyproject no-project; touch setup.py | uv-migrate | 2 | uv.mk: error: setup.py: no setup() call found ... (setup.py:1)
wrong type (dependencies is a string): uv-migrate | legacy | pyproject dependencies-string | uv-migrate | 2 | uv.mk: error: pyproject.toml: [project] dependencies must be an array of strings, not a string (pyproject.toml:5)
wrong type (dependencies is a string): uv-lock | legacy | pyproject dependencies-string | uv-lock | 2 | error: Failed to parse: pyproject.toml && cause: TOML parse error at line 5, column 16 && invalid type: string "requests", expected a sequence
wrong type (requires-python is a number): uv-migrate | legacy | pyproject requires-python-int | uv-migrate | 2 | uv.mk: error: pyproject.toml: [project] requires-python must be a string, not an integer (pyproject.toml:4)
wrong type (requires-python is a number): uv-lock | legacy | pyproject requires-python-int | uv-lock | 2 | error: Failed to parse: pyproject.toml && cause: TOML parse error at line 4, column 19 && invalid type: integer `3`, expected a string
wrong type (a dependency that is a number): uv-migrate | legacy | pyproject dependency-not-string | uv-migrate | 2 | uv.mk: error: pyproject.toml: [project] dependencies must be an array of strings, not an array holding an integer (pyproject.toml:5)
wrong type (an extra that is a string): uv-migrate | legacy | pyproject extra-not-array | uv-migrate | 2 | uv.mk: error: pyproject.toml: [project.optional-dependencies] api must be an array of strings, not a string (pyproject.toml:8)
wrong type (a dependency group that is a string): uv-migrate | legacy | pyproject group-not-array | uv-migrate | 2 | uv.mk: error: pyproject.toml: [dependency-groups] dev must be an array, not a string (pyproject.toml:8)
wrong type (tool.uv is a number): uv-migrate | legacy | pyproject tool-uv-not-table | uv-migrate | 2 | uv.mk: error: pyproject.toml: [tool] uv must be a table, not an integer (pyproject.toml:8)
dynamic dependencies read from a missing file: uv-migrate | legacy | pyproject dynamic-missing-file | uv-migrate | 2 | uv.mk: error: [tool.setuptools.dynamic] dependencies reads requirements/runtime.txt, which does not exist (pyproject.toml:8)
# -- requirements files pip (or pyproject) cannot take as they are; a Makefile that is not text
requirements line pip cannot parse: uv-migrate | legacy | requirements 'iniconfig==2.0.0' 'six ==> 1.16' | uv-migrate | 2 | uv.mk: error: invalid requirements line `six ==> 1.16`: ... (requirements.txt:2)
requirements line pip cannot parse: uv-migrate-audit | legacy | requirements 'iniconfig==2.0.0' 'six ==> 1.16' | uv-migrate-audit | 1 | requirements.txt:2: invalid requirements line `six ==> 1.16`: ... (uv-migrate refuses this)
missing -r file: uv-migrate | legacy | requirements 'iniconfig==2.0.0' '-r requirements/base.txt' | uv-migrate | 2 | uv.mk: error: -r requirements/base.txt: file not found (requirements.txt:2)
missing -c file: uv-migrate | legacy | requirements 'iniconfig==2.0.0' '-c constraints.txt' | uv-migrate | 2 | uv.mk: error: -c constraints.txt: file not found (requirements.txt:2)
conflicting duplicate pins in one file: uv-migrate | legacy | requirements 'six==1.16.0' 'iniconfig==2.0.0' 'six==1.15.0' | uv-migrate | 2 | uv.mk: error: six==1.16.0 (requirements.txt:1) and six==1.15.0 (requirements.txt:3) cannot both hold
conflicting duplicate pins across -r files: uv-migrate | legacy | requirements 'six==1.16.0'; printf 'six==1.15.0\n' >>requirements-dev.txt | uv-migrate | 2 | uv.mk: error: six==1.16.0 (requirements.txt:1) and six==1.15.0 (requirements-dev.txt:2) cannot both hold
requirements line uv cannot parse (six===, no version): uv-migrate | legacy | requirements 'iniconfig==2.0.0' 'six===' | uv-migrate | 2 | uv.mk: error: ... six=== ... (requirements.txt:2)
requirements line with an environment variable as version: uv-migrate | legacy | requirements 'iniconfig==2.0.0' 'six==${SIX_VERSION}' | uv-migrate | 2 | uv.mk: error: `six==${SIX_VERSION}` uses ${SIX_VERSION}, which pyproject.toml cannot expand (requirements.txt:2)
index URL with an environment variable as host: uv-migrate | legacy | requirements '-i https://${ARTIFACTORY_HOST}/simple' 'six' | uv-migrate | 2 | uv.mk: error: URL https://${ARTIFACTORY_HOST}/simple uses an environment variable outside its credentials; ... (requirements.txt:1)
unsupported VCS (hg+) line: uv-migrate | legacy | requirements 'six' 'hg+https://hg.example.com/repo#egg=hgpkg' | uv-migrate | 2 | uv.mk: error: ... (requirements.txt:2)
-e git+ line: uv-migrate previews it as a git source | legacy | requirements 'six' '-e git+https://github.com/pallets/click.git@8.1.7#egg=click' | uv-migrate FORMAT=json | 0 | tool.uv.sources.click = {git = ... https://github.com/pallets/click.git ... rev = ... 8.1.7
credentials in an index URL are never printed: uv-migrate-audit | legacy | requirements '--index-url https://deploy:s3cret-token@pypi.example.com/simple' 'six'; expect_absent s3cret-token | uv-migrate-audit FORMAT=json | 1 | credentials of index 'example' not written
-e .[nosuch] in requirements (unknown extra): uv-migrate-audit | legacy | requirements 'iniconfig==2.0.0' '-e .[nosuch]' | uv-migrate-audit FORMAT=json | 1 | `-e .[nosuch]` asks for extra nosuch
Makefile not UTF-8: uv-migrate | legacy | printf '# caf\351\n' >>Makefile | uv-migrate | 2 | uv.mk: error: Makefile is not UTF-8 (byte 0xe9): save it as UTF-8 first (Makefile:19)
-e ./lib whose pyproject.toml is not TOML: uv-migrate | legacy | local_project pyproject-not-toml | uv-migrate | 2 | uv.mk: error: `-e ./lib` (requirements.txt:2): lib/pyproject.toml is not valid TOML: ... (lib/pyproject.toml:2:11)
-e ./lib whose pyproject.toml is not TOML: uv-migrate APPLY=1 | legacy | local_project pyproject-not-toml | uv-migrate APPLY=1 | 2 | uv.mk: error: `-e ./lib` (requirements.txt:2): lib/pyproject.toml is not valid TOML: ... (lib/pyproject.toml:2:11)
-e ./lib whose pyproject.toml is not TOML: uv-migrate-audit | legacy | local_project pyproject-not-toml | uv-migrate-audit | 1 | lib/pyproject.toml:2:11: `-e ./lib` (requirements.txt:2): lib/pyproject.toml is not valid TOML: ... (uv-migrate refuses this)
-e ./lib whose setup.py is not UTF-8: uv-migrate | legacy | local_project setup-py-latin1 | uv-migrate | 2 | uv.mk: error: `-e ./lib` (requirements.txt:2): lib/setup.py is not UTF-8 (byte 0xe9): save it as UTF-8 first (lib/setup.py:1)
-e ./lib whose setup.py is not UTF-8: uv-migrate-audit | legacy | local_project setup-py-latin1 | uv-migrate-audit | 1 | lib/setup.py:1: `-e ./lib` (requirements.txt:2): lib/setup.py is not UTF-8 ... (uv-migrate refuses this)
# -- groups and extras that do not exist
unknown dependency group: install | app | - | install SYNC_PROD_FLAGS='--group nosuch' | 2 | error: Group `nosuch` is not defined in the project's `dependency-groups` table
unknown extra: install | app | - | install SYNC_PROD_FLAGS='--extra nosuch' | 2 | error: Extra `nosuch` is not defined in the `optional-dependencies` table for `demoapp`
# -- uv missing, too old, or cut off from the index
uv missing: uv-lock | app | no_uv | uv-lock | 2 | uv.mk: error: uv not found (UV=uv): install it: https://docs.astral.sh/uv/getting-started/installation/
uv missing: uv-migrate | legacy | no_uv | uv-migrate | 2 | uv.mk: error: uv not found (UV=uv): install it:
uv older than UV_MIN_VERSION: uv-lock | app | old_uv 0.4.30 | uv-lock | 2 | uv.mk: error: uv 0.4.30 is older than UV_MIN_VERSION=0.5.0: run 'uv self update'
uv older than UV_MIN_VERSION: uv-migrate | legacy | old_uv 0.4.30 | uv-migrate APPLY=1 | 2 | uv.mk: error: uv 0.4.30 is older than UV_MIN_VERSION=0.5.0
index unreachable during lock: uv-migrate APPLY=1 restores every file | legacy | unreachable_index | uv-migrate APPLY=1 | 2 | uv.mk: error: uv lock ... failed: ... 127.0.0.1:9 ... (every file restored)
index unreachable during lock: uv-lock | app | stale_lock; unreachable_index | uv-lock | 2 | error: Failed to fetch: http://127.0.0.1:9/simple/iniconfig/
# -- PKG and other values from the command line: data, never code
PKG with a semicolon: uv-add | app | - | uv-add PKG='x; touch pwned' | 2 | error: Failed to parse: `x;`
PKG with command substitution: uv-add | app | - | uv-add PKG='$(touch pwned)' | 2 | uv.mk: error: PKG contains a shell metacharacter (` or $): $(touch pwned)
PKG with backticks: uv-add-dev | app | - | uv-add-dev PKG='`touch pwned`' | 2 | uv.mk: error: PKG contains a shell metacharacter (` or $): `touch pwned`
PKG with single quotes: uv-remove | app | - | uv-remove PKG="x' ; touch pwned; '" | 2 | error: invalid value 'x'' for '<PACKAGES>...': Expected one of
PKG with double quotes: uv-add | app | - | uv-add PKG='x" && touch pwned && "' | 2 | error: Failed to parse: `x"`
PKG with command substitution: uv-upgrade-package | app | - | uv-upgrade-package PKG='$(touch pwned)' | 2 | uv.mk: error: PKG contains a shell metacharacter
empty PKG: uv-add | app | - | uv-add PKG= | 2 | uv.mk: error: PKG is empty: say which package, e.g. make uv-add PKG=requests
empty PKG: uv-remove | app | - | uv-remove | 2 | uv.mk: error: PKG is empty: say which package, e.g. make uv-remove PKG=requests
unknown package: uv-upgrade-package | app | - | uv-upgrade-package PKG=no-such-package | 2 | uv.mk: error: no-such-package is not in uv.lock
unknown FORMAT: uv-migrate-audit | legacy | - | uv-migrate-audit FORMAT=yaml | 2 | uv.mk: error: argument --format: invalid choice: 'yaml' (choose from 'table', 'json', 'markdown')
unknown FORMAT: uv-migrate | legacy | - | uv-migrate FORMAT=yaml | 2 | uv.mk: error: argument --format: invalid choice: 'yaml'
PYTHON_VERSION that is not a version: uv-migrate | legacy | - | uv-migrate PYTHON_VERSION=banana | 2 | uv.mk: error: argument --python: 'banana' is not a Python 3 version (X.Y, e.g. 3.12)
PKG with a semicolon: uv-upgrade-package | app | - | uv-upgrade-package PKG='pytest; touch pwned' | 2 | uv.mk: error: pytest; is not in uv.lock
empty PKG: uv-upgrade-package | app | - | uv-upgrade-package PKG= | 2 | uv.mk: error: PKG is empty: say which package, e.g. make uv-upgrade-package PKG=requests
VENV with a single quote: clean-venv | app | - | clean-venv VENV="x'; touch pwned; echo '" | 0 | x'; touch pwned; echo ' does not exist: nothing to remove
VENV with backticks: clean-venv | app | - | clean-venv VENV='`touch pwned`' | 0 | `touch pwned` does not exist: nothing to remove
EXPORT_FILE with a single quote: uv-export | app | stale_lock | uv-export EXPORT_FILE="x'; touch pwned; echo '" | 1 | error: The lockfile at `uv.lock` needs to be updated, but `--locked` was provided.
FORMAT with a single quote: uv-migrate-audit | legacy | - | uv-migrate-audit FORMAT="table'; touch pwned; echo '" | 2 | uv.mk: error: argument --format: invalid choice: "table'; touch pwned; echo '"
PYTHON_VERSION with a single quote: uv-migrate | legacy | - | uv-migrate PYTHON_VERSION="3.12'; touch pwned; echo '" | 2 | uv.mk: error: argument --python: "3.12'; touch pwned; echo '" is not a Python 3 version
KEEP_REQUIREMENTS and EXPORT_REQUIREMENTS together: uv-migrate | legacy | - | uv-migrate APPLY=1 KEEP_REQUIREMENTS=1 EXPORT_REQUIREMENTS=1 | 2 | uv.mk: error: argument --export-requirements: not allowed with argument --keep-requirements
empty EXPORT_FILE: uv-export | app | - | uv-export EXPORT_FILE= | 2 | error: a value is required for '--output-file <OUTPUT_FILE>' but none was supplied
# -- release and security: values that are data, refusals that change nothing
PART with command substitution: bump | app | - | bump PART='$(touch pwned)' | 2 | uv.mk: error: PART=$(touch pwned) is not a version part: one of major minor patch stable alpha beta rc post dev
PART with a semicolon: bump | app | - | bump PART='patch; touch pwned' | 2 | uv.mk: error: PART=patch; touch pwned is not a version part
empty PART: bump | app | - | bump PART= | 2 | uv.mk: error: PART is empty: say which part to bump, e.g. make bump PART=patch
a dynamic version: bump | app | make_version_dynamic | bump PART=patch | 2 | uv.mk: error: the version is dynamic ([project] dynamic, pyproject.toml:3): uv version cannot read or bump it
a dynamic version: version | app | make_version_dynamic | version | 2 | uv.mk: error: the version is dynamic ([project] dynamic, pyproject.toml:3)
TAG=1 outside a git repository: bump | app | - | bump PART=patch TAG=1 | 2 | uv.mk: error: TAG=1 needs a git repository (none here)
TAG=1 with a tag of the new version already there: bump | app | commit_all; git tag v0.1.1 | bump PART=patch TAG=1 | 2 | uv.mk: error: tag v0.1.1 already exists
dirty git tree: publish names the files, before building | app | commit_all; printf '# local edit\n' >>pyproject.toml | publish | 2 | uv.mk: error: uncommitted changes to tracked files (pyproject.toml): commit or stash them first
unknown SECURITY_FORMAT: security | app | - | security SECURITY_FORMAT=yaml | 2 | uv.mk: error: SECURITY_FORMAT=yaml is not one of text json sarif
SECURITY_FORMAT with a single quote: security | app | - | security SECURITY_FORMAT="text'; touch pwned; echo '" | 2 | uv.mk: error: SECURITY_FORMAT=text'; touch pwned; echo ' is not one of text json sarif
SECURITY_FORMAT with double quotes: security | app | - | security SECURITY_FORMAT='x"; touch pwned; "' | 2 | uv.mk: error: SECURITY_FORMAT=x"; touch pwned; " is not one of text json sarif
SECURITY_OUTPUT in a folder that does not exist: security | app | - | security SECURITY_OUTPUT=nodir/report.sarif | 2 | uv.mk: error: cannot write nodir/report.sarif.tmp: SECURITY_OUTPUT=nodir/report.sarif must be a file in a folder that exists
a dynamic version: bump TAG=1 | app | make_version_dynamic; commit_all | bump PART=patch TAG=1 | 2 | uv.mk: error: the version is dynamic ([project] dynamic, pyproject.toml:3)
no .pre-commit-config.yaml: pre-commit-install | app | - | pre-commit-install | 2 | uv.mk: error: no .pre-commit-config.yaml here
# -- a .venv that is not a venv
.venv is a symlink: clean-venv | app | ln -s "$BATS_TEST_TMPDIR/elsewhere" .venv | clean-venv | 2 | uv.mk: error: .venv is a symlink: not removing it
.venv is a file: clean-venv | app | printf 'not a venv\n' >.venv | clean-venv | 2 | uv.mk: error: .venv is not a virtual environment (no pyvenv.cfg): not removing it
.venv is a folder but not a venv: clean-venv | app | mkdir .venv && printf 'notes\n' >.venv/notes.txt | clean-venv | 2 | uv.mk: error: .venv is not a virtual environment (no pyvenv.cfg): not removing it
.venv is a dangling symlink: install | app | ln -s "$BATS_TEST_TMPDIR/elsewhere" .venv | install | 2 | error: failed to create directory ... .venv ... File exists
.venv is a file: install | app | printf 'not a venv\n' >.venv | install | 2 | error: Project virtual environment directory ... cannot be used
.venv is a folder but not a venv: install | app | mkdir .venv && printf 'notes\n' >.venv/notes.txt | install | 2 | error: Project virtual environment directory ... .venv` cannot be used because it is not a valid Python environment
# -- files that cannot be written, work that is not committed
read-only pyproject.toml: uv-migrate APPLY=1 | legacy | immutable pyproject.toml | uv-migrate APPLY=1 | 2 | uv.mk: error: cannot write pyproject.toml: Operation not permitted (every file restored)
read-only pyproject.toml: uv-add | app | immutable pyproject.toml | uv-add PKG=iniconfig | 2 | error: failed to create file ... pyproject.toml`: Operation not permitted
read-only requirements.txt, deleted after the lock: uv-migrate APPLY=1 | legacy | immutable requirements.txt | uv-migrate APPLY=1 | 2 | uv.mk: error: cannot change requirements.txt: Operation not permitted (every file restored)
dirty git tree: uv-migrate APPLY=1 names the files | legacy | dirty_git | uv-migrate APPLY=1 | 2 | uv.mk: error: uncommitted changes to files uv-migrate would touch: README.md, requirements.txt (commit them first, or FORCE=1 / --force)
EOF
)

# ---------------------------------------------------------------------------------------- setups

# Replace pyproject.toml by tests/fixtures/bad-input/pyproject/NAME.toml.
pyproject() {
  cp "$FIXTURES/bad-input/pyproject/$1.toml" pyproject.toml
}

# Replace requirements.txt by the given lines.
requirements() {
  printf '%s\n' "$@" >requirements.txt
}

# requirements.txt installs `-e ./lib`, a local project copied from
# tests/fixtures/bad-input/local-project/NAME/ (one file broken).
local_project() {
  cp -r "$FIXTURES/bad-input/local-project/$1" lib
  requirements 'six' '-e ./lib'
}

# A text that must appear nowhere in the output (a secret).
expect_absent() {
  ABSENT+=("$1")
}

no_uv() {
  PATH=$(path_without uv)
}

# A uv that is too old: `uv --version` says VERSION, anything else would fail loudly.
old_uv() {
  stub uv "[ \"\$1\" = --version ] && echo 'uv $1 (stub)' && exit 0; echo 'stub uv called: \$*' >&2; exit 99"
}

# The package index cannot be reached (a closed port), with no retries to wait for. The helper
# script's own environment is resolved first (from the cache or the real index), as on a laptop
# that went offline after its first migration.
unreachable_index() {
  uv run --quiet --script "$UVMK_ROOT/scripts/uvmk_migrate.py" --help >/dev/null 2>&1
  export UV_DEFAULT_INDEX=http://127.0.0.1:9/simple UV_HTTP_RETRIES=0
}

# chattr +i: root ignores chmod, but not the immutable flag (teardown lifts it).
immutable() {
  command -v chattr >/dev/null 2>&1 || skip "chattr not available: cannot make a file read-only for root"
  chattr +i "$1" 2>/dev/null || skip "chattr +i not permitted here (filesystem or capability)"
  IMMUTABLE+=("$PWD/$1")
}

# FILE starts with a UTF-8 byte order mark, as Windows editors write it.
with_bom() {
  { printf '\357\273\277' && cat "$1"; } >"$1.bom" && mv "$1.bom" "$1"
}

# pyproject.toml asks for a dependency uv.lock does not have yet.
stale_lock() {
  sed -i.bak 's/^dependencies = \[\]/dependencies = ["iniconfig>=2"]/' pyproject.toml && rm pyproject.toml.bak
}

# A git repo with everything committed, then local edits to two files uv-migrate would touch.
dirty_git() {
  git init -q . && git add -A &&
    git -c user.name=bats -c user.email=bats@example.com commit -qm "legacy repo" &&
    printf '# local edit\n' >>README.md && printf 'six==1.16.0  # local edit\n' >>requirements.txt
}

# ---------------------------------------------------------------------------------------- driver

setup() {
  ABSENT=()
  IMMUTABLE=()
}

teardown() {
  local f
  for f in "${IMMUTABLE[@]}"; do chattr -i "$f" 2>/dev/null || true; done
}

# The fields of row NAME, one per line.
row_fields() {
  awk -v name="$1" 'BEGIN { FS = " [|] " } $1 == name { for (i = 1; i <= NF; i++) print $i }' <<<"$CASES"
}

# "a ... b" -> an ERE matching a, then b, on one line.
message_regexp() {
  local text=$1 out="" part
  while :; do
    part=${text%%" ... "*}
    out="$out$(printf '%s' "$part" | sed 's/[][\.*^$?+(){}|/]/\\&/g')"
    [ "$part" = "$text" ] && break
    out="$out.*"
    text=${text#*" ... "}
  done
  printf '%s\n' "$out"
}

# Run the row this @test is named after ("bad input: NAME").
check_case() {
  local name=${BATS_TEST_DESCRIPTION#bad input: } fields=() repo setup_code args exit_code message
  local line before after status_of_make argv=() secret
  while IFS= read -r line; do fields+=("$line"); done < <(row_fields "$name")
  [ "${#fields[@]}" -eq 6 ] || fail "row '$name': expected 6 fields, found ${#fields[@]}"
  repo=${fields[1]} setup_code=${fields[2]} args=${fields[3]} exit_code=${fields[4]} message=${fields[5]}
  case $repo in
  legacy) use_fixture bad-input/legacy ;;
  app) use_fixture app ;;
  *) fail "row '$name': unknown repo $repo" ;;
  esac
  [ "$setup_code" = - ] || eval "$setup_code" || fail "row '$name': setup failed: $setup_code"
  before=$(snapshot_all)

  eval "argv=($args)"
  run make -f "$UVMK" "${argv[@]}"
  status_of_make=$status

  if [ "$exit_code" -eq 0 ]; then
    [ "$status_of_make" -eq 0 ] || fail "expected success, make exited $status_of_make: $output"
  else
    [ "$status_of_make" -eq 2 ] || fail "expected make to fail (2), it exited $status_of_make: $output"
    assert_line --regexp "^make: \*\*\* \[.*\] Error $exit_code\$"
  fi
  while :; do
    line=${message%%" && "*}
    assert_line --regexp "$(message_regexp "$line")"
    [ "$line" = "$message" ] && break
    message=${message#*" && "}
  done
  refute_output --partial "Traceback (most recent call last)"
  # our own refusals say it once, on one line
  if [ "${message#uv.mk: error: }" != "$message" ]; then
    assert_equal "$(grep -c '^uv.mk: error: ' <<<"$output")" 1
  fi
  for secret in "${ABSENT[@]}"; do refute_output --partial "$secret"; done
  [ -z "$(find . -name pwned)" ] || fail "a PKG value ran as a command: pwned exists"
  after=$(snapshot_all)
  [ "$after" = "$before" ] || fail "files changed:
$(diff <(printf '%s\n' "$before") <(printf '%s\n' "$after"))"
}

# ---------------------------------------------------------------------------------------- the table

@test "the table and the tests match: every row has exactly one @test, every @test a row" {
  local rows tests
  rows=$(awk 'BEGIN { FS = " [|] " } NF >= 6 { print $1 }' <<<"$CASES" | LC_ALL=C sort)
  tests=$(sed -n 's/^@test "bad input: \(.*\)" {$/\1/p' "$BATS_TEST_FILENAME" | LC_ALL=C sort)
  assert_equal "$(uniq -d <<<"$rows")" ""
  assert_equal "$tests" "$rows"
  [ "$(wc -l <<<"$rows")" -ge 40 ]
}

@test "the rows that quote uv run the uv pinned in uv.lock" {
  local pinned
  pinned=$(awk '$0 == "name = \"uv\"" { getline; gsub(/version = |"/, ""); print; exit }' "$UVMK_ROOT/uv.lock")
  [ -n "$pinned" ] || fail "uv.lock pins no uv in the dev group"
  run uv --version
  assert_output --regexp "^uv $pinned( |\$)"
}

# ---------- pyproject.toml that is not TOML, or not text

@test "bad input: malformed pyproject (unclosed array): uv-migrate" {
  check_case
}

@test "bad input: malformed pyproject (unclosed array): uv-migrate-audit" {
  check_case
}

@test "bad input: malformed pyproject (unclosed array): uv-lock" {
  check_case
}

@test "bad input: malformed pyproject (unclosed array): install" {
  check_case
}

@test "bad input: malformed pyproject (bad string): uv-migrate" {
  check_case
}

@test "bad input: malformed pyproject (bad string): uv-migrate-audit" {
  check_case
}

@test "bad input: malformed pyproject (bad string): uv-lock" {
  check_case
}

@test "bad input: malformed pyproject (bad string): install" {
  check_case
}

@test "bad input: malformed pyproject (duplicate key): uv-migrate" {
  check_case
}

@test "bad input: malformed pyproject (duplicate key): uv-migrate-audit" {
  check_case
}

@test "bad input: malformed pyproject (duplicate key): uv-verify" {
  check_case
}

@test "bad input: malformed pyproject (duplicate key): uv-lock" {
  check_case
}

@test "bad input: malformed pyproject (duplicate key): install" {
  check_case
}

@test "bad input: malformed pyproject (not TOML at all): uv-migrate" {
  check_case
}

@test "bad input: malformed pyproject (not TOML at all): uv-migrate-audit" {
  check_case
}

@test "bad input: malformed pyproject (not TOML at all): uv-lock" {
  check_case
}

@test "bad input: malformed pyproject (not TOML at all): install" {
  check_case
}

@test "bad input: malformed pyproject (empty file): uv-migrate previews a new [project]" {
  check_case
}

@test "bad input: malformed pyproject (empty file): uv-migrate-audit" {
  check_case
}

@test "bad input: malformed pyproject (not UTF-8): uv-migrate" {
  check_case
}

@test "bad input: pyproject is a folder: uv-migrate" {
  check_case
}

@test "bad input: pyproject with a UTF-8 byte order mark (uv reads it): uv-migrate" {
  check_case
}

# ---------- pyproject.toml without [project], or with values of the wrong type

@test "bad input: no [project] table: uv-add" {
  check_case
}

@test "bad input: no [project] table, setup.py owns the metadata: uv-migrate" {
  check_case
}

@test "bad input: wrong type (dependencies is a string): uv-migrate" {
  check_case
}

@test "bad input: wrong type (dependencies is a string): uv-lock" {
  check_case
}

@test "bad input: wrong type (requires-python is a number): uv-migrate" {
  check_case
}

@test "bad input: wrong type (requires-python is a number): uv-lock" {
  check_case
}

@test "bad input: wrong type (a dependency that is a number): uv-migrate" {
  check_case
}

@test "bad input: wrong type (an extra that is a string): uv-migrate" {
  check_case
}

@test "bad input: wrong type (a dependency group that is a string): uv-migrate" {
  check_case
}

@test "bad input: wrong type (tool.uv is a number): uv-migrate" {
  check_case
}

@test "bad input: dynamic dependencies read from a missing file: uv-migrate" {
  check_case
}

# ---------- requirements files pip (or pyproject) cannot take as they are; a Makefile that is not text

@test "bad input: requirements line pip cannot parse: uv-migrate" {
  check_case
}

@test "bad input: requirements line pip cannot parse: uv-migrate-audit" {
  check_case
}

@test "bad input: missing -r file: uv-migrate" {
  check_case
}

@test "bad input: missing -c file: uv-migrate" {
  check_case
}

@test "bad input: conflicting duplicate pins in one file: uv-migrate" {
  check_case
}

@test "bad input: conflicting duplicate pins across -r files: uv-migrate" {
  check_case
}

@test "bad input: requirements line uv cannot parse (six===, no version): uv-migrate" {
  check_case
}

@test "bad input: requirements line with an environment variable as version: uv-migrate" {
  check_case
}

@test "bad input: index URL with an environment variable as host: uv-migrate" {
  check_case
}

@test "bad input: unsupported VCS (hg+) line: uv-migrate" {
  check_case
}

@test "bad input: -e git+ line: uv-migrate previews it as a git source" {
  check_case
}

@test "bad input: credentials in an index URL are never printed: uv-migrate-audit" {
  check_case
}

@test "bad input: -e .[nosuch] in requirements (unknown extra): uv-migrate-audit" {
  check_case
}

@test "bad input: Makefile not UTF-8: uv-migrate" {
  check_case
}

@test "bad input: -e ./lib whose pyproject.toml is not TOML: uv-migrate" {
  check_case
}

@test "bad input: -e ./lib whose pyproject.toml is not TOML: uv-migrate APPLY=1" {
  check_case
}

@test "bad input: -e ./lib whose pyproject.toml is not TOML: uv-migrate-audit" {
  check_case
}

@test "bad input: -e ./lib whose setup.py is not UTF-8: uv-migrate" {
  check_case
}

@test "bad input: -e ./lib whose setup.py is not UTF-8: uv-migrate-audit" {
  check_case
}

# ---------- groups and extras that do not exist

@test "bad input: unknown dependency group: install" {
  check_case
}

@test "bad input: unknown extra: install" {
  check_case
}

# ---------- uv missing, too old, or cut off from the index

@test "bad input: uv missing: uv-lock" {
  check_case
}

@test "bad input: uv missing: uv-migrate" {
  check_case
}

@test "bad input: uv older than UV_MIN_VERSION: uv-lock" {
  check_case
}

@test "bad input: uv older than UV_MIN_VERSION: uv-migrate" {
  check_case
}

@test "bad input: index unreachable during lock: uv-migrate APPLY=1 restores every file" {
  check_case
}

@test "bad input: index unreachable during lock: uv-lock" {
  check_case
}

# ---------- PKG and other values from the command line: data, never code

@test "bad input: PKG with a semicolon: uv-add" {
  check_case
}

@test "bad input: PKG with command substitution: uv-add" {
  check_case
}

@test "bad input: PKG with backticks: uv-add-dev" {
  check_case
}

@test "bad input: PKG with single quotes: uv-remove" {
  check_case
}

@test "bad input: PKG with double quotes: uv-add" {
  check_case
}

@test "bad input: PKG with command substitution: uv-upgrade-package" {
  check_case
}

@test "bad input: empty PKG: uv-add" {
  check_case
}

@test "bad input: empty PKG: uv-remove" {
  check_case
}

@test "bad input: unknown package: uv-upgrade-package" {
  check_case
}

@test "bad input: unknown FORMAT: uv-migrate-audit" {
  check_case
}

@test "bad input: unknown FORMAT: uv-migrate" {
  check_case
}

@test "bad input: PYTHON_VERSION that is not a version: uv-migrate" {
  check_case
}

@test "bad input: PKG with a semicolon: uv-upgrade-package" {
  check_case
}

@test "bad input: empty PKG: uv-upgrade-package" {
  check_case
}

@test "bad input: VENV with a single quote: clean-venv" {
  check_case
}

@test "bad input: VENV with backticks: clean-venv" {
  check_case
}

@test "bad input: EXPORT_FILE with a single quote: uv-export" {
  check_case
}

@test "bad input: FORMAT with a single quote: uv-migrate-audit" {
  check_case
}

@test "bad input: PYTHON_VERSION with a single quote: uv-migrate" {
  check_case
}

@test "bad input: KEEP_REQUIREMENTS and EXPORT_REQUIREMENTS together: uv-migrate" {
  check_case
}

@test "bad input: empty EXPORT_FILE: uv-export" {
  check_case
}

# ---------- release and security: values that are data, refusals that change nothing

@test "bad input: PART with command substitution: bump" {
  check_case
}

@test "bad input: PART with a semicolon: bump" {
  check_case
}

@test "bad input: empty PART: bump" {
  check_case
}

@test "bad input: a dynamic version: bump" {
  check_case
}

@test "bad input: a dynamic version: version" {
  check_case
}

@test "bad input: TAG=1 outside a git repository: bump" {
  check_case
}

@test "bad input: TAG=1 with a tag of the new version already there: bump" {
  check_case
}

@test "bad input: dirty git tree: publish names the files, before building" {
  check_case
}

@test "bad input: unknown SECURITY_FORMAT: security" {
  check_case
}

@test "bad input: SECURITY_FORMAT with a single quote: security" {
  check_case
}

@test "bad input: SECURITY_FORMAT with double quotes: security" {
  check_case
}

@test "bad input: SECURITY_OUTPUT in a folder that does not exist: security" {
  check_case
}

@test "bad input: a dynamic version: bump TAG=1" {
  check_case
}

@test "bad input: no .pre-commit-config.yaml: pre-commit-install" {
  check_case
}

# ---------- a .venv that is not a venv

@test "bad input: .venv is a symlink: clean-venv" {
  check_case
}

@test "bad input: .venv is a file: clean-venv" {
  check_case
}

@test "bad input: .venv is a folder but not a venv: clean-venv" {
  check_case
}

@test "bad input: .venv is a dangling symlink: install" {
  check_case
}

@test "bad input: .venv is a file: install" {
  check_case
}

@test "bad input: .venv is a folder but not a venv: install" {
  check_case
}

# ---------- files that cannot be written, work that is not committed

@test "bad input: read-only pyproject.toml: uv-migrate APPLY=1" {
  check_case
}

@test "bad input: read-only pyproject.toml: uv-add" {
  check_case
}

@test "bad input: read-only requirements.txt, deleted after the lock: uv-migrate APPLY=1" {
  check_case
}

@test "bad input: dirty git tree: uv-migrate APPLY=1 names the files" {
  check_case
}

# Not a row: the other half of the dirty-tree rule. FORCE=1 carries the migration out anyway.
@test "dirty git tree: uv-migrate APPLY=1 FORCE=1 proceeds and keeps the local edit" {
  use_fixture bad-input/legacy
  dirty_git
  run make -f "$UVMK" uv-migrate APPLY=1 FORCE=1
  assert_success
  assert_line "  ✓ wrote pyproject.toml"
  run grep -F 'six==1.16.0' pyproject.toml
  assert_success
  [ -f uv.lock ] && [ ! -e requirements.txt ]
}
