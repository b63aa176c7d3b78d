"""Requirements that name a place instead of a version: local paths, git, URLs.

Each becomes a package name plus a [tool.uv.sources] entry, with the notes that say so. Paths
are written relative to the repo root (an absolute path only works on one machine and is
refused), credentials never leave the requirements file, and an editable git checkout, which uv
cannot install, becomes a plain git source with a note giving the alternative.
"""

from __future__ import annotations

import configparser
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)

from uvmk.diagnostics import Where
from uvmk.sources.pip.grammar import (
    Note,
    ReqLine,
    RequirementsError,
    env_vars_in,
    redact,
    relative_posix,
    toml_text,
)
from uvmk.sources.pip.options import CleanUrl, strip_credentials
from uvmk.survey.model import SurveyError
from uvmk.survey.pyproject_text import parse_pyproject
from uvmk.survey.text_files import read_text

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_HASH_KEYS = ("sha256", "sha384", "sha512", "md5")


@dataclass(frozen=True)
class Located:
    name: str  # as written (or as the local project names itself)
    source: dict[str, Any]  # the [tool.uv.sources] entry
    notes: tuple[Note, ...]


def is_local(link: str) -> bool:
    return _written_path(link) is not None


# `simcore-models-library @ ../../packages/models-library`: pip takes a path after `name @`
_NAMED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*@\s*(?=[.~/\w])")


def _written_path(link: str) -> str | None:
    """The path a local requirement names (a plain path or a file: URL, maybe after `name @`),
    else None."""
    link = _NAMED.sub("", link, count=1)
    if link.lower().startswith("file:"):
        return unquote(urlsplit(link).path).split("#", 1)[0]
    if _SCHEME.match(link):
        return None
    return link.split("#", 1)[0]


def absolute_path_of(line: ReqLine) -> str | None:
    """The absolute local path a path or file: requirement points to, else None."""
    written = _written_path(line.link) if line.link else None
    return written if written and os.path.isabs(written) else None


def local_path(root: Path, line: ReqLine) -> Path | None:
    """Where a path requirement points (None for other requirements). pip resolves it from where
    it runs, the repo root; a path that only exists next to the requirements file is taken from
    there. Absolute and missing paths are refused."""
    written = _written_path(line.link) if line.link else None
    if written is None:
        return None
    if os.path.isabs(written):
        raise RequirementsError(
            f"`{redact(line.text)}` is an absolute path, which only works on one machine: "
            f"write it relative to the repo root ({line.where})"
        )
    file_dir = root / PurePosixPath(line.where.path).parent
    for base in (root, file_dir):
        candidate = base / written
        if candidate.exists():
            return candidate
    raise RequirementsError(f"`{redact(line.text)}`: path {written} does not exist ({line.where})")


def path_source(root: Path, line: ReqLine) -> Located:
    path = local_path(root, line)
    assert path is not None
    rel = relative_posix(root, path)
    try:
        name = line.name or package_name_at(path, root)
    except SurveyError as exc:  # its pyproject/setup.cfg/setup.py cannot be read
        raise RequirementsError(f"`{redact(line.text)}` ({line.where}): {exc}") from None
    if name is None:
        raise RequirementsError(
            f"cannot tell the package name of {rel}; write `-e {rel}#egg=<name>` ({line.where})"
        )
    source: dict[str, Any] = {"path": rel}
    if line.editable:
        source["editable"] = True
    return Located(name, source, (_source_note("path-source", line, name, source),))


def git_source(line: ReqLine) -> Located:
    assert line.link is not None
    url, _, fragment = line.link[4:].partition("#")
    clean = _git_url_without_secrets(url, line.where)
    parts = urlsplit(clean.url)
    path, rev = parts.path, None
    if "@" in path:
        path, rev = path.rsplit("@", 1)
    repo = urlunsplit(parts._replace(path=path))
    params = _fragment(fragment)
    name = line.name or params.get("egg")
    if not name:
        raise RequirementsError(
            f"cannot tell the package name of `{redact(line.text)}`: add #egg=<name> ({line.where})"
        )
    source: dict[str, Any] = {"git": repo}
    if rev:
        source["rev"] = rev
    if params.get("subdirectory"):
        source["subdirectory"] = params["subdirectory"]
    notes: list[Note] = []
    if clean.had_credentials:
        notes.append(_credentials_note(line, clean.variables))
    if line.editable:
        notes.append(
            Note(
                "editable-vcs",
                f"`{redact(line.text)}`: uv cannot install git sources editable; migrated as "
                f"`{name} @ git+{repo}{'@' + rev if rev else ''}` (non-editable). For editable "
                f"work, clone it and use a path source with editable = true",
                line.where,
            )
        )
    notes.append(_source_note("git-source", line, name, source))
    return Located(name, source, tuple(notes))


def url_source(line: ReqLine) -> Located:
    assert line.link is not None
    url, _, fragment = line.link.partition("#")
    clean = strip_credentials(url, line.where)
    params = _fragment(fragment)
    name = line.name or params.get("egg") or name_from_filename(clean.url)
    if not name:
        raise RequirementsError(
            f"cannot tell the package name of `{redact(line.text)}`: write "
            f"`<name> @ {clean.url}` ({line.where})"
        )
    notes: list[Note] = []
    if clean.had_credentials:
        notes.append(_credentials_note(line, clean.variables))
    if any(k in params for k in _HASH_KEYS):
        notes.append(
            Note(
                "hashes-dropped",
                f"URL hashes in {line.where.path} dropped: uv.lock records its own hashes",
                line.where,
            )
        )
    source: dict[str, Any] = {"url": clean.url}
    if params.get("subdirectory"):
        source["subdirectory"] = params["subdirectory"]
    notes.append(_source_note("url-source", line, name, source))
    return Located(name, source, tuple(notes))


def name_from_filename(url: str) -> str | None:
    """The project a bare archive URL installs, read from its file name the way installers
    do (`six-1.16.0.tar.gz`, `six-1.16.0-py2.py3-none-any.whl`); None for any other URL."""
    filename = unquote(PurePosixPath(urlsplit(url).path).name)
    try:
        if filename.endswith(".whl"):
            name = str(parse_wheel_filename(filename)[0])
        elif filename.endswith((".tar.gz", ".zip")):
            name = str(parse_sdist_filename(filename)[0])
        else:
            return None
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return name if re.fullmatch(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*", name) else None


def package_name_at(path: Path, root: Path) -> str | None:
    """The distribution name of a local project: pyproject [project] name (or a Poetry
    project's [tool.poetry] name), setup.cfg [metadata] name, or a literal name= in setup.py;
    a wheel's or sdist's file name. A file
    that is not UTF-8 or not valid TOML / INI raises SurveyError naming its file:line."""
    if path.is_file():
        match = re.match(r"([A-Za-z0-9_.]+?)-\d", path.name)
        return match.group(1) if match else None
    pyproject = path / "pyproject.toml"
    if pyproject.is_file():
        doc = parse_pyproject(read_text(pyproject, root), relative_posix(root, pyproject))
        data = doc.unwrap()
        project = data.get("project")
        if isinstance(project, dict) and isinstance(project.get("name"), str):
            return str(project["name"])
        tool = data.get("tool")
        poetry = tool.get("poetry") if isinstance(tool, dict) else None
        if isinstance(poetry, dict) and isinstance(poetry.get("name"), str):
            return str(poetry["name"])
    setup_cfg = path / "setup.cfg"
    if setup_cfg.is_file():
        config = configparser.ConfigParser()
        rel = relative_posix(root, setup_cfg)
        try:
            config.read_string(read_text(setup_cfg, root), rel)
        except configparser.Error as exc:
            at = getattr(exc, "lineno", None)
            raise SurveyError(
                f"{rel} is not a valid setup.cfg: {exc.message.splitlines()[0]}"
                + (f" ({rel}:{at})" if at else f" ({rel}:1)")
            ) from None
        if config.has_option("metadata", "name"):
            return config.get("metadata", "name")
    setup_py = path / "setup.py"
    if setup_py.is_file():
        # name="x" as a keyword, or "name": "x" in the dict setup(**SETUP) is called with
        match = re.search(
            r"""\bname\s*=\s*["']([^"']+)["']|["']name["']\s*:\s*["']([^"']+)["']""",
            read_text(setup_py, root),
        )
        if match:
            return match.group(1) or match.group(2)
    return None


def _git_url_without_secrets(url: str, where: Where) -> CleanUrl:
    """`ssh://git@host/...` names an ssh user, not a secret: kept. Anything else before `@` in
    the host part (a token, user:password, ${VAR}) is removed."""
    parts = urlsplit(url)
    userinfo = parts.netloc.rpartition("@")[0]
    if parts.scheme == "ssh" and ":" not in userinfo and not env_vars_in(userinfo):
        return CleanUrl(url, False, ())
    return strip_credentials(url, where)


def _fragment(fragment: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in fragment.split("&") if "=" in p)


def _source_note(code: str, line: ReqLine, name: str, source: dict[str, Any]) -> Note:
    return Note(
        code,
        f"`{redact(line.text)}` -> {name} with [tool.uv.sources] {name} = {toml_text(source)}",
        line.where,
    )


def _credentials_note(line: ReqLine, variables: tuple[str, ...]) -> Note:
    origin = f"from {', '.join(variables)}" if variables else "written in clear"
    return Note(
        "url-credentials",
        f"credentials in `{line.where}` ({origin}) not written to pyproject: give them to "
        f"git/uv through a credential helper, netrc or keyring",
        line.where,
    )
