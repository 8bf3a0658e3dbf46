from __future__ import annotations

import csv
import io

import pytest

from hookscope.core.formats import csv_table
from hookscope.core.model import Capture
from tests.core.factories import deep_json, make_capture
from tests.core.formats.corpus import NAMES, corpus


def rows(captures: list[Capture]) -> list[dict[str, str]]:
    out = io.BytesIO()
    assert csv_table.write(captures, out) == len(captures)
    text = out.getvalue().decode("utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames or ()) == csv_table.COLUMNS
    return list(reader)


def test_one_row_per_capture_with_metadata() -> None:
    captures = corpus()
    table = dict(zip(NAMES, rows(captures), strict=True))
    assert len(table) == len(captures)
    first = table["json"]
    assert first["id"] == "1"
    assert first["method"] == "POST"
    assert first["target"] == "/hooks/stripe?x=1"
    assert first["path"] == "/hooks/stripe"
    assert first["query"] == "x=1"
    assert first["host"] == "hooks.example.test"
    assert first["content_type"] == "application/json"
    assert first["event_type"] == "payment_intent.succeeded"
    assert first["body_size"] == "49"
    assert first["received_at"].endswith("Z")
    refused = table["refused-too-large"]
    assert refused["rejected"] == "body-too-large"
    assert refused["body_size"] == str(20 * 1024 * 1024)
    assert refused["response_status"] == "413"
    rich = table["rich-response"]
    assert (rich["starred"], rich["note"], rich["rule"]) == ("yes", "look at this one", "teapot")


def test_latin1_targets_and_binary_bodies_do_not_break_rows() -> None:
    table = dict(zip(NAMES, rows(corpus()), strict=True))
    assert table["raw-bytes-in-target"]["target"] == "/caf\xe9/a b%zz%41\\'?q=\xff&r=1"
    assert table["binary"]["body_size"] == str(len(corpus()[NAMES.index("binary")].body))


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused() -> None:
    (row,) = rows([make_capture(method="=HYPERLINK", target="/x", note="+1 call me", rule="@rule")])
    assert row["method"] == "'=HYPERLINK"
    assert row["note"] == "'+1 call me"
    assert row["rule"] == "'@rule"
    assert row["target"] == "/x"


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-1-1", "@SUM(A1)", "\t=1", "\r=1"]
# Every text column, and a capture whose value there starts with `payload`.
TEXT_COLUMNS = {
    "method": lambda p: make_capture(method=p),
    "target": lambda p: make_capture(target=p),
    "path": lambda p: make_capture(target=p),
    "query": lambda p: make_capture(target="/x?" + p),
    "http_version": lambda p: make_capture(http_version=p),
    "host": lambda p: make_capture(headers=(("Host", p),)),
    "content_type": lambda p: make_capture(headers=(("Content-Type", p),)),
    "event_type": lambda p: make_capture(headers=(("X-GitHub-Event", p),)),
    "remote": lambda p: make_capture(remote=p),
    "rejected": lambda p: make_capture(rejected=p),
    "rule": lambda p: make_capture(rule=p),
    "note": lambda p: make_capture(note=p),
}


def test_every_text_column_is_listed() -> None:
    numeric_or_ours = {"id", "received_at", "body_size", "response_status", "starred", "redacted"}
    assert set(TEXT_COLUMNS) | numeric_or_ours == set(csv_table.COLUMNS)


@pytest.mark.parametrize("payload", FORMULAS)
@pytest.mark.parametrize("column", list(TEXT_COLUMNS))
def test_every_column_defuses_formulas(column: str, payload: str) -> None:
    (row,) = rows([TEXT_COLUMNS[column](payload)])
    cell = row[column]
    assert cell.startswith("'"), cell
    # The value itself follows intact (content types and event types are trimmed, and content
    # types lower-cased, before they reach the table).
    assert cell[1:].lower().endswith(payload.strip().lower())


def test_the_redacted_column_is_guarded_too() -> None:
    from hookscope.core.formats.options import ExportOptions
    from hookscope.core.redact import RedactionProfile, Redactor

    options = ExportOptions(redactor=Redactor(RedactionProfile(headers=("-x",))))
    out = io.BytesIO()
    csv_table.write([make_capture(headers=(("-x", "v"),))], out, options)
    (row,) = csv.DictReader(io.StringIO(out.getvalue().decode(), newline=""))
    assert row["redacted"]
    assert not row["redacted"].startswith(("-", "=", "+", "@"))


@pytest.mark.parametrize("depth", [1000, 3000])
def test_a_body_nested_too_deep_exports_with_no_event_type(depth: int) -> None:
    [row] = rows([make_capture(body=deep_json(depth))])
    assert row["event_type"] == ""
    assert row["body_size"] == str(len(deep_json(depth)))
