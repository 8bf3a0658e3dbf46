"""Redaction profiles: mask secrets in a capture before it leaves hookscope (export, copy).

Header values, query parameters and form fields are masked in place: every other byte of the
target and of a form body stays as it was. A JSON body can only be masked by parsing it and
writing it out again, so a masked JSON body is no longer byte-exact; the report says so, and each
export format says it in its output. Captures that are not redacted never pass through here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote, unquote_plus

from jsonpath import CompoundJSONPath, JSONPath, JSONPathError

from hookscope.core.errors import HookscopeError
from hookscope.core.glob import glob_match
from hookscope.core.jsondepth import MAX_DEPTH, nests_deeper_than
from hookscope.core.jsonpath_env import ENV, absolute
from hookscope.core.model import Capture, Header, media_type
from hookscope.core.secret_names import looks_secret

__all__ = ["MASK", "Redaction", "RedactionProfile", "RedactionReport", "Redactor"]

MASK = "REDACTED"
_PREVIEW_CHARS = 200
_AUTH_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*) +\S")
_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True, slots=True)
class RedactionProfile:
    """What to mask. `defaults` are the built-in rules (secret-looking header, parameter and
    JSON field names); users add header names and parameter names (shell-style globs, any
    case; parameters also match form fields) and JSONPath expressions (RFC 9535)."""

    headers: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    json_paths: tuple[str, ...] = ()
    defaults: bool = True
    mask: str = MASK


@dataclass(frozen=True, slots=True)
class Redaction:
    """One masked value: where it was (`header`, `query`, `form`, `json`, `response header`,
    `response json`), its name or normalised JSONPath, and the value before and after."""

    where: str
    name: str
    before: str
    after: str

    @property
    def label(self) -> str:
        """Where and what, without the secret: safe to write into an export."""
        return f"{self.where} {self.name}"


@dataclass(frozen=True, slots=True)
class RedactionReport:
    redactions: tuple[Redaction, ...] = ()
    body_reserialised: bool = False
    response_body_reserialised: bool = False

    @property
    def masked(self) -> bool:
        return len(self.redactions) > 0

    def labels(self) -> list[str]:
        return [r.label for r in self.redactions]

    def note(self) -> str:
        """One sentence for an export's comment; never contains a masked value."""
        if not self.masked:
            return "redacted by hookscope: nothing matched"
        text = f"redacted by hookscope: {len(self.redactions)} value(s) masked"
        text += f" ({', '.join(self.labels())})"
        both = self.body_reserialised and self.response_body_reserialised
        if both:
            text += "; the JSON request and response bodies were re-serialised, so they are"
        elif self.body_reserialised or self.response_body_reserialised:
            which = "request" if self.body_reserialised else "response"
            text += f"; the JSON {which} body was re-serialised, so it is"
        if self.body_reserialised or self.response_body_reserialised:
            text += " not byte-exact"
        return text


class Redactor:
    """Applies one profile; build once per export (JSONPath expressions compile here)."""

    def __init__(self, profile: RedactionProfile | None = None) -> None:
        self.profile = profile or RedactionProfile()
        self._paths: list[JSONPath | CompoundJSONPath] = []
        for text in self.profile.json_paths:
            try:
                self._paths.append(ENV.compile(absolute(text)))
            except JSONPathError as exc:
                first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise HookscopeError(f"bad JSON path {text!r}: {first_line}") from None
        self._param_mask = quote(self.profile.mask, safe="")

    def preview(self, capture: Capture) -> list[Redaction]:
        """Every value that `redact` would mask, with its value before and after."""
        return list(self.redact(capture)[1].redactions)

    def redact(self, capture: Capture) -> tuple[Capture, RedactionReport]:
        found: list[Redaction] = []
        headers = self._headers(capture.headers, "header", found)
        target = self._target(capture.target, found)
        body, body_json = self._body(capture.body, capture.content_type, "", found)
        response_headers = self._headers(capture.response_headers, "response header", found)
        response_type = media_type(capture.response_headers)
        response_body, response_json = self._body(
            capture.response_body, response_type, "response ", found
        )
        report = RedactionReport(tuple(found), body_json, response_json)
        if not report.masked:
            return capture, report
        redacted = replace(
            capture,
            headers=headers,
            target=target,
            body=body,
            body_size=len(body) if body != capture.body else capture.body_size,
            response_headers=response_headers,
            response_body=response_body,
        )
        return redacted, report

    # -- names ----------------------------------------------------------------------------

    def _header_is_secret(self, name: str) -> bool:
        if self.profile.defaults and looks_secret(name):
            return True
        return any(glob_match(p, name, ignore_case=True) for p in self.profile.headers)

    def _param_is_secret(self, name: str) -> bool:
        if self.profile.defaults and looks_secret(name, loose=True):
            return True
        return any(glob_match(p, name, ignore_case=True) for p in self.profile.params)

    # -- headers --------------------------------------------------------------------------

    def _headers(
        self, headers: tuple[Header, ...], where: str, found: list[Redaction]
    ) -> tuple[Header, ...]:
        out: list[Header] = []
        for name, value in headers:
            if value and self._header_is_secret(name):
                masked = self._mask_header_value(name.lower(), value)
                if masked != value:
                    found.append(Redaction(where, name, value, masked))
                    value = masked
            out.append((name, value))
        return tuple(out)

    def _mask_header_value(self, lname: str, value: str) -> str:
        mask = self.profile.mask
        if lname == "cookie":  # keep the cookie names: they help debugging and are not secret
            pairs = []
            for pair in value.split(";"):
                name, eq, _ = pair.partition("=")
                pairs.append(f"{name}={mask}" if eq else mask)
            return ";".join(pairs)
        if lname == "set-cookie":  # keep the attributes (Path, HttpOnly, …)
            first, sep, attributes = value.partition(";")
            name, eq, _ = first.partition("=")
            return f"{name}={mask}{sep}{attributes}" if eq else mask
        if lname in ("authorization", "proxy-authorization"):
            scheme = _AUTH_SCHEME.match(value)
            if scheme:
                return f"{scheme.group(1)} {mask}"
        return mask

    # -- parameters -----------------------------------------------------------------------

    def _target(self, target: str, found: list[Redaction]) -> str:
        path, sep, query = target.partition("?")
        if not sep:
            return target
        return f"{path}?{self._params(query, 'query', found)}"

    def _params(self, text: str, where: str, found: list[Redaction]) -> str:
        """Mask values of matching `name=value` pairs; every other byte stays where it was."""
        pairs = text.split("&")
        for i, pair in enumerate(pairs):
            raw_name, eq, value = pair.partition("=")
            if not eq or not value:
                continue
            name = unquote_plus(raw_name, errors="replace")
            if self._param_is_secret(name) and value != self._param_mask:
                found.append(Redaction(where, name, value, self._param_mask))
                pairs[i] = f"{raw_name}={self._param_mask}"
        return "&".join(pairs)

    # -- bodies ---------------------------------------------------------------------------

    def _body(
        self, body: bytes, content_type: str, prefix: str, found: list[Redaction]
    ) -> tuple[bytes, bool]:
        """(body, whether it was re-serialised as JSON)."""
        if not body:
            return body, False
        if content_type == _FORM:
            text = body.decode("latin-1")
            return self._params(text, f"{prefix}form", found).encode("latin-1"), False
        if _starts_like_json(body) and nests_deeper_than(body, unmatched=False):
            return self._withhold(body, f"{prefix}json", found), True
        data = _parse_json(body)
        if data is None:
            return body, False
        before = len(found)
        try:
            data = self._mask_json(data, f"{prefix}json", found)
        except RecursionError:  # a JSONPath walk deeper than Python's recursion limit
            del found[before:]
            return self._withhold(body, f"{prefix}json", found), True
        if len(found) == before:
            return body, False  # nothing matched: keep the exact bytes
        return _dump_like(body, data), True

    def _withhold(self, body: bytes, where: str, found: list[Redaction]) -> bytes:
        """A JSON body too deep to search for secrets cannot be shown to hold none: it is
        replaced by the mask as a whole rather than let out unchecked."""
        reason = f"(a JSON body nested too deep to check: more than {MAX_DEPTH} levels)"
        found.append(Redaction(where, "$", reason, self.profile.mask))
        return json.dumps(self.profile.mask).encode("utf-8")

    def _mask_json(self, data: Any, where: str, found: list[Redaction]) -> Any:
        mask = self.profile.mask
        for path in self._paths:
            for match in list(path.finditer(data)):
                if match.obj == mask:
                    continue
                if not match.parts:
                    found.append(Redaction(where, match.path, _preview(match.obj), mask))
                    return mask
                if _set_at(data, match.parts, mask):
                    found.append(Redaction(where, match.path, _preview(match.obj), mask))
        if not self.profile.defaults:
            return data
        # An explicit stack, not recursion: a hostile body may nest thousands of levels deep.
        stack: list[tuple[Any, str]] = [(data, "$")]
        while stack:
            node, node_path = stack.pop()
            if isinstance(node, dict):
                for key, value in node.items():
                    child = f"{node_path}[{_quote_member(key)}]"
                    if looks_secret(key) and _worth_masking(value) and value != mask:
                        found.append(Redaction(where, child, _preview(value), mask))
                        node[key] = mask
                    elif isinstance(value, dict | list):
                        stack.append((value, child))
            elif isinstance(node, list):
                for index, value in enumerate(node):
                    if isinstance(value, dict | list):
                        stack.append((value, f"{node_path}[{index}]"))
        return data


def _starts_like_json(body: bytes) -> bool:
    return body.lstrip()[:1] in (b"{", b"[")


def _parse_json(body: bytes) -> Any:
    if not _starts_like_json(body):
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None


def _dump_like(original: bytes, data: Any) -> bytes:
    """Re-serialise close to the original's style: indented or compact, ASCII or not."""
    ascii_only = original.isascii()
    if b"\n" in original.strip():
        text = json.dumps(data, ensure_ascii=ascii_only, indent=2)
    elif b'": ' in original or b", " in original:
        text = json.dumps(data, ensure_ascii=ascii_only)
    else:
        text = json.dumps(data, ensure_ascii=ascii_only, separators=(",", ":"))
    return text.encode("utf-8")


def _set_at(data: Any, parts: tuple[Any, ...], value: Any) -> bool:
    try:
        parent = data
        for part in parts[:-1]:
            parent = parent[part]
        parent[parts[-1]] = value
    except (KeyError, IndexError, TypeError):
        return False
    return True


def _worth_masking(value: Any) -> bool:
    """Nothing to hide in null, booleans or empty values."""
    if value is None or isinstance(value, bool):
        return False
    return not (isinstance(value, str | list | dict) and len(value) == 0)


def _quote_member(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def _preview(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _PREVIEW_CHARS else text[: _PREVIEW_CHARS - 1] + "…"
