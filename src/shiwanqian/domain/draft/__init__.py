"""From a programme document's text to a data folder: ``draft(text)`` → files and review items.

The drafter reads the document's regular parts (annexes with their titles and periods,
numbered task blocks, region-by-region quota lines, yearly shares) and writes them in the
current data format, each value with the quotation it came from. It never guesses a value:
what it cannot decide is left out of the data and returned as ``ReviewItem`` values, which
the command writes to ``待核.md``. The only things it infers are marked as such: the level
of each responsible unit (from its name) and the kind of each region (from its suffix).

The pipeline reads top-down in ``pipeline``; the finders of each kind of piece are
``outline`` (the document's structure), ``tasks``, ``quotas``, ``schedules`` and ``targets``;
``document``, ``names`` and ``assemble`` turn what they found into records; ``review`` holds
the items for a person, ``inputs`` reads .txt/.docx/.pdf and ``emit`` writes the files.

Imports ``domain.checks``, ``domain.programme``, ``domain.numerals``, ``load`` and the base
modules.
"""

from .pipeline import REVIEW_FILE, Draft, DraftError, draft
from .review import ReviewItem

__all__ = ["REVIEW_FILE", "Draft", "DraftError", "ReviewItem", "draft"]
