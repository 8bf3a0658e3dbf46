"""Forward targets in the rules file, beside the fault rules:

    {"version": 1, "rules": [...],
     "forward": [
       {"name": "app", "path": "/hooks/*", "url": "http://localhost:3000", "mode": "queue",
        "retry": {"policy": "exponential", "attempts": 8, "base": 1, "max_delay": 30},
        "timeout_s": 10, "host": "rewrite", "forwarded_headers": true,
        "resign": "stripe", "secret_env": "APP_WEBHOOK_SECRET", "parallel": 1, "paused": false,
        "append_path": true, "response_cap": 65536}]}

Validated like the rules: unknown fields are errors, and every problem is one line naming the
file, the target (1-based, and its name) and the field. Secrets never live in the file: a
re-signing target names the environment variable that holds its secret.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hookscope.core.errors import HookscopeError
from hookscope.core.forward.target import ForwardTarget, HostMode, Mode, TargetError
from hookscope.core.retry.policy import Policy
from hookscope.core.rules.fields import as_choice, as_flag, as_number, as_text, as_whole
from hookscope.core.rules.fileformat import RulesError

__all__ = ["load_targets", "parse_targets", "policy_from_data"]

_FIELDS = {
    "name", "path", "url", "mode", "retry", "timeout_s", "host", "forwarded_headers", "resign",
    "secret_env", "parallel", "paused", "append_path", "response_cap",
}  # fmt: skip
_RETRY_FIELDS = {"policy", "attempts", "base", "factor", "max_delay", "jitter"}


def load_targets(
    path: str | os.PathLike[str], environ: Mapping[str, str] | None = None
) -> tuple[ForwardTarget, ...]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RulesError(f"cannot read rules file {path}: {exc.strerror or exc}") from None
    return parse_targets(data, source=str(path), environ=environ)


def parse_targets(
    text: str | bytes, *, source: str = "rules", environ: Mapping[str, str] | None = None
) -> tuple[ForwardTarget, ...]:
    """The file's forward targets (none when it has no "forward" list). The rest of the file
    is the fault rules' (see `parse_rules`), read and checked there."""
    try:
        document = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return ()  # parse_rules reports it
    if not isinstance(document, dict) or "forward" not in document:
        return ()
    items = document["forward"]
    if not isinstance(items, list):
        raise RulesError(f'{source}: "forward" must be a list of targets')
    env = os.environ if environ is None else environ
    targets: list[ForwardTarget] = []
    names: dict[str, int] = {}
    for index, item in enumerate(items, 1):
        target = _parse_target(item, index, source, env)
        if target.name in names:
            raise RulesError(
                f"{source}: target {index} ({target.name!r}): field 'name': target "
                f"{names[target.name]} has the same name; names must be unique"
            )
        names[target.name] = index
        targets.append(target)
    return tuple(targets)


def _parse_target(item: object, index: int, source: str, env: Mapping[str, str]) -> ForwardTarget:
    name = item.get("name") if isinstance(item, dict) else None
    where = f"{source}: target {index}" + (f" ({name!r})" if isinstance(name, str) else "")
    if not isinstance(item, dict):
        raise RulesError(f"{where}: expected an object")
    field = "target"
    try:
        for field in item:
            if field not in _FIELDS:
                raise TargetError(field, f"unknown field (fields: {', '.join(sorted(_FIELDS))})")
        field = "url"
        url = as_text(item.get("url"))
        kwargs: dict[str, Any] = {"name": as_text(item.get("name", url)), "url": url}
        for field in ("path", "resign", "secret_env"):
            if field in item:
                kwargs[field] = as_text(item[field])
        field = "mode"
        if "mode" in item:
            kwargs["mode"] = as_choice(Mode, item["mode"])
        field = "host"
        if "host" in item:
            kwargs["host"] = as_choice(HostMode, item["host"])
        for field in ("forwarded_headers", "paused", "append_path"):
            if field in item:
                kwargs[field] = as_flag(item[field])
        for field in ("parallel", "response_cap"):
            if field in item:
                kwargs[field] = as_whole(item[field])
        field = "timeout_s"
        if "timeout_s" in item:
            kwargs["timeout_s"] = as_number(item["timeout_s"])
        field = "retry"
        if "retry" in item:
            kwargs["policy"] = policy_from_data(item["retry"])
        field = "secret_env"
        if "resign" in kwargs:
            variable = kwargs.get("secret_env")
            if not variable:
                raise TargetError("secret_env", "re-signing needs the environment variable "
                                  "that holds the handler's secret")  # fmt: skip
            if not env.get(variable):
                raise TargetError("secret_env", f"the environment variable {variable} is not set")
            kwargs["secret"] = env[variable]
            _check_scheme(kwargs["resign"])
        field = "target"
        return ForwardTarget(**kwargs)
    except TargetError as exc:
        raise RulesError(f"{where}: field {exc.field!r}: {exc.message}") from None
    except (TypeError, ValueError, HookscopeError) as exc:
        raise RulesError(f"{where}: field {field!r}: {exc}") from None


def policy_from_data(value: object) -> Policy:
    """A retry policy as the file gives it: a name, or {"policy": name, ...parameters}."""
    from hookscope.core.retry import Jitter
    from hookscope.core.retry.catalog import build_policy

    if isinstance(value, str):
        return build_policy(value)
    if not isinstance(value, dict) or not isinstance(value.get("policy"), str):
        raise TypeError('expected a policy name or {"policy": name, ...}')
    unknown = sorted(set(value) - _RETRY_FIELDS)
    if unknown:
        raise ValueError(f"unknown retry field {unknown[0]!r}")
    jitter = value.get("jitter")
    return build_policy(
        value["policy"],
        attempts=None if "attempts" not in value else as_whole(value["attempts"]),
        base_s=None if "base" not in value else as_number(value["base"]),
        factor=None if "factor" not in value else as_number(value["factor"]),
        max_delay_s=None if "max_delay" not in value else as_number(value["max_delay"]),
        jitter=None if jitter is None else Jitter.parse(as_text(jitter)),
    )


def _check_scheme(name: str) -> None:
    from hookscope.core.signing import get_scheme
    from hookscope.core.signing.errors import SigningInputError

    try:
        get_scheme(name)
    except SigningInputError:
        raise TargetError("resign", f"unknown signing scheme {name!r}") from None
