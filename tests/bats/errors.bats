#!/usr/bin/env bats
# Every error uv.mk itself can print says what to do: it names the knob or file involved and the
# next command to run. The error lines are read from uv.mk, one test each, so a new one without a
# trigger below fails here instead of being missed.

load test_helper

# How to reach each error. A row reads:   key | setup | make arguments [| not yet: why]
#   key    a piece of the uv.mk line that prints the error
#   setup  shell code run in a fresh copy of the app fixture first ("-": nothing)
#   make   the arguments of make, split like a shell line
#   not yet  a known gap, reported as a skipped test with its reason until it is fixed
TRIGGERS=$(
  cat <<'EOF'
its path contains a space | mkdir 'with space' && cp "$UVMK" 'with space/uv.mk' | -f 'with space/uv.mk' help
needs $$uvmk_pkg | drop_dev_tool ruff | lint
needs $$uvmk_pkg | - | type-check TYPE_CHECKER=pyright
PKG is empty | - | uv-add PKG=
PKG contains a shell metacharacter | - | uv-add-dev PKG='$(touch pwned)'
UVMK_UV_REFUSE = command -v | PATH=$(path_without uv) | uv-lock
UVMK_UV_ON_PATH),, | PATH=$(path_without uv) | install
printed no version | stub uv 'exit 0' | uv-lock
is older than UV_MIN_VERSION | - | uv-lock UV_MIN_VERSION=99.0
is a symlink: not removing it | ln -s "$BATS_TEST_TMPDIR" .venv | clean-venv
is not a virtual environment | mkdir .venv | clean-venv
no $(1) tests | rm -r tests/integration | test-integration
no $(1) tests | - | test-unit UNIT_TESTS=nowhere TESTS=tests/integration
API_APP is not set | - | api API_APP=
uv.lock missing | rm uv.lock | uv-upgrade-package PKG=pytest
is not in uv.lock | - | uv-upgrade-package PKG=no-such-package
is not in the package index this machine | cp "$UVMK" uv.mk && mkdir "$BATS_TEST_TMPDIR/no-wheels" && export UV_OFFLINE=1 UV_FIND_LINKS="$BATS_TEST_TMPDIR/no-wheels" UV_CACHE_DIR="$BATS_TEST_TMPDIR/cache" | -f uv.mk uv-migrate-audit
uncommitted changes to tracked files | commit_all && printf '# edit\n' >>pyproject.toml | publish
is already on $$uvmk_index | start_index && commit_all && make publish PUBLISH_URL="$INDEX_URL" PUBLISH_CHECK_URL="$INDEX_SIMPLE" >/dev/null 2>&1 | publish PUBLISH_URL="$INDEX_URL" PUBLISH_CHECK_URL="$INDEX_SIMPLE"
the version is dynamic | make_version_dynamic | version
PART is empty | - | bump PART=
is not a version part | - | bump PART=banana
TAG=1 needs a git repository | - | bump PART=patch TAG=1
has uncommitted changes (git status) | commit_all && printf '# edit\n' >>pyproject.toml | bump PART=patch TAG=1
already exists: bump further | commit_all && git tag v0.1.1 | bump PART=patch TAG=1
is not one of $(UVMK_SECURITY_FORMATS) | - | security SECURITY_FORMAT=xml
cannot write $$uvmk_out.tmp | - | security SECURITY_OUTPUT=nodir/security.sarif
no .pre-commit-config.yaml here | - | pre-commit-install
EOF
)

# publish's rows upload to a pypiserver on loopback (start_index), with uv's own credentials.
setup() {
  export UV_PUBLISH_USERNAME=uploader UV_PUBLISH_PASSWORD=s3cret UV_HTTP_RETRIES=0
}

teardown() {
  stop_index
}

# Remove a tool from the fixture's dev group, as a project that never had it.
drop_dev_tool() {
  sed -i.bak "s/\"$1[>=0-9.]*\", *//; s/, *\"$1[>=0-9.]*\"//" pyproject.toml && rm pyproject.toml.bak
  ! grep -q "\"$1" pyproject.toml
}

# The lines of uv.mk that print an error, as "LINE:TEXT" (the uvmk_die definition aside).
error_lines() {
  grep -n -e 'uv\.mk: error:' -e 'uvmk_die "' -e '$(error uv\.mk' "$UVMK" | grep -v 'uvmk_die() {'
}

# A line "says what to do" when it holds a command to run and names a knob (NAME=…) or a file.
says_what_to_do() {
  local line=$1
  printf '%s\n' "$line" | grep -Eq "(make [a-z]|uv (self|add|lock|sync|python|pip|tool|run) |rm |https?://|pip install|@pytest\.mark|include it|move it)" ||
    { echo "no next command in: $line" >&2; return 1; }
  printf '%s\n' "$line" | grep -Eq "([A-Z_]{2,}=|[A-Za-z0-9_-]*\.[a-z]{2,}|[a-z]+/)" ||
    { echo "names no knob or file: $line" >&2; return 1; }
}

check_error_line() {
  local lineno=$1 source key setup args gap found=0
  source=$(sed -n "${lineno}p" "$UVMK")
  while IFS='|' read -r key setup args gap; do
    key=$(printf '%s' "$key" | sed 's/ *$//')
    case "$source" in *"$key"*) ;; *) continue ;; esac
    found=$((found + 1))
    [ -z "$gap" ] || skip "${gap# }"
    use_fixture app "repo-$found"
    setup=$(printf '%s' "$setup" | sed 's/^ *//; s/ *$//')
    [ "$setup" = - ] || eval "$setup"
    eval "set -- $args"
    run make "$@"
    assert_failure
    refute [ -e pwned ]
    # make's own "*** … Stop." line, or uv.mk's "uv.mk: error:" line, with the key's words.
    local said
    said=$(printf '%s\n' "$output" | grep -E '^uv\.mk: error: |\*\*\* uv\.mk: ' | head -n 1)
    [ -n "$said" ] || fail "make $args printed no uv.mk error line: $output"
    says_what_to_do "$said"
    cd "$BATS_TEST_TMPDIR" || return 1
  done < <(printf '%s\n' "$TRIGGERS")
  [ "$found" -gt 0 ] || fail "uv.mk:$lineno prints an error no row of TRIGGERS in errors.bats reaches: $source"
}

while IFS=: read -r lineno text; do
  # The message itself, without the characters bats would expand in a test name.
  title=$(printf '%s' "$text" | sed -E 's/.*(uv\.mk: error: |uvmk_die "|[$][(]error uv\.mk: )//' | tr -d "\\\\\`\$\"'" | cut -c1-60)
  bats_test_function --description "uv.mk:$lineno error says what to do: $title" -- check_error_line "$lineno"
done < <(error_lines)

@test "every row of TRIGGERS still reaches an error line of uv.mk" {
  local key
  while IFS='|' read -r key _; do
    key=$(printf '%s' "$key" | sed 's/ *$//')
    error_lines | grep -qF -- "$key" || fail "no error line of uv.mk holds '$key' any more: drop or update its row"
  done < <(printf '%s\n' "$TRIGGERS")
}

@test "every recipe that runs a tool in the project environment explains a missing one" {
  # Logical recipe lines (continuations joined) that run python -m through uv but lack the hint.
  run awk '/\\$/ { buf = buf substr($0, 1, length($0) - 1); next }
    { line = buf $0; buf = "" }
    line ~ /^\t/ && line ~ /\$\((UVMK_RUN|UVMK_RUN_PROD|UVMK_PYTEST)\)/ && line !~ /uvmk_needs|UVMK_NEEDS_|uvmk_if_missing/ { print FNR ": " line }' "$UVMK"
  assert_success
  assert_output ""
}
