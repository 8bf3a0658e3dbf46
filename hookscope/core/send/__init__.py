"""Sending webhooks: the request and its sending (sender), signing on the way out (signer),
composed variables (variables) and the kept record of every send (history)."""
