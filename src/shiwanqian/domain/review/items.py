"""The proposals of a data folder and the items of its ``待核.md``, each with a stable id.

A proposal's id is written in the data (``proposal: P651-1``, by ``draft``: ``P`` + the line of
source.txt + its place among that line's proposals), so it names the same proposal whatever was
decided before. A 待核 item's id is ``R`` + its line + its place among the items of that line in
``待核.md`` (a file that is only ever ticked, never reordered): ``R257-1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ...load.loader import Catalog

REVIEW_FILE = "待核.md"  # written by draft, in the data folder
# An entry of 待核.md: “- 第 257 行（附件2 四 2）：…”, a proposal's “- P651-1 第 651 行（…）：…”,
# ticked once decided: “- [x] …”.
ENTRY = re.compile(r"^- (?P<done>\[x\] )?(?:(?P<id>P\d+-\d+) )?第 (?P<line>\d+) 行（(?P<where>.*?)）：(?P<rest>.*)$")
QUOTE_LINE = re.compile(r"^  原文：“(?P<quote>.*)”$")
_ID_LINE = re.compile(r"^[PR](\d+)-\d+$")


@dataclass(frozen=True)
class Item:
    """Something a person decides: a proposal in the data, or an item of 待核.md."""

    id: str
    kind: str  # "proposal" | "item"
    line: int  # in source.txt
    where: str  # the place in the document (附件8 三 2)
    quote: str
    what: str  # a proposal's reading (不少于300册，全市); an item's text
    reason: str = ""  # why draft could not prove it (proposals)
    file: str | None = None  # the data file a proposal is in
    position: tuple[int, int] | None = None  # its line and column there
    index: int | None = None  # its index in the file's ``targets``
    target: dict[str, Any] = field(default_factory=dict)
    done: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "line": self.line,
            "where": self.where,
            "quote": self.quote,
            "what": self.what,
            "reason": self.reason or None,
            "file": self.file,
            "file_line": self.position[0] if self.position else None,
            "target": self.target or None,
        }


def id_line(item_id: str) -> int | None:
    """The line of source.txt an id names (P651-1 → 651)."""
    match = _ID_LINE.match(item_id)
    return int(match.group(1)) if match else None


def proposals(catalog: Catalog) -> list[Item]:
    """Every target still proposed (``review: proposed``), in document order."""
    from ..programme.queries import reading

    source = catalog.source_text or ""
    found = []
    for loc in catalog.quotas:
        table = loc.model
        for i, target in enumerate(table.targets):
            if not target.proposed or not target.proposal:
                continue
            line = id_line(target.proposal) or _line_of(source, target.text)
            found.append(
                Item(
                    target.proposal,
                    "proposal",
                    line,
                    target.source,
                    target.text,
                    reading(target, table.unit),
                    target.reason or "",
                    loc.doc.file,
                    loc.position("targets", i),
                    i,
                    target.model_dump(exclude_none=True, exclude_defaults=True),
                )
            )
    return sorted(found, key=_order)


def _order(item: Item) -> tuple[int, int, str]:
    return item.line, int(item.id.rsplit("-", 1)[-1]) if "-" in item.id else 0, item.id


def _line_of(source: str, text: str) -> int:
    at = source.find(text)
    return source.count("\n", 0, at) + 1 if at >= 0 else 0


def listed(text: str) -> list[Item]:
    """The entries of a 待核.md, ticked or not: its items (``R…``) and the lines that list
    proposals (kind ``listing``, under the proposal's own id)."""
    items: list[Item] = []
    counts: dict[int, int] = {}
    lines = text.split("\n")
    for n, line in enumerate(lines):
        match = ENTRY.match(line)
        if not match:
            continue
        number = int(match.group("line"))
        rest = _plain(match.group("rest"))
        quote = ""
        if n + 1 < len(lines) and (more := QUOTE_LINE.match(lines[n + 1])):
            quote = _plain(more.group("quote"))
        elif rest.startswith("“") and "”（" in rest:  # an unscoped clause: “clause”（numbers）
            quote = rest[1 : rest.rindex("”（")]
        if match.group("id"):
            item_id, kind = match.group("id"), "listing"
        else:
            counts[number] = counts.get(number, 0) + 1
            item_id, kind = f"R{number}-{counts[number]}", "item"
        where = _plain(match.group("where"))
        done = bool(match.group("done"))
        items.append(Item(item_id, kind, number, where, quote, rest, file=REVIEW_FILE, position=(n + 1, 1), done=done))
    return items


def _plain(text: str) -> str:
    """Markdown's backslash escapes (draft writes ``units\\.yaml``) taken off, for the terminal."""
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~:@])", r"\1", text).replace("\u2060", "")


def pending(root: Path) -> list[Item]:
    """The 待核 items of a folder's 待核.md not yet marked done (none without the file)."""
    path = root / REVIEW_FILE
    if not path.is_file():
        return []
    return [i for i in listed(path.read_text(encoding="utf-8")) if i.kind == "item" and not i.done]
