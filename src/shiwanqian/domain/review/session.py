"""One review of a data folder: what is left, and each decision written as soon as it is made.

Each decision is checked first (the target it leaves must be valid, its scope, qualifier and year
the programme's) and then written at once, atomically, through ``fileio``: the data file with the
YAML edited in place, and 待核.md with the entry ticked, both or neither. A decision names a
proposal by its id, which is looked up again in the file's current text, so decisions made
before (a dropped proposal above it) never make it edit the wrong target.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .decide import Decision, DecisionError, changed, target_changes, tick, validate
from .items import REVIEW_FILE, Item, listed, pending, proposals

if TYPE_CHECKING:
    from ...load.loader import Catalog


@dataclass
class Review:
    root: Path
    scopes: set[str]
    qualifiers: set[str]
    period: tuple[int, int]
    files: dict[str, str]  # proposal id → its data file

    @classmethod
    def of(cls, root: Path, catalog: Catalog) -> Review:
        """The review of a folder loaded without errors (``catalog``)."""
        from ...load.model import Vocabulary

        vocabulary = catalog.programme.model.vocabulary if catalog.programme else Vocabulary()
        regions = catalog.regions.model.regions if catalog.regions else []
        period = catalog.programme.model.period if catalog.programme else None
        return cls(
            root,
            {s.name for s in vocabulary.scopes} | {r.name for r in regions},
            set(vocabulary.qualifiers),
            (period.start, period.end) if period else (1900, 2100),
            {item.id: item.file for item in proposals(catalog) if item.file},
        )

    def left(self, catalog: Catalog) -> tuple[list[Item], list[Item]]:
        """The proposals and the 待核 items not decided yet."""
        return proposals(catalog), pending(self.root)

    def decide(self, decision: Decision) -> None:
        """Write ``decision`` at once (raises ``DecisionError``, writing nothing, if it cannot be)."""
        from ...fileio import write_files

        write_files(self.prepare(decision, {}))

    def prepare(self, decision: Decision, pending_files: dict[Path, str]) -> dict[Path, str]:
        """The files ``decision`` changes, with their new text, made on ``pending_files`` (the
        text of earlier decisions not yet written) where it has them; nothing is written. Raises
        ``DecisionError`` if the decision cannot be made."""
        review = self.root / REVIEW_FILE
        files: dict[Path, str] = {}
        now = ""  # a changed proposal's new reading, for 待核.md
        if decision.verdict == "done":
            if not decision.id.startswith("R"):
                raise DecisionError(f"{decision.id}：只有待核事项（编号形如 R257-1）可以标为已处理")
        else:
            edited, now = self._target_edit(decision, pending_files)
            files.update(edited)
        listing = pending_files.get(review)
        if listing is None and review.is_file():
            listing = review.read_text(encoding="utf-8")
        if decision.verdict == "done" and decision.id not in {
            i.id for i in listed(listing or "") if i.kind == "item" and not i.done
        }:
            raise DecisionError(f"{decision.id}：不是尚未处理的待核事项（review --list 列出尚余的）")
        if listing is not None:
            ticked = tick(listing, decision.id, decision.verdict, decision.by, decision.date, now)
            if ticked != listing:
                files[review] = ticked
        return files

    def _target_edit(self, decision: Decision, pending_files: dict[Path, str]) -> tuple[dict[Path, str], str]:
        """The data file's new text, and (for a change) what the target reads now."""
        import yaml

        from ...load.model import Target
        from ...load.yamledit import EditError, edit
        from ..programme.queries import reading

        name = self.files.get(decision.id)
        if name is None:
            raise DecisionError(f"{decision.id}：没有这条待核的建议（已核定，或编号有误；review --list 列出尚余的）")
        path = Path(name)
        text = pending_files.get(path) or path.read_text(encoding="utf-8")
        targets = (yaml.safe_load(text) or {}).get("targets") or []
        index = next(
            (
                i
                for i, t in enumerate(targets)
                if isinstance(t, dict) and t.get("proposal") == decision.id and t.get("review") == "proposed"
            ),
            None,
        )
        if index is None:
            raise DecisionError(f"{decision.id}：{name} 中已没有这条待核的建议（已核定？）")
        target: dict[str, Any] = targets[index]
        now = ""
        if decision.verdict != "drop":
            after = changed(target, decision)
            problems = validate(after, self.scopes, self.qualifiers, self.period)
            if problems:
                raise DecisionError(f"{decision.id}：" + "；".join(problems) + "（未写入）")
            if decision.verdict == "change":
                now = reading(Target.model_validate(after))
        try:
            new = edit(text, target_changes(target, index, decision))
        except EditError as error:
            raise DecisionError(f"{decision.id}：无法写入 {name}：{error}") from None
        return {path: new}, now
