"""hookscope's core: everything hookscope does, with no Qt. The UI and the CLI are faces of it."""
