"""What uv.mk declares is read from uv.mk itself (uvmk.contract): its aliases, its knobs and
their defaults as make expands them."""

import re
from pathlib import Path

import pytest

from uvmk import contract
from uvmk.contract import DAILY_TARGETS, DEV_SYNC

UV_MK = Path(__file__).resolve().parents[2] / "uv.mk"


def uv_mk_aliases() -> list[str]:
    text = UV_MK.read_text().replace("\\\n", " ")
    match = re.search(r"^UVMK_ALIASES := (.*)$", text, re.MULTILINE)
    assert match, "UVMK_ALIASES not found in uv.mk"
    return match.group(1).split()


def test_the_reader_finds_every_alias_uv_mk_defines() -> None:
    assert list(contract.read(UV_MK).aliases) == uv_mk_aliases()


def test_every_alias_has_a_namespaced_target_in_uv_mk() -> None:
    text = UV_MK.read_text()
    for alias in uv_mk_aliases():
        assert re.search(rf"^uv-{re.escape(alias)}:", text, re.MULTILINE), alias


def test_the_reader_finds_every_knob_with_its_default() -> None:
    knobs = contract.read(UV_MK).knobs
    written = re.findall(r"^([A-Z_]+) \?=", UV_MK.read_text(), re.MULTILINE)
    assert list(knobs) == written
    assert knobs["TESTS"] == "tests" and knobs["UNIT_TESTS"] == "$(TESTS)/unit"


def test_defaults_expand_as_make_would() -> None:
    uv_mk = contract.read(UV_MK)
    assert uv_mk.default("UNIT_TESTS") == "tests/unit"
    assert uv_mk.default("SRC", frozenset({"src", "tests"})) == "src"
    assert uv_mk.default("SRC", frozenset({"tests"})) == "."
    assert uv_mk.default("PACKAGE", frozenset({"src"})) == "src"


def test_a_file_that_is_not_uv_mk_is_refused(tmp_path: Path) -> None:
    (tmp_path / "uv.mk").write_text("all:\n\techo hi\n")
    with pytest.raises(contract.DeclarationError):
        contract.read(tmp_path / "uv.mk")


def test_the_readme_quick_start_installs_what_dev_install_does() -> None:
    assert "uv sync " + contract.bundled().default("SYNC_DEV_FLAGS") == DEV_SYNC


def test_every_daily_target_verify_checks_is_one_uv_mk_defines() -> None:
    """A daily target is a uv-NAME rule of uv.mk, its short name an alias (uv-lock has none)."""
    rules = set(re.findall(r"^(uv-[a-z-]+):", UV_MK.read_text(), re.MULTILINE))
    for target in DAILY_TARGETS:
        assert target in rules or (f"uv-{target}" in rules and target in uv_mk_aliases())


def test_the_engine_refuses_in_uv_mk_s_words() -> None:
    """uv.mk's uvmk_die begins its line as the engine's error_line does, and its test-unit says
    NO_UNIT_TESTS where the repository has no unit tests (uv-verify reads it)."""
    text = UV_MK.read_text()
    assert f"uvmk_die() {{ printf '{contract.ERROR}%s\\n'" in text
    said = re.search(r'echo "(uv\.mk: error: no \$\(1\) tests)', text)
    assert said and said.group(1).replace("$(1)", "unit") == contract.NO_UNIT_TESTS
    assert contract.error_line("interrupted") == "uv.mk: error: interrupted"
