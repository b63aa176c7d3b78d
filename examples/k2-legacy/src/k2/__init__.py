"""K2 market data platform (example legacy project for uv.mk)."""

__version__ = "0.3.0"
