"""The shipped data: it passes, its disagreements are the acknowledged ones, and it says
what the document says (checked against the document's text and against an independent
transcription made without looking at the data files)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DATA, findings
from shiwanqian.domain.programme.queries import quota_records

INDEPENDENT = json.loads((Path(__file__).parent / "fixtures" / "independent_transcription.json").read_text("utf-8"))

ACKNOWLEDGED = {
    ("schedule-mismatch", "workstations/芦淞区"),
    ("schedule-total-mismatch", "workstations"),
    ("statement-mismatch", "it-2016-county"),
    ("statement-mismatch", "it-2017-all"),
    ("statement-mismatch", "base-county"),
    ("statement-mismatch", "network-coverage-2020"),
    ("statement-mismatch", "hs-principals"),
    ("statement-mismatch", "backbone-total"),
    ("statement-mismatch", "leading-teachers"),
    ("statement-mismatch", "reading-room-where"),
    ("statement-mismatch", "bookcase-where"),
    # 0.2.0: where the main text and an annex disagree about who runs what, recorded as statements
    ("statement-mismatch", "young-cadre-class-organiser"),
    ("statement-mismatch", "city-subject-leader-classes"),
    ("statement-mismatch", "hs-outreach-demo"),
}


def test_shipped_data_has_no_errors_and_exactly_the_acknowledged_warnings():
    result = findings(DATA)
    assert [f for f in result if f.severity == "error"] == []
    assert {(f.code, f.subject) for f in result} == ACKNOWLEDGED
    assert all(f.acknowledged_by and f.source for f in result)


def test_every_quotation_is_in_the_document(catalog):
    # check_quotes reports quote-not-found; make sure it actually looked at the text.
    assert catalog.source_text and "株教发〔2016〕4号" in catalog.source_text
    assert not [f for f in findings(DATA) if f.code in ("quote-not-found", "quote-mismatch")]


def _table(catalog, table_id):
    return next(q.model for q in catalog.quotas if q.model.id == table_id)


def test_backbone_and_lessons_match_the_independent_transcription(catalog):
    for table_id, key in (("backbone-teachers", "backbone"), ("lessons", "lessons")):
        table = _table(catalog, table_id)
        assert {r.region: dict(r.values) for r in table.rows} == INDEPENDENT[f"{key}_targets"]
        assert {r.region: r.total for r in table.rows} == INDEPENDENT[f"{key}_region_totals"]


def test_backbone_schedule_matches_the_independent_transcription(catalog):
    table = _table(catalog, "backbone-teachers")
    ours: dict[str, dict] = {}
    for year in table.schedule:
        for group in year.groups:
            ours.setdefault(str(year.year), {})[group.level] = dict(group.regions) or {"全市": group.total}
        stated = {g.level: g.total for g in year.groups}
        assert {"total": year.total, **stated} == INDEPENDENT["backbone_schedule_stated"][str(year.year)]
    assert ours == INDEPENDENT["backbone_schedule"]


def test_lessons_shares_and_rates_match(catalog):
    table = _table(catalog, "lessons")
    assert {str(y): v for y, v in table.shares.values.items()} == INDEPENDENT["lessons_shares"]
    assert table.total.value == INDEPENDENT["lessons_total"]
    rates = {r.key: r.value for r in table.rates}
    assert rates == {
        "credits": INDEPENDENT["lessons_credits_per_lesson"],
        "build_fee": INDEPENDENT["lessons_build_fee"],
        "review_fee": INDEPENDENT["lessons_review_fee"],
    }


def test_workstations_match_the_independent_transcription(catalog):
    table = _table(catalog, "workstations")
    assert {r.region: r.value for r in table.rows} == INDEPENDENT["workstations_per_region"]
    assert table.total.value == INDEPENDENT["workstations_total"]
    schedule = {str(y.year): {r: v for g in y.groups for r, v in g.regions.items()} for y in table.schedule}
    assert schedule == INDEPENDENT["workstations_schedule"]
    assert (table.members.per_station_min, table.members.per_station_max) == (
        INDEPENDENT["workstation_members"]["min"],
        INDEPENDENT["workstation_members"]["max"],
    )


def test_network_college_yearly_targets_match(catalog):
    table = _table(catalog, "network-college")
    names = {"名校网络课堂", "名师课堂", "在线课程", "在线资源", "全市使用覆盖率"}
    ours: dict[str, dict] = {}
    for t in table.targets:
        if t.name in names and t.year:
            ours.setdefault(str(t.year), {})["覆盖率" if t.name == "全市使用覆盖率" else t.name] = t.value
    assert ours == INDEPENDENT["network_college_targets"]


def test_quota_for_every_region_gives_the_documents_numbers(catalog):
    kinds = {r.name: r.kind for r in catalog.regions.model.regions}
    assert len(kinds) == 11
    for region, kind in kinds.items():
        records = quota_records(catalog, region, kind)
        for table_id, key in (("backbone-teachers", "backbone"), ("lessons", "lessons")):
            targets = {
                r["level"]: r["value"]
                for r in records
                if r["quota"] == table_id and r["kind"] == "target" and r["level"]
            }
            assert targets == INDEPENDENT[f"{key}_targets"][region]
            total = next(r["value"] for r in records if r["quota"] == table_id and r["name"] == "合计")
            assert total == INDEPENDENT[f"{key}_region_totals"][region]
        stations = [
            r["value"]
            for r in records
            if r["quota"] == "workstations" and r["kind"] == "target" and r["name"] == "合计"
        ]
        assert stations == [INDEPENDENT["workstations_per_region"][region]]
        built = {
            str(r["year"]): r["value"] for r in records if r["quota"] == "workstations" and r["kind"] == "schedule"
        }
        expected = {y: v[region] for y, v in INDEPENDENT["workstations_schedule"].items() if region in v}
        assert built == expected
