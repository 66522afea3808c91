"""`shiwanqian quota --district D`: everything one region owes."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from ..domain.queries import HEADLINE
from ..output.render import Format, Section, amount, cell, print_records, print_sections
from .common import (DataOption, FormatOption, fail, PlanOption, YearOption, check_plan_in, check_year_in,
                     load_snapshot, resolve_region_in)

HELP = """某一区域承担的全部名额与指标：三张主表（骨干教师、优质课、工作站）按学段的名额、合计与年度安排，以及落在每个县市区的其他任务（基地学校、分院、完成率……）。

示例：shiwanqian quota --district 攸县；shiwanqian quota -d 醴陵 --plan lessons --year 2017 --format csv
"""

def command(
    district: Annotated[str | None, typer.Option("--district", "-d", help="区域（必填）：全称、简称或拼音，如 攸县、醴陵、youxian、渌口区。", show_default=False)] = None,
    plan: PlanOption = None,
    year: YearOption = None,
    data: DataOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    from ..domain.snapshot import regions_of

    snapshot = load_snapshot(data)
    if district is None:
        fail("请用 --district 指定区域，例如 shiwanqian quota --district 攸县。可用区域："
             + "、".join(r["name"] for r in snapshot["regions"]))
    region = resolve_region_in(regions_of(snapshot), district).name
    check_plan_in([p["plan"] for p in snapshot["plans"]], plan)
    check_year_in(snapshot["programme"]["period"], year)
    records = [r for r in snapshot["quota"][region]
               if (plan is None or r["plan"] == plan) and (year is None or r["year"] in (None, year))]
    if fmt in (Format.json, Format.csv):
        print_records([{k: v for k, v in r.items() if k not in ("claim", "plan")} for r in records], fmt)
        return
    print_sections(sections(snapshot["programme"]["levels"], region, records), fmt)


def sections(levels: list[str], region: str, records: list[dict[str, Any]]) -> list[Section]:
    result = []
    for table_id in HEADLINE:
        # The table's own rows: per-学段 targets and 合计, its schedule and allocation (its other
        # targets, if any, go to the "其他任务与指标" section).
        mine = [r for r in records if r["quota"] == table_id
                and (r["kind"] != "target" or r["name"] in (*levels, "合计"))]
        if not mine:
            continue
        present = [lv for lv in levels if any(r["level"] == lv for r in mine)]
        headers = ["", *present, "合计"] if present else ["", "数量"]
        columns = present + [None] if present else [None]
        rows = []

        def line(label: str, chosen: list[dict[str, Any]]) -> list[str]:
            cells = []
            for level in columns:
                hits = [r for r in chosen if r["level"] == level]
                parts = [("（全市 " + cell(h["value"]) + "）") if h["region"] == "全市" else cell(h["value"])
                         for h in hits]
                if level is None and not hits and present:
                    total = sum(h["value"] for h in chosen if h["region"] != "全市" and h["level"])
                    parts = [str(total)] if total else []
                cells.append(" ".join(parts))
            return [label, *cells]

        targets = [r for r in mine if r["kind"] == "target"]
        if targets:
            rows.append(line("名额", targets))
        for kind, label in (("schedule", "年安排"), ("allocation", "年分配")):
            years = sorted({r["year"] for r in mine if r["kind"] == kind})
            for year in years:
                rows.append(line(f"{year}{label}", [r for r in mine if r["kind"] == kind and r["year"] == year]))
        title = mine[0]["title"]
        unit = mine[0]["unit"] or ""
        sources = "；".join(dict.fromkeys(r["source"] for r in mine))
        result.append(Section(f"{title}（{unit}）— {region}", headers, rows, caption=f"出处：{sources}",
                              numeric=set(range(1, len(headers)))))
    others = [r for r in records if r["kind"] == "target" and not (r["quota"] in HEADLINE and
                                                                    r["name"] in (*levels, "合计"))]
    if others:
        result.append(Section(
            f"其他任务与指标 — {region}",
            ["项目", "指标", "年份", "要求", "出处"],
            [[r["title"], r["name"], cell(r["year"]), amount(r), r["source"]] for r in others],
        ))
    return result
