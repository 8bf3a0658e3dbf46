"""`hookscope sign`, `verify` and `schemes` as a user runs them: the command line in process
(one real subprocess for the pipes)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.cli_inprocess import run_main
from tests.helpers import run_cli

# Standard Webhooks' published test vector.
SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SW_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SW_TIMESTAMP = "1614265330"
SW_PAYLOAD = b'{"test": 2432232314}'
SW_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
SW_HEADERS = [
    "-H",
    f"webhook-id: {SW_ID}",
    "-H",
    f"Webhook-Timestamp: {SW_TIMESTAMP}",
    "-H",
    f"WEBHOOK-SIGNATURE: {SW_SIGNATURE}",
]


def assert_usage_error(result: subprocess.CompletedProcess[bytes], *words: str) -> None:
    assert result.returncode == 2, result
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) >= 1
    for word in words:
        assert word in stderr, stderr


def test_sign_prints_the_headers_of_the_published_vector() -> None:
    # A real process: the body through a pipe in, the headers through a pipe out.
    result = run_cli(
        "sign", "standard-webhooks", "--secret", SW_SECRET, "--id", SW_ID,
        "--timestamp", SW_TIMESTAMP, stdin=SW_PAYLOAD,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "webhook-id": SW_ID,
        "webhook-timestamp": SW_TIMESTAMP,
        "webhook-signature": SW_SIGNATURE,
    }
    assert result.stdout.count(b"\n") == 1


def test_sign_defaults_to_a_fresh_id_and_the_current_time() -> None:
    result = run_main("sign", "svix", "--secret", SW_SECRET, "--body-file", "-", stdin=b"{}")
    assert result.returncode == 0, result.stderr
    headers = json.loads(result.stdout)
    assert headers["svix-id"].startswith("msg_")
    assert int(headers["svix-timestamp"]) > 1_700_000_000


def test_verify_valid_exits_0(tmp_path: Path) -> None:
    body = tmp_path / "body.json"
    body.write_bytes(SW_PAYLOAD)
    result = run_main(
        "verify", "standard-webhooks", "--secret", SW_SECRET, *SW_HEADERS,
        "--now", "1614265400.5", "--body-file", str(body),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(b"ok: ")


def test_verify_json_for_a_reserialised_body() -> None:
    pretty = json.dumps(json.loads(SW_PAYLOAD), indent=2).encode()
    result = run_main(
        "verify", "standard-webhooks", "--secret", SW_SECRET, *SW_HEADERS,
        "--now", SW_TIMESTAMP, "--json", stdin=pretty,
    )  # fmt: skip
    assert result.returncode == 1
    verdict = json.loads(result.stdout)
    assert verdict["valid"] is False
    assert verdict["reason"] == "bad-signature"
    assert verdict["diagnosis"]["code"] == "body-reserialised"
    assert "serialised again" in verdict["detail"]
    assert verdict["received"] == [SW_SIGNATURE]


def test_verify_stale_timestamp_and_tolerance() -> None:
    args = ["verify", "standard-webhooks", "--secret", SW_SECRET, *SW_HEADERS, "--json"]
    stale = run_main(*args, stdin=SW_PAYLOAD)  # the real clock is years later
    assert stale.returncode == 1
    assert json.loads(stale.stdout)["reason"] == "timestamp-too-old"
    future = run_main(*args, "--now", "1614260000", stdin=SW_PAYLOAD)
    assert json.loads(future.stdout)["reason"] == "timestamp-too-new"
    unchecked = run_main(*args, "--tolerance", "0", stdin=SW_PAYLOAD)
    assert unchecked.returncode == 0
    verdict = json.loads(unchecked.stdout)
    assert verdict["valid"] is True
    assert verdict["reason"] == "ok"


def test_verify_missing_header_names_it() -> None:
    result = run_main("verify", "github", "--secret", "s", "--json", stdin=b"{}")
    assert result.returncode == 1
    verdict = json.loads(result.stdout)
    assert verdict["reason"] == "missing-header"
    assert "X-Hub-Signature-256" in verdict["detail"]


def test_sign_then_verify_twilio_with_a_url() -> None:
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    body = (
        b"CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234"
        b"&From=%2B14158675309&To=%2B18005551212"
    )
    signed = run_main("sign", "twilio", "--secret", "12345", "--url", url, stdin=body)
    assert json.loads(signed.stdout) == {"X-Twilio-Signature": "RSOYDt4T1cUTdK1PDd93/VVr8B8="}
    header = "X-Twilio-Signature: RSOYDt4T1cUTdK1PDd93/VVr8B8="
    ok = run_main("verify", "twilio", "--secret", "12345", "-H", header, "--url", url, stdin=body)
    assert ok.returncode == 0
    wrong = url.replace("https", "http")
    bad = run_main(
        "verify", "twilio", "--secret", "12345", "-H", header, "--url", wrong, stdin=body
    )
    assert bad.returncode == 1
    assert b"url-mismatch" in bad.stdout


def test_generic_hmac_sign_and_verify() -> None:
    shape = [
        "--header", "X-Acme-Signature", "--algorithm", "sha512", "--encoding", "base64",
        "--template", "{timestamp}.{body}", "--prefix", "v1=", "--timestamp-header", "X-Acme-Time",
    ]  # fmt: skip
    signed = run_main(
        "sign", "hmac", "--secret", "k", "--timestamp", "1700000000", *shape, stdin=b"hi"
    )
    assert signed.returncode == 0, signed.stderr
    headers = json.loads(signed.stdout)
    assert headers["X-Acme-Time"] == "1700000000"
    assert headers["X-Acme-Signature"].startswith("v1=")
    request = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    verify = ["verify", "hmac", "--secret", "k", *shape, *request, "--now", "1700000001"]
    assert run_main(*verify, stdin=b"hi").returncode == 0
    assert run_main(*verify, stdin=b"ho").returncode == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("sign", "nosuch", "--secret", "s"), ("unknown scheme", "stripe")),
        (("sign", "twilio", "--secret", "s"), ("--url",)),
        (("sign", "standard-webhooks", "--secret", "whsec_***"), ("base64",)),
        (("sign", "github", "--secret", "s", "--header", "X-Sig"), ("--header", "hmac")),
        (("sign", "hmac", "--secret", "s"), ("--header",)),
        (("sign", "hmac", "--secret", "s", "--header", "X", "--template", "{x}"), ("{x}",)),
        (("sign", "slack", "--secret", "s", "--timestamp", "soon"), ("UNIX seconds",)),
        (("sign", "github", "--secret", "s", "--body-file", "/nonexistent/body"), ("cannot read",)),
        (("verify", "github", "--secret", "s", "-H", "no colon here"), ("Name: value",)),
        (("verify", "github", "--secret", "s", "--tolerance", "-1"), (">= 0",)),
        (("verify", "discord", "--secret", "zz"), ("hex",)),
        (("verify", "github"), ("--secret",)),
    ],
)
def test_bad_usage_exits_2_with_one_clear_line(
    args: tuple[str, ...], words: tuple[str, ...]
) -> None:
    assert_usage_error(run_main(*args, stdin=b"{}"), *words)


def test_schemes_lists_every_scheme() -> None:
    text = run_main("schemes")
    assert text.returncode == 0
    listed = json.loads(run_main("schemes", "--json").stdout)
    names = [entry["name"] for entry in listed]
    required = {
        "standard-webhooks", "standard-webhooks-v1a", "svix", "stripe", "github", "github-sha1",
        "shopify", "slack", "twilio", "square", "paddle", "zoom", "discord", "linear",
        "intercom", "hmac",
    }  # fmt: skip
    assert required <= set(names)
    for name in names:
        assert name.encode() in text.stdout
    stripe = next(entry for entry in listed if entry["name"] == "stripe")
    assert stripe["headers"] == ["Stripe-Signature"]
    assert stripe["tolerance"] == 300
    assert stripe["tolerance_direction"] == "past"
