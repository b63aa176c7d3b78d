# uv.mk 0.2.0 — run a Python project's daily work through uv, and move a pip project onto it.
#
# How to use it
#   `uvx uv-mk init` copies this one file into a repo and includes it from the Makefile
#   (`uvx uv-mk@latest update` brings a newer release); or copy it, or add its repo as a submodule:
#
#       include uv.mk               # anywhere; your default goal stays yours
#
#   A legacy repo with no Makefile of its own can run it directly:
#
#       make -f path/to/uv.mk uv-migrate-audit
#
#   `make help` lists every target, yours included. Needs GNU make >= 3.81 and a POSIX sh.
#
# Variables — set any of them before the include, in the environment, or on the command line.
#   UV                 uv executable                                     uv
#   UV_MIN_VERSION     oldest uv accepted                                0.5.0
#   VENV               the project environment (UV_PROJECT_ENVIRONMENT)  .venv
#   SRC                source folder                                     src if it exists, else .
#   TESTS              test folder                                       tests
#   UNIT_TESTS         unit tests (else tests marked `unit`)             $(TESTS)/unit
#   INTEGRATION_TESTS  integration tests (else tests marked `integration`) $(TESTS)/integration
#   PACKAGE            what coverage measures                            $(SRC)
#   PYTEST_ARGS        extra pytest arguments                            (none)
#   FORMATTER          ruff, or black (black + isort, as pre-uv teams had) ruff
#   TYPE_CHECKER       mypy or pyright                                   mypy
#   API_APP            ASGI app for api/api-prod, e.g. pkg.api.main:app  (none: api stops and says so)
#   API_HOST/API_PORT  where api/api-prod listen                         127.0.0.1 / 8000
#   API_WORKERS        gunicorn workers for api-prod                     4
#   API_PROD_FLAGS     what api-prod runs with                           --all-extras --no-default-groups
#   CI_MODE            non-empty: syncs and runs use --locked            set when CI is true
#   SYNC_DEV_FLAGS     what dev-install installs                         --all-extras --all-groups
#   SYNC_PROD_FLAGS    what install installs (runtime only)              --no-default-groups
#   EXPORT_FILE        uv-export's output                                requirements.txt
#   EXPORT_FLAGS       uv-export's selection                             --no-default-groups
#   DIST_DIR           where build writes the sdist and the wheel        dist
#   PUBLISH_URL        publish's upload URL (uv publish --publish-url)   (none: PyPI's)
#   PUBLISH_CHECK_URL  the index publish looks the version up in         https://pypi.org/simple/
#                                                                        when PUBLISH_URL is unset
#   PUBLISH_DRY_RUN    non-empty: publish builds and checks, uploads nothing   (none)
#   TRUSTED_PUBLISHING
#                      uv publish --trusted-publishing; unset: automatic when uv's own
#                      UV_PUBLISH_TOKEN or UV_PUBLISH_PASSWORD is set, else always in CI_MODE
#                      and never outside it
#   PART, TAG          bump: PART=major|minor|patch|stable|alpha|beta|rc|post|dev ('minor rc':
#                      both); TAG=1 commits the bump and tags v<new> (command line or makefile)
#   SECURITY_FORMAT    security's report: text, json or sarif            text
#   SECURITY_OUTPUT    the file security writes its report to            (none: stdout)
#   AUDIT_IGNORE       vulnerability IDs security accepts (GHSA-…, CVE-…)   (none)
#   SECURITY_SERVICE_URL
#                      the OSV-format service security asks (uv audit --service-url); unset:
#                      uv's default, api.osv.dev
#   SECURITY_FLAGS     what security audits of uv.lock, e.g. --no-dev    (none: everything)
#   FORMAT, APPLY, FORCE, KEEP_REQUIREMENTS, EXPORT_REQUIREMENTS, OVERRIDE_PINS, PYTHON_VERSION
#                      migration options (see uv-migrate-audit, uv-migrate); these and the eight below
#                      come from the command line or a makefile only, never the environment
#                      (the python:* Docker images export PYTHON_VERSION)
#   REQUIREMENTS       runtime requirements files, instead of discovery  (none: discovered)
#   DEV_REQUIREMENTS   dev requirements files, FILE[:GROUP] each         (none: discovered)
#   SUBPROJECTS        keep: projects of their own in subfolders (services/api/) stay as they
#                      are and the root is migrated alone                (none: refused)
#   ROOT               the folder the migration targets work on, e.g. services/api of a
#                      monorepo; from the command line only (a Makefile's own ROOT is not it)
#   OUTPUT             where the migration targets write their report    (none: stdout)
#   VERBOSE            non-empty: the full account in the migration reports   (none)
#   KEEP_PYPROJECT_PINS
#                      non-empty: a conflict keeps pyproject's side and drops the pin
#   REWRITE            uv-migrate also rewrites these readers of the old files: docker, ci,
#                      tox, bots, pre-commit (commas between), or all; the preview always
#                      lists what each would change (VERBOSE=1: the diff)   (none)
#   UVMK_ENGINE        the engine behind the migration targets           scripts/ beside uv.mk, else
#                                                                        uvx uv-mk==UVMK_VERSION
#   UVMK_SKIP_TARGETS  short names you define yourself (e.g. test lint); uv.mk's stay reachable
#                      as uv-<name> (uv-test, uv-lint) and define no alias, so make never warns.
#                      The one knob that must be set BEFORE the include (it decides which rules
#                      exist); every other one may also be set after it.
#   QUICK, VERIFY_TIMEOUT  uv-verify: QUICK=1 installs and runs nothing / seconds per target    300
#   NO_COLOR           plain output (also when not on a terminal)
#
# Design rules: no subprocess runs while make parses this file (`make help` and `make -n` stay
# instant); every value a user passes (PKG, paths) reaches the shell as data, never as code.

# BSD make cannot read this file. GNU make skips the false block below; BSD make, stumbling over
# `ifeq`, goes on to the next line and stops there with a line that says why.
ifeq (gnu,bsd)
.error uv.mk needs GNU make (gmake) 3.81 or newer; this is BSD make: run gmake instead
endif

ifndef UVMK_INCLUDED
UVMK_INCLUDED := 1

# Where this file lives, taken before any other include can change MAKEFILE_LIST.
UVMK_FILE := $(lastword $(MAKEFILE_LIST))
UVMK_DIR := $(dir $(UVMK_FILE))
# make splits MAKEFILE_LIST on spaces, so a uv.mk whose own path has one cannot find itself.
ifeq ($(wildcard $(UVMK_FILE)),)
$(error uv.mk: its path contains a space, which GNU make cannot handle in an include: include it by a relative path without spaces, or move it)
endif
# The host's default goal at the moment of inclusion; restored at the end of this file.
UVMK_HOST_GOAL := $(.DEFAULT_GOAL)

##############################################################################################
# Overridable variables
##############################################################################################

UV ?= uv
UV_MIN_VERSION ?= 0.5.0
VENV ?= .venv
SRC ?= $(if $(wildcard src),src,.)
TESTS ?= tests
UNIT_TESTS ?= $(TESTS)/unit
INTEGRATION_TESTS ?= $(TESTS)/integration
PACKAGE ?= $(SRC)
PYTEST_ARGS ?=
FORMATTER ?= ruff
TYPE_CHECKER ?= mypy
API_APP ?=
API_HOST ?= 127.0.0.1
API_PORT ?= 8000
API_WORKERS ?= 4
API_PROD_FLAGS ?= --all-extras --no-default-groups
CI_MODE ?= $(if $(filter undefined,$(origin CI)),,$(if $(filter-out 0 false False FALSE no No NO off,$(CI)),1,))
SYNC_DEV_FLAGS ?= --all-extras --all-groups
SYNC_PROD_FLAGS ?= --no-default-groups
EXPORT_FILE ?= requirements.txt
EXPORT_FLAGS ?= --no-default-groups
DIST_DIR ?= dist
PUBLISH_URL ?=
PUBLISH_CHECK_URL ?= $(if $(PUBLISH_URL),,https://pypi.org/simple/)
PUBLISH_DRY_RUN ?=
TRUSTED_PUBLISHING ?=
PART ?=
TAG ?=
SECURITY_FORMAT ?= text
SECURITY_OUTPUT ?=
AUDIT_IGNORE ?=
SECURITY_SERVICE_URL ?=
SECURITY_FLAGS ?=
UVMK_SKIP_TARGETS ?=
FORMAT ?= table
APPLY ?=
FORCE ?=
KEEP_REQUIREMENTS ?=
EXPORT_REQUIREMENTS ?=
OVERRIDE_PINS ?=
PYTHON_VERSION ?=
OUTPUT ?=
REQUIREMENTS ?=
DEV_REQUIREMENTS ?=
SUBPROJECTS ?=
VERBOSE ?=
KEEP_PYPROJECT_PINS ?=
REWRITE ?=
QUICK ?=
VERIFY_TIMEOUT ?= 300

##############################################################################################
# Internal helpers (prefixed UVMK_ / _uvmk- so they never collide with the host)
##############################################################################################

# The short names uv.mk offers; each is an alias of uv-<name> unless the host skips it.
UVMK_ALIASES := install dev-install test test-unit test-integration coverage lint lint-fix \
	format format-check type-check api api-prod check-env clean clean-venv help \
	build publish version bump security ci pre-commit-install
UVMK_ACTIVE_ALIASES := $(filter-out $(UVMK_SKIP_TARGETS),$(UVMK_ALIASES))

UVMK_EMPTY :=
UVMK_SPACE := $(UVMK_EMPTY) $(UVMK_EMPTY)
UVMK_COMMA := ,

# A value as one single-quoted shell word, whatever quotes or `$(…)` it holds: values from the
# command line (VENV, EXPORT_FILE, FORMAT…) reach the shell as data, never as code.
uvmk_sq = '$(subst ','\'',$(1))'

# CI must fail on a stale lock (--locked), never paper over it (--frozen checks nothing).
# Recursive (=), like every knob read in recipes: a host may set CI_MODE after the include.
UVMK_LOCKED = $(if $(CI_MODE), --locked,)

# Every uv call runs through this prefix. An ambient UV_FROZEN/UV_LOCKED would make `uv lock`
# silently do nothing or clash with --locked (uv.mk decides that itself, from CI_MODE), and a
# foreign VIRTUAL_ENV only adds a warning: our targets always mean the project environment.
# Assignments, not `unset …;`, so the prefix stays one simple command inside `a && b` chains.
UVMK_UV = UV_FROZEN=0 UV_LOCKED=0 VIRTUAL_ENV= UV_PROJECT_ENVIRONMENT=$(call uvmk_sq,$(VENV)) $(UV)
# Run a tool of the project environment with everything dev-install installs.
UVMK_RUN = $(UVMK_UV) run$(UVMK_LOCKED) $(SYNC_DEV_FLAGS)
# Tools run as `python -m TOOL`: one missing from the project env fails instead of `uv run`
# quietly picking a same-named one from PATH.
UVMK_PYTEST = $(UVMK_RUN) python -m pytest
# api-prod runs what production has: the extras (servers often live in one), no dev groups.
UVMK_RUN_PROD = $(UVMK_UV) run$(UVMK_LOCKED) $(API_PROD_FLAGS)

# A tool missing from the environment fails as `python: No module named ruff`. Appended to a
# tool's command, uvmk_needs turns that into one line naming the package and the command that
# adds it. It probes only after the tool failed (nothing extra runs on success) and keeps the
# tool's own exit status. $(call uvmk_needs,RUN,MODULE=PACKAGE …,KNOB NOTE,WHERE,HOW TO ADD)
uvmk_needs = || { uvmk_rc=$$?; $(call uvmk_if_missing,$(1),$(2),$(3),$(4),$(5)); }
# The same with the tool's status already in uvmk_rc. The probe exits 3 only when a module is
# missing: a probe that fails for another reason (uv itself failing) stays silent.
uvmk_if_missing = uvmk_pkg=$$($(1) python -c $(UVMK_FIND_MISSING) $(2) 2>/dev/null); \
	[ $$? -ne 3 ] || { uvmk_note=$(call uvmk_sq,$(3)); uvmk_env=$(call uvmk_sq,$(4)); \
	  printf '%s\n' "uv.mk: error: $(uvmk_target) needs $$uvmk_pkg$$uvmk_note, which pyproject.toml does not install into $$uvmk_env: run $(5)" >&2; }; \
	exit $$uvmk_rc
UVMK_FIND_MISSING := 'import importlib.util as u, shlex, sys; \
	m = [a.partition("=")[2] for a in sys.argv[1:] if u.find_spec(a.partition("=")[0]) is None]; \
	print(shlex.quote(" ".join(m))); sys.exit(3 if m else 0)'
# The target under the name users know: its short alias when uv.mk defines one.
uvmk_target = $(if $(filter $(patsubst uv-%,%,$@),$(UVMK_ACTIVE_ALIASES)),$(patsubst uv-%,%,$@),$@)
# Where each kind of tool is looked for, and how to add one there ($$uvmk_pkg: the packages).
UVMK_DEV_ENV = $(VENV)
UVMK_ADD_DEV = make uv-add-dev PKG=$$uvmk_pkg
UVMK_PROD_ENV = $(VENV) outside the dev groups (API_PROD_FLAGS=$(API_PROD_FLAGS))
UVMK_ADD_RUNTIME = make uv-add PKG=$$uvmk_pkg (or into an extra: uv add --optional api $$uvmk_pkg)
UVMK_NEEDS_PYTEST = $(call uvmk_needs,$(UVMK_RUN),pytest=pytest,,$(UVMK_DEV_ENV),$(UVMK_ADD_DEV))
UVMK_CODE_DIRS = $(strip $(sort $(wildcard $(SRC) $(TESTS))))

# Colour only on a terminal and without NO_COLOR; CI logs stay plain.
UVMK_SH_LIB = if [ -t 1 ] && [ -z "$${NO_COLOR:-}" ]; then \
	  uvmk_g=$$(printf '\033[32m'); uvmk_r=$$(printf '\033[31m'); uvmk_y=$$(printf '\033[33m'); uvmk_0=$$(printf '\033[0m'); \
	else uvmk_g=; uvmk_r=; uvmk_y=; uvmk_0=; fi; \
	uvmk_ok() { printf '  %s✓%s %s\n' "$$uvmk_g" "$$uvmk_0" "$$1"; }; \
	uvmk_bad() { printf '  %s✗%s %s\n' "$$uvmk_r" "$$uvmk_0" "$$1"; }; \
	uvmk_opt() { printf '  %s-%s %s\n' "$$uvmk_y" "$$uvmk_0" "$$1"; }; \
	uvmk_die() { printf 'uv.mk: error: %s\n' "$$1" >&2; exit 2; };

# PKG reaches the recipe through the environment, unexpanded by make ($(value)), and is split
# into words with globbing off: `;`, `$(…)` or backticks in it are data, never commands.
UVMK_PKG_CHECK = set -f; \
	case "$$UVMK_PKG" in \
	  "") uvmk_die "PKG is empty: say which package, e.g. make $@ PKG=requests";; \
	  *'`'*|*'$$'*) uvmk_die "PKG contains a shell metacharacter (\` or \$$): $$UVMK_PKG: name packages only, e.g. make $@ PKG='requests>=2.31'";; \
	esac;

# Sync with the selection in $(1). uv creates the environment before it checks the selection
# (an unknown --group/--extra): when there is none yet, a dry run first, so a bad selection
# leaves no empty .venv behind. A sync is the command people run most, so it asks uv nothing
# first: only when it fails does uv.mk ask uv its version, to name a too-old uv as the cause.
uvmk_sync = { [ -e $(call uvmk_sq,$(VENV)) ] || $(UVMK_UV) sync$(UVMK_LOCKED) $(1) --dry-run --quiet; } && \
	$(UVMK_UV) sync$(UVMK_LOCKED) $(1) || { uvmk_rc=$$?; $(UVMK_SH_LIB) uvmk_v=; \
	  if $(UVMK_UV_VERSION_OK); then exit $$uvmk_rc; fi; $(UVMK_UV_REFUSE); }
# After a lock change, back to what dev-install installed: uv's own implicit sync is exact and
# would drop the extras and groups.
UVMK_SYNC_DEV = $(UVMK_UV) sync $(SYNC_DEV_FLAGS)

# The targets that take PKG= and the one way they pass it on (see UVMK_PKG_CHECK).
UVMK_PKG_TARGETS := uv-upgrade-package uv-add uv-add-dev uv-remove uv-remove-dev
$(UVMK_PKG_TARGETS): export UVMK_PKG := $(value PKG)
# `uv add|remove …` ($(1)) on the packages in PKG, then the dev environment.
uvmk_edit_deps = $(UVMK_SH_LIB) $(UVMK_PKG_CHECK) \
	$(UVMK_UV) $(1) --no-sync -- $$UVMK_PKG && $(UVMK_SYNC_DEV)

UVMK_HELPER = $(UVMK_DIR)scripts/uvmk_migrate.py

##############################################################################################
# Guard: every uv target needs a uv that exists and is new enough. Most uv targets ask uv its
# version first (_uvmk-uv); install and dev-install, the ones run all day, only check that uv is
# there (_uvmk-uv-found) and ask its version after a failed sync (uvmk_sync).
##############################################################################################

# Sets uvmk_v to uv's version and succeeds when uv exists, says a version, and it is not older
# than UV_MIN_VERSION. One process, `uv --version`; `command -v` is a shell builtin and the
# comparison is parameter expansion, so a healthy uv costs a target one uv start-up and no more.
UVMK_UV_VERSION_OK = command -v $(firstword $(UV)) >/dev/null 2>&1 && \
	{ uvmk_v=$$($(UV) --version 2>/dev/null); uvmk_v=$${uvmk_v\#* }; uvmk_v=$${uvmk_v%%[!0-9A-Za-z.+-]*}; } && \
	case $$uvmk_v in [0-9]*) ;; *) uvmk_v=; false;; esac && \
	uvmk_h=$$uvmk_v. uvmk_w=$(call uvmk_sq,$(UV_MIN_VERSION)). && \
	for uvmk_i in 1 2 3; do \
	  uvmk_a=$${uvmk_h%%.*}; uvmk_b=$${uvmk_w%%.*}; uvmk_h=$${uvmk_h\#*.}; uvmk_w=$${uvmk_w\#*.}; \
	  uvmk_a=$${uvmk_a%%[!0-9]*}; uvmk_b=$${uvmk_b%%[!0-9]*}; \
	  [ "$${uvmk_a:-0}" -eq "$${uvmk_b:-0}" ] || break; \
	done && [ "$${uvmk_a:-0}" -ge "$${uvmk_b:-0}" ]
UVMK_UV_HINT := install it: https://docs.astral.sh/uv/getting-started/installation/ (or: python3 -m pip install uv)

# Why uv is unusable, after UVMK_UV_VERSION_OK failed and set uvmk_v: one line, exit 2.
UVMK_UV_REFUSE = command -v $(firstword $(UV)) >/dev/null 2>&1 || uvmk_die "uv not found (UV=$(UV)): $(UVMK_UV_HINT)"; \
	[ -n "$$uvmk_v" ] || { uvmk_reason=$$($(UV) --version 2>&1 | head -n 1); \
	  uvmk_die "'$(UV) --version' printed no version$${uvmk_reason:+ ($$uvmk_reason)}: is UV=$(UV) really uv? Point UV at uv (UV=/path/to/uv), or $(UVMK_UV_HINT)"; }; \
	uvmk_die "uv $$uvmk_v is older than UV_MIN_VERSION=$(UV_MIN_VERSION): run 'uv self update' (or: python3 -m pip install -U uv)"

# uv's path when make itself finds it (on PATH, or where UV points): a stat per PATH entry, no
# process. Empty when it does not (or PATH has an entry with a space): the shell then decides.
UVMK_UV_ON_PATH = $(firstword $(wildcard $(if $(findstring /,$(firstword $(UV))),$(firstword $(UV)),$(addsuffix /$(firstword $(UV)),$(subst :, ,$(PATH))))))

.PHONY: _uvmk-uv _uvmk-uv-found
_uvmk-uv:
	@$(UVMK_SH_LIB) uvmk_v=; $(UVMK_UV_VERSION_OK) || { $(UVMK_UV_REFUSE); }

# install and dev-install only need uv to be there (uvmk_sync diagnoses a failure): when make sees
# it on PATH the recipe expands to nothing, and make runs no process at all.
_uvmk-uv-found:
	@$(if $(UVMK_UV_ON_PATH),,$(UVMK_SH_LIB) command -v $(firstword $(UV)) >/dev/null 2>&1 || uvmk_die "uv not found (UV=$(UV)): $(UVMK_UV_HINT)")

##############################################################################################
##@ Environment
##############################################################################################

.PHONY: uv-install uv-dev-install uv-check-env uv-clean uv-clean-venv

# Hooks the host extends with its own double-colon rules, e.g. `post-install:: ; @./seed-db.sh`.
# make runs double-colon rules in the order it read them, so uv.mk's `post-X:: uv-X` comes first.
.PHONY: pre-install post-install pre-dev-install post-dev-install
pre-install::
post-install:: uv-install
pre-dev-install::
post-dev-install:: uv-dev-install
UVMK_HOOKED := install dev-install

uv-install: _uvmk-uv-found pre-install ## Install the project and its runtime dependencies (what production gets)
	@$(call uvmk_sync,$(SYNC_PROD_FLAGS))

uv-dev-install: _uvmk-uv-found pre-dev-install ## Install everything for development: all extras and dependency groups
	@$(call uvmk_sync,$(SYNC_DEV_FLAGS))

uv-check-env: ## Check uv, Python, the lock file and docker; ✓/✗ with a fix for each
	@$(UVMK_SH_LIB) uvmk_fail=0; \
	echo "Environment:"; \
	uvmk_v=; if $(UVMK_UV_VERSION_OK); then uvmk_ok "uv $$uvmk_v (>= $(UV_MIN_VERSION))"; \
	elif [ -n "$$uvmk_v" ]; then uvmk_bad "uv $$uvmk_v is older than $(UV_MIN_VERSION) — run: uv self update"; uvmk_fail=1; \
	else uvmk_bad "uv not found (UV=$(UV)) — $(UVMK_UV_HINT)"; uvmk_fail=1; fi; \
	if [ ! -f .python-version ]; then \
	  uvmk_bad ".python-version missing — pin one: uv python pin 3.12"; uvmk_fail=1; \
	else uvmk_pyv=$$(head -n 1 .python-version | tr -d ' \r'); \
	  if uvmk_py=$$($(UVMK_UV) python find "$$uvmk_pyv" 2>/dev/null); then uvmk_ok "Python $$uvmk_pyv (.python-version) at $$uvmk_py"; \
	  else uvmk_bad "Python $$uvmk_pyv (.python-version) not found — install it: uv python install $$uvmk_pyv"; uvmk_fail=1; fi; \
	fi; \
	if [ ! -f uv.lock ]; then uvmk_bad "uv.lock missing — create it: make uv-lock"; uvmk_fail=1; \
	elif $(UVMK_UV) lock --check >/dev/null 2>&1; then uvmk_ok "uv.lock is up to date with pyproject.toml"; \
	else uvmk_bad "uv.lock is stale (or pyproject.toml is broken) — run: make uv-lock"; uvmk_fail=1; fi; \
	if command -v docker >/dev/null 2>&1; then uvmk_ok "docker: $$(command -v docker) (optional)"; \
	else uvmk_opt "docker not found (optional)"; fi; \
	exit $$uvmk_fail

uv-clean: ## Remove caches and build artefacts (never a virtual environment)
	@rm -rf .pytest_cache .mypy_cache .ruff_cache htmlcov .coverage coverage.xml build dist
	@find . \( -name .git -o -name node_modules -o -name $(call uvmk_sq,$(notdir $(VENV))) -o -name venv -o -name '.venv*' \) -prune \
	  -o \( -name __pycache__ -o -name '*.egg-info' \) -type d -exec rm -rf {} + 2>/dev/null; true

uv-clean-venv: ## Remove the project environment (VENV), only if it is a virtual environment
	@$(UVMK_SH_LIB) uvmk_venv=$(call uvmk_sq,$(VENV)); \
	if [ -L "$$uvmk_venv" ]; then uvmk_die "$$uvmk_venv is a symlink: not removing it (if you mean it: rm $$uvmk_venv)"; \
	elif [ ! -e "$$uvmk_venv" ]; then echo "$$uvmk_venv does not exist: nothing to remove"; \
	elif [ ! -f "$$uvmk_venv/pyvenv.cfg" ]; then uvmk_die "$$uvmk_venv is not a virtual environment (no pyvenv.cfg): not removing it: check VENV with make print-VENV"; \
	else rm -rf "$$uvmk_venv" && echo "removed $$uvmk_venv"; fi

##############################################################################################
##@ Tests
##############################################################################################

.PHONY: uv-test uv-test-unit uv-test-integration uv-coverage

uv-test: _uvmk-uv ## Run the whole test suite
	@$(UVMK_PYTEST) $(TESTS) $(PYTEST_ARGS) $(UVMK_NEEDS_PYTEST)

uv-test-unit: _uvmk-uv ## Run unit tests (UNIT_TESTS, else tests marked unit)
	@$(call uvmk_pytest_kind,unit,UNIT_TESTS,$(UNIT_TESTS))

uv-test-integration: _uvmk-uv ## Run integration tests (INTEGRATION_TESTS, else tests marked integration)
	@$(call uvmk_pytest_kind,integration,INTEGRATION_TESTS,$(INTEGRATION_TESTS))

# pytest on folder $(3) (knob $(2)) when it exists, else on TESTS' tests marked $(1); pytest's
# exit 5 (nothing collected) becomes a line that says where such tests should be.
uvmk_pytest_kind = uvmk_dir=$(call uvmk_sq,$(3)); \
	if [ -d "$$uvmk_dir" ]; then $(UVMK_PYTEST) "$$uvmk_dir" $(PYTEST_ARGS) $(UVMK_NEEDS_PYTEST); \
	else $(UVMK_PYTEST) $(TESTS) -m $(1) $(PYTEST_ARGS) || { uvmk_rc=$$?; [ $$uvmk_rc -ne 5 ] || { \
	  echo "uv.mk: error: no $(1) tests: $(2)=$$uvmk_dir is not a folder and no test is marked $(1): set $(2) to their folder (make $(uvmk_target) $(2)=path) or mark them @pytest.mark.$(1)" >&2; exit 5; }; \
	  $(call uvmk_if_missing,$(UVMK_RUN),pytest=pytest,,$(UVMK_DEV_ENV),$(UVMK_ADD_DEV)); }; fi

uv-coverage: _uvmk-uv ## Run the tests with coverage: terminal summary and htmlcov/
	@$(UVMK_PYTEST) $(TESTS) --cov=$(PACKAGE) --cov-report=term-missing --cov-report=html $(PYTEST_ARGS) \
	  $(call uvmk_needs,$(UVMK_RUN),pytest=pytest pytest_cov=pytest-cov,,$(UVMK_DEV_ENV),$(UVMK_ADD_DEV))

##############################################################################################
##@ Quality
##############################################################################################

.PHONY: uv-lint uv-lint-fix uv-format uv-format-check uv-type-check

UVMK_NEEDS_RUFF = $(call uvmk_needs,$(UVMK_RUN),ruff=ruff,,$(UVMK_DEV_ENV),$(UVMK_ADD_DEV))

uv-lint: _uvmk-uv ## Lint with ruff
	@$(UVMK_RUN) python -m ruff check $(UVMK_CODE_DIRS) $(UVMK_NEEDS_RUFF)

uv-lint-fix: _uvmk-uv ## Lint with ruff and fix what it can
	@$(UVMK_RUN) python -m ruff check --fix $(UVMK_CODE_DIRS) $(UVMK_NEEDS_RUFF)

# FORMATTER is read when the recipe runs (not with ifeq at parse time), so a host may set it
# after the include. The first step's hint names every tool the formatter needs, so a user who
# lacks black and isort learns both at once.
UVMK_BLACK = $(filter black,$(FORMATTER))
UVMK_NEEDS_FORMATTER = $(call uvmk_needs,$(UVMK_RUN),$(if $(UVMK_BLACK),black=black isort=isort,ruff=ruff),$(if \
	$(UVMK_BLACK), (FORMATTER=black)),$(UVMK_DEV_ENV),$(UVMK_ADD_DEV)$(if $(UVMK_BLACK), or set FORMATTER=ruff))

uv-format: _uvmk-uv ## Format the code (FORMATTER=ruff, or black for black + isort)
	@$(UVMK_RUN) python -m $(if $(UVMK_BLACK),black,ruff check --select I --fix) $(UVMK_CODE_DIRS) $(UVMK_NEEDS_FORMATTER)
	@$(UVMK_RUN) python -m $(if $(UVMK_BLACK),isort,ruff format) $(UVMK_CODE_DIRS) $(UVMK_NEEDS_FORMATTER)

uv-format-check: _uvmk-uv ## Fail if the code is not formatted (for CI)
	@$(UVMK_RUN) python -m $(if $(UVMK_BLACK),black --check,ruff check --select I) $(UVMK_CODE_DIRS) $(UVMK_NEEDS_FORMATTER)
	@$(UVMK_RUN) python -m $(if $(UVMK_BLACK),isort --check-only,ruff format --check) $(UVMK_CODE_DIRS) $(UVMK_NEEDS_FORMATTER)

# Only a type checker other than the default is worth naming in the hint.
UVMK_OTHER_CHECKER = $(filter-out mypy,$(TYPE_CHECKER))
UVMK_NEEDS_TYPE_CHECKER = $(call uvmk_needs,$(UVMK_RUN),$(call uvmk_sq,$(TYPE_CHECKER)=$(TYPE_CHECKER)),$(if \
	$(UVMK_OTHER_CHECKER), (TYPE_CHECKER=$(TYPE_CHECKER))),$(UVMK_DEV_ENV),$(UVMK_ADD_DEV)$(if $(UVMK_OTHER_CHECKER), or set TYPE_CHECKER=mypy))

uv-type-check: _uvmk-uv ## Type-check SRC (TYPE_CHECKER=mypy or pyright)
	@$(UVMK_RUN) python -m $(TYPE_CHECKER) $(SRC) $(UVMK_NEEDS_TYPE_CHECKER)

##############################################################################################
##@ API
##############################################################################################

.PHONY: uv-api uv-api-prod _uvmk-api-app

_uvmk-api-app:
	@$(if $(strip $(API_APP)),:,printf '%s\n' "uv.mk: error: API_APP is not set: say which ASGI app to serve, e.g. make $(patsubst uv-%,%,$(firstword $(MAKECMDGOALS) api)) API_APP=mypkg.api.main:app (or set API_APP := … in your Makefile)" >&2; exit 2)

uv-api: _uvmk-api-app _uvmk-uv ## Serve API_APP with uvicorn, reloading on change
	@$(UVMK_RUN) python -m uvicorn $(call uvmk_sq,$(API_APP)) --reload --host $(call uvmk_sq,$(API_HOST)) --port $(call uvmk_sq,$(API_PORT)) \
	  $(call uvmk_needs,$(UVMK_RUN),uvicorn=uvicorn,,$(UVMK_DEV_ENV),$(UVMK_ADD_RUNTIME))

# gunicorn's uvicorn worker class needs uvicorn beside it.
uv-api-prod: _uvmk-api-app _uvmk-uv ## Serve API_APP with gunicorn and uvicorn workers
	@$(UVMK_RUN_PROD) python -m gunicorn $(call uvmk_sq,$(API_APP)) -w $(call uvmk_sq,$(API_WORKERS)) -k uvicorn.workers.UvicornWorker -b $(call uvmk_sq,$(API_HOST):$(API_PORT)) \
	  $(call uvmk_needs,$(UVMK_RUN_PROD),gunicorn=gunicorn uvicorn=uvicorn,,$(UVMK_PROD_ENV),$(UVMK_ADD_RUNTIME))

##############################################################################################
##@ Dependencies (uv)
##############################################################################################

.PHONY: uv-lock uv-check-lock uv-upgrade uv-upgrade-package uv-add uv-add-dev uv-remove uv-remove-dev \
	uv-export uv-tree uv-outdated

uv-lock: _uvmk-uv ## Update uv.lock after editing pyproject.toml
	@$(UVMK_UV) lock

uv-check-lock: _uvmk-uv ## Fail if uv.lock is out of date with pyproject.toml
	@$(UVMK_UV) lock --check

uv-upgrade: _uvmk-uv ## Upgrade every dependency within pyproject's ranges, then sync
	@$(UVMK_UV) lock --upgrade
	@$(UVMK_SYNC_DEV)

uv-upgrade-package: _uvmk-uv ## Upgrade one locked package: make uv-upgrade-package PKG=name
	@$(UVMK_SH_LIB) $(UVMK_PKG_CHECK) \
	[ -f uv.lock ] || uvmk_die "uv.lock missing: run make uv-lock first"; \
	for uvmk_p in $$UVMK_PKG; do \
	  uvmk_n=$$(printf '%s' "$$uvmk_p" | tr 'A-Z_.' 'a-z--'); \
	  grep -qx "name = \"$$uvmk_n\"" uv.lock || uvmk_die "$$uvmk_p is not in uv.lock (uv would accept it silently and upgrade nothing): check the name with make uv-tree"; \
	  set -- "$$@" --upgrade-package "$$uvmk_p"; \
	done; \
	$(UVMK_UV) lock "$$@" && $(UVMK_SYNC_DEV)

uv-add: _uvmk-uv ## Add a runtime dependency: make uv-add PKG='requests>=2.31'
	@$(call uvmk_edit_deps,add)

uv-add-dev: _uvmk-uv ## Add a dev dependency ([dependency-groups] dev): make uv-add-dev PKG=pytest
	@$(call uvmk_edit_deps,add --dev)

uv-remove: _uvmk-uv ## Remove a dependency: make uv-remove PKG=requests
	@$(call uvmk_edit_deps,remove)

uv-remove-dev: _uvmk-uv ## Remove a dev dependency: make uv-remove-dev PKG=pytest
	@$(call uvmk_edit_deps,remove --dev)

uv-export: _uvmk-uv ## Write EXPORT_FILE from uv.lock, for consumers that need one (Docker)
	@$(UVMK_UV) export --locked $(EXPORT_FLAGS) --format requirements.txt -q -o $(call uvmk_sq,$(EXPORT_FILE))
	@printf 'wrote %s from uv.lock\n' $(call uvmk_sq,$(EXPORT_FILE))

uv-tree: _uvmk-uv ## Show the dependency tree
	@$(UVMK_UV) tree

uv-outdated: _uvmk-uv ## Show direct dependencies, marking those with a newer release on the index
	@$(UVMK_UV) tree --outdated --depth 1

##############################################################################################
##@ Build and release
##############################################################################################

.PHONY: uv-build uv-publish uv-version uv-bump

# Only the distributions go (any other file in DIST_DIR stays): an earlier version's wheel left
# there would otherwise be uploaded with the new one.
UVMK_BUILD = rm -f $(call uvmk_sq,$(DIST_DIR))/*.whl $(call uvmk_sq,$(DIST_DIR))/*.tar.gz && \
	$(UVMK_UV) build --out-dir $(call uvmk_sq,$(DIST_DIR))

uv-build: _uvmk-uv ## Build the sdist and the wheel into DIST_DIR (its old ones removed first)
	@$(UVMK_BUILD)

# Dists are built from the working tree: uncommitted edits to tracked files would ship in a
# release no commit holds. Outside a git work tree there is nothing to compare against.
UVMK_CLEAN_TREE = if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  uvmk_dirty=$$(git status --porcelain --untracked-files=no | cut -c4- | tr '\n' ' '); \
	  [ -z "$$uvmk_dirty" ] || uvmk_die "uncommitted changes to tracked files ($${uvmk_dirty% }): commit or stash them first, so that what make $(uvmk_target) uploads is a commit"; \
	fi;
# The index is asked first (a dry run against PUBLISH_CHECK_URL), so that a version already there
# is one line instead of the index's rejection of the upload, and a dry run says it too.
UVMK_PUBLISH_FILES = $(call uvmk_sq,$(DIST_DIR)/*)
UVMK_PUBLISH_URLS = $(if $(PUBLISH_URL),--publish-url $(call uvmk_sq,$(PUBLISH_URL))) \
	$(if $(PUBLISH_CHECK_URL),--check-url $(call uvmk_sq,$(PUBLISH_CHECK_URL)))
UVMK_PUBLISHED_CHECK = uvmk_seen=$$($(UVMK_UV) publish --dry-run --trusted-publishing never $(UVMK_PUBLISH_URLS) $(UVMK_PUBLISH_FILES) 2>&1); \
	uvmk_rc=$$?; \
	uvmk_file=$$(printf '%s\n' "$$uvmk_seen" | sed -n -e 's/^File \(.*\) already exists, skipping$$/\1/p' \
	  -e 's/^error: Local file and index file do not match for `\(.*\)`.*/\1 (other contents)/p' | head -n 1); \
	uvmk_index=$(call uvmk_sq,$(PUBLISH_CHECK_URL)); \
	[ -z "$$uvmk_file" ] || uvmk_die "$$uvmk_file is already on $$uvmk_index: an index keeps a version for good: bump it first (make bump PART=patch), then make $(uvmk_target)"; \
	[ $$uvmk_rc -eq 0 ] || { printf '%s\n' "$$uvmk_seen" >&2; exit $$uvmk_rc; }
# Credentials come from uv's own variables (UV_PUBLISH_TOKEN, UV_PUBLISH_PASSWORD…): make never
# sees their values. Without them, CI publishes with its OIDC token (trusted publishing, always);
# a laptop has none, and uv's automatic attempt would only add seconds of retries before failing.
UVMK_TRUSTED = uvmk_tp=$(call uvmk_sq,$(TRUSTED_PUBLISHING)); \
	if [ -z "$$uvmk_tp" ]; then uvmk_tp=automatic; \
	  [ -n "$${UV_PUBLISH_TOKEN:-}$${UV_PUBLISH_PASSWORD:-}" ] || uvmk_tp=$(if $(CI_MODE),always,never); fi;

uv-publish: _uvmk-uv ## Build, then upload with uv publish (PUBLISH_URL, PUBLISH_DRY_RUN=1); refuses a dirty tree or a published version
	@$(UVMK_SH_LIB) $(UVMK_CLEAN_TREE)
	@$(UVMK_BUILD)
	@$(UVMK_SH_LIB) $(if $(PUBLISH_CHECK_URL),$(UVMK_PUBLISHED_CHECK),:)
	@$(UVMK_TRUSTED) $(UVMK_UV) publish$(if $(PUBLISH_DRY_RUN), --dry-run) --trusted-publishing "$$uvmk_tp" $(UVMK_PUBLISH_URLS) $(UVMK_PUBLISH_FILES)

# uv reads and writes [project] version; a dynamic one (read by the build backend from a file or
# from git) it refuses in a line that says neither why nor what to do. uv's stderr is held until
# it ends, its stdout (the version) streams.
uvmk_uv_version = { uvmk_err=$$( { $(UVMK_UV) version $(1) 2>&1 1>&3 3>&-; } ); } 3>&1; uvmk_rc=$$?; \
	case $$uvmk_rc:$$uvmk_err in 0:*) ;; *"dynamic project versions"*) \
	  uvmk_line=$$(grep -n '^dynamic *=' pyproject.toml | head -n 1 | cut -d: -f1); \
	  uvmk_err="uv.mk: error: the version is dynamic ([project] dynamic, pyproject.toml:$$uvmk_line): uv version cannot read or bump it: bump it where the build backend reads it, or make it static (version = \"X.Y.Z\" under [project]) and run uv lock again";; esac; \
	[ -z "$$uvmk_err" ] || printf '%s\n' "$$uvmk_err" >&2; exit $$uvmk_rc

uv-version: _uvmk-uv ## Print the project's version
	@$(call uvmk_uv_version,--short)

# PART reaches the recipe as data, like PKG. Each word is checked here (uv answers a bad one with
# its usage text). TAG comes from the command line or a makefile only: CI systems export TAG.
UVMK_BUMP_PARTS := major minor patch stable alpha beta rc post dev
uv-bump: export UVMK_PART := $(value PART)
uv-bump: _uvmk-uv ## Bump the version: make bump PART=patch (major, minor, …, dev); TAG=1 commits it and tags v<new>
	@$(UVMK_SH_LIB) set -f; \
	[ -n "$$UVMK_PART" ] || uvmk_die "PART is empty: say which part to bump, e.g. make $(uvmk_target) PART=patch (one of: $(UVMK_BUMP_PARTS))"; \
	for uvmk_p in $$UVMK_PART; do \
	  case $$uvmk_p in $(subst $(UVMK_SPACE),|,$(UVMK_BUMP_PARTS))) ;; \
	    alpha=*|beta=*|rc=*|post=*|dev=*) case $${uvmk_p#*=} in ''|*[!0-9]*) uvmk_p=;; esac;; *) uvmk_p=;; esac; \
	  [ -n "$$uvmk_p" ] || uvmk_die "PART=$$UVMK_PART is not a version part: one of $(UVMK_BUMP_PARTS) (alpha=N … dev=N for a number), e.g. make $(uvmk_target) PART=patch"; \
	  set -- "$$@" --bump "$$uvmk_p"; \
	done; \
	$(if $(call uvmk_knob,TAG),$(UVMK_TAG_CHECK)) \
	( $(call uvmk_uv_version,"$$@" --no-sync) )$(if $(call uvmk_knob,TAG), && $(UVMK_TAG))

# Before anything changes: a git repo, pyproject.toml and uv.lock without edits of their own (the
# commit holds the bump alone), and no tag of the new version yet.
UVMK_TAG_CHECK = git rev-parse --is-inside-work-tree >/dev/null 2>&1 || uvmk_die "TAG=1 needs a git repository (none here): git init first, or make $(uvmk_target) PART=$$UVMK_PART without TAG=1"; \
	[ -z "$$(git status --porcelain -- pyproject.toml uv.lock)" ] || uvmk_die "pyproject.toml or uv.lock has uncommitted changes (git status): commit them first, so that the tag's commit holds the bump alone, then make $(uvmk_target) PART=$$UVMK_PART TAG=1"; \
	uvmk_new=$$($(UVMK_UV) version "$$@" --dry-run --short 2>/dev/null) || { \
	  ( $(call uvmk_uv_version,"$$@" --dry-run --short) ) >/dev/null; uvmk_rc=$$?; exit $$((uvmk_rc ? uvmk_rc : 2)); }; \
	! git rev-parse -q --verify "refs/tags/v$$uvmk_new" >/dev/null || uvmk_die "tag v$$uvmk_new already exists: bump further (make $(uvmk_target) PART=…) or delete it first (git tag -d v$$uvmk_new)";
UVMK_TAG = git add -- pyproject.toml $$([ ! -f uv.lock ] || echo uv.lock) && \
	git commit -q -m "Release $$uvmk_new" -- pyproject.toml $$([ ! -f uv.lock ] || echo uv.lock) && \
	git tag -a "v$$uvmk_new" -m "Release $$uvmk_new" && \
	printf 'committed and tagged v%s (push it: git push --follow-tags)\n' "$$uvmk_new"

##############################################################################################
##@ Security
##############################################################################################

.PHONY: uv-security

# uv's own audit of the locked set (experimental in uv 0.13, hence the preview flag): the lock's
# exact versions of every package, no environment to build and no exported file. SECURITY_OUTPUT
# is written whole (renamed into place), findings or not, so a CI job can upload it either way.
UVMK_SECURITY_FORMATS := text json sarif
UVMK_AUDIT = $(UVMK_UV) audit --preview-features audit-command$(if $(filter json,$(SECURITY_FORMAT)),$(UVMK_COMMA)json-output)$(UVMK_LOCKED) \
	$(if $(SECURITY_FLAGS),$(SECURITY_FLAGS) )--output-format $(call uvmk_sq,$(SECURITY_FORMAT))$(if $(strip $(AUDIT_IGNORE)), $(foreach uvmk_id,$(subst \
	$(UVMK_COMMA), ,$(AUDIT_IGNORE)),--ignore $(call uvmk_sq,$(uvmk_id))))$(if \
	$(SECURITY_SERVICE_URL), --service-url $(call uvmk_sq,$(SECURITY_SERVICE_URL)))
# A file that cannot be written is said first: the shell's own failure would read as a finding.
UVMK_AUDIT_TO_FILE = uvmk_out=$(call uvmk_sq,$(SECURITY_OUTPUT)); \
	(: >"$$uvmk_out.tmp") 2>/dev/null || uvmk_die "cannot write $$uvmk_out.tmp: SECURITY_OUTPUT=$$uvmk_out must be a file in a folder that exists, e.g. make $(uvmk_target) SECURITY_OUTPUT=security.sarif"; \
	$(UVMK_AUDIT) >"$$uvmk_out.tmp"; uvmk_rc=$$?; \
	if [ $$uvmk_rc -le 1 ]; then mv -f "$$uvmk_out.tmp" "$$uvmk_out" && echo "wrote $$uvmk_out"; else rm -f "$$uvmk_out.tmp"; fi

uv-security: _uvmk-uv ## Check uv.lock for known vulnerabilities (uv audit; AUDIT_IGNORE, SECURITY_FORMAT); exit 1 on a finding
	@$(UVMK_SH_LIB) uvmk_fmt=$(call uvmk_sq,$(SECURITY_FORMAT)); \
	case $$uvmk_fmt in $(subst $(UVMK_SPACE),|,$(UVMK_SECURITY_FORMATS))) ;; \
	  *) uvmk_die "SECURITY_FORMAT=$$uvmk_fmt is not one of $(UVMK_SECURITY_FORMATS): e.g. make $(uvmk_target) SECURITY_FORMAT=sarif SECURITY_OUTPUT=audit.sarif";; esac; \
	$(if $(SECURITY_OUTPUT),$(UVMK_AUDIT_TO_FILE),uvmk_out=; $(UVMK_AUDIT); uvmk_rc=$$?); \
	[ $$uvmk_rc -ne 1 ] || echo "uv.mk: security: known vulnerabilities in uv.lock (listed $${uvmk_out:+in }$${uvmk_out:-above}): upgrade them (make uv-upgrade-package PKG=name) or accept an ID with AUDIT_IGNORE=ID" >&2; \
	exit $$uvmk_rc

##############################################################################################
##@ CI and hooks
##############################################################################################

.PHONY: uv-ci uv-pre-commit-install

# CI mode whatever the environment says: the gate must fail on a stale uv.lock, on a laptop too.
# The steps are uv.mk's own targets, in order (dev-install with the host's post-dev-install hooks).
uv-ci: override CI_MODE := 1
uv-ci: post-dev-install uv-format-check uv-lint uv-type-check uv-test ## The whole CI gate: dev-install --locked, format-check, lint, type-check, test
	@echo "ci: all checks passed"

# pre-commit from the dev group when it has it (the version uv.lock pins), else uv's tool run.
uv-pre-commit-install: _uvmk-uv ## Install the git hooks of .pre-commit-config.yaml (pre-commit through uv)
	@$(UVMK_SH_LIB) [ -f .pre-commit-config.yaml ] || uvmk_die "no .pre-commit-config.yaml here: write one first (https://pre-commit.com/#2-add-a-pre-commit-configuration), then make $(uvmk_target)"; \
	if $(UVMK_RUN) python -c 'import pre_commit' >/dev/null 2>&1; then $(UVMK_RUN) python -m pre_commit install \
	  $(call uvmk_needs,$(UVMK_RUN),pre_commit=pre-commit,,$(UVMK_DEV_ENV),$(UVMK_ADD_DEV)); \
	else $(UVMK_UV) tool run pre-commit install; fi

##############################################################################################
##@ Migration (pip → uv)
##############################################################################################

# This file's release: `uv-mk --version` and the wheel read it from here (keep the header's too).
UVMK_VERSION := 0.2.0
# The command that runs the engine; empty: the one beside uv.mk (this repo, a submodule), else the
# release of this file's own version, fetched by uv (`uvx --from uv-mk==$(UVMK_VERSION) uv-mk`).
UVMK_ENGINE ?=

# Chosen in the recipe, never at parse time: `make help` and `make -n` stay free of subprocesses.
# The release's stderr is held until it ends (its stdout streams as it goes): when uv cannot find
# the release, that is one line with the ways out instead of uv's resolver report, at no cost to
# the runs that work.
uvmk_engine = uvmk_engine() { \
	  if [ -n $(call uvmk_sq,$(UVMK_ENGINE)) ]; then $(UVMK_ENGINE) "$$@"; \
	  elif [ -f $(call uvmk_sq,$(UVMK_HELPER)) ]; then \
	    $(UVMK_UV) run --quiet --script $(call uvmk_sq,$(UVMK_HELPER)) "$$@"; \
	  else { uvmk_err=$$( { $(UVMK_UV) tool run --quiet --compile-bytecode --from uv-mk==$(UVMK_VERSION) uv-mk "$$@" 2>&1 1>&3 3>&-; } ); } 3>&1; \
	    uvmk_rc=$$?; \
	    case $$uvmk_rc:$$uvmk_err in 0:*) ;; *"you require uv-mk=="*) uvmk_err="$(UVMK_NO_RELEASE)"; uvmk_rc=2;; esac; \
	    [ -z "$$uvmk_err" ] || printf '%s\n' "$$uvmk_err" >&2; return $$uvmk_rc; fi; }; uvmk_engine
UVMK_NO_RELEASE = uv.mk: error: uv-mk $(UVMK_VERSION) is not in the package index this machine \
  reaches (uv tool run --from uv-mk==$(UVMK_VERSION) finds no such release): run the engine from \
  a checkout of uv.mk, UVMK_ENGINE='uv run --script /path/to/uv.mk-checkout/scripts/uvmk_migrate.py', \
  or point uv at the wheel, UV_FIND_LINKS=/folder/with/the/uv-mk-$(UVMK_VERSION)-wheel

.PHONY: uv-migrate-audit uv-audit uv-migrate uv-verify

# A migration knob's value, unless it came from the environment: the python:* Docker images
# export PYTHON_VERSION=3.12.7, and an exported FORMAT would turn a preview into JSON. Only the
# command line or a makefile decides; an environment value falls back to the default ($(2)).
uvmk_knob = $(if $(filter environment,$(origin $(1))),$(2),$($(1)))
# The option with its value as one shell word, when the knob is set: $(1) knob, $(2) option.
uvmk_opt = $(if $(call uvmk_knob,$(1)),$(2) $(call uvmk_sq,$(call uvmk_knob,$(1))))
uvmk_flag = $(if $(call uvmk_knob,$(1)),$(2))
UVMK_FORMAT = --format $(call uvmk_sq,$(call uvmk_knob,FORMAT,table))
# ROOT is a common name in host Makefiles (a build prefix, $(CURDIR)): only the command line's counts
UVMK_ROOT = $(if $(filter command line,$(origin ROOT)),--root $(call uvmk_sq,$(ROOT)))
UVMK_NAMING = $(UVMK_ROOT) $(call uvmk_opt,REQUIREMENTS,--requirements) $(call uvmk_opt,DEV_REQUIREMENTS,--dev-requirements) \
  $(call uvmk_opt,SUBPROJECTS,--subprojects)
UVMK_REPORT = $(call uvmk_opt,OUTPUT,--output) $(call uvmk_flag,VERBOSE,--verbose)

UVMK_MIGRATE_AUDIT = $(uvmk_engine) audit $(UVMK_FORMAT) --uv-mk $(call uvmk_sq,$(UVMK_FILE)) $(UVMK_NAMING) $(UVMK_REPORT)

uv-migrate-audit: _uvmk-uv ## Report what is wrong with the move to uv (FORMAT=table|json|markdown, OUTPUT=file); exit 1 if anything
	@$(UVMK_MIGRATE_AUDIT)

# The migration audit's name up to 0.2.0: uv's `uv audit` is a vulnerability scan, so uv-audit will
# become that one (today: security). Kept for one minor release, the same run with a warning.
uv-audit: _uvmk-uv ## Deprecated name of uv-migrate-audit (the vulnerability audit is security)
	@printf '%s\n' "uv.mk: warning: uv-audit is deprecated: it is now uv-migrate-audit (uv-audit will become the vulnerability audit: make security)" >&2; \
	$(UVMK_MIGRATE_AUDIT)

uv-migrate: _uvmk-uv ## Preview the move to uv; APPLY=1 carries it out (also FORCE, KEEP_REQUIREMENTS, PYTHON_VERSION, REWRITE)
	@$(uvmk_engine) migrate --uv-mk $(call uvmk_sq,$(UVMK_FILE)) \
	  $(call uvmk_flag,APPLY,--apply) $(call uvmk_flag,FORCE,--force) $(call uvmk_flag,KEEP_REQUIREMENTS,--keep-requirements) \
	  $(call uvmk_flag,EXPORT_REQUIREMENTS,--export-requirements) $(call uvmk_flag,OVERRIDE_PINS,--override-pins) \
	  $(call uvmk_flag,KEEP_PYPROJECT_PINS,--keep-pyproject-pins) $(call uvmk_opt,REWRITE,--rewrite) \
	  $(call uvmk_opt,PYTHON_VERSION,--python) $(UVMK_FORMAT) $(UVMK_NAMING) $(UVMK_REPORT)

uv-verify: _uvmk-uv ## The post-migration checklist: ✓/✗ per check, exit 1 on any ✗
	@$(uvmk_engine) verify $(UVMK_ROOT) --uv-mk $(call uvmk_sq,$(UVMK_FILE)) $(call uvmk_flag,KEEP_REQUIREMENTS,--keep-requirements) \
	  $(call uvmk_flag,QUICK,--quick) $(call uvmk_opt,VERIFY_TIMEOUT,--timeout) $(call uvmk_opt,OUTPUT,--output)

##############################################################################################
##@ Help
##############################################################################################

.PHONY: uv-help print-%

# Reads the `## ` lines of every makefile make has read, the host's included; needs no uv or Python.
uv-help: ## Show this help
	@awk -v aliases=' $(UVMK_ACTIVE_ALIASES) ' -v uvmk=$(call uvmk_sq,$(UVMK_FILE)) 'BEGIN { FS = ":.*## "; \
	    print "Usage: make <target> [VARIABLE=value]   (variables: see the header of uv.mk; make print-VAR)" } \
	  FNR == 1 { mine = (FILENAME == uvmk) } \
	  /^##@ / { sub(/^##@ /, ""); printf "\n%s\n", $$0; next } \
	  /^[A-Za-z0-9_.%\/-]+:.*## / { t = $$1; \
	    if (mine && t ~ /^uv-/) { s = t; sub(/^uv-/, "", s); if (index(aliases, " " s " ")) t = s } \
	    printf "  %-22s %s\n", t, $$2 }' $(MAKEFILE_LIST)

print-%: ## Show a variable's value: make print-SRC
	@printf '%s = %s\n' $(call uvmk_sq,$*) $(call uvmk_sq,$($*))

# The short aliases, minus those the host keeps for itself.
.PHONY: $(UVMK_ACTIVE_ALIASES)
$(foreach uvmk_t,$(UVMK_ACTIVE_ALIASES),$(eval $(uvmk_t): uv-$(uvmk_t)$(if $(filter $(uvmk_t),$(UVMK_HOOKED)), post-$(uvmk_t))))

# Keep the host's default goal; fall back to help when uv.mk is the top makefile.
ifeq ($(UVMK_HOST_GOAL),)
ifeq ($(firstword $(MAKEFILE_LIST)),$(UVMK_FILE))
.DEFAULT_GOAL := $(if $(filter help,$(UVMK_ACTIVE_ALIASES)),help,uv-help)
else
.DEFAULT_GOAL :=
endif
else
.DEFAULT_GOAL := $(UVMK_HOST_GOAL)
endif

endif # UVMK_INCLUDED
