"""`shiwanqian draft SOURCE --out DIR`: a first data folder drafted from a programme's text."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..findings import ExitStatus
from ..output.render import console
from .common import fail, require_folder

# Typer reads help as rich markup: the square brackets of an extra are escaped (\\[draft]).
HELP = """从计划文件原文起草一份数据目录：programme.yaml、regions.yaml、units.yaml、每个附件一个计划文件（任务的事项、实施时间、工作要求、责任单位）、按区域分解的名额表与年度比例、写明范围（全市、各县市区……）的其他数字指标，以及原文 source.txt。每个值都带有原文引文，check 会像核对手工数据一样核对它；未能确定的内容不写入数据，列在 DIR/待核.md（带行号）。写有数字、但没有写明范围或年份的句子，按最可能的读法写成建议的指标，标为待核（review: proposed，写明理由），查询中标“待核”，由 shiwanqian review 逐条核定。

支持纯文本（UTF-8 或 GB18030，自动识别）、Word（.docx）和有文字层的 PDF；读取 .docx、PDF 需要可选依赖：pip install 'shiwanqian\\[draft]'。扫描件 PDF 会被拒绝。

输出目录须不存在或为空（--force 时整体替换）；全部文件写好后才一次放到位，中途失败不会留下半个目录。

示例：shiwanqian draft 文件.docx --out 草稿；shiwanqian check --data 草稿；shiwanqian quota --district 区域名 --data 草稿
"""


def command(
    source: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, show_default=False, help="计划文件原文：.txt、.docx 或 .pdf。"
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", file_okay=False, show_default=False, help="要写入的数据目录（须不存在或为空）。"),
    ],
    force: Annotated[bool, typer.Option("--force", help="输出目录已有内容时整体替换。")] = False,
) -> None:
    from ..domain.checks import run
    from ..domain.draft import DraftError, draft
    from ..domain.draft.emit import files
    from ..domain.draft.inputs import InputError, read_document
    from ..domain.draft.review import PROPOSALS
    from ..fileio import write_tree
    from ..load.loader import load

    if out.exists() and not out.is_dir():
        fail(f"输出位置 {out} 已存在，且不是文件夹")
    require_folder(out.parent)  # the draft folder is made, the folder it goes in is not
    if out.is_dir() and any(out.iterdir()) and not force:
        fail(f"输出目录 {out} 已存在且不为空；如要整体替换，请加 --force")
    if force and out.is_dir() and out.resolve() in source.resolve().parents:
        fail(f"原文 {source} 在输出目录 {out} 之中，--force 会把它删掉；请换一个输出目录")
    try:
        text, kind = read_document(source)
        result = draft(text)
    except (InputError, DraftError) as error:
        fail(str(error), ExitStatus.FINDINGS)
    try:
        write_tree(out, files(result, text), replace=force)
    except OSError as error:
        fail(f"无法写入 {out}：{error.strerror or error}", ExitStatus.FINDINGS)
    findings = run(load(out))
    errors = [f for f in findings if f.severity == "error"]
    err = console(stderr=True)
    for finding in errors:
        err.print(finding.render(), markup=False, highlight=False)
    stdout = console()
    stdout.print(
        f"已从{kind}起草 {out}：计划 {len(result.plans)} 个，任务 {result.tasks_found} 项，"
        f"名额表 {len(result.quotas)} 张，区域 {len(result.regions)} 个，责任单位 {len(result.units)} 个。",
        markup=False,
        highlight=False,
    )
    proposed = sum(1 for item in result.review if item.section == PROPOSALS)
    listed = sum(1 for item in result.review if item.section) - proposed
    more = f"（另有未写明范围或年份的数字要求 {listed} 处）" if listed else ""
    offered = f"建议的指标 {proposed} 条（原文没有写明其范围、年份或数值，已写入数据、标为待核），" if proposed else ""
    stdout.print(
        f"{offered}待核 {len(result.review) - listed - proposed} 项{more}，见 {out / '待核.md'}；"
        f"check：{len(errors)} 个错误，{len(findings) - len(errors)} 个警告。",
        markup=False,
        highlight=False,
    )
    if proposed:
        stdout.print(f"用 shiwanqian review {out} 逐条核定建议（--list 列出）。", markup=False, highlight=False)
    raise typer.Exit(int(ExitStatus.FINDINGS if errors else ExitStatus.OK))
