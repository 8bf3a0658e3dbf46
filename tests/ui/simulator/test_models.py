"""The simulator's Qt models: Qt's own model tester on each, and their behaviour."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from hookscope.core.retry import Attempt, Outage, Outcome
from hookscope.ui.simulator.attempts_table import AttemptRole, AttemptsModel, SecondsRole
from hookscope.ui.simulator.outages_model import OutagesModel

SVIX_FAIL_3 = (
    Attempt(1, 0.0, 0.0, Outcome.FAILURE, 503),
    Attempt(2, 5.0, 5.0, Outcome.FAILURE, 503),
    Attempt(3, 305.0, 300.0, Outcome.FAILURE, None),
    Attempt(4, 2105.0, 1800.0, Outcome.SUCCESS, 200),
)


def texts(model: Any) -> list[list[str]]:
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_attempts_model_passes_qt_model_tester(qtmodeltester: Any) -> None:
    model = AttemptsModel()
    model.set_attempts(SVIX_FAIL_3[:2])
    model.append(SVIX_FAIL_3[2])
    model.append(Attempt(4, 2120.0, 1800.0, Outcome.TIMEOUT, None, 15.0), tip="sent 1 s in")
    qtmodeltester.check(model)
    model.clear()
    qtmodeltester.check(model)


def test_attempts_model_shows_times_outcomes_and_answers() -> None:
    model = AttemptsModel()
    model.set_attempts(SVIX_FAIL_3)
    model.append(Attempt(5, 2120.0, 15.0, Outcome.TIMEOUT, None, 15.0))
    assert texts(model) == [
        ["1", "00:00:00", "–", "failure", "503"],
        ["2", "00:00:05", "00:00:05", "failure", "503"],
        ["3", "00:05:05", "00:05:00", "refused", "refused"],
        ["4", "00:35:05", "00:30:00", "success", "200"],
        ["5", "00:35:20", "00:00:15", "timeout", "none in 15 s"],
    ]
    assert model.data(model.index(3, 1), SecondsRole) == 2105.0
    assert model.data(model.index(3, 0), AttemptRole) is SVIX_FAIL_3[3]
    assert model.row_of(4) == 3
    assert model.row_of(9) is None


def test_live_rows_carry_the_real_answer() -> None:
    model = AttemptsModel()
    model.append(SVIX_FAIL_3[0], answer="503 in 3 ms", outcome="failure", tip="sent 0.01 s in")
    model.append(SVIX_FAIL_3[2], answer="could not connect", outcome="no answer")
    assert texts(model)[0][3:] == ["failure", "503 in 3 ms"]
    assert texts(model)[1][3:] == ["no answer", "could not connect"]
    assert model.data(model.index(0, 2), Qt.ItemDataRole.ToolTipRole) == "sent 0.01 s in"


def test_outages_model_passes_qt_model_tester(qtmodeltester: Any) -> None:
    model = OutagesModel()
    model.set_outages([Outage(600, 900), Outage(0, 60)])
    model.add(Outage(100, 200))
    model.replace(0, Outage(1000, 1100))  # moves the first row to the end
    assert model.setData(model.index(1, 1), "00:20:00")
    model.remove(0)
    qtmodeltester.check(model)


def test_outages_stay_sorted_through_every_change() -> None:
    model = OutagesModel()
    model.set_outages([Outage(600, 900), Outage(0, 60)])
    assert model.add(Outage(100, 200)) == 1
    assert model.outages == (Outage(0, 60), Outage(100, 200), Outage(600, 900))
    layout_changes: list[bool] = []
    model.layoutChanged.connect(lambda *_: layout_changes.append(True))
    assert model.replace(0, Outage(1000, 1100)) == 2
    assert model.outages == (Outage(100, 200), Outage(600, 900), Outage(1000, 1100))
    assert layout_changes == [True]
    assert texts(model)[2] == ["00:16:40", "00:18:20"]


def test_outage_cells_take_durations_and_refuse_bad_ones() -> None:
    model = OutagesModel()
    model.set_outages([Outage(0, 60)])
    assert model.setData(model.index(0, 1), "1h 30m")
    assert model.outages == (Outage(0, 5400),)
    assert model.setData(model.index(0, 0), "00:10:00")
    assert model.outages == (Outage(600, 5400),)
    assert not model.setData(model.index(0, 0), "2h")  # would end before it starts
    assert model.last_error == "an outage must end after it starts"
    assert not model.setData(model.index(0, 1), "soon")
    assert "not a duration" in model.last_error
    assert model.outages == (Outage(600, 5400),)
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
