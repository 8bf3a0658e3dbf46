"""Default settings, in a module with no imports so that the CLI can show them cheaply."""

DEFAULT_HOST = "127.0.0.1"  # loopback: never all interfaces unless asked
DEFAULT_PORT = 9480
DEFAULT_MAX_BODY = 10 * 1024 * 1024


def receiver_url(host: str, port: int) -> str:
    """The URL senders use to reach a receiver on host:port (IPv6 hosts in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"
