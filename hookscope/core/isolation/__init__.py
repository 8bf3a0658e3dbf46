"""The app's receiver in a child process: the receiving, storing and forwarding of `hookscope
gui`, supervised, away from the window's interpreter."""

from hookscope.core.isolation.host import ReceiverHost
from hookscope.core.isolation.session import IsolatedSession

__all__ = ["IsolatedSession", "ReceiverHost"]
