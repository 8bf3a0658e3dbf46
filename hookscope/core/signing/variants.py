"""Plausible near-misses of a body or URL: what the sender may have signed instead of what
arrived. Only the diagnosis uses them, to test hypotheses; the received bytes are never changed."""

from __future__ import annotations

import itertools
import json
from typing import Any
from urllib.parse import urlsplit

__all__ = ["json_variants", "newline_variants", "url_variants"]

_LAYOUTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("compact", {"separators": (",", ":")}),
    ("with a space after each , and :", {"separators": (", ", ": ")}),
    ("indented by 2 spaces", {"indent": 2}),
    ("indented by 4 spaces", {"indent": 4}),
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def json_variants(document: Any) -> list[tuple[str, bytes]]:
    """The common serialisations of a parsed JSON document, labelled, without duplicates."""
    seen: set[bytes] = set()
    variants: list[tuple[str, bytes]] = []
    for (layout, options), sort_keys, ascii_only in itertools.product(
        _LAYOUTS, (False, True), (False, True)
    ):
        text = json.dumps(document, sort_keys=sort_keys, ensure_ascii=ascii_only, **options)
        data = text.encode("utf-8")
        if data in seen:
            continue
        seen.add(data)
        notes = [layout]
        if sort_keys:
            notes.append("keys sorted")
        if ascii_only:
            notes.append("non-ASCII characters escaped")
        variants.append((", ".join(notes), data))
    return variants


def newline_variants(body: bytes) -> list[tuple[str, bytes]]:
    variants = []
    if body.endswith(b"\n"):
        variants.append(
            ("without the final newline that the received body has", body.rstrip(b"\r\n"))
        )
    variants.append(("with a final newline, which the received body lacks", body + b"\n"))
    if not body.endswith(b"\r\n"):
        variants.append(("with a final CRLF, which the received body lacks", body + b"\r\n"))
    return [(label, data) for label, data in variants if data != body]


def url_variants(url: str) -> list[tuple[str, str]]:
    """`url` with http/https swapped, the port written or dropped, a trailing slash toggled and
    the query dropped, alone and combined; fewest changes first."""
    parts = urlsplit(url)
    if parts.scheme not in _DEFAULT_PORTS or not parts.netloc:
        return []
    try:
        port = parts.port
    except ValueError:
        return []
    host = parts.netloc.rsplit(":", 1)[0] if port is not None else parts.netloc
    other_scheme = "https" if parts.scheme == "http" else "http"
    path = parts.path or "/"
    toggled_path = path[:-1] if path.endswith("/") and len(path) > 1 else path + "/"
    tail = f"#{parts.fragment}" if parts.fragment else ""
    found: dict[str, list[str]] = {}
    for scheme, port_form, new_path, keep_query in itertools.product(
        (parts.scheme, other_scheme),
        ("as is", "none", "default"),
        (path, toggled_path),
        (True, False),
    ):
        if not keep_query and not parts.query:
            continue
        changes = []
        if scheme != parts.scheme:
            changes.append(f"{scheme} instead of {parts.scheme}")
        netloc = parts.netloc
        if port_form == "none" and port is not None:
            netloc = host
            changes.append(f"without the port :{port}")
        elif port_form == "default" and port != _DEFAULT_PORTS[scheme]:
            netloc = f"{host}:{_DEFAULT_PORTS[scheme]}"
            changes.append(f"with the port :{_DEFAULT_PORTS[scheme]} written out")
        if new_path != path:
            changes.append(
                "with a trailing slash" if new_path.endswith("/") else "without the trailing slash"
            )
        query = f"?{parts.query}" if keep_query and parts.query else ""
        if parts.query and not keep_query:
            changes.append("without the query string")
        candidate = f"{scheme}://{netloc}{new_path}{query}{tail}"
        if changes and candidate != url:
            found.setdefault(candidate, changes)
    ordered = sorted(found.items(), key=lambda item: len(item[1]))
    return [(", ".join(changes), candidate) for candidate, changes in ordered]
