"""Every scheme, signed by the sender and received by hookscope's own receiver: the body arrives
byte for byte and the stored capture verifies with the same scheme (real sockets, real clock)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from hookscope.core.receiver import Receiver
from hookscope.core.send.sender import OutgoingRequest, send
from hookscope.core.send.signer import capture_event_id, make_signer, replay_url, resign_capture
from hookscope.core.signing import SCHEMES
from hookscope.core.store import Store
from tests.core.factories import make_capture
from tests.core.signing.samples import SAMPLES


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Receiver]:
    store = Store.open(tmp_path_factory.mktemp("signed") / "c.db")
    running = Receiver(store, port=0)
    running.start()
    yield running
    running.stop()
    store.close()


def test_every_scheme_is_covered() -> None:
    assert set(SAMPLES) == set(SCHEMES)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_signed_send_arrives_exactly_and_verifies(receiver: Receiver, name: str) -> None:
    sample = SAMPLES[name]
    body = sample.body
    if name == "linear":  # Linear's signed time is in the body, in milliseconds
        body = b'{"action":"create","webhookTimestamp":%d}' % (time.time() * 1000)
    url = f"{receiver.url}/hooks/{name}?n=1"
    headers = (("Content-Type", "application/json"), ("X-Before", "1"))
    signer = make_signer(sample.scheme, sample.sign_secret)
    result = asyncio.run(send(OutgoingRequest("POST", url, headers, body), signer=signer))
    assert result.status == 200, result.error
    (summary,) = [s for s in receiver.store.all_summaries() if s.path == f"/hooks/{name}"]
    capture = receiver.store.get(summary.id)
    assert capture is not None
    assert capture.body == body
    sent = [h for h in capture.headers if h[0].lower() not in ("host", "content-length")]
    assert sent[:2] == list(headers)
    assert {n.lower() for n, _ in sent[2:]} == {n.lower() for n in sample.scheme.headers}
    verdict = sample.scheme.verify(capture.headers, capture.body, sample.verify_secret, url=url)
    assert verdict.valid, verdict.detail
    wrong = sample.scheme.verify(capture.headers, capture.body, sample.other_secret, url=url)
    assert not wrong.valid


@pytest.mark.parametrize("name", ["stripe", "standard-webhooks", "svix", "slack", "github"])
def test_a_stored_capture_replayed_re_signed_verifies_where_it_lands(
    receiver: Receiver, name: str
) -> None:
    sample = SAMPLES[name]
    stale = int(time.time()) - 7200  # long past every tolerance
    old_headers = sample.scheme.sign(sample.body, sample.sign_secret, msg_id="msg_first",
                                     timestamp=stale, url="")  # fmt: skip
    original = receiver.store.add(
        make_capture(
            target=f"/orig/{name}", headers=(("X-Keep", "1"), *old_headers), body=sample.body
        )
    )
    url = replay_url(receiver.url + "/replayed", original)
    request, signer = resign_capture(original, name, sample.sign_secret, url)
    result = asyncio.run(send(request, signer=signer))  # as a retry would: signed again
    assert result.status == 200, result.error
    (summary,) = [s for s in receiver.store.all_summaries() if s.path == f"/replayed/orig/{name}"]
    replayed = receiver.store.get(summary.id)
    assert replayed is not None
    assert replayed.body == original.body
    assert replayed.header("X-Keep") == "1"
    verdict = sample.scheme.verify(replayed.headers, replayed.body, sample.verify_secret)
    assert verdict.valid, verdict.detail
    if sample.scheme.signs_id:
        assert verdict.timestamp is not None
        assert capture_event_id(replayed, sample.scheme, sample.sign_secret) == "msg_first"
