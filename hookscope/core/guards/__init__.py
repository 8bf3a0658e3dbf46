"""Guards for a receiver that a tunnel has made public: a secret path prefix, a per-client
rate limit, and required signatures. Off (and free) unless a tunnel is up or the user asks."""

from hookscope.core.guards.forwarded import client_address
from hookscope.core.guards.guards import Guards, GuardSettings, Refusal
from hookscope.core.guards.rate_limit import RateLimiter
from hookscope.core.secret_path import SecretPath, new_secret, split_prefix

__all__ = [
    "GuardSettings",
    "Guards",
    "RateLimiter",
    "Refusal",
    "SecretPath",
    "client_address",
    "new_secret",
    "split_prefix",
]
