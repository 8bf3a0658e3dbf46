"""Shipped shell completion and man page are generated from the parser, and up to date."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

PACKAGING = ROOT / "packaging"
OUTPUTS = (
    "completion/hookscope.bash",
    "completion/_hookscope",
    "completion/hookscope.fish",
    "man/hookscope.1",
)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for module in ("shtab", "argparse_manpage"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed (pip install -e '.[test]')")
    out = tmp_path_factory.mktemp("docs")
    subprocess.run(
        [sys.executable, str(PACKAGING / "make_docs.py"), str(out)],
        check=True,
        timeout=120,
        capture_output=True,
    )
    return out


@pytest.mark.parametrize("name", OUTPUTS)
def test_shipped_file_matches_the_parser(regenerated: Path, name: str) -> None:
    shipped = (PACKAGING / name).read_text(encoding="utf-8")
    assert shipped == (regenerated / name).read_text(encoding="utf-8"), (
        f"packaging/{name} is out of date: run python packaging/make_docs.py"
    )


def test_every_command_is_completed_and_documented() -> None:
    from hookscope.cli import build_parser

    commands = next(
        a.choices for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction"
    )
    bash = (PACKAGING / "completion" / "hookscope.bash").read_text()
    fish = (PACKAGING / "completion" / "hookscope.fish").read_text()
    man = (PACKAGING / "man" / "hookscope.1").read_text()
    for name in commands:
        assert name in bash
        assert f"-a {name} " in fish
        assert f"'hookscope {name}'" in man


def test_bash_completion_loads_in_bash() -> None:
    script = PACKAGING / "completion" / "hookscope.bash"
    result = subprocess.run(
        ["bash", "-c", f"source {script} && complete -p hookscope"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert "hookscope" in result.stdout
