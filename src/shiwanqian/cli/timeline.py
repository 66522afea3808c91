"""`shiwanqian timeline`: a Gantt-style picture of the programme."""

from __future__ import annotations

HELP = """甘特图式的时间线（建设中）。"""


def command() -> None:
    raise SystemExit("timeline 尚未实现")
