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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from . import yamlpos
from .datadir import ENV_VAR, DataFolderError, default_data_dir, resolve_data_dir  # noqa: F401 (re-exported)
from ..findings import Finding
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


def display_path(path: Path) -> str:
    """Paths relative to the working directory where possible, for clickable messages."""
    try:
        return os.path.relpath(path)
    except ValueError:  # different drive on Windows
        return str(path)


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    loc = error["loc"]
    name = loc[-1] if loc else ""
    if kind == "extra_forbidden":
        return f"未知的键“{name}”（可能拼错了）"
    if kind == "missing":
        return f"缺少必填的键“{name}”"
    got = error.get("input")
    if isinstance(got, (datetime.date, datetime.datetime)):
        return (f"这里应是{'年份' if name in ('year', 'since', 'start', 'end') else '数字或文字'}，而不是日期 {got.isoformat()}"
                "（YAML 把 2016-07-01 这样的写法读作日期；年份只写 2016）")
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
        hint = "（YAML 把 yes/no/on/off 读作真假值、把日期读作日期，请加引号）" if not isinstance(got, (dict, list)) else ""
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
            findings.append(doc.problem(loc, "schema", _message(error), key=key))
        return None, findings


def _read(path: Path) -> yamlpos.Document:
    file = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        return yamlpos.Document(file, problems=[Finding(file, 1, 1, "unreadable", f"无法读取文件：{error.strerror}")])
    return yamlpos.read(raw, file)


def _load_file(path: Path, model: type[M], catalog: Catalog) -> Located | None:
    doc = _read(path)
    catalog.problems.extend(doc.problems)
    if any(p.severity == "error" for p in doc.problems):
        return None
    value, problems = validate(doc, model)
    catalog.problems.extend(problems)
    if value is None:
        return None
    doc.compact()
    return Located(value, doc)


def _declared_id(path: Path) -> str | None:
    """The ``id:`` a broken file declares, read leniently (it failed validation)."""
    try:
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
    return sorted((p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()),
                  key=lambda p: p.name)


def load(root: Path) -> Catalog:
    # Loading allocates hundreds of thousands of small objects that all stay alive; the
    # cyclic garbage collector would rescan them again and again (on the 100× synthetic data
    # that triples the time). Nothing here makes garbage cycles worth collecting meanwhile.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(root)
    finally:
        if enabled:
            gc.enable()


def _load(root: Path) -> Catalog:
    catalog = Catalog(root)
    singles = {
        "programme": ("programme.yaml", Programme, True),
        "regions": ("regions.yaml", RegionsFile, True),
        "units": ("units.yaml", UnitsFile, True),
        "disagreements": ("disagreements.yaml", DisagreementsFile, False),
    }
    for attr, (name, model, required) in singles.items():
        path = root / name
        if not path.is_file():
            if required:
                catalog.problems.append(Finding(display_path(path), 1, 1, "missing-file",
                                                f"缺少数据文件 {name}"))
            continue
        setattr(catalog, attr, _load_file(path, model, catalog))
    for folder, model, good, broken in (("plans", Plan, catalog.plans, catalog.broken_plans),
                                        ("quotas", QuotaTable, catalog.quotas, catalog.broken_quotas)):
        for path in _yaml_files(root / folder):
            located = _load_file(path, model, catalog)
            if located is not None:
                good.append(located)
            else:
                broken.append(_declared_id(path))
    if catalog.programme is not None and catalog.programme.model.source_text:
        source = root / catalog.programme.model.source_text
        try:
            catalog.source_text = source.read_text(encoding="utf-8")
        except FileNotFoundError:
            line, column = catalog.programme.position("source_text")
            catalog.problems.append(Finding(catalog.programme.doc.file, line, column, "source-text",
                                            f"找不到原文文件 {source.name}（应在数据目录中，与 programme.yaml 同级）"))
        except (OSError, UnicodeDecodeError):
            line, column = catalog.programme.position("source_text")
            catalog.problems.append(Finding(catalog.programme.doc.file, line, column, "source-text",
                                            f"无法读取原文文件 {source.name}（须为 UTF-8 文本）"))
    return catalog
