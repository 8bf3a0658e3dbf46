"""One module per signature scheme; `hookscope.core.signing.registry` lists them."""
