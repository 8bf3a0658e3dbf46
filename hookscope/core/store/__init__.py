"""The capture store: SQLite metadata, segment files for large bodies, one writer thread."""

from hookscope.core.store.store import Store

__all__ = ["Store"]
