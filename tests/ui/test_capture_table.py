from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from hookscope.core.model import CaptureSummary
from hookscope.ui.models.capture_table import CaptureTableModel, SummaryRole


def summary(capture_id: int, **overrides: Any) -> CaptureSummary:
    fields: dict[str, Any] = {
        "id": capture_id,
        "received_us": 1_795_000_000_000_000 + capture_id,
        "method": "POST",
        "target": f"/hooks/{capture_id}",
        "path": f"/hooks/{capture_id}",
        "response_status": 200,
        "body_size": 1536,
        "content_type": "application/json",
        "event_type": "push",
        "remote": "127.0.0.1:5000",
        "rejected": None,
        "starred": False,
    }
    fields.update(overrides)
    return CaptureSummary(**fields)


def test_model_passes_qt_model_tester(qtmodeltester: Any) -> None:
    model = CaptureTableModel(newest_first=True)
    model.set_rows([summary(i) for i in range(1, 6)])
    model.queue_rows([summary(6), summary(7)])
    model.flush()
    model.remove_ids([2, 3, 7])
    qtmodeltester.check(model)


def test_rows_arrive_at_once_after_a_quiet_spell_then_coalesced() -> None:
    model = CaptureTableModel(newest_first=True)
    model.set_rows([summary(1), summary(2)])
    inserts: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserts.append((first, last)))
    model.queue_rows([summary(3)])  # nothing arrived lately: in at once
    assert inserts == [(0, 0)]
    model.queue_rows([summary(4), summary(5)])  # within 50 ms of that insert: held back
    model.queue_rows([summary(6)])
    assert model.rowCount() == 3
    model.flush()  # what the throttle's timer does
    assert inserts == [(0, 0), (0, 2)]  # one insert for the three held back
    assert [model.summary(r).id for r in range(model.rowCount())] == [6, 5, 4, 3, 2, 1]


def test_newest_last_appends_and_row_lookup_bisects() -> None:
    model = CaptureTableModel(newest_first=False)
    model.set_rows([summary(i) for i in (1, 4, 9)])
    model.queue_rows([summary(10)])
    model.flush()
    assert [model.summary(r).id for r in range(4)] == [1, 4, 9, 10]
    assert model.row_of(9) == 2
    assert model.row_of(5) is None
    model.set_newest_first(True)
    assert model.row_of(9) == 1


def test_display_strings_and_roles() -> None:
    model = CaptureTableModel()
    model.set_rows([summary(1, response_status=503, starred=True, body_size=2_500_000)])
    index = model.index(0, 5)
    assert model.data(index) == "503"
    assert model.data(model.index(0, 0)) == "★"
    assert model.data(model.index(0, 6)) == "2.4 MB"
    assert model.data(model.index(0, 4)) == "/hooks/1"
    assert model.data(index, SummaryRole).id == 1
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is not None
    assert model.data(index, Qt.ItemDataRole.DecorationRole) is None


def test_rejected_rows_say_why() -> None:
    model = CaptureTableModel()
    model.set_rows(
        [summary(1, method="", target="", rejected="malformed-request: x", response_status=400)]
    )
    assert model.data(model.index(0, 4)) == "(malformed-request: x)"
    assert model.data(model.index(0, 5)) == "400 ✕"


def test_a_star_on_a_row_still_queued_is_kept_when_it_is_inserted() -> None:
    model = CaptureTableModel(newest_first=True)
    model.set_rows([summary(1)])
    model.queue_rows([summary(2)])  # in at once: the next arrival is held back
    model.queue_rows([summary(3)])
    model.replace(summary(3, starred=True))  # starred before the held-back insert
    model.flush()
    assert model.summary(0).id == 3
    assert model.data(model.index(0, 0)) == "★"


def test_the_model_mirrors_a_capture_view(tmp_path: Any) -> None:
    from hookscope.core.events import CaptureChanged, CapturesAdded, CapturesDeleted
    from hookscope.core.store import Store
    from hookscope.core.view import CaptureView
    from tests.core.factories import make_capture

    with Store.open(tmp_path / "c.db") as store:
        view = CaptureView(store, schedule=lambda _s, _f: lambda: None)
        view.load_newest([summary(1), summary(2)][::-1], 2)
        model = CaptureTableModel(newest_first=True)
        model.attach(view)
        assert [model.summary(r).id for r in range(model.rowCount())] == [2, 1]
        arrivals = tuple(make_capture(target=f"/n/{n}").with_id(n) for n in (3, 4))
        view.handle([CapturesAdded(arrivals)])
        model.flush()
        assert [model.summary(r).id for r in range(model.rowCount())] == [4, 3, 2, 1]
        view.handle([CaptureChanged(3, True, ""), CapturesDeleted((2,))])
        assert [model.summary(r).id for r in range(model.rowCount())] == [4, 3, 1]
        assert model.summary(1).starred
        view.delete([4])  # held for an undo: gone from the table at once
        assert model.rowCount() == 2
        view.undo_delete()
        assert [model.summary(r).id for r in range(model.rowCount())] == [4, 3, 1]
