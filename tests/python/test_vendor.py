"""uv.mk in a host repo: `uv-mk init` adopts it (once), `uv-mk update` replaces an unedited copy
of any release and refuses local edits without --force, and the version is stated once, by uv.mk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import REPO, UV_MK, checksums, run
from uvmk import vendor
from uvmk.vendor import VendorError

SOURCE = UV_MK.read_bytes()


def older_release(version: str = "0.1.0") -> bytes:
    """A stand-in for an older uv.mk release: another version, one line different, stamped."""
    text = SOURCE.replace(f"UVMK_VERSION := {vendor.version()}".encode(), b"UVMK_VERSION := ")
    text = text.replace(b"UVMK_VERSION := ", f"UVMK_VERSION := {version}".encode(), 1)
    return vendor.stamped(text.replace(b"UV_MIN_VERSION ?= 0.5.0", b"UV_MIN_VERSION ?= 0.4.0"))


def test_the_version_is_stated_once_by_uv_mk_and_everything_agrees(
    capsys: pytest.CaptureFixture[str],
) -> None:
    version = vendor.version()
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    assert SOURCE.splitlines()[0].startswith(f"# uv.mk {version} ".encode())
    assert SOURCE.count(b"\nUVMK_VERSION := ") == 1
    pyproject = tomlkit.parse((REPO / "pyproject.toml").read_text()).unwrap()
    assert pyproject["project"]["dynamic"] == ["version"]
    hatch = pyproject["tool"]["hatch"]["version"]
    assert hatch["path"] == "uv.mk"
    found = re.findall(hatch["pattern"], SOURCE.decode(), re.M)
    assert found == [version]
    with pytest.raises(SystemExit) as exit_:
        run(capsys, "--version")
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"uv-mk {version}\n"


def test_a_vendored_copy_is_the_source_plus_a_stamp_that_checks_it() -> None:
    copy = vendor.stamped(SOURCE)
    assert copy.splitlines()[0] == SOURCE.splitlines()[0]
    body, stamp = vendor.pristine(copy)
    assert body == SOURCE and stamp is not None
    assert vendor.stamped(copy) == copy  # restamping a copy changes nothing


def test_init_writes_uv_mk_and_a_minimal_makefile_then_a_second_run_changes_nothing(
    tmp_path: Path,
) -> None:
    done = vendor.init(tmp_path).done
    assert done == [
        f"wrote uv.mk ({vendor.version()})",
        "wrote Makefile (includes uv.mk; `make` shows help)",
    ]
    makefile = (tmp_path / "Makefile").read_text()
    assert ".DEFAULT_GOAL := help\n" in makefile and makefile.endswith("\ninclude uv.mk\n")
    assert vendor.pristine((tmp_path / "uv.mk").read_bytes()) == (
        SOURCE,
        vendor.pristine(vendor.stamped(SOURCE))[1],
    )
    before = checksums(tmp_path)
    assert vendor.init(tmp_path).done[0].startswith("nothing to do")
    assert checksums(tmp_path) == before


def test_init_appends_the_include_in_the_makefiles_own_line_endings(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_bytes(b"lint:\r\n\truff check .\r\n")
    vendor.init(tmp_path)
    text = (tmp_path / "Makefile").read_bytes()
    assert text.endswith(b"UVMK_SKIP_TARGETS := lint\r\ninclude uv.mk\r\n")
    assert b"\n" not in text.replace(b"\r\n", b"")


def test_init_refuses_another_release_already_there_and_points_at_update(tmp_path: Path) -> None:
    (tmp_path / "uv.mk").write_bytes(older_release())
    before = checksums(tmp_path)
    with pytest.raises(VendorError, match=r"\(0\.1\.0\).*`uv-mk update` replaces it"):
        vendor.init(tmp_path)
    assert checksums(tmp_path) == before


def test_update_replaces_an_unedited_older_release_and_shows_the_diff(tmp_path: Path) -> None:
    (tmp_path / "uv.mk").write_bytes(older_release())
    result = vendor.update(tmp_path)
    assert result.done == [f"updated uv.mk: 0.1.0 -> {vendor.version()}"]
    assert "--- a/uv.mk (0.1.0)" in result.diff
    assert "-UV_MIN_VERSION ?= 0.4.0\n+UV_MIN_VERSION ?= 0.5.0\n" in result.diff
    assert (tmp_path / "uv.mk").read_bytes() == vendor.stamped(SOURCE)
    assert vendor.update(tmp_path).done == [f"uv.mk is already {vendor.version()}: nothing to do"]


def test_update_names_the_hosts_own_targets_that_the_new_release_now_offers_too(
    tmp_path: Path,
) -> None:
    new_names = b" \\\n\tbuild publish version bump security ci pre-commit-install"
    assert new_names in SOURCE
    without_them = vendor.pristine(older_release())[0].replace(new_names, b"")
    (tmp_path / "uv.mk").write_bytes(vendor.stamped(without_them))
    (tmp_path / "Makefile").write_text(
        "UVMK_SKIP_TARGETS := ci\ninclude uv.mk\n\nbuild:\n\tdocker build .\nci: build\n"
    )
    result = vendor.update(tmp_path)
    assert result.done[1:] == [
        f"note: the Makefile has its own build, which uv.mk {vendor.version()} now also offers: "
        "add it to UVMK_SKIP_TARGETS (before the include), or make build also runs uv.mk's "
        "uv-build"
    ]


def test_update_refuses_local_edits_without_force_and_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edited = older_release().replace(b"VENV ?= .venv", b"VENV ?= .env")
    (tmp_path / "uv.mk").write_bytes(edited)
    r = run(capsys, "update", str(tmp_path))
    assert r.code == 2
    assert r.err.count("\n") == 1 and r.err.startswith("uv.mk: error: ")
    assert "has local edits" in r.err and "--force" in r.err
    assert "\n-VENV ?= .env\n" in r.out and "\n+VENV ?= .venv\n" in r.out  # for review
    assert (tmp_path / "uv.mk").read_bytes() == edited
    r = run(capsys, "update", str(tmp_path), "--force")
    assert r.code == 0, r.err
    assert (tmp_path / "uv.mk").read_bytes() == vendor.stamped(SOURCE)


def test_update_refuses_a_copy_without_stamp_because_an_edit_cannot_be_told(
    tmp_path: Path,
) -> None:
    hand_copy, _ = vendor.pristine(older_release())
    (tmp_path / "uv.mk").write_bytes(hand_copy)
    with pytest.raises(VendorError, match="no vendoring stamp") as refused:
        vendor.update(tmp_path)
    assert refused.value.diff.startswith("--- a/uv.mk (0.1.0)")
    assert (tmp_path / "uv.mk").read_bytes() == hand_copy
    # a hand copy of this very release is simply up to date
    (tmp_path / "uv.mk").write_bytes(SOURCE)
    assert vendor.update(tmp_path).done[0].endswith("nothing to do")
    assert (tmp_path / "uv.mk").read_bytes() == SOURCE


def test_update_refuses_to_go_back_from_a_newer_release(tmp_path: Path) -> None:
    (tmp_path / "uv.mk").write_bytes(older_release("99.0.0"))
    with pytest.raises(VendorError, match=r"99\.0\.0, newer than this uv-mk"):
        vendor.update(tmp_path)


def test_update_without_uv_mk_says_init(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = run(capsys, "update", str(tmp_path))
    assert r.code == 2
    assert r.err == f"uv.mk: error: no uv.mk in {tmp_path}: `uv-mk init` puts it there\n"


def test_the_launcher_beside_uv_mk_needs_exactly_what_the_package_declares() -> None:
    """scripts/uvmk_migrate.py (the engine beside uv.mk, run with `uv run --script`) and the
    wheel (the released engine) must run the same code with the same dependencies."""
    launcher = (REPO / "scripts" / "uvmk_migrate.py").read_text()
    header = re.search(r"^# dependencies = (\[.*\])$", launcher, re.M)
    assert header is not None
    pep723 = tomlkit.parse(f"d = {header.group(1)}").unwrap()["d"]
    pyproject = tomlkit.parse((REPO / "pyproject.toml").read_text()).unwrap()
    assert sorted(pep723) == sorted(pyproject["project"]["dependencies"])
    assert pyproject["project"]["scripts"] == {"uv-mk": "uvmk.cli:run"}


def test_the_launcher_runs_the_versions_the_suite_tests() -> None:
    """`uv run --script` follows scripts/uvmk_migrate.py.lock, so the engine beside uv.mk does not
    pick up a new release of its libraries on a fresh machine (tomlkit 0.15.3 changed how a
    repeated key is raised); pytest imports the engine from the dev environment (uv.lock): both
    must hold the same versions, or the two halves of the suite test different engines."""
    script_lock = tomlkit.parse((REPO / "scripts" / "uvmk_migrate.py.lock").read_text()).unwrap()
    dev_lock = tomlkit.parse((REPO / "uv.lock").read_text()).unwrap()
    dev = {p["name"]: p.get("version") for p in dev_lock["package"]}
    script = {p["name"]: p["version"] for p in script_lock["package"]}
    assert script, "the script lock lists no package"
    assert {name: dev.get(name) for name in script} == script
