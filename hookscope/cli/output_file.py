"""Opening the file an export writes: owner-only, and never through a symbolic link unasked.

Captures carry signatures, tokens and cookies, so the file is created 0600 whatever the umask,
and an existing regular file is truncated and set to 0600 as well. `O_NOFOLLOW` makes the open
itself refuse a symlink in the last component (no check-then-open race): a link planted where
the export goes could otherwise point it at any file the user can write.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

from hookscope.core.errors import HookscopeError

__all__ = ["open_private"]

_MODE = 0o600


def open_private(path: str, *, follow_symlinks: bool = False) -> BinaryIO:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(os.fsencode(path), flags, _MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow_symlinks and os.path.islink(path):
            raise HookscopeError(
                f"{path} is a symbolic link: not writing through it "
                "(add --follow-symlinks to write to where it points)"
            ) from None
        raise HookscopeError(f"cannot write {path}: {exc.strerror}") from None
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):  # not a FIFO or /dev/stdout: leave those be
            os.fchmod(fd, _MODE)
    except OSError as exc:
        os.close(fd)
        raise HookscopeError(f"cannot make {path} private: {exc.strerror}") from None
    return os.fdopen(fd, "wb")
