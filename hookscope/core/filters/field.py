"""The shape of a `field:value` term: how it parses, and the help lines it contributes."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from hookscope.core.filters.errors import FilterError
from hookscope.core.filters.nodes import Node
from hookscope.core.filters.values import Value

__all__ = ["Field"]


class Field(ABC):
    """One class per field, as in mitmproxy's flowfilter: its parser, its error hint and its
    help travel together, and the help text is generated from the classes."""

    name: ClassVar[str]
    usage: ClassVar[tuple[tuple[str, str], ...]]  # (example, what it matches) for the help
    hint: ClassVar[str]  # the message for a value this field cannot read

    @classmethod
    def compile(cls, value: Value) -> Node:
        if not value.raw:  # underline the bare `field:`
            term = len(value.field) + 1
            raise FilterError(cls.hint, value.start - term, term)
        return cls.parse(value)

    @classmethod
    @abstractmethod
    def parse(cls, value: Value) -> Node:
        """The node for a non-empty value, or a FilterError pointing into it."""
