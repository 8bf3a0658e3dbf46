"""The retry simulator panel (a tab of the main window) and its parts."""

from __future__ import annotations

from hookscope.ui.simulator.panel import SimulatorPanel

__all__ = ["SimulatorPanel"]
