"""A change and its one flat record shape (the same keys for every kind, in JSON and CSV)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .facts import Place

# Every record has exactly these keys (null where they do not apply), in this order.
RECORD_KEYS = (
    "change",  # added | removed | changed
    "layer",  # data: what the folder states | effect: what follows from it downstream
    "kind",
    "plan",
    "quota",
    "region",
    "level",
    "year",
    "unit",
    "item",
    "name",
    "field",
    "old",
    "new",
    "old_file",
    "old_line",
    "old_column",
    "old_source",
    "old_quote",
    "new_file",
    "new_line",
    "new_column",
    "new_source",
    "new_quote",
)
LABELS = ("plan", "quota", "region", "level", "year", "unit", "item", "name")

# Kinds in the order views list them: what the data states, then its effects.
DATA_KINDS = (
    "programme",
    "count",
    "region",
    "unit",
    "disagreement",
    "plan",
    "aim",
    "task",
    "quota",
    "total",
    "row",
    "cell",
    "schedule_year",
    "schedule_group",
    "schedule",
    "shares",
    "share",
    "rate",
    "target",
    "document",
)
EFFECT_KINDS = ("allocation", "budget", "unit_task", "finding")


@dataclass(frozen=True)
class Change:
    change: str  # added | removed | changed
    kind: str
    labels: dict[str, Any]
    field: str | None = None
    old: Any = None
    new: Any = None
    old_at: Place | None = None
    new_at: Place | None = None
    # Hidden from records: the regions and units a change concerns (for --district, --unit).
    regions: frozenset[str] = dataclasses.field(default_factory=frozenset)
    units: frozenset[str] = dataclasses.field(default_factory=frozenset)

    @property
    def layer(self) -> str:
        return "effect" if self.kind in EFFECT_KINDS else "data"

    def record(self) -> dict[str, Any]:
        result: dict[str, Any] = {"change": self.change, "layer": self.layer, "kind": self.kind}
        for label in LABELS:
            result[label] = self.labels.get(label)
        result["field"] = self.field
        result["old"] = self.old
        result["new"] = self.new
        for side, place in (("old", self.old_at), ("new", self.new_at)):
            result[f"{side}_file"] = place.file if place else None
            result[f"{side}_line"] = place.line if place else None
            result[f"{side}_column"] = place.column if place else None
            result[f"{side}_source"] = place.source if place else None
            result[f"{side}_quote"] = place.quote if place else None
        return result


def order_key(change: Change) -> int:
    kinds = DATA_KINDS + EFFECT_KINDS
    return kinds.index(change.kind) if change.kind in kinds else len(kinds)
