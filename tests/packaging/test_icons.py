"""The checked-in icon set is what packaging/icons/make_icons.py renders from the SVG."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from hookscope.ui.app import APP_ID
from tests.helpers import ROOT
from tests.packaging.conftest import need_tool

ICONS = ROOT / "packaging" / "icons"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need_tool("rsvg-convert")
    out = tmp_path_factory.mktemp("icons")
    script = ICONS / "make_icons.py"
    subprocess.run([sys.executable, str(script), str(out)], check=True, timeout=120)
    return out


def _max_channel_difference(a: QImage, b: QImage) -> int:
    a = a.convertToFormat(QImage.Format.Format_RGBA8888)
    b = b.convertToFormat(QImage.Format.Format_RGBA8888)
    assert a.size() == b.size()
    left, right = bytes(a.constBits()), bytes(b.constBits())
    return max(abs(x - y) for x, y in zip(left, right, strict=True))


@pytest.mark.parametrize("size", SIZES)
def test_hicolor_png_matches_a_fresh_render(rendered: Path, size: int) -> None:
    name = Path("hicolor") / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    shipped, fresh = QImage(str(ICONS / name)), QImage(str(rendered / name))
    assert (shipped.width(), shipped.height()) == (size, size)
    # Another librsvg may anti-alias an edge differently by a step or two; a changed SVG
    # changes whole regions.
    assert _max_channel_difference(shipped, fresh) <= 8


def test_scalable_svg_is_the_apps_own(rendered: Path) -> None:
    name = Path("hicolor") / "scalable" / "apps" / f"{APP_ID}.svg"
    app_svg = ROOT / "hookscope" / "ui" / "assets" / "hookscope.svg"
    assert (ICONS / name).read_bytes() == app_svg.read_bytes() == (rendered / name).read_bytes()


def test_ico_and_icns_hold_the_sizes_each_platform_asks_for() -> None:
    ico = (ICONS / "hookscope.ico").read_bytes()
    _, kind, count = struct.unpack_from("<HHH", ico)
    assert kind == 1
    sides = [ico[6 + 16 * i] or 256 for i in range(count)]
    assert {16, 32, 48, 256} <= set(sides)
    icns = (ICONS / "hookscope.icns").read_bytes()
    assert icns[:4] == b"icns"
    assert struct.unpack_from(">I", icns, 4)[0] == len(icns)
    kinds, offset = set(), 8
    while offset < len(icns):
        kinds.add(icns[offset : offset + 4])
        offset += struct.unpack_from(">I", icns, offset + 4)[0]
    assert {b"ic07", b"ic08", b"ic09", b"ic10"} <= kinds
