"""Requirements files → a dependency plan against pyproject: grammar, roles, sources, options."""
