"""The desktop entry and the AppStream metainfo: valid, and one id everywhere."""

from __future__ import annotations

import configparser
import subprocess
import xml.etree.ElementTree as ET

from hookscope.ui.app import APP_ID
from tests.helpers import ROOT
from tests.packaging.conftest import need_tool

LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"


def test_desktop_entry_validates() -> None:
    tool = need_tool("desktop-file-validate")
    result = subprocess.run([tool, str(DESKTOP)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


def test_metainfo_validates() -> None:
    tool = need_tool("appstreamcli")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_one_id_names_the_entry_the_metainfo_the_icon_and_the_window() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP, encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Icon"] == APP_ID
    assert section["Exec"].split()[0] == "hookscope-gui"  # the gui-scripts entry point
    component = ET.parse(METAINFO).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    icons = ROOT / "packaging" / "icons" / "hicolor"
    assert (icons / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (icons / "256x256" / "apps" / f"{APP_ID}.png").is_file()


def test_metainfo_screenshots_are_in_the_repository() -> None:
    component = ET.parse(METAINFO).getroot()
    images = [image.text or "" for image in component.iter("image")]
    assert images
    for url in images:
        relative = url.split("/main/", 1)[1]
        assert (ROOT / relative).is_file(), url
