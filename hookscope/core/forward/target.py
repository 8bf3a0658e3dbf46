"""A forward target: where captures of some paths go on to, and how.

Plain, immutable data; a `ForwardTarget` that exists is a valid one. `path` is the same glob as a
fault rule's (on the percent-decoded path, `*` matching `/` too). The URL is a base (the capture's
path and query are appended: `http://localhost:3000` + `/hooks/stripe?x=1`) or, with
`append_path=False`, the fixed URL every capture goes to.

A capture that came in through a public tunnel keeps the secret `/h/<hex>` prefix in its stored
target; the handler never sees it: paths match, and URLs are built, on the path under it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from hookscope.core.formats.urls import origin_form
from hookscope.core.glob import Matcher, compile_glob
from hookscope.core.model import path_of
from hookscope.core.retry.policy import Policy, exponential
from hookscope.core.rules.model import RuleError
from hookscope.core.secret_path import split_prefix

__all__ = [
    "DEFAULT_POLICY",
    "DEFAULT_RESPONSE_CAP",
    "DEFAULT_TIMEOUT_S",
    "ForwardTarget",
    "HostMode",
    "Mode",
    "TargetError",
    "forward_rule",
]

# A handler on the developer's own machine: retry soon and often, give up after about 2 minutes.
DEFAULT_POLICY = exponential(8, 1.0, 2.0, 30.0, name="exponential")
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_RESPONSE_CAP = 64 * 1024  # bytes of each handler answer kept with its attempt
MAX_PARALLEL = 64

TargetError = RuleError  # the same one-line, field-naming errors as fault rules


class Mode(StrEnum):
    PASS_THROUGH = "pass-through"  # the sender waits and gets the handler's answer
    QUEUE = "queue"  # the sender gets hookscope's answer; delivery follows from the outbox


class HostMode(StrEnum):
    KEEP = "keep"  # the Host the sender used (what a signature over the URL saw)
    REWRITE = "rewrite"  # the target's own host and port


def forward_rule(name: str) -> str:
    """What a capture's `rule` says when a pass-through target answered it."""
    return f"forward {name}"


@dataclass(frozen=True, slots=True)
class ForwardTarget:
    """`resign`: a signing scheme name; the handler's secret is `secret` (never saved: the file
    names an environment variable, `secret_env`). `parallel` > 1 lets that many deliveries of
    this target run at once, giving up arrival order."""

    name: str
    url: str
    path: str = "*"
    mode: Mode = Mode.PASS_THROUGH
    append_path: bool = True
    policy: Policy = DEFAULT_POLICY
    timeout_s: float = DEFAULT_TIMEOUT_S
    host: HostMode = HostMode.KEEP
    forwarded_headers: bool = False
    resign: str | None = None
    secret_env: str | None = None
    secret: str | None = field(default=None, repr=False)
    parallel: int = 1
    paused: bool = False
    response_cap: int = DEFAULT_RESPONSE_CAP
    _match: Matcher | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > 200 or not self.name.isprintable():
            raise TargetError("name", "a target's name is 1 to 200 printable characters")
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TargetError("url", f"expected an http:// or https:// URL, got {self.url!r}")
        if not self.path.startswith(("/", "*")):
            raise TargetError("path", f"a path pattern starts with '/' or '*', got {self.path!r}")
        if not (math.isfinite(self.timeout_s) and 0 < self.timeout_s <= 3600):
            raise TargetError("timeout_s", f"expected 0 to 3600 seconds, got {self.timeout_s:g}")
        if not 1 <= self.parallel <= MAX_PARALLEL:
            raise TargetError("parallel", f"expected 1 to {MAX_PARALLEL}, got {self.parallel}")
        if self.response_cap < 0:
            raise TargetError("response_cap", f"expected bytes >= 0, got {self.response_cap}")
        if self.resign is not None and not self.secret:
            raise TargetError("resign", "re-signing needs the handler's secret")
        matcher = None if self.path == "*" else compile_glob(self.path)
        object.__setattr__(self, "_match", matcher)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled to the app's receiver process: the compiled matcher is made again there.
        return (type(self), tuple(getattr(self, f.name) for f in fields(self) if f.init))

    def matches(self, target: str) -> bool:
        """Whether a request target (raw, with its query) falls under this target's path."""
        return self._match is None or self._match(path_of(split_prefix(target)[1]))

    def url_for(self, target: str) -> str:
        """Where a capture with this request target goes."""
        if not self.append_path:
            return self.url
        return self.url.rstrip("/") + origin_form(split_prefix(target)[1])

    @property
    def netloc(self) -> str:
        return urlsplit(self.url).netloc

    @property
    def rule(self) -> str:
        return forward_rule(self.name)
