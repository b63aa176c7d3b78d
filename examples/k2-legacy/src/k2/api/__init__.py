"""K2 query API."""
