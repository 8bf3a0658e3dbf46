"""hookscope's desktop app (PySide6). Thin: it shows what core does and calls core to act."""
