"""The one door to other programs: every uv, git and make process the engine starts runs here,
with the environment each one needs. Callers decide what a failure means for them; this module
only says how to start the process (and a caller that cannot start it gets ProcessFailure)."""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator

Completed = subprocess.CompletedProcess[str]
# Starting the program failed (not found, not executable) or it outlived its timeout.
ProcessFailure = (OSError, subprocess.TimeoutExpired)
# Anything subprocess raises on its own (a timeout among them).
SubprocessError = subprocess.SubprocessError
TimeoutExpired = subprocess.TimeoutExpired


def uv_cmd(uv: str) -> list[str]:
    """The uv command as argv: UV may carry arguments (`UV="uv --offline"`)."""
    return shlex.split(uv) or ["uv"]


def child_env() -> dict[str, str]:
    """The environment for uv children: an ambient UV_FROZEN makes `uv lock` do nothing and
    UV_LOCKED makes it fail; a foreign VIRTUAL_ENV only adds a warning."""
    env = dict(os.environ)
    for var in ("UV_FROZEN", "UV_LOCKED", "VIRTUAL_ENV"):
        env.pop(var, None)
    return env


def make_env() -> dict[str, str]:
    """A make child that is not part of the make running us (no inherited -n, -k, jobserver)."""
    env = child_env()
    for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
        env.pop(var, None)
    return env


def run(
    argv: list[str],
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    stdin: str | None = None,
) -> Completed:
    """Run a program to completion (`stdin`: its input), its output captured as text; never
    raises on its exit code.
    The child never outlives an interrupted engine: Ctrl-C or SIGTERM are held back while it
    starts (a KeyboardInterrupt inside Popen() would leave it running, e.g. a `uv lock` writing
    uv.lock after apply restored every file) and raised once it can be killed."""
    child: subprocess.Popen[str] | None = None
    try:
        with _held_back() as in_child:
            child = subprocess.Popen(
                argv,
                cwd=cwd,
                env=env,
                stdin=subprocess.PIPE if stdin is not None else None,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                preexec_fn=in_child,
            )
        out, err = child.communicate(stdin, timeout=timeout)
    except BaseException:
        if child is not None:
            child.kill()
            child.communicate()
        raise
    return subprocess.CompletedProcess(argv, child.returncode, out, err)


_STOPS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def _held_back() -> Iterator[Callable[[], None] | None]:
    """SIGINT and SIGTERM, arriving inside the block, are noted and raised as it ends (each by
    the handler it had before). Noted by a handler, not blocked: a blocked mask would pass to
    the child, and unblocking it there takes a preexec_fn, with which Popen forks the whole
    engine instead of vfork-ing it (4-10 ms a process, timing proc.git in an engine). An
    ignored signal stays ignored, so the child inherits it as before. Outside the main thread,
    where Python sets no handler, they are blocked, and the block yields what unblocks them in
    the child (Popen's preexec_fn); in the main thread it yields None."""
    if threading.current_thread() is not threading.main_thread():
        before_mask = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        try:
            yield lambda: _set_mask(before_mask)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before_mask)  # one held back is raised
        return
    noted: list[int] = []
    before = {s: signal.getsignal(s) for s in _STOPS}
    caught = [s for s, handler in before.items() if handler != signal.SIG_IGN]
    for s in caught:
        signal.signal(s, lambda signum, frame: noted.append(signum))
    try:
        yield None
    finally:
        for s in caught:
            signal.signal(s, before[s])
        for signum in noted:
            signal.raise_signal(signum)


def _set_mask(mask: set[int | signal.Signals]) -> None:
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def uv(
    uv_command: str, *args: str, cwd: str | os.PathLike[str] | None, timeout: float
) -> Completed:
    """`uv <args>` in the environment uv children get."""
    return run([*uv_cmd(uv_command), *args], cwd=cwd, env=child_env(), timeout=timeout)


def uv_from_cache_first(
    uv_command: str, *args: str, cwd: str | os.PathLike[str] | None, timeout: float
) -> Completed:
    """`uv <args>` answered from uv's cache when it can, else from the network: for a command
    whose every index page a `uv lock` fetched moments ago, so going back to the index only
    revalidates them (0.3-0.5 s of a warm 0.1 s). Any offline failure (a page not cached) is
    retried online, so the answer never depends on what the cache lacks."""
    cached = uv(uv_command, *args, "--offline", cwd=cwd, timeout=timeout)
    if cached.returncode == 0:
        return cached
    return uv(uv_command, *args, cwd=cwd, timeout=timeout)


GIT_TIMEOUT = 60  # a git status or check-ignore that takes longer is hung (a lock, a prompt)


def git(*args: str, cwd: str | os.PathLike[str], timeout: float = GIT_TIMEOUT) -> Completed:
    return run(["git", *args], cwd=cwd, timeout=timeout)


def make(*args: str, cwd: str | os.PathLike[str], timeout: float) -> Completed:
    return run(["make", *args], cwd=cwd, env=make_env(), timeout=timeout)


def run_in_session(
    argv: list[str], *, cwd: str | os.PathLike[str], env: dict[str, str], timeout: float
) -> tuple[int | None, str]:
    """Run a program in a session of its own, stdout and stderr together as text: (its exit
    status, its output), the status None when it outlived `timeout`. A timeout or an interrupt
    kills its whole process group (the tests a make target started too)."""
    child = subprocess.Popen(
        argv,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        out, _ = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        out, _ = child.communicate()
        return None, out or ""
    except BaseException:  # Ctrl-C: the program and what it started go with us
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        raise
    return child.returncode, out or ""
