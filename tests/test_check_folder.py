"""`check` loads and checks file by file: the same findings as a whole-catalog run, and no
more than one plan's or table's models alive at a time."""

from __future__ import annotations

import gc
import shutil

from conftest import edit
from shiwanqian.domain import checks
from shiwanqian.load import loader
from shiwanqian.load.model import Plan, QuotaTable


def _cross_file_mistakes(root) -> None:
    """Mistakes that only several files together show."""
    shutil.copyfile(root / "plans" / "13-lessons.yaml", root / "plans" / "99-copy.yaml")  # duplicate plan id
    shutil.copyfile(root / "quotas" / "lessons.yaml", root / "quotas" / "zz-copy.yaml")  # duplicate table id
    edit(root / "quotas" / "academy.yaml", "plan: ", "plan: no-such-")  # unknown plan
    edit(root / "quotas" / "academy.yaml", "    value: 1\n", "    value: 2\n")  # keyed statements disagree
    edit(root / "quotas" / "backbone-teachers.yaml", "    total: 171\n", "    total: 170\n")


def test_file_by_file_gives_the_findings_of_a_whole_catalog_run(data_copy):
    _cross_file_mistakes(data_copy)
    catalog, found = checks.check_folder(data_copy)
    expected = checks.run(loader.load(data_copy))
    codes = {f.code for f in expected}
    assert {
        "duplicate-id",
        "unknown-plan",
        "statement-mismatch",
        "count-mismatch",
        "row-total-mismatch",
        "quote-mismatch",
    } <= codes  # the mistakes above are all found …
    assert found == expected  # … and file by file finds exactly the same, in the same order
    assert catalog.plans == [] and catalog.quotas == []  # the catalog keeps the single files only


def test_file_by_file_holds_one_plan_or_table_at_a_time(data_copy, monkeypatch):
    def alive() -> int:
        return sum(isinstance(o, (Plan, QuotaTable)) for o in gc.get_objects())

    gc.collect()
    before = alive()  # other tests' catalogs may be alive too
    seen: list[int] = []
    for name in ("plan", "quota"):
        original = getattr(checks.Checks, name)

        def counting(self, loc, original=original):
            seen.append(alive() - before)
            return original(self, loc)

        monkeypatch.setattr(checks.Checks, name, counting)
    checks.check_folder(data_copy)
    assert len(seen) == 15 + 11  # every plan and table was checked …
    assert max(seen) == 1  # … each while it was the only one alive
