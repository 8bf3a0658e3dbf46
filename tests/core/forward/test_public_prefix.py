"""A public receiver's secret path prefix stays in the stored target but never reaches the
handler: forward paths match, and URLs are built, on the path under the prefix."""

from __future__ import annotations

import httpx
import pytest

from hookscope.core.forward import ForwardTarget, Mode
from hookscope.core.guards import Guards, GuardSettings
from hookscope.core.retry.policy import fixed
from hookscope.core.store import outbox
from tests.core.forward.conftest import Rig
from tests.helpers import wait_for


@pytest.mark.parametrize("mode", [Mode.PASS_THROUGH, Mode.QUEUE])
def test_the_handler_gets_the_path_under_the_secret_prefix(rig: Rig, mode: Mode) -> None:
    target = ForwardTarget(
        "app", rig.handler.url, path="/hooks/*", mode=mode, policy=fixed(5, 0.05)
    )
    receiver = rig.run(target)
    guards = Guards(GuardSettings(rate=0))
    receiver.guards = guards
    response = httpx.post(f"{receiver.url}{guards.prefix}/hooks/1?x=1", content=b'{"id":1}')
    assert response.status_code == 200
    (got,) = rig.handler.wait(1)
    assert got.target == "/hooks/1?x=1"
    assert got.body == b'{"id":1}'
    capture = rig.store.get(1)
    assert capture is not None
    assert capture.target == f"{guards.prefix}/hooks/1?x=1"  # stored as received
    db = rig.store.reader()
    wait_for(lambda: [a.status for a in outbox.attempts_for(db, 1)] == [200])
    (attempt,) = outbox.attempts_for(db, 1)
    assert attempt.url == f"{rig.handler.url}/hooks/1?x=1"
