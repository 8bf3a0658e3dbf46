"""Terms that read more than the summary: headers, body text, and free text (path or body)."""

from __future__ import annotations

from collections.abc import Callable

from hookscope.core.filters.field import Field
from hookscope.core.filters.nodes import Body, BodyTerm, Cost, Headers, HeaderTerm, Node
from hookscope.core.filters.values import TextTest, Value, glob_test, regex_search
from hookscope.core.model import CaptureSummary

__all__ = ["BodyField", "HeaderField", "TextTerm", "body_contains"]


def body_contains(needle: str) -> Callable[[Body], bool]:
    """Case-insensitive search of the body as stored (UTF-8 assumed; compressed bodies are
    searched compressed). ASCII needles search the bytes and skip decoding."""
    folded = needle.lower()
    if folded.isascii():
        encoded = folded.encode("ascii")
        return lambda body: encoded in body.lower()
    return lambda body: folded in body.text_lower()


class HeaderField(Field):
    name = "header"
    usage = (
        ("header:x-github-event", "has this header (name in any case; * and ? allowed)"),
        ("header:x-github-event=push", "one of its values is this (* and ? allowed)"),
        ("header:user-agent~^Stripe/", "one of its values matches a regular expression"),
    )
    hint = "header needs a name, like header:x-github-event or header:x-github-event=push"

    @classmethod
    def parse(cls, value: Value) -> Node:
        split = _operator_at(value.raw)
        name_part = value.part(0, split)
        if not name_part.raw:
            raise value.error(cls.hint, 0, 1)
        name_test = glob_test(name_part, ignore_case=True)
        if split == len(value.raw):
            return HeaderTerm(lambda headers: any(name_test(name) for name, _ in headers))
        rest = value.part(split + 1)
        value_test: TextTest = (
            regex_search(rest) if value.raw[split] == "~" else glob_test(rest, ignore_case=False)
        )
        return HeaderTerm(
            lambda headers: any(name_test(n) and value_test(v) for n, v in headers),
        )


def _operator_at(raw: str) -> int:
    """Where `=` or `~` first appears outside quotes (the end if nowhere)."""
    quoted = False
    escaped = False
    for i, char in enumerate(raw):
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif not quoted and char in "=~":
            return i
    return len(raw)


class BodyField(Field):
    name = "body"
    usage = (('body:"card declined"', "the body contains this text, any case"),)
    hint = 'body needs some text, like body:declined or body:"card declined"'

    @classmethod
    def parse(cls, value: Value) -> Node:
        if not value.text:
            raise value.error(cls.hint)
        return BodyTerm(body_contains(value.text))


class TextTerm(Node):
    """Free text: the path (with its query string) or the body contains it, in any case.
    The path is on the summary, so many rows are decided before any body is read."""

    cost = Cost.BODY

    def __init__(self, needle: str) -> None:
        self.needle = needle.lower()
        self.in_body = body_contains(needle)

    def decide(
        self, row: CaptureSummary, headers: Headers | None, body: Body | None
    ) -> bool | None:
        if self.needle in row.path.lower() or self.needle in row.target.lower():
            return True
        return None if body is None else self.in_body(body)
