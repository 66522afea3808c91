"""`shiwanqian export …`: files for the people who work in Excel/WPS and calendars."""

from __future__ import annotations

import typer

app = typer.Typer(help="导出为 Excel 工作簿（xlsx）或日历（ics）。示例：shiwanqian export xlsx --out 十百千万.xlsx",
                  no_args_is_help=True)
