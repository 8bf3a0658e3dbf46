from __future__ import annotations

import json

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.core.model import Capture
from hookscope.core.redact import MASK, RedactionProfile, RedactionReport, Redactor
from hookscope.core.secret_names import SECRET_HEADERS, looks_secret
from tests.core.factories import deep_json, make_capture


def redact(
    profile: RedactionProfile | None = None, **fields: object
) -> tuple[Capture, RedactionReport]:
    return Redactor(profile).redact(make_capture(**fields))


@pytest.mark.parametrize("name", [*SECRET_HEADERS, "X-Hub-Signature-256", "X-Acme-Signature"])
def test_every_default_secret_header_is_masked(name: str) -> None:
    capture, report = redact(headers=(("Host", "h"), (name, "s3cr3t-value")))
    assert capture.headers[0] == ("Host", "h")
    assert capture.headers[1][0] == name
    assert "s3cr3t-value" not in capture.headers[1][1]
    assert report.labels() == [f"header {name}"]


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("apiKey", True),
        ("api_key", True),
        ("X-Api-Key", True),
        ("client_secret", True),
        ("accessToken", True),
        ("refresh_token", True),
        ("password_confirmation", True),
        ("x-gitlab-token", True),
        ("Proxy-Authorization", True),
        ("sessionId", True),
        ("private_key", True),
        ("completion_tokens", False),
        ("author", False),
        ("Content-Type", False),
        ("X-GitHub-Delivery", False),
        ("WWW-Authenticate", False),
        ("webhook-id", False),
        ("key", False),
        ("design", False),
    ],
)
def test_secret_looking_names(name: str, secret: bool) -> None:
    assert looks_secret(name) is secret


def test_a_bare_key_parameter_is_a_secret_in_urls_only() -> None:
    assert looks_secret("key", loose=True)
    capture, _ = redact(target="/chat?key=AIzaSECRET&space=1", body=b'{"key": "PROJ-12"}')
    assert capture.target == f"/chat?key={MASK}&space=1"
    assert capture.body == b'{"key": "PROJ-12"}'


def test_authorization_keeps_its_scheme_and_cookies_keep_their_names() -> None:
    capture, report = redact(
        headers=(
            ("Authorization", "Bearer sk_live_123"),
            ("Cookie", "session=abc; theme=dark"),
        ),
        response_headers=(("Set-Cookie", "sid=xyz; Path=/; HttpOnly"),),
    )
    assert capture.headers == (
        ("Authorization", f"Bearer {MASK}"),
        ("Cookie", f"session={MASK}; theme={MASK}"),
    )
    assert capture.response_headers == (("Set-Cookie", f"sid={MASK}; Path=/; HttpOnly"),)
    assert report.labels() == [
        "header Authorization",
        "header Cookie",
        "response header Set-Cookie",
    ]


def test_query_parameters_are_masked_and_every_other_byte_kept() -> None:
    capture, report = redact(target="/p%20a?a=1&token=t%2Fx&&b&access_token=&Signature=zz#f")
    assert capture.target == f"/p%20a?a=1&token={MASK}&&b&access_token=&Signature={MASK}"
    assert [(r.name, r.before) for r in report.redactions] == [
        ("token", "t%2Fx"),
        ("Signature", "zz#f"),
    ]


def test_form_fields_are_masked_in_place() -> None:
    body = b"user=ann&password=hunter2&pin=1234&note=caf\xe9"
    capture, report = redact(
        RedactionProfile(params=("pin",)),
        headers=(("Content-Type", "application/x-www-form-urlencoded; charset=latin-1"),),
        body=body,
    )
    assert capture.body == f"user=ann&password={MASK}&pin={MASK}&note=caf\xe9".encode("latin-1")
    assert capture.body_size == len(capture.body)
    assert not report.body_reserialised
    assert report.labels() == ["form password", "form pin"]


def test_json_fields_are_masked_at_any_depth() -> None:
    body = {
        "type": "customer.created",
        "data": {"object": {"api_key": "k_1", "email": "a@b.c", "card": {"number": "4242"}}},
        "items": [{"token": "t1"}, {"token": "t2", "ok": True}],
        "password": "",
        "secret_flag": True,
        "credentials": {"user": "u", "pass": "p"},
    }
    capture, report = redact(
        RedactionProfile(json_paths=("$.data.object.email", "data.object.card.number")),
        body=json.dumps(body).encode(),
    )
    masked = json.loads(capture.body)
    assert masked["data"]["object"] == {"api_key": MASK, "email": MASK, "card": {"number": MASK}}
    assert masked["items"] == [{"token": MASK}, {"token": MASK, "ok": True}]
    assert masked["password"] == ""  # nothing to hide
    assert masked["secret_flag"] is True  # booleans hold no secret
    assert masked["credentials"] == MASK
    assert masked["type"] == "customer.created"
    assert report.body_reserialised
    assert "re-serialised" in report.note()
    assert "k_1" not in report.note() and "4242" not in report.note()  # noqa: PT018
    names = {r.name for r in report.redactions}
    assert names >= {
        "$['data']['object']['email']",
        "$['data']['object']['card']['number']",
        "$['data']['object']['api_key']",
        "$['items'][0]['token']",
        "$['credentials']",
    }


def test_json_paths_with_wildcards_and_descent() -> None:
    body = b'{"a": {"email": "x"}, "b": [{"email": "y"}, {"email": "z"}]}'
    capture, report = redact(RedactionProfile(json_paths=("$..email",), defaults=False), body=body)
    assert json.loads(capture.body) == {
        "a": {"email": MASK},
        "b": [{"email": MASK}, {"email": MASK}],
    }
    assert len(report.redactions) == 3


def test_masked_json_keeps_the_original_style() -> None:
    compact, _ = redact(body=b'{"a":1,"token":"t"}')
    assert compact.body == b'{"a":1,"token":"REDACTED"}'
    pretty, _ = redact(body=b'{\n  "a": 1,\n  "token": "t"\n}')
    assert pretty.body == b'{\n  "a": 1,\n  "token": "REDACTED"\n}'
    unicode, _ = redact(body='{"name": "caf\u00e9", "token": "t"}'.encode())
    assert unicode.body == '{"name": "caf\u00e9", "token": "REDACTED"}'.encode()


def test_nothing_to_mask_leaves_the_capture_untouched() -> None:
    original = make_capture(target="/x?a=1", body=b'{ "a" :  1.10 }', headers=(("X-Id", "1"),))
    capture, report = Redactor().redact(original)
    assert capture is original
    assert capture.body == b'{ "a" :  1.10 }'
    assert not report.masked


def test_non_json_bodies_are_left_alone() -> None:
    for body in (b"\x00\xff{", b"{not json", b"[" * 100_000):
        capture, report = redact(body=body)
        assert capture.body == body
        assert not report.masked


def test_response_json_is_masked_too() -> None:
    capture, report = redact(
        response_headers=(("Content-Type", "application/json"),),
        response_body=b'{"access_token":"at"}',
    )
    assert capture.response_body == b'{"access_token":"REDACTED"}'
    assert report.response_body_reserialised
    assert report.labels() == ["response json $['access_token']"]


def test_user_header_globs_and_no_defaults() -> None:
    profile = RedactionProfile(headers=("x-acme-*",), defaults=False)
    capture, _ = redact(
        profile, headers=(("X-Acme-Id", "1"), ("X-ACME-Secret", "2"), ("Authorization", "a"))
    )
    assert capture.headers == (("X-Acme-Id", MASK), ("X-ACME-Secret", MASK), ("Authorization", "a"))


def test_preview_lists_before_and_after() -> None:
    capture = make_capture(
        headers=(("Stripe-Signature", "t=1,v1=abc"),), target="/x?token=t1", body=b'{"pwd": 7}'
    )
    preview = Redactor().preview(capture)
    assert [(r.where, r.name, r.before, r.after) for r in preview] == [
        ("header", "Stripe-Signature", "t=1,v1=abc", MASK),
        ("query", "token", "t1", MASK),
        ("json", "$['pwd']", "7", MASK),
    ]


def test_preview_truncates_long_values() -> None:
    preview = Redactor().preview(make_capture(body=json.dumps({"token": "x" * 5000}).encode()))
    assert len(preview[0].before) == 200
    assert preview[0].before.endswith("…")


def test_a_bad_json_path_is_a_clear_error() -> None:
    with pytest.raises(HookscopeError, match=r"bad JSON path '\$\.\[\[': "):
        Redactor(RedactionProfile(json_paths=("$.[[",)))


@pytest.mark.parametrize("depth", [1000, 3000])
@pytest.mark.parametrize("paths", [(), ("$..secret",)])
def test_a_json_body_too_deep_to_check_is_withheld_not_let_out(
    depth: int, paths: tuple[str, ...]
) -> None:
    capture = make_capture(body=deep_json(depth))
    redacted, report = Redactor(RedactionProfile(json_paths=paths)).redact(capture)
    assert b"hunter2" not in redacted.body
    assert b"s3cr3t" not in redacted.body
    assert redacted.body == b'"REDACTED"'
    assert report.body_reserialised
    assert "json $" in report.labels()
    assert "nested too deep" in report.redactions[-1].before


def test_a_json_path_walk_that_runs_out_of_stack_withholds_the_body() -> None:
    body = deep_json(200)  # within the depth limit, beyond what `..` can walk recursively
    redacted, report = Redactor(RedactionProfile(json_paths=("$..secret",))).redact(
        make_capture(body=body)
    )
    assert b"s3cr3t" not in redacted.body
    assert report.labels() == ["json $"]
