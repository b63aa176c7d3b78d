# uv.mk's own Makefile: we use our product. Our `test` is the whole suite (bats + pytest + linters),
# so uv.mk's pytest-only test stays reachable as `make uv-test`.
SRC := scripts
TESTS := tests/python
UVMK_SKIP_TARGETS := test

include uv.mk

##@ This project
.PHONY: test demo bench docs
test: ## Run the whole suite: ruff, mypy, shellcheck, pytest, bats (real make, real uv)
	@tests/run

demo: ## Migrate a copy of the bundled legacy repo (demo/k2): audit, migrate, verify
	@examples/demo.sh

bench: ## Every row of the speed table, paired and interleaved (FORMAT=json; BENCH_ARGS='--rows audit --against ../old')
	@python3 bench/bench.py --format $(FORMAT) $(BENCH_ARGS)

docs: ## Regenerate docs/targets.md from uv.mk and docs/migration.md from a real migration (~15 s)
	@python3 tools/docs_targets.py
	@python3 tools/docs_migration.py
