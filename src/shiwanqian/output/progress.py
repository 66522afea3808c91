"""达成度 views: the sections ``progress`` prints (table, markdown) and its flat records."""

from __future__ import annotations

from typing import Any

from .render import Section, cell

OVERDUE = "（逾期）"
DONE = ("完成", "不适用")


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1f}%"


def number(value: int | None) -> str:
    return "—" if value is None else str(value)


def task_state(status: str) -> str:
    """A task's status as shown: anything not done by its due date is marked overdue."""
    return status if status in DONE else status + OVERDUE


PARTS = ("quotas", "tasks", "ranking")


def sections(report: dict[str, Any], basis: dict[str, Any], parts: tuple[str, ...] | set[str] = PARTS) -> list[Section]:
    result = []
    if "quotas" in parts:
        result += quota_sections(report, basis)
        if report.get("doubts"):
            result.append(doubt_section(report, basis))
    if "tasks" in parts:
        result.append(task_section(report))
    if "ranking" in parts and report["ranking"]["rows"]:
        result.append(ranking_section(report, basis))
    return result


def quota_sections(report: dict[str, Any], basis: dict[str, Any]) -> list[Section]:
    region = report["region"]
    tables = {t["id"]: t for t in basis["tables"]}
    result = []
    headers = ["年份", "学段", "目标", "累计目标", "实际完成", "累计完成", "达成度", "状态"]
    for table_id in dict.fromkeys(r["quota"] for r in report["quotas"]):
        table = tables[table_id]
        mine = [r for r in report["quotas"] if r["quota"] == table_id]
        if region is None:
            # The whole city: each region's 合计, region by region.
            mine = [r for r in mine if r["level"] is None]
            head = ["区域", "年份", "目标", "累计目标", "实际完成", "累计完成", "达成度", "状态"]
            rows = [
                [
                    r["region"],
                    str(r["year"]),
                    number(r["target"]),
                    number(r["cumulative_target"]),
                    number(r["actual"]),
                    number(r["cumulative_actual"]),
                    percent(r["rate"]),
                    r["status"],
                ]
                for r in mine
            ]
            title = f"{table['title']}（{table['unit'] or ''}）达成度 — 各区域合计"
        else:
            # A 学段 with nothing due that year and nothing reported is left out of the table.
            mine = [r for r in mine if r["level"] is None or r["target"] != 0 or r["actual"] is not None]
            head = headers
            rows = [
                [
                    str(r["year"]),
                    r["level"] or "合计",
                    number(r["target"]),
                    number(r["cumulative_target"]),
                    number(r["actual"]),
                    number(r["cumulative_actual"]),
                    percent(r["rate"]),
                    r["status"],
                ]
                for r in mine
            ]
            title = f"{table['title']}（{table['unit'] or ''}）达成度 — {region}"
        how = {"schedule": "文件给出的年度安排", "allocation": "按年度比例受控取整的年度分配"}.get(
            table["kind"] or "", "文件未给出年度目标"
        )
        sources = target_sources(table, {r["region"] for r in mine}, {r["year"] for r in mine}) or [table["source"]]
        area = basis.get("area", "全市")
        caption = f"目标：{how}（出处：{'；'.join(sources)}）；达成度“—”：目标为 0 或文件只给出{area}数。"
        result.append(Section(title, head, rows, caption=caption, numeric={2, 3, 4, 5, 6}))
    return result


def target_sources(table: dict[str, Any], regions: set[str], years: set[int]) -> list[str]:
    """The citations of the yearly targets of ``regions`` in ``years``, in order of first use."""
    found: dict[str, None] = {}
    for region in sorted(regions):
        for by_year in table["yearly"].get(region, {}).values():
            for year in sorted(years):
                entry = by_year.get(str(year))
                if entry is not None:
                    found.setdefault(entry[1])
    return sorted(found)


CONFIRM_HINT = (
    "核实无误：加 --confirm 重新导入该工作簿（填报中记为 confirmed: true）。\n"
    "核实有误：改正工作簿后重新导入。确认之前，这些数字不计入排名的平均达成度。"
)


def doubt_section(report: dict[str, Any], basis: dict[str, Any]) -> Section:
    """The figures shown as 待核: above the quota, or more than twice the year's target."""
    from ..domain.progress.doubt import FAR

    titles = {t["id"]: t["title"] for t in basis["tables"]}
    doubts = report["doubts"]
    return Section(
        f"待核数字（{len(doubts)} 项：超过名额，或超过当年目标的 {FAR} 倍）",
        ["名额表", "区域", "学段", "年份", "实际完成", "当年目标", "名额", "原因"],
        [
            [
                titles.get(d["quota"], d["quota"]),
                d["region"],
                d["level"] or "—",
                str(d["year"]),
                str(d["actual"]),
                number(d["target"]),
                number(d["limit"]),
                "；".join(d["reasons"]),
            ]
            for d in doubts
        ],
        caption=CONFIRM_HINT,
        numeric={3, 4, 5, 6},
    )


def task_section(report: dict[str, Any]) -> Section:
    region = report["region"]
    tasks = report["tasks"]
    overdue = [t for t in tasks if t["status"] not in DONE]
    where = f" · {region}" if region else ""
    return Section(
        f"到期任务（截至 {report['as_of']}{where}）",
        ["计划", "事项", "名称", "年份", "截止日期", "完成情况", "责任单位"],
        [
            [t["plan"], t["item"], t["name"], str(t["year"]), t["due"], task_state(t["status"]), cell(t["units"])]
            for t in tasks
        ],
        caption=f"到期 {len(tasks)} 项：完成（含不适用）{len(tasks) - len(overdue)} 项，逾期 {len(overdue)} 项"
        f"（其中未填报 {sum(t['status'] == '未填报' for t in overdue)} 项）。",
        numeric={3},
    )


def ranking_section(report: dict[str, Any], basis: dict[str, Any]) -> Section:
    tables = {t["id"]: t for t in basis["tables"]}
    rank = report["ranking"]
    ids = list(dict.fromkeys(q for row in rank["rows"] for q in row["rates"]))
    doubtful = any(row.get("doubtful") for row in rank["rows"])

    def shown(row: dict[str, Any], quota: str) -> str:
        return percent(row["rates"].get(quota)) + ("（待核）" if quota in row.get("doubtful", ()) else "")

    return Section(
        f"{rank['year']}年达成度排名",
        ["名次", "区域", *[tables[i]["title"] for i in ids], "平均达成度"],
        [
            [number(row["rank"]), row["region"], *[shown(row, i) for i in ids], percent(row["rate"])]
            for row in rank["rows"]
        ],
        caption="各表按区域合计的当年达成度；平均只计有目标且已填报的表"
        + ("，不计含待核数字的表。" if doubtful else "。"),
        numeric={0, *range(2, len(ids) + 3)},
    )
