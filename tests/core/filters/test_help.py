"""The help the app shows and the README section describe the language that is implemented."""

from __future__ import annotations

import re

import pytest

import hookscope.core.filters as filters
from hookscope.core.filters import HELP, compile_filter
from hookscope.core.filters.help import help_rows
from hookscope.core.filters.parser import FIELDS
from tests.helpers import ROOT


def test_public_api() -> None:
    assert sorted(filters.__all__) == sorted(
        [
            "HELP",
            "CaptureFilter",
            "FilterCancelledError",
            "FilterError",
            "compile_filter",
        ]
    )


def test_help_has_a_line_for_every_field() -> None:
    for field in FIELDS:
        assert re.search(rf"^  {field.name}:", HELP, re.MULTILINE), field.name


def _help_examples() -> list[str]:
    """Every query the help shows: the field rows, and the examples after the sections."""
    examples = [example for example, _ in help_rows()]
    section = HELP.split("\nExamples\n", 1)[1]
    examples += [re.split(r"\s{2,}", line.strip())[0] for line in section.splitlines() if line]
    return examples


@pytest.mark.parametrize("example", _help_examples())
def test_every_example_in_the_help_is_a_valid_query(example: str) -> None:
    compile_filter(example)


def _readme_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Filter language")
    end = readme.find("\n## ", start + 1)
    return readme[start : end if end > 0 else len(readme)]


@pytest.mark.parametrize("example", [example for example, _ in help_rows()])
def test_readme_shows_every_field_example(example: str) -> None:
    assert example in _readme_section()
