"""Bring a data folder written for an older version to today's format, changing nothing it says.

What changed in the format since 0.1.0 (CHANGELOG, and ``tests/compat/data-0.1.0`` against
``data/``), and what each step of ``plan`` does about it:

* the JSON Schemas beside the data (``schemas/``) are generated from the models, which have
  changed (free words checked against the vocabulary instead of fixed ``enum`` lists, new
  optional fields, the progress schema): regenerated when the folder keeps its own;
* every data file names its schema on its first line (``# yaml-language-server: …``): added
  where missing, when the folder keeps its schemas;
* a target's number that only 0.1.0's loose quotation rule accepted (``1`` found in “11所分院”)
  is a warning today (``quote-number-unconfirmed``) until ``derived`` says how it follows from
  the quotation: written where it follows by division, the quotation's number shared equally by
  the regions of the target's scope (11所分院 over 各区域's 11 regions: 1 each); any other such
  number is left for a person (``Upgrade.left``), since only a person can say how it follows.

Nothing here renames a key or changes a value: 0.1.0's keys are today's (every field added
since is optional, with the old behaviour as its default). A later format change is one more
step. The rewrites are edits of the YAML text at the positions the parser reports
(``load.yamledit``): comments, quoting and layout stay as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...load.yamledit import EditError, insert_key, prepend_line
from .facts import OLD_FORMAT_CODES
from .pairing import relative_file

if TYPE_CHECKING:
    from ...findings import Finding
    from ...load.loader import Catalog


@dataclass(frozen=True)
class Rewrite:
    file: str  # relative to the folder
    line: int
    column: int
    what: str  # in Chinese, for the report


@dataclass
class Upgrade:
    """The new content of every file that changes, what was rewritten, and what was not."""

    files: dict[str, str] = field(default_factory=dict)
    rewrites: list[Rewrite] = field(default_factory=list)
    left: list[Finding] = field(default_factory=list)  # old-format warnings a person must settle
    failed: list[str] = field(default_factory=list)  # edits that could not be made safely


@dataclass
class Folder:
    """What the steps read: the folder, its catalog and findings, and the texts as rewritten so far."""

    root: Path
    catalog: Catalog
    findings: list[Finding]
    result: Upgrade

    def text(self, relative: str) -> str:
        if relative not in self.result.files:
            self.result.files[relative] = (self.root / relative).read_text(encoding="utf-8")
        return self.result.files[relative]

    def data_files(self) -> Iterator[tuple[str, Any]]:
        catalog = self.catalog
        singles = [catalog.programme, catalog.regions, catalog.units, catalog.disagreements]
        for loc in [*(s for s in singles if s is not None), *catalog.plans, *catalog.quotas]:
            yield relative_file(catalog, loc.doc.file), loc


def _schemas(folder: Folder) -> None:
    """The folder's own JSON Schemas, as the models generate them today."""
    from ...load.schemas import schemas

    target = folder.root / "schemas"
    if not target.is_dir():
        return
    for name, text in schemas().items():
        path = target / name
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old != text:
            folder.result.files[f"schemas/{name}"] = text
            what = "按当前版本的数据格式重新生成" if old is not None else "新增（当前版本的数据格式）"
            folder.result.rewrites.append(Rewrite(f"schemas/{name}", 1, 1, what))


def _headers(folder: Folder) -> None:
    """Each data file names its schema on its first line (when the folder keeps schemas)."""
    from ...load.schemas import header

    if not (folder.root / "schemas").is_dir():
        return
    for relative, _ in folder.data_files():
        text = folder.text(relative)
        if "yaml-language-server:" in text.split("\n", 1)[0]:
            continue
        line = header(folder.root / relative, folder.root)
        if line is None:
            continue
        try:
            folder.result.files[relative] = prepend_line(text, line)
        except EditError as error:
            folder.result.failed.append(f"{relative}: {error}")
            continue
        folder.result.rewrites.append(Rewrite(relative, 1, 1, f"第一行写明 JSON Schema：{line}"))


def derivation(target: Any, regions: list[tuple[str, str]], words: Any) -> str | None:
    """How a target's value follows from its quotation by division: the quotation's number
    shared equally by the regions of the target's scope; None when it does not."""
    from ..numerals import find_numbers
    from ..programme.scope import scope_applies

    if target.value is None or target.derived is not None:
        return None
    covered = [name for name, kind in regions if scope_applies(target.scope, name, kind, words)]
    if len(covered) < 2:
        return None
    whole = target.value * len(covered)
    for number in find_numbers(target.text):
        if number.stated and number.value == whole:
            unit = target.unit or ""
            return (
                f"引文“{target.text}”中的 {number.text} 由范围“{target.scope}”的 {len(covered)} 个区域平分，"
                f"每区域 {target.value}{unit}（shiwanqian upgrade 按旧版本的核对规则补写，请核对）"
            )
    return None


def _derived(folder: Folder) -> None:
    """``derived`` for each number that only the 0.1.0 quotation rule accepted, where it follows."""
    from ..programme.scope import vocabulary

    catalog = folder.catalog
    regions = [(r.name, r.kind) for r in catalog.regions.model.regions] if catalog.regions else []
    words = vocabulary(catalog)
    tables = {loc.model.id: loc for loc in catalog.quotas}
    for finding in folder.findings:
        if finding.code not in OLD_FORMAT_CODES:
            continue
        parts = (finding.subject or "").split("/")
        loc = tables.get(parts[0])
        if loc is None or len(parts) != 4 or parts[1] != "targets" or parts[3] != "value" or not parts[2].isdigit():
            folder.result.left.append(finding)
            continue
        index = int(parts[2])
        text = derivation(loc.model.targets[index], regions, words)
        if text is None:
            folder.result.left.append(finding)
            continue
        relative = relative_file(catalog, loc.doc.file)
        try:
            folder.result.files[relative] = insert_key(
                folder.text(relative), ("targets", index), "derived", text, before="source"
            )
        except EditError as error:
            folder.result.failed.append(f"{relative}: {error}")
            continue
        line, column = loc.position("targets", index)
        folder.result.rewrites.append(Rewrite(relative, line, column, f"补写 derived：{text}"))


# Positions in the report are those of the files before the upgrade: the steps that insert
# lines inside a file run before the one that adds a first line.
STEPS: tuple[Callable[[Folder], None], ...] = (_schemas, _derived, _headers)


def plan(root: Path, catalog: Catalog, findings: list[Finding]) -> Upgrade:
    """The rewrites that bring the folder at ``root`` to today's format (nothing is written)."""
    folder = Folder(root, catalog, findings, Upgrade())
    for step in STEPS:
        step(folder)
    result = folder.result
    for relative in list(result.files):  # read but left as they were
        path = root / relative
        if path.is_file() and result.files[relative] == path.read_text(encoding="utf-8"):
            del result.files[relative]
    return result
