"""Sending webhooks: the request and its sending (sender), signing on the way out (signer),
copying a request not yet sent as curl, HTTPie or Python (copy_as),
composed variables (variables) and the kept record of every send (history)."""
