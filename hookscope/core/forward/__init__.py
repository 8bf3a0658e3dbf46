"""Forwarding to the developer's own handler: pass-through (a reverse proxy that records both
sides) and store-and-forward (acknowledge at once, deliver from a durable outbox, retrying).

    targets = load_targets("rules.json")   # or ForwardTarget(...) objects
    forwarder = Forwarder(store, targets)
    forwarder.start()
    receiver = Receiver(store, forward=forwarder.pass_through or None)
"""

from __future__ import annotations

from hookscope.core.forward.client import Sent
from hookscope.core.forward.fileformat import load_targets, parse_targets, policy_from_data
from hookscope.core.forward.outcome import forward_outcome
from hookscope.core.forward.passthrough import ERROR_HEADER, PassThrough
from hookscope.core.forward.target import (
    DEFAULT_POLICY,
    DEFAULT_TIMEOUT_S,
    ForwardTarget,
    HostMode,
    Mode,
    TargetError,
)
from hookscope.core.forward.worker import REDELIVER, AttemptEvent, Forwarder

__all__ = [
    "DEFAULT_POLICY",
    "DEFAULT_TIMEOUT_S",
    "ERROR_HEADER",
    "REDELIVER",
    "AttemptEvent",
    "ForwardTarget",
    "Forwarder",
    "HostMode",
    "Mode",
    "PassThrough",
    "Sent",
    "TargetError",
    "forward_outcome",
    "load_targets",
    "parse_targets",
    "policy_from_data",
]
