"""uv.mk's names, copied (to be read from uv.mk itself)."""

# uv.mk's UVMK_ALIASES: each is an alias of uv-<name> unless listed in UVMK_SKIP_TARGETS.
ALIASES = (
    "install",
    "dev-install",
    "test",
    "test-unit",
    "test-integration",
    "coverage",
    "lint",
    "lint-fix",
    "format",
    "format-check",
    "type-check",
    "api",
    "api-prod",
    "check-env",
    "clean",
    "clean-venv",
    "help",
)


KNOBS = (
    "UV",
    "SRC",
    "TESTS",
    "UNIT_TESTS",
    "INTEGRATION_TESTS",
    "PACKAGE",
    "PYTEST_ARGS",
    "FORMATTER",
    "TYPE_CHECKER",
    "API_APP",
    "API_HOST",
    "API_PORT",
    "API_WORKERS",
    "UV_MIN_VERSION",
)


# What we assume uv.mk uses when a knob is not set: only knobs that differ are written.
KNOB_DEFAULTS = {
    "SRC": "src",
    "TESTS": "tests",
    "UNIT_TESTS": "tests/unit",
    "INTEGRATION_TESTS": "tests/integration",
}
