"""What every check of a data folder shares: the names of regions, units and 学段, the
period and vocabulary (``Context``), and what the checks of one file keep for those of the
files after it (``Seen``)."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ...load.loader import Catalog
from ...load.model import Period, Target, Vocabulary
from ..numerals import find_numbers
from ..programme.vocab import RegionNames, UnitNames


@dataclass(frozen=True)
class Context:
    regions: RegionNames
    units: UnitNames
    levels: tuple[str, ...]
    period_start: int
    period_end: int
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    has_parent: bool = False  # programme.yaml names a parent programme (this one refines it)

    @functools.cached_property
    def short_names(self) -> dict[str, list[str]]:
        """Each region's name and short names, as quotations may write it."""
        return {r.name: [r.name, *r.short] for r in self.regions.regions}

    @functools.cached_property
    def numbered_names(self) -> dict[str, tuple[str, ...]]:
        """Names of units, regions and 学段 that hold a number (13个高中学科基地), by that number's text."""
        names = (
            *self.units.units,
            *(a for u in self.units.units.values() for a in u.aliases),
            *self.regions.all_aliases(),
            *self.levels,
        )
        index: dict[str, set[str]] = defaultdict(set)
        for name in set(names):
            for number in find_numbers(name):
                index[number.text].add(name)
        return {key: tuple(sorted(value)) for key, value in index.items()}

    @classmethod
    def of(cls, catalog: Catalog) -> Context | None:
        if not (catalog.programme and catalog.regions and catalog.units):
            return None
        programme = catalog.programme.model
        return cls(
            RegionNames(catalog.regions.model.regions),
            UnitNames(catalog.units.model.units),
            tuple(programme.levels),
            programme.period.start,
            programme.period.end,
            programme.vocabulary,
            programme.parent is not None,
        )


@dataclass
class Seen:
    """What the checks of one file need from the files before it, or keep for the end."""

    broken_plans: list[str | None]
    plan_files: dict[str, str] = field(default_factory=dict)  # plan id → file, for duplicate ids
    plan_periods: dict[str, Period | None] = field(default_factory=dict)  # plan id → its period
    quota_files: dict[str, str] = field(default_factory=dict)
    plan_kinds: Counter[str] = field(default_factory=Counter)
    task_kinds: Counter[str] = field(default_factory=Counter)
    quota_ids: Counter[str] = field(default_factory=Counter)
    # statement key → (file, line, column, target) of each target that has it, in file order
    statements: dict[str, list[tuple[str, int, int, Target]]] = field(default_factory=lambda: defaultdict(list))
    quotes: dict[str, bool] = field(default_factory=dict)  # quotation → found in the document
