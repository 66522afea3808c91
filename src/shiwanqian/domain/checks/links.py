"""A programme's link to the programme it refines, as far as it can be checked without reading
the parent: a table that ``refines`` needs a ``parent`` in programme.yaml, its 学段 mapping
names this programme's 学段, and the weights of a split name this programme's regions and 学段.

What needs the parent's own numbers (sums, periods, the parent's tables and regions) is
checked by ``domain.refine``, which only ``check`` runs."""

from __future__ import annotations

from collections.abc import Iterator

from ...findings import Finding
from ...load.loader import Catalog, Located
from ...load.model import QuotaTable
from ...load.parent import Weights
from ..programme.vocab import did_you_mean
from .context import Context


def check_table_link(loc: Located, ctx: Context) -> Iterator[Finding]:
    table: QuotaTable = loc.model
    if table.refines is None:
        return
    if not ctx.has_parent:
        yield loc.finding(
            ("refines",),
            "refine-without-parent",
            f"名额表 {table.id} 写明分解上级的 {table.refines.table} 表，但 programme.yaml 没有写明上级工程（parent）",
            key=True,
        )
    for level in table.refines.levels:
        if level not in ctx.levels:
            yield loc.finding(
                ("refines", "levels", level),
                "unknown-level",
                f"未知学段“{level}”（refines.levels 的键是本工程的学段，值是上级的学段）"
                + did_you_mean(level, list(ctx.levels)),
                key=True,
            )
    if table.refines.weights is not None:
        yield from _weights(loc, ("refines", "weights"), table.refines.weights, ctx)


def check_programme_link(catalog: Catalog, ctx: Context) -> Iterator[Finding]:
    if catalog.programme is None or catalog.programme.model.parent is None:
        return
    weights = catalog.programme.model.parent.weights
    if weights is not None:
        yield from _weights(catalog.programme, ("parent", "weights"), weights, ctx)


def _weights(loc: Located, path: tuple, weights: Weights, ctx: Context) -> Iterator[Finding]:
    for region, value in weights.values.items():
        if region not in ctx.regions.known:
            yield loc.finding(
                (*path, "values", region),
                "unknown-region",
                f"未知区域“{region}”（权重须写本工程的区域全称）" + ctx.regions.did_you_mean(region),
                key=True,
            )
        if isinstance(value, dict):
            for level in value:
                if level not in ctx.levels:
                    yield loc.finding(
                        (*path, "values", region, level),
                        "unknown-level",
                        f"未知学段“{level}”" + did_you_mean(level, list(ctx.levels)),
                        key=True,
                    )
