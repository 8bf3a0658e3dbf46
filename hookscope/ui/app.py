"""The desktop app's one way in and one way out.

In: QApplication, then a qasync event loop, then the window. Out: every quit path (window
close, Ctrl+Q, SIGINT, SIGTERM) sets one event; the cleanup after it stops the receiver
(in-flight requests finish and commit), closes the store, and only then lets Qt go.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["APP_ID", "GuiOptions", "run_gui"]

# The desktop entry's id (packaging/linux/APP_ID.desktop): desktops match the window to its
# launcher, icon and name by it.
APP_ID = "io.github.hookscope.Hookscope"


@dataclass
class GuiOptions:
    db: Path
    host: str
    port: int | None  # None: the port the app used last time
    max_body: int
    single_process: bool = False  # the receiver in the window's process (`--single-process`)


def run_gui(options: GuiOptions) -> int:
    os.environ.setdefault("QT_API", "pyside6")  # qasync picks the binding from this
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *sys.argv[1:]])
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        code = runner.run(run_window(app, options))
    # Tear Qt down now, in order, rather than leave it to the interpreter's final garbage
    # collection, where PySide6 objects may be freed after the application they belong to.
    app.shutdown()
    return code


async def run_window(
    app: object, options: GuiOptions, on_ready: Callable[[Any], None] | None = None
) -> int:
    """The app's life: open, show, wait for a quit request, clean up. Tests drive it too."""
    from PySide6.QtCore import QCoreApplication, QEvent, QSettings
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from hookscope.core.defaults import DEFAULT_PORT
    from hookscope.core.errors import HookscopeError
    from hookscope.core.isolation import IsolatedSession
    from hookscope.core.paths import config_dir
    from hookscope.core.responder import Responder
    from hookscope.core.rules import RuleSet
    from hookscope.core.session import Session
    from hookscope.core.store import Store
    from hookscope.ui.asyncqt import shutdown_workers
    from hookscope.ui.gc_guard import GuiThreadCollector
    from hookscope.ui.placement import fit_on_screen
    from hookscope.ui.rules_panel import load_saved_rules
    from hookscope.ui.signals import install_quit_signals
    from hookscope.ui.theme import apply_theme, follow_system_scheme
    from hookscope.ui.wheel_guard import install_wheel_guard
    from hookscope.ui.widgets.main_window import MainWindow

    assert isinstance(app, QApplication)
    app.setApplicationName("hookscope")
    app.setDesktopFileName(APP_ID)
    icon = resources.files("hookscope.ui").joinpath("assets/hookscope.svg")
    app.setWindowIcon(QIcon(str(icon)))
    apply_theme(app)
    follow_system_scheme(app)
    install_wheel_guard(app)
    try:
        store = Store.open(options.db)
    except HookscopeError as exc:
        QMessageBox.critical(None, "hookscope", str(exc))
        return 2
    settings_path = config_dir() / "ui.ini"
    _owner_only(settings_path)  # it holds the replay URL and the filter text
    settings = QSettings(str(settings_path), QSettings.Format.IniFormat)
    port = options.port
    if port is None:  # the port used last time, else the default
        port = int(str(settings.value("port", DEFAULT_PORT)) or DEFAULT_PORT)
    saved_rules, rules_problem = load_saved_rules()
    # Saved fault rules answer again only if they were on when the app last quit; else they
    # wait in the Fault rules tab to be turned on (a forgotten 503 rule is a nasty surprise).
    if str(settings.value("fault_rules_on", "false")).lower() != "true":
        saved_rules = ()
    # The receiver, its store writer and forwarding run in a process of their own, so that
    # neither a burst of webhooks nor the window's work slows the other (one GIL each). It is
    # handed its listening socket as a POSIX descriptor: Windows keeps the receiver in process.
    in_process = options.single_process or sys.platform == "win32"
    make_session = Session if in_process else IsolatedSession
    session = make_session(
        store,
        host=options.host,
        port=port,
        max_body=options.max_body,
        responder=Responder(rules=RuleSet(saved_rules)),
    )
    collector = GuiThreadCollector()
    quit_requested = asyncio.Event()
    window = MainWindow(session, settings, request_quit=quit_requested.set)
    restore_signals = install_quit_signals(window, quit_requested.set)
    fit_on_screen(window)
    window.show()
    await window.start()  # the newest captures are read on a worker while the window shows
    if rules_problem:
        window.statusBar().showMessage(rules_problem, 15000)
    if session.listening:
        print(f"listening on {session.url}", file=sys.stderr, flush=True)
    if on_ready is not None:
        on_ready(window)
    try:
        await quit_requested.wait()
    finally:
        restore_signals()
        window.shutdown()
        window.hide()
        await window.finish()  # deletes and marks still being written reach the store
        await asyncio.to_thread(session.close)
        shutdown_workers()
        # Destroy the window now, on this loop, rather than whenever some later event loop
        # gets to its deferred deletions (its timers and plots would outlive their app).
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        collector.stop()
    return 0


def _owner_only(path: Path) -> None:
    """Create `path` readable by its owner only, or make it so. QSettings writes through a
    QSaveFile, which keeps the mode of the file it replaces."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.chmod(0o600)
    else:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
