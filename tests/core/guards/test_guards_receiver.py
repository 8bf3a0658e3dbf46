"""The guards in the real receiver: real HTTP on 127.0.0.1, a real store. Every refused
request is answered as documented and still recorded, with why."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from hookscope.core.guards import Guards, GuardSettings
from hookscope.core.model import Capture
from hookscope.core.receiver import Receiver
from hookscope.core.signature_settings import SignatureSetting, SignatureSettings
from hookscope.core.signing import SCHEMES
from hookscope.core.store import Store

SECRET = "3f9c" + "0" * 28
OFF = GuardSettings(secret_path=False, rate=0)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "c.db") as opened:
        yield opened


@pytest.fixture
def serve(store: Store) -> Iterator[Callable[..., Receiver]]:
    started: list[Receiver] = []

    def start(guards: Guards | None) -> Receiver:
        receiver = Receiver(store, port=0)
        receiver.guards = guards
        receiver.start()
        started.append(receiver)
        return receiver

    yield start
    for receiver in started:
        receiver.stop()


def stored(store: Store) -> list[Capture]:
    return list(store.iter_captures())


def test_only_targets_under_the_secret_prefix_pass(store: Store, serve) -> None:
    receiver = serve(Guards(GuardSettings(secret=SECRET, rate=0)))
    body = b'{"id": 1,  "x": [1,2]}'
    with httpx.Client(base_url=receiver.url) as client:
        ok = client.post(f"/h/{SECRET}/hooks/stripe?a=%41", content=body)
        bare = client.post("/hooks/stripe", content=body)
        glued = client.post(f"/h/{SECRET}x/hooks", content=body)
        wrong = client.get(f"/h/{SECRET[:-1]}1/hooks")
    assert ok.status_code == 200
    assert [bare.status_code, glued.status_code, wrong.status_code] == [404, 404, 404]
    captures = stored(store)
    assert [c.response_status for c in captures] == [200, 404, 404, 404]
    # The target is kept exactly as received, prefix and all; the body byte for byte.
    assert captures[0].target == f"/h/{SECRET}/hooks/stripe?a=%41"
    assert captures[0].body == body
    assert captures[0].rejected is None
    assert [c.rejected for c in captures[1:]] == ["guard-secret-path"] * 3
    assert captures[1].body == body  # a refused request is recorded with what it carried


def test_rate_limit_per_forwarded_client_answers_429_and_records(store: Store, serve) -> None:
    guards = Guards(GuardSettings(secret_path=False, rate=0.001, burst=2))
    receiver = serve(guards)
    alice = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9"}  # the tunnel appended the last
    bob = {"CF-Connecting-IP": "192.0.2.44", "X-Forwarded-For": "203.0.113.9"}
    with httpx.Client(base_url=receiver.url) as client:
        first = [client.post("/a", headers=alice, content=b"x").status_code for _ in range(3)]
        other = client.post("/a", headers=bob, content=b"y")
        limited = client.post("/a", headers=alice, content=b"z")
    assert first == [200, 200, 429]
    assert other.status_code == 200  # another client has its own bucket
    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) >= 1
    captures = stored(store)
    assert [c.rejected for c in captures] == [
        None,
        None,
        "guard-rate-limited: 203.0.113.9",
        None,
        "guard-rate-limited: 203.0.113.9",
    ]
    assert captures[2].body == b"x"
    assert captures[2].rule == "guard: rate limit"


def test_required_signature_refuses_unsigned_and_bad_with_401(store: Store, serve) -> None:
    settings = SignatureSettings([SignatureSetting("/gh/*", scheme="github", secrets=("s3",))])
    guards = Guards(
        GuardSettings(secret=SECRET, rate=0, require_signature=("/gh/*",)), lambda: settings
    )
    receiver = serve(guards)
    body = b'{"action":"opened"}'
    good = dict(SCHEMES["github"].sign(body, ["s3"]))
    bad = dict(SCHEMES["github"].sign(body, ["other"]))
    base = f"/h/{SECRET}"
    with httpx.Client(base_url=receiver.url) as client:
        signed = client.post(f"{base}/gh/push", headers=good, content=body)
        unsigned = client.post(f"{base}/gh/push", content=body)
        wrong = client.post(f"{base}/gh/push", headers=bad, content=body)
        free = client.post(f"{base}/other", content=body)  # no signature required here
    assert [signed.status_code, unsigned.status_code, wrong.status_code, free.status_code] == [
        200,
        401,
        401,
        200,
    ]
    captures = stored(store)
    assert captures[0].rejected is None
    assert captures[1].rejected is not None
    assert captures[1].rejected.startswith("guard-signature: ")
    assert "missing-header" in captures[1].rejected
    assert captures[2].rejected is not None
    assert "bad-signature" in captures[2].rejected
    assert captures[2].body == body


def test_no_guards_change_nothing(store: Store, serve) -> None:
    receiver = serve(None)
    with httpx.Client(base_url=receiver.url) as client:
        answers = [client.post("/anything", content=b"1").status_code for _ in range(30)]
    assert answers == [200] * 30
    assert all(c.rejected is None for c in stored(store))


def test_guards_with_every_switch_off_let_everything_through(store: Store, serve) -> None:
    receiver = serve(Guards(OFF))
    with httpx.Client(base_url=receiver.url) as client:
        assert client.post("/x", content=b"").status_code == 200
    assert not OFF.any_on
