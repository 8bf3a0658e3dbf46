"""The ngrok agent (`ngrok http`), with its log as JSON on stdout. The URL comes from the
"started tunnel" record; if the log lacks it, from the agent's local API (`/api/tunnels` at the
address its "starting web service" record names, 127.0.0.1:4040 by default)."""

from __future__ import annotations

import json
import re
import urllib.request
from typing import Any

from hookscope.core.tunnels.provider import Provider, Reading

__all__ = ["Ngrok"]

# Errors that a restart cannot fix: no or a bad authtoken, an account that is not allowed.
_CODE = re.compile(r"ERR_NGROK_\d+")
_FATAL = ("ERR_NGROK_4018", "ERR_NGROK_105", "ERR_NGROK_107", "authentication failed")


class Ngrok(Provider):
    kind = "ngrok"
    executable = "ngrok"

    def __init__(self, domain: str | None = None) -> None:
        self.domain = domain or ""
        self.label = f"ngrok: {self.domain}" if self.domain else "ngrok"
        self.api = ""

    def command(self, port: int) -> list[str]:
        argv = [self.executable, "http", f"127.0.0.1:{port}", "--log", "stdout"]
        argv += ["--log-format", "json"]
        if self.domain:
            argv += ["--domain", self.domain]
        return argv

    def read(self, line: str) -> Reading | None:
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if not isinstance(record, dict):
            text = line.strip()
            return Reading(error=text, fatal=any(m in text for m in _FATAL)) if text else None
        msg = str(record.get("msg", ""))
        if msg == "started tunnel" and str(record.get("url", "")).startswith("https://"):
            return Reading(url=str(record["url"]), up=True)
        if msg == "starting web service" and record.get("addr"):
            self.api = str(record["addr"])
            return None
        if record.get("lvl") in {"eror", "error", "crit"}:
            text = str(record.get("err") or msg).strip()
            # ngrok's errors run over several lines and end with their code: keep line and code.
            first = text.splitlines()[0].strip() if text else msg
            code = _CODE.search(text)
            if code and code.group(0) not in first:
                first = f"{first} ({code.group(0)})"
            return Reading(error=first, fatal=any(m in text for m in _FATAL))
        return None

    def poll_url(self, port: int) -> str:
        if not self.api:
            return ""
        try:
            with urllib.request.urlopen(f"http://{self.api}/api/tunnels", timeout=2) as answer:
                document: Any = json.load(answer)
        except (OSError, ValueError):
            return ""
        for tunnel in document.get("tunnels", []) if isinstance(document, dict) else []:
            url = str(tunnel.get("public_url", ""))
            addr = str(tunnel.get("config", {}).get("addr", ""))
            if url.startswith("https://") and addr.rstrip("/").endswith(f":{port}"):
                return url
        return ""
