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
HELP_WIDTH = "80"  # the narrowest terminal users have (Windows' console default)
COMPLETE_VAR = "_SHIWANQIAN_COMPLETE"  # set by the shell-completion scripts Typer installs


def render_help() -> str:
    """The top-level help as Typer renders it at a fixed width, without colour.

    Rendered in a fresh interpreter: Typer reads the width from the environment once, when
    its rich helpers are first imported.
    """
    import os
    import subprocess

    code = "from shiwanqian.cli import build; build()(args=['--help'], prog_name='shiwanqian')"
    env = {**os.environ, "TERMINAL_WIDTH": HELP_WIDTH, "NO_COLOR": "1", "COLUMNS": HELP_WIDTH}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False).stdout


def data_line() -> str:
    """One line naming the programme of the data folder a command would use, for the top-level
    help (read without YAML: a few top-level ``key: value`` lines of programme.yaml; any
    surprise gives no line rather than a slow or failing help)."""
    import re

    try:
        from .load.datadir import resolve_data_dir
        from .load.naming import derive_short_name

        root = resolve_data_dir(None)
        text = (root / "programme.yaml").read_text(encoding="utf-8")
        fields: dict[str, str] = {}
        for match in re.finditer(r"^(title|short_name|document):[ \t]*(.+?)[ \t]*$", text, re.MULTILINE):
            value = match.group(2)
            if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            fields.setdefault(match.group(1), value)
        period = re.search(r"^period:\s*\{\s*start:\s*(\d{4})\s*,\s*end:\s*(\d{4})\s*\}", text, re.MULTILINE)
        name = fields.get("short_name") or derive_short_name(fields["title"])
        when = f"，{period.group(1)}–{period.group(2)}年" if period else ""
        document = f"（{fields['document']}{when}）" if "document" in fields else ""
        return f" 当前数据：{name}{document}\n 数据目录：{root}\n\n"
    except Exception:
        return ""


def _closed_pipe() -> None:
    """Point stdout at the null device: the reader went away (``shiwanqian check | head -1``)."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


class _ReaderMayLeave:
    """stdout whose reader may stop reading: the command carries on and exits as it would.

    Without this, a closed pipe turns into exit 1 (click treats EPIPE as a failure) or 120
    (the interpreter's final flush fails), depending on how much output was still buffered.
    Output the reader did not want is dropped; ``check``'s exit status still says whether the
    data has errors.
    """

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            _closed_pipe()
            return self._stream.write(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            _closed_pipe()
            self._stream.flush()

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _run() -> None:
    import os

    args = sys.argv[1:]
    if os.environ.get(COMPLETE_VAR):
        pass  # a completion request: Typer answers it
    elif args in ([], ["--help"], ["-h"]):
        try:
            sys.stdout.write(HELP_FILE.read_text(encoding="utf-8") + data_line())
            return
        except OSError:
            pass  # no stored help: let Typer render it
    elif args in (["--version"], ["-V"]):
        from . import __version__

        sys.stdout.write(f"shiwanqian {__version__}\n")
        return
    elif args == ["--write-help"]:
        from .fileio import write_file

        write_file(HELP_FILE, render_help())
        return
    # Pydantic looks for plugins (an experimental hook for tracing tools) by reading the entry
    # points of every installed distribution the first time a model or adapter is built: about
    # 3 ms of every command. The program uses none; PYDANTIC_DISABLE_PLUGINS set by the user wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .cli import main as cli_main

    cli_main()


def main() -> None:
    """Run the command; the exit status does not depend on whether the reader kept reading."""
    real = sys.stdout
    sys.stdout = _ReaderMayLeave(real)
    status: int | str | None = 0
    try:
        _run()
    except SystemExit as done:
        status = done.code
    except BrokenPipeError:  # written past the wrapper (e.g. to sys.stdout.buffer)
        _closed_pipe()
    finally:
        sys.stdout = real
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _closed_pipe()
        sys.stdout.flush()
    sys.exit(status)


if __name__ == "__main__":
    main()
