"""`shiwanqian export …`: files for the people who work in Excel/WPS and calendars."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..findings import ExitStatus
from .common import DataOption, DistrictOption, fail, load_catalog, resolve_region, resolve_unit

app = typer.Typer(help="导出为 Excel 工作簿（xlsx）或日历（ics）。示例：shiwanqian export xlsx --out 十百千万.xlsx",
                  no_args_is_help=True)

OutOption = Annotated[Path, typer.Option("--out", "-o", dir_okay=False, help="输出文件。先写临时文件再改名，中断不会留下半个文件。")]


def _region(catalog, district: str | None) -> tuple[str | None, str | None]:
    if district is None:
        return None, None
    name = resolve_region(catalog, district).name
    kind = next(r.kind for r in catalog.regions.model.regions if r.name == name)
    return name, kind


def _write(out: Path, data: bytes) -> None:
    from ..fileio import write_atomically

    try:
        write_atomically(out, data)
    except OSError as error:
        fail(f"无法写入 {out}：{error.strerror or error}", ExitStatus.FINDINGS)
    typer.echo(str(out))


@app.command("xlsx", short_help="Excel 工作簿：主表（SUM 公式）、年度安排与分配、任务表、其他指标。", help="Excel 工作簿：三张主表（区域×学段，合计为可自动重算的 SUM 公式，并列原文合计）、年度安排、优质课年度分配、任务表与其他指标；冻结表头、筛选、A4 横向打印。\n\n示例：shiwanqian export xlsx --out 十百千万.xlsx；shiwanqian export xlsx --out 攸县.xlsx --district 攸县")
def xlsx(out: OutOption, district: DistrictOption = None, data: DataOption = None) -> None:
    from ..exports import workbook

    catalog = load_catalog(data)
    region, kind = _region(catalog, district)
    _write(out, workbook(catalog, region, kind))


@app.command("ics", short_help="日历文件：每条任务按年份、月份为一项，UID 固定。", help="iCalendar 日历：每条任务在其年份与月份中为一个全天事件（“N月前”为截止待办），逐年任务每年一条；UID 固定，重复导入会更新而不会重复。\n\n示例：shiwanqian export ics --out 任务.ics --district 醴陵；shiwanqian export ics --out 培训中心.ics --unit 市教师培训中心")
def ics(out: OutOption, district: DistrictOption = None,
        unit: Annotated[str | None, typer.Option("--unit", "-u", help="责任单位，如 市教师培训中心。", show_default=False)] = None,
        data: DataOption = None) -> None:
    from ..exports import ics as make_ics

    catalog = load_catalog(data)
    region, kind = _region(catalog, district)
    unit_name = resolve_unit(catalog, unit) if unit is not None else None
    _write(out, make_ics(catalog, region, kind, unit_name))
