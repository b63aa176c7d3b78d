"""uv.mk and the Makefile rewrite must agree on the short target names uv.mk defines."""

import re
from pathlib import Path

from uvmk.makefile.uvmk_names import ALIASES

UV_MK = Path(__file__).resolve().parents[2] / "uv.mk"


def uv_mk_aliases() -> list[str]:
    text = UV_MK.read_text().replace("\\\n", " ")
    match = re.search(r"^UVMK_ALIASES := (.*)$", text, re.MULTILINE)
    assert match, "UVMK_ALIASES not found in uv.mk"
    return match.group(1).split()


def test_the_rewrite_knows_every_alias_uv_mk_defines() -> None:
    assert sorted(ALIASES) == sorted(uv_mk_aliases())


def test_every_alias_has_a_namespaced_target_in_uv_mk() -> None:
    text = UV_MK.read_text()
    for alias in uv_mk_aliases():
        assert re.search(rf"^uv-{re.escape(alias)}:", text, re.MULTILINE), alias
