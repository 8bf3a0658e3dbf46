"""Secrets off the command line: `--secret-env NAME` and `--secret-file F` (`-`: standard input)
beside `--secret`, for every command that signs or verifies."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from hookscope.cli import main
from tests.cli_inprocess import run_main
from tests.helpers import ROOT, Listener, cli_env, hookscope_cmd, start_listener

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # Standard Webhooks' published vector
VECTOR = ["--id", "msg_p5jXN8AQM9LWM0D4loKWxJek", "--timestamp", "1614265330"]
PAYLOAD = b'{"test": 2432232314}'
SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
VERIFY_HEADERS = [
    "-H", "webhook-id: msg_p5jXN8AQM9LWM0D4loKWxJek",
    "-H", "webhook-timestamp: 1614265330",
    "-H", f"webhook-signature: {SIGNATURE}",
    "--now", "1614265330",
]  # fmt: skip


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "body.json"
    path.write_bytes(PAYLOAD)
    return path


def run(
    *args: str, stdin: bytes = b"", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """A real process: the secret through a real pipe or the environment it starts with."""
    return subprocess.run(
        hookscope_cmd(*args), input=stdin, capture_output=True, timeout=60, cwd=ROOT,
        env={**cli_env(), **(env or {})},
    )  # fmt: skip


def signature_of(out: str) -> str:
    headers: dict[str, str] = json.loads(out)
    return headers["webhook-signature"]


def test_sign_with_secret_env(
    body: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SW_SECRET", SECRET)
    argv = ["sign", "standard-webhooks", "--secret-env", "SW_SECRET", *VECTOR]
    assert main([*argv, "--body-file", str(body)]) == 0
    assert signature_of(capsys.readouterr().out) == SIGNATURE


def test_sign_with_secret_file_strips_one_trailing_newline(
    body: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n")
    argv = ["sign", "standard-webhooks", "--secret-file", str(secret_file), *VECTOR]
    assert main([*argv, "--body-file", str(body)]) == 0
    assert signature_of(capsys.readouterr().out) == SIGNATURE


def test_only_one_newline_is_stripped(
    body: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_bytes(b"s\n\n")
    argv = ["sign", "hmac", "--header", "X-Sig", "--secret-file", str(secret_file)]
    assert main([*argv, "--body-file", str(body)]) == 0
    expected = hmac.new(b"s\n", PAYLOAD, hashlib.sha256).hexdigest()
    assert json.loads(capsys.readouterr().out) == {"X-Sig": expected}


def test_secret_file_dash_reads_standard_input(body: Path) -> None:
    result = run(
        "sign", "standard-webhooks", "--secret-file", "-", *VECTOR, "--body-file", str(body),
        stdin=SECRET.encode() + b"\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert signature_of(result.stdout.decode()) == SIGNATURE


def test_verify_with_secret_env_in_a_real_process(body: Path) -> None:
    result = run(
        "verify", "standard-webhooks", "--secret-env", "HOOK_SECRET", *VERIFY_HEADERS,
        "--body-file", str(body), env={"HOOK_SECRET": SECRET},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(b"ok: ")


def test_rotation_with_two_secret_envs(
    body: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OLD", "whsec_" + base64.b64encode(b"old-secret-bytes").decode())
    monkeypatch.setenv("NEW", SECRET)
    argv = ["verify", "standard-webhooks", "--secret-env", "OLD", "--secret-env", "NEW"]
    assert main([*argv, *VERIFY_HEADERS, "--body-file", str(body)]) == 0
    capsys.readouterr()


@pytest.fixture(scope="module")
def listener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Listener]:
    running = start_listener(tmp_path_factory.mktemp("secrets") / "c.db")
    yield running
    running.stop()


def test_send_signs_with_secret_file(listener: Listener, body: Path, tmp_path: Path) -> None:
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET + "\n")
    result = run_main(
        "send", f"http://127.0.0.1:{listener.port}/secret-file", "--sign", "standard-webhooks",
        "--secret-file", str(secret_file), "--id", "msg_1", "--body-file", str(body),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (record,) = listener.wait_records(1)
    headers = [(name.lower(), value) for name, value in record["headers"]]
    verify = run_main(
        "verify", "standard-webhooks", "--secret", SECRET, "--body-file", str(body),
        *[arg for name, value in headers if name.startswith("webhook-")
          for arg in ("-H", f"{name}: {value}")],
    )  # fmt: skip
    assert verify.returncode == 0, verify.stdout


ERRORS = {
    "env-missing": (
        ["sign", "svix", "--secret-env", "NO_SUCH_VARIABLE_HS"],
        "--secret-env NO_SUCH_VARIABLE_HS",
    ),
    "file-missing": (["sign", "svix", "--secret-file", "/nonexistent/secret"], "cannot read"),
    "two-sources": (
        ["sign", "svix", "--secret", SECRET, "--secret-file", "/nonexistent/secret"],
        "only one of --secret, --secret-env and --secret-file",
    ),
    "none": (["sign", "svix"], "--secret-env NAME"),
    "verify-none": (["verify", "svix"], "--secret-env NAME"),
    "stdin-twice": (["sign", "svix", "--secret-file", "-"], "standard input"),
    "send-env-missing": (
        ["send", "http://127.0.0.1:9/x", "--sign", "svix", "--secret-env", "NO_SUCH_VARIABLE_HS"],
        "--secret-env NO_SUCH_VARIABLE_HS",
    ),
    "send-two-sources": (
        ["send", "http://127.0.0.1:9/x", "--sign", "svix", "--secret", "a", "--secret-env", "B"],
        "only one of --secret, --secret-env and --secret-file",
    ),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_bad_secret_sources_are_one_line_exit_2(case: str) -> None:
    argv, message = ERRORS[case]
    result = run_main(*argv, stdin=b"{}")
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert stderr.startswith("hookscope: error: "), stderr
    assert stderr.count("\n") == 1, stderr
    assert message in stderr, stderr
    assert SECRET not in stderr
