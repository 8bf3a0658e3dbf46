"""`hookscope send` end to end: `hookscope send` in process against real `hookscope listen`
processes on 127.0.0.1, retries against a receiver that fails first, unreachable and silent
targets."""

from __future__ import annotations

import base64
import json
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import stripe
import svix.webhooks

from hookscope.cli import main
from hookscope.core.signing import SCHEMES
from tests.cli_inprocess import run_main
from tests.core.signing.samples import SAMPLES
from tests.helpers import Listener, start_listener

SVIX_SECRET = SAMPLES["svix"].sign_secret
STRIPE_SECRET = SAMPLES["stripe"].sign_secret
BODY = b'{"type":"invoice.paid","data":{"id":"in_1","amount":4200}}'
HMAC_SIGNING_A_TIMESTAMP = [
    "--sign", "hmac", "--secret", "s", "--hmac-header", "X", "--hmac-template", "{timestamp}.{body}"
]  # fmt: skip


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Listener]:
    listener = start_listener(tmp_path_factory.mktemp("plain") / "c.db")
    yield listener
    listener.stop()


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Listener]:
    """Answers 503 to the first two requests of each path, then 200."""
    listener = start_listener(tmp_path_factory.mktemp("failing") / "c.db", "--fail-first", "2")
    yield listener
    listener.stop()


def url(listener: Listener, path: str) -> str:
    return f"http://127.0.0.1:{listener.port}{path}"


def records_for(listener: Listener, path: str, count: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 10
    while True:
        found = [r for r in listener.records if r["target"] == path]
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) == count, found
            return found
        time.sleep(0.02)


def headers_of(record: dict[str, Any]) -> dict[str, str]:
    return {name.lower(): value for name, value in record["headers"]}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_retry_succeeds_on_the_third_attempt_re_signed_each_time(failing: Listener) -> None:
    # Waits of 1 s: the signed timestamps (whole seconds) must differ between attempts.
    done = run_main(
        "send", url(failing, "/retry/svix"), "--sign", "svix", "--secret", SVIX_SECRET,
        "--retry", "fixed", "--attempts", "3", "--base", "1", "--json", stdin=BODY,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert [a["status"] for a in document["attempts"]] == [503, 503, 200]
    assert [a["outcome"] for a in document["attempts"]] == ["failure", "failure", "success"]
    assert [a["scheduled_at_s"] for a in document["attempts"]] == [0, 1, 2]
    assert document["attempts"][2]["at_s"] >= 2.0
    assert document["delivered"] is True
    assert document["request"]["scheme"] == "svix"
    event_id = document["request"]["event_id"]
    received = records_for(failing, "/retry/svix", 3)
    assert [r["response_status"] for r in received] == [503, 503, 200]
    assert {headers_of(r)["svix-id"] for r in received} == {event_id}
    stamps = [headers_of(r)["svix-timestamp"] for r in received]
    assert len(set(stamps)) == 3, stamps
    for record in received:
        body = base64.b64decode(record["body_b64"])
        assert body == BODY
        svix.webhooks.Webhook(SVIX_SECRET).verify(body, headers_of(record))
    sent = [dict(a["request_headers"])["svix-timestamp"] for a in document["attempts"]]
    assert sent == stamps


def test_a_provider_schedule_compressed_by_the_time_scale(failing: Listener) -> None:
    started = time.monotonic()
    done = run_main(
        "send", url(failing, "/retry/stripe"), "--sign", "stripe", "--secret", STRIPE_SECRET,
        "--retry", "svix", "--time-scale", "0.001", stdin=BODY,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 30  # 5 s + 5 min of schedule in about 0.3 s of waiting
    lines = done.stderr.decode().splitlines()
    assert lines[0].startswith("#1  ")
    assert "503 Service Unavailable" in lines[0]
    assert "next in 00:00:05, 0.005 s at --time-scale 0.001" in lines[0]
    assert "next in 00:05:00" in lines[1]
    assert "200 OK" in lines[2]
    assert lines[-1] == "delivered on attempt 3"
    for record in records_for(failing, "/retry/stripe", 3):
        signature = headers_of(record)["stripe-signature"]
        stripe.WebhookSignature.verify_header(BODY.decode(), signature, STRIPE_SECRET, 300)


def test_exit_1_when_every_attempt_fails(failing: Listener) -> None:
    done = run_main(
        "send", url(failing, "/retry/give-up"), "--retry", "fixed", "--attempts", "2",
        "--base", "0.01", stdin=b"x",
    )  # fmt: skip
    assert done.returncode == 1
    last = done.stderr.decode().splitlines()[-1]
    assert last == (
        "hookscope: send failed after 2 attempts (every attempt failed): 503 Service Unavailable"
    )


def test_unreachable_target_is_exit_1_with_one_clear_line() -> None:
    target = f"http://127.0.0.1:{free_port()}/nobody"
    done = run_main("send", target, stdin=BODY)
    assert done.returncode == 1
    assert done.stdout == b""
    assert done.stderr.decode() == (
        f"hookscope: send failed: could not connect to {target}: connection refused "
        "(is anything listening there?)\n"
    )
    retried = run_main(
        "send", target, "--retry", "fixed", "--attempts", "2", "--base", "0.01", "--json",
        stdin=BODY,
    )  # fmt: skip
    assert retried.returncode == 1
    document = json.loads(retried.stdout)
    assert [a["status"] for a in document["attempts"]] == [None, None]
    assert document["delivered"] is False
    assert document["stop_reason"] == "exhausted"
    assert document["error"].startswith(f"could not connect to {target}")


def test_a_silent_target_times_out() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        port = silent.getsockname()[1]
        started = time.monotonic()
        done = run_main(
            "send", f"http://127.0.0.1:{port}/slow", "--timeout", "0.5", "--json", stdin=BODY
        )
        elapsed = time.monotonic() - started
    assert done.returncode == 1
    document = json.loads(done.stdout)
    (attempt,) = document["attempts"]
    assert attempt["outcome"] == "timeout"
    assert attempt["error"] == "timed out after 0.5 s"
    assert "timed out after 0.5 s" in done.stderr.decode()
    assert elapsed < 30


def test_a_template_sent_and_signed_as_github_would(plain: Listener) -> None:
    done = run_main(
        "send", f"http://127.0.0.1:{plain.port}", "--template", "github-push", "--secret", "s3",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.decode().startswith("200 OK")
    (record,) = records_for(plain, "/hooks/github", 1)  # a URL without a path takes the template's
    headers = headers_of(record)
    assert headers["x-github-event"] == "push"
    assert uuid.UUID(headers["x-github-delivery"])
    body = base64.b64decode(record["body_b64"])
    assert json.loads(body)["ref"] == "refs/heads/main"
    assert b"{{" not in body
    assert SCHEMES["github"].verify(record["headers"], body, "s3").valid


def test_headers_body_and_defaults(plain: Listener, tmp_path: Path) -> None:
    body_file = tmp_path / "body.bin"
    body_file.write_bytes(bytes(range(256)))
    done = run_main(
        "send", url(plain, "/h/binary?x=1"), "-X", "PUT", "--body-file", str(body_file),
        "-H", "X-One: 1", "-H", "x-one: 2", "-H", "User-Agent:", "-H", "X-Empty;",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (record,) = records_for(plain, "/h/binary?x=1", 1)
    assert record["method"] == "PUT"
    assert base64.b64decode(record["body_b64"]) == bytes(range(256))
    sent = [[n, v] for n, v in record["headers"] if n.lower() not in ("host", "content-length")]
    assert sent == [["X-One", "1"], ["x-one", "2"], ["X-Empty", ""]]

    done = run_main("send", url(plain, "/h/json"), stdin=b'{"a": 1}\n')
    assert done.returncode == 0, done.stderr
    (record,) = records_for(plain, "/h/json", 1)
    headers = headers_of(record)
    assert headers["content-type"] == "application/json"  # a JSON body, and none given
    assert headers["user-agent"].startswith("hookscope/")
    assert base64.b64decode(record["body_b64"]) == b'{"a": 1}\n'


def test_the_answer_body_goes_to_stdout(plain: Listener) -> None:
    done = run_main("send", url(plain, "/h/answer"), stdin=b"")
    assert done.returncode == 0
    assert done.stdout == b""  # listen answers 200 with an empty body
    assert done.stderr.decode().startswith("200 OK")


def test_variables_expand_and_unknown_ones_are_reported(plain: Listener) -> None:
    done = run_main(
        "send", url(plain, "/h/vars"), "--expand-vars", "-H", "X-Seq: {{seq}}",
        stdin=b'{"id":"{{uuid}}","at":{{now}},"oops":"{{nope}}"}',
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "hookscope: warning: unknown variable {{nope}} left as is" in done.stderr.decode()
    (record,) = records_for(plain, "/h/vars", 1)
    document = json.loads(base64.b64decode(record["body_b64"]))
    assert uuid.UUID(document["id"])
    assert abs(document["at"] - time.time()) < 60
    assert document["oops"] == "{{nope}}"
    assert headers_of(record)["x-seq"] == "1"


def test_insecure_says_so(plain: Listener) -> None:
    done = run_main("send", url(plain, "/h/insecure"), "--insecure", stdin=b"")
    assert done.returncode == 0
    assert "TLS certificate verification is off (--insecure)" in done.stderr.decode()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give the URL to send to"),
        (["ftp://x/"], "is not an http:// or https:// URL"),
        (["http://x/", "-H", "no colon"], "-H: expected 'Name: value'"),
        (["http://x/", "-X", "GET POST"], "is not an HTTP method"),
        (["http://x/", "--secret", "s"], "--secret signs with a scheme: add --sign SCHEME"),
        (["http://x/", "--sign", "stripe"], "--sign stripe needs --secret S"),
        (["http://x/", "--sign", "nope", "--secret", "s"], "unknown scheme 'nope'"),
        (["http://x/", "--sign", "svix", "--secret", "!!"], "whsec_"),
        (["http://x/", "--attempts", "3"], "--attempts: only with --retry POLICY"),
        (["http://x/", "--time-scale", "0.1"], "--time-scale: only with --retry POLICY"),
        (["http://x/", "--retry", "nope"], "nope"),
        (["http://x/", "--retry", "svix", "--time-scale", "0"], "--time-scale: expected"),
        (["http://x/", "--retry", "svix", "--follow-redirects"], "--follow-redirects"),
        (["http://x/", "--template", "nope"], "unknown template 'nope'"),
        (["http://x/", "--sign", "hmac", "--secret", "s"], "--hmac-header NAME"),
        (["http://x/", *HMAC_SIGNING_A_TIMESTAMP], "(--hmac-timestamp-header)"),
        (["http://x/", "--hmac-header", "X"], "describe --sign hmac"),
        (["http://x/", "--sign", "twilio", "--secret", "t"], "bodySHA256"),
    ],
)
def test_bad_usage_is_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: list[str], message: str
) -> None:
    body = tmp_path / "b.json"
    body.write_bytes(BODY)
    assert main(["send", *args, "--body-file", str(body)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hookscope: error: ")
    assert err.count("\n") == 1
    assert message in err


def test_generic_hmac_signs_with_the_options_given(plain: Listener) -> None:
    done = run_main(
        "send", url(plain, "/h/hmac"), "--sign", "hmac", "--secret", "k",
        "--hmac-header", "X-Acme-Signature", "--hmac-prefix", "v1=", "--hmac-algorithm",
        "sha512", "--hmac-template", "{timestamp}.{body}", "--hmac-timestamp-header",
        "X-Acme-Timestamp", stdin=BODY,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (record,) = records_for(plain, "/h/hmac", 1)
    sample = SAMPLES["hmac"]
    scheme = type(sample.scheme)(
        header="X-Acme-Signature", algorithm="sha512", prefix="v1=",
        template="{timestamp}.{body}", timestamp_header="X-Acme-Timestamp",
    )  # fmt: skip
    assert scheme.verify(record["headers"], BODY, "k").valid


def test_templates_command_lists_and_shows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["templates"]) == 0
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()]
    assert names == [
        "order-created", "stripe-payment-intent-succeeded", "github-push",
        "shopify-orders-create", "slack-event-callback", "standard-webhooks-event",
    ]  # fmt: skip
    assert main(["templates", "github-push", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["scheme"] == "github"
    assert ["X-GitHub-Event", "push"] in shown["headers"]
    done = run_main("templates", "slack-event-callback")
    assert done.returncode == 0
    assert b"POST /hooks/slack\n" in done.stdout
    assert b'"type":"event_callback"' in done.stdout
