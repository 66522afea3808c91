"""``diff --district``, ``--unit``, ``--plan``: the changes that concern one region, unit or plan.

* a region: the changes of its cells, rows, schedules, allocations and budget; the tasks that
  fall on it (on either side) and what its units gain or lose of those; the findings that name it;
* a unit: its own entry in ``units.yaml``, the tasks it answers for on either side (named, or
  through a general unit that includes it, or through a unit it includes) and its gains and losses;
* a plan (or one of its tables): everything recorded under it, and the findings in its files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .changes import Change


def narrow(
    changes: Iterable[Change],
    *,
    region: str | None = None,
    unit: str | None = None,
    plan: str | None = None,
    answers_for: Callable[[str, Iterable[str]], bool] | None = None,
) -> list[Change]:
    """The changes every given filter keeps. ``answers_for(unit, task_units)``: whether the unit
    answers for a task given to ``task_units`` (on either side)."""
    kept = []
    for change in changes:
        if region is not None and region not in change.regions:
            continue
        if plan is not None and change.labels.get("plan") != plan:
            continue
        if unit is not None:
            if change.kind == "task":
                related = unit in change.units or (answers_for is not None and answers_for(unit, change.units))
            else:
                related = change.kind in ("unit", "unit_task") and unit in change.units
            if not related:
                continue
        kept.append(change)
    return kept
