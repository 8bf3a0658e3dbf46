"""Faults around a restart of the app's receiver process, found by trying to break it: what a
restarted child serves first, and a child that hangs instead of dying. Real processes and
sockets; each app runs as a script of its own, so its child can be slowed where it matters."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
