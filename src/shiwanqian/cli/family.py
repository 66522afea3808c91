"""A programme and the programmes that refine it (a city's and its counties'): the parent a
refining programme names, read through the parent's query snapshot, and the child folders a
parent's command is given (``--child``). Only ``check``, ``init --parent``, ``allocate`` of a
refining table and ``progress --child`` come here; the everyday queries never read a parent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..domain.refine.check import Refinement
    from ..domain.refine.parent import Parent
    from ..load.loader import Catalog
    from ..load.parent import ParentLink


def parent_snapshot(root: Path, link: ParentLink) -> tuple[Any, tuple[tuple, str] | None]:
    """The parent's snapshot, or where in programme.yaml to say why it cannot be read and why."""
    from ..load.parent import parent_folder
    from ..storage.build import InvalidData
    from ..storage.snapshot import load_snapshot

    folder, why = parent_folder(root, link)
    if folder is None:
        return None, (("parent", "data"), why or "")
    try:
        snapshot = load_snapshot(folder)
    except InvalidData as error:
        errors = len(error.findings)
        return None, (
            ("parent", "data"),
            f"上级数据目录 {link.data} 有 {errors} 处错误（shiwanqian check --data {link.data} 可列出），"
            "无法核对本工程的分解",
        )
    names = [r["name"] for r in snapshot["regions"]]
    if link.region not in names:
        from ..domain.programme.vocab import name_hint

        index = {spelling: found[0] for spelling, found in snapshot["names"].items()}
        return None, (
            ("parent", "region"),
            f"上级工程（{snapshot['programme']['name']}）没有区域“{link.region}”（须写全称）"
            + name_hint(link.region, index),
        )
    return snapshot, None


def parent_of(catalog: Catalog) -> tuple[Parent | None, tuple[tuple, str] | None]:
    """The parent a programme refines, as the refinement reads it (None, None: it names none)."""
    from ..domain.refine.parent import parent_view

    programme = catalog.programme.model if catalog.programme is not None else None
    if programme is None or programme.parent is None:
        return None, None
    link = programme.parent
    snapshot, problem = parent_snapshot(catalog.root, link)
    if snapshot is None:
        return None, problem
    return parent_view(snapshot, link.region, link.data), None


def refinement(catalog: Catalog) -> Refinement | None:
    """For ``check``: a programme that names a parent is held to it (None: it names none)."""
    from ..domain.refine.check import Refinement

    parent, problem = parent_of(catalog)
    if parent is None and problem is None:
        return None
    return Refinement(catalog, parent, problem)


_SNAPSHOTS: dict[Path, Any] = {}  # parent folder (resolved) → its snapshot, read once a run


def _parent_snapshot_cached(root: Path, link: ParentLink) -> tuple[Any, tuple[tuple, str] | None]:
    """``parent_snapshot``, reading each parent once however many children name it."""
    from ..load.parent import parent_folder

    folder, _ = parent_folder(root, link)
    key = folder.resolve() if folder is not None else None
    if key is not None and key in _SNAPSHOTS:
        snapshot = _SNAPSHOTS[key]
        if link.region not in [r["name"] for r in snapshot["regions"]]:
            return parent_snapshot(root, link)  # says why, as for the first child
        return snapshot, None
    snapshot, problem = parent_snapshot(root, link)
    if key is not None and snapshot is not None:
        _SNAPSHOTS[key] = snapshot
    return snapshot, problem


def refinement_under(parent: Path) -> Callable[[Catalog], Refinement | None]:
    """For ``check --child``: a child is held to ``parent``, and must name it as its parent."""
    from ..domain.refine.check import Refinement
    from ..domain.refine.parent import parent_view
    from ..load.parent import parent_folder

    def factory(catalog: Catalog) -> Refinement | None:
        programme = catalog.programme.model if catalog.programme is not None else None
        if programme is None:
            return None
        link = programme.parent
        if link is None:
            return Refinement(catalog, None, ((), f"下级 {catalog.root} 的 programme.yaml 没有写明上级工程（parent）"))
        folder, _ = parent_folder(catalog.root, link)
        if folder is not None and folder.resolve() != parent.resolve():
            return Refinement(
                catalog, None, (("parent", "data"), f"上级数据目录写的是 {link.data}，不是本次检查的上级 {parent}")
            )
        snapshot, problem = _parent_snapshot_cached(catalog.root, link)
        if snapshot is None:
            return Refinement(catalog, None, problem)
        return Refinement(catalog, parent_view(snapshot, link.region, link.data))

    return factory


@dataclass(frozen=True)
class Child:
    """A refining programme ``--child`` names: its data folder and its progress folder (the
    ``progress`` folder beside a data folder called ``data``, as in a county's own repository)."""

    data: Path
    progress: Path | None


def _child(data: Path) -> Child:
    progress = data.parent / "progress"
    return Child(data, progress if data.name == "data" and progress.is_dir() else None)


def children(paths: list[Path]) -> list[Child]:
    """The children ``--child`` names: a data folder, a county's folder with ``data/`` (and
    ``progress/``), or a folder of such folders (each of its subfolders that is one)."""
    from .common import fail

    found: list[Child] = []
    for path in paths:
        if (path / "programme.yaml").is_file():
            found.append(_child(path))
        elif (path / "data" / "programme.yaml").is_file():
            found.append(_child(path / "data"))
        elif path.is_dir():
            subs = sorted((p for p in path.iterdir() if p.is_dir()), key=lambda p: p.name)
            inner = [
                _child(p if (p / "programme.yaml").is_file() else p / "data")
                for p in subs
                if (p / "programme.yaml").is_file() or (p / "data" / "programme.yaml").is_file()
            ]
            if not inner:
                fail(f"--child {path} 不是数据目录，其中也没有数据目录（含 programme.yaml，或 data/programme.yaml）")
            found += inner
        else:
            fail(f"--child {path} 不存在或不是文件夹")
    return list({child.data.resolve(): child for child in found}.values())
