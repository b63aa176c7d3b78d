"""The `k2` command."""

import click
import structlog

from k2 import __version__

log = structlog.get_logger()


@click.group()
@click.version_option(__version__, prog_name="k2")
def main() -> None:
    """K2 market data platform: ingest and query market data."""


@main.command()
@click.argument("symbol")
def ingest(symbol: str) -> None:
    """Ingest quotes for SYMBOL (demo: prints what it would do)."""
    log.info("ingest", symbol=symbol)
    click.echo(f"ingesting {symbol}")


@main.command()
@click.argument("symbol")
def query(symbol: str) -> None:
    """Query the latest quote for SYMBOL."""
    click.echo(f"{symbol}: no data yet")
