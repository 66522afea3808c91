"""Who a target or a unit applies to: a region by its own name, or a group of regions by the
kinds the programme's vocabulary declares (``scopes``, ``unit_levels``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models import pydantic; scope stays importable without it
    from ...load.loader import Catalog
    from ...load.model import Unit, Vocabulary


def vocabulary(catalog: Catalog) -> Vocabulary:
    """The programme's declared words (scopes, unit levels …), or the defaults."""
    if catalog.programme is not None:
        return catalog.programme.model.vocabulary
    from ...load.model import Vocabulary

    return Vocabulary()


def scope_applies(scope: str, region: str, region_kind: str, words: Vocabulary | None = None) -> bool:
    """Whether a target of ``scope`` (a region's name or a declared group) falls on ``region``."""
    if scope == region:
        return True
    if words is None:
        from ...load.model import Vocabulary

        words = Vocabulary()
    group = words.scope(scope)
    return group is not None and group.covers(region_kind)


def unit_applies(unit: Unit, region: str, region_kind: str, words: Vocabulary | None = None) -> bool:
    """Whether ``unit`` works in ``region``: its own region, or its level covers the region's kind."""
    if unit.region is not None:
        return unit.region == region
    if words is None:
        from ...load.model import Vocabulary

        words = Vocabulary()
    level = words.unit_level(unit.level)
    return level is not None and level.covers(region_kind)
