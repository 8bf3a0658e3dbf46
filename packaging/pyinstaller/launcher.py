"""The frozen app's entry point: the same entry points the pip install makes.

One script serves both launchers in the bundle: `hookscope` (console, the whole command line)
and `hookscope-gui` (windowed on Windows and macOS; `hookscope gui` with its options).
"""

import multiprocessing
import sys
from pathlib import Path

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process must not re-run the CLI
    if Path(sys.executable).stem == "hookscope-gui":
        from hookscope.cli.gui_cmd import gui_main as entry
    else:
        from hookscope.cli import main as entry
    sys.exit(entry())
