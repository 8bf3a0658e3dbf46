"""pyqtgraph stays in the UI, behind one module that binds it to PySide6."""

from __future__ import annotations

import ast

from tests.helpers import ROOT


def modules_importing(name: str) -> list[str]:
    found = []
    for path in sorted((ROOT / "hookscope").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            else:
                continue
            if any(n == name or n.startswith(name + ".") for n in names):
                found.append(path.relative_to(ROOT).as_posix())
                break
    return found


def test_only_the_plotlib_module_imports_pyqtgraph() -> None:
    assert modules_importing("pyqtgraph") == ["hookscope/ui/simulator/plotlib.py"]


def test_pyqtgraph_runs_on_pyside6() -> None:
    from hookscope.ui.simulator.plotlib import pg

    assert pg.Qt.QT_LIB == "PySide6"
