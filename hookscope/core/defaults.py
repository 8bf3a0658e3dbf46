"""Default settings, in a module with no imports so that the CLI can show them cheaply."""

DEFAULT_HOST = "127.0.0.1"  # loopback: never all interfaces unless asked
DEFAULT_PORT = 9480
DEFAULT_MAX_BODY = 10 * 1024 * 1024
# A request head (line and headers) must arrive within this many seconds of its first byte, or of
# the connection opening; without it, stalled connections pile up until descriptors run out.
DEFAULT_HEADER_TIMEOUT = 10.0
# An idle keep-alive connection, or a body that stops arriving, is closed after this long
# (as long as common reverse proxies keep theirs, so senders' pools rarely meet a closed one).
DEFAULT_IDLE_TIMEOUT = 75.0


def receiver_url(host: str, port: int) -> str:
    """The URL senders use to reach a receiver on host:port (IPv6 hosts in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"
