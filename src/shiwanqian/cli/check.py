"""`shiwanqian check`: validate the data and cross-foot every number."""

from __future__ import annotations

import os
import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from ..findings import ExitStatus, Finding
from ..load.datadir import DataFolderError, resolve_data_dir
from ..output.render import console
from ..safetext import json_dumps, one_line
from .common import DataOption, ProgressOption, fail, progress_for

HELP = """校验全部数据：格式、引用、各项合计、年度安排与名额、比例之和、原文所述数量，以及引文是否出自原文。

错误逐条列出；已确认的原文矛盾（警告）只汇总为一行，--verbose 列出全文，--quiet 只列错误。

退出码：0 没有错误；1 有错误（--strict 时警告也算）；2 用法错误。

draft 提出的待核建议（review: proposed，用 shiwanqian review 核定）是带位置的警告；加 --strict、用 --format github 或在 CI 中（环境变量 CI 为真）时算作错误。

有进度填报目录（--progress、SHIWANQIAN_PROGRESS 或当前目录下的 progress/）时，一并核对填报：未知的区域、学段、名额表、事项或年份，工程期以外的日期，下降的累计数，重复填报（除非新报告写明 supersedes），超过名额与超过当年目标 2 倍（警告）。进度目录记录了它属于另一个工程时，当前目录下的 progress/ 不予核对（给出一行提示），用 --progress 指定的则报错。

示例：shiwanqian check；shiwanqian check --verbose；shiwanqian check --format github；shiwanqian check --data 草稿目录 --strict
"""


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def _github(finding: Finding) -> str:
    """A workflow command, escaped as GitHub's toolkit does: properties (file, title) with
    % CR LF : and , escaped, the message with % CR LF; so no file name or message can end the
    line or forge a command of its own (``::stop-commands::`` …)."""
    from ..safetext import github_data, github_property

    kind = "error" if finding.severity == "error" else "warning"
    return (
        f"::{kind} file={github_property(finding.file)},line={finding.line},col={finding.column},"
        f"title={github_property(finding.code)}::{github_data(finding.message)}"
    )


def command(
    data: DataOption = None,
    progress: ProgressOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="警告（已确认的原文矛盾、待核的建议）也视为失败。")] = False,
    fmt: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="text（默认）、json 或 github（GitHub Actions 注释）。")
    ] = CheckFormat.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="只列出错误：不列警告，也不输出结论行。")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="列出每个警告的全文（默认把已确认的原文矛盾汇总为一行）。")
    ] = False,
    child: Annotated[
        list[Path] | None,
        typer.Option(
            "--child",
            metavar="目录",
            file_okay=False,
            help="一并检查分解本工程的下级工程（如各县的工程）：下级的数据目录、含 data/ 的下级文件夹，或存放多个下级的文件夹；可重复。每个下级各区域之和须等于本工程分给它的数。",
            show_default=False,
        ),
    ] = None,
) -> None:
    try:
        root = resolve_data_dir(data)
    except DataFolderError as error:
        fail(str(error))
    from ..load.yamlpos import HAVE_LIBYAML

    if not HAVE_LIBYAML:
        console(stderr=True).print(
            "提示：当前 PyYAML 没有 libyaml 加速（CSafeLoader），读取会慢 5–7 倍；可安装带 libyaml 的 PyYAML。",
            markup=False,
        )
    if quiet and verbose:
        fail("--quiet 与 --verbose 不能同时使用")
    from ..load.progress import programme_of

    folder = progress_for(progress, root, programme_of(root))
    findings = _findings(root, folder)
    kids = _children(root, child or [], findings)
    if strict or fmt is CheckFormat.github or ci_mode():
        findings = proposals_as_errors(findings)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    shown = [f for f in findings if f.severity == "error"] if quiet else findings
    if fmt is CheckFormat.json:
        sys.stdout.write(json_dumps([f.as_dict() for f in shown], indent=2) + "\n")
    elif fmt is CheckFormat.github:
        sys.stdout.write("".join(_github(f) + "\n" for f in shown))
    else:
        sys.stdout.write(_text(shown, verbose=verbose))
        if not quiet:
            verdict = "通过" if errors == 0 and not (strict and warnings) else "未通过"
            where = f"数据目录 {one_line(root)}" + (f"，进度目录 {one_line(folder)}" if folder is not None else "")
            where += f"，下级工程 {len(kids)} 个" if kids else ""
            sys.stdout.write(f"\n检查{verdict}：{errors} 个错误，{warnings} 个警告（{where}）\n")
    failed = errors > 0 or (strict and warnings > 0)
    raise typer.Exit(int(ExitStatus.FINDINGS if failed else ExitStatus.OK))


def _findings(root: Path, folder: Path | None) -> list[Finding]:
    """The data folder's findings (and its progress folder's); a programme that refines a
    parent is held to the parent's numbers."""
    from ..domain.checks import check_folder, run
    from ..load.loader import load
    from .family import refinement

    if folder is None:  # file by file: only one file's models in memory at a time
        return check_folder(root, refinement)[1]
    catalog = load(root)  # progress reports are checked against every plan and table
    findings = run(catalog, refinement)
    return findings + progress_findings(catalog, findings, folder)


def _children(root: Path, paths: list[Path], findings: list[Finding]) -> list[Path]:
    """``--child``: each child's own findings and its sums against this programme, added to
    ``findings``; the children's data folders."""
    from ..domain.checks import check_folder
    from .family import children, refinement_under

    found = children(paths)
    held = refinement_under(root)
    for kid in found:
        findings.extend(check_folder(kid.data, held)[1])
    if found:
        findings.sort(key=lambda f: (f.file, f.line, f.column, f.code, f.message))
    return [kid.data for kid in found]


def ci_mode() -> bool:
    """Whether the run is in CI (the variable every CI service sets): there, a proposal nobody
    has confirmed fails the check instead of passing as a warning."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


def proposals_as_errors(findings: list[Finding]) -> list[Finding]:
    from ..domain.checks.proposals import PROPOSED

    return [
        replace(f, severity="error", message=f"{f.message}（--strict 或 CI 中，待核的建议算作错误）")
        if f.code == PROPOSED
        else f
        for f in findings
    ]


def progress_findings(catalog, data_findings: list[Finding], folder) -> list[Finding]:
    """The progress folder's problems; cross-checked against the data only when the data is sound."""
    from ..domain.progress.basis import basis_of
    from ..domain.progress.validate import check_progress
    from ..load.progress import load_progress

    progress = load_progress(folder)
    sound = (
        not any(f.severity == "error" for f in data_findings)
        and catalog.programme is not None
        and catalog.regions is not None
        and catalog.units is not None
    )
    if not sound:
        return list(progress.problems)
    return check_progress(progress, basis_of(catalog))


def _text(findings: list[Finding], *, verbose: bool) -> str:
    """Errors and new warnings in full; acknowledged disagreements as one line unless verbose.

    The acknowledged ones are the same on every run (the document contradicts itself and the
    data records it); printed in full they would bury the one line that matters.
    """
    known = [f for f in findings if f.acknowledged_by and f.severity == "warning" and not verbose]
    lines = [f.render() for f in findings if f not in known]
    if known:
        lines.append(f"警告：{len(known)} 处已确认的原文矛盾（登记在 disagreements.yaml）；--verbose 列出全文。")
    return "".join(line + "\n" for line in lines)
