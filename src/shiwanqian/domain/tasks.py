"""Task records and the one selection over them that ``schedule``, ``agenda``, ``timeline`` and
``export ics`` share: by dates (a window of days), region, responsible unit and plan.

The records are plain dicts (the query snapshot caches them as JSON), so selecting needs
neither pydantic nor YAML.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .dates import Window, first, within
from .units import Responsibility

if TYPE_CHECKING:
    from ..load.loader import Catalog


def task_records(catalog: Catalog) -> list[dict[str, Any]]:
    """Every task as a record in document order, with ``applies`` (the regions it falls on) and
    ``sort`` (plan order, task order) for the selection; neither is shown to users."""
    from .queries import Entry, unit_applies, vocabulary

    regions = catalog.regions.model.regions
    units = {u.name: u for u in catalog.units.model.units}
    words = vocabulary(catalog)
    records = []
    for loc in sorted(catalog.plans, key=lambda x: x.model.order):
        for index, task in enumerate(loc.model.tasks):
            applies = [r.name for r in regions
                       if (task.regions is None or r.name in task.regions)
                       and any(unit_applies(units[u], r.name, r.kind, words) for u in task.units if u in units)]
            records.append({**Entry(loc.model, task).record(), "sort": [loc.model.order, index],
                            "applies": applies})
    return records


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
        result["dates"] = "、".join(f"{d['start']}/{d['end']}" if d["start"] else d["deadline"]
                                   for d in record["dates"])
    return result


def select(tasks: list[dict[str, Any]], *, window: Window | None = None, region: str | None = None,
           unit: str | None = None, plan: str | None = None, units: Responsibility | None = None,
           exact: bool = False) -> list[dict[str, Any]]:
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


def why_empty(tasks: list[dict[str, Any]], labels: dict[str, str], **filters: Any) -> str:
    """Why no task matches: which filter alone keeps none, or that they only fail together.

    ``filters`` are :func:`select`'s keyword arguments; ``labels`` names each given filter
    for users (``{"unit": "市教师培训中心", "window": "2017年上半年"}``).
    """
    common = {k: filters[k] for k in ("units", "exact") if k in filters}
    given = [k for k in labels if filters.get(k) is not None and labels[k]]
    alone = {k: len(select(tasks, **common, **{k: filters[k]})) for k in given}
    empty = [labels[k] for k in given if alone[k] == 0]
    if empty:
        return f"没有符合条件的任务：{'、'.join(empty)} 没有任何任务。"
    if len(given) > 1:
        counts = "，".join(f"{labels[k]} {alone[k]} 项" for k in given)
        return f"没有符合条件的任务：单看每个条件都有任务（{counts}），但没有同时满足全部条件的任务。"
    return "没有符合条件的任务。"
