"""Typer's help screens in Chinese and readable at 80 columns.

Typer (with its vendored click) words the frame of every help screen in English: ``Usage:``,
``[OPTIONS]``, ``Options``, ``Commands``, ``Show this message and exit.``, ``[default: …]``,
``[required]``, ``<bool>``. Its rich renderer reads those words from module settings of
``typer.rich_utils`` at the time it draws, so they are set here, once, before a help screen is
drawn; what is not a setting (the usage line, the help option's text, the type labels) is
adjusted on the command being described, just before it is drawn.

Rich breaks text only at spaces: a run of Chinese without spaces is one long “word”. Such a
word that does not fit the rest of a line is moved whole to the next one, leaving an ASCII word
(``YAML``) alone on the line before; one longer than the column is chopped anywhere, so a line
may begin with a closing bracket (``）、…``). While a help screen is drawn, rich's line breaker
is replaced by ``output.linebreak.divide_line``: Chinese may break between any two characters,
except before closing punctuation (``）。，、``…) and after opening punctuation (``（“``…), the
rule of Chinese typesetting; ASCII words still break only at spaces.

``tests/test_conventions.py`` renders every command's help at 80 columns and fails on any
English word of the frame, any cut-off line and any line that is only punctuation or one
short word, so a Typer or rich upgrade that moves these settings is noticed.
"""

from __future__ import annotations

import re
from typing import Any

from ..output.linebreak import divide_line

HELP_NAMES = ("--help", "-h")

SETTINGS = {
    "OPTIONS_PANEL_TITLE": "选项",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "DEFAULT_STRING": "[默认：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已停用）",
    "ABORTED_TEXT": "已中断。",
    "RICH_HELP": "运行 [blue]{command_path} {help_option}[/] 查看帮助。",
}
PARAMETER_HELP = {
    "help": "显示本帮助并退出。",
    "install_completion": "为当前的命令行（bash、zsh、fish、PowerShell）安装 Tab 补全，重新打开终端后生效。",
    "show_completion": "显示当前命令行的补全脚本，可复制或自行安装。",
}
TYPES = {
    "<bool>": "",
    "<str>": "<文本>",
    "<text>": "<文本>",
    "<int>": "<整数>",
    "<integer>": "<整数>",
    "<float>": "<数>",
    "<dir>": "<目录>",
    "<directory>": "<目录>",
    "<file>": "<文件>",
    "<path>": "<路径>",
}
USAGE_WORDS = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}


def localise() -> None:
    """Put the Chinese frame into Typer's help renderer (idempotent)."""
    from rich.columns import Columns
    from rich.text import Text
    from typer import rich_utils
    from typer._click.core import Command  # Typer 0.29 vendors click

    if getattr(rich_utils, "_shiwanqian_localised", False):
        return
    for name, value in SETTINGS.items():
        setattr(rich_utils, name, value)
    draw, parameter_help, command_help = (
        rich_utils.rich_format_help,
        rich_utils._get_parameter_help,
        rich_utils._make_command_help,
    )

    def fold(renderable: Any) -> Any:
        for item in renderable.renderables if isinstance(renderable, Columns) else [renderable]:
            if isinstance(item, Text):
                item.overflow = "fold"
        return renderable

    def rich_format_help(*, obj: Any, ctx: Any, markup_mode: Any) -> None:
        import rich.text

        _prepare(obj, ctx)
        # Only while the help screen is drawn: every other output keeps rich's breaking, which
        # the plain table renderer reproduces byte for byte.
        rich_breaking, rich.text.divide_line = rich.text.divide_line, divide_line
        try:
            draw(obj=obj, ctx=ctx, markup_mode=markup_mode)
        finally:
            rich.text.divide_line = rich_breaking

    rich_utils.rich_format_help = rich_format_help
    # The help option is made per command, on demand; completion menus show its text too.
    help_option = Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = help_option(self, ctx)
        if option is not None and (option.help or "").isascii():
            option.help = PARAMETER_HELP["help"]
        return option

    # Patching Typer's own functions is the point here (its help has no hook for the language).
    Command.get_help_option = get_help_option  # type: ignore[method-assign]
    rich_utils._get_parameter_help = lambda **kw: fold(parameter_help(**kw))
    rich_utils._make_command_help = lambda **kw: fold(command_help(**kw))
    rich_utils._shiwanqian_localised = True  # type: ignore[attr-defined]


def _prepare(command: Any, ctx: Any) -> None:
    """The parts of one command's help screen that are not module settings."""
    command.options_metavar = USAGE_WORDS.get(command.options_metavar, command.options_metavar)
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = USAGE_WORDS.get(command.subcommand_metavar, command.subcommand_metavar)

    def format_usage(ctx: Any, formatter: Any) -> None:
        formatter.write_usage(ctx.command_path, " ".join(command.collect_usage_pieces(ctx)), prefix="用法：")

    command.format_usage = format_usage
    for param in command.get_params(ctx):
        if param.name in PARAMETER_HELP and (param.help or "").isascii():
            param.help = PARAMETER_HELP[param.name]
        if not hasattr(param, "display_type_rich"):
            continue
        shown = param.display_type_rich(ctx)
        local = _local_type(shown)
        if getattr(param, "metavar", "") is None and shown in TYPES:
            param.metavar = TYPES[shown]
        elif local is not None and local != shown:
            # Arguments show their type in a column of its own: Python's words (list[Path],
            # float range) would reach the screen.
            param.display_type_rich = lambda ctx, _shown=local: _shown


def _local_type(shown: str | None) -> str | None:
    """Typer's type label in Chinese: <int> → <整数>, <list[Path]> → <路径>…, <float range> → <数>."""
    if shown is None:
        return None
    if shown in TYPES:
        return TYPES[shown]
    if m := re.fullmatch(r"<list\[(\w+)\]>", shown):
        inner = TYPES.get(f"<{m[1].lower()}>")
        return f"{inner}…" if inner else shown
    if m := re.fullmatch(r"<(\w+) range>", shown):
        return TYPES.get(f"<{m[1].lower()}>", shown)
    return shown


def wants_help(command: Any, args: list[str]) -> bool:
    """Will this command line show help: a help screen, or a completion menu's help texts?"""
    import os

    if any(arg in HELP_NAMES for arg in args) or not args or os.environ.get("_SHIWANQIAN_COMPLETE"):
        return True
    commands = getattr(command, "commands", {})
    return len(args) == 1 and hasattr(commands.get(args[0]), "commands")
