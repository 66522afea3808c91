"""A programme that refines another (a county's own programme under the city's): the models of
the link (``programme.yaml``'s ``parent``, a quota table's ``refines``, the weights a split may
follow) and where the parent's data folder is.

The parent's numbers are read only by the commands that need them (``check``, ``init
--parent``, ``allocate --split``, ``progress --child``), never by the everyday queries.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from .fields import Count, Source, Strict, Text


class Weights(Strict):
    """What a proposed split is proportional to: a figure for each region of this programme
    (a town's teachers, its schools …), the same for every 学段, or one for each 学段."""

    basis: Text  # what the figures count: 2016年秋季各乡镇专任教师数
    source: Source  # where they come from
    values: dict[str, Count | dict[str, Count]] = Field(min_length=1)

    def of(self, region: str, level: str | None) -> int:
        """The weight of ``region`` for ``level`` (0 where it has none)."""
        value = self.values.get(region, 0)
        if isinstance(value, int):
            return value
        return value.get(level, 0) if level is not None else sum(value.values())


class ParentLink(Strict):
    """The programme this one refines: its data folder and the region of it this one splits."""

    data: Text  # the parent's data folder, relative to this data folder (../../data)
    region: Text  # the parent's region whose figures this programme splits (a county's name)
    weights: Weights | None = None  # the default weights of a proposed split


class Refines(Strict):
    """The parent's table whose figures for the region this table splits, and how this table's
    学段 are called there (only those that differ)."""

    table: Text
    levels: dict[str, Text] = {}  # this table's 学段 → the parent's
    weights: Weights | None = None  # this table's own weights (else the programme's)

    def parent_level(self, level: str | None) -> str | None:
        return self.levels.get(level, level) if level is not None else None


def parent_folder(root: Path, link: ParentLink) -> tuple[Path | None, str | None]:
    """The parent's data folder, or why it cannot be used (a message to show at ``data``)."""
    path = root / link.data
    if not path.is_dir():
        return None, f"上级数据目录 {link.data} 不存在（相对于本数据目录 {root}）"
    if not (path / "programme.yaml").is_file():
        return None, f"上级数据目录 {link.data} 不是数据目录（其中没有 programme.yaml）"
    try:
        same = path.resolve() == root.resolve()
    except (OSError, RuntimeError):
        return None, f"上级数据目录 {link.data} 无法读取"
    if same:
        return None, "上级数据目录不能是本数据目录自己"
    return path, None
