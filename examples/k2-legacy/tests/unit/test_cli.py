import pytest
from click.testing import CliRunner

from k2.cli import main

pytestmark = pytest.mark.unit


def test_help_lists_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "ingest" in result.output


def test_ingest_echoes_symbol() -> None:
    result = CliRunner().invoke(main, ["ingest", "AAPL"])
    assert result.exit_code == 0
    assert "ingesting AAPL" in result.output
