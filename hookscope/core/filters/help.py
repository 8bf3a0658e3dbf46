"""The user's guide to the filter language, built from the field classes so it cannot drift."""

from __future__ import annotations

from hookscope.core.filters.parser import FIELDS

__all__ = ["HELP", "HelpSection", "help_rows", "help_sections"]

_INTRO = """\
Type words to find captures; add fields to narrow them down.

  stripe                  the path (with query) or the body contains "stripe", any case
  "card declined"         a phrase: quotes keep spaces, parentheses and keywords as text
"""

_COMBINING = """\
  a b   or   a AND b      both                       AND binds tighter than OR:
  a OR b                  either                     a b OR c  is  (a b) OR c
  -a    or   NOT a        not                        AND, OR, NOT in any case
  (a OR b) c              grouping
"""

_NOTES = """\
  Globs (path, header values, type, ctype, remote) match the whole value; * is any run of
  characters, ? is one; quoted parts are literal: path:"/files/*.json".
  Case matters in path, header values and JSON text; nowhere else.
  json: an array at the path stands for its elements (json:$.tags=urgent). A missing path or
  a body that is not JSON never matches, so -json:$.refund finds captures without one; !=
  needs the path to be there. Unquoted 1000, true and null also match the strings "1000",
  "true" and "null".
  json: paths that search (*, .., [?...]) look in bodies up to 2 MB; exact paths such as
  $.data.object.id read bodies of any size. JSON nested over 250 levels is not searched.
  Quote values with spaces or parentheses: header:user-agent~"^Stripe/(1|2)".
  Quote text that has a colon, starts with -, or is AND, OR or NOT: "10:30", "-1", "or".
  Bodies are searched as stored, as UTF-8 (compressed bodies are not decompressed).
"""

_EXAMPLES = """\
  method:POST status:>=400                     failed POSTs
  path:/hooks/stripe/* -type:charge.*          Stripe hooks other than charges
  header:x-github-event=push OR type:push      GitHub pushes
  json:$.data.object.amount>=1000 size:<10k    big amounts in small bodies
  (status:5xx OR is:rejected) -is:starred      trouble you have not starred yet
"""


def help_rows() -> list[tuple[str, str]]:
    """(example, meaning) for every field, in the order of the help."""
    return [row for field in FIELDS for row in field.usage]


def _fields() -> str:
    width = max(len(example) for example, _ in help_rows()) + 2
    return "".join(f"  {example:<{width}}{meaning}\n" for example, meaning in help_rows())


HELP = (
    f"{_INTRO}\nFields (name:value; names in any case)\n{_fields()}"
    f"\nCombining\n{_COMBINING}\nNotes\n{_NOTES}\nExamples\n{_EXAMPLES}"
)


def _columns(text: str) -> list[tuple[str, str]]:
    """(left, right) per line of a two-column block (columns are 2+ spaces apart)."""
    rows = []
    for line in text.splitlines():
        left, _, right = line.strip().partition("  ")
        rows.append((left.strip(), right.strip()))
    return rows


def _notes() -> list[str]:
    """The notes as paragraphs: a note ends on a line that ends a sentence."""
    notes, current = [], []
    for line in _NOTES.splitlines():
        current.append(line.strip())
        if line.rstrip().endswith("."):
            notes.append(" ".join(current))
            current = []
    return notes + ([" ".join(current)] if current else [])


HelpSection = tuple[str, list[tuple[str, str]] | list[str]]


def help_sections() -> list[HelpSection]:
    """The guide as (heading, rows or paragraphs), for a formatted page; same words as HELP."""
    combining = [
        ("a b   or   a AND b", "both"),
        ("a OR b", "either"),
        ("-a   or   NOT a", "not"),
        ("(a OR b) c", "grouping"),
    ]
    return [
        ("Finding captures", [_INTRO.splitlines()[0]]),
        ("Words", _columns(_INTRO)[2:]),
        ("Fields (name:value; names in any case)", help_rows()),
        ("Combining", combining),
        ("Precedence", ["AND binds tighter than OR: a b OR c is (a b) OR c. "
                        "AND, OR, NOT in any case."]),
        ("Notes", _notes()),
        ("Examples", _columns(_EXAMPLES)),
    ]  # fmt: skip
