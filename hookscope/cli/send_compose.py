"""`hookscope send`, part one: the request and its signer, from the command line's options.

Headers come from the template (if any), then hookscope's defaults, then `-H` in order; a `-H`
replaces earlier headers of its name, `-H 'Name:'` removes them and `-H 'Name;'` sends an empty
value (as curl does). Variables are expanded with a template or `--expand-vars`, in the body and
the header values, once per send: every retry carries the same values (the same event).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from hookscope import __version__
from hookscope.cli.signing_args import given_secrets
from hookscope.core.errors import HookscopeError

if TYPE_CHECKING:
    from hookscope.core.model import Header
    from hookscope.core.send.sender import OutgoingRequest
    from hookscope.core.send.signer import RequestSigner
    from hookscope.core.signing import Scheme
    from hookscope.core.templates import Template

__all__ = ["Composed", "compose"]

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110 token: methods, header names
_HMAC_OPTIONS = {
    "hmac_header": "--hmac-header",
    "hmac_algorithm": "--hmac-algorithm",
    "hmac_encoding": "--hmac-encoding",
    "hmac_template": "--hmac-template",
    "hmac_prefix": "--hmac-prefix",
    "hmac_timestamp_header": "--hmac-timestamp-header",
    "hmac_id_header": "--hmac-id-header",
}


@dataclass(frozen=True, slots=True)
class Composed:
    request: OutgoingRequest  # variables expanded, not yet signed
    signer: RequestSigner | None
    template: str | None
    unknown_variables: tuple[str, ...]


def compose(args: argparse.Namespace) -> Composed:
    from hookscope.core.send.sender import OutgoingRequest
    from hookscope.core.templates import get_template

    template = get_template(args.template) if args.template else None
    # The secret first: `--secret-file -` may read standard input, which the body then may not.
    body_on_stdin = args.body_file == "-" or (args.body_file is None and template is None)
    secrets = given_secrets(args, body_from_stdin=body_on_stdin)
    url = _url(args.url, template)
    method = args.method or (template.method if template else "POST")
    if not _TOKEN.fullmatch(method):
        raise HookscopeError(f"-X: {method!r} is not an HTTP method")
    body = _body(args, template)
    headers = _headers(args.header, template, body)
    request = OutgoingRequest(method, url, headers, body)
    unknown: tuple[str, ...] = ()
    if template is not None or args.expand_vars:
        from hookscope.core.send.variables import Variables

        expansion = Variables().expand(request)
        request, unknown = expansion.request, expansion.unknown
    signer = _signer(args, template, secrets)
    if signer is not None:
        signer(request.body, request.url)  # a body or URL the scheme cannot sign fails now
    return Composed(request, signer, template.name if template else None, unknown)


def _url(url: str | None, template: Template | None) -> str:
    if not url:
        raise HookscopeError("give the URL to send to, e.g. http://127.0.0.1:9480/hooks")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HookscopeError(f"{url!r} is not an http:// or https:// URL")
    if template is not None and not parts.path:  # a bare origin takes the template's path
        return url + template.path
    return url


def _body(args: argparse.Namespace, template: Template | None) -> bytes:
    import os

    path = args.body_file
    if path is None and template is not None:
        return template.body_bytes
    if path is None or path == "-":
        if path is None and sys.stdin.isatty():
            print(
                "hookscope: sending an empty body (pipe one in, or use --body-file or --template)",
                file=sys.stderr,
            )
            return b""
        return sys.stdin.buffer.read()
    try:
        with open(os.fsencode(path), "rb") as source:
            return source.read()
    except OSError as exc:
        raise HookscopeError(f"cannot read {path}: {exc.strerror}") from None


def _headers(options: list[str], template: Template | None, body: bytes) -> tuple[Header, ...]:
    headers: list[Header] = list(template.headers) if template else []
    names = {name.lower() for name, _ in headers}
    if "user-agent" not in names:
        headers.append(("User-Agent", f"hookscope/{__version__}"))
    if "content-type" not in names and body and _is_json(body):
        headers.append(("Content-Type", "application/json"))
    given: set[str] = set()
    for text in options:
        name, value, remove = _parse_header(text)
        key = name.lower()
        if key not in given:  # the first -H of a name replaces what came before it
            headers = [(n, v) for n, v in headers if n.lower() != key]
            given.add(key)
        if not remove:
            headers.append((name, value))
    return tuple(headers)


def _parse_header(text: str) -> tuple[str, str, bool]:
    """`Name: value`, `Name:` (remove it) or `Name;` (send it empty), as curl reads -H."""
    if text.endswith(";") and ":" not in text:
        name, value, remove = text[:-1].strip(), "", False
    else:
        name, sep, value = text.partition(":")
        if not sep:
            raise HookscopeError(f"-H: expected 'Name: value', got {text!r}")
        name, value = name.strip(), value.strip()
        remove = value == ""
    if not _TOKEN.fullmatch(name):
        raise HookscopeError(f"-H: {name!r} is not a header name")
    if any(ch in value for ch in "\r\n\x00"):
        raise HookscopeError(f"-H: the value of {name} holds a line break or NUL")
    return name, value, remove


def _is_json(body: bytes) -> bool:
    if body.lstrip()[:1] not in (b"{", b"["):
        return False
    try:
        json.loads(body)
    except ValueError:
        return False
    return True


def _signer(
    args: argparse.Namespace, template: Template | None, secrets: list[str]
) -> RequestSigner | None:
    from hookscope.core.send.signer import make_signer

    name = args.sign or (template.scheme if template is not None and secrets else None)
    given = [flag for dest, flag in _HMAC_OPTIONS.items() if getattr(args, dest) is not None]
    if name is None:
        if secrets:
            flag = "--secret-env" if args.secret_env else "--secret-file"
            flag = "--secret" if args.secret else flag
            raise HookscopeError(f"{flag} signs with a scheme: add --sign SCHEME")
        for flag, value in (("--id", args.msg_id), ("--signed-url", args.signed_url)):
            if value is not None:
                raise HookscopeError(f"{flag} is for signing: add --sign SCHEME --secret S")
        if given:
            raise HookscopeError(f"{', '.join(given)} describe --sign hmac")
        return None
    if not secrets:
        raise HookscopeError(
            f"--sign {name} needs --secret S, --secret-env NAME or --secret-file F "
            f"(the secret as {name} shows it)"
        )
    if name != "hmac" and given:
        raise HookscopeError(f"{', '.join(given)} describe --sign hmac, not {name}")
    scheme = _generic(args) if name == "hmac" else _named(name)
    secret: str | list[str] = secrets[0] if len(secrets) == 1 else secrets
    return make_signer(scheme, secret, msg_id=args.msg_id, signed_url=args.signed_url)


def _named(name: str) -> Scheme[Any, Any]:
    from hookscope.core.signing import get_scheme

    return get_scheme(name)


def _generic(args: argparse.Namespace) -> Scheme[Any, Any]:
    from hookscope.core.signing import GenericHmac, SigningInputError

    if args.hmac_header is None:
        raise HookscopeError("--sign hmac needs --hmac-header NAME: the header for the signature")
    options = {
        key: getattr(args, "hmac_" + key)
        for key in ("algorithm", "encoding", "template", "prefix", "timestamp_header", "id_header")
        if getattr(args, "hmac_" + key) is not None
    }
    try:
        return GenericHmac(header=args.hmac_header, **options)
    except SigningInputError as exc:  # it names sign's flags; send's carry an hmac- prefix
        raise HookscopeError(str(exc).replace("(--", "(--hmac-")) from None
