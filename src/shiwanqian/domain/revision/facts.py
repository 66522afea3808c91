"""The records of one data folder, each keyed by what it is rather than where it is written.

A data folder says things: a region's 高中 quota in a table, a task's 实施时间, a year's share.
Each such thing is an ``Entity``: a ``kind`` (``cell``, ``task``, ``share`` …), a ``key`` that
names it whatever line or file it sits on (table id, region, 学段 …), its ``fields`` (values as
the data holds them; nested models one level deep as ``timing.years``), and where it is
written (file, path in the file, the citation and the document's words it was transcribed from),
so that a change can cite both sides.

Fields come from the models themselves (``model_dump``), so a field added to a model later
(a programme's ``parent``, a target's ``review``) is compared without any change here. Every
entity's key starts with the id of the plan or table it belongs to ("" for folder-wide ones);
``pairing`` rewrites those ids when a revision renamed them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...load.loader import Catalog, Located

# Fields that explain the data rather than state what the document says: compared only when
# asked (``diff --notes``); upgrading a folder may add them.
NOTE_FIELDS = frozenset({"note", "derived"})
# Warnings ``check`` gives only because a folder was written for an older version (what
# ``upgrade`` settles): like the note fields, compared only when asked.
OLD_FORMAT_CODES = frozenset({"quote-number-unconfirmed"})

# The value that stands for an entity added or removed as a whole.
SUMMARY = {
    "programme": "title",
    "region": "kind",
    "unit": "level",
    "disagreement": "title",
    "plan": "title",
    "task": "name",
    "aim": "text",
    "quota": "title",
    "row": "total",
    "schedule_year": "total",
    "schedule_group": "total",
    "shares": "text",
    "rate": "value",
    "target": "value",
    "count": "value",
    "total": "value",
}


@dataclass(frozen=True, slots=True)
class Place:
    """Where a value is written, and what it cites."""

    file: str
    line: int
    column: int
    source: str | None = None  # the citation: 附件12 二（二）3
    quote: str | None = None  # the document's words the value is transcribed from


@dataclass(slots=True)
class Entity:
    kind: str
    key: tuple[Any, ...]  # (owner id, *identity): the owner is a plan or table id, or ""
    fields: dict[str, Any]
    located: Located | None  # the file it is written in (None: not written in a file)
    path: tuple[Any, ...] = ()  # where in the file
    source: str | None = None
    quote: str | None = None
    labels: dict[str, Any] = field(default_factory=dict)  # plan, quota, region, level, year, unit, item, name
    field_paths: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # field → path below ``path``

    def place(self, name: str | None = None) -> Place | None:
        """Where the field ``name`` (or the entity) is written: the nearest written ancestor
        when the field takes its default."""
        if self.located is None:
            return None
        extra: tuple[Any, ...] = ()
        if name is not None:
            extra = self.field_paths.get(name, tuple(name.split(".")))
        line, column = self.located.position(*self.path, *extra)
        return Place(self.located.doc.file, line, column, self.source, self.quote)

    def summary(self) -> Any:
        name = SUMMARY.get(self.kind, "value")
        if name in self.fields:
            return self.fields[name]
        return next(iter(self.fields.values()), None)


def flat(data: dict[str, Any], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """A model's dump with nested models one level deep (``timing.years``)."""
    result: dict[str, Any] = {}
    for key, value in data.items():
        if key in skip:
            continue
        if isinstance(value, dict) and value and all(isinstance(k, str) for k in value) and key != "values":
            for inner, item in value.items():
                result[f"{key}.{inner}"] = item
        else:
            result[key] = value
    return result


def _occurrences(keys: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Each key with how many times it came before (two targets may say the same thing)."""
    seen: Counter[tuple[Any, ...]] = Counter()
    result = []
    for key in keys:
        result.append((*key, seen[key]))
        seen[key] += 1
    return result


# ------------------------------------------------------------------ single files


def programme_entities(loc: Located) -> Iterator[Entity]:
    programme = loc.model
    yield Entity(
        "programme",
        ("",),
        flat(programme.model_dump(), ("counts",)),
        loc,
        labels={"name": programme.title},
    )
    keys = _occurrences([(count.what,) for count in programme.counts])
    for i, (count, key) in enumerate(zip(programme.counts, keys)):
        yield Entity(
            "count",
            ("", *key),
            flat(count.model_dump(), ("what",)),
            loc,
            ("counts", i),
            count.source,
            count.text,
            {"name": count.what},
        )


def regions_entities(loc: Located) -> Iterator[Entity]:
    for i, region in enumerate(loc.model.regions):
        yield Entity(
            "region",
            ("", region.name),
            flat(region.model_dump(), ("name",)),
            loc,
            ("regions", i),
            region.source,
            labels={"region": region.name, "name": region.name},
        )


def units_entities(loc: Located) -> Iterator[Entity]:
    for i, unit in enumerate(loc.model.units):
        yield Entity(
            "unit",
            ("", unit.name),
            flat(unit.model_dump(), ("name",)),
            loc,
            ("units", i),
            labels={"unit": unit.name, "region": unit.region, "name": unit.name},
        )


def disagreements_entities(loc: Located) -> Iterator[Entity]:
    for i, item in enumerate(loc.model.disagreements):
        yield Entity(
            "disagreement",
            ("", item.id),
            flat(item.model_dump(), ("id",)),
            loc,
            ("disagreements", i),
            labels={"name": item.title},
        )


# ------------------------------------------------------------------ plans


def plan_entities(loc: Located) -> Iterator[Entity]:
    plan = loc.model
    yield Entity(
        "plan",
        (plan.id,),
        flat(plan.model_dump(), ("id", "tasks", "aims")),
        loc,
        source=plan.source,
        labels={"plan": plan.id, "name": plan.title},
    )
    keys = _occurrences([(aim.source,) for aim in plan.aims])
    for i, (aim, key) in enumerate(zip(plan.aims, keys)):
        yield Entity(
            "aim",
            (plan.id, *key),
            flat(aim.model_dump(), ("source",)),
            loc,
            ("aims", i),
            aim.source,
            aim.text,
            {"plan": plan.id, "name": plan.title, "cite": aim.source},
        )
    for i, task in enumerate(plan.tasks):
        yield Entity(
            "task",
            (plan.id, task.item),
            flat(task.model_dump(), ("item",)),
            loc,
            ("tasks", i),
            task.source,
            task.name,
            {"plan": plan.id, "item": task.item, "name": task.name},
        )


# ------------------------------------------------------------------ quota tables


def quota_entities(loc: Located) -> Iterator[Entity]:
    table = loc.model
    tid = table.id
    base = {"quota": tid, "plan": table.plan}
    yield Entity(
        "quota",
        (tid,),
        flat(table.model_dump(), ("id", "rows", "schedule", "shares", "rates", "targets", "total")),
        loc,
        source=table.source,
        labels={**base, "name": table.title},
    )
    if table.total is not None:
        yield Entity(
            "total",
            (tid,),
            flat(table.total.model_dump()),
            loc,
            ("total",),
            table.total.source,
            table.total.text,
            {**base, "name": table.title},
        )
    yield from _rows(loc, base)
    yield from _schedule(loc, base)
    if table.shares is not None:
        shares = table.shares
        yield Entity(
            "shares",
            (tid,),
            flat(shares.model_dump(), ("values",)),
            loc,
            ("shares",),
            shares.source,
            shares.text,
            {**base, "name": table.title},
        )
        for year, value in shares.values.items():
            yield Entity(
                "share",
                (tid, year),
                {"value": value},
                loc,
                ("shares", "values", year),
                shares.source,
                shares.text,
                {**base, "year": year, "name": table.title},
                {"value": ()},
            )
    for i, rate in enumerate(table.rates):
        yield Entity(
            "rate",
            (tid, rate.key),
            flat(rate.model_dump(), ("key",)),
            loc,
            ("rates", i),
            rate.source,
            rate.text,
            {**base, "name": rate.name},
        )
    for i, target in enumerate(table.targets):
        yield Entity(
            "target",
            (tid, i),
            flat(target.model_dump()),
            loc,
            ("targets", i),
            target.source,
            target.text,
            {**base, "year": target.year, "level": target.level, "name": target.name, "scope": target.scope},
        )


def target_identity(target: Any) -> tuple[Any, ...]:
    """What a target is about, whatever its wording: the thing, where, when, which series."""
    return (target.name, target.scope, target.year, target.level, target.series, target.source)


def _rows(loc: Located, base: dict[str, Any]) -> Iterator[Entity]:
    table = loc.model
    for i, row in enumerate(table.rows):
        labels = {**base, "region": row.region, "name": table.title}
        yield Entity(
            "row",
            (table.id, row.region),
            flat(row.model_dump(), ("region", "values", "value")),
            loc,
            ("rows", i),
            row.source,
            row.text,
            labels,
        )
        cells = (row.values or {}).items() if row.values is not None else [(None, row.value)]
        for level, value in cells:
            path = ("rows", i, "values", level) if level is not None else ("rows", i, "value")
            yield Entity(
                "cell",
                (table.id, row.region, level),
                {"value": value},
                loc,
                path,
                row.source,
                row.text,
                {**labels, "level": level},
                {"value": ()},
            )


def _schedule(loc: Located, base: dict[str, Any]) -> Iterator[Entity]:
    table = loc.model
    for i, entry in enumerate(table.schedule):
        labels = {**base, "year": entry.year, "name": table.title}
        yield Entity(
            "schedule_year",
            (table.id, entry.year),
            flat(entry.model_dump(), ("year", "groups")),
            loc,
            ("schedule", i),
            entry.source,
            entry.total_text,
            labels,
        )
        keys = _occurrences([(g.level,) for g in entry.groups])
        for j, (group, key) in enumerate(zip(entry.groups, keys)):
            path = ("schedule", i, "groups", j)
            yield Entity(
                "schedule_group",
                (table.id, entry.year, *key),
                flat(group.model_dump(), ("level", "regions")),
                loc,
                path,
                entry.source,
                group.text,
                {**labels, "level": group.level},
            )
            for region, value in group.regions.items():
                yield Entity(
                    "schedule",
                    (table.id, entry.year, *key, region),
                    {"value": value},
                    loc,
                    (*path, "regions", region),
                    entry.source,
                    group.text,
                    {**labels, "level": group.level, "region": region},
                    {"value": ()},
                )


# ------------------------------------------------------------------ a folder


def folder_entities(catalog: Catalog) -> list[Entity]:
    """Every entity of a loaded folder, folder-wide files first, then plans, then tables."""
    result: list[Entity] = []
    for loc, make in (
        (catalog.programme, programme_entities),
        (catalog.regions, regions_entities),
        (catalog.units, units_entities),
        (catalog.disagreements, disagreements_entities),
    ):
        if loc is not None:
            result.extend(make(loc))
    for loc in catalog.plans:
        result.extend(plan_entities(loc))
    for loc in catalog.quotas:
        result.extend(quota_entities(loc))
    return result


FILE_KINDS = {
    "programme": programme_entities,
    "regions": regions_entities,
    "units": units_entities,
    "disagreements": disagreements_entities,
    "plan": plan_entities,
    "quota": quota_entities,
}


# ------------------------------------------------------------------ one file on its own


def file_kind(data: Any) -> str | None:
    """What kind of data file a parsed YAML mapping is, from its keys alone (``git diff`` hands
    a textconv program a temporary copy whose name says nothing)."""
    if not isinstance(data, dict):
        return None
    keys = set(data)
    if "plan" in keys and ({"rows", "schedule", "shares", "targets", "rates", "total"} & keys or "by_level" in keys):
        return "quota"
    if "order" in keys or "tasks" in keys:
        return "plan"
    if {"levels", "period", "issuer"} <= keys:
        return "programme"
    for kind in ("regions", "units", "disagreements"):
        if kind in keys:
            return kind
    return None


def lone_file(raw: bytes, name: str) -> tuple[str | None, list[Entity], list[str]]:
    """The kind and entities of one data file read on its own (no folder: nothing is checked
    against other files), or the reasons it cannot be read as one."""
    from ...load import model as models
    from ...load import yamlpos
    from ...load.loader import Located, validate

    doc = yamlpos.read(raw, name)
    errors = [p.render() for p in doc.problems if p.severity == "error"]
    if errors:
        return None, [], errors
    kind = file_kind(doc.data)
    if kind is None:
        return None, [], [f"{name}: 不是 shiwanqian 的数据文件（看不出是哪一类）"]
    model: Any = {
        "quota": models.QuotaTable,
        "plan": models.Plan,
        "programme": models.Programme,
        "regions": models.RegionsFile,
        "units": models.UnitsFile,
        "disagreements": models.DisagreementsFile,
    }[kind]
    value, problems = validate(doc, model)
    if value is None:
        return kind, [], [p.render() for p in problems]
    return kind, list(FILE_KINDS[kind](Located(value, doc))), []
