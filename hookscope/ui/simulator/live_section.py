"""Running the policy for real: every attempt a real, signed request to a URL, with the
schedule's time compressed (an hour of waiting passes in a second), answers shown as they come.

The run itself is core's `LiveRun`; the panel gets it from a factory (`LiveRunFactory`), so the
app can sign with its own scheme and secret, and tests can substitute their own. The default,
`standard_live_run`, sends a small JSON event signed with Standard Webhooks."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from random import Random
from typing import TYPE_CHECKING, ClassVar, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from hookscope.core.retry import Attempt, Outcome, Policy

if TYPE_CHECKING:
    from hookscope.core.retry.live import LiveAttempt, LiveRun, LiveSummary

__all__ = [
    "LIVE_PATH",
    "LiveRequest",
    "LiveRunFactory",
    "LiveRunLike",
    "LiveSection",
    "as_attempt",
    "live_answer",
    "new_secret",
    "standard_live_run",
]

LIVE_PATH = "/retry-test"  # appended to the receiver's URL, so live runs are easy to filter
LIVE_SCHEME = "standard-webhooks"
# Schedule seconds per real second, as offered: real time up to a day per second.
_SPEEDS = (
    ("1 h of schedule per second", 3600.0),
    ("1 min of schedule per second", 60.0),
    ("10 min of schedule per second", 600.0),
    ("1 day of schedule per second", 86400.0),
    ("real time", 1.0),
)


def new_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


@dataclass(frozen=True, slots=True)
class LiveRequest:
    policy: Policy
    url: str
    speedup: float  # schedule seconds per real second (3600: an hour passes in a second)
    seed: int  # jitter draws, as in the simulation
    secret: str  # signs each attempt (Standard Webhooks by default)


class LiveRunLike(Protocol):
    async def run(self, on_attempt: Callable[[LiveAttempt], None] | None = None) -> LiveSummary: ...

    def cancel(self) -> None: ...


LiveRunFactory = Callable[[LiveRequest], LiveRunLike]


def standard_live_run(request: LiveRequest) -> LiveRun:
    """One JSON event, re-signed for every attempt with the same message id (as Svix does)."""
    # Imported when a run starts: the simulator itself needs neither httpx nor the signers.
    from hookscope.core.retry.live import LiveRun
    from hookscope.core.send.sender import OutgoingRequest
    from hookscope.core.signing.ids import new_message_id
    from hookscope.core.signing.signer import SchemeSigner

    msg_id = new_message_id()
    body = json.dumps(
        {
            "type": "hookscope.retry_test",
            "id": msg_id,
            "policy": request.policy.name,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
        separators=(",", ":"),
    ).encode()
    outgoing = OutgoingRequest(
        "POST",
        request.url,
        (("Content-Type", "application/json"), ("User-Agent", "hookscope-retry")),
        body,
    )
    return LiveRun(
        request.policy,
        outgoing,
        signer=SchemeSigner(LIVE_SCHEME, request.secret, msg_id=msg_id),
        time_scale=1.0 / request.speedup,
        rng=Random(request.seed),
    )


def as_attempt(live: LiveAttempt) -> Attempt:
    """The simulator's view of a live attempt: schedule time, outcome, status."""
    elapsed = live.elapsed_ms / 1000 if live.outcome is Outcome.TIMEOUT else 0.0
    return Attempt(live.n, live.scheduled_at_s, live.delay_s, live.outcome, live.status, elapsed)


def live_answer(live: LiveAttempt) -> str:
    if live.status is not None:
        return f"{live.status} in {live.elapsed_ms:.0f} ms"
    return live.error or "no answer"


class LiveSection(QWidget):
    """The controls: URL, speed, Run/Stop, the signing secret. The panel does the running."""

    run_clicked: ClassVar[Signal] = Signal()
    stop_clicked: ClassVar[Signal] = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._default_url = ""
        self.url = QLineEdit()
        self.url.setObjectName("liveUrl")
        self.url.setPlaceholderText("http://127.0.0.1:8000/webhooks")
        self.url.setToolTip("Where each attempt is sent (POST)")
        self.speed = QComboBox()
        for label, speedup in _SPEEDS:
            self.speed.addItem(label, speedup)
        self.speed.setToolTip("How much faster than real time the schedule's waits pass")
        self.secret = QLineEdit(new_secret())
        self.secret.setCursorPosition(0)  # show the `whsec_` start, not the tail
        self.secret.setObjectName("liveSecret")
        self.secret.setToolTip(
            "Each attempt is signed with Standard Webhooks (webhook-id, webhook-timestamp, "
            "webhook-signature) using this secret"
        )
        self.run_button = QPushButton("Run live")
        self.run_button.setObjectName("liveRun")
        self.run_button.setToolTip("Send the policy's attempts for real; answers show as they come")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.running = False
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("URL", self.url)
        form.addRow("Speed", self.speed)
        form.addRow("Secret", self.secret)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.run_button)
        form.addRow(row)
        form.addRow(self.status)
        self.run_button.clicked.connect(lambda _checked=False: self._clicked())

    @property
    def speedup(self) -> float:
        return float(self.speed.currentData())

    def set_speedup(self, speedup: float) -> None:
        index = self.speed.findData(speedup)
        if index < 0:
            self.speed.addItem(f"{speedup:g} s of schedule per second", speedup)
            index = self.speed.count() - 1
        self.speed.setCurrentIndex(index)

    def set_default_url(self, url: str) -> None:
        """Fill the URL unless the user typed their own."""
        if not self.url.text() or self.url.text() == self._default_url:
            self.url.setText(url)
        self._default_url = url

    def set_running(self, running: bool) -> None:
        self.running = running
        self.run_button.setText("Stop" if running else "Run live")
        for widget in (self.url, self.speed, self.secret):
            widget.setEnabled(not running)

    def _clicked(self) -> None:
        (self.stop_clicked if self.running else self.run_clicked).emit()
