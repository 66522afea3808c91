"""Cross-file checks of a data folder, by concern, and the one pipeline that runs them.

- ``context``: what every check shares (names, period, vocabulary) and keeps between files;
- ``references``: regions, 学段, years, plans, units and words that a file names exist;
- ``arithmetic``: sums, schedules, share series, statements and stated counts;
- ``quotes``: quotations found in the document, with their numbers;
- ``links``: a programme's link to the programme it refines, as far as it goes without the parent;
- ``proposals``: targets ``draft`` proposed that no person has confirmed yet.

This module is the pipeline: ``Checks`` feeds each check one plan or table at a time, keeps
what checks across files need, and applies the acknowledgements recorded in
``disagreements.yaml``; ``run`` checks a loaded catalog; ``check_folder`` loads and checks a
folder file by file without keeping every model. Nothing here prints or exits.

Imports ``domain.programme``, ``domain.numerals``, ``load`` and the base modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from ...findings import Finding, sort_findings
from ...load.loader import Catalog, Located, gc_paused, load
from ...load.model import Plan, QuotaTable
from .arithmetic import check_counts, check_statements, check_table_arithmetic, check_table_series
from .context import Context, Seen
from .links import check_programme_link, check_table_link
from .proposals import check_proposals
from .quotes import check_quote_counts, check_quote_numbers, check_quotes_found
from .references import (
    check_plan_references,
    check_quota_references,
    check_unit_inclusions,
    check_unit_references,
    check_vocabulary,
)

# The order in which a run lists the checks' findings (before sorting): the order of the
# checks when they ran over the whole catalog, kept so that findings which sort alike stay
# in the same order however the files are fed.
_PHASES = (
    "quota_references",
    "plan_references",
    "unit_references",
    "unit_inclusions",
    "arithmetic",
    "series",
    "statements",
    "counts",
    "vocabulary",
    "quotes_found",
    "quote_numbers",
    "quote_counts",
    "links",
    "proposals",
)


class Checks:
    """Every check, fed one plan or quota table at a time.

    What a check needs from other files is kept as they go by (ids with their files, plan
    periods, how many plans and tasks of each kind, statements that share a key, quotations
    already looked up), so the caller may drop each file's models once ``plan`` or ``quota``
    returns: ``check`` then holds one file's models at a time, whatever the folder's size.
    ``finish`` gives the same findings as running each check over the whole catalog.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.ctx = Context.of(catalog)
        self._seen = Seen(catalog.broken_plans)
        self._out: dict[str, list[Finding]] = {phase: [] for phase in _PHASES}
        self._proposal_ids: dict[str, tuple[str, int]] = {}

    def plan(self, loc: Located) -> None:
        ctx, seen, out = self.ctx, self._seen, self._out
        if ctx is None:
            return
        out["plan_references"].extend(check_plan_references(loc, ctx, seen))
        plan: Plan = loc.model
        seen.plan_periods[plan.id] = plan.period
        seen.plan_kinds[plan.kind] += 1
        seen.task_kinds.update(task.kind for task in plan.tasks)
        out["quotes_found"].extend(check_quotes_found(loc, self.catalog.source_text, seen.quotes))

    def quota(self, loc: Located) -> None:
        ctx, seen, out = self.ctx, self._seen, self._out
        if ctx is None:
            return
        table: QuotaTable = loc.model
        out["quota_references"].extend(check_quota_references(loc, ctx, seen))
        out["arithmetic"].extend(check_table_arithmetic(loc, ctx))
        out["series"].extend(check_table_series(loc))
        for i, target in enumerate(table.targets):
            if target.key:
                seen.statements[target.key].append((loc.doc.file, *loc.position("targets", i), target))
        seen.quota_ids[table.id] += 1
        out["quotes_found"].extend(check_quotes_found(loc, self.catalog.source_text, seen.quotes))
        out["quote_numbers"].extend(check_quote_numbers(loc, ctx))
        out["links"].extend(check_table_link(loc, ctx))
        out["proposals"].extend(check_proposals(loc, self._proposal_ids))

    def finish(self) -> list[Finding]:
        """All findings, sorted, with the acknowledgements of ``disagreements.yaml`` applied."""
        catalog, ctx, seen, out = self.catalog, self.ctx, self._seen, self._out
        findings = list(catalog.problems)
        if ctx is not None:
            out["unit_references"].extend(check_unit_references(catalog, ctx))
            out["unit_inclusions"].extend(check_unit_inclusions(catalog, ctx))
            out["statements"].extend(check_statements(seen))
            out["counts"].extend(check_counts(catalog, ctx, seen))
            out["vocabulary"].extend(check_vocabulary(catalog, ctx))
            if catalog.programme is not None:
                out["quotes_found"].extend(check_quotes_found(catalog.programme, catalog.source_text, seen.quotes))
            out["quote_counts"].extend(check_quote_counts(catalog))
            out["links"].extend(check_programme_link(catalog, ctx))
            for phase in _PHASES:
                findings.extend(out[phase])
        return sort_findings(apply_acknowledgements(catalog, findings, complete=ctx is not None))


def apply_acknowledgements(catalog: Catalog, findings: list[Finding], *, complete: bool = True) -> list[Finding]:
    """Turn acknowledged findings into warnings; report acknowledgements that match nothing.

    ``complete`` is false when some file could not be checked: then an acknowledgement that
    matches nothing may only be waiting for that file, and is not reported as stale.
    """
    if not catalog.disagreements:
        return findings
    acks: dict[tuple[str, str], str] = {}
    where: dict[tuple[str, str], tuple] = {}
    for i, item in enumerate(catalog.disagreements.model.disagreements):
        for j, ref in enumerate(item.findings):
            acks[ref.code, ref.subject] = item.id
            where[ref.code, ref.subject] = ("disagreements", i, "findings", j)
    used: set[tuple[str, str]] = set()
    by_id = {d.id: d for d in catalog.disagreements.model.disagreements}
    result = []
    for finding in findings:
        key = (finding.code, finding.subject or "")
        if key in acks and finding.severity == "error":
            used.add(key)
            item = by_id[acks[key]]
            finding = finding.acknowledge(item.id, item.title)
        result.append(finding)
    if not complete or catalog.broken_quotas or catalog.broken_plans:
        return result
    for key in sorted(set(acks) - used):
        result.append(
            catalog.disagreements.finding(
                where[key],
                "stale-acknowledgement",
                f"登记的原文矛盾“{acks[key]}”没有对应的检查结果（{key[0]} {key[1]}）：数据已改动或登记有误",
            )
        )
    return result


class Extra(Protocol):
    """Checks of another concern fed the same tables as ``Checks`` (``domain.refine`` holds a
    refining programme's tables to its parent's numbers). Their findings are not acknowledged
    by ``disagreements.yaml``: a split that does not add up to the parent must be corrected."""

    def quota(self, loc: Located) -> Iterable[Finding]: ...

    def finish(self) -> Iterable[Finding]: ...


ExtraFactory = Callable[[Catalog], Extra | None]


def run(catalog: Catalog, extra: ExtraFactory | None = None) -> list[Finding]:
    """Every finding about a loaded catalog, sorted (with ``extra``'s, when given)."""
    with gc_paused():
        checks = Checks(catalog)
        more = extra(catalog) if extra is not None else None
        found: list[Finding] = []
        for loc in catalog.plans:
            checks.plan(loc)
        for loc in catalog.quotas:
            checks.quota(loc)
            if more is not None:
                found.extend(more.quota(loc))
        if more is None:
            return checks.finish()
        return sort_findings([*checks.finish(), *found, *more.finish()])


def check_folder(root: Path, extra: ExtraFactory | None = None) -> tuple[Catalog, list[Finding]]:
    """Load and check a data folder file by file: the findings of ``run(load(root), extra)``,
    but each plan's and table's models are dropped once checked, so memory does not grow with
    the number of files. The catalog returned holds the single files only (no plans, no
    quota tables)."""
    checks: list[Checks] = []
    more: list[Extra | None] = []
    found: list[Finding] = []

    def visit(catalog: Catalog, loc: Located) -> None:
        if not checks:
            checks.append(Checks(catalog))
            more.append(extra(catalog) if extra is not None else None)
        if isinstance(loc.model, Plan):
            checks[0].plan(loc)
        else:
            checks[0].quota(loc)
            if more[0] is not None:
                found.extend(more[0].quota(loc))

    with gc_paused():
        catalog = load(root, visit, keep=False)
        if not checks:
            checks.append(Checks(catalog))
            more.append(extra(catalog) if extra is not None else None)
        findings = checks[0].finish()
        if more[0] is None:
            return catalog, findings
        return catalog, sort_findings([*findings, *found, *more[0].finish()])
