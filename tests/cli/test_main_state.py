"""`main` run in a process that lives on (the app, a test run) gives back what it borrowed."""

from __future__ import annotations

import hashlib
import hmac
import os
import signal
import sys
import threading
from pathlib import Path

import pytest

from hookscope.cli import main
from tests.cli_inprocess import run_main
from tests.helpers import wait_for

STOPPING = (signal.SIGINT, signal.SIGTERM)


def test_listen_gives_back_the_signal_handlers_it_stopped_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {sig: signal.getsignal(sig) for sig in STOPPING}

    def stop_once_listening() -> None:
        wait_for(lambda: signal.getsignal(signal.SIGTERM) != before[signal.SIGTERM])
        os.kill(os.getpid(), signal.SIGTERM)

    stopper = threading.Thread(target=stop_once_listening, daemon=True)
    stopper.start()
    try:
        assert main(["listen", "--port", "0", "--db", str(tmp_path / "c.db")]) == 0
        after = {sig: signal.getsignal(sig) for sig in STOPPING}
    finally:
        for sig, handler in before.items():
            signal.signal(sig, handler)
    stopper.join(10)
    assert "listening on http://127.0.0.1:" in capsys.readouterr().err
    assert after == before


def test_run_main_answers_like_a_process() -> None:
    result = run_main("sign", "hmac", "--secret", "k", "--header", "X-Sig", stdin=b"hi")
    assert (result.returncode, result.stderr) == (0, b"")
    expected = hmac.new(b"k", b"hi", hashlib.sha256).hexdigest()
    assert result.stdout == f'{{"X-Sig": "{expected}"}}\n'.encode()


def test_run_main_turns_a_usage_error_into_exit_2_with_argparse_s_message() -> None:
    result = run_main("sign", "--no-such-option")
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.startswith(b"usage: hookscope sign")
    assert b"hookscope sign: error: " in result.stderr


def test_run_main_reports_what_a_command_leaves_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    def leaky(args: object) -> int:
        os.environ["HOOKSCOPE_LEAK"] = "1"
        return 0

    import hookscope.cli.schemes_cmd as schemes_cmd

    monkeypatch.setattr(schemes_cmd, "run", leaky)
    with pytest.raises(AssertionError, match="a changed environment"):
        run_main("schemes")
    assert "HOOKSCOPE_LEAK" not in os.environ


def test_run_main_lets_a_crash_fail_the_test_with_its_own_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import hookscope.cli.schemes_cmd as schemes_cmd

    def crash(args: object) -> int:
        raise LookupError("a bug, not a usage error")

    monkeypatch.setattr(schemes_cmd, "run", crash)
    streams = sys.stdin, sys.stdout, sys.stderr
    with pytest.raises(LookupError, match="a bug"):
        run_main("schemes")
    assert (sys.stdin, sys.stdout, sys.stderr) == streams  # given back all the same
