"""Each provider's command line and how it reads the lines its tool prints (quoted from the
tools' documentation and published output)."""

from __future__ import annotations

import pytest

from hookscope.core.errors import HookscopeError
from hookscope.core.tunnels.cloudflared import Cloudflared
from hookscope.core.tunnels.ngrok import Ngrok
from hookscope.core.tunnels.provider import Reading, strip_ansi
from hookscope.core.tunnels.ssh import SERVICES, OwnServer, ssh_provider
from hookscope.core.tunnels.tailscale import TailscaleFunnel


def test_localhost_run() -> None:
    service = ssh_provider(None)
    argv = service.command(9480)
    assert argv[0] == "ssh"
    assert argv[-3:] == ["-R", "80:127.0.0.1:9480", "nokey@localhost.run"]
    assert "BatchMode=yes" in argv
    line = "47970a65005227.lhr.life tunneled with tls termination, https://47970a65005227.lhr.life"
    assert service.read(line) == Reading(url="https://47970a65005227.lhr.life", up=True)
    assert service.read("** your connection id is 61516456, please mention it **") is None


def test_pinggy_and_serveo() -> None:
    pinggy = SERVICES["pinggy"]
    assert pinggy.command(5)[-5:] == ["-p", "443", "-R", "0:127.0.0.1:5", "a.pinggy.io"]
    assert pinggy.read("http://rnxyz-203-0-113-7.a.free.pinggy.link") is None
    assert pinggy.read("https://rnxyz-203-0-113-7.a.free.pinggy.link") == Reading(
        url="https://rnxyz-203-0-113-7.a.free.pinggy.link", up=True
    )
    serveo = SERVICES["serveo"]
    colored = "\x1b[32mForwarding HTTP traffic from https://carita.serveo.net\x1b[0m"
    assert serveo.read(strip_ansi(colored)) == Reading(url="https://carita.serveo.net", up=True)


def test_ssh_errors() -> None:
    service = ssh_provider("localhost.run")
    denied = service.read("nokey@localhost.run: Permission denied (publickey).")
    assert denied is not None
    assert denied.fatal
    refused = service.read("ssh: connect to host localhost.run port 22: Connection refused")
    assert refused is not None
    assert refused.error
    assert not refused.fatal


def test_own_server() -> None:
    server = OwnServer.parse("deploy@203.0.113.10:8022")
    assert server.destination == "deploy@203.0.113.10"
    assert server.remote_port == 8022
    assert server.command(9480)[-3:] == ["-R", "8022:127.0.0.1:9480", "deploy@203.0.113.10"]
    assert server.host() == "203.0.113.10"
    ok = "debug1: remote forward success for: listen 8022, connect 127.0.0.1:9480"
    assert server.read(ok) == Reading(url="http://203.0.113.10:8022", up=True)
    dynamic = OwnServer.parse("deploy@203.0.113.10")
    assert dynamic.remote_port == 0
    assert dynamic.read("debug1: remote forward success for: listen 0, connect 127.0.0.1:1") is None
    allocated = "Allocated port 41233 for remote forward to 127.0.0.1:9480"
    assert dynamic.read(allocated) == Reading(url="http://203.0.113.10:41233", up=True)
    with pytest.raises(HookscopeError, match="remote port is 0 to 65535"):
        OwnServer.parse("a@b:70000")


def test_cloudflared_quick_and_named() -> None:
    quick = Cloudflared()
    assert quick.command(7) == [
        "cloudflared", "tunnel", "--no-autoupdate", "--url", "http://127.0.0.1:7",
    ]  # fmt: skip
    box = "2023-04-18T14:06:49Z INF |  https://buffalo-marco-cardiff-motel.trycloudflare.com    |"
    assert quick.read(box) == Reading(url="https://buffalo-marco-cardiff-motel.trycloudflare.com")
    registered = (
        "2024-02-08T06:25:48Z INF Registered tunnel connection connIndex=0 "
        "connection=830bf962 event=0 ip=198.41.192.167 location=lax08 protocol=quic"
    )
    assert quick.read(registered) == Reading(up=True)
    named = Cloudflared("hooks=https://hooks.example.com/")
    assert named.command(7)[2:] == [
        "--no-autoupdate",
        "run",
        "--url",
        "http://127.0.0.1:7",
        "hooks",
    ]
    assert named.read(registered) == Reading(url="https://hooks.example.com", up=True)
    with pytest.raises(HookscopeError, match="NAME=HOSTNAME"):
        Cloudflared("hooks")


def test_ngrok_json_log() -> None:
    agent = Ngrok()
    assert agent.command(7) == [
        "ngrok", "http", "127.0.0.1:7", "--log", "stdout", "--log-format", "json",
    ]  # fmt: skip
    started = (
        '{"addr":"http://localhost:4142","lvl":"info","msg":"started tunnel",'
        '"name":"command_line","obj":"tunnels","t":"2026-09-30T02:40:01Z",'
        '"url":"https://ab12-203-0-113-7.ngrok-free.app"}'
    )
    assert agent.read(started) == Reading(url="https://ab12-203-0-113-7.ngrok-free.app", up=True)
    web = '{"addr":"127.0.0.1:4041","lvl":"info","msg":"starting web service","obj":"web"}'
    assert agent.read(web) is None
    assert agent.api == "127.0.0.1:4041"
    assert Ngrok("hooks.ngrok.app").command(7)[-2:] == ["--domain", "hooks.ngrok.app"]


def test_tailscale_funnel() -> None:
    funnel = TailscaleFunnel()
    assert funnel.command(7) == ["tailscale", "funnel", "http://127.0.0.1:7"]
    assert funnel.read("https://microcap-proto.tail737e71.ts.net/") == Reading(
        url="https://microcap-proto.tail737e71.ts.net", up=True
    )
    assert funnel.read("|-- proxy http://127.0.0.1:8765") is None
