"""The subprocess door's one policy with consequences: answering from uv's cache first. Real uv,
a cache of the test's own, PyPI for the one package (`six`, no dependencies)."""

from __future__ import annotations

from pathlib import Path

import pytest

from uvmk import proc


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "requirements.txt").write_text("six\n")
    return tmp_path


def compile_six(root: Path) -> proc.Completed:
    return proc.uv_from_cache_first(
        "uv", "pip", "compile", "-q", "requirements.txt", cwd=root, timeout=120
    )


def test_a_page_the_cache_lacks_is_fetched_from_the_index(own_cache: Path) -> None:
    offline = proc.uv(
        "uv", "pip", "compile", "-q", "--offline", "requirements.txt", cwd=own_cache, timeout=120
    )
    assert offline.returncode != 0, "the fresh cache already had six: the test proves nothing"
    done = compile_six(own_cache)
    assert done.returncode == 0, done.stderr
    assert "six==" in done.stdout


def test_a_page_the_cache_has_is_not_fetched_again(
    own_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert compile_six(own_cache).returncode == 0
    # the index is now unreachable: only an answer from the cache can succeed
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("UV_HTTP_RETRIES", "0")
    online = proc.uv("uv", "pip", "compile", "-q", "requirements.txt", cwd=own_cache, timeout=120)
    assert online.returncode != 0, "the index was still reachable: the test proves nothing"
    done = compile_six(own_cache)
    assert done.returncode == 0, done.stderr
    assert "six==" in done.stdout
