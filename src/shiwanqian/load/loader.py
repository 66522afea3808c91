"""Load a data folder into one ``Catalog``: YAML with positions → pydantic models.

The pipeline is explicit: find files → read and parse each (``yamlpos``) → validate each
against its model → assemble. Every problem is collected as a ``Finding``; nothing raises
for bad data. A file that fails validation is left out of the catalog, so later checks see
only valid models (and say nothing misleading about the broken file).
"""

from __future__ import annotations

import datetime
import gc
import math
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..findings import Finding
from . import yamlpos
from .datadir import ENV_VAR, DataFolderError, default_data_dir, resolve_data_dir  # noqa: F401 (re-exported)
from .model import (
    DisagreementsFile,
    Plan,
    Programme,
    QuotaTable,
    RegionsFile,
    UnitsFile,
)

M = TypeVar("M", bound=BaseModel)


@dataclass
class Located:
    """A validated model with the parsed document it came from (for positions)."""

    model: Any
    doc: yamlpos.Document

    def position(self, *path: Any, key: bool = False) -> tuple[int, int]:
        return self.doc.position(path, key=key)

    def finding(self, path: tuple[Any, ...], code: str, message: str, **extra: Any) -> Finding:
        line, column = self.doc.position(path, key=extra.pop("key", False))
        return Finding(self.doc.file, line, column, code, message, **extra)


@dataclass
class Catalog:
    """Everything loaded from one data folder, in a deterministic order."""

    root: Path
    programme: Located | None = None
    regions: Located | None = None
    units: Located | None = None
    disagreements: Located | None = None
    plans: list[Located] = field(default_factory=list)
    quotas: list[Located] = field(default_factory=list)
    source_text: str | None = None
    problems: list[Finding] = field(default_factory=list)
    # Plan files that could not be validated, by the id they declare (None when unreadable):
    # checks that count plans or resolve plan references stay quiet about them rather than
    # repeating one mistake as several.
    broken_plans: list[str | None] = field(default_factory=list)
    broken_quotas: list[str | None] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    # The single files' models, for computations that run only on a folder whose single files
    # loaded (the commands refuse a folder with errors before they compute anything).
    @property
    def programme_model(self) -> Programme:
        return _loaded(self.programme, "programme.yaml")

    @property
    def regions_model(self) -> RegionsFile:
        return _loaded(self.regions, "regions.yaml")

    @property
    def units_model(self) -> UnitsFile:
        return _loaded(self.units, "units.yaml")


def _loaded(loc: Located | None, name: str) -> Any:
    if loc is None:
        raise RuntimeError(f"{name} was not loaded")
    return loc.model


def display_path(path: Path) -> str:
    """Paths relative to the working directory where possible, for clickable messages."""
    try:
        return os.path.relpath(path)
    except ValueError:  # different drive on Windows
        return str(path)


def schema_message(error: Mapping[str, Any]) -> str:
    """One pydantic error in Chinese (check's ``schema`` findings; review's refusals)."""
    kind = error["type"]
    loc = error["loc"]
    name = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        return f"未知的键“{name}”（可能拼错了）"
    if kind == "missing":
        return f"缺少必填的键“{name}”"
    got = error.get("input")
    if isinstance(got, (datetime.date, datetime.datetime)):
        return (
            f"这里应是{'年份' if name in ('year', 'since', 'start', 'end') else '数字或文字'}，而不是日期 {got.isoformat()}"
            "（YAML 把 2016-07-01 这样的写法读作日期；年份只写 2016）"
        )
    if kind == "finite_number":
        return "数值太大（超出了可表示的范围）"
    if kind in ("int_type", "int_parsing"):
        if isinstance(got, float):
            return f"这里应是整数，而不是小数 {got}"
        if isinstance(got, bool):
            return f"这里应是整数，而不是 {got!r}（YAML 把 yes/no/on/off 读作真假值）"
        return f"这里应是整数，而不是 {got!r}"
    if kind == "string_type" and got is None:
        return f"“{name}”不能为空，请填写文字"
    if kind == "string_type":
        hint = (
            "（YAML 把 yes/no/on/off 读作真假值、把日期读作日期，请加引号）"
            if not isinstance(got, (dict, list))
            else ""
        )
        return f"这里应是文字，而不是 {got!r}{hint}"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "").replace(" or ", ", ")
        return f"不允许的值“{error.get('input')}”，应为以下之一：{expected.replace(', ', '、')}"
    if kind in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        want = {"list_type": "列表", "dict_type": "映射（键: 值）"}.get(kind, "映射（键: 值）")
        shown = repr(error.get("input"))
        shown = shown if len(shown) <= 60 else shown[:60] + "…"
        return f"这里应是{want}，而不是 {shown}"
    if kind in ("greater_than_equal", "less_than_equal"):
        bounds, got = error.get("ctx", {}), error.get("input")
        if isinstance(got, float) and math.isnan(got):
            return "这里应是数，而不是 .nan"
        if bounds.get("le") == 10**9:
            return f"数量大得不合理：{str(got)[:30]}{'…' if len(str(got)) > 30 else ''}"
        if bounds.get("ge") == 1900 or bounds.get("le") == 2100:
            return f"年份不合理：{got!r}"
        if bounds.get("le") == 100:
            return f"百分比必须在 0 到 100 之间：{got!r}"
        if bounds.get("le") == 12 or (bounds.get("ge") == 1 and kind == "greater_than_equal"):
            return f"月份必须在 1 到 12 之间：{got!r}"
        if bounds.get("ge") == 0:
            return f"数量不能为负数：{got!r}"
        return f"超出允许范围：{got!r}"
    if kind == "string_pattern_mismatch":
        return f"“{got}”不合要求：只能用英文字母、数字和下划线，并以字母开头"
    if kind == "too_short":
        return "不能为空列表"
    msg = error["msg"]
    return msg.removeprefix("Value error, ")


def validate(doc: yamlpos.Document, model: type[M]) -> tuple[M | None, list[Finding]]:
    if doc.data is None:
        return None, []
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        findings = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            key = error["type"] == "extra_forbidden"
            findings.append(doc.problem(loc, "schema", schema_message(error), key=key))
        return None, findings


MAX_SOURCE_BYTES = 20_000_000  # the original text: a programme document, not a library


class Folders:
    """The folders of one data folder, each resolved and shown once for all the files listed
    in it (thousands of files in a large folder)."""

    def __init__(self) -> None:
        self._real: dict[Path, Path] = {}
        self._shown: dict[Path, str] = {}

    def real(self, folder: Path) -> Path:
        real = self._real.get(folder)
        if real is None:
            real = self._real[folder] = folder.resolve(strict=True)
        return real

    def shown(self, path: Path) -> str:
        """``display_path`` of a file listed in its folder."""
        folder = self._shown.get(path.parent)
        if folder is None:
            folder = self._shown[path.parent] = display_path(path.parent)
        return path.name if folder == "." else os.path.join(folder, path.name)


def inside(root: Path, path: Path, *, folders: Folders | None = None) -> str | None:
    """Why ``path`` may not be read as part of the data folder ``root`` (None: it may).

    Data come from elsewhere: a file must be a regular file that is really inside the folder
    (not a link to ``/etc/passwd`` or ``~/.ssh``, whose lines would end up quoted in findings
    and CI logs; not a device such as ``/dev/zero``, nor a named pipe that would block).
    ``folders`` (for a file listed in a folder: its name is one plain component): a file that
    is not a link is then its folder's real path and its name, found with one ``lstat``
    instead of resolving every component of both paths again."""
    try:
        if folders is None:
            real, base = path.resolve(strict=True), root.resolve(strict=True)
            info = None
        else:
            base = folders.real(root)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                real, info = path.resolve(strict=True), None
            else:
                real = folders.real(path.parent) / path.name
    except FileNotFoundError:
        return "missing"
    except (OSError, RuntimeError):  # a loop of links and the like
        return "不是可读取的普通文件"
    if not real.is_relative_to(base):
        return "指向数据目录之外（数据只能读取数据目录中的文件）"
    try:
        if info is None:
            info = os.stat(real)
    except OSError as error:
        return f"无法读取：{error.strerror}"
    if not stat.S_ISREG(info.st_mode):
        return "不是普通文件（设备、管道或目录）"
    return None


def _read(path: Path, root: Path | None = None, folders: Folders | None = None) -> yamlpos.Document:
    file = folders.shown(path) if folders is not None else display_path(path)
    why = inside(root, path, folders=folders) if root is not None else None
    if why is not None and why != "missing":
        return yamlpos.Document(file, problems=[Finding(file, 1, 1, "unreadable", f"无法读取文件：{why}")])
    try:
        size = path.stat().st_size
        if size > yamlpos.MAX_BYTES:  # not read at all: a huge file costs neither time nor memory
            return yamlpos.Document(
                file,
                problems=[
                    Finding(
                        file, 1, 1, "too-large", f"文件过大（{size} 字节），数据文件不应超过 {yamlpos.MAX_BYTES} 字节"
                    )
                ],
            )
        raw = path.read_bytes()
    except OSError as error:
        return yamlpos.Document(file, problems=[Finding(file, 1, 1, "unreadable", f"无法读取文件：{error.strerror}")])
    return yamlpos.read(raw, file)


def _load_file(
    path: Path, model: type[M], catalog: Catalog, *, kept: bool = True, folders: Folders | None = None
) -> Located | None:
    from ..safetext import describe, find_control

    index = find_control(path.name)
    if index is not None:  # it would garble terminals and forge lines in CI logs
        catalog.problems.append(
            Finding(
                display_path(path), 1, 1, "file-name", f"文件名中有控制字符 {describe(path.name[index])}；请重命名文件"
            )
        )
        return None
    doc = _read(path, catalog.root, folders)
    catalog.problems.extend(doc.problems)
    if any(p.severity == "error" for p in doc.problems):
        return None
    value, problems = validate(doc, model)
    catalog.problems.extend(problems)
    if value is None:
        return None
    doc.compact(kept=kept)
    return Located(value, doc)


def _declared_id(path: Path, root: Path | None = None) -> str | None:
    """The ``id:`` a broken file declares, read leniently (it failed validation)."""
    from ..safetext import find_control

    if (root is not None and inside(root, path) is not None) or find_control(path.name) is not None:
        return None
    try:
        if path.stat().st_size > yamlpos.MAX_BYTES:
            return None
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("id:"):
                return line[3:].strip().strip("'\"") or None
    except OSError:
        pass
    return None


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    # Sorted by name so that output never depends on the order the file system lists files.
    return sorted((p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()), key=lambda p: p.name)


def load(root: Path, visit: Callable[[Catalog, Located], None] | None = None, *, keep: bool = True) -> Catalog:
    """Load a data folder: the single files, the source text, then every plan and quota table.

    ``visit(catalog, located)`` is called on each valid plan and quota table as soon as it is
    loaded (the single files and the source text are in the catalog by then, and every plan
    file is read before the first table); with ``keep=False`` they are then left out of the
    catalog, so a caller that checks file by file holds one file's models at a time.
    """
    # Loading allocates hundreds of thousands of small objects that all stay alive; the
    # cyclic garbage collector would rescan them again and again (on the 100× synthetic data
    # that triples the time). Nothing here makes garbage cycles worth collecting meanwhile.
    with gc_paused():
        return _load(root, visit, keep)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile (reference counting still frees what is dropped).

    For work over a loaded catalog: its many long-lived objects make every full collection a
    pass over all of them (a fifth of a cold ``allocate`` on 5,000 regions), and the work
    makes no cycles worth collecting. Nested uses are fine; collection resumes as before."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(root: Path, visit: Callable[[Catalog, Located], None] | None, keep: bool) -> Catalog:
    catalog = Catalog(root)
    singles: dict[str, tuple[str, type[BaseModel], bool]] = {
        "programme": ("programme.yaml", Programme, True),
        "regions": ("regions.yaml", RegionsFile, True),
        "units": ("units.yaml", UnitsFile, True),
        "disagreements": ("disagreements.yaml", DisagreementsFile, False),
    }
    for attr, (name, model, required) in singles.items():
        path = root / name
        if not path.is_file():
            if required:
                catalog.problems.append(Finding(display_path(path), 1, 1, "missing-file", f"缺少数据文件 {name}"))
            continue
        setattr(catalog, attr, _load_file(path, model, catalog))
    if catalog.programme is not None and catalog.programme.model.source_text:
        _read_source_text(catalog, root, catalog.programme.model.source_text)
    folders = Folders()
    for folder, model, good, broken in (
        ("plans", Plan, catalog.plans, catalog.broken_plans),
        ("quotas", QuotaTable, catalog.quotas, catalog.broken_quotas),
    ):
        for path in _yaml_files(root / folder):
            located = _load_file(path, model, catalog, kept=keep, folders=folders)
            if located is None:
                broken.append(_declared_id(path, root))
                continue
            if visit is not None:
                visit(catalog, located)
            if keep:
                good.append(located)
    return catalog


def _read_source_text(catalog: Catalog, root: Path, name: str) -> None:
    """The original text: a regular UTF-8 file inside the data folder, of a sane size."""
    from ..safetext import one_line

    programme = catalog.programme
    assert programme is not None  # read only after programme.yaml loaded
    line, column = programme.position("source_text")

    def problem(message: str) -> None:
        catalog.problems.append(Finding(programme.doc.file, line, column, "source-text", message))

    source = root / name
    shown = one_line(name)
    why = inside(root, source)
    if why == "missing":
        problem(f"找不到原文文件 {shown}（应在数据目录中，与 programme.yaml 同级）")
        return
    if why is not None:
        problem(f"原文文件 {shown} {why}")
        return
    try:
        with open(source, "rb") as handle:
            raw = handle.read(MAX_SOURCE_BYTES + 1)
    except OSError:
        problem(f"无法读取原文文件 {shown}（须为 UTF-8 文本）")
        return
    if len(raw) > MAX_SOURCE_BYTES:
        problem(f"原文文件 {shown} 过大（超过 {MAX_SOURCE_BYTES} 字节），不像是一份文件的原文")
        return
    try:
        catalog.source_text = raw.decode("utf-8")
    except UnicodeDecodeError:
        problem(f"无法读取原文文件 {shown}（须为 UTF-8 文本）")
