"""`shiwanqian allocate QUOTA --by year`: whole-number yearly targets that add up."""

from __future__ import annotations

from enum import Enum
from fractions import Fraction
from pathlib import Path
from typing import Annotated

import typer

from ..domain.allocation.records import allocation_problem
from ..output.render import Format, Section, print_message, print_records, print_sections
from .common import (
    FINDINGS,
    DataOption,
    DistrictOption,
    ExcelOption,
    FormatOption,
    area_of,
    csv_for_excel,
    fail,
    load_catalog,
    resolve_region,
)

HELP = """把按年度比例分解的名额（名额表的 shares，如各年 10%/25%/25%/30%/10%）取整为整数年度目标：每个区域×学段之和等于其名额，每年合计等于该年比例×总数，每格和每个区域的年度合计只取精确值的下整或上整；在此前提下与精确值的绝对偏差之和最小（受控取整，最小费用流求解）。--method largest-remainder 为逐行最大余数法，仅作对比，并显示年度合计的偏差。

下级工程（programme.yaml 写明 parent）中分解上级的名额表（写明 refines）：提出分解，把上级给本区域的数按各单位的权重（parent.weights 或表的 refines.weights，如专任教师数）分到各单位，用同样的受控取整，上级的各学段、各年数为固定的合计；--explain 说明取整，--out 文件.yaml 写出可审定的名额表文件（不改动数据目录）。

示例：shiwanqian allocate 名额表编号 --by year；shiwanqian allocate 名额表编号 --by year -d 区域名 --explain；shiwanqian allocate 名额表编号 --by year --format json；shiwanqian allocate 名额表编号 --data 下级数据目录 --out 分解提议.yaml
"""


class By(str, Enum):
    year = "year"


class Method(str, Enum):
    controlled = "controlled"
    largest_remainder = "largest-remainder"


def fmt_fraction(x: Fraction) -> str:
    return f"{float(x):.2f}".rstrip("0").rstrip(".")


def fmt_scaled(numerator: int, denominator: int) -> str:
    """``fmt_fraction(Fraction(numerator, denominator))`` without building the Fraction."""
    return f"{numerator / denominator:.2f}".rstrip("0").rstrip(".")


def command(
    quota: Annotated[
        str,
        typer.Argument(metavar="QUOTA", help="名额表编号（见 shiwanqian plans 的“名额表”列；须有年度比例 shares）。"),
    ],
    by: Annotated[By, typer.Option("--by", help="分解维度；目前为 year（按年度）。")] = By.year,
    method: Annotated[
        Method,
        typer.Option(
            "--method", "-m", help="controlled（受控取整，默认）或 largest-remainder（逐行最大余数，对比用）。"
        ),
    ] = Method.controlled,
    district: DistrictOption = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="对一个区域说明需要取整的每一格：算式（名额 × 比例）、进位或舍去，以及决定方向的那条约束（需 --district）。",
        ),
    ] = False,
    data: DataOption = None,
    fmt: FormatOption = Format.table,
    excel: ExcelOption = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            dir_okay=False,
            help="只用于下级工程中分解上级的名额表：把提出的分解写成一个名额表文件（.yaml），供审定后替换原表。",
            show_default=False,
        ),
    ] = None,
) -> None:
    fmt = csv_for_excel(fmt, excel)
    from ..load.loader import gc_paused

    # The whole run over the loaded catalog (hundreds of thousands of live objects on a national
    # table) without cyclic collections: they would rescan the catalog while the network is built.
    with gc_paused():
        _allocate(quota, method, district, explain, data, fmt, excel, out)


def _allocate(
    quota: str, method: Method, district: str | None, explain: bool, data, fmt: Format, excel: bool, out: Path | None
) -> None:
    from ..domain.allocation.cache import allocation
    from ..domain.allocation.solver import AllocationError

    catalog = load_catalog(data)
    tables = {q.model.id: q.model for q in catalog.quotas}
    if quota not in tables:
        from ..domain.programme.vocab import did_you_mean

        fail(f"未知名额表“{quota}”" + did_you_mean(quota, sorted(tables)))
    table = tables[quota]
    if table.refines is not None and catalog.programme_model.parent is not None:
        from .allocate_split import split

        if method is not Method.controlled:
            fail("分解上级的名额表只用受控取整（不能用 --method largest-remainder）")
        split(catalog, table, district=district, explain=explain, fmt=fmt, excel=excel, out=out)
        return
    if out is not None:
        fail("--out 只用于下级工程中分解上级的名额表（写明 refines 的表）：提出的分解写成名额表文件")
    problem = allocation_problem(table)
    if problem is None:
        usable = [t for t in tables if allocation_problem(tables[t]) or tables[t].refines is not None]
        fail(f"名额表“{quota}”没有年度比例（shares），无法按年度分解；可分解的表：{'、'.join(usable)}")
    region = resolve_region(catalog, district).name if district else None
    area = area_of(catalog).word
    if explain and region is None:
        fail("--explain 需要同时给出 --district")
    try:
        result = allocation(problem, method.value)
    except AllocationError as error:
        fail(str(error), status=FINDINGS)
    cells = [c for c in problem.cells if region is None or c[0] == region]
    # Regions in regions.yaml's order, 学段 in the programme's (at the first place it is listed).
    order = {name: i for i, name in enumerate(r.name for r in catalog.regions_model.regions)}
    rank = {name: i for i, name in reversed(list(enumerate(catalog.programme_model.levels)))}
    cells.sort(key=lambda c: (order.get(c[0], 99), rank.get(c[1], 99)))
    if explain and region is not None:  # --explain without --district stopped above
        _explain(problem, result, region, cells, fmt, table.unit or "", excel, area)
        return
    if fmt is Format.csv and cells:
        _print_csv(quota, problem, result, cells, method.value, excel)
        return
    if fmt in (Format.json, Format.csv):
        _print_records(quota, problem, result, cells, method.value, fmt, excel)
        return
    _print_table(table, problem, result, cells, region, method, area, fmt)


def _print_records(quota: str, problem, result, cells, method: str, fmt: Format, excel: bool) -> None:
    values, quotas, weights, d, name = (
        result.values,
        problem.quotas,
        problem.weights,
        problem.denominator,
        method,
    )
    print_records(
        [
            {
                "quota": quota,
                "region": g,
                "level": lv or None,
                "year": y,
                "kind": "allocation",
                "value": values[g, lv, y],
                "exact": fmt_scaled(quotas[g, lv] * weights[y], d),
                "method": name,
            }
            for g, lv in cells
            for y in problem.years
        ],
        fmt,
        excel=excel,
    )


def _print_table(table, problem, result, cells, region: str | None, method: Method, area: str, fmt: Format) -> None:
    years = problem.years
    rows = []
    for g, lv in cells:
        rows.append([g, lv or "", *(str(result.values[g, lv, y]) for y in years), str(problem.quotas[g, lv])])
    total_row = [
        "合计",
        "",
        *(str(sum(result.values[g, lv, y] for g, lv in cells)) for y in years),
        str(sum(problem.quotas[c] for c in cells)),
    ]
    rows.append(total_row)
    if region is None:
        rows.append(["目标", "", *(fmt_fraction(problem.year_target(y)) for y in years), str(problem.total)])
    shares = "、".join(f"{y}年 {fmt_fraction(s)}%" for y, s in problem.shares.items())
    caption = [
        f"比例：{shares}（{table.shares.source}）。方法：{'受控取整' if method is Method.controlled else '逐行最大余数'}；"
        f"与精确值的绝对偏差之和 {fmt_fraction(result.deviation())}。"
    ]
    drift = {y: d for y, d in result.drift().items() if d}
    if method is Method.largest_remainder:
        caption.append("年度合计与目标的偏差：" + ("、".join(f"{y}年 {int(d):+d}" for y, d in drift.items()) or "无"))
    # The solver words a relaxed year target for the default area (全市); a county says 全县.
    caption += [line.replace("年全市目标", f"年{area}目标") for line in result.relaxed]
    print_sections(
        [
            Section(
                f"{table.title}年度分配（{table.unit}）" + (f"— {region}" if region else ""),
                ["区域", "学段", *(f"{y}年" for y in years), "名额"],
                rows,
                caption="\n".join(caption),
                numeric=set(range(2, len(years) + 3)),
            )
        ],
        fmt,
    )


def _print_csv(quota: str, problem, result, cells, method: str, excel: bool) -> None:
    """The CSV of the records the JSON output holds, written straight from the integers: each
    region, level and exact value is escaped once (the same bytes as ``print_records``)."""
    from ..output.render import CsvFields, print_csv

    field = CsvFields(excel=excel)
    years, d, flat = problem.years, problem.denominator, result.flat
    weights = [problem.weights[y] for y in years]
    n = len(years)
    position = {cell: i * n for i, cell in enumerate(problem.cells)}

    def literal(text: str) -> str:  # text in a format string
        return text.replace("{", "{{").replace("}", "}}")

    after_year = literal("," + field("allocation") + ",")
    end = literal("," + field(method) + field.end)
    # A cell's lines differ from those of another cell with the same quota only in the region,
    # level and values: one format string per quota, filled once per cell.
    templates: dict[int, str] = {}
    lines = [field.line(["quota", "region", "level", "year", "kind", "value", "exact", "method"])]
    quotas, table = problem.quotas, field(quota) + ","
    levels: dict[str, str] = {}  # each level's cell and comma
    region, prefix = None, ""  # the cells come region by region: each region's cells escaped once
    for cell in cells:
        g, lv = cell
        if g != region:
            region, prefix = g, table + field(g) + ","
        level = levels.get(lv)
        if level is None:
            level = levels[lv] = field(lv or None) + ","
        q = quotas[cell]
        template = templates.get(q)
        if template is None:
            template = templates[q] = "".join(
                f"{{0}}{y}{after_year}{{{i + 1}}},{literal(field(fmt_scaled(q * weights[i], d)))}{end}"
                for i, y in enumerate(years)
            )
        first = position[cell]
        lines.append(template.format(prefix + level, *flat[first : first + n]))
    print_csv(field.start + "".join(lines), excel=excel)


def _explain(
    problem, result, region: str, cells, fmt: Format, unit: str = "", excel: bool = False, area: str = "全市"
) -> None:
    from ..domain.allocation.explain import explain

    rounded, whole = explain(problem, result, region, unit, area)
    if fmt in (Format.json, Format.csv):
        print_records([r.record() for r in rounded], fmt, excel=excel)
        return
    if not rounded:
        print_message(f"{region} 各格的精确值都是整数，没有需要取整的格。")
        return
    rows = [[r.level or "", f"{r.year}年", r.arithmetic, str(r.value), r.direction, r.reason] for r in rounded]
    caption = (
        f"只列需要取整的 {len(rounded)} 格；其余 {whole} 格的精确值（名额 × 当年比例）本来就是整数。"
        "进位：取比精确值大的整数；舍去：取比精确值小的整数。"
    )
    print_sections(
        [
            Section(
                f"年度分配取整说明 — {region}",
                ["学段", "年份", "算式", "取整", "方向", "原因"],
                rows,
                caption=caption,
                numeric={3},
            )
        ],
        fmt,
    )
