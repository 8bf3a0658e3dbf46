"""Several hookscope processes on one store at once: two receivers, an import, an export.
Every request is answered 200, and every body reads back exactly, under a unique id."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import threading
from pathlib import Path

from hookscope.core.receiver import Receiver
from hookscope.core.record import to_json_line
from hookscope.core.store import Store
from tests.cli_inprocess import run_main
from tests.core.factories import make_capture
from tests.faults.load import Load, run_load
from tests.helpers import ROOT, cli_env, hookscope_cmd, start_listener

IMPORTED = 300


def _import_file(tmp_path: Path) -> dict[str, bytes]:
    bodies = {f"/import/{i}": os.urandom(1 + i * 37 % 20_000) for i in range(IMPORTED)}
    lines = [to_json_line(make_capture(target=t, body=b)) for t, b in bodies.items()]
    (tmp_path / "in.ndjson").write_text("\n".join(lines) + "\n")
    return bodies


def _start_import(tmp_path: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        hookscope_cmd("import", str(tmp_path / "in.ndjson"), "--db", str(db)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=cli_env(),
    )


def _loads_in_threads(*targets: tuple[int, str]) -> list[Load]:
    results: list[Load] = [Load() for _ in targets]

    def run(i: int, port: int, tag: str) -> None:
        results[i] = run_load(port, tag)

    threads = [
        threading.Thread(target=run, args=(i, port, tag)) for i, (port, tag) in enumerate(targets)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return results


def test_two_listeners_and_an_import_share_one_store(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    imported = _import_file(tmp_path)
    first = start_listener(db)
    second = start_listener(db)
    try:
        importer = _start_import(tmp_path, db)
        loads = _loads_in_threads((first.port, "a"), (second.port, "b"))
        _, err = importer.communicate(timeout=60)
    finally:
        assert first.stop() == 0
        assert second.stop() == 0
    assert importer.returncode == 0, err.decode()
    for load in loads:
        assert not load.failures, load.failures[:3]
        assert dict(load.statuses) == {200: 300}, dict(load.statuses)

    exported = run_main("export", "--format", "ndjson", "--db", str(db))
    assert exported.returncode == 0, exported.stderr.decode()
    records = [json.loads(line) for line in exported.stdout.splitlines()]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == 600 + IMPORTED
    stored = {r["target"]: base64.b64decode(r["body_b64"]) for r in records}
    expected = {**loads[0].acknowledged, **loads[1].acknowledged, **imported}
    wrong = [t for t, body in expected.items() if stored.get(t) != body]
    assert not wrong, f"{len(wrong)} bodies read back wrong, e.g. {wrong[:3]}"


def test_the_app_keeps_receiving_while_the_cli_imports(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    imported = _import_file(tmp_path)
    with Store.open(db) as store:
        receiver = Receiver(store, port=0)
        receiver.start()
        try:
            importer = _start_import(tmp_path, db)
            load = run_load(receiver.port, "app")
            _, err = importer.communicate(timeout=60)
        finally:
            receiver.stop()
        assert importer.returncode == 0, err.decode()
        assert not load.failures, load.failures[:3]
        assert dict(load.statuses) == {200: 300}, dict(load.statuses)
        by_target = {c.target: c for c in store.iter_captures()}
        assert len({c.id for c in by_target.values()}) == 300 + IMPORTED
        expected = {**load.acknowledged, **imported}
        wrong = [t for t, body in expected.items() if by_target[t].body != body]
        assert not wrong, f"{len(wrong)} bodies read back wrong, e.g. {wrong[:3]}"
        # The in-process store still writes after the other process left.
        after = store.add(make_capture(body=b"after"))
        assert store.body(after.id or 0) == b"after"
