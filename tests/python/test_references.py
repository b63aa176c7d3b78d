"""The readers of a requirements file are found anywhere in the repository, each at its
file:line, within bounds, and prose or other files of the same name are not mistaken for one."""

from __future__ import annotations

from pathlib import Path

import pytest

from uvmk.survey import readers as references
from uvmk.survey.tree import walk


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def readers_of(root: Path, rel: str) -> list[str]:
    return [str(r) for r in references.readers(references.scan(walk(root)), rel)]


READERS = {
    "docker/Dockerfile-prod": "FROM python:3.12\nCOPY requirements.txt /app/\n"
    "RUN pip install -r /app/requirements.txt\n",
    "infra/dockerfile.base": "FROM python:3.12\nRUN pip install -r deps/prod.pip\n",
    "container/builder.dockerfile": "FROM x\nCOPY requirements/ /src/requirements/\n"
    "RUN pip install -r /src/requirements/test.txt\n",
    "compose.yaml": "services:\n  web:\n    command: sh -c 'pip install -r requirements.txt'\n",
    ".readthedocs.yml": "version: 2\npython:\n  install:\n"
    "    - requirements: docs/requirements.txt\n",
    ".gitlab-ci.yml": "test:\n  script:\n    - pip install -r development.txt\n",
    ".circleci/config.yml": "jobs:\n  t:\n    steps:\n      - run: pip install -rlinting.txt\n",
    ".taskcluster.yml": "payload:\n  command: [pip install --requirement=development.txt]\n",
    "azure-pipelines.yml": "steps:\n- script: python -m pip install -r requirements.txt\n",
    "Jenkinsfile": "sh 'pip install -r requirements/test.txt'\n",
    "bitbucket-pipelines.yml": "script:\n  - pip install -r linting.txt\n",
    "tox.ini": "[testenv]\ndeps = -rdevelopment.txt\n",
    "noxfile.py": "def tests(session):\n    session.install('-r', 'requirements/test.txt')\n",
    "setup.py": "from setuptools import setup\nsetup(install_requires=open('requirements.txt')"
    ".read().splitlines())\n",
    "utils/lib.sh": '#!/bin/sh\npip install -r "$ROOT/deps/prod.pip"\n',
    "utils/makefile.include": "deps:\n\tpip install -r development.txt\n",
    "Procfile": "web: gunicorn app:app\n",
}


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        (
            "requirements.txt",
            [
                "azure-pipelines.yml:2",
                "compose.yaml:3",
                "docker/Dockerfile-prod:2",
                "docker/Dockerfile-prod:3",
                "setup.py:2",
            ],
        ),
        ("deps/prod.pip", ["infra/dockerfile.base:2", "utils/lib.sh:2"]),
        (
            "requirements/test.txt",
            ["Jenkinsfile:1", "container/builder.dockerfile:3", "noxfile.py:2"],
        ),
        ("docs/requirements.txt", [".readthedocs.yml:4"]),
        (
            "development.txt",
            [".gitlab-ci.yml:3", ".taskcluster.yml:2", "tox.ini:2", "utils/makefile.include:2"],
        ),
        ("linting.txt", [".circleci/config.yml:4", "bitbucket-pipelines.yml:2"]),
    ],
)
def test_every_kind_of_reader_is_found_in_any_folder(
    tmp_path: Path, rel: str, expected: list[str]
) -> None:
    root = write(tmp_path, READERS)
    write(root, {rel: "x==1\n"})
    assert sorted(readers_of(root, rel)) == sorted(expected)


def test_a_path_elsewhere_or_a_lookalike_name_is_not_a_reader(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "requirements.txt": "x==1\n",
            "docs/requirements.txt": "sphinx\n",
            ".readthedocs.yaml": "python:\n  install:\n    - requirements: docs/requirements.txt\n",
            "ci.sh": "pip install -r dev-requirements.txt\n# pip install -r requirements.txt\n",
            "notes.yml": "comment: see prod.txt for details\n",
            "requirements/prod.txt": "y==1\n",
        },
    )
    assert readers_of(root, "requirements.txt") == []
    assert readers_of(root, "docs/requirements.txt") == [".readthedocs.yaml:3"]
    assert readers_of(root, "requirements/prod.txt") == []  # a bare word, no pip -r


def test_docs_count_only_lines_that_pip_install_the_file(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "requirements-dev.txt": "pytest\n",
            "CONTRIBUTING.md": "The tools are in requirements-dev.txt.\n\n"
            "    pip install -r requirements-dev.txt\n",
            "docs/setup.rst": "Run ``python -m pip install -r requirements-dev.txt``.\n",
        },
    )
    found = references.readers(references.scan(walk(root)), "requirements-dev.txt")
    assert [(str(r), r.kind) for r in found] == [
        ("CONTRIBUTING.md:3", "docs"),
        ("docs/setup.rst:1", "docs"),
    ]


def test_venvs_vendored_trees_and_git_are_not_read(tmp_path: Path) -> None:
    line = "pip install -r requirements.txt\n"
    root = write(
        tmp_path,
        {
            "requirements.txt": "x\n",
            "node_modules/pkg/build.sh": line,
            "vendor/lib/install.sh": line,
            ".git/hooks/post-merge.sh": line,
            "env/pyvenv.cfg": "home = /usr/bin\n",
            "env/bin/setup.sh": line,
            "ok/run.sh": line,
        },
    )
    assert readers_of(root, "requirements.txt") == ["ok/run.sh:1"]
    scanned = [rel for rel, _ in references.scan(walk(root)).files]
    assert scanned == ["ok/run.sh"]


def test_the_scan_is_bounded_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(5):
        write(tmp_path, {f"s{i}/run.sh": "pip install -r requirements.txt\n"})
    write(tmp_path, {"big.sh": "#" * 2000})
    monkeypatch.setattr(references, "MAX_FILES", 3)
    monkeypatch.setattr(references, "MAX_BYTES", 1000)
    found = references.scan(walk(tmp_path))
    assert len(found.files) == 3 and found.truncated and found.too_big == ["big.sh"]
    summary = found.summary()
    assert "3 file(s)" in summary and "big.sh" in summary and "may be missed" in summary


def test_files_installed_by_reference_are_found_whatever_their_name(tmp_path: Path) -> None:
    root = write(tmp_path, READERS)
    write(
        root,
        {
            "development.txt": "pytest\n",
            "linting.txt": "flake8\n",
            "deps/prod.pip": "flask\n",
            "requirements/test.txt": "pytest\n",
            "docs/requirements.txt": "sphinx\n",
        },
    )
    found = dict(references.installed_files(references.scan(walk(root))))
    assert sorted(found) == [
        "deps/prod.pip",
        "development.txt",
        "docs/requirements.txt",
        "linting.txt",
        "requirements/test.txt",
    ]
    assert str(found["linting.txt"]) == "bitbucket-pipelines.yml:2"  # the first one read


def test_a_dockerfile_copying_by_glob_reads_every_file_it_matches(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "requirements-dev.txt": "pytest\n",
            "requirements/prod.txt": "flask\n",
            "Dockerfile": "FROM python:3.12\nCOPY requirements*.txt requirements/*.txt /app/\n",
        },
    )
    assert readers_of(root, "requirements-dev.txt") == ["Dockerfile:2"]
    assert readers_of(root, "requirements/prod.txt") == ["Dockerfile:2"]


def test_python_code_that_opens_the_file_by_name_is_a_reader(tmp_path: Path) -> None:
    """yolov5's check_requirements(ROOT / "requirements.txt"): the code reads the file."""
    root = write(
        tmp_path,
        {
            "requirements.txt": "x==1\n",
            "requirements-dev.txt": "pytest\n",
            "requirements/extra.txt": "y==1\n",
            "train.py": 'check_requirements(ROOT / "requirements.txt", exclude=("thop",))\n',
            "utils/deps.py": "with open('requirements-dev.txt') as f:\n    pass\n"
            'EXTRA = f"{ROOT}/requirements/extra.txt"\n',
            # a docstring or comment that names it, a string inside a string, a test's data
            "export.py": '"""Usage: pip install -r requirements.txt"""\n'
            "# see requirements-dev.txt\n"
            "op.execute(\"INSERT INTO blocklist (name) VALUES ('requirements.txt')\")\n",
            "tests/test_names.py": 'NAMES = ["requirements.txt"]\n',
            "test_upload.py": 'NAMES = ["requirements.txt"]\n',
        },
    )
    found = references.readers(references.scan(walk(root)), "requirements.txt")
    assert [(str(r), r.kind) for r in found] == [("train.py:1", "code")]
    assert readers_of(root, "requirements-dev.txt") == ["utils/deps.py:1"]
    assert readers_of(root, "requirements/extra.txt") == ["utils/deps.py:3"]


def test_python_files_have_a_budget_of_their_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many .py files naming nothing neither count against MAX_FILES nor hide a Dockerfile."""
    monkeypatch.setattr(references, "MAX_FILES", 3)
    files = {f"pkg/mod{i}.py": "x = 1\n" for i in range(20)}
    files["zz/Dockerfile"] = "RUN pip install -r requirements.txt\n"
    root = write(tmp_path, {"requirements.txt": "x==1\n", **files})
    found = references.scan(walk(root))
    assert not found.truncated
    assert readers_of(root, "requirements.txt") == ["zz/Dockerfile:1"]


def test_a_name_computed_when_the_line_runs_reads_every_file_its_pattern_matches(
    tmp_path: Path,
) -> None:
    root = write(
        tmp_path,
        {
            "requirements.in": "six\n",
            "requirements/prod.txt": "six==1.16.0\n",
            "requirements/test.txt": "six==1.16.0\n",
            "docs/requirements.txt": "sphinx\n",
            "notes.txt": "",
            "Makefile": "lock:\n\tpip-compile --upgrade -o requirements.txt\n",
            "Dockerfile": "FROM python:3.11\nRUN pip install -r /app/requirements/$ENV.txt\n",
            ".github/workflows/ci.yml": (
                "jobs:\n  t:\n    steps:\n"
                "      - run: pip install -r requirements/${{ matrix.req }}.txt\n"
            ),
            "scripts/tidy.sh": '#!/bin/sh\nfor f in a b; do cp "$f.txt" /tmp; done\n',
            "requirements/update.sh": 'for file in *.in\ndo\n  pip-compile -U "$file"\ndone\n',
            "requirements/base.in": "six\n",
        },
    )
    # a bare pip-compile; the loop over *.in in requirements/ may run from the root too
    assert readers_of(root, "requirements.in") == ["Makefile:2", "requirements/update.sh:1"]
    assert sorted(readers_of(root, "requirements/prod.txt")) == [
        ".github/workflows/ci.yml:4",
        "Dockerfile:2",
    ]
    assert readers_of(root, "docs/requirements.txt") == []
    assert readers_of(root, "notes.txt") == []  # a cp of "$f.txt" is no pip reading it
    assert readers_of(root, "requirements/base.in") == ["requirements/update.sh:1"]  # a loop
