"""`check` on mutated copies of the shipped data: each change is caught and located."""

from __future__ import annotations

from conftest import edit, errors, findings


def test_changing_one_cell_is_caught_at_its_line(data_copy):
    path = data_copy / "quotas" / "lessons.yaml"
    line = edit(path, "{高中: 500, 初中: 450", "{高中: 501, 初中: 450")
    found = errors(data_copy)
    assert ("row-total-mismatch", "lessons.yaml", line + 1) in found  # the row's 合计 line
    assert ("quote-mismatch", "lessons.yaml", line) in found  # 501 is not what the quotation says


def test_changing_a_stated_total_is_caught(data_copy):
    path = data_copy / "quotas" / "backbone-teachers.yaml"
    line = edit(path, "    total: 171\n", "    total: 170\n")
    assert ("row-total-mismatch", "backbone-teachers.yaml", line) in errors(data_copy)


def test_changing_one_schedule_entry_is_caught(data_copy):
    path = data_copy / "quotas" / "backbone-teachers.yaml"
    line = edit(path, "regions: {茶陵县: 50, 攸县: 60}", "regions: {茶陵县: 50, 攸县: 61}")
    found = errors(data_copy)
    assert ("schedule-subtotal-mismatch", "backbone-teachers.yaml", line - 1) in found
    assert any(code == "schedule-mismatch" and name == "backbone-teachers.yaml" for code, name, _ in found)
    assert any(f.subject == "backbone-teachers/攸县/初中" for f in findings(data_copy))


def test_changing_a_schedule_year_total_is_caught(data_copy):
    path = data_copy / "quotas" / "backbone-teachers.yaml"
    line = edit(path, "    total: 410\n", "    total: 411\n")
    assert ("schedule-year-total-mismatch", "backbone-teachers.yaml", line) in errors(data_copy)


def test_share_series_must_sum_to_100(data_copy):
    path = data_copy / "quotas" / "lessons.yaml"
    line = edit(path, "2019: 30, 2020: 10}", "2019: 30, 2020: 15}")
    assert ("schema", "lessons.yaml", line) in errors(data_copy)


def test_cumulative_series_must_not_decrease(data_copy):
    path = data_copy / "quotas" / "network-college.yaml"
    line = edit(path, 'value: 80, unit: "%"', 'value: 50, unit: "%"')
    found = errors(data_copy)
    assert ("series-decreasing", "network-college.yaml", line) in found


def test_a_fixed_disagreement_leaves_a_stale_acknowledgement(data_copy):
    # Someone "fixes" the document's 芦淞区 schedule: the check must say the record is stale.
    path = data_copy / "quotas" / "workstations.yaml"
    edit(
        path,
        "regions: {醴陵市: 1, 攸县: 1, 茶陵县: 1, 荷塘区: 1, 直属学校: 1}",
        "regions: {醴陵市: 1, 攸县: 1, 茶陵县: 1, 荷塘区: 1, 直属学校: 1, 芦淞区: 1}",
    )
    found = errors(data_copy)
    assert [c for c, name, _ in found if name == "disagreements.yaml"] == ["stale-acknowledgement"] * 2
    assert ("quote-mismatch", "workstations.yaml") in {(c, n) for c, n, _ in found}


def test_an_unacknowledged_disagreement_is_an_error(data_copy):
    path = data_copy / "disagreements.yaml"
    edit(
        path,
        "      - {code: statement-mismatch, subject: base-county}\n",
        "      - {code: statement-mismatch, subject: base-county-typo}\n",
    )
    found = errors(data_copy)
    text = (data_copy / "quotas" / "base-schools.yaml").read_text(encoding="utf-8")
    line = (
        text[: text.index("  - key: base-county\n    name: 县市区基地学校（每县市区）\n    value: 3")].count("\n") + 1
    )
    assert ("statement-mismatch", "base-schools.yaml", line) in found
    assert "stale-acknowledgement" in {c for c, _, _ in found}


def test_stated_counts_are_checked(data_copy):
    path = data_copy / "programme.yaml"
    line = edit(path, "    value: 13\n", "    value: 12\n")
    assert ("count-mismatch", "programme.yaml", line) in errors(data_copy)


def test_listed_items_must_match_their_count(data_copy):
    path = data_copy / "quotas" / "lessons.yaml"
    line = edit(path, "    value: 4\n", "    value: 5\n")
    assert ("count-mismatch", "lessons.yaml", line) in errors(data_copy)


def test_members_range_is_checked(data_copy):
    path = data_copy / "quotas" / "workstations.yaml"
    edit(path, "  per_station_max: 5", "  per_station_max: 3")
    found = errors(data_copy)
    assert ("members-range", "workstations.yaml") in {(c, n) for c, n, _ in found}


def test_quotation_not_in_document_is_reported(data_copy):
    path = data_copy / "plans" / "01-it-training.yaml"
    line = edit(path, "requirement: 落实培训环节，提升培训实效。", "requirement: 落实培训环节，提高培训实效。")
    assert ("quote-not-found", "01-it-training.yaml", line) in errors(data_copy)


def test_all_problems_of_a_run_are_reported(data_copy):
    edit(data_copy / "quotas" / "lessons.yaml", "    total: 1545\n", "    total: 1546\n")
    edit(data_copy / "quotas" / "backbone-teachers.yaml", "    total: 171\n", "    total: 172\n")
    edit(data_copy / "plans" / "01-it-training.yaml", "units: [市装备所]", "units: [市装备处]")
    files = {name for _, name, _ in errors(data_copy)}
    assert {"lessons.yaml", "backbone-teachers.yaml", "01-it-training.yaml"} <= files
