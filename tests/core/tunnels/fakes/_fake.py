"""Stand-ins for cloudflared, ngrok and tailscale that print exactly what the real tools print
(from their documentation and published logs), for tests only. Driven by environment:

FAKE_TUNNEL_MODE  up (default: print, then run until killed), drop (print, then exit after
                  FAKE_TUNNEL_UPTIME seconds), fail (a transient error, exit 1), fatal (an error
                  no retry fixes, exit 1), api (ngrok: URL only from its local API)
FAKE_TUNNEL_LOG   a file that gets one JSON line per start: pid and argv
"""

from __future__ import annotations

import http.server
import json
import os
import re
import sys
import threading
import time

TS = "2024-05-01T10:00:03Z"


def _json(record: dict[str, object]) -> str:
    return json.dumps(record, separators=(",", ":"))  # ngrok writes compact JSON


def _start_number(log: str) -> int:
    if not log:
        return 1
    try:
        with open(log, encoding="utf-8") as done:
            return sum(1 for _ in done) + 1
    except FileNotFoundError:
        return 1


def _port(argv: list[str]) -> str:
    for arg in argv:
        match = re.search(r"127\.0\.0\.1:(\d+)", arg)
        if match:
            return match.group(1)
    return "0"


def _say(*lines: str, err: bool = False) -> None:
    out = sys.stderr if err else sys.stdout
    for line in lines:
        out.write(line + "\n")
    out.flush()


def cloudflared(mode: str, n: int, port: str) -> int:
    url = f"https://quiet-river-{n}-lock.trycloudflare.com"
    _say(
        f"{TS} INF Thank you for trying Cloudflare Tunnel. Doing so, without a Cloudflare "
        "account, is a quick way to experiment and try it out. However, be aware that these "
        "account-less Tunnels have no uptime guarantee. If you intend to use Tunnels in "
        "production you should use a pre-created named tunnel by following: "
        "https://developers.cloudflare.com/cloudflare-one/connections/connect-apps",
        f"{TS} INF Requesting new quick Tunnel on trycloudflare.com...",
        err=True,
    )
    if mode == "fail":
        _say(
            'failed to request quick Tunnel: Post "https://api.trycloudflare.com/tunnel": '
            "dial tcp: lookup api.trycloudflare.com on 127.0.0.11:53: no such host",
            err=True,
        )
        return 1
    if mode == "hostile":  # what a compromised relay could send back: terminal controls
        _say("failed to request quick Tunnel: \x1b]0;owned\x07\x1b[2J\u202egnp.exe", err=True)
        return 1
    box = "+" + "-" * 92 + "+"
    _say(
        f"{TS} INF {box}",
        f"{TS} INF |  Your quick Tunnel has been created! Visit it at (it may take some time "
        "to be reachable):  |",
        f"{TS} INF |  {url:<90}|",
        f"{TS} INF {box}",
        f"{TS} INF Cannot determine default configuration path. No file [config.yml "
        "config.yaml] in [~/.cloudflared ~/.cloudflare-warp ~/cloudflare-warp /etc/cloudflared "
        "/usr/local/etc/cloudflared]",
        f"{TS} INF Version 2024.4.1",
        f"{TS} INF Settings: map[ha-connections:1 no-autoupdate:true protocol:quic "
        f"url:http://127.0.0.1:{port}]",
        f"{TS} INF Registered tunnel connection connIndex=0 "
        "connection=830bf962-7674-4e02-b648-65177c832c67 event=0 ip=198.41.192.167 "
        "location=lax08 protocol=quic",
        err=True,
    )
    return run(
        mode,
        lambda: _say(
            f'{TS} ERR Connection terminated error="timeout: no recent network activity" '
            "connIndex=0",
            err=True,
        ),
    )


def ngrok(mode: str, n: int, port: str) -> int:
    url = f"https://ab{n}2-203-0-113-7.ngrok-free.app"
    _say(_json({"lvl": "info", "msg": "no configuration paths supplied", "t": TS}))
    if mode == "fatal":
        err = (
            "authentication failed: Usage of ngrok requires a verified account and authtoken."
            "\n\nSign up for an account: https://dashboard.ngrok.com/signup\nInstall your "
            "authtoken: https://dashboard.ngrok.com/get-started/your-authtoken\r\n\r\n"
            "ERR_NGROK_4018\r\n"
        )
        _say(
            _json(
                {
                    "err": err,
                    "lvl": "eror",
                    "msg": "failed to reconnect session",
                    "obj": "tunnels.session",
                    "t": TS,
                }
            )
        )
        _say(_json({"err": err, "lvl": "crit", "msg": "command failed", "t": TS}))
        return 1
    api = "127.0.0.1:4040"
    if mode == "api":
        api = _serve_api(url, port)
    _say(_json({"addr": api, "lvl": "info", "msg": "starting web service", "obj": "web", "t": TS}))
    if mode != "api":
        _say(
            _json(
                {
                    "addr": f"http://127.0.0.1:{port}",
                    "lvl": "info",
                    "msg": "started tunnel",
                    "name": "command_line",
                    "obj": "tunnels",
                    "t": TS,
                    "url": url,
                }
            )
        )
    return run("up" if mode == "api" else mode, lambda: None)


def _serve_api(url: str, port: str) -> str:
    document = json.dumps(
        {
            "tunnels": [
                {
                    "name": "command_line",
                    "public_url": url,
                    "proto": "https",
                    "config": {"addr": f"http://127.0.0.1:{port}", "inspect": True},
                }
            ],
            "uri": "/api/tunnels",
        }
    ).encode()

    class Api(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/api/tunnels" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(document)))
            self.end_headers()
            self.wfile.write(document)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Api)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"127.0.0.1:{server.server_address[1]}"


def tailscale(mode: str, n: int, port: str) -> int:
    if mode == "fatal":
        _say(
            "Funnel is not enabled on your tailnet.",
            "To enable, visit:",
            "",
            "         https://login.tailscale.com/f/funnel?node=nho4oGYG7X11CNTRL",
            "",
        )
        return 1
    _say(
        "Available on the internet:",
        "",
        f"https://hookscope-{n}.tail1234.ts.net/",
        f"|-- proxy http://127.0.0.1:{port}",
        "",
        "Press Ctrl+C to exit.",
    )
    return run(mode, lambda: None)


def run(mode: str, on_drop: object) -> int:
    if mode == "drop":
        time.sleep(float(os.environ.get("FAKE_TUNNEL_UPTIME", "0.3")))
        on_drop()  # type: ignore[operator]
        return 1
    while True:
        time.sleep(3600)


def main(tool: str) -> None:
    log = os.environ.get("FAKE_TUNNEL_LOG", "")
    n = _start_number(log)
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(json.dumps({"pid": os.getpid(), "argv": sys.argv}) + "\n")
    mode = os.environ.get("FAKE_TUNNEL_MODE", "up")
    port = _port(sys.argv[1:])
    tools = {"cloudflared": cloudflared, "ngrok": ngrok, "tailscale": tailscale}
    sys.exit(tools[tool](mode, n, port))
