"""`shiwanqian progress`: 达成度 of every quota table, the tasks due, the ranking of regions;
`progress import`: returned fill-in workbooks into progress reports."""

from __future__ import annotations

import datetime as dt
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..findings import ExitStatus
from ..output.render import Format, console, print_records, print_sections
from .common import (
    DataOption,
    DistrictOption,
    ExcelOption,
    FormatOption,
    PlanOption,
    ProgressOption,
    YearOption,
    _data_root,
    _stop_on_errors,
    check_plan_in,
    check_year_in,
    csv_for_excel,
    fail,
    load_snapshot,
    progress_for,
    require_suffix,
    resolve_region_in,
    resolve_unit_in,
)

if TYPE_CHECKING:
    from ..domain.progress.importing import Outcome
    from ..domain.progress.workbook import Returned

HELP = """达成度：各名额表按区域、学段、年度的目标与填报的完成数（达成度 = 实际完成 ÷ 目标，保留一位小数），到期任务的完成情况与逾期事项，以及各区域当年达成度排名——年中督查、年末考核评估所需。

目标取文件给出的年度安排；文件只给年度比例时，取受控取整的年度分配（shiwanqian allocate）。状态：达成、超额、滞后（当年已结束而未达到）、进行中（当年未结束）、未填报。

填报记录在进度目录（--progress、SHIWANQIAN_PROGRESS 或当前目录下的 progress/）；填报有错误时拒绝作答。

示例：shiwanqian progress --district 区域名 --as-of 年份-12-31；shiwanqian progress --year 年份 --fail-under 90；shiwanqian progress --out 达成度.html；shiwanqian progress import 填报.xlsx
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


def load_progress_for(basis: dict[str, Any], folder: Path | None, as_of: dt.date | None):
    """The cells in force as of ``as_of`` (default: the latest report's date, else today) and
    that date; a progress folder with errors stops the query with every problem."""
    from ..domain.progress.cells import Cells, latest, resolve
    from ..domain.progress.validate import check_progress
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


def _not_negative(value: float | None) -> float | None:
    if value is not None and value < 0:
        raise typer.BadParameter(f"百分比不能为负：{value:g}")
    return value


ChildOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--child",
        metavar="目录",
        file_okay=False,
        help="一并读取分解本工程的下级工程（如各县）及其进度目录（下级文件夹中与 data/ 并列的 progress/），在各区域的数字后列出其下级各单位；可重复，也可是存放多个下级的文件夹。",
        show_default=False,
    ),
]


@app.callback()
def command(
    ctx: typer.Context,
    district: DistrictOption = None,
    unit: Annotated[
        str | None, typer.Option("--unit", "-u", help="只看某责任单位的任务，如 市教师培训中心。", show_default=False)
    ] = None,
    year: YearOption = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="截至日期，如 2018-06-30（年中督查）或 2018-12-31（年末考核）。默认：最新一份填报的截至日期，没有填报时为今天。",
            show_default=False,
        ),
    ] = None,
    plan: PlanOption = None,
    fail_under: Annotated[
        float | None,
        typer.Option(
            "--fail-under",
            metavar="<百分比>",
            callback=_not_negative,
            help="有任何已到期的达成度低于此百分比（或有目标却未填报）时以退出码 1 结束，如 90。",
            show_default=False,
        ),
    ] = None,
    what: Annotated[
        list[What] | None,
        typer.Option(
            "--what",
            metavar="<quotas|tasks|ranking>",
            help="只输出 quotas（名额达成度）、tasks（到期任务）或 ranking（排名），可重复；CSV 默认 quotas。",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            dir_okay=False,
            help="写出一页可打印（A4）的 HTML 报告，含柱状图、逾期任务与排名。",
            show_default=False,
        ),
    ] = None,
    progress: ProgressOption = None,
    data: DataOption = None,
    fmt: FormatOption = Format.table,
    excel: ExcelOption = False,
    child: ChildOption = None,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    fmt = csv_for_excel(fmt, excel)
    if out is not None:
        require_suffix(out, [".html", ".htm"])
    from ..domain.progress.report import progress_report
    from ..storage.names import region_names, units_of

    root = _data_root(data)
    snapshot = load_snapshot(data)
    folder = progress_for(progress, root, snapshot["programme"])
    basis = snapshot["progress"]
    region = resolve_region_in(region_names(snapshot), district).name if district is not None else None
    unit_name = resolve_unit_in(units_of(snapshot), unit) if unit is not None else None
    check_plan_in([p["plan"] for p in snapshot["plans"]], plan)
    check_year_in(snapshot["programme"]["period"], year)
    cells, when = load_progress_for(basis, folder, parse_date(as_of, "--as-of"))
    report = progress_report(basis, cells, region=region, unit=unit_name, plan=plan, year=year, as_of=when)
    children = _children(child, root, basis, region=region, plan=plan, year=year, as_of=when) if child else None
    chosen = set(what or ([What.quotas] if fmt is Format.csv else list(What)))
    _show(report, basis, snapshot, chosen, fmt=fmt, excel=excel, out=out, folder=folder, children=children)
    if fail_under is not None:
        _fail_under(report, children, fail_under, when)


def _show(
    report: dict[str, Any],
    basis: dict[str, Any],
    snapshot: dict[str, Any],
    chosen: set[What],
    *,
    fmt: Format,
    excel: bool,
    out: Path | None,
    folder: Path | None,
    children: list[dict[str, Any]] | None,
) -> None:
    """The report as the HTML page, JSON, CSV or the tables (with the units behind the regions
    when ``children`` were read)."""
    from ..load.progress import DEFAULT

    region = report["region"]
    if children is not None and (out is not None or fmt is Format.csv):
        console(stderr=True).print("提示：下级各单位的数字只在表格、Markdown 与 JSON 中列出。", markup=False)
    if out is not None:
        from ..output.progress_html import page
        from .common import write_outputs

        write_outputs({out: page(report, basis, snapshot["programme"]["title"]).encode("utf-8")})
    elif fmt is Format.json:
        from ..domain.progress.report import without_totals
        from ..safetext import json_dumps

        payload: dict[str, Any] = {"as_of": report["as_of"], "region": region}
        for key in (What.quotas, What.tasks, What.ranking):
            if key in chosen:
                payload[key.value] = (
                    without_totals(report["quotas"], basis) if key is What.quotas else report[key.value]
                )
            if key is What.quotas and key in chosen:
                payload["doubts"] = report["doubts"]  # the figures shown as 待核, with the reasons
        if children is not None and What.quotas in chosen:
            payload["children"] = children
        sys.stdout.write(json_dumps(payload, indent=2) + "\n")
    elif fmt is Format.csv:
        _csv(report, basis, chosen, excel)
    else:
        from ..output.progress import quota_sections, sections

        shown = sections(report, basis, {k.value for k in chosen})
        if children is not None and What.quotas in chosen:
            from ..output.progress_units import unit_sections

            at = len(quota_sections(report, basis))
            shown = shown[:at] + unit_sections(report, basis, children) + shown[at:]
        print_sections(shown, fmt)
        if folder is None and not DEFAULT.is_dir():  # a ./progress of another programme was named already
            console(stderr=True).print(
                "提示：没有进度目录（--progress、SHIWANQIAN_PROGRESS 或 ./progress），所有完成数显示为未填报。",
                markup=False,
            )


def _csv(report: dict[str, Any], basis: dict[str, Any], chosen: set[What], excel: bool) -> None:
    from ..domain.progress.report import without_totals

    if len(chosen) != 1:
        fail("CSV 一次只能输出一种记录：--what quotas、--what tasks 或 --what ranking")
    key = next(iter(chosen))
    if key is What.quotas:
        records = without_totals(report["quotas"], basis)
    elif key is What.tasks:
        records = report["tasks"]
    else:
        records = [
            {
                "rank": r["rank"],
                "region": r["region"],
                "year": report["ranking"]["year"],
                "rate": r["rate"],
                **{f"rate:{q}": v for q, v in r["rates"].items()},
            }
            for r in report["ranking"]["rows"]
        ]
    print_records(records, Format.csv, excel=excel)


def _fail_under(report: dict[str, Any], children: list[dict[str, Any]] | None, threshold: float, when: dt.date) -> None:
    """Exit 1 when any figure due by ``when`` is under ``threshold``: the regions', and the
    units' behind them when the children were read."""
    from ..domain.progress.report import below
    from ..domain.refine.rollup import units_below

    lines = []
    for r in below(report["quotas"], threshold, when):
        level = f" {r['level']}" if r["level"] else ""
        shown = "未填报" if r["actual"] is None else f"{r['rate']:.1f}%"
        lines.append(f"  {r['quota']} {r['region']}{level} {r['year']}年：{shown}")
    for child in children or []:
        for r in units_below(child["quotas"], threshold, when):
            level = f" {r['level']}" if r["level"] else ""
            shown = "未填报" if r["actual"] is None else f"{r['rate']:.1f}%"
            lines.append(f"  {r['quota']} {r['region']}·{r['unit']}{level} {r['year']}年：{shown}")
    if not lines:
        return
    err = console(stderr=True)
    err.print(f"达成度低于 {threshold:g}% 的有 {len(lines)} 项（截至 {when.isoformat()}）：", markup=False)
    for line in lines[:20]:
        err.print(line, markup=False)
    if len(lines) > 20:
        err.print(f"  ……另有 {len(lines) - 20} 项", markup=False)
    raise typer.Exit(int(ExitStatus.FINDINGS))


def _children(
    paths: list[Path],
    root: Path,
    basis: dict[str, Any],
    *,
    region: str | None,
    plan: str | None,
    year: int | None,
    as_of: dt.date,
) -> list[dict[str, Any]]:
    """Each child's units behind its region (``--child``): the child's own data and progress
    folder, its records labelled with this programme's tables and the region it refines."""
    from ..domain.refine.rollup import unit_records
    from ..safetext import one_line
    from .family import children

    tables = {t["id"] for t in basis["tables"] if plan is None or t["plan"] == plan}
    found = []
    for kid in children(paths):
        snapshot = load_snapshot(kid.data)
        link = snapshot["programme"].get("parent")
        if link is None:
            fail(f"--child {one_line(kid.data)} 不是下级工程（其 programme.yaml 没有写明上级 parent）")
        target = kid.data / link["data"]
        if not target.is_dir() or target.resolve() != root.resolve():
            fail(f"下级工程 {one_line(kid.data)} 的上级是 {link['data']}，不是本数据目录 {one_line(root)}")
        if region is not None and link["region"] != region:
            continue
        folder = progress_for(kid.progress, kid.data, snapshot["programme"]) if kid.progress else None
        cells, _ = load_progress_for(snapshot["progress"], folder, as_of)
        found.append(
            {
                "region": link["region"],
                "programme": snapshot["programme"]["name"],
                "data": str(kid.data),
                "progress": str(folder) if folder is not None else None,
                "quotas": unit_records(
                    snapshot["progress"], cells, region=link["region"], tables=tables, year=year, as_of=as_of
                ),
            }
        )
    return found


@app.command(
    "import",
    short_help="导入交回的填报工作簿（逐格报告问题，有问题时不写入）。",
    help="导入各县市区交回的填报工作簿（shiwanqian export template 导出）：逐格检查（数字格中的文字、负数、未知的行、被改动的目标、别的区域或年份的工作簿……），每个问题报告为“文件.xlsx!工作表!单元格: 原因”；有任何问题时什么也不写入。超过名额或超过当年目标 2 倍的数字照常导入，但列为“待核”：progress 中显示为待核（不算超额），直到核实后用 --confirm 重新导入。“实际完成”须为不小于 0 的整数；写成文字的数字（如 '113、全角１１３）照样按数字读入，并在导入摘要中逐格列出。没有问题时把每个工作簿写成进度目录中的一个 YAML 文件（先写临时文件再改名），并列出与已有记录相比的变化；同一工作簿重复导入不会改变任何内容。同一区域同一年份较晚的截至日期取代较早的填报（年中督查 → 年末考核）。\n\n没有进度目录时创建 ./progress。\n\n示例：shiwanqian progress import 区域一-年份.xlsx 区域二-年份.xlsx；shiwanqian progress import 区域-年份.xlsx --district 区域名 --year 年份",
)
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="工作簿.xlsx", exists=True, dir_okay=False, help="交回的 .xlsx 工作簿，可多个。", show_default=False
        ),
    ],
    district: Annotated[
        str | None, typer.Option("--district", "-d", help="只接受这个区域的工作簿。", show_default=False)
    ] = None,
    year: Annotated[int | None, typer.Option("--year", "-y", help="只接受这一年的工作簿。", show_default=False)] = None,
    confirm: Annotated[
        bool,
        typer.Option(
            "--confirm",
            help="确认这些工作簿中的待核数字（超过名额或超过当年目标 2 倍的）已经核实无误：记为 confirmed: true，不再显示为待核。",
        ),
    ] = False,
    progress: ProgressOption = None,
    data: DataOption = None,
) -> None:
    from ..domain.progress.importing import plan_import
    from ..load.progress import load_progress
    from ..output.progress_yaml import report_text
    from ..storage.names import region_names

    root = _data_root(data)
    snapshot = load_snapshot(data)
    folder = progress_for(progress, root, snapshot["programme"], writing=True)
    assert folder is not None  # for writing there is always a folder (made when missing)
    basis = snapshot["progress"]
    region = resolve_region_in(region_names(snapshot), district).name if district is not None else None
    check_year_in(snapshot["programme"]["period"], year)
    titles = {p["plan"]: p["title"] for p in snapshot["plans"]}
    err = console(stderr=True)
    returned = _read_workbooks(files, basis, titles, region=region, year=year)
    held = load_progress(folder) if folder.is_dir() else None
    ready = [
        (r.region, r.year, r.report)
        for r in returned
        if r.region is not None and r.year is not None and r.report is not None
    ]
    assert len(ready) == len(returned)  # a workbook read without problems has all three
    outcome = plan_import(held, folder, ready, basis, report_text, confirm=confirm)
    if outcome.findings:
        for finding in outcome.findings:
            err.print(finding.render(), markup=False, highlight=False)
        fail("导入后的进度记录有错误，没有导入任何内容。", ExitStatus.FINDINGS)
    from .common import write_outputs

    writes = dict(outcome.writes)
    owner = _owner_record(folder, snapshot["programme"])
    if owner is not None:
        writes[owner[0]] = owner[1]
    # All or none: a failure part-way never leaves some reports imported and others not.
    write_outputs({path: text.encode("utf-8") for path, text in writes.items()}, echo=False, new_folder=folder)
    _print_imported(owner, outcome, [line for r in returned for line in r.notes])
    _print_doubts(outcome.doubts, {t["id"]: t["title"] for t in basis["tables"]})


def _read_workbooks(
    files: list[Path], basis: dict[str, Any], titles: dict[str, str], *, region: str | None, year: int | None
) -> list[Returned]:
    """Every returned workbook read and checked; with any problem (in any of them, or two of one
    region, year and date), every problem is printed and nothing is imported."""
    from ..domain.progress.workbook import WIDTH, read_returned
    from ..load.workbook import read_sheets

    returned = [
        read_returned(path.name, *read_sheets(path, WIDTH), basis, titles, expect_region=region, expect_year=year)
        for path in files
    ]
    problems = [p for r in returned for p in r.problems]
    seen: dict[tuple, str] = {}
    for r in returned:
        if r.report is not None:
            key = (r.region, r.year, r.report["as_of"])
            if key in seen:
                problems.append(f"{r.file}: 与 {seen[key]} 是同一区域、同一年份、同一截至日期的填报，只能导入其中一个")
            seen[key] = r.file
    if problems:
        err = console(stderr=True)
        for line in problems:
            err.print(line, markup=False, highlight=False)
        fail(f"{len(problems)} 处问题，没有导入任何内容；请修改工作簿后重新导入。", ExitStatus.FINDINGS)
    return returned


def _print_imported(owner: tuple[Path, str, str] | None, outcome: Outcome, notes: list[str]) -> None:
    """What the import wrote, the text digits it read as numbers, and what changed."""
    out = console()
    if owner is not None:
        out.print(f"{owner[0]}：新建（{owner[2]}）", markup=False, highlight=False)
    for path, state in outcome.files:
        out.print(f"{path}：{state}", markup=False, highlight=False)
    if notes:
        out.print(f"写成文字的数字（{len(notes)} 处）已按数字读入，请核对：", markup=False)
        for line in notes:
            out.print(f"  {line}", markup=False, highlight=False)
    if outcome.changes:
        out.print(f"与已有记录相比的变化（{len(outcome.changes)} 项）：", markup=False)
        for line in outcome.changes:
            out.print(f"  {line}", markup=False, highlight=False)
    else:
        out.print("与已有记录相比没有变化。", markup=False)


def _owner_record(folder: Path, programme: dict[str, Any]) -> tuple[Path, str, str] | None:
    """(path, text, what it says) of the record of the programme a progress folder belongs to,
    when the folder has none yet (a new folder, or one an earlier version wrote)."""
    from ..domain.progress.owner import identity
    from ..load.progress import OWNER_FILE
    from ..output.progress_yaml import owner_text

    path = folder / OWNER_FILE
    if path.exists():
        return None
    mine = identity(programme)
    return path, owner_text(mine), f"所属工程 {mine['programme']}"


def _print_doubts(doubts: list, titles: dict[str, str]) -> None:
    """The import summary's list of doubtful figures: waiting (待核) or confirmed."""
    from ..domain.progress.doubt import FAR, lines

    out = console()
    waiting = [d for d in doubts if not d.confirmed]
    confirmed = [d for d in doubts if d.confirmed]
    for group, head in (
        (waiting, f"待核 {len(waiting)} 项（超过名额或超过当年目标 {FAR} 倍，progress 中显示为待核）："),
        (confirmed, f"已确认 {len(confirmed)} 项（confirmed，照常计算）："),
    ):
        if not group:
            continue
        out.print(head, markup=False)
        for doubt in group:
            figure, why = lines(doubt, titles)
            out.print(f"  {figure}\n    {why}", markup=False, highlight=False)
    if waiting:
        out.print("核实有误：改正工作簿后重新导入；核实无误：加 --confirm 重新导入。", markup=False)


@app.command(
    "adopt",
    short_help="记下进度目录属于当前数据的工程（早期版本写出的目录）。",
    help="在进度目录中写入 programme.yaml，记下它属于当前数据的工程（编号、文号、计划期）。progress import 会自动写入；早期版本写出的进度目录没有这项记录，按属于当前工程读取，当前目录下的 progress/ 还会给出提示——确属本工程时用本命令记下。先核对全部填报，有错误时什么也不写；目录已记录了另一个工程时拒绝。\n\n示例：shiwanqian progress adopt；shiwanqian progress adopt --progress 进度目录 --data 数据目录",
)
def adopt(progress: ProgressOption = None, data: DataOption = None) -> None:
    from ..domain.progress.owner import describe, identity
    from ..domain.progress.validate import check_progress
    from ..load.progress import load_progress

    root = _data_root(data)
    snapshot = load_snapshot(data)
    folder = progress_for(progress, root, snapshot["programme"], writing=True)
    assert folder is not None
    if not folder.is_dir():
        fail(f"进度目录不存在：{folder}")
    errors = [f for f in check_progress(load_progress(folder), snapshot["progress"]) if f.severity == "error"]
    if errors:
        err = console(stderr=True)
        for finding in errors:
            err.print(finding.render(), markup=False, highlight=False)
        fail(
            f"进度目录中的填报有 {len(errors)} 处错误，没有写入；请先修正（shiwanqian check 可列出全部问题）。",
            ExitStatus.FINDINGS,
        )
    record = _owner_record(folder, snapshot["programme"])
    if record is None:
        console().print(
            f"{folder} 已记录属于工程 {describe(identity(snapshot['programme']))}，没有变化。", markup=False
        )
        return
    from .common import write_outputs

    write_outputs({record[0]: record[1].encode("utf-8")}, echo=False)
    console().print(f"{record[0]}：新建（{record[2]}）", markup=False, highlight=False)
