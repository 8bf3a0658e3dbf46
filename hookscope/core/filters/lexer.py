"""Split a query into words, parentheses, negations and the keywords AND, OR, NOT.

A word runs to the next space or parenthesis; a "double-quoted" part may hold either, with
backslash escaping a quote. In `json:` words, [brackets] and 'single quotes' inside them may hold
anything too, since JSONPath uses them (`json:$['a b'][?@.price > 10]`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from hookscope.core.filters.errors import FilterError

__all__ = ["NEGATION_NEEDS_A_TERM", "Kind", "Token", "closing_quote", "tokenize"]


class Kind(Enum):
    WORD = "word"
    LPAREN = "("
    RPAREN = ")"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    NEG = "-"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    start: int
    end: int
    text: str


_KEYWORDS = {"and": Kind.AND, "or": Kind.OR, "not": Kind.NOT}
NEGATION_NEEDS_A_TERM = "'-' needs a term right after it, like -method:GET"


def closing_quote(text: str, start: int) -> int:
    """The index of the quote that closes the one at `start`, or -1. Backslash escapes."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == quote:
            return i
        i += 1
    return -1


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char == "(":
            tokens.append(Token(Kind.LPAREN, i, i + 1, char))
            i += 1
        elif char == ")":
            tokens.append(Token(Kind.RPAREN, i, i + 1, char))
            i += 1
        elif char == "-":
            if i + 1 >= len(text) or text[i + 1].isspace() or text[i + 1] == ")":
                raise FilterError(NEGATION_NEEDS_A_TERM, i)
            tokens.append(Token(Kind.NEG, i, i + 1, char))
            i += 1
        else:
            end = _word_end(text, i)
            word = text[i:end]
            kind = _KEYWORDS.get(word.lower(), Kind.WORD)
            tokens.append(Token(kind, i, end, word))
            i = end
    return tokens


def _word_end(text: str, start: int) -> int:
    json_word = text[start : start + 5].lower() == "json:"
    depth = 0  # [bracket] nesting, json words only
    opened = start
    i = start
    while i < len(text):
        char = text[i]
        if char == '"' or (char == "'" and depth > 0):
            close = closing_quote(text, i)
            if close < 0:
                raise FilterError("unclosed quote", i, len(text) - i)
            i = close + 1
            continue
        if depth == 0 and (char.isspace() or char in "()"):
            break
        if json_word and char == "[":
            if depth == 0:
                opened = i
            depth += 1
        elif json_word and char == "]" and depth > 0:
            depth -= 1
        i += 1
    if depth > 0:
        raise FilterError("unclosed '['", opened, len(text) - opened)
    return i
