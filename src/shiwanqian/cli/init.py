"""`shiwanqian init DIR`: a new, empty programme that passes `check` at once."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..findings import ExitStatus
from .common import fail, names_in

HELP = """新建一个工程的数据目录：工程信息（文件名称、文号、计划期、学段）、区域、责任单位、原文矛盾登记、原文（source.txt）、计划与名额表的模板，以及编辑器用的 JSON Schema。每个文件的注释说明各部分写在哪里；新目录立即可以通过 check。

没有给出的选项在终端中逐项询问；不在终端中运行（如 CI）时须全部给出。目录已存在且不是空的，则什么也不写。

下级工程（县里分解市里分给本县的名额）：--parent 上级数据目录 --region 上级中本县的名称 --units 各乡镇与县直学校。新目录写明上级，计划期与学段取自上级，每张分给本县名额的上级表各有一张名额表（写明 refines，注释中列出上级给本县的各数）；填好各单位的分解后即可通过 check，init 会列出还须填写的内容。

示例：shiwanqian init 新工程 --title 文件名称 --issuer 发文单位 --document 文号 --start 年份 --end 年份 --region 区域一 --region 区域二 --level 学段一 --level 学段二；shiwanqian init 县工程 --parent 市数据目录 --region 县名 --units 甲镇、乙镇、县直学校
"""


def _interactive() -> bool:
    return sys.stdin.isatty()


def _names(values: list[str] | None) -> list[str]:
    return names_in(values)


def command(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="新数据目录（不存在或为空）。", file_okay=False)],
    title: Annotated[str | None, typer.Option("--title", help="文件名称，逐字照抄。", show_default=False)] = None,
    issuer: Annotated[str | None, typer.Option("--issuer", help="发文单位。", show_default=False)] = None,
    document: Annotated[str | None, typer.Option("--document", help="文号。", show_default=False)] = None,
    start: Annotated[int | None, typer.Option("--start", help="计划期的第一年。", show_default=False)] = None,
    end: Annotated[int | None, typer.Option("--end", help="计划期的最后一年。", show_default=False)] = None,
    region: Annotated[
        list[str] | None,
        typer.Option(
            "--region",
            metavar="区域",
            help="区域名称，可重复给出，或在一个值中用顿号分隔；与 --parent 同用时为所分解的上级区域（一个）。",
            show_default=False,
        ),
    ] = None,
    level: Annotated[
        list[str] | None,
        typer.Option(
            "--level", metavar="学段", help="学段名称，可重复给出，或在一个值中用顿号分隔。", show_default=False
        ),
    ] = None,
    parent: Annotated[
        Path | None,
        typer.Option(
            "--parent",
            metavar="目录",
            file_okay=False,
            help="下级工程：所分解的上级工程的数据目录（如市里的 data）；计划期与学段取自上级。",
            show_default=False,
        ),
    ] = None,
    units: Annotated[
        list[str] | None,
        typer.Option(
            "--units",
            metavar="单位",
            help="与 --parent 同用：本级的各单位（乡镇、街道、县直学校……），可重复给出，或用顿号、逗号分隔。",
            show_default=False,
        ),
    ] = None,
) -> None:
    if parent is not None:
        from .init_child import create_child

        if start is not None or end is not None or level:
            fail("与 --parent 同用时，计划期与学段取自上级，不能再给 --start、--end、--level")
        create_child(folder, _interactive(), parent, _names(region), _names(units), title, issuer, document)
        return
    if units:
        fail("--units 只与 --parent 同用（下级工程）；新建一般工程时区域用 --region 给出")
    _create(folder, title, issuer, document, start, end, region, level)


def _create(
    folder: Path,
    title: str | None,
    issuer: str | None,
    document: str | None,
    start: int | None,
    end: int | None,
    region: list[str] | None,
    level: list[str] | None,
) -> None:
    from ..domain.checks import run
    from ..fileio import write_tree
    from ..load.loader import load
    from ..output.scaffold import NewProgramme, files

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        fail(f"{folder} 已存在且不是空目录；init 不会改动已有的文件，请换一个目录名。", ExitStatus.FINDINGS)
    interactive = _interactive()
    missing = [
        name
        for name, value in (
            ("--title", title),
            ("--issuer", issuer),
            ("--document", document),
            ("--start", start),
            ("--end", end),
            ("--region", region),
            ("--level", level),
        )
        if not value
    ]
    if missing and not interactive:
        fail(f"缺少选项：{'、'.join(missing)}（不在终端中运行时须全部给出）")
    ask = typer.prompt
    title = title or ask("文件名称")
    issuer = issuer or ask("发文单位")
    document = document or ask("文号")
    start = start or ask("计划期的第一年", type=int)
    end = end or ask("计划期的最后一年", type=int)
    regions = _names(region) or _names([ask("区域（用顿号分隔）")])
    levels = _names(level) or _names([ask("学段（用顿号分隔）")])
    problems = []
    if not all(1900 <= y <= 2100 for y in (start, end)) or end < start:
        problems.append(f"计划期 {start}–{end} 不合理（年份在 1900–2100 之间，且不早于第一年）")
    for what, names in (("区域", regions), ("学段", levels)):
        if not names:
            problems.append(f"至少要有一个{what}")
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            problems.append(f"{what}重复：{'、'.join(duplicates)}")
    if not all(text.strip() for text in (title, issuer, document)):
        problems.append("文件名称、发文单位、文号都不能为空")
    if problems:
        fail("；".join(problems))
    programme = NewProgramme(
        folder.name or "programme",
        title.strip(),
        issuer.strip(),
        document.strip(),
        start,
        end,
        tuple(regions),
        tuple(levels),
    )
    try:
        write_tree(folder, files(programme))
    except OSError as error:
        fail(f"无法写入 {folder}：{error.strerror or error}", ExitStatus.FINDINGS)
    findings = run(load(folder))
    errors = [f for f in findings if f.severity == "error"]
    for finding in errors:
        typer.echo(finding.render(), err=True)
    if errors:  # a defect of init itself: say so rather than leave a folder that fails
        fail(f"新目录 {folder} 没有通过 check（{len(errors)} 个错误），这是程序缺陷，请报告。", ExitStatus.FINDINGS)
    typer.echo(
        f"已新建 {folder}：{len(regions)} 个区域、{len(levels)} 个学段、计划期 {start}–{end}，check 通过。\n"
        f"下一步：把原文全文粘贴到 {folder / 'source.txt'}，照 plans/、quotas/ 中的模板添加计划和名额表，"
        f"然后运行 shiwanqian check --data {folder}。"
    )
