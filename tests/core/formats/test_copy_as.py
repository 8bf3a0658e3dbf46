"""Copy as HTTPie and Python (httpx), and copy as curl for a composed request: each run for real
against hookscope's own receiver reproduces the body byte for byte, binary included."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.core.formats.curl import DROPPED_HEADERS
from hookscope.core.formats.httpie import httpie_command
from hookscope.core.formats.python_httpx import python_httpx_snippet
from hookscope.core.model import Capture
from hookscope.core.receiver import Receiver
from hookscope.core.send.copy_as import as_capture, curl_for, httpie_for, python_for
from hookscope.core.send.sender import OutgoingRequest
from hookscope.core.send.signer import make_signer
from hookscope.core.signing import SCHEMES
from hookscope.core.store import Store
from tests.core.factories import make_capture
from tests.core.formats.corpus import BINARY, NAMES, corpus, replayable

HTTPIE = shutil.which("http")
CURL = shutil.which("curl")
# HTTPie cannot carry these exactly, and says so (see test_httpie_refuses_what_it_would_alter).
HTTPIE_REFUSES = {"latin1-body-and-headers", "odd-percent-escapes", "fragment-in-target"}


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    store = Store.open(tmp_path / "copied.db")
    running = Receiver(store, port=0)
    running.start()
    yield running
    running.stop()
    store.close()


def origin_target(capture: Capture) -> str:
    if capture.target.startswith("http://"):
        return "/" + capture.target.split("/", 3)[3]
    return capture.target


def sent_headers(capture: Capture) -> list[tuple[str, str]]:
    return [h for h in capture.headers if h[0].lower() not in ("host", "content-length")]


def kept_headers(capture: Capture) -> list[tuple[str, str]]:
    return [h for h in capture.headers if h[0].lower() not in DROPPED_HEADERS]


def run_python_files(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    """Run each snippet as a script (`runpy`), in one interpreter to keep the test quick."""
    driver = (
        "import runpy, sys\n"
        "for path in sys.argv[1:]:\n"
        "    runpy.run_path(path, run_name='__main__')\n"
    )
    return subprocess.run(
        [sys.executable, "-c", driver, *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_python_snippets_replay_every_capture_exactly(receiver: Receiver, tmp_path: Path) -> None:
    cases = replayable()
    paths = []
    for i, (_, capture) in enumerate(cases):
        path = tmp_path / f"snippet_{i}.py"
        path.write_text(python_httpx_snippet(capture, receiver.url + "/pre"), encoding="utf-8")
        paths.append(path)
    result = run_python_files(paths)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["200 OK"] * len(cases)
    replayed = list(receiver.store.iter_captures())
    for (name, original), again in zip(cases, replayed, strict=True):
        assert again.body == original.body, name
        assert again.method == original.method, name
        assert again.target == "/pre" + origin_target(original), name  # odd targets too
        assert sent_headers(again) == kept_headers(original), name


def test_python_snippet_carries_binary_as_base64_and_text_as_text() -> None:
    by_name = dict(zip(NAMES, corpus(), strict=True))
    binary = python_httpx_snippet(by_name["binary"])
    assert "base64.b64decode(" in binary
    assert "import base64" in binary
    text = python_httpx_snippet(by_name["json"])
    assert "base64" not in text
    assert 'body = \'{"type":"payment_intent.succeeded","amount":4200}\'.encode("utf-8")' in text
    compile(binary, "snippet", "exec")


def fake_http(tmp_path: Path) -> Path:
    """An `http` that records its arguments and standard input, to check the shell layer."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "http"
    script.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(tmp_path / 'argv.json')!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
        "data = b'' if '--ignore-stdin' in sys.argv else sys.stdin.buffer.read()\n"
        f"open({str(tmp_path / 'stdin.bin')!r}, 'wb').write(data)\n"
    )
    script.chmod(0o755)
    return bin_dir


def run_with_fake_http(command: str, tmp_path: Path) -> tuple[list[str], bytes]:
    bin_dir = fake_http(tmp_path)
    script = tmp_path / "copied.sh"
    script.write_text(command + "\n", encoding="utf-8")
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}
    done = subprocess.run(["sh", str(script)], capture_output=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    argv = json.loads((tmp_path / "argv.json").read_text())
    return argv, (tmp_path / "stdin.bin").read_bytes()


@pytest.mark.parametrize(
    "name",
    [
        "json",
        "binary",
        "shell-hostile-utf8-text",
        "big-text",
        "duplicate-mixed-case-and-empty-headers",
    ],
)
def test_httpie_command_hands_httpie_the_exact_body_and_items(name: str, tmp_path: Path) -> None:
    capture = dict(zip(NAMES, corpus(), strict=True))[name]
    argv, stdin = run_with_fake_http(httpie_command(capture, "http://127.0.0.1:1"), tmp_path)
    method_at = argv.index(capture.method)
    options, url, items = argv[:method_at], argv[method_at + 1], argv[method_at + 2 :]
    assert url == "http://127.0.0.1:1" + capture.target
    if "--raw" in options:
        assert "--ignore-stdin" in options
        assert options[options.index("--raw") + 1].encode("utf-8") == capture.body
    else:
        assert stdin == capture.body  # piped through base64 -d
    expected = [f"{n}:{v}" if v else f"{n};" for n, v in kept_headers(capture)]
    assert items[: len(expected)] == expected
    present = {n.lower() for n, _ in kept_headers(capture)}
    for default in ("User-Agent", "Accept", "Accept-Encoding", "Connection", "Content-Type"):
        assert (f"{default}:" in items) == (default.lower() not in present), default


def test_httpie_escapes_values_it_would_read_as_other_items() -> None:
    capture = make_capture(headers=(("X-Eq", "=starts"), ("X-At", "@file"), ("X-Mid", "a=b:c")))
    command = httpie_command(capture)
    assert "'X-Eq:\\=starts'" in command
    assert "'X-At:\\@file'" in command
    assert "'X-Mid:a=b:c'" in command


@pytest.mark.parametrize(
    ("headers", "target", "message"),
    [
        ((("X-Latin", "caf\xe9"),), "/x", "UTF-8"),
        ((("X-Back", "a\\:b"),), "/x", "backslashes"),
        ((), "/p%zz", "starts no escape"),
        ((), "/frag#x", "fragment"),
        ((), "/a b", "spaces"),
    ],
)
def test_httpie_refuses_what_it_would_alter(
    headers: tuple[tuple[str, str], ...], target: str, message: str
) -> None:
    with pytest.raises(HookscopeError, match=message):
        httpie_command(make_capture(headers=headers, target=target))


def test_httpie_takes_utf8_header_values_from_their_wire_bytes() -> None:
    wire = "caf\u00e9".encode().decode("latin-1")  # how a capture keeps UTF-8 header bytes
    command = httpie_command(make_capture(headers=(("X-Utf8", wire),)))
    assert "'X-Utf8:caf\u00e9'" in command


@pytest.mark.skipif(HTTPIE is None, reason="HTTPie is not installed")
def test_httpie_command_runs_for_real(receiver: Receiver, tmp_path: Path) -> None:
    cases = [(n, c) for n, c in replayable() if n not in HTTPIE_REFUSES]
    for i, (_, capture) in enumerate(cases):
        script = tmp_path / f"httpie_{i}.sh"
        script.write_text(httpie_command(capture, receiver.url) + " --print=\n", encoding="utf-8")
        done = subprocess.run(
            ["sh", str(script)],
            capture_output=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
            env={"PATH": str(Path(str(HTTPIE)).parent) + ":/usr/bin:/bin", "HOME": str(tmp_path)},
        )
        assert done.returncode == 0, done.stderr
    replayed = list(receiver.store.iter_captures())
    for (name, original), again in zip(cases, replayed, strict=True):
        assert again.body == original.body, name
        assert again.method == original.method, name
        # Headers that replace HTTPie's own defaults are sent where the defaults stood.
        assert sorted(sent_headers(again)) == sorted(kept_headers(original)), name


def composed() -> OutgoingRequest:
    return OutgoingRequest(
        "POST",
        "http://127.0.0.1:9/hooks/composed?a=1",
        (("Content-Type", "application/octet-stream"), ("X-Event", "order_created")),
        BINARY,
    )


def retarget(request: OutgoingRequest, receiver: Receiver) -> OutgoingRequest:
    from dataclasses import replace

    return replace(request, url=request.url.replace("http://127.0.0.1:9", receiver.url))


@pytest.mark.skipif(CURL is None, reason="needs curl")
def test_copy_as_curl_of_a_composed_request_runs_with_real_curl(receiver: Receiver) -> None:
    request = retarget(composed(), receiver)
    signer = make_signer("github", "s3cret")
    command = curl_for(request, signer)
    done = subprocess.run(
        ["sh", "-c", command + " --silent --show-error --output /dev/null"],
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    (capture,) = receiver.store.iter_captures()
    assert capture.body == BINARY
    assert capture.target == "/hooks/composed?a=1"
    assert SCHEMES["github"].verify(capture.headers, capture.body, "s3cret").valid


def test_copy_as_python_of_a_composed_request_runs(receiver: Receiver, tmp_path: Path) -> None:
    path = tmp_path / "composed.py"
    path.write_text(python_for(retarget(composed(), receiver)), encoding="utf-8")
    done = run_python_files([path])
    assert done.returncode == 0, done.stderr
    (capture,) = receiver.store.iter_captures()
    assert capture.body == BINARY
    assert sent_headers(capture) == list(composed().headers)


def test_copy_as_httpie_of_a_composed_request_pipes_the_body(tmp_path: Path) -> None:
    argv, stdin = run_with_fake_http(httpie_for(composed()), tmp_path)
    assert stdin == BINARY
    assert "http://127.0.0.1:9/hooks/composed?a=1" in argv


def test_a_composed_url_becomes_base_and_wire_target() -> None:
    capture, base = as_capture(OutgoingRequest("GET", "https://h.example:8443/caf\u00e9?q=\u2713"))
    assert base == "https://h.example:8443"
    assert capture.target == "/caf%C3%A9?q=%E2%9C%93"
    with pytest.raises(HookscopeError, match="not an http"):
        as_capture(OutgoingRequest("GET", "ftp://h/x"))
