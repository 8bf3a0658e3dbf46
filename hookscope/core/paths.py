"""Where hookscope keeps things by default: one store in the user's data folder, shared by
`gui`, `listen`, `export` and `import`."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["config_dir", "default_db_path"]


def default_db_path() -> Path:
    """`HOOKSCOPE_DB` if set, else `captures.db` in the user data folder."""
    override = os.environ.get("HOOKSCOPE_DB")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("hookscope", appauthor=False) / "captures.db"


def config_dir() -> Path:
    override = os.environ.get("HOOKSCOPE_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path("hookscope", appauthor=False)
