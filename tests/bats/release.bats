#!/usr/bin/env bats
# build, publish, version and bump on the app fixture, for real: uv build's sdist and wheel opened
# and read, uploads to a real package index on loopback (pypiserver, started here), versions
# bumped in pyproject.toml and uv.lock, git tags made.

load test_helper

setup() {
  use_fixture app
  # Credentials only through uv's own variables: uv.mk must never print them.
  export UV_PUBLISH_USERNAME=uploader UV_PUBLISH_PASSWORD=s3cret-upload-password
  export UV_HTTP_RETRIES=0
  export GIT_AUTHOR_NAME=bats GIT_AUTHOR_EMAIL=bats@example.com GIT_COMMITTER_NAME=bats GIT_COMMITTER_EMAIL=bats@example.com
}

teardown() {
  stop_index
}

# Print the entry NAME of the zip (wheel) ZIP.
zip_entry() {
  python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' "$1" "$2"
}

zip_names() {
  python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
}

locked_project_version() {
  awk '$0 == "name = \"demoapp\"" { getline; gsub(/version = |"/, ""); print; exit }' uv.lock
}

publish_here() {
  make publish PUBLISH_URL="$INDEX_URL" PUBLISH_CHECK_URL="$INDEX_SIMPLE" "$@"
}

# ---------------------------------------------------------------------------------------- build

@test "build writes the sdist and the wheel into dist, and the wheel holds the package" {
  run make build
  assert_success
  [ -f dist/demoapp-0.1.0.tar.gz ] || fail "no sdist: $(ls dist)"
  whl=dist/demoapp-0.1.0-py3-none-any.whl
  [ -f "$whl" ] || fail "no wheel: $(ls dist)"
  run zip_names "$whl"
  assert_line demoapp/__init__.py
  assert_line demoapp/prices.py
  assert_line demoapp-0.1.0.dist-info/METADATA
  run zip_entry "$whl" demoapp-0.1.0.dist-info/METADATA
  assert_line "Name: demoapp"
  assert_line "Version: 0.1.0"
  assert_line "Provides-Extra: api"
  run zip_entry "$whl" demoapp-0.1.0.dist-info/entry_points.txt
  assert_line "demoapp = demoapp.cli:main"
  run tar -tzf dist/demoapp-0.1.0.tar.gz
  assert_line demoapp-0.1.0/pyproject.toml
  assert_line demoapp-0.1.0/src/demoapp/prices.py
}

@test "build removes the old distributions from DIST_DIR first, and nothing else" {
  mkdir -p out
  printf 'old\n' >out/demoapp-0.0.9-py3-none-any.whl
  printf 'old\n' >out/demoapp-0.0.9.tar.gz
  printf 'keep me\n' >out/NOTES.txt
  run make build DIST_DIR=out
  assert_success
  [ ! -e out/demoapp-0.0.9-py3-none-any.whl ] && [ ! -e out/demoapp-0.0.9.tar.gz ] || fail "old dists left: $(ls out)"
  [ -f out/demoapp-0.1.0-py3-none-any.whl ] && [ -f out/demoapp-0.1.0.tar.gz ]
  assert_equal "$(cat out/NOTES.txt)" "keep me"
  [ ! -e dist ]
}

# -------------------------------------------------------------------------------------- publish

@test "make -n publish shows the build and the upload, runs neither, and shows no credential" {
  commit_all
  start_index
  run make -n publish PUBLISH_URL="$INDEX_URL" PUBLISH_CHECK_URL="$INDEX_SIMPLE"
  assert_success
  assert_output --partial "uv build --out-dir 'dist'"
  assert_output --partial "uv publish --dry-run --trusted-publishing never --publish-url '$INDEX_URL' --check-url '$INDEX_SIMPLE' 'dist/*'"
  assert_output --partial "uv publish --trusted-publishing \"\$uvmk_tp\""
  refute_output --partial "s3cret"
  [ ! -e dist ] || fail "make -n built: $(ls dist)"
  [ -z "$(find "$INDEX_DIR" -type f)" ] || fail "make -n uploaded: $(find "$INDEX_DIR" -type f)"
}

@test "publish uploads the sdist and the wheel to the index, then refuses the same version in one line" {
  commit_all
  start_index
  run publish_here
  assert_success
  refute_output --partial "s3cret"
  assert_equal "$(cd "$INDEX_DIR" && printf '%s\n' *)" "demoapp-0.1.0-py3-none-any.whl
demoapp-0.1.0.tar.gz"
  before=$(cd "$INDEX_DIR" && cksum ./*)

  run publish_here
  assert_failure
  assert_line "uv.mk: error: demoapp-0.1.0-py3-none-any.whl is already on $INDEX_SIMPLE: an index keeps a version for good: bump it first (make bump PART=patch), then make publish"
  assert_equal "$(grep -c '^uv.mk: error: ' <<<"$output")" 1
  refute_output --partial "s3cret"
  assert_equal "$(cd "$INDEX_DIR" && cksum ./*)" "$before"
}

@test "after a bump, publish uploads the new version beside the old one" {
  commit_all
  start_index
  publish_here PUBLISH_DRY_RUN= >/dev/null 2>&1
  make bump PART=patch >/dev/null 2>&1 && git commit -qam "0.1.1"
  run publish_here
  assert_success
  [ -f "$INDEX_DIR/demoapp-0.1.1-py3-none-any.whl" ] && [ -f "$INDEX_DIR/demoapp-0.1.1.tar.gz" ]
  [ -f "$INDEX_DIR/demoapp-0.1.0.tar.gz" ]
  # only the new version's files were in dist: the old ones were removed before the build
  assert_equal "$(cd dist && printf '%s\n' *.whl *.tar.gz)" "demoapp-0.1.1-py3-none-any.whl
demoapp-0.1.1.tar.gz"
}

@test "PUBLISH_DRY_RUN=1 builds and checks, and uploads nothing" {
  commit_all
  start_index
  run publish_here PUBLISH_DRY_RUN=1
  assert_success
  [ -f dist/demoapp-0.1.0-py3-none-any.whl ]
  [ -z "$(find "$INDEX_DIR" -type f)" ] || fail "a dry run uploaded: $(find "$INDEX_DIR" -type f)"
  grep -q 'POST' "$BATS_TEST_TMPDIR/index.log" && fail "the index received an upload: $(cat "$BATS_TEST_TMPDIR/index.log")"
  true
}

@test "publish refuses a tree with uncommitted edits, in one line naming them, before building" {
  commit_all
  printf '# local edit\n' >>pyproject.toml
  run publish_here PUBLISH_URL=http://127.0.0.1:9/ PUBLISH_CHECK_URL=http://127.0.0.1:9/simple/
  assert_failure
  assert_line "uv.mk: error: uncommitted changes to tracked files (pyproject.toml): commit or stash them first, so that what make publish uploads is a commit"
  [ ! -e dist ]
}

@test "in CI mode without a token, publish asks for trusted publishing (the CI's OIDC token)" {
  commit_all
  start_index
  unset UV_PUBLISH_USERNAME UV_PUBLISH_PASSWORD
  CI=true run publish_here
  assert_failure
  assert_output --partial "Failed to obtain token for trusted publishing"
  [ -z "$(find "$INDEX_DIR" -type f)" ]
}

@test "in CI mode with uv's own credentials, publish uploads with them (no trusted publishing)" {
  commit_all
  start_index
  CI=true run publish_here
  assert_success
  refute_output --partial "s3cret"
  [ -f "$INDEX_DIR/demoapp-0.1.0.tar.gz" ]
}

# -------------------------------------------------------------------------------- version, bump

@test "version prints the project's version, and nothing else on stdout" {
  run --separate-stderr make -s version
  assert_success
  assert_output "0.1.0"
}

@test "bump PART=patch moves pyproject.toml and uv.lock to the next patch version" {
  run make bump PART=patch
  assert_success
  assert_output --partial "demoapp 0.1.0 => 0.1.1"
  run grep -x 'version = "0.1.1"' pyproject.toml
  assert_success
  assert_equal "$(locked_project_version)" "0.1.1"
  run make -s version
  assert_output "0.1.1"
}

@test "bump takes several parts at once: PART='minor rc' makes the first release candidate" {
  run make bump PART='minor rc'
  assert_success
  assert_output --partial "demoapp 0.1.0 => 0.2.0rc1"
  assert_equal "$(locked_project_version)" "0.2.0rc1"
}

@test "bump TAG=1 commits the bump alone and tags v<new>" {
  commit_all
  printf 'notes\n' >NOTES.txt # untracked: stays out of the commit
  run make bump PART=minor TAG=1
  assert_success
  assert_line "committed and tagged v0.2.0 (push it: git push --follow-tags)"
  assert_equal "$(git tag)" "v0.2.0"
  assert_equal "$(git rev-parse 'v0.2.0^{commit}')" "$(git rev-parse HEAD)"
  assert_equal "$(git show --name-only --format= HEAD | LC_ALL=C sort)" "pyproject.toml
uv.lock"
  assert_equal "$(git status --porcelain --untracked-files=no)" ""
}

@test "bump TAG=1 refuses a version whose tag exists, and changes nothing" {
  commit_all
  git tag v0.1.1
  before=$(snapshot)
  run make bump PART=patch TAG=1
  assert_failure
  assert_line "uv.mk: error: tag v0.1.1 already exists: bump further (make bump PART=…) or delete it first (git tag -d v0.1.1)"
  assert_equal "$(snapshot)" "$before"
}

@test "a dynamic version: version and bump say so in one line naming pyproject.toml's line" {
  make_version_dynamic
  before=$(snapshot)
  run make version
  assert_failure
  assert_line --regexp '^uv\.mk: error: the version is dynamic \(\[project\] dynamic, pyproject\.toml:3\): uv version cannot read or bump it: '
  assert_equal "$(grep -c 'error' <<<"$(output_without_make)")" 1
  run make bump PART=patch
  assert_failure
  assert_line --partial "uv.mk: error: the version is dynamic"
  assert_equal "$(snapshot)" "$before"
}
