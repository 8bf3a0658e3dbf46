"""Packaging tests. Those marked `packaging` build the frozen app (a minute or two) and run only
when asked: `pytest -m packaging` (CI does, after the main run)."""

from __future__ import annotations

import shutil

import pytest

APP_ID = "io.github.hookscope.Hookscope"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "packaging" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="builds the frozen app: run with -m packaging")
    for item in items:
        if item.get_closest_marker("packaging"):
            item.add_marker(skip)


def need_tool(name: str) -> str:
    """The tool's path; CI installs them all (.ci/run), elsewhere a missing one skips."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(
            f"{name} is not installed (apt-get install desktop-file-utils appstream librsvg2-bin)"
        )
    return path
