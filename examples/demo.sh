#!/usr/bin/env bash
# The README's first command: copy the bundled legacy repo (examples/k2-legacy) to demo/k2, make it
# look like a team's real checkout (a git repo with a stray venv/ and a pip-built .venv), then run
# audit → migrate (preview) → migrate (apply) → verify, and a few daily targets on the result.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
uvmk="$here/uv.mk"
demo="${DEMO_DIR:-$here/demo/k2}"

# Offline by default: an installed Python is chosen when the Makefile's 3.13 is missing
# (UV_PYTHON_DOWNLOADS=automatic examples/demo.sh pins 3.13 and lets uv fetch it).
UV_PYTHON_DOWNLOADS="${UV_PYTHON_DOWNLOADS:-never}"
export UV_PYTHON_DOWNLOADS

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
[ -n "${NO_COLOR:-}" ] || [ ! -t 1 ] && say() { printf '\n==> %s\n' "$*"; }

# shellcheck source=tests/get-uv.sh
. "$here/tests/get-uv.sh"
get_uv "$here" || exit 2

# The migrated repo holds uv.mk alone, so its uv-verify runs the released engine of uv.mk's own
# version (`uvx --from uv-mk==X.Y.Z`). Build that release from this checkout and offer it to uv
# from a fresh folder (a reused path could serve uv's cached copy of an older build).
wheels=$(mktemp -d) || exit 2
trap 'rm -rf "$wheels"' EXIT
say "uv build   (the uv-mk release this uv.mk names, served to uvx from $wheels)"
uv build --quiet --wheel --out-dir "$wheels" "$here" || exit 1
ls "$wheels"
export UV_FIND_LINKS="$wheels"

say "A legacy pip repo in $demo"
rm -rf "$demo" && mkdir -p "$(dirname "$demo")" && cp -R "$here/examples/k2-legacy" "$demo"
cd "$demo" || exit 2
python3 -m venv --without-pip venv   # the second, forgotten venv the review found
python3 -m venv --without-pip .venv  # the one the old Makefile used
git init -q && git add -A && git -c user.name=demo -c user.email=demo@example.invalid commit -qm "legacy state"
ls -A

say "make -f uv.mk uv-migrate-audit   (what is wrong today; exit 1 means: something to fix)"
make --no-print-directory -f "$uvmk" uv-migrate-audit
echo "(uv-migrate-audit exits non-zero when it finds something to fix: usable as a CI gate)"

say "make -f uv.mk uv-migrate   (the plan: changes nothing)"
make --no-print-directory -f "$uvmk" uv-migrate || exit 1
git status --short | sed 's/^/  /'
echo "  (git status is empty: the preview touched nothing)"

say "make -f uv.mk uv-migrate APPLY=1   (refused: a requirements pin is outside pyproject's range)"
if make --no-print-directory -f "$uvmk" uv-migrate APPLY=1; then exit 1; fi
git status --short | sed 's/^/  /'
echo "  (refused before changing anything: pick a side for the pydantic pin first)"

say "make -f uv.mk uv-migrate APPLY=1 OVERRIDE_PINS=1   (the tested pin wins)"
make --no-print-directory -f "$uvmk" uv-migrate APPLY=1 OVERRIDE_PINS=1 || exit 1

say "What changed (git status: one file vendored, uv.mk)"
git status --short --untracked-files=all | sed 's/^/  /'

say "make uv-verify   (the post-migration checklist, run by the released uv-mk: no engine here)"
make --no-print-directory uv-verify || exit 1

say "Daily targets through uv: make dev-install test-unit lint"
make --no-print-directory dev-install test-unit lint || exit 1

say "A second uv-migrate finds nothing to do"
make --no-print-directory uv-migrate || exit 1

say "Done: the migrated repo is $demo (make help lists its targets)"
