"""`shiwanqian plans`: the plans and annexes with their periods and counts."""

from __future__ import annotations

from ..output.render import Format, Section, cell, print_records, print_sections
from .common import DataOption, ExcelOption, FormatOption, csv_for_excel, load_snapshot

HELP = """列出工程的全部计划、方案与附件（按文件顺序）：附件号、正文章节、类别、计划期、任务数、名额表。

示例：shiwanqian plans；shiwanqian plans --format json
"""


def command(data: DataOption = None, fmt: FormatOption = Format.table, excel: ExcelOption = False) -> None:
    fmt = csv_for_excel(fmt, excel)
    snapshot = load_snapshot(data)
    rows = snapshot["plans"]
    if fmt in (Format.json, Format.csv):
        print_records(rows, fmt, excel=excel)
        return
    section = Section(
        title=f"{snapshot['programme']['issuer']}《{snapshot['programme']['title']}》的计划与附件",
        headers=["编号", "附件", "正文", "类别", "名称", "计划期", "任务数", "名额表", "数字条数"],
        rows=[
            [
                r["plan"],
                cell(r["annex"]),
                cell(r["main_section"]),
                r["category"],
                r["title"],
                cell(r["period"]),
                str(r["tasks"]),
                cell(r["quotas"]),
                str(r["numbers"]),
            ]
            for r in rows
        ],
        caption=f"共 {len(rows)} 项，{sum(r['tasks'] for r in rows)} 条任务。",
        numeric={6, 8},
        keep={0, 5, 7},
        optional={2, 8},
    )
    print_sections([section], fmt)
