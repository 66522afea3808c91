"""Task records and the one selection over them that ``schedule``, ``agenda``, ``timeline`` and
``export ics`` share: by dates (a window of days), region, responsible unit and plan.

The records are plain dicts (the query snapshot caches them as JSON), so selecting needs
neither pydantic nor YAML.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .applies import Applies, RegionKinds
from .dates import Window, first, within
from .scope import vocabulary
from .units import Responsibility

if TYPE_CHECKING:
    from ...load.loader import Catalog
    from ...load.model import Plan, Task


def task_records(catalog: Catalog, *, rules: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Every task as a record in document order, with ``applies`` (the regions it falls on) and
    ``sort`` (plan order, task order) for the selection; neither is shown to users.

    ``rules``, when given, receives each task's ``applies`` as a rule (see :class:`Applies`),
    in the same order: what the query snapshot stores instead of the list."""
    regions = catalog.regions_model.regions
    kinds = RegionKinds([{"name": r.name, "kind": r.kind} for r in regions])
    records = []
    for loc in sorted(catalog.plans, key=lambda x: x.model.order):
        for index, task in enumerate(loc.model.tasks):
            rule = applies_rule(catalog, task.units, task.regions, kinds)
            records.append(
                {
                    **Entry(loc.model, task).record(),
                    "sort": [loc.model.order, index],
                    "applies": list(Applies(rule, kinds)),
                }
            )
            if rules is not None:
                rules.append(rule)
    return records


def applies_rule(
    catalog: Catalog, unit_names: list[str], only: list[str] | None, regions: RegionKinds
) -> dict[str, Any]:
    """Which regions a task falls on, as a rule rather than a list: the regions its units name
    (``named``: a unit of one region works there) and the kinds of region its other units'
    levels cover (``kinds``), within the task's own ``regions`` (``only``) when it lists them."""
    units = {u.name: u for u in catalog.units_model.units}
    words = vocabulary(catalog)
    named, levels = [], []
    for name in unit_names:
        unit = units.get(name)
        if unit is None:
            continue
        if unit.region is not None:
            named.append(unit.region)
        elif (level := words.unit_level(unit.level)) is not None:
            levels.append(level)
    kinds = [k for k in dict.fromkeys(regions.kinds.values()) if any(level.covers(k) for level in levels)]
    return {"only": list(only) if only is not None else None, "named": list(dict.fromkeys(named)), "kinds": kinds}


HIDDEN = ("sort", "applies")


def public(record: dict[str, Any], *, flat: bool = False) -> dict[str, Any]:
    """A task record as users get it (JSON/CSV): without the selection's own fields, with
    ``share`` and ``via`` always present.

    ``flat`` (CSV) writes ``dates`` as text: ``2017-07-01/2017-12-31`` for a span, the day
    alone for a deadline, joined with 、.
    """
    result = {k: v for k, v in record.items() if k not in HIDDEN}
    # How the unit asked for with --unit stands to the task (null / empty without --unit):
    # every record has the same keys.
    result.setdefault("share", None)
    result.setdefault("via", [])
    if flat:
        result["dates"] = "、".join(
            f"{d['start']}/{d['end']}" if d["start"] else d["deadline"] for d in record["dates"]
        )
    return result


def select(
    tasks: list[dict[str, Any]],
    *,
    window: Window | None = None,
    region: str | None = None,
    unit: str | None = None,
    plan: str | None = None,
    units: Responsibility | None = None,
    exact: bool = False,
) -> list[dict[str, Any]]:
    """The task records the filters keep, in time order.

    ``unit`` keeps the tasks the unit is named for and, unless ``exact``, those it shares
    through a general unit that includes it or answers for through a unit it includes
    (``units`` knows the inclusions); each record then says how: ``share`` (own | shared |
    part) and ``via`` (the units named in the task through which it is shared).

    With a ``window`` each record keeps only its dated items inside it (``start``, ``end``,
    ``deadline`` and ``dates`` describe those), and a task with none is left out.
    Time order: the first dated item kept, then the plan's and the task's order in the document.
    """
    chosen = []
    for task in tasks:
        if plan is not None and task["plan"] != plan:
            continue
        if region is not None and region not in task["applies"]:
            continue
        relation = None
        if unit is not None:
            relation = (units or Responsibility([])).relation(unit, task["units"], exact=exact)
            if relation is None:
                continue
        kept = within(task, window)
        if kept is None:
            continue
        if relation is not None:
            kept = {**kept, "share": relation.share, "via": list(relation.via)}
        chosen.append(kept)
    chosen.sort(key=lambda t: (first(t["dates"][0]), *t["sort"]))
    return chosen


def why_empty(tasks: list[dict[str, Any]], labels: Mapping[str, str | None], **filters: Any) -> str:
    """Why no task matches: which filter alone keeps none, or that they only fail together.

    ``filters`` are :func:`select`'s keyword arguments; ``labels`` names each given filter
    for users (``{"unit": "市教师培训中心", "window": "2017年上半年"}``).
    """
    common = {k: filters[k] for k in ("units", "exact") if k in filters}
    given = {k: label for k, label in labels.items() if label and filters.get(k) is not None}
    alone = {k: len(select(tasks, **common, **{k: filters[k]})) for k in given}
    empty = [given[k] for k in given if alone[k] == 0]
    if empty:
        return f"没有符合条件的任务：{'、'.join(empty)} 没有任何任务。"
    if len(given) > 1:
        counts = "，".join(f"{given[k]} {alone[k]} 项" for k in given)
        return f"没有符合条件的任务：单看每个条件都有任务（{counts}），但没有同时满足全部条件的任务。"
    return "没有符合条件的任务。"


# ------------------------------------------------------------------ entries


@dataclass(frozen=True)
class Entry:
    plan: Plan
    task: Task

    def record(self) -> dict[str, Any]:
        """The task as a flat record, with its dates from the one mapping (``shiwanqian.domain.programme.dates``)."""
        from .dates import date_records, summary, task_months

        t = self.task
        dates = date_records(t.timing)
        return {
            "plan": self.plan.id,
            "plan_title": self.plan.title,
            "item": t.item,
            "kind": "task",
            "category": t.kind,
            "name": t.name,
            "when": t.when,
            "years": list(t.timing.years),
            "months": task_months(t.timing),
            **summary(dates),
            "dates": dates,
            "requirement": t.requirement,
            "units": list(t.units),
            "regions": list(t.regions) if t.regions is not None else None,
            "source": t.source,
        }


def schedule_entries(
    catalog: Catalog,
    *,
    year: int | None = None,
    region: str | None = None,
    region_kind: str | None = None,
    unit: str | None = None,
    plan: str | None = None,
    window: Window | None = None,
    exact: bool = False,
) -> list[Entry]:
    """The tasks the filters keep, in time order: the selection of :func:`.tasks.select`
    (``region_kind`` is no longer needed: a task's regions come from its units)."""
    from .dates import window as make_window

    if year is not None:
        whole_year = make_window(year=year)
        assert whole_year is not None  # a year always makes a window
        window = whole_year.intersect(window)
    by_key = {
        (loc.model.id, i): Entry(loc.model, task) for loc in catalog.plans for i, task in enumerate(loc.model.tasks)
    }
    return [
        by_key[r["plan"], r["sort"][1]]
        for r in select(
            task_records(catalog),
            window=window,
            region=region,
            unit=unit,
            plan=plan,
            units=Responsibility(catalog.units_model.units),
            exact=exact,
        )
    ]
