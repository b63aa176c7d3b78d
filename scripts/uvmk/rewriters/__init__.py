"""One module per kind of file the migration rewrites in place: makefile."""
