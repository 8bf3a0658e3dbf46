"""Signature verification speed per scheme, for a 1 KB body.

Run on demand:

    python tests/bench/bench_signing.py [--seconds 0.3] [--rounds 3]

For every scheme it signs one 1 KB JSON body, then times `verify` (no diagnosis) on the valid
request and prints verifications per second. The reference is the bare primitive, timed in the
same process on the same signed bytes: `hmac.new(key, content, digest).digest()` plus
`hmac.compare_digest` for HMAC schemes, `Ed25519PublicKey.verify` for ed25519 ones; the ratio
is scheme / bare, so it shows hookscope's own overhead (header parsing, decoding, the verdict).
The last column is the worst case of a failed check: a wrong secret, diagnosed (every usual
mistake tried, including the timestamp search), in milliseconds. Best of the rounds.
"""

from __future__ import annotations

import argparse
import base64
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from hookscope.core.signing import SCHEMES, GenericHmac, Scheme

NOW = 1_700_000_000
SEED = bytes(range(32))
PUBLIC = Ed25519PrivateKey.from_private_bytes(SEED).public_key()
PUBLIC_RAW = PUBLIC.public_bytes(Encoding.Raw, PublicFormat.Raw)
WHSEC = "whsec_" + base64.b64encode(b"benchmark-key-0123456789abcdef!!").decode()
URL = "https://example.com/hooks/bench?x=1"


def one_kb_json() -> bytes:
    items = [{"id": f"item_{i:04d}", "qty": i, "ok": i % 2 == 0} for i in range(40)]
    body = json.dumps({"type": "order.created", "items": items}, separators=(",", ":"))
    return body.encode()[:1000].ljust(1024, b" ")


def form_body() -> bytes:
    fields = "&".join(f"Field{i:02d}=value-{i:04d}-xxxxxxxxxxxxxxxx" for i in range(30))
    return fields.encode()[:1024]


def keys_for(name: str) -> tuple[str, str, str]:
    """(signing secret, verifying secret, a wrong verifying secret)."""
    if name == "standard-webhooks-v1a":
        return (
            "whsk_" + base64.b64encode(SEED).decode(),
            "whpk_" + base64.b64encode(PUBLIC_RAW).decode(),
            "whpk_" + base64.b64encode(bytes(32)).decode(),
        )
    if name == "discord":
        return SEED.hex(), PUBLIC_RAW.hex(), bytes(32).hex()
    if name in ("standard-webhooks", "svix"):
        return WHSEC, WHSEC, "whsec_" + base64.b64encode(b"w" * 32).decode()
    return "bench-secret", "bench-secret", "wrong-secret"


def scheme_for(name: str) -> Scheme[Any, Any]:
    if name == "hmac":
        return GenericHmac(
            header="X-Signature",
            template="{timestamp}.{body}",
            timestamp_header="X-Timestamp",
        )
    return SCHEMES[name]


def best_rate(seconds: float, rounds: int, run: Callable[[], object]) -> float:
    """Calls per second, best of `rounds` runs of about `seconds` each."""
    best = 0.0
    for _ in range(rounds):
        count = 0
        start = time.perf_counter()
        deadline = start + seconds
        while True:
            for _ in range(100):
                run()
            count += 100
            now = time.perf_counter()
            if now >= deadline:
                break
        best = max(best, count / (now - start))
    return best


def best_time(rounds: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def bare_reference(
    scheme: Scheme[Any, Any], content: bytes, signature: bytes
) -> Callable[[], object]:
    if scheme.algorithm == "ed25519":

        def ed25519() -> bool:
            try:
                PUBLIC.verify(signature, content)
            except InvalidSignature:
                return False
            return True

        return ed25519
    digest = getattr(scheme, "digest", "sha256")
    key = b"bench-secret"

    def bare_hmac() -> bool:
        return hmac.compare_digest(hmac.new(key, content, digest).digest(), signature)

    return bare_hmac


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=0.3, help="per measurement")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    print(f"{'scheme':<22} {'verify/s':>10} {'bare/s':>10} {'ratio':>6} {'diagnose ms':>12}")
    for name in SCHEMES:
        scheme = scheme_for(name)
        sign_secret, verify_secret, wrong = keys_for(name)
        body = form_body() if name == "twilio" else one_kb_json()
        url = URL if scheme.needs_url else ""
        headers = scheme.sign(body, sign_secret, msg_id="msg_bench", timestamp=NOW, url=url)
        first = scheme.verify(headers, body, verify_secret, url=url, now=NOW)
        assert first.valid, (name, first.detail)
        assert first.signed_content is not None
        content = first.signed_content
        if scheme.algorithm == "ed25519":
            signature = Ed25519PrivateKey.from_private_bytes(SEED).sign(content)
        else:
            signature = hmac.new(
                b"bench-secret", content, getattr(scheme, "digest", "sha256")
            ).digest()

        def verify(
            s: Scheme[Any, Any] = scheme, h: list[tuple[str, str]] = headers, b: bytes = body,
            k: str = verify_secret, u: str = url,
        ) -> object:  # fmt: skip
            return s.verify(h, b, k, url=u, now=NOW, diagnose=False)

        def diagnose(
            s: Scheme[Any, Any] = scheme, h: list[tuple[str, str]] = headers, b: bytes = body,
            k: str = wrong, u: str = url,
        ) -> object:  # fmt: skip
            return s.verify(h, b, k, url=u, now=NOW)

        rate = best_rate(args.seconds, args.rounds, verify)
        bare = best_rate(args.seconds, args.rounds, bare_reference(scheme, content, signature))
        diagnose_ms = best_time(args.rounds, diagnose) * 1000
        print(f"{name:<22} {rate:>10,.0f} {bare:>10,.0f} {rate / bare:>6.2f} {diagnose_ms:>12.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
