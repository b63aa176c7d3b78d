"""The Dockerfile rewriter on each shape (tests/fixtures/docker/): what it rewrites is parsed by
a real Dockerfile parser (dockerfile-parse) and its RUN steps run for real (dockerfile_run.py:
no docker daemon here), so `uv sync --locked` and the CMD's interpreter are exercised; what it
cannot rewrite safely stays byte-identical and comes back as a reader left, with the reason."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from dockerfile_run import StageRun, build, parse, run_command
from test_migrate_helpers import UV_MK, git_copy, run
from uvmk.rewriters.readers.dockerfile import Context, DockerfileRewrite, rewrite_dockerfile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "docker"
SELECTIONS = {
    "requirements.txt": ["--no-default-groups"],
    "requirements-dev.txt": ["--no-default-groups", "--group", "dev"],
}


def _context(**changes: object) -> Context:
    fields: dict[str, object] = {
        "path": "Dockerfile",
        "selections": SELECTIONS,
        "uv_version": "0.13.9",
        "python_version": "3.11",
        "requires_python": ">=3.10",
    }
    fields.update(changes)
    return Context(**fields)  # type: ignore[arg-type]


def _locked_copy(tmp_path: Path, shape: str, name: str = "") -> Path:
    """A copy of the fixture (named `name`, else as the shape), locked by this machine's uv."""
    repo = tmp_path / (name or shape)
    shutil.copytree(FIXTURES / shape, repo)
    subprocess.run(["uv", "lock", "--quiet"], cwd=repo, check=True, timeout=120)
    return repo


def _rewritten(shape: str, tmp_path: Path, **changes: object) -> tuple[Path, DockerfileRewrite]:
    """A locked copy of the fixture and its Dockerfile's rewrite."""
    repo = _locked_copy(tmp_path, shape)
    return repo, rewrite_dockerfile((repo / "Dockerfile").read_text(), _context(**changes))


def _instructions(text: str) -> list[tuple[str, str]]:
    return [(i["instruction"], i["value"]) for i in parse(text)]


def _runs(text: str) -> list[str]:
    """The RUN steps' commands, in order."""
    return [value for kind, value in _instructions(text) if kind == "RUN"]


@dataclass(frozen=True)
class _Ran:
    root: Path  # the scratch image's /
    program: Path  # what its command's program resolved to
    out: str


def _root(image: StageRun) -> Path:
    return Path(image.env["__ROOT__"])


def _run_image(repo: Path, text: str, scratch: Path, target: str | None = None) -> _Ran:
    """The image `text` builds from `repo` (its RUN steps run for real), and its command run."""
    image = build(repo, text, scratch, target=target)
    program, out = run_command(image)
    return _Ran(_root(image), Path(program), out)


def test_a_single_stage_image_syncs_uv_lock_into_the_system_python_it_ran(tmp_path: Path) -> None:
    repo, done = _rewritten("single-stage", tmp_path)
    assert done.changed and done.readers_left == ()
    steps = _instructions(done.new_text)
    assert ("COPY", "--from=ghcr.io/astral-sh/uv:0.13.9 /uv /uvx /bin/") in steps
    assert ("COPY", "pyproject.toml uv.lock .python-version ./") in steps
    assert not any("requirements" in value for _, value in steps)
    env = next(v for k, v in steps if k == "ENV" and "UV_" in v)
    assert "UV_PROJECT_ENVIRONMENT=/usr/local" in env and "UV_LINK_MODE=copy" in env
    run = next(v for v in _runs(done.new_text) if "uv sync" in v)
    assert run.startswith("--mount=type=cache,target=/root/.cache/uv")
    assert "uv sync --locked --inexact --no-install-project --no-default-groups" in run
    # the dependencies are synced before the source is copied (the layer cache)
    kinds = [(k, v) for k, v in steps]
    assert kinds.index(("COPY", ". .")) > kinds.index(next(s for s in kinds if "uv sync" in s[1]))

    (repo / "Dockerfile").write_text(done.new_text)
    ran = _run_image(repo, done.new_text, tmp_path / "scratch")
    usr_local = ran.root / "usr" / "local"
    assert ran.program.parent == usr_local / "bin", "CMD's python is the image's /usr/local"
    assert "app ok" in ran.out and str(usr_local) in ran.out
    # a console script lands where pip put it: /usr/local/bin
    assert (usr_local / "bin" / "pyflakes").is_file()
    assert not (usr_local / "lib" / "python3.11" / "site-packages" / "iniconfig").exists()


def test_a_builder_venv_is_where_uv_syncs_and_the_final_stage_copies_it(tmp_path: Path) -> None:
    repo, done = _rewritten("builder-venv", tmp_path)
    assert done.changed and done.readers_left == ()
    steps = _instructions(done.new_text)
    envs = [v for k, v in steps if k == "ENV" and "UV_PROJECT_ENVIRONMENT" in v]
    assert len(envs) == 1 and "UV_PROJECT_ENVIRONMENT=/opt/venv" in envs[0]
    # the dev stage builds FROM builder: uv and its settings are inherited, not copied twice
    assert sum("astral-sh/uv" in v for _, v in steps) == 1
    dev = next(v for v in _runs(done.new_text) if "--group dev" in v)
    assert "uv sync --locked --inexact --no-install-project --no-default-groups --group dev" in dev

    runtime = _run_image(repo, done.new_text, tmp_path / "runtime", target="runtime")
    venv = runtime.root / "opt" / "venv"
    assert runtime.program.parent == venv / "bin" and "app ok" in runtime.out
    assert str(venv) in runtime.out
    assert not list((venv / "lib").glob("python*/site-packages/iniconfig"))
    dev_image = build(repo, done.new_text, tmp_path / "dev", target="dev")
    dev_venv = _root(dev_image) / "opt" / "venv"
    assert list((dev_venv / "lib").glob("python*/site-packages/iniconfig"))


def test_alpine_with_its_own_python_installs_the_locked_export_into_that_python(
    tmp_path: Path,
) -> None:
    repo, done = _rewritten("alpine", tmp_path)
    assert done.changed and done.readers_left == ()
    run = next(v for v in _runs(done.new_text) if "uv " in v)
    assert "uv export --locked" in run and "uv pip install --system --break-system-packages" in run
    assert "UV_PROJECT_ENVIRONMENT" not in done.new_text
    # apk's Python says no version: .python-version is not copied, and that is said
    assert any(".python-version (3.11) not copied" in n for _, n in done.notes)

    ran = _run_image(repo, done.new_text, tmp_path / "scratch")
    usr = ran.root / "usr"
    assert ran.program.parent == usr / "bin" and "app ok" in ran.out and str(usr) in ran.out


@pytest.mark.parametrize(
    ("shape", "why"),
    [
        ("pip-user", "Dockerfile:3 installs into the user's site-packages (--user)"),
        ("arg-chosen", "Dockerfile:5 a build argument chooses the file (${REQUIREMENTS})"),
    ],
)
def test_a_step_it_cannot_rewrite_safely_stays_as_written_and_is_said(shape: str, why: str) -> None:
    text = (FIXTURES / shape / "Dockerfile").read_text()
    done = rewrite_dockerfile(text, _context())
    assert (done.changed, done.new_text) == (False, text)
    assert len(done.readers_left) == 1 and done.readers_left[0].startswith(why)


def test_a_base_image_whose_python_differs_from_python_version_is_said() -> None:
    original = (FIXTURES / "single-stage" / "Dockerfile").read_text()
    done = rewrite_dockerfile(original.replace("3.11-slim", "3.10-slim"), _context())
    assert done.changed
    assert "COPY pyproject.toml uv.lock ./" in done.new_text
    assert any(
        "not copied into the image: FROM python:3.10-slim runs Python 3.10" in n
        for _, n in done.notes
    )
    old = original.replace("3.11-slim", "3.9-slim")
    left = rewrite_dockerfile(old, _context())
    assert not left.changed
    assert "outside requires-python >=3.10" in left.readers_left[0]


def test_a_non_root_user_s_venv_syncs_without_root_s_cache_and_pip_s_cache_mount_goes() -> None:
    text = (
        "FROM python:3.11-alpine\n"
        "RUN adduser -D app\nWORKDIR /home/app\nUSER app\nCOPY --chown=app:app . .\n"
        "ENV VIRTUAL_ENV=/home/app/venv\nRUN python -m venv $VIRTUAL_ENV\n"
        'ENV PATH="$VIRTUAL_ENV/bin:$PATH"\n'
        "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n"
    )
    done = rewrite_dockerfile(text, _context())
    run = _runs(done.new_text)[-1]
    assert "UV_PROJECT_ENVIRONMENT=/home/app/venv" in done.new_text
    assert run == "uv sync --locked --inexact --no-install-project --no-default-groups --no-cache"
    # the whole context was copied already: no COPY of the project's files is added
    assert "COPY pyproject.toml" not in done.new_text


def test_one_link_it_cannot_rewrite_leaves_the_whole_step_and_adds_nothing() -> None:
    text = (
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt requirements-dev.txt ./\n"
        "RUN pip install -r requirements.txt && pip install -r requirements-dev.txt --pre\n"
    )
    done = rewrite_dockerfile(text, _context())
    assert (done.changed, done.new_text) == (False, text)
    assert done.readers_left == ("Dockerfile:4 allows pre-releases (--pre)",)


def test_a_copy_a_kept_step_still_reads_keeps_that_file() -> None:
    text = (
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt requirements-dev.txt ./\n"
        "RUN pip install -r requirements.txt\n"
        "RUN pip install -c constraints.txt -r requirements-dev.txt\n"
    )
    done = rewrite_dockerfile(text, _context())
    steps = _instructions(done.new_text)
    assert ("COPY", "requirements-dev.txt ./") in steps
    assert ("COPY", "pyproject.toml uv.lock .python-version ./") in steps
    assert done.readers_left == (
        "Dockerfile:5 applies a constraints file (-c) uv.lock does not record",
    )


def test_an_image_naming_its_python_in_its_tag_is_checked_against_requires_python() -> None:
    text = (
        "FROM tiangolo/uvicorn-gunicorn:python3.9-slim\n"
        "COPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    )
    done = rewrite_dockerfile(text, _context())
    assert not done.changed
    assert "the image's Python 3.9" in done.readers_left[0]
    ok = rewrite_dockerfile(text.replace("3.9", "3.11"), _context())
    # its Python is its own, not the official image's /usr/local: the --system form
    assert ok.changed and "uv pip install --system" in ok.new_text


def test_rewrite_docker_moves_the_image_to_uv_lock_and_drops_the_file_only_it_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The migration with REWRITE=docker: Dockerfile's step syncs uv.lock, so requirements.txt
    (read by nothing else) is deleted; docker/dev.Dockerfile's --user step stays, and the
    requirements-dev.txt it reads is regenerated from uv.lock. The preview said both first."""
    root = git_copy(FIXTURES / "legacy-app", tmp_path / "legacy-app")
    preview = run(capsys, "migrate", "--root", str(root), "--uv-mk", str(UV_MK))
    assert preview.code == 0, preview.err
    assert "[docker] Dockerfile:8: would rewrite: pip install -r requirements.txt → uv sync" in (
        preview.out
    )
    assert "[docker] docker/dev.Dockerfile:5: left: installs into the user's site-packages" in (
        preview.out
    )
    assert "export  requirements.txt" in preview.out  # without REWRITE, its reader stays

    done = run(
        capsys, "migrate", "--root", str(root), "--uv-mk", str(UV_MK), "--rewrite", "docker",
        "--apply",
    )  # fmt: skip
    assert done.code == 0, done.err
    assert not (root / "requirements.txt").exists()
    assert "uv export" in (root / "requirements-dev.txt").read_text()
    dev = (root / "docker" / "dev.Dockerfile").read_text()
    assert dev == (FIXTURES / "legacy-app" / "docker" / "dev.Dockerfile").read_text()
    text = (root / "Dockerfile").read_text()
    assert "requirements" not in text and "COPY pyproject.toml uv.lock .python-version ./" in text
    ran = _run_image(root, text, tmp_path / "scratch")
    assert ran.program.parent == ran.root / "usr" / "local" / "bin" and "app ok" in ran.out

    # uv-verify looks at both Dockerfiles; a move to uv made by hand that syncs into .venv
    # while the CMD runs /usr/local's python fails it, at its line
    from uvmk import verify

    def dockerfiles() -> verify.Check:
        found = verify.checks(root, uv="uv", uv_mk=UV_MK, keep_requirements=False, quick=True)
        return next(c for c in found if c.name == "Dockerfiles")

    assert dockerfiles().ok
    (root / "Dockerfile").write_text(
        text.replace("UV_PROJECT_ENVIRONMENT=/usr/local", "UV_NO_PROGRESS=1")
    )
    broken = dockerfiles()
    assert not broken.ok and "Dockerfile:13: uv sync installs into /app/.venv" in broken.reason


def test_dockerignore_decides_what_the_image_can_be_given() -> None:
    text = (FIXTURES / "single-stage" / "Dockerfile").read_text()
    lock_out = rewrite_dockerfile(text, _context(dockerignore="*.lock\n"))
    assert not lock_out.changed
    assert lock_out.readers_left == (
        "Dockerfile:8 .dockerignore leaves uv.lock out of the build context",
    )
    # an allow-list that lets the project files back in; .python-version stays out
    allowed = "*\n!requirements*.txt\n!pyproject.toml\n!uv.lock\n!app.py\n"
    done = rewrite_dockerfile(text, _context(dockerignore=allowed))
    assert done.changed and "COPY pyproject.toml uv.lock ./" in done.new_text


def test_a_whole_context_copy_brings_python_version_along_and_a_mismatch_is_left() -> None:
    text = (
        "FROM python:3.10-slim\nWORKDIR /app\nCOPY . .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nCMD python app.py\n"
    )
    done = rewrite_dockerfile(text, _context())
    assert not done.changed
    assert (
        "the .python-version its COPY of the build context brings asks for 3.11"
        in (done.readers_left[0])
    )
    same = rewrite_dockerfile(text.replace("3.10", "3.11"), _context())
    assert same.changed and "COPY pyproject.toml" not in same.new_text


def test_uv_verify_s_dockerfile_check_finds_what_a_hand_made_move_breaks() -> None:
    from uvmk.rewriters.readers.dockerfile.check import problems

    for shape in ("single-stage", "builder-venv", "alpine"):
        text = (FIXTURES / shape / "Dockerfile").read_text()
        assert (
            problems("Dockerfile", rewrite_dockerfile(text, _context()).new_text, "==0.13.9") == []
        )
    by_hand = (
        "FROM python:3.12-slim\nCOPY --from=ghcr.io/astral-sh/uv:latest /uv /bin/\n"
        'WORKDIR /app\nCOPY . .\nRUN uv sync --frozen --no-dev\nCMD ["python", "-m", "app"]\n'
    )
    assert problems("Dockerfile", by_hand, ">=0.5") == [
        "Dockerfile:2: uv is copied from ghcr.io/astral-sh/uv:latest: pin a version",
        "Dockerfile:5: --frozen checks nothing about uv.lock: use --locked",
        "Dockerfile:5: uv sync installs into /app/.venv, but the command at line 6 runs a Python "
        "from PATH that does not see it: set UV_PROJECT_ENVIRONMENT (the image's /usr/local, or "
        "the venv), or put .venv/bin first on PATH",
    ]
    old_uv = by_hand.replace("uv:latest", "uv:0.4.30")
    assert "Dockerfile:2: uv 0.4.30 is outside the repo's required-version >=0.5" in problems(
        "Dockerfile", old_uv, ">=0.5"
    )
    on_path = by_hand.replace("WORKDIR /app\n", 'WORKDIR /app\nENV PATH="/app/.venv/bin:$PATH"\n')
    assert not any(".venv, but" in p for p in problems("Dockerfile", on_path, None))


def test_packages_named_beside_the_file_are_still_pip_installed_after_the_sync(
    tmp_path: Path,
) -> None:
    repo = _locked_copy(tmp_path, "single-stage", "beside")
    text = (
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt iniconfig==2.0.0\n"
        'COPY . .\nCMD ["python", "-c", "import iniconfig, six; print(\'app ok\')"]\n'
    )
    done = rewrite_dockerfile(text, _context())
    assert _runs(done.new_text)[-1].endswith(
        "uv sync --locked --inexact --no-install-project --no-default-groups"
        "     && pip install --no-cache-dir iniconfig==2.0.0"
    )
    ran = _run_image(repo, done.new_text, tmp_path / "scratch")
    assert "app ok" in ran.out, ran.out


def test_instructions_are_read_as_buildkit_reads_them() -> None:
    """Continuations (a comment inside one dropped), the `# escape=` directive, a heredoc's
    body taken with its RUN: each instruction spans the lines a rewrite may replace."""
    from uvmk.rewriters.readers.dockerfile.instructions import instructions

    text = (
        "# escape=`\nFROM python:3.11\nRUN pip install `\n# a comment inside\n"
        "    -r requirements.txt\nRUN <<EOF\npip install -r requirements.txt\nEOF\nCMD x\n"
    )
    found = [(i.keyword, i.start, i.end, i.body) for i in instructions(text)]
    assert found == [
        ("FROM", 1, 2, "python:3.11"),
        ("RUN", 2, 5, "pip install -r requirements.txt"),
        ("RUN", 5, 8, "<<EOF"),
        ("CMD", 8, 9, "x"),
    ]
    # a heredoc RUN is left and said, never half-rewritten
    heredoc = "FROM python:3.11\nCOPY requirements.txt .\n" + "\n".join(text.splitlines()[5:])
    done = rewrite_dockerfile(heredoc + "\n", _context())
    assert not done.changed
    assert done.readers_left == (
        "Dockerfile:3 a RUN in a heredoc, whose pip step the rewrite does not take apart",
    )


def test_an_exec_form_run_is_left_and_said() -> None:
    text = (
        'FROM python:3.11\nCOPY requirements.txt .\nRUN ["pip", "install", "-r", '
        '"requirements.txt"]\n'
    )
    done = rewrite_dockerfile(text, _context())
    assert not done.changed
    assert done.readers_left == (
        "Dockerfile:3 a RUN in the exec (JSON) form, whose pip step the rewrite does not take "
        "apart",
    )


def test_a_builder_s_prefix_install_stays_a_prefix_install_the_final_stage_copies(
    tmp_path: Path,
) -> None:
    repo = _locked_copy(tmp_path, "single-stage", "prefix")
    text = (
        "FROM python:3.11-slim AS builder\nWORKDIR /build\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir --prefix=/install -r requirements.txt\n\n"
        "FROM python:3.11-slim\nCOPY --from=builder /install /usr/local\nWORKDIR /app\n"
        'COPY app.py .\nCMD ["python", "app.py"]\n'
    )
    done = rewrite_dockerfile(text, _context())
    run_step = _runs(done.new_text)[0]
    assert "uv export --locked" in run_step
    assert "uv pip install --system --prefix /install -r /tmp/uv-requirements.txt" in run_step
    ran = _run_image(repo, done.new_text, tmp_path / "scratch")
    assert "app ok" in ran.out, ran.out
    assert (ran.root / "install" / "bin" / "pyflakes").is_file()


def test_a_requirements_file_a_later_stage_copies_out_by_path_stays_copied() -> None:
    text = (
        "FROM python:3.11-slim AS builder\nWORKDIR /app\nCOPY requirements.txt .\n"
        "RUN pip install -r requirements.txt\n\nFROM python:3.11-slim\n"
        "COPY --from=builder /app/requirements.txt /srv/requirements.txt\n"
    )
    done = rewrite_dockerfile(text, _context())
    steps = _instructions(done.new_text)
    assert done.changed
    assert ("COPY", "requirements.txt .") in steps  # the final stage's COPY --from needs it
    assert ("COPY", "pyproject.toml uv.lock .python-version ./") in steps


def test_pip_wheel_builds_the_wheels_of_the_locked_export_the_final_stage_installs(
    tmp_path: Path,
) -> None:
    repo, done = _rewritten("pip-wheel", tmp_path)
    assert done.changed and done.readers_left == ()
    run_step = _runs(done.new_text)[0]
    assert "uv export --locked --format requirements.txt --no-default-groups" in run_step
    assert "pip wheel --no-cache-dir --wheel-dir /wheels -r /tmp/uv-requirements.txt" in run_step
    # the final stage's `pip install /wheels/*` installs exactly the locked versions
    wheels = build(repo, done.new_text, tmp_path / "wheels", target="wheels")
    built = sorted(p.name for p in (_root(wheels) / "wheels").glob("*.whl"))
    assert built == ["pyflakes-3.2.0-py2.py3-none-any.whl", "six-1.17.0-py2.py3-none-any.whl"]


@pytest.mark.parametrize("copy", ["requirements/ /requirements/", "requirements /requirements"])
def test_a_copied_folder_brings_the_requirements_files_below_it(copy: str) -> None:
    """wagtail/bakerydemo: `COPY requirements/ /requirements/` then `pip install -r
    /requirements/production.txt`; a folder's contents land in the destination, so the step is
    the one a COPY of the file itself makes (it was left: "no COPY of this stage brings it")."""
    selections = {"requirements/base.txt": ["--no-default-groups"]}
    selections["requirements/production.txt"] = ["--no-default-groups"]
    run_line = "RUN pip install -r /requirements/production.txt\n"
    head = "FROM python:3.11-slim\nWORKDIR /app\n"
    by_folder = rewrite_dockerfile(
        f"{head}COPY {copy}\n{run_line}", _context(selections=selections)
    )
    by_file = rewrite_dockerfile(
        f"{head}COPY requirements/production.txt /requirements/production.txt\n{run_line}",
        _context(selections=selections),
    )
    assert by_folder.readers_left == ()
    assert by_folder.changed and by_folder.new_text == by_file.new_text
