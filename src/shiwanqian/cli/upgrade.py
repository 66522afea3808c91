"""`shiwanqian upgrade DIR`: a data folder written for an older version, in today's format."""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..findings import ExitStatus
from ..safetext import one_line
from .common import fail

if TYPE_CHECKING:
    from ..domain.revision.upgrade import Upgrade
    from ..load.loader import Catalog

HELP = """把为旧版本写的数据目录改写为当前版本的格式，不改动原文所说的任何内容：按当前的数据模型重新生成目录中的 JSON Schema（schemas/），给缺少的数据文件补上第一行的 Schema 说明，为只有旧版本的宽松核对规则才接受的数补写 derived（写明它如何由引文得出）。改写直接编辑 YAML 文字，注释与排版保持原样。

逐条列出每处改写；写入之前先在旁边的临时目录中改写，核对 diff 与改写前相比没有含义上的变化、check 没有新的问题，再一次写入全部文件（要么全部写好，要么全部保持原样）。无法自动改写的旧格式警告列在最后，须由人处理。

--check：只列出需要改写的内容，不写入；有需要改写的内容时退出码为 1（供 CI 使用）。

示例：
  shiwanqian upgrade 旧数据目录
  shiwanqian upgrade 旧数据目录 --check
"""


def command(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="要升级的数据目录（含 programme.yaml）。", file_okay=False)
    ],
    check: Annotated[bool, typer.Option("--check", help="只列出需要改写的内容，不写入（有则退出码为 1）。")] = False,
) -> None:
    from ..domain.checks import run
    from ..domain.revision.facts import OLD_FORMAT_CODES
    from ..domain.revision.upgrade import plan
    from ..load.loader import load

    root = _folder(folder)
    catalog = load(root)
    findings = run(catalog)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        for finding in errors:
            typer.echo(finding.render(), err=True)
        fail(
            f"数据有 {len(errors)} 处错误，请先修正（shiwanqian check 列出全部问题）再升级；没有改写任何文件。",
            ExitStatus.FINDINGS,
        )
    upgrade = plan(root, catalog, findings)
    if upgrade.failed:
        fail("无法安全地改写：" + "；".join(upgrade.failed) + "。没有改写任何文件。", ExitStatus.FINDINGS)
    for rewrite in upgrade.rewrites:
        typer.echo(f"{one_line(root / rewrite.file)}:{rewrite.line}:{rewrite.column}: {one_line(rewrite.what)}")
    fixed = sum(f.code in OLD_FORMAT_CODES for f in findings) - len(upgrade.left)
    if not upgrade.rewrites:
        typer.echo(f"{one_line(root)} 已是当前版本的数据格式，没有需要改写的内容。")
        _left(upgrade)
        raise typer.Exit(int(ExitStatus.OK))
    files = len(upgrade.files)
    if check:
        typer.echo(f"需要改写 {len(upgrade.rewrites)} 处（{files} 个文件）；--check：没有写入。")
        _left(upgrade)
        raise typer.Exit(int(ExitStatus.FINDINGS))
    _verify(root, catalog, upgrade)
    from .common import write_outputs

    write_outputs({root / relative: text for relative, text in upgrade.files.items()}, echo=False)
    typer.echo(
        f"已改写 {len(upgrade.rewrites)} 处（{files} 个文件）。与改写前相比，diff 没有含义上的变化；"
        f"check 不再报告 {fixed} 个旧格式造成的警告。"
    )
    _left(upgrade)


def _left(upgrade: Upgrade) -> None:
    if upgrade.left:
        typer.echo(f"仍有 {len(upgrade.left)} 个旧格式造成的警告无法自动改写，请人工核对（写明 derived 或改正引文）：")
        for finding in upgrade.left:
            typer.echo(f"  {finding.render()}")


def _folder(path: Path) -> Path:
    from ..load.datadir import DataFolderError, resolve_data_dir

    try:
        root = resolve_data_dir(path)
    except DataFolderError as error:
        fail(str(error))
    if not (root / "programme.yaml").is_file():
        fail(f"{one_line(root)} 不是数据目录（其中没有 programme.yaml）")
    return root


def _verify(root: Path, before: Catalog, upgrade: Upgrade) -> None:
    """The upgraded folder, written beside the old one (so paths relative to it, such as a
    parent programme's, still hold), must say what the old one says: ``diff`` finds nothing
    (neither in the data nor downstream; notes and old-format warnings aside)."""
    from ..domain.revision.compare import compare
    from ..fileio import TEMP_PREFIX, WriteError, write_tree
    from ..load.loader import load

    files: dict[str, str | bytes] = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(TEMP_PREFIX):
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    files.update(upgrade.files)
    trial = root.parent / f"{TEMP_PREFIX}upgrade-{secrets.token_hex(4)}"
    try:
        write_tree(trial, files)
        changes = compare(before, load(trial))
    except (WriteError, OSError) as error:
        fail(f"无法在 {one_line(root.parent)} 中试写改写后的目录：{error}；没有改写任何文件。", ExitStatus.FINDINGS)
    finally:
        shutil.rmtree(trial, ignore_errors=True)
    if changes:
        from ..output.revision import heading

        shown = "；".join(heading(c) for c in changes[:5])
        fail(f"改写会改变数据的含义（{shown}）；没有改写任何文件。这是程序缺陷，请报告。", ExitStatus.FINDINGS)
