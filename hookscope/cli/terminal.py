"""Text from senders, made safe to show on a terminal.

Captured headers, bodies and answers are chosen by whoever sent them, and a terminal obeys
control characters: `ESC ] 0 ; … BEL` retitles the window, `ESC [ 2 J` clears it, and worse
sequences exist. What hookscope prints for people shows every control character as visible
text (`\\x1b`, `\\n`), and bidirectional overrides too (they make text read differently from
what it is). Byte streams (an export, an answer's body) stay exact in a pipe or a file, and are
escaped the same way only when they go to a terminal, where no program reads them.
"""

from __future__ import annotations

import codecs
import io
import re
import sys
from typing import IO, cast

__all__ = ["TerminalWriter", "printable", "stdout_for_bytes"]

# C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\udc80-\udcff]")
# In a byte stream a newline and a tab are layout, not commands.
_UNSAFE_IN_STREAM = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\udc80-\udcff]"
)
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control character shown as an escape: one line, safe to print."""
    return _UNSAFE.sub(_escape, text)


class TerminalWriter(io.BufferedIOBase):
    """A binary stream for a terminal: UTF-8 text passes, control characters and bytes that
    are not UTF-8 are written as visible escapes. A character split across writes is put
    back together; closing writes what is left and leaves the terminal's stream open."""

    def __init__(self, out: IO[bytes]) -> None:
        super().__init__()
        self._out = out
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._put(self._decoder.decode(bytes(data)))
        return len(data)

    def flush(self) -> None:
        self._out.flush()

    def close(self) -> None:
        if not self.closed:
            self._put(self._decoder.decode(b"", final=True))
            self._out.flush()
        super().close()

    def _put(self, text: str) -> None:
        if text:
            self._out.write(_UNSAFE_IN_STREAM.sub(_escape, text).encode("utf-8"))


def stdout_for_bytes() -> IO[bytes]:
    """Standard output for exact bytes: as it is for a pipe or a file, escaped for a terminal.
    Close what this returns when done (that leaves standard output open)."""
    out = sys.stdout.buffer
    if not sys.stdout.isatty():
        return out
    return cast(IO[bytes], TerminalWriter(out))
