"""Faults around a restart of the app's receiver process, found by trying to break it: what a
restarted child serves first, and a child that hangs instead of dying. Real processes and
sockets; an app that needs its child slowed runs as a script of its own."""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from hookscope.core.isolation import IsolatedSession
from hookscope.core.rules import Rule
from hookscope.core.rules.model import Window
from hookscope.core.store import Store
from tests.core.tunnels.conftest import alive

ROOT = Path(__file__).resolve().parents[3]


def run_app(tmp_path: Path, source: str, timeout: float = 90) -> list[str]:
    script = tmp_path / "app.py"
    script.write_text(source)
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "c.db")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


# The child's guard step is slowed at the top level: the forkserver imports this script, so
# the child runs it too. On a loaded machine the same gap is the child's main thread waiting
# for the GIL while its receiver already serves the senders queued during the restart.
GUARDED_RESTART = """
import os, signal, sys, time
import hookscope.core.isolation.child as child
import hookscope.core.isolation.host as host

host._BACKOFF_S = (0.05,)
_do = child.Child._do


def slow_guards(self, name, args):
    if name == "guards":
        time.sleep(0.5)
    return _do(self, name, args)


child.Child._do = slow_guards

if __name__ == "__main__":
    import httpx
    from hookscope.core.guards import Guards, GuardSettings
    from hookscope.core.isolation import IsolatedSession
    from hookscope.core.store import Store

    session = IsolatedSession(Store.open(sys.argv[1]), port=0)
    assert session.start_receiver(0)
    session.receiver_host.wait_ready(30)
    session.receiver.guards = Guards(GuardSettings(rate=0))
    before = httpx.post(session.url + "/no-secret", timeout=30).status_code
    os.kill(session.receiver_host.wait_ready(30), signal.SIGKILL)
    during = httpx.post(session.url + "/no-secret", timeout=30).status_code
    print(before, during, flush=True)
    session.close()
"""


def test_a_restarted_child_guards_the_senders_that_waited_for_it(tmp_path: Path) -> None:
    before, during = run_app(tmp_path, GUARDED_RESTART)
    assert before == "404"  # no secret path: refused
    assert during == "404"  # queued while the child restarted: refused all the same


def test_a_hung_child_is_killed_and_restarted_and_its_senders_are_served(
    session: IsolatedSession,
) -> None:
    notes: list[str] = []
    session.watch(notes.append)
    hung = session.receiver_host.wait_ready(30)
    os.kill(hung, signal.SIGSTOP)  # alive, holding its sockets, answering nobody
    started = time.monotonic()
    answer = httpx.post(f"{session.url}/while-hung", content=b"h", timeout=30)
    assert answer.status_code == 200  # waited in the queue until a new child took it
    assert time.monotonic() - started < 15
    assert session.receiver_host.wait_ready(30) != hung
    assert not alive(hung)
    assert any("has not answered" in note for note in notes)
    assert [c.body for c in session.store.iter_captures()] == [b"h"]


def test_calls_and_close_do_not_wait_on_a_hung_child(tmp_path: Path) -> None:
    session = IsolatedSession(Store.open(tmp_path / "c.db"), port=0)
    assert session.start_receiver(0)
    hung = session.receiver_host.wait_ready(30)
    os.kill(hung, signal.SIGSTOP)
    time.sleep(3)  # quiet for longer than a healthy child ever is; not yet called hung
    started = time.monotonic()
    session.rules.replace([Rule(name="down", path="*/down", status=503)])
    session.forwarding.set_paused("none", True)
    assert session.start_receiver(0)  # a port switch lets go of the old slot
    session.close()
    assert time.monotonic() - started < 2  # before: 2 + 2 + 15 + 10 + 10 s
    deadline = time.monotonic() + 10
    while alive(hung) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(hung)


def test_a_restarted_child_carries_on_with_the_rules_counts_and_windows(
    session: IsolatedSession,
) -> None:
    session.rules.replace(
        [
            Rule(name="twice", path="/first", status=503, first=2),
            Rule(name="early", path="/window", status=503, window=Window(0, 1.5)),
        ]
    )
    assert [httpx.post(f"{session.url}/first").status_code for _ in range(3)] == [503, 503, 200]
    time.sleep(1.6)
    assert httpx.post(f"{session.url}/window").status_code == 200  # the window has ended
    deadline = time.monotonic() + 10
    while session.rules.answered().get("twice") != 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(session.receiver_host.wait_ready(30), signal.SIGKILL)
    # As before the crash: `first` is used up and the window stays ended.
    assert httpx.post(f"{session.url}/first", timeout=30).status_code == 200
    assert httpx.post(f"{session.url}/window").status_code == 200
    assert session.rules.answered() == {"twice": 2, "early": 0}
    session.rules.reset()  # and a reset still starts them over
    assert httpx.post(f"{session.url}/first").status_code == 503


def test_a_starved_app_does_not_take_its_healthy_child_for_hung(session: IsolatedSession) -> None:
    notes: list[str] = []
    session.watch(notes.append)
    pid = session.receiver_host.wait_ready(30)
    time.sleep(1.5)  # pinged and answering
    ctypes.PyDLL(None).sleep(7)  # the app's GIL held 7 s: its pipe reader reads nothing
    time.sleep(1.5)
    assert session.receiver_host.wait_ready(30) == pid
    assert not any("has not answered" in note for note in notes)
