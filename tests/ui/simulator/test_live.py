"""Live runs from the panel: real, signed requests to an in-process receiver on 127.0.0.1 that
fails on purpose, answers shown as they arrive, captures landing in the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from standardwebhooks.webhooks import Webhook

from hookscope.core.receiver import Receiver
from hookscope.core.responder import Responder
from hookscope.core.retry import Outcome
from hookscope.core.store import Store
from hookscope.ui.simulator import SimulatorPanel
from hookscope.ui.simulator.live_section import LIVE_PATH
from tests.ui.conftest import RunAsync, eventually
from tests.ui.simulator.helpers import plotted, table_texts

DAY_PER_SECOND = 86400.0


@pytest.fixture
def failing_receiver(tmp_path: Path) -> Iterator[tuple[Receiver, Store]]:
    store = Store.open(tmp_path / "captures.db")
    receiver = Receiver(store, port=0, responder=Responder(fail_first=3))
    receiver.start()
    try:
        yield receiver, store
    finally:
        receiver.stop()
        store.close()


def test_live_svix_run_lands_four_signed_attempts_at_the_schedules_times(
    qapp: QApplication,
    qtbot: QtBot,
    run_async: RunAsync,
    failing_receiver: tuple[Receiver, Store],
) -> None:
    receiver, store = failing_receiver
    panel = SimulatorPanel(receiver_url=receiver.url)
    qtbot.addWidget(panel)
    panel.show()
    panel.policy_a.set_policy_name("svix")
    panel.live.set_speedup(DAY_PER_SECOND)  # the 35 min of schedule pass in ~25 ms
    assert panel.live.url.text() == receiver.url + LIVE_PATH
    shown: list[object] = []
    panel.live_attempt_shown.connect(shown.append)

    async def scenario() -> None:
        panel.live.run_button.click()
        assert panel.live.running
        await eventually(lambda: panel.live_summary is not None)

    run_async(scenario())
    summary = panel.live_summary
    assert summary is not None
    assert summary.delivered_at_s == 2105.0
    assert [a.at_s for a in panel.live_attempts] == [0.0, 5.0, 305.0, 2105.0]
    assert [a.outcome for a in panel.live_attempts] == [Outcome.FAILURE] * 3 + [Outcome.SUCCESS]
    assert len(shown) == 4
    assert table_texts(panel.live_model, 1) == ["00:00:00", "00:00:05", "00:05:05", "00:35:05"]
    assert [text.split()[0] for text in table_texts(panel.live_model, 4)] == [
        "503", "503", "503", "200",
    ]  # fmt: skip
    live_track = [t.name for t in panel.plot.tracks].index("live")
    assert plotted(panel, live_track)[0] == [0.0, 5.0, 305.0, 2105.0]
    assert not panel.live.running
    assert "delivered at 00:35:05" in panel.live.status.text()

    captures = store.summaries(newest_first=False)
    assert [(c.path, c.response_status) for c in captures] == [(LIVE_PATH, 503)] * 3 + [
        (LIVE_PATH, 200)
    ]
    secret = panel.live.secret.text()
    ids = set()
    for summary_row in captures:
        capture = store.get(summary_row.id)
        assert capture is not None
        headers = {name.lower(): value for name, value in capture.headers}
        Webhook(secret).verify(capture.body, headers)  # raises if the signature is wrong
        ids.add(headers["webhook-id"])
    assert len(ids) == 1  # retries of one event keep its id


def test_stop_ends_a_live_run_during_a_wait(
    qapp: QApplication,
    qtbot: QtBot,
    run_async: RunAsync,
    failing_receiver: tuple[Receiver, Store],
) -> None:
    receiver, store = failing_receiver
    panel = SimulatorPanel(receiver_url=receiver.url)
    qtbot.addWidget(panel)
    panel.policy_a.set_policy_name("svix")
    panel.live.set_speedup(1.0)  # real time: the first retry would come 5 s later

    async def scenario() -> None:
        panel.start_live()
        await eventually(lambda: len(panel.live_attempts) == 1)
        panel.live.run_button.click()  # now "Stop"
        await eventually(lambda: panel.live_summary is not None)

    run_async(scenario())
    assert panel.live_summary is not None
    assert panel.live_summary.cancelled
    assert len(panel.live_attempts) == 1
    assert store.count() == 1
    assert panel.live.run_button.text() == "Run live"
    assert "stopped after 1 attempt" in panel.live.status.text()


def test_live_run_needs_a_url(qtbot: QtBot) -> None:
    panel = SimulatorPanel()
    qtbot.addWidget(panel)
    panel.live.url.clear()
    panel.start_live()
    assert not panel.live.running
    assert "URL" in panel.live.status.text()


def test_a_bad_secret_is_reported_before_anything_is_sent(qtbot: QtBot) -> None:
    panel = SimulatorPanel(receiver_url="http://127.0.0.1:9")
    qtbot.addWidget(panel)
    panel.live.secret.setText("whsec_not base64!")
    panel.start_live()
    assert not panel.live.running
    assert panel.live.status.text()
    assert panel.live_attempts == []
