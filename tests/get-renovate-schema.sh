# shellcheck shell=bash
# Renovate's config schema, for the check of a rewritten renovate.json. It ships in the renovate
# package on npm (renovate-schema.json); Renovate is AGPL-3.0, so the schema is fetched, never kept
# in this repo. Unpacked once into .cache/renovate-schema/<version>; sets UVMK_RENOVATE_SCHEMA.
# Without npm it says so and sets nothing (the test then skips, or fails under CI=true).
renovate_schema_version=44.121.2
get_renovate_schema() {
  local dest=$1/.cache/renovate-schema/$renovate_schema_version
  if [ ! -f "$dest/renovate-schema.json" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "(npm not found: a rewritten renovate.json is not checked against Renovate's schema)"
      return 0
    fi
    if ! _fetch_renovate_schema "$dest"; then
      echo "(npm pack renovate@$renovate_schema_version failed: renovate.json is not checked against its schema)"
      return 0
    fi
  fi
  export UVMK_RENOVATE_SCHEMA="$dest/renovate-schema.json"
}

_fetch_renovate_schema() {
  local work
  work=$(mktemp -d) &&
    (cd "$work" && timeout 300 npm pack "renovate@$renovate_schema_version" --silent >/dev/null &&
      tar -xzf "renovate-$renovate_schema_version.tgz" package/renovate-schema.json) &&
    mkdir -p "$1" && mv "$work/package/renovate-schema.json" "$1/" && rm -rf "$work"
}
