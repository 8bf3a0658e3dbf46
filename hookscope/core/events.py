"""A small synchronous event feed: the store publishes, the UI bridge and the CLI subscribe.

Events are published on the store's writer thread, right after the commit they describe, in
batches. Subscribers must return quickly and must not touch GUI objects: a UI hands events over
to its own thread (the Qt bridge does), the CLI hands them to a printer thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from hookscope.core.faultlog import describe, log_once
from hookscope.core.model import Capture

__all__ = [
    "CaptureChanged",
    "CapturesAdded",
    "CapturesCleared",
    "CapturesDeleted",
    "Event",
    "EventFeed",
]


@dataclass(frozen=True, slots=True)
class CapturesAdded:
    captures: tuple[Capture, ...]
    # Committed by another process sharing the store (a second `listen`, an `import`): a
    # window shows them; a listener printing what *it* received does not.
    external: bool = False


@dataclass(frozen=True, slots=True)
class CapturesDeleted:
    ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CapturesCleared:
    pass


@dataclass(frozen=True, slots=True)
class CaptureChanged:
    capture_id: int
    starred: bool
    note: str


Event = CapturesAdded | CapturesDeleted | CapturesCleared | CaptureChanged
Subscriber = Callable[[Event], None]


class EventFeed:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Add a subscriber; returns the function that removes it again."""
        with self._lock:
            self._subscribers = [*self._subscribers, subscriber]

        def unsubscribe() -> None:
            with self._lock:
                self._subscribers = [s for s in self._subscribers if s is not subscriber]

        return unsubscribe

    def publish(self, event: Event) -> None:
        """Tell every subscriber. One that raises is logged (once per subscriber and error)
        and the others still hear: the publisher is the store's writer, which must go on."""
        for subscriber in self._subscribers:  # copy-on-write list: no lock needed to read
            try:
                subscriber(event)
            except Exception as exc:
                log_once(f"an event subscriber ({_name(subscriber)}) failed: {describe(exc)}")


def _name(subscriber: Subscriber) -> str:
    return getattr(subscriber, "__qualname__", None) or type(subscriber).__name__
