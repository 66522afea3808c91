"""The command line: one Typer app, one module per command."""

from __future__ import annotations

import os
import sys

import typer

from . import allocate, budget, check, export, plans, quota, schedule, schema, timeline

app = typer.Typer(
    name="shiwanqian",
    help=(
        "株洲市教师素养提升“十百千万”工程（株教发〔2016〕4号）的计划、名额与任务工具。\n\n"
        "示例：\n\n"
        "  shiwanqian quota --district 攸县\n\n"
        "  shiwanqian schedule --year 2018 --district 醴陵\n\n"
        "  shiwanqian check --format github"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.command("check", help=check.HELP)(check.command)
app.command("quota", help=quota.HELP)(quota.command)
app.command("schedule", help=schedule.HELP)(schedule.command)
app.command("plans", help=plans.HELP)(plans.command)
app.command("allocate", help=allocate.HELP)(allocate.command)
app.command("budget", help=budget.HELP)(budget.command)
app.command("schema", help=schema.HELP)(schema.command)
app.command("timeline", help=timeline.HELP)(timeline.command)
app.add_typer(export.app, name="export")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("已中断\n")
        sys.exit(130)
    except BrokenPipeError:  # e.g. `shiwanqian schedule | head`
        sys.stderr.close()
        sys.exit(0)
    except Exception as error:  # noqa: BLE001 - last resort: never show a traceback to users
        if os.environ.get("SHIWANQIAN_DEBUG"):
            raise
        sys.stderr.write(f"内部错误：{type(error).__name__}: {error}\n"
                         "这是程序缺陷，请连同命令一起报告（设置 SHIWANQIAN_DEBUG=1 可查看详细信息）。\n")
        sys.exit(70)
