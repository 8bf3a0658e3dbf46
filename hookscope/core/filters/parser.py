"""Turn tokens into a tree of nodes, by recursive descent over this grammar:

    query    := or_expr? END
    or_expr  := and_expr (OR and_expr)*
    and_expr := unary (AND? unary)*          side by side means AND; AND binds tighter than OR
    unary    := (NOT | "-")* primary
    primary  := "(" or_expr ")" | field ":" value | free text

Every way a query can be wrong ends in a FilterError that points at the offending part.
"""

from __future__ import annotations

import difflib
import re

from hookscope.core.filters.content_fields import BodyField, HeaderField, TextTerm
from hookscope.core.filters.errors import FilterError
from hookscope.core.filters.field import Field
from hookscope.core.filters.json_field import JsonField
from hookscope.core.filters.lexer import NEGATION_NEEDS_A_TERM, Kind, Token, tokenize
from hookscope.core.filters.meta_fields import (
    ContentTypeField,
    IdField,
    IsField,
    MethodField,
    PathField,
    RemoteField,
    SizeField,
    StatusField,
    TypeField,
)
from hookscope.core.filters.nodes import And, Node, Not, Or
from hookscope.core.filters.sig_field import SigField
from hookscope.core.filters.values import Value

__all__ = ["FIELDS", "parse"]

FIELDS: tuple[type[Field], ...] = (
    MethodField,
    PathField,
    StatusField,
    HeaderField,
    TypeField,
    ContentTypeField,
    SizeField,
    BodyField,
    JsonField,
    IsField,
    RemoteField,
    IdField,
    SigField,
)
_BY_NAME = {field.name: field for field in FIELDS}
_FIELD_PREFIX = re.compile(r"([A-Za-z][A-Za-z0-9_-]*):")
MAX_DEPTH = 64  # nested parentheses; recursion past Python's limit must not be reachable


def parse(text: str) -> Node | None:
    """The tree for a query, or None for an empty one (which matches everything)."""
    return _Parser(text, tokenize(text)).query()


class _Parser:
    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.at = 0
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def query(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.or_expr()
        token = self.peek()
        if token is not None:  # only a stray ")" stops or_expr early
            raise FilterError("unmatched ')'", token.start)
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while (token := self.peek()) is not None and token.kind is Kind.OR:
            self.take()
            self.expect_term_after(token)
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Or(children)

    def and_expr(self) -> Node:
        children = [self.unary()]
        while (token := self.peek()) is not None and token.kind not in (Kind.OR, Kind.RPAREN):
            if token.kind is Kind.AND:
                self.take()
                self.expect_term_after(token)
            children.append(self.unary())
        return children[0] if len(children) == 1 else And(children)

    def unary(self) -> Node:
        negations = 0
        while (token := self.peek()) is not None and token.kind in (Kind.NOT, Kind.NEG):
            self.take()
            self.expect_term_after(token)
            negations += 1
        node = self.primary()
        return Not(node) if negations % 2 else node

    def expect_term_after(self, keyword: Token) -> None:
        token = self.peek()
        if token is None or token.kind in (Kind.AND, Kind.OR, Kind.RPAREN):
            if keyword.kind is Kind.NEG:
                raise FilterError(NEGATION_NEEDS_A_TERM, keyword.start)
            message = f"{keyword.text.upper()} needs a term after it"
            raise FilterError(message, keyword.start, len(keyword.text))

    def primary(self) -> Node:
        token = self.take()
        if token.kind is Kind.LPAREN:
            return self.group(token)
        if token.kind is Kind.WORD:
            return self.term(token)
        if token.kind is Kind.RPAREN:
            raise FilterError("unmatched ')'", token.start)
        # AND / OR where a term should start (NOT and '-' are consumed by unary)
        raise FilterError(
            f"{token.text.upper()} needs a term before it", token.start, len(token.text)
        )

    def group(self, opening: Token) -> Node:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FilterError(f"parentheses nested more than {MAX_DEPTH} deep", opening.start)
        token = self.peek()
        if token is not None and token.kind is Kind.RPAREN:
            raise FilterError("empty parentheses", opening.start, token.end - opening.start)
        if token is None:
            raise FilterError("unclosed parenthesis", opening.start)
        node = self.or_expr()
        closing = self.peek()
        if closing is None or closing.kind is not Kind.RPAREN:
            raise FilterError("unclosed parenthesis", opening.start)
        self.take()
        self.depth -= 1
        return node

    def term(self, token: Token) -> Node:
        prefix = _FIELD_PREFIX.match(token.text)
        if prefix is None:
            needle = Value("", token.text, token.start).text
            if not needle:
                raise FilterError("empty quotes: put some text between them", token.start, 2)
            return TextTerm(needle)
        name = prefix[1]
        field = _BY_NAME.get(name.lower())
        if field is None:
            raise FilterError(_unknown_field(name), token.start, len(name))
        value = Value(name, token.text[prefix.end() :], token.start + prefix.end())
        return field.compile(value)


def _unknown_field(name: str) -> str:
    close = difflib.get_close_matches(name.lower(), list(_BY_NAME), n=1, cutoff=0.6)
    if close:
        return f"unknown field '{name}' — did you mean '{close[0]}'?"
    return f"unknown field '{name}' (to search for text with a colon, put it in quotes)"
