"""uv.mk's migration engine: audit a pip repo, migrate it to uv (plan, then apply), verify it."""
