"""Every configured secret is gone from every format's bytes when redacting, and present
without redaction (so the search itself is shown to find them)."""

from __future__ import annotations

import base64
import io
import json
import re
from typing import Any

import pytest

from hookscope.core.formats import EXPORTERS, ExportOptions
from hookscope.core.model import Capture
from hookscope.core.redact import RedactionProfile, Redactor
from tests.core.factories import make_capture

SECRETS = {
    "authorization": "sk_live_AUTHSECRET01",
    "cookie": "COOKIESECRET02",
    "stripe-signature": "STRIPESIGSECRET03",
    "hub-signature": "HUBSIGSECRET04",
    "user-header": "ACMEHEADERSECRET05",
    "query-token": "QUERYTOKENSECRET06",
    "user-query": "QUERYCODESECRET07",
    "json-password": "JSONPASSWORDSECRET08",
    "json-nested": "NESTEDAPIKEYSECRET09",
    "json-user-path": "USEREMAILSECRET10",
    "form-password": "FORMPASSWORDSECRET11",
    "proxy-authorization": "PROXYSECRET12",
    "response-cookie": "SETCOOKIESECRET13",
    "response-json": "RESPONSETOKENSECRET14",
}
S = SECRETS
PROFILE = RedactionProfile(
    headers=("X-Acme-Key",), params=("code",), json_paths=("$.customer.email",)
)


def captures() -> list[Capture]:
    body = {
        "type": "invoice.paid",
        "password": S["json-password"],
        "data": {"object": {"api_key": S["json-nested"], "amount": 10}},
        "customer": {"email": S["json-user-path"], "name": "Ann"},
    }
    return [
        make_capture(
            id=1,
            target=f"/hooks?token={S['query-token']}&code={S['user-query']}&page=2",
            headers=(
                ("Host", "h"),
                ("Content-Type", "application/json"),
                ("Authorization", f"Bearer {S['authorization']}"),
                ("Cookie", f"session={S['cookie']}; theme=dark"),
                ("Stripe-Signature", f"t=1,v1={S['stripe-signature']}"),
                ("X-Hub-Signature-256", f"sha256={S['hub-signature']}"),
                ("X-Acme-Key", S["user-header"]),
                ("Proxy-Authorization", f"Basic {S['proxy-authorization']}"),
            ),
            body=json.dumps(body).encode(),
            response_headers=(
                ("Content-Type", "application/json"),
                ("Set-Cookie", f"sid={S['response-cookie']}; Path=/"),
            ),
            response_body=json.dumps({"access_token": S["response-json"]}).encode(),
        ),
        make_capture(
            id=2,
            target="/form",
            headers=(("Content-Type", "application/x-www-form-urlencoded"),),
            body=f"user=ann&password={S['form-password']}".encode(),
        ),
        make_capture(id=3, target="/bin", body=b"\x00\xff binary, no secrets"),
    ]


def haystack(fmt: str, data: bytes) -> bytes:
    """The output plus every body it carries in base64, decoded."""
    blobs = [data]
    if fmt in ("ndjson", "json"):
        for record in records(fmt, data):
            blobs += [base64.b64decode(record["body_b64"])]
            blobs += [base64.b64decode(record["response_body_b64"])]
    elif fmt == "har":
        for entry in json.loads(data)["log"]["entries"]:
            post = entry["request"].get("postData")
            if post and post.get("_encoding") == "base64":
                blobs.append(base64.b64decode(post["text"]))
            content = entry["response"]["content"]
            if content.get("encoding") == "base64":
                blobs.append(base64.b64decode(content["text"]))
    elif fmt == "curl":
        for block in re.findall(rb"\n([A-Za-z0-9+/=\n]+)\nHOOKSCOPE_BODY", data):
            blobs.append(base64.b64decode(block))
    return b"\n".join(blobs)


def records(fmt: str, data: bytes) -> list[dict[str, Any]]:
    if fmt == "json":
        items: list[dict[str, Any]] = json.loads(data)
        return items
    return [json.loads(line) for line in data.splitlines()]


def carried(fmt: str) -> set[str]:
    """Which secrets a format writes at all."""
    if fmt == "csv":  # metadata only: the target is the one place a secret can be
        return {"query-token", "user-query"}
    if fmt == "curl":  # requests only; Proxy-Authorization is hop-by-hop and dropped
        return set(SECRETS) - {"proxy-authorization", "response-cookie", "response-json"}
    return set(SECRETS)


def export(fmt: str, redactor: Redactor | None) -> bytes:
    out = io.BytesIO()
    EXPORTERS[fmt](captures(), out, ExportOptions(redactor=redactor))
    return out.getvalue()


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_without_redaction_the_search_finds_every_secret(fmt: str) -> None:
    found = haystack(fmt, export(fmt, None))
    missing = [name for name in carried(fmt) if SECRETS[name].encode() not in found]
    assert not missing


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_redaction_removes_every_secret(fmt: str) -> None:
    data = export(fmt, Redactor(PROFILE))
    found = haystack(fmt, data)
    leaked = [name for name, value in SECRETS.items() if value.encode() in found]
    assert not leaked
    assert b"REDACTED" in found


@pytest.mark.parametrize("fmt", ["har", "curl"])
def test_redacted_exports_say_the_json_body_was_re_serialised(fmt: str) -> None:
    data = export(fmt, Redactor(PROFILE))
    assert b"the JSON request and response bodies were re-serialised" in data


@pytest.mark.parametrize("fmt", ["ndjson", "json"])
def test_redacted_records_say_what_was_masked(fmt: str) -> None:
    first = records(fmt, export(fmt, Redactor(PROFILE)))[0]
    assert first["redacted"]["body_reserialised"] is True
    assert "header Authorization" in first["redacted"]["masked"]
    assert "json $['customer']['email']" in first["redacted"]["masked"]


def test_unredacted_exports_keep_bodies_byte_exact() -> None:
    data = export("ndjson", None)
    first = json.loads(data.splitlines()[0])
    assert base64.b64decode(first["body_b64"]) == captures()[0].body
    assert "redacted" not in first
