"""The curl export, run by the real /usr/bin/curl against a real hookscope receiver."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.core.formats import DEFAULT_BASE_URL, ExportOptions, curl, curl_command
from hookscope.core.formats.curl import DROPPED_HEADERS, validate_base_url
from hookscope.core.model import Capture
from hookscope.core.receiver import Receiver
from hookscope.core.redact import RedactionProfile, Redactor
from hookscope.core.store import Store
from tests.core.formats.corpus import NAMES, corpus, replayable

pytestmark = pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    store = Store.open(tmp_path / "replayed.db")
    running = Receiver(store, port=0)
    running.start()
    yield running
    running.stop()
    store.close()


def script(captures: list[Capture], base_url: str = DEFAULT_BASE_URL) -> bytes:
    out = io.BytesIO()
    curl.write(captures, out, ExportOptions(base_url=base_url))
    return out.getvalue()


def run_script(data: bytes, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "replay.sh"
    path.write_bytes(data)
    result = subprocess.run(
        ["sh", str(path), *args], capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result


def origin_target(capture: Capture) -> str:
    if capture.target.startswith("http://"):
        return "/" + capture.target.split("/", 3)[3]
    return capture.target


def assert_replayed(name: str, original: Capture, replayed: Capture, prefix: str = "") -> None:
    assert replayed.method == original.method, name
    assert replayed.target == prefix + origin_target(original), name
    assert replayed.body == original.body, name
    assert replayed.http_version == original.http_version, name
    sent = [h for h in replayed.headers if h[0].lower() not in ("host", "content-length")]
    kept = [h for h in original.headers if h[0].lower() not in DROPPED_HEADERS]
    assert sent == kept, name
    if original.body:
        assert replayed.header("Content-Length") == str(len(original.body)), name


def test_script_replays_every_capture_byte_for_byte(receiver: Receiver, tmp_path: Path) -> None:
    cases = replayable()
    result = run_script(script([c for _, c in cases]), tmp_path, receiver.url)
    assert result.stdout.splitlines() == [f"capture {c.id}: 200" for _, c in cases]
    replayed = list(receiver.store.iter_captures())
    assert len(replayed) == len(cases)
    for (name, original), again in zip(cases, replayed, strict=True):
        assert_replayed(name, original, again)


def test_script_base_url_may_carry_a_path(receiver: Receiver, tmp_path: Path) -> None:
    wanted = {"json", "binary", "fragment-in-target", "odd-percent-escapes"}
    cases = [(n, c) for n, c in replayable() if n in wanted]
    run_script(script([c for _, c in cases]), tmp_path, receiver.url + "/in/here/")
    replayed = list(receiver.store.iter_captures())
    for (name, original), again in zip(cases, replayed, strict=True):
        assert_replayed(name, original, again, prefix="/in/here")


def test_script_default_target_comes_from_the_url_option(
    receiver: Receiver, tmp_path: Path
) -> None:
    (_, capture) = replayable()[0]
    run_script(script([capture], base_url=receiver.url + "/default"), tmp_path)
    (again,) = receiver.store.iter_captures()
    assert again.target == "/default" + capture.target


def test_refused_and_malformed_captures_are_skipped_with_a_reason() -> None:
    text = script(corpus()).decode("utf-8")
    assert "# skipped: refused by hookscope (body-too-large)" in text
    assert "# skipped: not a complete HTTP request" in text
    assert text.count("\ncurl ") + text.count("| curl ") == len(NAMES) - 2


def test_script_is_valid_sh_and_ascii_apart_from_text_bodies(tmp_path: Path) -> None:
    data = script(corpus())
    path = tmp_path / "replay.sh"
    path.write_bytes(data)
    assert subprocess.run(["sh", "-n", str(path)], capture_output=True).returncode == 0
    non_ascii = [line for line in data.decode("utf-8").splitlines() if not line.isascii()]
    # Only UTF-8 text bodies (--data-raw) and the comment naming a latin-1 target.
    assert non_ascii
    assert all(line.startswith(("  --data-raw ", "# capture")) for line in non_ascii)


def test_copy_as_curl_command_runs_as_is(receiver: Receiver) -> None:
    cases = [(n, c) for n, c in replayable() if n in {"binary", "shell-hostile-utf8-text", "head"}]
    for _, capture in cases:
        command = curl_command(capture, receiver.url + "/copied")
        result = subprocess.run(
            ["sh", "-c", command + " --silent --output /dev/null"],
            capture_output=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
    replayed = list(receiver.store.iter_captures())
    for (name, original), again in zip(cases, replayed, strict=True):
        assert_replayed(name, original, again, prefix="/copied")


class RawServer:
    """Accepts one request and keeps its bytes: for targets a real HTTP parser refuses."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.request = b""
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        with conn:
            conn.settimeout(10)
            while b"\r\n\r\n" not in self.request:
                self.request += conn.recv(65536)
            head = self.request.split(b"\r\n\r\n")[0].lower()
            length = int(head.split(b"content-length: ")[1].split(b"\r\n")[0])
            while len(self.request.split(b"\r\n\r\n", 1)[1]) < length:
                self.request += conn.recv(65536)
            conn.sendall(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
        self.sock.close()


def test_targets_curl_would_re_encode_are_sent_exactly() -> None:
    capture = corpus()[NAMES.index("raw-bytes-in-target")]
    server = RawServer()
    command = curl_command(capture, f"http://127.0.0.1:{server.port}/pre")
    assert command.isascii()
    result = subprocess.run(["sh", "-c", command + " --silent"], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    server.thread.join(10)
    request_line, _, rest = server.request.partition(b"\r\n")
    assert request_line == b"POST /pre/caf\xe9/a b%zz%41\\'?q=\xff&r=1 HTTP/1.1"
    assert rest.endswith(b"\r\n\r\nz")


def test_copy_as_curl_refuses_a_capture_without_its_body() -> None:
    refused = corpus()[NAMES.index("refused-too-large")]
    with pytest.raises(HookscopeError, match="body was not kept"):
        curl_command(refused)


@pytest.mark.parametrize(
    "url", ["ftp://x", "http://h/p?q=1", "http://h/$(id)", "http://h/'", "127.0.0.1:9480"]
)
def test_bad_base_urls_are_refused(url: str) -> None:
    with pytest.raises(HookscopeError, match="curl target"):
        validate_base_url(url)


def test_a_newline_in_a_name_cannot_escape_a_comment(tmp_path: Path) -> None:
    capture = corpus()[0]
    capture.body = b'{"password\\ntouch pwned #": "x"}'  # the key holds a real newline
    out = io.BytesIO()
    curl.write([capture], out, ExportOptions(redactor=Redactor(RedactionProfile())))
    assert b"password\\x0atouch pwned" in out.getvalue()  # named in the comment, escaped
    path = tmp_path / "replay.sh"
    path.write_bytes(out.getvalue())
    subprocess.run(
        ["sh", str(path), "http://127.0.0.1:9"], capture_output=True, timeout=60, cwd=tmp_path
    )
    assert not (tmp_path / "pwned").exists()
