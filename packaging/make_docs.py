"""Generate shell completion (bash, zsh, fish) and the man page from the argparse parser.

    python packaging/make_docs.py [OUT_DIR]      (default: packaging/)

Writes OUT_DIR/completion/{hookscope.bash,_hookscope,hookscope.fish} and OUT_DIR/man/hookscope.1.
The outputs are checked in and shipped in the Linux tarball; tests/packaging/test_docs.py
regenerates them and fails when they no longer match the parser. Needs `shtab` and
`argparse-manpage` (pip install '.[test]').
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
METAINFO = HERE / "linux" / "io.github.hookscope.Hookscope.metainfo.xml"
URL = "https://github.com/hookscope/hookscope"


def _parser() -> argparse.ArgumentParser:
    # argparse wraps help to the terminal's width: fix it, so the output is the same anywhere.
    os.environ["COLUMNS"] = "80"
    sys.path.insert(0, str(ROOT))
    from hookscope.cli import build_parser

    return build_parser()


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _release_date(version: str) -> str:
    """The man page's date: this version's release in the metainfo, so output is reproducible."""
    text = METAINFO.read_text(encoding="utf-8")
    found = re.search(rf'<release version="{re.escape(version)}" date="([0-9-]+)"', text)
    return found.group(1) if found else ""


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _first_sentence(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text.split(". ")[0].rstrip(".")


def fish(parser: argparse.ArgumentParser) -> str:
    """fish completions (shtab has no fish backend): subcommands, their options and choices."""
    lines = [
        "# fish completion for hookscope, generated from its argparse parser by",
        "# packaging/make_docs.py: do not edit.",
        "complete -c hookscope -f",
        "complete -c hookscope -n __fish_use_subcommand -l version -d 'print the version'",
    ]
    commands = _subcommands(parser)
    helps = {
        a.dest: a.help
        for action in parser._actions
        if isinstance(action, argparse._SubParsersAction)
        for a in action._choices_actions
    }
    for name in commands:
        lines.append(
            f"complete -c hookscope -n __fish_use_subcommand -a {name}"
            f" -d {_fish_quote(_first_sentence(helps.get(name)))}"
        )
    for name, sub in commands.items():
        condition = f"'__fish_seen_subcommand_from {name}'"
        for action in sub._actions:
            if not action.option_strings or action.help == argparse.SUPPRESS:
                continue
            spec = ""
            for option in action.option_strings:
                spec += f" -l {option[2:]}" if option.startswith("--") else f" -s {option[1:]}"
            if action.nargs != 0:
                spec += " -r"
                if action.choices:
                    spec += " -a " + _fish_quote(" ".join(str(c) for c in action.choices))
                elif (action.metavar or "").upper() in {"PATH", "FILE", "F"} or action.dest in {
                    "db",
                    "output",
                    "body_file",
                    "rules",
                }:
                    spec += " -F"
            lines.append(
                f"complete -c hookscope -n {condition}{spec}"
                f" -d {_fish_quote(_first_sentence(action.help))}"
            )
        if any(not a.option_strings and a.metavar in {"FILE"} for a in sub._actions):
            lines.append(f"complete -c hookscope -n {condition} -F")
    return "\n".join(lines) + "\n"


def manpage(parser: argparse.ArgumentParser) -> str:
    from argparse_manpage.manpage import Manpage

    from hookscope import __version__

    data = {
        "project_name": "hookscope",
        "version": __version__,
        "date": _release_date(__version__),
        "manual_title": "hookscope manual",
        "manual_section": "1",
        "url": URL,
        "description": "inspect, verify, sign, send, replay and export webhooks",
    }
    return str(Manpage(parser, _data=data))


def generate(out: Path) -> list[Path]:
    import shtab

    parser = _parser()
    files = {
        out / "completion" / "hookscope.bash": shtab.complete(parser, shell="bash"),
        out / "completion" / "_hookscope": shtab.complete(parser, shell="zsh"),
        out / "completion" / "hookscope.fish": fish(parser),
        out / "man" / "hookscope.1": manpage(parser),
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return list(files)


if __name__ == "__main__":
    for written in generate(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(written)
