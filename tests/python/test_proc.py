"""The subprocess door's one policy with consequences: answering from uv's cache first. Real uv,
a cache of the test's own, PyPI for the one package (`six`, no dependencies)."""

from __future__ import annotations

import signal
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


def _signal_masks(status: str) -> dict[str, int]:
    return {
        key: int(value, 16)
        for key, _, value in (line.partition(":\t") for line in status.splitlines())
        if key in ("SigBlk", "SigIgn")
    }


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
@pytest.mark.parametrize("sigint", [signal.default_int_handler, signal.SIG_IGN])
def test_a_child_starts_with_the_signals_it_would_get_from_a_shell(
    sigint: object,
) -> None:
    """run() holds SIGINT and SIGTERM back while the child starts, without a mask the child
    inherits: both reach it unblocked, SIGINT ignored only when the engine ignores it (a
    background job), and the engine's own handlers are back once it started."""
    old = signal.signal(signal.SIGINT, sigint)  # type: ignore[arg-type]
    try:
        done = proc.run(["cat", "/proc/self/status"], timeout=30)
        assert signal.getsignal(signal.SIGINT) is sigint
    finally:
        signal.signal(signal.SIGINT, old)
    masks = _signal_masks(done.stdout)
    bits = {s: 1 << (s - 1) for s in (signal.SIGINT, signal.SIGTERM)}
    assert masks["SigBlk"] & (bits[signal.SIGINT] | bits[signal.SIGTERM]) == 0
    assert masks["SigIgn"] & bits[signal.SIGTERM] == 0
    assert bool(masks["SigIgn"] & bits[signal.SIGINT]) == (sigint is signal.SIG_IGN)


def test_the_main_thread_starts_a_child_without_a_preexec_fn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With a preexec_fn, Popen forks the whole engine instead of vfork-ing it: 4-10 ms more a
    process (an audit starts two, a migration dozens)."""
    import subprocess

    seen: list[object] = []
    real = subprocess.Popen

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(kwargs.get("preexec_fn"))
        return real(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "Popen", spy)
    assert proc.run(["true"], timeout=30).returncode == 0
    assert seen == [None]
