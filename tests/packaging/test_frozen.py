"""The frozen one-folder app (packaging/build.sh), built once from this checkout and run.

Only with `pytest -m packaging`: the build takes a minute or two. Set HOOKSCOPE_FROZEN to an
already built app folder to run the checks against it instead.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import tarfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(900)]

APP_ID = "io.github.hookscope.Hookscope"
BODY = b'{"id":"evt_1","amount":4200,"note":"caf\xc3\xa9","nested":{"a":[1,2,3]}}  \n'


@dataclass
class Frozen:
    app: Path  # the one-folder app: app/hookscope, app/hookscope-gui, app/_internal
    tarball: Path | None
    build_seconds: float


@pytest.fixture(scope="session")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Frozen:
    prebuilt = os.environ.get("HOOKSCOPE_FROZEN")
    if prebuilt:
        tarballs = sorted(Path(prebuilt).parent.glob("hookscope-*.tar.gz"))
        return Frozen(Path(prebuilt), tarballs[-1] if tarballs else None, 0.0)
    out = tmp_path_factory.mktemp("frozen")
    env = {
        **os.environ,
        "PYTHON": sys.executable,  # this environment, as is: no second install of everything
        "HOOKSCOPE_DIST": str(out / "dist"),
        "HOOKSCOPE_WORK": str(out / "work"),
    }
    started = time.monotonic()
    result = subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(result.stdout, file=sys.stderr)
    tarballs = sorted((out / "dist").glob("hookscope-*.tar.gz"))
    assert tarballs, result.stdout
    return Frozen(out / "dist" / "hookscope", tarballs[0], time.monotonic() - started)


def app_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "HOOKSCOPE_"))}
    env["HOOKSCOPE_CONFIG_DIR"] = str(tmp_path / "config")
    env["HOOKSCOPE_DB"] = str(tmp_path / "default.db")
    return env


def test_version_runs_without_python(frozen: Frozen, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(frozen.app / "hookscope"), "--version"],
        capture_output=True,
        text=True,
        env=app_env(tmp_path),
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"hookscope \d+\.\d+\.\d+\n", result.stdout)


def test_bundle_holds_what_is_loaded_at_run_time(frozen: Frozen) -> None:
    internal = frozen.app / "_internal"
    assert (internal / "hookscope" / "ui" / "assets" / "hookscope.svg").is_file()
    assert (internal / "pyqtgraph").is_dir()
    pyside = internal / "PySide6"
    # pyqtgraph imports these through importlib; without them the simulator's tab is empty.
    for module in ("QtOpenGL", "QtOpenGLWidgets", "QtSvg", "QtTest"):
        assert list(pyside.glob(f"{module}.*")), module
    for unused in ("QtQml", "QtQuick", "QtDesigner", "QtNetwork"):
        assert not list(pyside.glob(f"{unused}.*")), unused
    plugins = pyside / "Qt" / "plugins"
    for plugin in (
        "platforms/libqxcb.so",
        "platforms/libqoffscreen.so",
        "imageformats/libqsvg.so",
        "iconengines/libqsvgicon.so",
    ):
        assert (plugins / plugin).is_file(), plugin
    assert not (internal / "pytest").exists()
    assert (frozen.app / "hookscope-gui").is_file()


@pytest.fixture
def listener(frozen: Frozen, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    process = subprocess.Popen(
        [str(frozen.app / "hookscope"), "listen", "--port", "0", "--db", str(tmp_path / "c.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=app_env(tmp_path),
        cwd=tmp_path,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline().decode()
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        assert found, line
        yield process, found.group(1)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)


def test_listen_stores_a_curl_post_byte_exact_and_exports_it(
    frozen: Frozen, listener: tuple[subprocess.Popen[bytes], str], tmp_path: Path
) -> None:
    process, url = listener
    body_file = tmp_path / "body.json"
    body_file.write_bytes(BODY)
    curl = subprocess.run(
        [
            "curl",
            "-sS",
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--data-binary",
            f"@{body_file}",
            "-H",
            "Content-Type: application/json",
            f"{url}/hooks/frozen?x=1",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert curl.stdout == "200", curl.stderr
    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0
    export = subprocess.run(
        [
            str(frozen.app / "hookscope"),
            "export",
            "--db",
            str(tmp_path / "c.db"),
            "--format",
            "ndjson",
        ],
        capture_output=True,
        env=app_env(tmp_path),
        cwd=tmp_path,
        timeout=60,
    )
    assert export.returncode == 0, export.stderr
    (record,) = [json.loads(line) for line in export.stdout.splitlines()]
    assert record["target"] == "/hooks/frozen?x=1"
    assert base64.b64decode(record["body_b64"]) == BODY


def test_gui_starts_offscreen_receives_in_its_receiver_process_and_quits_cleanly_on_sigterm(
    frozen: Frozen, tmp_path: Path
) -> None:
    env = {**app_env(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    started = time.monotonic()
    process = subprocess.Popen(
        [str(frozen.app / "hookscope-gui"), "--port", "0", "--db", str(tmp_path / "c.db")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert process.stderr is not None
        seen = []
        while "listening on http://127.0.0.1:" not in (seen or [""])[-1]:
            line = process.stderr.readline().decode()  # printed once the window is shown
            assert line, "".join(seen)  # Qt's own notes come first on some platforms
            seen.append(line)
        first_window = time.monotonic() - started
        url = seen[-1].split("listening on ", 1)[1].strip()
        # The frozen app's receiver process (started through the bundle's multiprocessing
        # support) answers and stores.
        request = urllib.request.Request(f"{url}/frozen", data=BODY, method="POST")
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
        rest = process.stderr.read().decode()
        assert "Traceback" not in rest, rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
    print(f"frozen GUI to first window: {first_window:.2f} s", file=sys.stderr)
    assert (tmp_path / "config" / "ui.ini").is_file()  # the shutdown path ran and saved
    from hookscope.core.store import Store

    with Store.open(tmp_path / "c.db") as store:
        assert [(c.target, c.body) for c in store.iter_captures()] == [("/frozen", BODY)]


def test_tarball_installs_into_a_prefix_and_uninstalls(frozen: Frozen, tmp_path: Path) -> None:
    if frozen.tarball is None:
        pytest.skip("no tarball next to HOOKSCOPE_FROZEN")
    with tarfile.open(frozen.tarball) as archive:
        archive.extractall(tmp_path / "unpacked", filter="tar")
    (top,) = (tmp_path / "unpacked").iterdir()
    prefix = tmp_path / "prefix"
    env = app_env(tmp_path)
    subprocess.run(
        ["sh", str(top / "install.sh"), "--prefix", str(prefix)],
        check=True,
        env=env,
        timeout=120,
        capture_output=True,
    )
    share = prefix / "share"
    entry = (share / "applications" / f"{APP_ID}.desktop").read_text()
    assert f"Exec={prefix}/lib/hookscope/hookscope-gui" in entry
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "apps" / f"{APP_ID}.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (share / "bash-completion" / "completions" / "hookscope").is_file()
    assert (share / "man" / "man1" / "hookscope.1").is_file()
    version = subprocess.run(
        [str(prefix / "bin" / "hookscope"), "--version"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert version.stdout.startswith("hookscope ")
    subprocess.run(
        ["sh", str(prefix / "lib" / "hookscope" / "uninstall.sh")],
        check=True,
        env=env,
        timeout=60,
        capture_output=True,
    )
    left = sorted(p for p in prefix.rglob("*") if p.is_file() or p.is_symlink())
    assert left == []
