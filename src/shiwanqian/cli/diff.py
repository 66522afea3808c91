"""`shiwanqian diff OLD NEW`: what a revision of a data folder changes, downstream included."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..findings import ExitStatus
from ..output.render import Format
from ..safetext import one_line
from .common import DistrictOption, ExcelOption, FormatOption, PlanOption, csv_for_excel, fail

if TYPE_CHECKING:
    from ..domain.revision.changes import Change
    from ..load.loader import Catalog

HELP = """比较两份数据目录，列出含义上的变化：名额表各格、原文所述合计、年度比例、年度安排、标准、任务（实施时间、年份、责任单位、工作要求……）、区域与责任单位；以及下游的影响：受控取整的年度分配中变动的格（改一格可能使别的区域的取整随之变动）、各区域的经费合计、各单位多出或少了的任务、检查（check）结果的出现与消失。每处变化写明两边的 文件:行:列、出处和引文。注释、缩进、键的先后不算变化。

--git 版本：把数据目录与它在 git 中的某个版本比较（如 HEAD、main、HEAD~1）。

退出码：0 没有变化；1 有变化；2 用法错误。

示例：
  shiwanqian diff data 草稿
  shiwanqian diff --git HEAD
  shiwanqian diff 旧目录 新目录 --district 区域名
  shiwanqian diff --git main --format markdown

git diff 按含义显示数据文件：.gitattributes 中写 *.yaml diff=shiwanqian，再运行 git config diff.shiwanqian.textconv "shiwanqian diff --textconv"（见 docs/guide/revisions.md）。
"""


def command(
    old: Annotated[
        Path | None,
        typer.Argument(
            metavar="OLD",
            help="原来的数据目录；用 --git 时为要比较的数据目录（默认：当前目录下的 data/，或当前目录本身，若它是数据目录）。",
        ),
    ] = None,
    new: Annotated[Path | None, typer.Argument(metavar="NEW", help="修订后的数据目录。", show_default=False)] = None,
    git: Annotated[
        str | None,
        typer.Option("--git", metavar="版本", help="与数据目录在 git 中的这个版本比较（旧 = 该版本，新 = 当前文件）。"),
    ] = None,
    district: DistrictOption = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="只看与该责任单位有关的变化。")] = None,
    plan: PlanOption = None,
    notes: Annotated[
        bool, typer.Option("--notes", help="也比较说明性的字段（note、derived）和只因旧格式而有的警告。")
    ] = False,
    fmt: FormatOption = Format.table,
    excel: ExcelOption = False,
    textconv: Annotated[
        Path | None,
        typer.Option(
            "--textconv",
            metavar="文件",
            dir_okay=False,
            help="把一个数据文件写成逐行的事实，供 git 的 textconv 使用（见 docs/guide/revisions.md）。",
        ),
    ] = None,
) -> None:
    fmt = csv_for_excel(fmt, excel)
    if textconv is not None:
        if old is not None or new is not None or git is not None:
            fail("--textconv 只接一个文件，不与数据目录或 --git 同用")
        _textconv(textconv)
        return
    if git is not None:
        if new is not None:
            fail("用 --git 时只能给出一个数据目录（与它在 git 中的版本比较）")
        old = _git_default(old)
        with _revision(old, git) as (before, label):
            changes = _compare(before, _folder(old), notes=notes, district=district, unit=unit, plan=plan)
            changes = [_rename(c, str(before), label) for c in changes]
            after = one_line(_folder(old))
            shown = f"{one_line(_folder(old))}@{one_line(git)}"
    else:
        if old is None or new is None:
            fail("请给出两个数据目录：shiwanqian diff 旧目录 新目录（或 shiwanqian diff --git 版本）")
        changes = _compare(_folder(old), _folder(new), notes=notes, district=district, unit=unit, plan=plan)
        shown, after = one_line(old), one_line(new)
    from ..output.revision import print_diff

    print_diff(changes, fmt, shown, after, excel=excel)
    raise typer.Exit(int(ExitStatus.FINDINGS if changes else ExitStatus.OK))


def _textconv(path: Path) -> None:
    """One data file as facts on stdout (git's textconv runs this on each side of a diff)."""
    import sys

    from ..domain.revision.facts import lone_file
    from ..output.revision import facts_text

    try:
        raw = path.read_bytes()
    except OSError as error:
        fail(f"无法读取 {one_line(path)}：{error.strerror}")
    kind, entities, problems = lone_file(raw, path.name)
    sys.stdout.write(facts_text(kind, entities, problems, raw))


def _folder(path: Path | None) -> Path:
    from ..load.datadir import DataFolderError, resolve_data_dir

    try:
        root = resolve_data_dir(path)
    except DataFolderError as error:
        fail(str(error))
    if not (root / "programme.yaml").is_file():
        fail(f"{one_line(root)} 不是数据目录（其中没有 programme.yaml）")
    return root


def _git_default(folder: Path | None) -> Path | None:
    """The folder ``--git`` compares when none is given: ``--data``'s default, and the current
    folder when it is a data folder itself (``cd data``); never the data installed with the
    program, which is not the user's repository (a checkout of shiwanqian would compare its own
    shipped data with its own history and say nothing)."""
    import os

    from ..load.datadir import ENV_VAR

    if folder is not None or os.environ.get(ENV_VAR) or (Path("data") / "programme.yaml").is_file():
        return folder
    if Path("programme.yaml").is_file():
        return Path(".")
    fail(
        "当前目录中没有数据目录（data/programme.yaml 或 programme.yaml）：请写明要比较的数据目录，如 shiwanqian diff --git HEAD data"
    )


class _revision:
    """The folder as of a git revision, written into a temporary folder for the loader."""

    def __init__(self, folder: Path | None, revision: str) -> None:
        self.folder, self.revision = _folder(folder), revision
        self.tmp: Path | None = None

    def __enter__(self) -> tuple[Path, str]:
        import tempfile

        from ..fileio import WriteError, write_tree
        from ..load.gitrev import GitError, files_at

        try:
            files, inside = files_at(self.folder, self.revision)
        except GitError as error:
            fail(str(error))
        if "programme.yaml" not in files:
            fail(f"版本“{self.revision}”中的 {one_line(self.folder)} 不是数据目录（其中没有 programme.yaml）")
        self.tmp = Path(tempfile.mkdtemp(prefix="shiwanqian-diff-"))
        target = self.tmp / "old"
        try:
            write_tree(target, dict(files))
        except (WriteError, OSError) as error:
            fail(f"无法写出临时目录：{error}", ExitStatus.FINDINGS)
        return target, f"{self.revision}:{inside}" if inside != "." else f"{self.revision}:"

    def __exit__(self, *exc: object) -> None:
        import shutil

        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)


def _rename(change: Change, prefix: str, label: str) -> Change:
    """Citations of the temporary folder as ``REV:folder/file``."""
    import os

    place = change.old_at
    if place is None:
        return change
    full = os.path.abspath(place.file)
    base = os.path.abspath(prefix)
    if full.startswith(base + os.sep):
        relative = full[len(base) + 1 :].replace(os.sep, "/")
        place = dataclasses.replace(
            place, file=f"{label.rstrip('/')}/{relative}" if not label.endswith(":") else f"{label}{relative}"
        )
    return dataclasses.replace(change, old_at=place)


def _load(root: Path) -> Catalog:
    from ..load.loader import load

    return load(root)


def _compare(
    old: Path, new: Path, *, notes: bool, district: str | None, unit: str | None, plan: str | None
) -> list[Change]:
    from ..domain.revision.compare import compare
    from ..domain.revision.narrow import narrow

    before, after = _load(old), _load(new)
    region = _region(before, after, district)
    unit_name = _unit(before, after, unit)
    plan_id = _plan(before, after, plan)
    changes = compare(before, after, notes=notes)
    if region is None and unit_name is None and plan_id is None:
        return changes
    return narrow(changes, region=region, unit=unit_name, plan=plan_id, answers_for=_answers(before, after))


def _region(before: Catalog, after: Catalog, text: str | None) -> str | None:
    if text is None:
        return None
    from .common import resolve_region_in

    regions = [*(after.regions.model.regions if after.regions else [])]
    known = {r.name for r in regions}
    regions += [r for r in (before.regions.model.regions if before.regions else []) if r.name not in known]
    return resolve_region_in(regions, text).name


def _unit(before: Catalog, after: Catalog, text: str | None) -> str | None:
    if text is None:
        return None
    from .common import resolve_unit_in

    units = [*(after.units.model.units if after.units else [])]
    known = {u.name for u in units}
    units += [u for u in (before.units.model.units if before.units else []) if u.name not in known]
    return resolve_unit_in(units, text)


def _plan(before: Catalog, after: Catalog, text: str | None) -> str | None:
    if text is None:
        return None
    from .common import check_plan_in

    ids = list(dict.fromkeys([*(p.model.id for p in before.plans), *(p.model.id for p in after.plans)]))
    tables = {q.model.id: q.model.plan for q in [*after.quotas, *before.quotas]}
    return check_plan_in(ids, text, tables)


def _answers(before: Catalog, after: Catalog) -> Any:
    from ..domain.programme.units import Responsibility

    sides = [Responsibility(c.units.model.units) for c in (before, after) if c.units is not None]

    def answers_for(unit: str, task_units: Any) -> bool:
        return any(r.relation(unit, list(task_units)) is not None for r in sides)

    return answers_for
