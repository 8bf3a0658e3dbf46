"""POSIX shell words for generated scripts: any bytes as one word, nothing expanded."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["comment", "literal_text", "quote_bytes", "single_quote"]


# Words the shell takes literally without quotes (no globs, no expansions, no separators).
_BARE = re.compile(rb"[A-Za-z0-9_./:@%+=,-]+")
# Linux refuses a single argument over 128 KiB; larger text goes through stdin instead.
_MAX_LITERAL = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def single_quote(text: str) -> str:
    """A single-quoted word: every character literal (only `'` itself needs care)."""
    return "'" + text.replace("'", "'\\''") + "'"


def quote_bytes(data: bytes) -> str:
    """A word that yields exactly these bytes, in ASCII only: printable ASCII is single-quoted,
    anything else goes through `printf` octal escapes, so the script's own encoding cannot
    change a byte. (Command substitution drops NUL and trailing newlines; header lines and
    request targets, the only callers, never hold either.)"""
    if _BARE.fullmatch(data):
        return data.decode("ascii")
    if all(0x20 <= byte <= 0x7E for byte in data):
        return single_quote(data.decode("ascii"))
    return "\"$(printf '" + _printf_format(data) + "')\""


def literal_text(body: bytes) -> str | None:
    """The body as text if it can sit in a single-quoted word unchanged and readable; None
    when it must travel another way (base64 through a pipe)."""
    if len(body) > _MAX_LITERAL:
        return None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _CONTROL.search(text):  # NUL cannot be an argument; CR and the like are unreadable
        return None
    if not text.isascii() and any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        return None  # C1 controls and invisible format characters (bidi overrides, …)
    if len(body) + 3 * text.count("'") > _MAX_LITERAL:
        return None
    return text


def comment(text: str) -> str:
    """Text safe inside a `#` comment: a newline in a header name or JSON key must not end the
    comment and start a command."""
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def _printf_format(data: bytes) -> str:
    out = []
    for byte in data:
        if byte == 0x5C:  # backslash
            out.append("\\\\")
        elif byte == 0x25:  # percent
            out.append("%%")
        elif byte == 0x27:  # single quote
            out.append("\\047")
        elif 0x20 <= byte <= 0x7E:
            out.append(chr(byte))
        else:
            out.append(f"\\{byte:03o}")
    return "".join(out)
