"""hookscope.core never loads Qt: import every core module in a fresh interpreter and look."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

PROBE = """
import importlib, pkgutil, sys
import hookscope.core as core
names = [m.name for m in pkgutil.walk_packages(core.__path__, "hookscope.core.")]
for name in names:
    importlib.import_module(name)
qt = {"PySide6", "shiboken6", "qasync"}
banned = sorted(m for m in sys.modules if m.split(".")[0] in qt or m.startswith("hookscope.ui"))
print(len(names))
print(",".join(banned))
"""


def test_core_imports_no_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    count, banned = result.stdout.splitlines()
    assert int(count) >= 10, "the probe found too few core modules to be meaningful"
    assert banned == "", f"core loaded Qt modules: {banned}"


def test_version_does_not_import_qt_or_aiohttp() -> None:
    probe = (
        "import sys, runpy; sys.argv=['hookscope','--version']\n"
        "try:\n    runpy.run_module('hookscope', run_name='__main__')\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6','qasync','aiohttp'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("hookscope ")
    assert result.stdout.strip().endswith("[]")


# -- import contracts (pyproject's [tool.importlinter], drawn in hookscope/ARCHITECTURE.md) ----

LINT = (
    "import sys\n"
    "from importlinter.cli import lint_imports\n"
    "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))\n"
)


def _lint_imports(config: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LINT, config],
        capture_output=True,
        text=True,
        cwd=ROOT,  # import-linter reads the package from the working directory
        timeout=120,
    )


def test_import_contracts_are_kept() -> None:
    result = _lint_imports("pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert "core layers" in result.stdout


def test_a_broken_contract_fails_the_check(tmp_path: Path) -> None:
    config = tmp_path / "contracts.toml"
    config.write_text(
        "[tool.importlinter]\n"
        'root_packages = ["hookscope"]\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "filters may not read the capture model"\n'
        'type = "forbidden"\n'
        'source_modules = ["hookscope.core.filters"]\n'
        'forbidden_modules = ["hookscope.core.model"]\n'
    )
    result = _lint_imports(str(config))
    assert result.returncode != 0
    assert "1 broken" in result.stdout


def test_the_architecture_page_names_modules_that_exist() -> None:
    import re
    import tomllib

    page = (ROOT / "hookscope" / "ARCHITECTURE.md").read_text()
    named = set(re.findall(r"`((?:core|ui|cli)/[\w/]+(?:\.py|/))`", page))
    assert len(named) >= 20, "the table should name where each behaviour lives"
    missing = sorted(path for path in named if not (ROOT / "hookscope" / path).exists())
    assert missing == [], f"ARCHITECTURE.md names modules that are gone: {missing}"
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    drawn = [line.split()[0] for line in page.splitlines() if line.startswith("    ")]
    for layer in layers:  # the diagram draws the contract's layers, top to bottom, in order
        first = layer.split(" | ")[0]
        assert first in drawn, f"layer {layer!r} is not drawn"
    tops = [layer.split(" | ")[0] for layer in layers]
    assert [name for name in drawn if name in tops] == tops


def test_core_has_no_import_cycles() -> None:
    """No module of core needs itself through others (typing-only imports aside): each cycle
    used to be held together by imports inside functions, which the layers cannot see."""
    import grimp

    graph = grimp.build_graph("hookscope", exclude_type_checking_imports=True, cache_dir=None)
    core = sorted(m for m in graph.modules if m.startswith("hookscope.core"))
    assert len(core) > 100
    looping = [
        module
        for module in core
        if any(
            graph.find_shortest_chain(importer=imported, imported=module) is not None
            for imported in graph.find_modules_directly_imported_by(module)
            if imported.startswith("hookscope.core")
        )
    ]
    assert looping == [], f"modules in an import cycle: {looping}"
