"""The one place that imports pyqtgraph, so that it always binds to PySide6.

pyqtgraph picks its Qt binding at import time, from `PYQTGRAPH_QT_LIB` or whichever binding it
finds first; with PyQt installed next to PySide6 it could pick the wrong one and fail to mix
widgets. Every simulator module imports `pg` from here."""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pyqtgraph as pg  # after the binding is chosen, above

# Antialiased lines and markers; the plots hold at most a few thousand items, so it is cheap.
pg.setConfigOptions(antialias=True)

__all__ = ["pg"]
