"""`shiwanqian init DIR --parent PARENT --region R --units A,B,…`: a new programme that splits
what a parent programme gives one of its regions over the region's sub-units."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from ..findings import ExitStatus
from .common import fail, names_in


def _relative(target: Path, start: Path) -> str:
    """``target`` as the new folder's programme.yaml names it: relative when possible."""
    try:
        return Path(os.path.relpath(target.absolute(), start.absolute())).as_posix()
    except ValueError:  # another drive on Windows
        return target.absolute().as_posix()


def create_child(
    folder: Path,
    interactive: bool,
    parent: Path,
    regions: list[str],
    units: list[str],
    title: str | None,
    issuer: str | None,
    document: str | None,
) -> None:
    from ..domain.programme.vocab import name_hint
    from ..domain.refine.parent import parent_view
    from ..storage.build import InvalidData
    from ..storage.snapshot import load_snapshot

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        fail(f"{folder} 已存在且不是空目录；init 不会改动已有的文件，请换一个目录名。", ExitStatus.FINDINGS)
    if not (parent / "programme.yaml").is_file():
        fail(f"上级数据目录 {parent} 不存在或不是数据目录（其中没有 programme.yaml）")
    if not regions and interactive:
        regions = [typer.prompt("所分解的上级区域").strip()]
    if not units and interactive:
        units = names_in([typer.prompt("本级的各单位（乡镇、县直学校……，用顿号分隔）")])
    if len(regions) != 1:
        fail("与 --parent 同用时，--region 写所分解的一个上级区域（如 --region 县名）")
    if not units:
        fail("缺少 --units：本级的各单位（乡镇、县直学校……），如 --units 甲镇、乙镇、县直学校")
    duplicates = sorted({u for u in units if units.count(u) > 1})
    if duplicates:
        fail(f"单位重复：{'、'.join(duplicates)}")
    try:
        snapshot = load_snapshot(parent)
    except InvalidData as error:
        fail(
            f"上级数据目录 {parent} 有 {len(error.findings)} 处错误（shiwanqian check --data {parent} 可列出），"
            "请先修正上级的数据。",
            ExitStatus.FINDINGS,
        )
    found = snapshot.resolve(_normalised(regions[0])) if hasattr(snapshot, "resolve") else None
    if found is None:
        index = {spelling: entry[0] for spelling, entry in snapshot["names"].items()}
        fail(f"上级没有区域“{regions[0]}”" + name_hint(regions[0], index))
    region = found[0]
    view = parent_view(snapshot, region, _relative(parent, folder))
    if not view.tables:
        fail(
            f"上级（{view.name}）没有分给{region}名额的表（各表都没有{region}的一行），无从分解。", ExitStatus.FINDINGS
        )
    _write(folder, view, snapshot, units, title, issuer, document)


def _normalised(text: str) -> str:
    from ..domain.programme.vocab import normalise

    return normalise(text)


def _write(
    folder: Path,
    view,
    snapshot,
    units: list[str],
    title: str | None,
    issuer: str | None,
    document: str | None,
) -> None:
    from ..domain.checks import check_folder
    from ..fileio import write_tree
    from ..output.scaffold_child import NewChild, files
    from .family import refinement

    tables = tuple(t for t in snapshot["tables"] if t["quota"] in view.tables)
    owners = {t["plan"] for t in tables}
    plans = tuple(p for p in snapshot["plans"] if p["plan"] in owners)
    placeholders = [
        name for name, value in (("文件名称", title), ("发文单位", issuer), ("文号", document)) if not value
    ]
    child = NewChild(
        folder.name or "programme",
        (title or f"{view.region}{view.name}实施方案（请改为本级文件的名称）").strip(),
        (issuer or f"{view.region}教育局").strip(),
        (document or "（请填写文号）").strip(),
        view.folder,
        view,
        tuple(units),
        plans,
        tables,
    )
    try:
        write_tree(folder, files(child))
    except OSError as error:
        fail(f"无法写入 {folder}：{error.strerror or error}", ExitStatus.FINDINGS)
    _, findings = check_folder(folder, refinement)
    errors = [f for f in findings if f.severity == "error"]
    own = [f for f in errors if not f.code.startswith("refine-")]
    for finding in own:
        typer.echo(finding.render(), err=True)
    if own or any(f.code == "refine-parent" for f in errors):  # a defect of init itself
        fail(f"新目录 {folder} 有 {len(errors)} 个与分解无关的错误，这是程序缺陷，请报告。", ExitStatus.FINDINGS)
    typer.echo(_summary(folder, child, len(errors), placeholders))


def _summary(folder: Path, child, open_sums: int, placeholders: list[str]) -> str:
    """What was made and what is left to fill."""
    view = child.parent
    lines = [
        f"已新建 {folder}：下级工程，分解上级（{view.name}，{view.document}）分给{view.region}的 {len(view.tables)} 张名额表；"
        f"{len(child.units)} 个单位、{len(view.levels)} 个学段、计划期 {view.period[0]}–{view.period[1]}，全域称为“{child.area}”。",
        "还须填写：",
    ]
    for table_id, margins in view.tables.items():
        years = sorted({y for _, y in margins.yearly})
        yearly = f"与 {'、'.join(map(str, years))} 年的年度数字" if years else ""
        lines.append(
            f"  {folder / 'quotas' / (table_id + '.yaml')}：各单位的名额（上级给{view.region} {margins.total}）{yearly}"
        )
    lines.append(f"  {folder / 'source.txt'}：本级文件全文（每个数字的引文都须出自它）")
    if placeholders:
        lines.append(f"  {folder / 'programme.yaml'}：{'、'.join(placeholders)}（现为占位）")
    lines.append(f"  {folder / 'regions.yaml'}：各单位的类别与出处；{folder / 'plans'}：各计划的任务")
    lines.append(
        f"填好后运行 shiwanqian check --data {folder}：核对各单位之和等于上级的数（现有 {open_sums} 处尚未分解）。"
    )
    return "\n".join(lines)
