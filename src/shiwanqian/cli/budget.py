"""`shiwanqian budget`: money and credits of the lessons programme, from the allocation."""

from __future__ import annotations

from ..domain.queries import allocation_records
from ..output.render import Format, Section, print_records, print_sections
from .common import ExcelOption, csv_for_excel, DataOption, DistrictOption, FormatOption, YearOption, check_year, fail, load_catalog, resolve_region

HELP = """万节优质课的经费与学分（附件13 三 6（1）（2））：每节建设费 300 元、评审修改上传费 100 元，验收合格每节 80 个继续教育学分；按区域、年度，由受控取整的年度分配计算；表格末行为合计（JSON/CSV 只含各区域各年的记录）。

示例：shiwanqian budget；shiwanqian budget --district 攸县；shiwanqian budget --year 2019 --format csv
"""


def command(district: DistrictOption = None, year: YearOption = None, data: DataOption = None,
            fmt: FormatOption = Format.table, excel: ExcelOption = False) -> None:
    fmt = csv_for_excel(fmt, excel)
    catalog = load_catalog(data)
    check_year(catalog, year)
    region = resolve_region(catalog, district).name if district else None
    tables = {q.model.id: q.model for q in catalog.quotas}
    table = tables.get("lessons")
    if table is None or not table.rates:
        fail("数据中没有带经费与学分标准（rates）的 lessons 表")
    rates = {r.key: r for r in table.rates}
    order = [r.name for r in catalog.regions.model.regions]
    lessons: dict[tuple[str, int], int] = {}
    for record in allocation_records(catalog)["lessons"]:
        if (region is None or record["region"] == region) and (year is None or record["year"] == year):
            key = (record["region"], record["year"])
            lessons[key] = lessons.get(key, 0) + record["value"]
    records = []
    for (g, y) in sorted(lessons, key=lambda k: (order.index(k[0]) if k[0] in order else 99, k[1])):
        n = lessons[g, y]
        build, review, credits = n * rates["build_fee"].value, n * rates["review_fee"].value, n * rates["credits"].value
        records.append({"region": g, "year": y, "lessons": n, "build_fee": build, "review_fee": review,
                        "cost": build + review, "credits": credits})
    total = {k: sum(r[k] for r in records) for k in ("lessons", "build_fee", "review_fee", "cost", "credits")}
    if fmt in (Format.json, Format.csv):
        print_records(records, fmt, excel=excel)  # totals belong to the table view, not to the records
        return
    rows = [[r["region"], str(r["year"]), f"{r['lessons']:,}", f"{r['build_fee']:,}", f"{r['review_fee']:,}",
             f"{r['cost']:,}", f"{r['credits']:,}"] for r in records]
    rows.append(["合计", "", *(f"{total[k]:,}" for k in ("lessons", "build_fee", "review_fee", "cost", "credits"))])
    sources = "；".join(dict.fromkeys(r.source for r in table.rates))
    print_sections([Section("万节优质课经费与学分" + (f"— {region}" if region else "") + (f"（{year}年）" if year else ""),
                            ["区域", "年份", "节数", "建设费（元）", "评审费（元）", "经费合计（元）", "学分"], rows,
                            caption=f"标准：建设费 {rates['build_fee'].value} 元/节、评审修改上传费 {rates['review_fee'].value} 元/节、"
                                    f"{rates['credits'].value} 学分/节（{sources}）；节数取自受控取整的年度分配。",
                            numeric={2, 3, 4, 5, 6})], fmt)
