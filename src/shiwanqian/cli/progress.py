"""`shiwanqian progress`: 达成度 of every quota table, the tasks due, the ranking of regions;
`progress import`: returned fill-in workbooks into progress reports."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..findings import ExitStatus
from ..output.render import Format, console, print_records, print_sections
from .common import (DataOption, DistrictOption, FormatOption, PlanOption, ProgressOption, YearOption, _data_root,
                     _stop_on_errors, check_plan_in, check_year_in, fail, load_snapshot, progress_root,
                     resolve_region_in, resolve_unit_in)

HELP = """达成度：各名额表按区域、学段、年度的目标与填报的完成数（达成度 = 实际完成 ÷ 目标，保留一位小数），到期任务的完成情况与逾期事项，以及各区域当年达成度排名——附件15 的年中督查、年末专项考核评估所需。

目标取文件给出的年度安排；文件只给年度比例时，取受控取整的年度分配（shiwanqian allocate）。状态：达成、超额、滞后（当年已结束而未达到）、进行中（当年未结束）、未填报。

填报记录在进度目录（--progress、SHIWANQIAN_PROGRESS 或当前目录下的 progress/）；填报有错误时拒绝作答。

示例：shiwanqian progress --district 攸县 --as-of 2017-12-31；shiwanqian progress --year 2018 --fail-under 90；shiwanqian progress --out 达成度.html；shiwanqian progress import 攸县-2018.xlsx
"""

app = typer.Typer(help=HELP, invoke_without_command=True, no_args_is_help=False)


class What(str, Enum):
    quotas = "quotas"
    tasks = "tasks"
    ranking = "ranking"


def parse_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        fail(f"{option} 的日期应写作 2018-06-30 的形式，而不是“{text}”")


def load_progress_for(basis: dict[str, Any], folder: Path | None, as_of: dt.date | None):  # noqa: ANN201
    """The cells in force as of ``as_of`` (default: the latest report's date, else today) and
    that date; a progress folder with errors stops the query with every problem."""
    from ..domain.progress import Cells, check_progress, latest, resolve
    from ..load.progress import load_progress

    if folder is None:
        return Cells(), as_of or dt.date.today()
    progress = load_progress(folder)
    errors = [f for f in check_progress(progress, basis) if f.severity == "error"]
    if errors:
        _stop_on_errors(errors)
    when = as_of or latest(progress) or dt.date.today()
    cells, _ = resolve(progress, until=when)
    return cells, when


@app.callback()
def command(
    ctx: typer.Context,
    district: DistrictOption = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只看某责任单位的任务，如 市教师培训中心。", show_default=False)] = None,
    year: YearOption = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="截至日期，如 2018-06-30（年中督查）或 2018-12-31（年末考核）。默认：最新一份填报的截至日期，没有填报时为今天。", show_default=False)] = None,
    plan: PlanOption = None,
    fail_under: Annotated[float | None, typer.Option("--fail-under", min=0, help="有任何已到期的达成度低于此百分比（或有目标却未填报）时以退出码 1 结束，如 90。", show_default=False)] = None,
    what: Annotated[list[What] | None, typer.Option("--what", help="只输出 quotas（名额达成度）、tasks（到期任务）或 ranking（排名），可重复；CSV 默认 quotas。", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", dir_okay=False, help="写出一页可打印（A4）的 HTML 报告，含柱状图、逾期任务与排名。", show_default=False)] = None,
    progress: ProgressOption = None,
    data: DataOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from ..domain.progress import progress_report
    from ..domain.snapshot import regions_of, units_of

    root = _data_root(data)
    folder = progress_root(progress, root)
    snapshot = load_snapshot(data)
    basis = snapshot["progress"]
    region = resolve_region_in(regions_of(snapshot), district).name if district is not None else None
    unit_name = resolve_unit_in(units_of(snapshot), unit) if unit is not None else None
    check_plan_in([p["plan"] for p in snapshot["plans"]], plan)
    check_year_in(snapshot["programme"]["period"], year)
    cells, when = load_progress_for(basis, folder, parse_date(as_of, "--as-of"))
    report = progress_report(basis, cells, region=region, unit=unit_name, plan=plan, year=year, as_of=when)
    chosen = set(what or ([What.quotas] if fmt is Format.csv else list(What)))
    if out is not None:
        from ..output.progress_html import page

        from .export import _write

        _write(out, page(report, basis, snapshot["programme"]["title"]).encode("utf-8"))
    elif fmt is Format.json:
        payload: dict[str, Any] = {"as_of": report["as_of"], "region": region}
        for key in (What.quotas, What.tasks, What.ranking):
            if key in chosen:
                payload[key.value] = report[key.value]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif fmt is Format.csv:
        if len(chosen) != 1:
            fail("CSV 一次只能输出一种记录：--what quotas、--what tasks 或 --what ranking")
        key = next(iter(chosen))
        records = report[key.value] if key is not What.ranking else [
            {"rank": r["rank"], "region": r["region"], "year": report["ranking"]["year"], "rate": r["rate"],
             **{f"rate:{q}": v for q, v in r["rates"].items()}} for r in report["ranking"]["rows"]]
        print_records(records, fmt)
    else:
        from ..output.progress import sections

        print_sections(sections(report, basis, {k.value for k in chosen}), fmt)
        if folder is None:
            console(stderr=True).print("提示：没有进度目录（--progress、SHIWANQIAN_PROGRESS 或 ./progress），"
                                       "所有完成数显示为未填报。", markup=False)
    if fail_under is not None:
        from ..domain.progress import below

        low = below(report["quotas"], fail_under, when)
        if low:
            err = console(stderr=True)
            err.print(f"达成度低于 {fail_under:g}% 的有 {len(low)} 项（截至 {when.isoformat()}）：", markup=False)
            for r in low[:20]:
                level = f" {r['level']}" if r["level"] else ""
                shown = "未填报" if r["actual"] is None else f"{r['rate']:.1f}%"
                err.print(f"  {r['quota']} {r['region']}{level} {r['year']}年：{shown}", markup=False)
            if len(low) > 20:
                err.print(f"  ……另有 {len(low) - 20} 项", markup=False)
            raise typer.Exit(int(ExitStatus.FINDINGS))
