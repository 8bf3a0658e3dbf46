"""The one helper that makes sender text safe for a terminal."""

from __future__ import annotations

import io

import pytest

from hookscope.cli.terminal import TerminalWriter, printable


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, café ✓", "plain text, café ✓"),
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x00\x7f\x9b", "\\x00\\x7f\\x9b"),
        ("abc\u202edef", "abc\\u202edef"),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_terminal_writer_keeps_layout_and_reassembles_characters() -> None:
    out = io.BytesIO()
    writer = TerminalWriter(out)
    data = "ok ✓\n\tnext \x1b[2J".encode() + b"\xff"
    for i in range(len(data)):  # one byte at a time: ✓ arrives in three writes
        writer.write(data[i : i + 1])
    writer.close()
    assert out.getvalue() == "ok ✓\n\tnext \\x1b[2J\\xff".encode()
    assert not out.closed
