"""`shiwanqian budget [QUOTA]`: what a table's rates (fees, credits …) come to, by region and year."""

from __future__ import annotations

from typing import Annotated

import typer

from ..findings import ExitStatus
from ..output.render import Format, Section, cell, print_records, print_sections
from .common import (
    DataOption,
    DistrictOption,
    ExcelOption,
    FormatOption,
    YearOption,
    area_of,
    check_year,
    csv_for_excel,
    fail,
    load_catalog,
    means_city,
    resolve_region_or_city,
)

HELP = """名额表中的单价与标准（rates：如每节建设费、每人学分）乘以该表的数量：按区域、年度，表格末行为合计（JSON/CSV 只含各区域各年的记录）。数量优先取受控取整的年度分配，其次取文件的年度安排，再次取各区域名额。不写 QUOTA 时列出所有带 rates 的表。

--district 全市（县级工程为 全县，即数据中全域的称呼）与不写 --district 相同：各区域与合计。

示例：shiwanqian budget；shiwanqian budget 名额表编号 --district 区域名；shiwanqian budget --year 年份 --format csv
"""


def command(
    quota: Annotated[
        str | None,
        typer.Argument(
            metavar="[QUOTA]",
            help="名额表编号（见 shiwanqian plans 的“名额表”列）；不写则为所有带 rates 的表。",
            show_default=False,
        ),
    ] = None,
    district: DistrictOption = None,
    year: YearOption = None,
    data: DataOption = None,
    fmt: FormatOption = Format.table,
    excel: ExcelOption = False,
) -> None:
    fmt = csv_for_excel(fmt, excel)
    from ..domain.allocation.records import allocation_records
    from ..domain.programme.budget import budget, rated_tables

    catalog = load_catalog(data)
    check_year(catalog, year)
    area = area_of(catalog)
    region = resolve_region_or_city(catalog.regions_model.regions, district, area)
    rated = rated_tables(catalog)
    if not rated:
        fail(
            "数据中没有任何名额表写有单价或标准（rates），无法计算经费或学分。"
            "在名额表中加入 rates（key、name、value、unit、text、source）后再运行。",
            ExitStatus.FINDINGS,
        )
    if quota is not None:
        ids = [q.model.id for q in catalog.quotas]
        if quota not in ids:
            from ..domain.programme.vocab import did_you_mean

            fail(
                f"未知名额表“{quota}”" + did_you_mean(quota, ids) + f" 带 rates 的表：{'、'.join(t.id for t in rated)}"
            )
        chosen = [t for t in rated if t.id == quota]
        if not chosen:
            fail(f"名额表“{quota}”没有单价或标准（rates）；带 rates 的表：{'、'.join(t.id for t in rated)}")
    else:
        chosen = rated
    allocations = allocation_records(catalog) if any(t.shares is not None for t in chosen) else {}
    order = [r.name for r in catalog.regions_model.regions]
    results = [
        budget(t, order=order, region=region, year=year, allocation=allocations.get(t.id), area=area.word)
        for t in chosen
    ]
    if fmt in (Format.json, Format.csv):
        records = [r for b in results for r in b.lines]  # totals belong to the table view, not to the records
        keys = list(dict.fromkeys(k for r in records for k in r))  # tables may have different rates
        print_records([{k: r.get(k) for k in keys} for r in records], fmt, excel=excel)
        return
    sections = []
    for b in results:
        rows = [[line["region"], cell(line["year"]), *(f"{line[c.key]:,}" for c in b.columns)] for line in b.lines]
        rows.append(["合计", "", *(f"{b.total[c.key]:,}" for c in b.columns)])
        caption = b.caption()
        if not b.lines:
            caption += (
                "本表的数量不分年度，按年份筛选时没有可计算的数量。"
                if year is not None and b.basis in ("rows", "total")
                else "没有符合条件的数量。"
            )
        where = region or (area.word if means_city(district, area) else None)
        title = f"{b.table.title}：按标准计算" + (f" — {where}" if where else "") + (f"（{year}年）" if year else "")
        sections.append(
            Section(
                title,
                ["区域", "年份", *(c.header for c in b.columns)],
                rows,
                caption=caption,
                numeric=set(range(2, len(b.columns) + 2)),
            )
        )
    print_sections(sections, fmt)
