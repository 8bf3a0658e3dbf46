"""Send a realistic mix of signed webhooks to a running hookscope, for screenshots and demos.

    python resources/screenshots/demo_traffic.py [http://127.0.0.1:9480]

Without a URL it sends to the port the app last listened on. It adds the matching signature
settings to $HOOKSCOPE_CONFIG_DIR (or the user's config) for paths none covers yet, so the app
shows ✓ and ✗ verdicts, and never overwrites settings that are there.
"""

from __future__ import annotations

import gzip
import json
import socket
import sys
import time
from urllib.parse import urlsplit

import httpx

from hookscope.core.signature_settings import SignatureSetting, SignatureSettings
from hookscope.core.signing import SCHEMES

STRIPE = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
GITHUB = "It's a Secret to Everybody"
SHOPIFY = "shpss_5b0c6a1e9e5c4e33"
SVIX = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD"


def payment(n: int) -> bytes:
    return json.dumps(
        {
            "id": f"evt_3Q{n:04d}Lk2eZvKYlo2C0n5XbY1",
            "object": "event",
            "api_version": "2024-06-20",
            "created": int(time.time()),
            "type": "payment_intent.succeeded",
            "livemode": False,
            "data": {
                "object": {
                    "id": f"pi_3Q{n:04d}Lk2eZvKYlo2C0",
                    "object": "payment_intent",
                    "amount": 4200 + n,
                    "currency": "eur",
                    "status": "succeeded",
                    "customer": "cus_Qx7Y2hJk3Lm4",
                    "metadata": {"order_id": f"ord_{1000 + n}"},
                    "charges": {"data": [{"id": f"ch_{n:04d}", "paid": True, "amount": 4200 + n}]},
                }
            },
            "request": {"id": f"req_{n:04d}AbC", "idempotency_key": f"k-{n}"},
        },
        separators=(",", ":"),
    ).encode()


def add_demo_settings() -> None:
    """Add the demo's secrets for paths no setting covers yet: the user's own settings are
    kept as they are, never overwritten."""
    current = SignatureSettings.load()
    demo = [
        SignatureSetting("/hooks/stripe*", "stripe", (STRIPE,)),
        SignatureSetting("/hooks/github*", "github", (GITHUB,)),
        SignatureSetting("/hooks/shopify*", "shopify", (SHOPIFY,)),
        SignatureSetting("/webhooks/svix*", "svix", (SVIX,)),
    ]
    missing = [s for s in demo if current.for_path(s.path.rstrip("*")) is None]
    if missing:
        SignatureSettings([*current.settings, *missing], current.path).save()


def app_url() -> str:
    """The running app's receiver: the port it saved last (ui.ini), else the default."""
    from hookscope.core.defaults import DEFAULT_PORT
    from hookscope.core.paths import config_dir

    port = DEFAULT_PORT
    ini = config_dir() / "ui.ini"
    if ini.exists():
        for line in ini.read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition("=")
            if name.strip() == "port" and value.strip().isdigit():
                port = int(value.strip())
    return f"http://127.0.0.1:{port}"


def main(base: str) -> None:
    add_demo_settings()
    with httpx.Client(base_url=base) as client:

        def stripe(body: bytes, sent: bytes | None = None) -> None:
            headers = dict(SCHEMES["stripe"].sign(body, STRIPE, timestamp=int(time.time())))
            headers.update(
                {
                    "Content-Type": "application/json; charset=utf-8",
                    "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
                }
            )
            client.post("/hooks/stripe", content=sent or body, headers=headers)

        for n in range(3):
            stripe(payment(n))
        push = json.dumps(
            {
                "ref": "refs/heads/main",
                "before": "9c1f0e2",
                "after": "4d2a7b1",
                "repository": {"id": 1296269, "full_name": "acme/shop-api", "private": True},
                "pusher": {"name": "octocat", "email": "octocat@github.com"},
                "commits": [
                    {
                        "id": "4d2a7b1",
                        "message": "Verify webhook signatures",
                        "author": {"name": "Mona Lisa"},
                        "added": ["hooks.py"],
                    }
                ],
            }
        ).encode()
        headers = dict(SCHEMES["github"].sign(push, GITHUB))
        headers.update(
            {
                "X-GitHub-Event": "push",
                "X-GitHub-Delivery": "72d3162e-cc78-11e3",
                "Content-Type": "application/json",
                "User-Agent": "GitHub-Hookshot/044aadd",
            }
        )
        client.post("/hooks/github", content=push, headers=headers)
        order = json.dumps(
            {
                "id": 820982911946154508,
                "email": "jon@example.com",
                "total_price": "254.98",
                "currency": "USD",
                "line_items": [{"title": "IPod Nano - 8GB", "quantity": 1}],
            }
        ).encode()
        packed = gzip.compress(order)  # signed as sent: the compressed bytes
        headers = dict(SCHEMES["shopify"].sign(packed, SHOPIFY))
        headers.update(
            {
                "X-Shopify-Topic": "orders/create",
                "Content-Type": "application/json",
                "X-Shopify-Shop-Domain": "acme.myshopify.com",
                "Content-Encoding": "gzip",
            }
        )
        client.post("/hooks/shopify", content=packed, headers=headers)
        event = json.dumps(
            {
                "type": "invoice.paid",
                "timestamp": "2026-11-27T10:00:00Z",
                "data": {"invoice_id": "inv_0042", "amount": 9900},
            }
        ).encode()
        headers = dict(
            SCHEMES["svix"].sign(event, SVIX, msg_id="msg_2Kx", timestamp=int(time.time()))
        )
        client.post(
            "/webhooks/svix", content=event, headers={**headers, "Content-Type": "application/json"}
        )
        client.post(
            "/slack/events",
            json={
                "token": "XXYYZZ",
                "team_id": "T061EG9R6",
                "type": "event_callback",
                "event": {
                    "type": "app_mention",
                    "user": "U061F7AUR",
                    "text": "<@U0LAN0Z89> deploy?",
                },
            },
        )
        client.post(
            "/twilio/sms",
            data={
                "From": "+15017122661",
                "To": "+15558675310",
                "Body": "Order 1042 shipped",
                "SmsStatus": "received",
            },
        )
        # A framework re-serialised the body before checking: the signature fails, and says why.
        body = payment(7)
        stripe(body, json.dumps(json.loads(body), indent=2).encode())
        client.put("/orders/1042/status?notify=true", json={"status": "shipped"})
        client.get("/health")
    with socket.create_connection((urlsplit(base).hostname, urlsplit(base).port)) as raw:
        raw.sendall(b"POST /broken HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
        raw.recv(1024)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else app_url())
