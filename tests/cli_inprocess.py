"""`run_main(*argv)`: the command line in this process, answered like `run_cli`'s subprocess.

Starting an interpreter costs far more than most commands take to run, so a test that checks
what a command prints and returns (not signals, pipes, terminals or a second process) calls
`hookscope.cli.main` here. The streams are bytes as a pipe carries them; the environment is the
one `cli_env()` gives a subprocess. Whatever main leaves behind (an environment variable, a
signal handler, a root logging handler, a running thread, another working folder) fails the
test: a process would have taken it to its grave, a test run does not. An exception main lets
escape fails the test with its own traceback, rather than hiding as exit 1 the way a process
would report it.
"""

from __future__ import annotations

import io
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, BinaryIO, cast

from hookscope.cli import main

__all__ = ["run_main"]

_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE, signal.SIGCHLD)
_THREAD_GRACE_S = 10.0  # a thread main stopped may still be on its way out


def run_main(
    *argv: str,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
    umask: int | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run `hookscope ARGV` in process: `env` adds to the environment, `umask` stands in for
    the process's own. Returns what `run_cli` returns: returncode, stdout and stderr bytes."""
    out, err = io.BytesIO(), io.BytesIO()
    before = _State.now()
    with _environment(env), _umask(umask), _streams(stdin, out, err) as stderr:
        expected_env = dict(os.environ)
        # A process without logging set up prints warnings and errors bare on stderr.
        last_resort = logging.StreamHandler(stderr)
        last_resort.setLevel(logging.WARNING)
        logging.root.addHandler(last_resort)
        try:
            code = _code(main(list(argv)), stderr)
        except SystemExit as exc:
            code = _code(exc.code, stderr)
        finally:
            logging.root.removeHandler(last_resort)
            left_env = dict(os.environ)
    leaks = before.left_behind(_State.now(), env_changed=left_env != expected_env)
    assert not leaks, f"hookscope {' '.join(argv)} left behind: {'; '.join(leaks)}"
    return subprocess.CompletedProcess(
        ["hookscope", *argv], code, out.getvalue(), err.getvalue()
    )


def _code(value: Any, stderr: io.TextIOBase) -> int:
    """What the interpreter makes of main's return value or a SystemExit's code."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=stderr)
    return 1


class _State:
    """The process-wide things a command could change."""

    def __init__(self) -> None:
        self.handlers = {sig: signal.getsignal(sig) for sig in _SIGNALS}
        self.log_handlers = {
            name: list(logger.handlers)
            for name, logger in [("", logging.root), *logging.Logger.manager.loggerDict.items()]
            if isinstance(logger, logging.Logger) and logger.handlers
        }
        self.log_disabled = logging.root.manager.disable
        self.threads = set(threading.enumerate())
        self.cwd = os.getcwd()

    @classmethod
    def now(cls) -> _State:
        return cls()

    def left_behind(self, after: _State, env_changed: bool) -> list[str]:
        leaks = []
        if env_changed:
            leaks.append("a changed environment")
        for sig, handler in after.handlers.items():
            if handler != self.handlers[sig]:
                signal.signal(sig, self.handlers[sig])  # so later tests are not hit too
                leaks.append(f"a handler for {signal.Signals(sig).name}")
        if after.log_handlers != self.log_handlers:
            leaks.append(f"logging handlers {after.log_handlers}")
        if after.log_disabled != self.log_disabled:
            leaks.append("logging.disable()")
        for thread in after.threads - self.threads:
            thread.join(_THREAD_GRACE_S)
            if thread.is_alive():
                leaks.append(f"a running thread {thread.name!r}")
        if after.cwd != self.cwd:
            os.chdir(self.cwd)
            leaks.append(f"the working folder {after.cwd}")
        return leaks


@contextmanager
def _environment(extra: Mapping[str, str] | None) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.pop("HOOKSCOPE_DB", None)  # as cli_env(): a test names its store
    os.environ.update(extra or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextmanager
def _umask(mask: int | None) -> Iterator[None]:
    if mask is None:
        yield
        return
    saved = os.umask(mask)
    try:
        yield
    finally:
        os.umask(saved)


@contextmanager
def _streams(stdin: bytes | None, out: io.BytesIO, err: io.BytesIO) -> Iterator[io.TextIOWrapper]:
    """Standard streams over bytes, as an unbuffered process has them on pipes (stdout and
    stderr not terminals, the same encodings and error handlers)."""
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = _text(io.BytesIO(stdin or b""), "strict")
    sys.stdout = stdout = _text(out, "strict")
    sys.stderr = stderr = _text(err, "backslashreplace")
    try:
        yield stderr
    finally:
        for stream in (stdout, stderr):
            if not stream.closed:
                stream.flush()
        sys.stdin, sys.stdout, sys.stderr = saved


def _text(raw: io.BytesIO, errors: str) -> io.TextIOWrapper:
    # write_through: text and .buffer writes land in the order made, as with PYTHONUNBUFFERED.
    shield = cast(BinaryIO, _Shield(raw))
    return io.TextIOWrapper(shield, encoding="utf-8", errors=errors, write_through=True)


class _Shield(io.BufferedIOBase):
    """Passes bytes to `raw` but never closes it: a command may close its stdout (or the
    wrapper may be collected) while the test still has to read what was written."""

    def __init__(self, raw: io.BytesIO) -> None:
        super().__init__()
        self._raw = raw

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._raw.read(size)

    def read1(self, size: int = -1) -> bytes:
        return self._raw.read1(size)

    def readinto(self, buffer: Any) -> int:
        return self._raw.readinto(buffer)

    def write(self, data: Any) -> int:
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        return self._raw.write(data)

    def isatty(self) -> bool:
        return False
