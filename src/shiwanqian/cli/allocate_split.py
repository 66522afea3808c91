"""`shiwanqian allocate TABLE` on a table that refines a parent's: a proposed split of what the
parent gives the region over this programme's regions, by declared weights (``--out`` writes
it as a quota table file to review)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..findings import ExitStatus
from ..output.render import Format, print_message, print_records, print_sections
from .common import fail, note, require_suffix, resolve_region, write_outputs

if TYPE_CHECKING:
    from ..load.loader import Catalog
    from ..load.model import QuotaTable


def split(
    catalog: Catalog,
    table: QuotaTable,
    *,
    district: str | None,
    explain: bool,
    fmt: Format,
    excel: bool,
    out: Path | None,
) -> None:
    from ..domain.refine.split import SplitError, propose
    from ..domain.refine.split import explain as reasons
    from ..output.split import explain_section, proposal_yaml, records, sections, unscheduled
    from .family import parent_of

    if out is not None:
        require_suffix(out, [".yaml", ".yml"])
    assert table.refines is not None
    parent, problem = parent_of(catalog)
    if parent is None:
        fail(f"无法读取上级：{problem[1] if problem else '没有写明上级工程（parent）'}", ExitStatus.FINDINGS)
    margins = parent.tables.get(table.refines.table)
    if margins is None:
        fail(
            f"上级工程（{parent.name}）没有分给{parent.region}的 {table.refines.table} 表；"
            f"shiwanqian check --data {catalog.root} 说明原因",
            ExitStatus.FINDINGS,
        )
    programme = catalog.programme_model
    weights = table.refines.weights or (programme.parent.weights if programme.parent else None)
    if weights is None:
        fail(
            f"没有分解用的权重：在 programme.yaml 的 parent.weights 或本表 refines.weights 中写明各单位的权重"
            f"（如各单位的专任教师数），allocate {table.id} 才能按比例提出分解",
            ExitStatus.FINDINGS,
        )
    regions = [r.name for r in catalog.regions_model.regions]
    try:
        proposal = propose(table, margins, regions, list(programme.levels), weights, parent.region)
    except SplitError as error:
        fail(str(error), ExitStatus.FINDINGS)
    region = resolve_region(catalog, district).name if district else None
    if explain and region is None:
        fail("--explain 需要同时给出 --district")
    if out is not None:
        write_outputs({out: proposal_yaml(proposal, parent.name).encode("utf-8")})
        left = unscheduled(proposal)
        if left is not None:
            note(
                f"上级没有分到年份的 {left} 已在 rows 中，但不在 schedule 中：本级定下年份、补入 schedule 之前，"
                "check 会报告这些单位的名额与各年度安排之和不符。"
            )
        return
    if explain and region is not None:
        rounded, whole = reasons(proposal, region)
        if fmt in (Format.json, Format.csv):
            print_records([r.record() for r in rounded], fmt, excel=excel)
        elif not rounded:
            print_message(f"{region} 各格的精确值都是整数，没有需要取整的格。")
        else:
            print_sections([explain_section(rounded, whole, region)], fmt)
        return
    if fmt in (Format.json, Format.csv):
        print_records(records(proposal, region), fmt, excel=excel)
        return
    print_sections(sections(proposal, region, parent.name), fmt)
