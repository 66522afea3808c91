"""A refining programme held to its parent: for every table that ``refines`` a parent's table,
its regions add up exactly to the parent's figure for the region it refines, 学段 by 学段 and
year by year (the parent's schedule, or the controlled rounding of its shares), and the two
programmes' periods agree. Every difference is an error in the refining table's file that
quotes the parent's number and its citation.

``Refinement`` is fed the tables one at a time (an ``Extra`` of ``domain.checks``), so a
refining folder is checked file by file like any other."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from ...findings import Finding
from ...load.loader import Catalog, Located
from ...load.model import QuotaTable
from ..programme.vocab import did_you_mean
from .parent import Margins, Parent

Key = tuple[str | None, int]  # (the parent's 学段, year)


@dataclass
class Sums:
    """A refining table's figures in the parent's terms: by the parent's 学段 and by (学段, year),
    each with the regions' parts (for messages)."""

    totals: dict[str | None, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    yearly: dict[Key, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    has_yearly: bool = False


def sums(table: QuotaTable, margins: Margins, area: str) -> Sums:
    """``table``'s figures mapped to the parent's 学段 (all of them to None when the parent's table
    has none); yearly ones from its schedule, else from its own shares' allocation."""
    refines = table.refines
    assert refines is not None
    flat = list(margins.totals) == [None]

    def parent_level(level: str | None) -> str | None:
        return None if flat else refines.parent_level(level)

    out = Sums()
    for row in table.rows:
        cells: list[tuple[str | None, int]] = (
            [(None, row.value or 0)] if row.values is None else list(row.values.items())
        )
        for level, value in cells:
            out.totals[parent_level(level)].append((row.region, value))
    if table.schedule:
        out.has_yearly = True
        for entry in table.schedule:
            for group in entry.groups:
                key = (parent_level(group.level), entry.year)
                if group.regions:
                    out.yearly[key] += list(group.regions.items())
                elif group.total is not None:
                    out.yearly[key].append((area, group.total))
    elif table.shares is not None and table.rows:
        from ..allocation.cache import allocation
        from ..allocation.records import allocation_problem

        problem = allocation_problem(table)
        if problem is not None:
            out.has_yearly = True
            for (region, level, year), value in sorted(allocation(problem).values.items()):
                out.yearly[parent_level(level or None), year].append((region, value))
    return out


def parts(items: list[tuple[str, int]]) -> str:
    shown = [f"{region} {value}" for region, value in items if value]
    return "、".join(shown) if shown else "尚未分解"


class Refinement:
    """Checks a refining programme's tables against ``parent`` (None: ``problem`` says why the
    parent could not be read, reported once at programme.yaml's ``parent``)."""

    def __init__(self, catalog: Catalog, parent: Parent | None, problem: tuple[tuple, str] | None = None) -> None:
        self.catalog = catalog
        self.parent = parent
        self.problem = problem
        programme = catalog.programme.model if catalog.programme is not None else None
        self.area = programme.vocabulary.area if programme is not None else "全市"
        self.refined: dict[str, str] = {}  # parent table → the file that refines it

    def quota(self, loc: Located) -> Iterator[Finding]:
        table: QuotaTable = loc.model
        parent, refines = self.parent, table.refines
        if parent is None or refines is None:
            return
        margins = parent.tables.get(refines.table)
        if margins is None:
            yield loc.finding(("refines", "table"), "refine-unknown-table", self._unknown(refines.table))
            return
        if refines.table in self.refined:
            yield loc.finding(
                ("refines", "table"),
                "refine-duplicate",
                f"上级的 {refines.table} 表已由 {self.refined[refines.table]} 分解，同一张表只能分解一次",
            )
            return
        self.refined[refines.table] = loc.doc.file
        for level, theirs in refines.levels.items():
            if theirs not in parent.levels:
                yield loc.finding(
                    ("refines", "levels", level),
                    "refine-unknown-level",
                    f"上级没有学段“{theirs}”" + did_you_mean(theirs, parent.levels),
                )
        if list(margins.totals) != [None] and any(row.values is None for row in table.rows):
            yield loc.finding(
                ("rows",),
                "refine-shape",
                f"上级的 {margins.table} 表按学段分解，本表各行也须用 values 按学段列出",
                key=True,
            )
            return
        found = sums(table, margins, self.area)
        yield from self._totals(loc, table, margins, found)
        yield from self._yearly(loc, table, margins, found)

    def _unknown(self, name: str) -> str:
        parent = self.parent
        assert parent is not None
        if name in parent.table_ids:
            return f"上级工程（{parent.name}）的 {name} 表没有分给{parent.region}的名额，无从分解"
        return f"上级工程（{parent.name}）没有名额表“{name}”" + did_you_mean(name, parent.table_ids)

    def _totals(self, loc: Located, table: QuotaTable, margins: Margins, found: Sums) -> Iterator[Finding]:
        parent = self.parent
        assert parent is not None
        where = ("rows",) if table.rows else ("refines",)
        for level in dict.fromkeys([*margins.totals, *found.totals]):
            items = found.totals.get(level, [])
            mine = sum(v for _, v in items)
            figure = margins.totals.get(level)
            theirs = figure.value if figure is not None else 0
            if mine == theirs:
                continue
            what = f"{table.title}{' ' + level if level else ''}"
            if figure is None:
                message = (
                    f"{what}：各区域之和为 {mine}（{parts(items)}），上级工程（{parent.name}）没有分给{parent.region}"
                    f"这一学段的名额（上级的 {margins.table} 表）"
                )
            else:
                message = (
                    f"{what}：各区域之和为 {mine}（{parts(items)}），上级工程（{parent.name}）分给{parent.region}的是 "
                    f"{theirs}（{parent.cite(figure)}，上级的 {margins.table} 表）"
                )
            yield loc.finding(where, "refine-sum", message, key=True, subject=f"{table.id}/{level or ''}")

    def _yearly(self, loc: Located, table: QuotaTable, margins: Margins, found: Sums) -> Iterator[Finding]:
        parent = self.parent
        assert parent is not None
        if not margins.yearly:
            return
        how = "年度安排" if margins.kind == "schedule" else "按年度比例受控取整的年度分配"
        if not found.has_yearly:
            years = "、".join(str(y) for y in sorted({y for _, y in margins.yearly}))
            yield loc.finding(
                ("refines",),
                "refine-yearly-missing",
                f"{table.title}：上级工程（{parent.name}）给{parent.region}的{how}逐年有数（{years} 年），"
                "本表没有年度安排（schedule）或年度比例（shares），无法核对各年之和",
                key=True,
            )
            return
        index = {entry.year: i for i, entry in enumerate(table.schedule)}
        for key in sorted(
            set(margins.yearly) | set(found.yearly),
            key=lambda k: (k[1], margins.levels.index(k[0]) if k[0] in margins.levels else 99),
        ):
            level, year = key
            figure = margins.yearly.get(key)
            if figure is None and not self._whole(margins, level):
                continue  # the parent gives this 学段's years only in part (or only city-wide)
            items = found.yearly.get(key, [])
            mine, theirs = sum(v for _, v in items), figure.value if figure is not None else 0
            if mine == theirs:
                continue
            what = f"{table.title} {year}年{level or ''}"
            cited = (
                f"{theirs}（{parent.cite(figure)}，{how}）"
                if figure is not None
                else f"0（上级该学段的{how}不在 {year} 年）"
            )
            where = (
                ("schedule", index[year], "year") if year in index else ("schedule",) if table.schedule else ("shares",)
            )
            yield loc.finding(
                where,
                "refine-yearly",
                f"{what}：各区域之和为 {mine}（{parts(items)}），上级工程（{parent.name}）给{parent.region}的是 {cited}",
                subject=f"{table.id}/{year}/{level or ''}",
            )

    @staticmethod
    def _whole(margins: Margins, level: str | None) -> bool:
        """The parent's yearly figures of ``level`` make up all of the region's quota for it: any
        other year of that 学段 is then 0."""
        total = margins.totals.get(level)
        given = sum(f.value for (lv, _), f in margins.yearly.items() if lv == level)
        return total is not None and given > 0 and given == total.value

    def finish(self) -> list[Finding]:
        catalog, parent = self.catalog, self.parent
        if catalog.programme is None:
            return []
        if self.problem is not None:
            path, message = self.problem
            return [catalog.programme.finding(path, "refine-parent", message)]
        if parent is None:
            return []
        period = catalog.programme.model.period
        if (period.start, period.end) != parent.period:
            start, end = parent.period
            return [
                catalog.programme.finding(
                    ("period",),
                    "refine-period",
                    f"计划期 {period.start}–{period.end} 与上级工程（{parent.name}）的计划期 {start}–{end} 不一致",
                )
            ]
        return []
