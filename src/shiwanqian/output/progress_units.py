"""The units behind a parent's region in ``progress --child``: for each table and region, each
unit's 合计 year by year, the units' sum, and the region's own figure as reported to the
parent, side by side."""

from __future__ import annotations

from typing import Any

from .progress import number, percent
from .render import Section


def unit_sections(report: dict[str, Any], basis: dict[str, Any], children: list[dict[str, Any]]) -> list[Section]:
    from ..domain.refine.rollup import unit_sums

    tables = {t["id"]: t for t in basis["tables"]}
    own = {(r["quota"], r["region"], r["year"]): r for r in report["quotas"] if r["level"] is None}
    result = []
    for child in children:
        records = child["quotas"]
        sums = {(s["quota"], s["year"]): s for s in unit_sums(records)}
        for table_id in dict.fromkeys(r["quota"] for r in records):
            table = tables.get(table_id)
            if table is None:
                continue
            mine = [r for r in records if r["quota"] == table_id and r["level"] is None]
            rows = []
            for year in sorted({r["year"] for r in mine}):
                for r in (r for r in mine if r["year"] == year):
                    rows.append(
                        [
                            r["unit"],
                            str(year),
                            number(r["target"]),
                            number(r["cumulative_target"]),
                            number(r["actual"]),
                            number(r["cumulative_actual"]),
                            percent(r["rate"]),
                            r["status"],
                        ]
                    )
                total = sums.get((table_id, year))
                if total is not None:
                    rows.append(
                        [
                            "各单位合计",
                            str(year),
                            number(total["target"]),
                            "",
                            number(total["actual"]),
                            "",
                            percent(total["rate"]),
                            "",
                        ]
                    )
                reported = own.get((table_id, child["region"], year))
                if reported is not None:
                    rows.append(
                        [
                            f"{child['region']}（填报数）",
                            str(year),
                            number(reported["target"]),
                            number(reported["cumulative_target"]),
                            number(reported["actual"]),
                            number(reported["cumulative_actual"]),
                            percent(reported["rate"]),
                            reported["status"],
                        ]
                    )
            result.append(
                Section(
                    f"{table['title']}（{table['unit'] or ''}）达成度 — {child['region']}各单位",
                    ["单位", "年份", "目标", "累计目标", "实际完成", "累计完成", "达成度", "状态"],
                    rows,
                    caption=(
                        f"下级工程：{child['programme']}（{child['data']}）；各单位的目标取自下级工程的分解，"
                        f"完成数取自其进度目录{'（' + child['progress'] + '）' if child['progress'] else '（没有进度目录：未填报）'}。"
                        f"“{child['region']}（填报数）”是{child['region']}在本工程进度目录中填报的数。"
                    ),
                    numeric={2, 3, 4, 5, 6},
                )
            )
    return result
