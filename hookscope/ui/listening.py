"""Listening on a port, and the public URL through a tunnel, as the header bar asks."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from PySide6.QtCore import QObject, Signal

from hookscope.core.errors import PortInUseError

if TYPE_CHECKING:
    from hookscope.ui.widgets.main_window import MainWindow

__all__ = ["Listening"]


class _Notes(QObject):
    """What the receiver process has to say (it stopped, it restarted), to the GUI thread."""

    said: ClassVar[Signal] = Signal(str)


class Listening:
    def __init__(self, window: MainWindow) -> None:
        self.w = window
        self.notes = _Notes(window)
        self.notes.said.connect(lambda text: window.statusBar().showMessage(text, 15000))
        window.session.watch(self.notes.said.emit)
        # Guards that require signatures check the settings as they are now.
        window.verdicts.reset.connect(window.session.refresh_guards)
        header = window.header
        header.listen_requested.connect(self.listen_on)
        header.public.start_requested.connect(self.go_public)
        header.public.stop_requested.connect(self.stop_public)

    def listen_on(self, port: int) -> None:
        w, session = self.w, self.w.session
        if session.start_receiver(port):
            w.header.show_listening(session.url, session.port)
            w.empty_state.show_url(session.url)
            w.composer.set_base_url(session.url)
            if w.simulator is not None:
                w.simulator.set_receiver_url(session.url)
            w.settings.setValue("port", session.port)
            w.statusBar().showMessage(f"listening on {session.url}", 5000)
            return
        error = session.error
        suggestion = error.suggestion if isinstance(error, PortInUseError) else None
        still = session.url if session.listening else None
        if isinstance(error, PortInUseError):
            message = f"port {error.port} is in use"
            message += (
                f" — still listening on {still}" if still else " — pick another and press Listen"
            )
        else:
            message = str(error) + (f" — still listening on {still}" if still else "")
        w.header.show_error(message, suggestion, still)
        w.statusBar().showMessage(message, 8000)

    def go_public(self, kind: str, target: str, guards: object) -> None:
        """Open a tunnel of `kind` to the receiver, with `guards` (a GuardSettings)."""
        from hookscope.core.errors import HookscopeError
        from hookscope.core.guards import GuardSettings
        from hookscope.core.tunnels import TunnelStatus, make_provider
        from hookscope.core.tunnels.public import Exposure

        control = self.w.header.public
        try:
            provider = make_provider(kind, target or None)
        except HookscopeError as exc:
            control.show_error(str(exc))
            return
        assert isinstance(guards, GuardSettings)

        def on_change(status: TunnelStatus) -> None:  # the tunnel's thread: hand over to Qt
            control.status_changed.emit(status, exposure.public_url(status))

        verdicts = self.w.verdicts
        exposure = Exposure(
            provider, guards, signatures=lambda: verdicts.settings, on_change=on_change
        )
        if not self.w.session.expose(exposure):
            control.show_error("not listening: start the receiver first")
            return
        control.set_running(True)

    def stop_public(self) -> None:
        self.w.session.unexpose()
        self.w.header.public.set_running(False)
        self.w.header.public.state.setText("")
