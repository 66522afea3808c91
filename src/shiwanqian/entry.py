"""The console script's entry point, kept free of imports.

``shiwanqian`` with no arguments or with only ``--help`` prints the top-level help, which is
the same text every time; it is stored beside this file (``help.txt``, regenerated from the
Typer app by ``python -m shiwanqian.entry --write-help`` and checked by a test) so that
asking for help does not pay for importing Typer, click and pydantic.
"""

from __future__ import annotations

import sys
from pathlib import Path

HELP_FILE = Path(__file__).with_name("help.txt")
HELP_WIDTH = "100"


def render_help() -> str:
    """The top-level help as Typer renders it at a fixed width, without colour.

    Rendered in a fresh interpreter: Typer reads the width from the environment once, when
    its rich helpers are first imported.
    """
    import os
    import subprocess

    code = "from shiwanqian.cli import build; build()(args=['--help'], prog_name='shiwanqian')"
    env = {**os.environ, "TERMINAL_WIDTH": HELP_WIDTH, "NO_COLOR": "1", "COLUMNS": HELP_WIDTH}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          check=False).stdout


def main() -> None:
    args = sys.argv[1:]
    if args in ([], ["--help"], ["-h"]):
        try:
            sys.stdout.write(HELP_FILE.read_text(encoding="utf-8"))
            return
        except OSError:
            pass  # no stored help: let Typer render it
    if args == ["--write-help"]:
        HELP_FILE.write_text(render_help(), encoding="utf-8")
        return
    from .cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
