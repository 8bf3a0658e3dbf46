"""Receiver fault rules: per path (and method), answer a chosen status, headers and body, after a
delay; only for the first N matching requests or during a time window; or hold the connection
without answering, or reset it. The first rule that applies answers; none does, the default.

    rules = load_rules("rules.json")          # or Rule(...) objects built by the app
    responder = Responder(rules=RuleSet(rules))
    responder.rules.replace(new_rules)        # from any thread; counts start over
"""

from __future__ import annotations

from hookscope.core.rules.fileformat import (
    FORMAT_VERSION,
    RulesError,
    dump_rules,
    load_rules,
    parse_rules,
    rule_to_data,
    save_rules,
)
from hookscope.core.rules.model import (
    HANGUP_CLOSE,
    HANGUP_RESET,
    MAX_SECONDS,
    Action,
    Answer,
    Rule,
    RuleError,
    Window,
)
from hookscope.core.rules.ruleset import RuleSet

__all__ = [
    "FORMAT_VERSION",
    "HANGUP_CLOSE",
    "HANGUP_RESET",
    "MAX_SECONDS",
    "Action",
    "Answer",
    "Rule",
    "RuleError",
    "RuleSet",
    "RulesError",
    "Window",
    "dump_rules",
    "load_rules",
    "parse_rules",
    "rule_to_data",
    "save_rules",
]
