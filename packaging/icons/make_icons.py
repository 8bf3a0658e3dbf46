"""Render the app icon set from the one SVG: hicolor PNGs, the scalable SVG, .ico and .icns.

    python packaging/icons/make_icons.py [OUT_DIR]     (default: packaging/icons)

Needs `rsvg-convert` (Debian: librsvg2-bin; macOS: brew install librsvg). The outputs are
checked in; tests/packaging/test_icons.py renders them again and compares.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SVG = ROOT / "hookscope" / "ui" / "assets" / "hookscope.svg"
APP_ID = "io.github.hookscope.Hookscope"
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Apple's PNG-payload icon types, by pixel size (ic11–ic14 are the @2x variants).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def render(size: int) -> bytes:
    rsvg = shutil.which("rsvg-convert")
    if rsvg is None:
        raise SystemExit("make_icons: rsvg-convert not found (apt-get install librsvg2-bin)")
    done = subprocess.run(
        [rsvg, "--width", str(size), "--height", str(size), "--format", "png", str(SVG)],
        check=True,
        capture_output=True,
    )
    return done.stdout


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico whose entries are PNGs (supported since Vista)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns built from PNG payloads (what iconutil writes too)."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main(out: Path) -> None:
    sizes = sorted({*HICOLOR_SIZES, *ICO_SIZES, *(s for _, s in ICNS_TYPES)})
    pngs = {size: render(size) for size in sizes}
    for size in HICOLOR_SIZES:
        target = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
    scalable = out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SVG, scalable)
    (out / "hookscope.ico").write_bytes(ico({s: pngs[s] for s in ICO_SIZES}))
    (out / "hookscope.icns").write_bytes(icns(pngs))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
