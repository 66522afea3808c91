"""Which programme a progress folder belongs to.

A progress folder records the identity of its programme (``programme.yaml`` in the folder,
written by ``progress import``): the programme's id, document number and period, the three
things that tell two programmes apart (a second programme started with ``shiwanqian init`` has
its own id and document; the next five years have another period). The title is kept for
people and not compared: a corrected typo in it does not orphan a folder.

``verdict`` decides what a command does with a folder:

- ``belongs``: the record names this programme;
- ``legacy``: there is no record (a folder written before 0.4.0, such as ``examples/progress``):
  the folder is read as this programme's, as before;
- ``foreign``: the record names another programme: a folder picked up as ``./progress`` is
  ignored with a notice; one named with ``--progress`` is refused.
"""

from __future__ import annotations

from typing import Any, Literal

Verdict = Literal["belongs", "legacy", "foreign"]
COMPARED = ("programme", "document", "period")


def identity(programme: dict[str, Any]) -> dict[str, Any]:
    """The identity a progress folder records, from the snapshot's or the catalog's programme
    (``id``, ``document``, ``period`` [start, end], ``title``)."""
    return {
        "programme": programme["id"],
        "document": programme["document"],
        "period": list(programme["period"]),
        "title": programme.get("title"),
    }


def verdict(owner: dict[str, Any] | None, mine: dict[str, Any]) -> Verdict:
    if owner is None:
        return "legacy"
    return "belongs" if all(owner[key] == mine[key] for key in COMPARED) else "foreign"


def describe(ident: dict[str, Any]) -> str:
    """“shiwanqian（株教发〔2016〕4号，2016–2020年）”."""
    start, end = ident["period"]
    return f"{ident['programme']}（{ident['document']}，{start}–{end}年）"
