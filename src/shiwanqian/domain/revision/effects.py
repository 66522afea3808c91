"""What a revision changes downstream, computed by the code that computes it everywhere else:

* yearly allocation cells that moved (``allocation``: the controlled rounding of the table's
  quotas and shares; one changed cell can move the rounding of others, in other regions);
* budget totals by region (``budget``: the table's rates times its numbers, over all years);
* the tasks each responsible unit gains or loses, or now shares otherwise (``unit_task``:
  ``units.yaml``'s ``includes`` as ``schedule --unit`` reads them);
* the findings of ``check`` that appear, disappear or change (``finding``).

A table whose allocation problem (quotas and shares) is the same on both sides is not solved
again: controlled rounding is deterministic, so its cells cannot have moved. Likewise a budget
whose inputs are unchanged. Each side is computed whether or not its data has errors, so a
broken revision still shows what it would do.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from .changes import Change
from .facts import Entity, Place
from .pairing import Pairing, relative_file

if TYPE_CHECKING:
    from ...findings import Finding
    from ...load.loader import Catalog, Located


class Side:
    """One folder's derived data, computed once when first asked for; ids are canonical
    (the old folder's) through ``pairing`` on the new side."""

    def __init__(self, catalog: Catalog, pairing: Pairing | None) -> None:
        self.catalog = catalog
        self.pairing = pairing

    def owner(self, new_id: str) -> str:
        return self.pairing.owner(new_id) if self.pairing is not None else new_id

    def plan_owner(self, new_id: str) -> str:
        """A plan's canonical id: a plan and a table may share an id (draft names a table after
        its plan), so a plan is looked up among the paired plans only."""
        return self.pairing.plan(new_id) if self.pairing is not None else new_id

    @functools.cached_property
    def tables(self) -> dict[str, Located]:
        return {self.owner(loc.model.id): loc for loc in self.catalog.quotas}

    @functools.cached_property
    def region_order(self) -> list[str]:
        return [r.name for r in self.catalog.regions.model.regions] if self.catalog.regions else []

    @functools.cached_property
    def tasks(self) -> dict[tuple[str, str], tuple[dict[str, Any], Place]]:
        """Every task's record (with ``applies``) and place, by canonical (plan, item)."""
        catalog = self.catalog
        if catalog.regions is None or catalog.units is None:
            return {}
        from ..programme.tasks import task_records

        where = {(loc.model.id, task.item): (loc, i) for loc in catalog.plans for i, task in enumerate(loc.model.tasks)}
        result = {}
        for record in task_records(catalog):
            loc, i = where[record["plan"], record["item"]]
            place = Place(loc.doc.file, *loc.position("tasks", i), record["source"], record["name"])
            result[self.plan_owner(record["plan"]), record["item"]] = (record, place)
        return result

    @functools.cached_property
    def unit_tasks(self) -> dict[str, dict[tuple[str, str], str]]:
        """unit → task → how the unit stands to it (本单位, 共同承担（师训机构）…)."""
        if self.catalog.units is None:
            return {}
        from ..programme.units import Responsibility

        units = self.catalog.units.model.units
        responsibility = Responsibility(units)
        result: dict[str, dict[tuple[str, str], str]] = {}
        for unit in units:
            mine = result[unit.name] = {}
            for key, (record, _) in self.tasks.items():
                relation = responsibility.relation(unit.name, record["units"])
                if relation is not None:
                    mine[key] = relation.label()
        return result

    def allocation(self, tid: str) -> dict[tuple[str, str, int], int] | None:
        loc = self.tables.get(tid)
        problem = _problem(loc.model) if loc is not None else None
        if problem is None:
            return None
        from ..allocation.cache import allocation
        from ..allocation.solver import AllocationError

        try:
            return allocation(problem).values
        except AllocationError:
            return None

    @functools.cached_property
    def _rows(self) -> dict[str, dict[str, int]]:
        """table → region → the index of its row (the first, if written twice)."""
        result: dict[str, dict[str, int]] = {}
        for tid, loc in self.tables.items():
            mine = result[tid] = {}
            for i, row in enumerate(loc.model.rows):
                mine.setdefault(row.region, i)
        return result

    @functools.cache  # noqa: B019 - one Side per comparison, few distinct cells
    def cell_place(self, tid: str, region: str, level: str | None) -> Place | None:
        """Where a region's cell (or its row, for a level it does not have) is written."""
        loc = self.tables.get(tid)
        i = self._rows.get(tid, {}).get(region)
        if loc is None or i is None:
            return None
        table = loc.model
        row = table.rows[i]
        path: tuple[Any, ...] = ("rows", i)
        if level and row.values and level in row.values:
            path = ("rows", i, "values", level)
        elif not level and row.value is not None:
            path = ("rows", i, "value")
        sources = [row.source] + ([table.shares.source] if table.shares is not None else [])
        line, column = loc.position(*path)
        return Place(loc.doc.file, line, column, "；".join(dict.fromkeys(sources)), row.text)

    @functools.cached_property
    def findings(self) -> list[Finding]:
        from ..checks import run

        return run(self.catalog)

    @functools.cached_property
    def file_owners(self) -> dict[str, tuple[str | None, str | None]]:
        """A plan's or table's file (as the folder names it) → (plan, table) it holds."""
        result: dict[str, tuple[str | None, str | None]] = {}
        for loc in self.catalog.plans:
            result[relative_file(self.catalog, loc.doc.file)] = (self.plan_owner(loc.model.id), None)
        for loc in self.catalog.quotas:
            plan = self.pairing.plan(loc.model.plan) if self.pairing is not None else loc.model.plan
            result[relative_file(self.catalog, loc.doc.file)] = (plan, self.owner(loc.model.id))
        return result


def _problem(table: Any) -> Any:
    from ..allocation.records import allocation_problem

    return allocation_problem(table)


class Sides:
    def __init__(self, old: Catalog, new: Catalog, pairing: Pairing) -> None:
        self.old, self.new, self.pairing = Side(old, None), Side(new, pairing), pairing

    @functools.cached_property
    def _regions(self) -> dict[str, str]:
        """Every region of either side with its kind."""
        found: dict[str, str] = {}
        for side in (self.new, self.old):
            if side.catalog.regions is not None:
                found.update({r.name: r.kind for r in side.catalog.regions.model.regions})
        return found

    def regions_of(self, entity: Entity) -> frozenset[str]:
        """The regions an entity concerns beyond its own region (for ``--district``): those a
        task falls on (on either side), those a target's scope covers, those a quotation or a
        disagreement names."""
        if entity.kind == "task":
            found: set[str] = set()
            for side in (self.old, self.new):
                task = side.tasks.get(entity.key)
                if task is not None:
                    found.update(task[0]["applies"])
            return frozenset(found)
        if entity.kind == "target":
            from ..programme.scope import scope_applies, vocabulary

            words = vocabulary(self.new.catalog)
            scope = entity.fields.get("scope") or ""
            return frozenset(r for r, kind in self._regions.items() if scope_applies(scope, r, kind, words))
        if entity.kind in ("aim", "disagreement", "count"):
            return self.regions_of_text(" ".join(str(v) for v in entity.fields.values()))
        return frozenset()

    def regions_of_text(self, text: str) -> frozenset[str]:
        return frozenset(r for r in self._regions if r in text)


# A unit's tasks follow from units.yaml and the tasks' units alone.
UNIT_TASK_INPUTS = frozenset({"unit", "task", "plan"})


def downstream(sides: Sides, *, notes: bool = False, changed: frozenset[str] | None = None) -> list[Change]:
    """``notes``: the warnings only an older format causes are compared too. ``changed``: the
    kinds of data that changed (None: not known), to skip effects that cannot have moved."""
    units = changed is None or bool(changed & UNIT_TASK_INPUTS)
    return [
        *allocation_changes(sides),
        *budget_changes(sides),
        *(unit_task_changes(sides) if units else ()),
        *finding_changes(sides, notes=notes),
    ]


# ------------------------------------------------------------------ allocation


def _same_problem(a: Any, b: Any) -> bool:
    return a is not None and b is not None and a.quotas == b.quotas and a.shares == b.shares


def allocation_changes(sides: Sides) -> Iterator[Change]:
    old, new = sides.old, sides.new
    for tid in dict.fromkeys([*old.tables, *new.tables]):
        a, b = old.tables.get(tid), new.tables.get(tid)
        pa = _problem(a.model) if a is not None else None
        pb = _problem(b.model) if b is not None else None
        if (pa is None and pb is None) or _same_problem(pa, pb):
            continue
        before, after = old.allocation(tid) or {}, new.allocation(tid) or {}
        table = (a or b).model  # type: ignore[union-attr]
        rank = _region_rank(sides)
        for key in sorted(set(before) | set(after), key=lambda k: (*rank(k[0]), k[1], k[2])):
            x, y = before.get(key), after.get(key)
            if x == y:
                continue
            region, level, year = key
            yield Change(
                "changed" if x is not None and y is not None else ("added" if x is None else "removed"),
                "allocation",
                {
                    "plan": table.plan if a is not None else sides.pairing.plan(table.plan),
                    "quota": tid,
                    "region": region,
                    "level": level or None,
                    "year": year,
                    "name": table.title,
                },
                "value",
                x,
                y,
                old.cell_place(tid, region, level) if x is not None else None,
                new.cell_place(tid, region, level) if y is not None else None,
                frozenset([region]),
            )


def _region_rank(sides: Sides) -> Callable[[str], tuple[int, str]]:
    """A sort key: a region's place in the data's order of regions (the old side's, else the new
    side's), then its name; regions in neither order last. Looked up in a dict: the allocation
    cells of 1,000 regions are sorted with it (a list's ``index`` made that quadratic)."""
    order = sides.old.region_order or sides.new.region_order
    place: dict[str, int] = {}
    for i, name in enumerate(order):
        place.setdefault(name, i)
    missing = len(order)
    return lambda region: (place.get(region, missing), region)


# ------------------------------------------------------------------ budget


def _budget_inputs(table: Any) -> Any:
    parts = ("rates", "shares", "schedule", "rows", "total")
    return None if table is None or not table.rates else table.model_dump(include=set(parts))


def _by_region(side: Side, tid: str) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """A table's budget summed over the years, by region; and each column's header."""
    loc = side.tables.get(tid)
    if loc is None or not loc.model.rates:
        return {}, {}
    from ..programme.budget import budget

    table = loc.model
    values = side.allocation(tid) if table.shares is not None else None
    records = [{"region": g, "year": y, "value": v} for (g, _, y), v in (values or {}).items()]
    result = budget(table, order=side.region_order, allocation=records or None)
    sums: dict[str, dict[str, int]] = {}
    for line in result.lines:
        mine = sums.setdefault(line["region"], {})
        for column in result.columns:
            mine[column.key] = mine.get(column.key, 0) + line[column.key]
    return sums, {c.key: c.header for c in result.columns}


def budget_changes(sides: Sides) -> Iterator[Change]:
    old, new = sides.old, sides.new
    for tid in dict.fromkeys([*old.tables, *new.tables]):
        a, b = old.tables.get(tid), new.tables.get(tid)
        ia = _budget_inputs(a.model if a else None)
        ib = _budget_inputs(b.model if b else None)
        if ia == ib:
            continue
        before, headers = _by_region(old, tid)
        after, new_headers = _by_region(new, tid)
        headers = {**new_headers, **headers}
        table = (a or b).model  # type: ignore[union-attr]
        regions = sorted(set(before) | set(after), key=_region_rank(sides))
        for region in regions:
            x_all, y_all = before.get(region, {}), after.get(region, {})
            for column in dict.fromkeys([*x_all, *y_all]):
                x, y = x_all.get(column), y_all.get(column)
                if x == y:
                    continue
                yield Change(
                    "changed" if x is not None and y is not None else ("added" if x is None else "removed"),
                    "budget",
                    {
                        "plan": table.plan if a is not None else sides.pairing.plan(table.plan),
                        "quota": tid,
                        "region": region,
                        "name": headers.get(column, column),
                    },
                    column,
                    x,
                    y,
                    _rates_place(old, tid, region) if x is not None else None,
                    _rates_place(new, tid, region) if y is not None else None,
                    frozenset([region]),
                )


def _rates_place(side: Side, tid: str, region: str) -> Place | None:
    """A region's budget rests on its numbers (its row) and the rates: cite both."""
    loc = side.tables.get(tid)
    if loc is None:
        return None
    table = loc.model
    sources = "；".join(dict.fromkeys(r.source for r in table.rates))
    row = side.cell_place(tid, region, None)
    if row is not None:
        return Place(row.file, row.line, row.column, f"{row.source}；{sources}", row.quote)
    return Place(loc.doc.file, *loc.position("rates"), sources, table.rates[0].text if table.rates else None)


# ------------------------------------------------------------------ tasks of each unit


def unit_task_changes(sides: Sides) -> Iterator[Change]:
    old, new = sides.old, sides.new
    before, after = old.unit_tasks, new.unit_tasks
    for unit in dict.fromkeys([*before, *after]):
        x_all, y_all = before.get(unit, {}), after.get(unit, {})
        for key in dict.fromkeys([*x_all, *y_all]):
            x, y = x_all.get(key), y_all.get(key)
            if x == y:
                continue
            a, b = old.tasks.get(key), new.tasks.get(key)
            record = (a or b)[0]  # type: ignore[index]
            regions = set(a[0]["applies"] if a else []) | set(b[0]["applies"] if b else [])
            yield Change(
                "changed" if x is not None and y is not None else ("added" if x is None else "removed"),
                "unit_task",
                {"plan": key[0], "item": key[1], "unit": unit, "name": record["name"]},
                "share",
                x,
                y,
                a[1] if a is not None and x is not None else None,
                b[1] if b is not None and y is not None else None,
                frozenset(regions),
                frozenset([unit]),
            )


# ------------------------------------------------------------------ findings


def _identity(side: Side, finding: Finding) -> tuple[Any, ...]:
    """What a finding is about, whatever line it is on and whatever the folder is called."""
    relative = relative_file(side.catalog, finding.file)
    if side.pairing is not None:
        relative = side.pairing.files.get(relative, relative)
    subject = finding.subject
    if subject is not None:
        if subject.startswith(finding.file + "/"):
            subject = relative + subject[len(finding.file) :]
        else:
            head, sep, rest = subject.partition("/")
            subject = side.owner(head) + sep + rest
        return (finding.code, subject)
    return (finding.code, relative, finding.message)


def _shown(finding: Finding) -> str:
    level = "错误" if finding.severity == "error" else "警告"
    return f"{level}[{finding.code}] {finding.message}"


def finding_changes(sides: Sides, *, notes: bool = False) -> Iterator[Change]:
    from .facts import OLD_FORMAT_CODES

    sets = []
    for side in (sides.old, sides.new):
        seen: Counter[tuple[Any, ...]] = Counter()
        keyed: dict[tuple[Any, ...], Finding] = {}
        for finding in side.findings:
            if finding.code in OLD_FORMAT_CODES and not notes:
                continue
            key = _identity(side, finding)
            keyed[(*key, seen[key])] = finding
            seen[key] += 1
        sets.append(keyed)
    before, after = sets
    names = set(sides.old.region_order) | set(sides.new.region_order)
    for key in dict.fromkeys([*before, *after]):
        x, y = before.get(key), after.get(key)
        if x is not None and y is not None and _shown(x) == _shown(y):
            continue
        owner = (sides.old if x is not None else sides.new).file_owners.get(
            relative_file((sides.old if x is not None else sides.new).catalog, (x or y).file),  # type: ignore[union-attr]
            (None, None),
        )
        text = " ".join(f"{f.subject or ''} {f.message}" for f in (x, y) if f is not None)
        yield Change(
            "changed" if x is not None and y is not None else ("added" if x is None else "removed"),
            "finding",
            {"plan": owner[0], "quota": owner[1], "name": key[0]},
            None,
            _shown(x) if x is not None else None,
            _shown(y) if y is not None else None,
            Place(x.file, x.line, x.column, x.source, None) if x is not None else None,
            Place(y.file, y.line, y.column, y.source, None) if y is not None else None,
            frozenset(r for r in names if r in text),
        )
