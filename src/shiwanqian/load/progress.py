"""Progress reports: where they live and how they load.

Reports are kept apart from the document's data (they are what the bureaus did, not what
the document says): ``--progress DIR``, else ``SHIWANQIAN_PROGRESS``, else ``./progress``
when the current folder has one. A progress folder inside the data folder is refused.
Every ``*.yaml`` file in the folder is one ``ProgressReport``, except ``programme.yaml``: the
record of which programme the folder belongs to (``ProgressOwner``, written by ``progress
import``; folders written before 0.4.0 have none). They load through the same positional
loader as the data, so every problem is ``file:line:column`` and all of them are reported in
one run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..findings import Finding

ENV_VAR = "SHIWANQIAN_PROGRESS"
DEFAULT = Path("progress")
OWNER_FILE = "programme.yaml"  # which programme the folder belongs to; not a report


class ProgressFolderError(Exception):
    """The progress folder itself is unusable: a usage error."""


def named(option: Path | None) -> bool:
    """Was the progress folder named (``--progress`` or ``SHIWANQIAN_PROGRESS``), rather than
    picked up as ``./progress`` in the working folder?"""
    return option is not None or bool(os.environ.get(ENV_VAR))


def resolve_progress_dir(option: Path | None, data_root: Path | None = None, *, create: bool = False) -> Path | None:
    """The progress folder in use, or None when there is none.

    ``create`` (for ``progress import``): with no folder given, ``./progress`` is the one
    to use even when it does not exist yet.
    """
    path = option or (Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else None)
    if path is None and (DEFAULT.is_dir() or create):
        path = DEFAULT
    if path is None:
        return None
    if path.exists() and not path.is_dir():
        raise ProgressFolderError(f"进度目录不是文件夹：{path}")
    if not path.exists() and not create:
        raise ProgressFolderError(f"进度目录不存在：{path}")
    if data_root is not None:
        resolved, data = path.resolve(), data_root.resolve()
        if resolved == data or data in resolved.parents:
            raise ProgressFolderError(
                f"进度目录不能放在数据目录之内：{path}（数据目录 {data_root}）；"
                "填报记录与原文数据分开保存，例如 ./progress"
            )
    return path


@dataclass
class ProgressSet:
    """Every report of a progress folder, valid ones as located models, in file-name order."""

    root: Path
    reports: list = field(default_factory=list)  # list[Located] of ProgressReport
    problems: list[Finding] = field(default_factory=list)
    broken: list[str | None] = field(default_factory=list)  # ids declared by files that failed


def read_owner(root: Path) -> tuple[dict[str, object] | None, list[Finding]]:
    """The programme the folder records it belongs to, as plain data (``programme``,
    ``document``, ``period`` [start, end], ``title``), or None when it records none (a folder
    of an earlier version) or the record is broken (then with its problems)."""
    from .loader import Catalog, _load_file
    from .progress_model import ProgressOwner

    path = root / OWNER_FILE
    if not path.is_file():
        return None, []
    sink = Catalog(root)
    located = _load_file(path, ProgressOwner, sink)
    if located is None:
        return None, sink.problems
    owner = located.model
    period = [owner.period.start, owner.period.end]
    return {"programme": owner.programme, "document": owner.document, "period": period, "title": owner.title}, []


def programme_of(data_root: Path) -> dict[str, object] | None:
    """The data folder's programme as ``domain.progress.owner.identity`` takes it (``id``,
    ``document``, ``period``, ``title``), read from ``programme.yaml`` alone; None when that
    file does not load (``check`` reports why)."""
    from .loader import Catalog, _load_file
    from .model import Programme

    path = data_root / "programme.yaml"
    located = _load_file(path, Programme, Catalog(data_root)) if path.is_file() else None
    if located is None:
        return None
    model = located.model
    period = [model.period.start, model.period.end]
    return {"id": model.id, "document": model.document, "period": period, "title": model.title}


def load_progress(root: Path) -> ProgressSet:
    from .loader import Catalog, _declared_id, _load_file, _yaml_files
    from .progress_model import ProgressReport

    result = ProgressSet(root)
    sink = Catalog(root)  # _load_file collects problems on a catalog
    for path in _yaml_files(root):
        if path.name == OWNER_FILE:
            continue
        located = _load_file(path, ProgressReport, sink)
        if located is not None:
            result.reports.append(located)
        else:
            result.broken.append(_declared_id(path))
    result.problems = sink.problems + read_owner(root)[1]
    return result
