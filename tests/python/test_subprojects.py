"""Folders below the root that are not the root project's dependencies: a service of a monorepo
(services/api/ with its requirements.txt and code), a package of its own (pkg_a/pyproject.toml),
a Docker image's own requirements (kubernetes/requirements.txt beside its Dockerfile, no code).
A project of its own nothing uses is seen and refused by name (WORKSPACE=1 makes them a
workspace), or kept as it is with SUBPROJECTS=keep or the root's files named; an image's file is
kept as written and said."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import tomlkit

from test_migrate_helpers import REPO, UV_MK, checksums, run

SHAPES = REPO / "tests" / "fixtures" / "subprojects"


def committed(shape: str, tmp_path: Path) -> Path:
    root = tmp_path / shape
    subprocess.run(["cp", "-r", str(SHAPES / shape), str(root)], check=True)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "legacy"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True
        )
    return root


def apply(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> tuple[int, str, str]:
    r = run(capsys, "migrate", "--root", str(root), "--apply", "--uv-mk", str(UV_MK), *extra)
    return r.code, r.out, r.err


def pyproject(root: Path) -> dict[str, object]:
    doc: dict[str, object] = tomlkit.parse((root / "pyproject.toml").read_text()).unwrap()
    return doc


def test_a_services_monorepo_is_refused_naming_each_service_root(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed("services-monorepo", tmp_path)
    before = checksums(root)
    audit = run(capsys, "audit", "--root", str(root))
    assert audit.code == 1
    for rel in ("services/api/requirements.txt:1", "services/worker/requirements.txt:1"):
        assert rel in audit.out
    preview = run(capsys, "migrate", "--root", str(root))
    assert preview.code != 0 or "APPLY=1 will refuse" in preview.out
    assert "dependency-groups.api" not in preview.out
    code, _, err = apply(capsys, root)
    assert code == 2
    line = err.strip()
    assert "\n" not in line and line.startswith("uv.mk: error: ")
    for where in (
        "services/api/requirements.txt:1",
        "services/worker/requirements.txt:1",
        "libs/common/pyproject.toml:1",
    ):
        assert where in line
    assert "SUBPROJECTS=keep" in line and "ROOT=services/api" in line
    assert checksums(root) == before


def test_subprojects_keep_migrates_the_root_alone_and_leaves_each_service_as_it_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed("services-monorepo", tmp_path)
    services = {k: v for k, v in checksums(root).items() if k.startswith(("services/", "libs/"))}
    code, out, err = apply(capsys, root, "--subprojects", "keep")
    assert code == 0, err
    doc = pyproject(root)
    assert doc["dependency-groups"] == {"dev": ["pytest==8.3.3"]}
    assert doc["project"]["dependencies"] == []  # type: ignore[index]
    after = checksums(root)
    assert {k: after[k] for k in services} == services
    assert "services/api/ is a project of its own" in out
    # the host's install target installs the services' files: it stays (uv.mk's would not)
    makefile = (root / "Makefile").read_text()
    assert "pip install -r services/api/requirements.txt" in makefile
    assert "UVMK_SKIP_TARGETS" in makefile and "install" in makefile.split("UVMK_SKIP")[1]
    # a recipe that runs a kept service runs it as before, not in the root's .venv
    assert "\tcd services/api && python main.py\n" in makefile


def test_root_services_api_migrates_that_folder_and_keeps_what_the_root_makefile_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    top = committed("services-monorepo", tmp_path)
    api = top / "services" / "api"
    preview = run(capsys, "migrate", "--root", str(api), "--uv-mk", str(UV_MK))
    # the root Makefile (outside ROOT) and the folder's Dockerfile still install it
    assert "still read by Dockerfile:3, Dockerfile:4, ../../Makefile:2" in preview.out
    code, out, err = apply(capsys, api)
    assert code == 0, err
    doc = pyproject(api)
    assert doc["project"]["dependencies"] == ["fastapi==0.110.0", "uvicorn==0.29.0"]  # type: ignore[index]
    assert "regenerated requirements.txt from uv.lock" in out
    assert "fastapi==0.110.0" in (api / "requirements.txt").read_text()
    assert (top / "services" / "worker" / "requirements.txt").read_text() == "celery==5.3.6\n"


def test_naming_the_root_file_migrates_the_root_alone_beside_a_serverless_function(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed("root-and-function", tmp_path)
    code, _, err = apply(capsys, root)
    assert code == 2 and "functions/hook/requirements.txt:1" in err
    code, out, err = apply(capsys, root, "--requirements", "requirements.txt")
    assert code == 0, err
    assert pyproject(root)["project"]["dependencies"] == ["flask==3.0.3"]  # type: ignore[index]
    assert (root / "functions/hook/requirements.txt").read_text() == "boto3==1.34.0\n"
    assert "functions/hook/ is a project of its own" in out


def test_a_package_below_a_tool_only_root_is_seen_and_docs_requirements_are_the_docs_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed("tool-root-subpackage", tmp_path)
    before = checksums(root)
    code, _, err = apply(capsys, root)
    assert code == 2 and "pkg_a/pyproject.toml:1" in err
    assert checksums(root) == before
    code, out, err = apply(capsys, root, "--subprojects", "keep")
    assert code == 0, err
    doc = pyproject(root)
    assert doc["project"]["dependencies"] == []  # type: ignore[index]
    assert doc["dependency-groups"] == {"docs": ["sphinx==7.2.6"]}
    assert checksums(root)["pkg_a/pyproject.toml"] == before["pkg_a/pyproject.toml"]
    assert "pkg_a/ is a project of its own" in out


def test_a_docker_only_folder_is_kept_as_written_and_the_migration_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = committed("docker-folder", tmp_path)
    code, out, err = apply(capsys, root)
    assert code == 0, err
    assert pyproject(root)["project"]["dependencies"] == ["flask==3.0.3"]  # type: ignore[index]
    assert "dependency-groups" not in pyproject(root)
    assert (root / "kubernetes/requirements.txt").read_text() == "gunicorn==22.0.0\n"
    assert "kubernetes/requirements.txt" in out and "kept as written" in out


def test_members_of_a_uv_workspace_and_path_dependencies_are_the_roots_own(tmp_path: Path) -> None:
    from uvmk import elsewhere
    from uvmk.survey.tree import walk

    for folder in ("packages/a", "packages/b", "lib", "tools/x"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "pyproject.toml").write_text('[project]\nname = "x"\n')
    members = (["packages/*"], ["packages/b"])
    found = elsewhere.find(
        walk(tmp_path.resolve()), set(), root_texts=["-e ./lib\n"], members=members
    )
    assert {u.path: u.blocks_apply for u in found} == {
        "packages/b/pyproject.toml": True,  # excluded from the workspace
        "tools/x/pyproject.toml": True,
    }
    # a name is not a path: `kubernetes` is a package the root may depend on
    (tmp_path / "kubernetes").mkdir()
    (tmp_path / "kubernetes" / "requirements.txt").write_text("checkov==3.3.13\n")
    (tmp_path / "kubernetes" / "Dockerfile").write_text("COPY requirements.txt /r.txt\n")
    found = elsewhere.find(
        walk(tmp_path.resolve()), set(), root_texts=['install_requires=["kubernetes"]']
    )
    image = next(u for u in found if u.path == "kubernetes/requirements.txt")
    assert not image.blocks_apply and image.kept and "kept as written" in image.why


def test_a_lone_folder_without_code_beside_a_tool_only_root_is_not_the_runtime(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """site/requirements.txt (mkdocs, installed by a Makefile target) next to pkg_a/: the root
    has no code of its own, so that file is no runtime of it (it was: mkdocs in [project])."""
    shape = tmp_path / "shape"
    subprocess.run(["cp", "-r", str(SHAPES / "tool-root-subpackage"), str(shape)], check=True)
    (shape / "docs").rename(shape / "site")
    (shape / "Makefile").write_text("site:\n\tpip install -r site/requirements.txt\n")
    root = shape
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "legacy"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True
        )
    code, _, err = apply(capsys, root, "--subprojects", "keep")
    assert code == 0, err
    assert pyproject(root)["project"]["dependencies"] == []  # type: ignore[index]
    assert (root / "site/requirements.txt").read_text() == "sphinx==7.2.6\n"
