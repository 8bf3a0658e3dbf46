"""A sender's control characters never reach the terminal: human output shows them escaped
(`\\x1b`), byte streams to a terminal are escaped, and machine formats stay exact."""

from __future__ import annotations

import asyncio
import errno
import json
import os
import pty
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from hookscope.cli import main
from hookscope.core.store import Store
from tests.core.factories import make_capture
from tests.helpers import ROOT, cli_env, hookscope_cmd

TITLE = "\x1b]0;pwned\x07"  # sets the terminal's title
CLEAR = "\x1b[2J"  # clears the screen
CSI_8BIT = "\x9b2J"  # the same as a C1 control
RLO = "\u202e"  # right-to-left override: text then reads backwards
RLO_LATIN1 = RLO.encode().decode("latin-1")  # as a header carries its UTF-8 bytes


def no_controls(text: str) -> None:
    for char in (*"\x1b\x07\x9b\x00", "\u202e"):
        assert char not in text, repr(text)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "c.db"
    with Store.open(path) as store:
        store.add_many([
            make_capture(headers=(("Host", "h"), ("X-Evil", TITLE)), body=b'{"a":"x"}', note=TITLE),
            make_capture(
                headers=(("Host", "h"), ("X-Evil", CLEAR + CSI_8BIT + RLO_LATIN1)),
                body=b'{"a":"\\u001b[2J\\u202e"}',
            ),
        ])  # fmt: skip
    return path


def test_diff_escapes_control_characters(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "1", "2", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    no_controls(out)
    assert "\\x1b]0;pwned\\x07" in out
    assert "\\x1b[2J\\x9b2J" in out


def test_diff_json_stays_exact(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "1", "2", "--db", str(db), "--json"]) == 1
    changes = json.loads(capsys.readouterr().out)["changes"]
    assert any(c["before"] == TITLE for c in changes), changes


def test_verify_escapes_the_received_signature(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = tmp_path / "b"
    body.write_bytes(b"{}")
    header = f"X-Hub-Signature-256: sha256=00{CLEAR}{TITLE}"
    argv = ["verify", "github", "--secret", "s", "-H", header, "--body-file", str(body)]
    assert main(argv) == 1
    out = capsys.readouterr().out
    no_controls(out)
    assert "\\x1b[2J" in out


def test_verify_json_stays_valid_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "b"
    body.write_bytes(b"{}")
    header = f"X-Hub-Signature-256: sha256=00{CLEAR}"
    argv = ["verify", "github", "--secret", "s", "-H", header, "--body-file", str(body), "--json"]
    assert main(argv) == 1
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["valid"] is False


def run_on_a_terminal(*args: str) -> tuple[int, bytes]:
    """Run hookscope with its stdout on a pseudo-terminal; what the terminal received."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        hookscope_cmd(*args), stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE,
        cwd=ROOT, env=cli_env(),
    )  # fmt: skip
    os.close(slave)
    received = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError as exc:  # EIO: the other side closed
            if exc.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        received += chunk
    os.close(master)
    assert proc.stderr is not None
    errors = proc.stderr.read()
    code = proc.wait(timeout=30)
    assert code == 0, errors
    return code, bytes(received)


@pytest.mark.parametrize("fmt", ["csv", "har", "curl", "ndjson"])
def test_export_to_a_terminal_is_escaped(db: Path, fmt: str) -> None:
    code, shown = run_on_a_terminal("export", "--db", str(db), "--format", fmt)
    assert code == 0
    no_controls(shown.decode("utf-8", "replace"))
    assert b"pwned" in shown


def test_export_to_a_pipe_keeps_every_byte(db: Path) -> None:
    result = subprocess.run(
        hookscope_cmd("export", "--db", str(db), "--format", "csv"),
        capture_output=True, cwd=ROOT, env=cli_env(), timeout=60,
    )  # fmt: skip
    assert TITLE.encode() in result.stdout


@pytest.fixture
def hostile_server() -> Iterator[int]:
    """Answers every request with a body that would retitle and clear the terminal."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    port: list[int] = []
    runner_box: list[web.AppRunner] = []

    async def answer(request: web.Request) -> web.Response:
        return web.Response(body=(TITLE + CLEAR + "hello\n").encode())

    async def start() -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", answer)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        runner_box.append(runner)
        port.append(runner.addresses[0][1])

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(10)
    yield port[0]
    asyncio.run_coroutine_threadsafe(runner_box[0].cleanup(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def test_send_shows_a_hostile_answer_escaped_on_a_terminal(hostile_server: int) -> None:
    code, shown = run_on_a_terminal("send", f"http://127.0.0.1:{hostile_server}/x")
    assert code == 0
    no_controls(shown.decode("utf-8", "replace"))
    assert b"\\x1b]0;pwned\\x07" in shown
    assert b"hello" in shown


def test_send_to_a_pipe_keeps_the_answer_exact(hostile_server: int) -> None:
    result = subprocess.run(
        hookscope_cmd("send", f"http://127.0.0.1:{hostile_server}/x"),
        stdin=subprocess.DEVNULL, capture_output=True, cwd=ROOT, env=cli_env(), timeout=60,
    )  # fmt: skip
    assert result.stdout == (TITLE + CLEAR + "hello\n").encode()
