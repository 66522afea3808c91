"""The command line: one Typer app, one module per command.

Typer turns every registered command's parameters into click parameters (building pydantic
adapters on the way) each time the app runs. So ``main`` registers only the command being
run; the full app, with every command, is built for the top-level help and for tests.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

HELP = (
    "把一份工程文件（计划、名额、任务）变成可核对的数据，回答“某区域承担多少、某年做什么、谁负责”。"
    "数据目录见 --data；shiwanqian init 目录 可开始一个新的工程。\n\n"
    "示例：\n\n"
    "  shiwanqian check\n\n"
    "  shiwanqian quota --district 区域名\n\n"
    "  shiwanqian schedule --year 年份 --district 区域名"
)

# name → (module, one-line help shown in the command list)
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "校验全部数据与各项合计；原文矛盾作为警告列出。"),
    "quota": ("quota", "某一区域承担的全部名额、年度安排与其他指标。"),
    "schedule": ("schedule", "按时间顺序的任务表，可按年份、区域、责任单位、计划筛选。"),
    "agenda": ("agenda", "近期任务：截至某日正在进行和即将到期的任务，按到期日排列。"),
    "plans": ("plans", "计划、方案与附件一览：计划期、任务数、名额表。"),
    "allocate": ("allocate", "把年度比例取整为加总一致的整数年度目标（受控取整）。"),
    "budget": ("budget", "按名额表的单价与标准（经费、学分……）计算，按区域、年度。"),
    "timeline": ("timeline", "甘特图式的时间线（终端、SVG、HTML）。"),
    "schema": ("schema", "生成各类数据文件的 JSON Schema。"),
    "init": ("init", "新建一个工程的数据目录（立即可以通过 check）。"),
    "draft": ("draft", "从计划文件原文（txt、docx、pdf）起草一份可校验的数据目录。"),
    "diff": ("diff", "比较两份数据目录（或与 git 中的版本）：含义上的变化及其下游影响。"),
    "upgrade": ("upgrade", "把为旧版本写的数据目录改写为当前版本的格式，不改动内容。"),
    "review": ("review", "逐条核定 draft 提出的建议与待核事项：接受、修改或删除，立即写入数据。"),
}
GROUPS: dict[str, tuple[str, str]] = {
    "export": ("export", "导出 Excel 工作簿或日历文件。"),
    "progress": ("progress", "达成度：目标与完成数、逾期任务、区域排名；导入填报。"),
}


class Root(TyperGroup):
    """The top-level group: help screens in Chinese (see ``chinese_help``)."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        from .chinese_help import localise, wants_help

        if wants_help(self, list(sys.argv[1:] if args is None else args)):
            localise()
        return super().main(args, *rest, **kwargs)


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"shiwanqian {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="显示版本号并退出。")
    ] = False,
) -> None:
    """Options of the program itself; each command has its own."""


def _typer(**extra: Any) -> typer.Typer:
    return typer.Typer(
        name="shiwanqian",
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        **extra,
    )


def build(only: str | None = None) -> typer.Typer:
    """The app with every command, or with just ``only`` (still under its own name).

    Shell completion is Typer's: ``--install-completion`` writes the script for the user's
    shell, which then asks the program itself (``_SHIWANQIAN_COMPLETE`` set) for candidates.
    """
    app = _typer(help=HELP, no_args_is_help=True, cls=Root, add_completion=True)
    app.callback()(_root)
    for name, (module_name, short) in COMMANDS.items():
        if only in (None, name):
            module = importlib.import_module(f"{__name__}.{module_name}")
            app.command(name, help=module.HELP, short_help=short)(module.command)
    for name, (module_name, short) in GROUPS.items():
        if only in (None, name):
            module = importlib.import_module(f"{__name__}.{module_name}")
            app.add_typer(module.app, name=name, short_help=short)
    if only is not None:
        # A group with a single command would become that command; a hidden no-op keeps
        # `shiwanqian NAME …` parsed exactly as with the full app.
        app.command("_", hidden=True)(lambda: None)
    return app


def __getattr__(name: str) -> Any:
    if name == "app":  # the full app, for tests and for `from shiwanqian.cli import app`
        return build()
    raise AttributeError(name)


def _on_signals(signums: list[int], handler: Any) -> None:
    """SIGTERM/SIGHUP end a run like Ctrl-C does: cleanup runs, one 已中断 line, 128+N."""
    import signal

    for signum in signums:
        try:
            if signal.getsignal(signum) == signal.SIG_DFL:
                signal.signal(signum, handler)
        except (OSError, ValueError):  # not the main thread (tests), or not on this platform
            pass


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    only = args[0] if args and args[0] in {**COMMANDS, **GROUPS} else None
    try:  # Typer 0.29 vendors click; earlier versions use click itself
        from typer._click.exceptions import NoArgsIsHelpError, UsageError
    except ImportError:  # pragma: no cover - depends on the installed Typer
        from click.exceptions import NoArgsIsHelpError, UsageError  # type: ignore[assignment]

    from ..fileio import Interrupted, WriteError, interrupt_signals, raise_interrupted
    from ..safetext import inert

    _on_signals(interrupt_signals(), raise_interrupted)
    try:
        status = build(only)(args=args, prog_name="shiwanqian", standalone_mode=False)
        if status == 130:  # Typer turns Ctrl-C into a silent exit status 130
            sys.stderr.write("已中断\n")
        sys.exit(status if isinstance(status, int) else 0)
    except WriteError as error:  # every --out goes through the one writer
        sys.stderr.write(f"错误：{inert(str(error))}\n")
        sys.exit(1)
    except Interrupted as error:  # SIGTERM/SIGHUP: temporary files are already removed
        sys.stderr.write("已中断\n")
        sys.exit(error.status)
    except NoArgsIsHelpError as error:  # `shiwanqian export` alone: its help is shown
        # Typer's rich renderer has already drawn it while the error was made; a plain
        # renderer returns it as the message instead.
        if message := error.format_message().strip():
            sys.stdout.write(message + "\n")
        sys.exit(0)
    except UsageError as error:
        from .usage import translate

        command = error.ctx.command_path if error.ctx else "shiwanqian"
        sys.stderr.write(f"错误：{inert(translate(error.format_message()))}\n运行 {command} --help 查看用法和示例。\n")
        sys.exit(2)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("已中断\n")
        sys.exit(130)
    except BrokenPipeError:  # e.g. `shiwanqian schedule | head`: the entry point settles it
        raise
    except Exception as error:
        if os.environ.get("SHIWANQIAN_DEBUG"):
            raise
        sys.stderr.write(
            f"内部错误：{type(error).__name__}: {inert(str(error))}\n"
            "这是程序缺陷，请连同命令一起报告（设置 SHIWANQIAN_DEBUG=1 可查看详细信息）。\n"
        )
        sys.exit(70)
