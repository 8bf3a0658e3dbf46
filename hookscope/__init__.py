"""hookscope: a desktop inspector for webhooks."""

__version__ = "0.1.0"
