"""`shiwanqian quota --district D`: everything one region owes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..output.render import (
    PROPOSED,
    PROPOSED_CAPTION,
    Format,
    Section,
    amount,
    cell,
    print_message,
    print_records,
    print_sections,
    reviewed,
)
from .common import (
    DataOption,
    ExcelOption,
    FormatOption,
    PlanOption,
    YearOption,
    check_plan_in,
    check_year_in,
    csv_for_excel,
    fail,
    load_snapshot,
    means_city,
    note,
    resolve_region_in,
)

if TYPE_CHECKING:
    from ..domain.programme.city import CityTable

HELP = """某一区域承担的全部名额与指标：每张主表（文件分解到各区域的名额表，按计划顺序）按学段的名额、合计、文件的年度安排与受控取整的年度分配，以及落在该区域的其他任务与指标。

--district 全市（或 --all；县级工程为 全县，即数据中全域的称呼）为全域视图：每张主表按 区域 × 学段 列出，附行、列合计和文件写明的合计。--plan 也可以写名额表编号，只看这张表。

示例：shiwanqian quota --district 区域名；shiwanqian quota --all；shiwanqian quota -d 区域名 --plan 计划编号 --year 年份 --format csv
"""


def command(
    district: Annotated[
        str | None,
        typer.Option(
            "--district",
            "-d",
            help="区域：全称、简称、拼音或后来的名称（见数据目录的 regions.yaml）；全市（县级工程为 全县）为全域视图。",
            show_default=False,
        ),
    ] = None,
    all_regions: Annotated[
        bool, typer.Option("--all", "-a", help="全域视图（同 --district 全市 / 全县）：每张主表按区域 × 学段列出。")
    ] = False,
    plan: PlanOption = None,
    year: YearOption = None,
    data: DataOption = None,
    fmt: FormatOption = Format.table,
    excel: ExcelOption = False,
) -> None:
    from ..domain.programme.city import Area, why_no_quota, year_gaps

    fmt = csv_for_excel(fmt, excel)
    from ..storage.names import region_names

    snapshot = load_snapshot(data)
    area = Area.of_snapshot(snapshot)
    city = all_regions or means_city(district, area)
    if district is None and not city:
        names = [r["name"] for r in snapshot["regions"]]
        fail(
            f"请用 --district 指定区域，例如 shiwanqian quota --district {names[0]}；"
            f"--all（或 --district {area.word}）为{area.word}视图。"
            "可用区域：" + "、".join(names)
        )
    region = None if city or district is None else resolve_region_in(region_names(snapshot), district).name
    plan_ids = [p["plan"] for p in snapshot["plans"]]
    table = plan if plan is not None and plan not in plan_ids and plan in snapshot["table_plans"] else None
    plan = check_plan_in(plan_ids, plan, snapshot["table_plans"])
    check_year_in(snapshot["programme"]["period"], year)
    if region is None:
        _city(snapshot, plan=plan, table=table, year=year, fmt=fmt)
        return
    records = [
        r
        for r in snapshot["quota"][region]
        if (plan is None or r["plan"] == plan)
        and (table is None or r["quota"] == table)
        and (year is None or r["year"] in (None, year))
    ]
    notes = year_gaps(snapshot, list(dict.fromkeys(r["quota"] for r in records)), year) if year else []
    if not records:
        notes = [why_no_quota(snapshot, region, plan=plan, table=table, year=year)]
    if fmt in (Format.json, Format.csv):
        for text in notes:
            note(text)  # on stderr: stdout stays valid JSON/CSV
        print_records([{k: v for k, v in r.items() if k not in ("claim", "plan")} for r in records], fmt, excel=excel)
        return
    for text in notes:
        print_message(text)
    if records:
        main = [t["quota"] for t in snapshot["tables"] if t["main"]]
        print_sections(sections(snapshot["programme"]["levels"], region, records, main, area.word), fmt)


def _city(snapshot: dict[str, Any], *, plan: str | None, table: str | None, year: int | None, fmt: Format) -> None:
    """Each main table as region × 学段, with totals and the totals the document states."""
    from ..domain.programme.city import Area, city_tables, main_tables, year_gaps

    area = Area.of_snapshot(snapshot).word
    tables = city_tables(snapshot, plan=plan, table=table, year=year)
    notes = year_gaps(snapshot, [t.quota for t in tables], year) if year else []
    if not tables:
        notes = [
            f"没有符合条件的主表：{'计划 ' + plan if plan else '数据'}中没有按区域分配的名额表"
            f"（主表共 {len(main_tables(snapshot))} 张：{'、'.join(t['quota'] for t in main_tables(snapshot))}）。"
        ]
    if fmt in (Format.json, Format.csv):
        for text in notes:
            note(text)
        records = [r for t in tables for r in _city_records(t, area)]
        keys = ["quota", "title", "region", "level", "year", "kind", "name", "value", "qualifier", "unit", "source"]
        print_records([{k: r.get(k) for k in keys} for r in records], fmt)
        return
    for text in notes:
        print_message(text)
    print_sections([_city_section(t, area) for t in tables], fmt)


def _city_records(t: CityTable, area: str) -> list[dict[str, Any]]:
    """One main table's figures as flat records: each region's 学段 and total, the unsplit
    figures and the total the document states."""
    records: list[dict[str, Any]] = []
    base = {
        "quota": t.quota,
        "title": t.title,
        "year": t.year,
        "kind": "target" if t.year is None else "yearly",
        "unit": t.unit,
    }
    for region, cells, _, stated in t.rows:
        for level in t.levels:
            if level in cells and level is not None:
                records.append({**base, "region": region, "level": level, "name": level, "value": cells[level]})
        records.append(
            {
                **base,
                "region": region,
                "level": None,
                "name": "合计",
                "value": stated if stated is not None else sum(cells.values()),
            }
        )
    for level, value in t.unsplit.items():
        records.append(
            {
                **base,
                "region": area,
                "level": level,
                "name": f"{level or '合计'}（{area}，未分解到区域）",
                "value": value,
            }
        )
    if t.stated is not None:
        records.append(
            {
                **base,
                "region": area,
                "level": None,
                "name": "合计",
                "value": t.stated["value"],
                "qualifier": t.stated["qualifier"],
                "source": t.stated["source"],
            }
        )
    return records


def _city_section(t: CityTable, area: str) -> Section:
    """One main table as region × 学段, with its totals and the total the document states."""
    named = [lv for lv in t.levels if lv is not None]
    headers = ["区域", *named, "合计"] + (["原文合计"] if t.year is None else [])
    rows = []
    for region, cells, total, stated in t.rows:
        rows.append(
            [region, *(cell(cells.get(lv)) for lv in named), str(total)] + ([cell(stated)] if t.year is None else [])
        )
    rows.append(
        ["合计", *(str(t.totals[lv]) if any(lv in r[1] for r in t.rows) else "" for lv in named), str(t.grand)]
        + ([""] if t.year is None else [])
    )
    if t.unsplit:
        rows.append(
            [f"{area}（未分解到区域）", *(cell(t.unsplit.get(lv)) for lv in named), str(sum(t.unsplit.values()))]
            + ([""] if t.year is None else [])
        )
    if t.stated is not None:
        stated_text = amount({"value": t.stated["value"], "qualifier": t.stated["qualifier"], "unit": ""})
        rows.append(["原文合计", *("" for _ in named), "", stated_text])
    when = f"{t.year}年" if t.year is not None else "名额"
    caption = [f"出处：{'；'.join(t.sources[:6])}{'……' if len(t.sources) > 6 else ''}"]
    if t.stated is not None and t.stated["value"] != t.grand:
        caption.insert(0, f"各区域合计 {t.grand}，文件写明的合计为 {stated_text}（“{t.stated['text']}”）。")
    return Section(
        f"{t.title}（{t.unit or ''}，{when}）— {area}",
        headers,
        rows,
        caption="\n".join(caption),
        numeric=set(range(1, len(headers))),
    )


def sections(
    levels: list[str], region: str, records: list[dict[str, Any]], main: list[str], area: str = "全市"
) -> list[Section]:
    """A section for each main table (in ``main``'s order), then the region's other targets;
    ``area`` is the word for the whole area (a figure given only for it is shown apart)."""
    result = []
    for table_id in main:
        # The table's own rows: per-学段 targets and 合计, its schedule and allocation (its other
        # targets, if any, go to the "其他任务与指标" section).
        mine = [
            r
            for r in records
            if r["quota"] == table_id
            and (r["kind"] != "target" or (r["name"] in (*levels, "合计") and r.get("review") != PROPOSED))
        ]
        if not mine:
            continue
        present = [lv for lv in levels if any(r["level"] == lv for r in mine)]
        headers = ["", *present, "合计"] if present else ["", "数量"]
        columns = present + [None] if present else [None]
        rows = []

        def line(label: str, chosen: list[dict[str, Any]]) -> list[str]:
            cells = []
            for level in columns:  # noqa: B023 (called within this iteration)
                hits = [r for r in chosen if r["level"] == level]
                parts = [
                    (f"（{area} " + cell(h["value"]) + "）") if h["region"] == area else cell(h["value"]) for h in hits
                ]
                if level is None and not hits and present:  # noqa: B023 (called within this iteration)
                    total = sum(h["value"] for h in chosen if h["region"] != area and h["level"])
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
        result.append(
            Section(
                f"{title}（{unit}）— {region}",
                headers,
                rows,
                caption=f"出处：{sources}",
                numeric=set(range(1, len(headers))),
            )
        )
    others = [
        r
        for r in records
        if r["kind"] == "target"
        and (r.get("review") == PROPOSED or not (r["quota"] in main and r["name"] in (*levels, "合计")))
    ]
    if others:
        proposed = sum(r.get("review") == PROPOSED for r in others)
        result.append(
            Section(
                f"其他任务与指标 — {region}",
                ["项目", "指标", "年份", "要求", "出处"],
                [[r["title"], r["name"], cell(r["year"]), reviewed(amount(r), r), r["source"]] for r in others],
                caption=PROPOSED_CAPTION.format(count=proposed) if proposed else None,
            )
        )
    return result
