"""Options shared by every command, loading with clear errors, and name resolution."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from ..domain.programme.vocab import RegionNames, Resolved, UnitNames, did_you_mean
from ..load.datadir import ENV_VAR, DataFolderError, resolve_data_dir
from ..output.render import Format, console, text
from ..safetext import one_line

if TYPE_CHECKING:
    from ..domain.programme.city import Area
    from ..findings import ExitStatus
    from ..load.loader import Catalog

DataOption = Annotated[
    Path | None,
    typer.Option(
        "--data",
        envvar=ENV_VAR,
        show_envvar=True,
        file_okay=False,
        help="数据目录（含 programme.yaml、plans/、quotas/）。默认：当前目录下的 data/（若有），否则随程序安装的数据。",
        show_default=False,
    ),
]
ProgressOption = Annotated[
    Path | None,
    typer.Option(
        "--progress",
        envvar="SHIWANQIAN_PROGRESS",
        show_envvar=True,
        file_okay=False,
        help="进度填报目录（每个 .yaml 文件一份填报）。默认：当前目录下的 progress/（若有）。不能放在数据目录之内。",
        show_default=False,
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="输出格式：table（表格）、json、csv、markdown。")]
ExcelOption = Annotated[
    bool,
    typer.Option(
        "--excel",
        help="CSV 供 Excel/WPS 打开：UTF-8 BOM、CRLF 换行，以 = + - @ 开头的文字前加单引号以防被当作公式（意味着 --format csv）。",
    ),
]
YearOption = Annotated[
    int | None, typer.Option("--year", "-y", help="只看某一年（计划期内的年份）。", show_default=False)
]
PlanOption = Annotated[
    str | None, typer.Option("--plan", "-p", help="只看某个计划（编号见 shiwanqian plans）。", show_default=False)
]
PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="只看某一时期：年份（一年）、年份H1（上半年）、年份Q3（季度）、年份-03（月份）。",
        show_default=False,
    ),
]
FromOption = Annotated[
    str | None, typer.Option("--from", help="从某年或某月起：年份 或 年份-月份（如 -03）。", show_default=False)
]
ToOption = Annotated[
    str | None, typer.Option("--to", help="到某年或某月止：年份 或 年份-月份（如 -06）。", show_default=False)
]
ExactOption = Annotated[
    bool, typer.Option("--exact", help="--unit 只列写明该单位的任务，不含经统称共同承担或由所属单位承担的。")
]
DistrictOption = Annotated[
    str | None,
    typer.Option(
        "--district", "-d", help="区域：全称、简称、拼音或后来的名称（见数据目录的 regions.yaml）。", show_default=False
    ),
]


def names_in(values: list[str] | None) -> list[str]:
    """Names given as repeated options and/or separated by 、 , ，; in one value."""
    import re

    result: list[str] = []
    for value in values or []:
        result += [v.strip() for v in re.split(r"[、,，;；\s]+", value) if v.strip()]
    return result


def csv_for_excel(fmt: Format, excel: bool) -> Format:
    """``--excel`` means CSV (for Excel/WPS); with --format json or markdown it is a usage error."""
    if not excel:
        return fmt
    if fmt not in (Format.table, Format.csv):
        fail(f"--excel 只用于 CSV，不能与 --format {fmt.value} 同用")
    return Format.csv


# Exit statuses (``findings.ExitStatus``, not imported here: a query that succeeds never needs it).
USAGE, FINDINGS = 2, 1


def fail(message: str, status: ExitStatus | int = USAGE) -> NoReturn:
    # The message often quotes an argument or data (未知区域“[/]”): never read as markup.
    label = text("错误：", style="bold red")
    console(stderr=True).print(label + text(message))
    raise typer.Exit(int(status))


def require_suffix(out: Path, suffixes: list[str]) -> str:
    """The suffix of ``out`` (lower case) if it is one of ``suffixes``; else a usage error.

    A workbook saved as ``a.txt`` would open as garbage: the name decides the program that
    opens a file, so a wrong one is a mistake in the command, not something to write anyway.
    """
    suffix = out.suffix.lower()
    if suffix not in suffixes:
        fail(f"--out 应为 {'、'.join(suffixes)} 文件，而不是“{out.name}”")
    return suffix


def require_folder(folder: Path) -> None:
    """The folder an output goes into must exist, as for ``cp`` or ``curl -o``: a missing
    folder (a typo in the path, a drive not mounted) is an error that names it, exit 1,
    and nothing is written; the tool never creates a tree of folders on its own."""
    if folder.is_dir():
        return
    if folder.exists():
        fail(f"无法写入：{one_line(folder)} 不是文件夹。没有写入任何文件。", FINDINGS)
    fail(
        f"无法写入：文件夹 {one_line(folder)} 不存在（不会自动创建；请先创建它，或换一个输出位置）。没有写入任何文件。",
        FINDINGS,
    )


def write_outputs(files: dict[Path, str | bytes], *, echo: bool = True, new_folder: Path | None = None) -> None:
    """Write ``--out`` files through the one writer (all or none) and list them (``echo``); a
    failure is one Chinese sentence and exit 1. Every command that writes a file calls this.

    Each file's folder must exist (``require_folder``); only ``new_folder`` (the folder that
    ``schema --out`` names, the progress folder of ``progress import``) is made when missing,
    and then its own parent must exist."""
    from ..fileio import WriteError, write_files

    for folder in dict.fromkeys(path.parent for path in files):
        require_folder(
            folder.parent if new_folder is not None and folder == new_folder and not folder.exists() else folder
        )
    try:
        write_files(files)
    except WriteError as error:
        fail(str(error), FINDINGS)
    if echo:
        for path in files:
            typer.echo(one_line(path))


def note(message: str) -> None:
    console(stderr=True).print(text("提示：", style="yellow") + text(message))


def _data_root(data: Path | None) -> Path:
    try:
        return resolve_data_dir(data)
    except DataFolderError as error:
        fail(str(error))


def _stop_on_errors(errors: list) -> NoReturn:
    err = console(stderr=True)
    for problem in errors:
        err.print(text(problem.render()), highlight=False)
    fail(f"数据有 {len(errors)} 处错误，无法查询；请先修正（shiwanqian check 可列出全部问题）。", FINDINGS)


def progress_root(option: Path | None, data_root: Path | None, *, create: bool = False) -> Path | None:
    """The progress folder in use (None when there is none); a bad one is a usage error."""
    from ..load.progress import ProgressFolderError, resolve_progress_dir

    try:
        return resolve_progress_dir(option, data_root, create=create)
    except ProgressFolderError as error:
        fail(str(error))


def progress_for(
    option: Path | None, data_root: Path, programme: dict[str, Any] | None, *, writing: bool = False
) -> Path | None:
    """The progress folder in use for ``programme`` (None when there is none), by the record of
    the programme it belongs to (``domain.progress.owner``): another programme's folder picked up
    as ``./progress`` is left aside with a one-line notice, and refused when named (or when it
    would be written: ``writing``, for ``progress import``, which may create ``./progress``);
    a folder without a record (an earlier version's) is read as this programme's, with a
    notice when it was picked up implicitly. ``programme`` None: the data does not load, the
    folder is taken as it is."""
    from ..domain.progress.owner import describe, identity, verdict
    from ..load.progress import OWNER_FILE, named, read_owner

    folder = progress_root(option, data_root, create=writing)
    if folder is None or programme is None or not folder.is_dir():
        return folder
    owner, problems = read_owner(folder)
    if problems:  # reported with the folder's other problems
        return folder
    mine = identity(programme)
    found = verdict(owner, mine)
    shown = one_line(folder)
    if found == "foreign":
        assert owner is not None
        if writing or named(option):
            fail(
                f"进度目录 {shown} 属于另一个工程 {describe(owner)}（见其中的 {OWNER_FILE}），"
                f"不是当前数据的工程 {describe(mine)}；请用 --data 指向该工程的数据，或用 --progress 换一个进度目录"
            )
        note(f"{shown} 属于另一个工程 {owner['programme']}，已忽略（可用 --progress 指定）。")
        return None
    if found == "legacy" and not named(option) and not writing:
        note(f"{shown} 未记录所属工程，按本工程读取（progress adopt 可记下）。")
    return folder


def load_catalog(data: Path | None) -> Catalog:
    """Load the data folder; broken data stops a query with the located problems."""
    from ..domain.checks import run
    from ..load.loader import load

    catalog = load(_data_root(data))
    errors = [p for p in run(catalog) if p.severity == "error"]
    if errors or catalog.programme is None or catalog.regions is None or catalog.units is None:
        _stop_on_errors(errors)
    return catalog


def load_snapshot(data: Path | None) -> dict[str, Any]:
    """The query-ready snapshot of the data folder (see ``shiwanqian.storage.snapshot``)."""
    from ..storage.build import InvalidData
    from ..storage.snapshot import load_snapshot as load_

    try:
        return load_(_data_root(data))
    except InvalidData as error:
        _stop_on_errors(error.findings)


def resolve_region(catalog: Catalog, text: str) -> Resolved:
    return resolve_region_in(catalog.regions_model.regions, text, area_of(catalog))


def area_of(catalog: Catalog) -> Area:
    """The programme's word for its whole area (全市, 全县 …) and how users may type it."""
    from ..domain.programme.city import Area

    return Area.of(catalog.programme.model.vocabulary) if catalog.programme is not None else Area()


def means_city(text: str | None, area: Area | None = None) -> bool:
    """``--district 全市`` (or ``all``, ``quanshi``; a county's 全县, ``quanxian``): the whole
    area, as ``quota`` reads it."""
    from ..domain.programme.city import Area

    return (area or Area()).means(text)


def resolve_region_or_city(regions: Any, text: str | None, area: Area | None = None) -> str | None:
    """The region ``--district`` names, or None for the whole area (no --district, or 全市):
    for commands whose answer without --district is already the whole area."""
    if text is None or means_city(text, area):
        return None
    return resolve_region_in(regions, text, area).name


def resolve_region_in(regions: Any, text: str, area: Area | None = None) -> Resolved:
    """``regions``: region records, or names that resolve already (``snapshot.region_names``,
    which know the programme's word for the whole area)."""
    from ..domain.programme.city import Area

    names = regions if hasattr(regions, "resolve") else RegionNames(regions)
    area = area or getattr(names, "area", None) or Area()
    resolved = names.resolve(text)
    if resolved is None and area.means(text):
        fail(f"“{text}”不是单个区域：这个命令不写 --district 即为{area.word}。可用区域：{'、'.join(names.names)}")
    if resolved is None and area.other(text) is not None:
        fail(f"“{text}”不是本工程的区域：本工程的全域称为“{area.word}”。可用区域：{'、'.join(names.names)}")
    if resolved is None:
        fail(f"未知区域“{text}”" + names.did_you_mean(text) + f" 可用区域：{'、'.join(names.names)}")
    if resolved.note:
        note(resolved.note)
    return resolved


def resolve_unit(catalog: Catalog, text: str) -> str:
    return resolve_unit_in(catalog.units_model.units, text)


def resolve_unit_in(units: list, text: str) -> str:
    names = UnitNames(units)
    unit = names.resolve(text)
    if unit is None:
        fail(f"未知责任单位“{text}”" + names.did_you_mean(text))
    return unit


def check_plan(catalog: Catalog, plan: str | None) -> str | None:
    return check_plan_in([p.model.id for p in catalog.plans], plan, {q.model.id: q.model.plan for q in catalog.quotas})


def check_plan_in(ids: list[str], plan: str | None, tables: dict[str, str] | None = None) -> str | None:
    """The plan id ``plan`` names. A quota table's id (as JSON calls the tables) is accepted
    too: it stands for the plan the table belongs to, and a note says so."""
    if plan is None or plan in ids:
        return plan
    if tables and plan in tables:
        note(f"“{plan}”是名额表的编号，不是计划编号；它属于计划 {tables[plan]}。")
        return tables[plan]
    known = list(ids) + sorted(tables or {})
    fail(
        f"未知计划“{plan}”"
        + did_you_mean(plan, known)
        + f" 可用计划：{'、'.join(ids)}"
        + (f"；名额表：{'、'.join(sorted(tables))}" if tables else "")
    )


def check_year(catalog: Catalog, year: int | None) -> None:
    period = catalog.programme_model.period
    check_year_in((period.start, period.end), year)


def check_year_in(period: tuple[int, int] | list[int], year: int | None) -> None:
    start, end = period
    if year is not None and not start <= year <= end:
        fail(f"年份 {year} 不在工程期 {start}–{end} 内")


def date_window(
    programme: tuple[int, int] | list[int],
    *,
    period: str | None = None,
    start: str | None = None,
    end: str | None = None,
    year: int | None = None,
):
    """The window of days that --period, --from, --to (and --year) ask for; a usage error if unreadable."""
    from ..domain.programme.dates import WindowError, window

    try:
        return window(period=period, start=start, end=end, year=year, programme=programme)
    except WindowError as error:
        fail(str(error))
