"""Allocation: properties 1–4 on generated tables, the shipped lessons table, budget."""

from __future__ import annotations

import itertools
import json
import math
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import edit, errors
from shiwanqian.domain.allocation.cache import allocation
from shiwanqian.domain.allocation.solver import Problem, controlled, largest_remainder, violations

REGIONS = ["a", "b", "c"]
LEVELS = ["x", "y"]


@st.composite
def problems(draw, max_cells=6, max_years=4, max_quota=60):
    cells = draw(
        st.lists(
            st.tuples(st.sampled_from(REGIONS), st.sampled_from(LEVELS)), min_size=1, max_size=max_cells, unique=True
        )
    )
    quotas = {c: draw(st.integers(min_value=0, max_value=max_quota)) for c in cells}
    n = draw(st.integers(min_value=1, max_value=max_years))
    cuts = sorted(draw(st.lists(st.integers(min_value=0, max_value=100), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, 100]
    shares = {2016 + i: Fraction(bounds[i + 1] - bounds[i]) for i in range(n)}
    return Problem(quotas, shares)


def brute_force_optimum(problem: Problem) -> Fraction | None:
    """Least total deviation over every floor/ceil choice satisfying 1–3 (tiny tables only)."""
    keys = [(g, lv, y) for g, lv in problem.cells for y in problem.years]
    options = []
    for g, lv, y in keys:
        e = problem.exact((g, lv), y)
        options.append(sorted({e.numerator // e.denominator, -(-e.numerator // e.denominator)}))
    best = None
    for choice in itertools.product(*options):
        from shiwanqian.domain.allocation.solver import Allocation

        candidate = Allocation(problem, "brute", dict(zip(keys, choice)))
        if violations(candidate):
            continue
        dev = candidate.deviation()
        best = dev if best is None else min(best, dev)
    return best


@given(problems())
@settings(max_examples=300, deadline=None)
def test_controlled_rounding_satisfies_every_constraint(problem):
    result = controlled(problem)
    assert violations(result) == []
    for y in problem.years:
        if problem.year_target(y).denominator == 1:
            assert result.year_total(y) == problem.year_target(y)


@given(problems(max_cells=3, max_years=3, max_quota=9))
@settings(max_examples=150, deadline=None)
def test_controlled_rounding_is_optimal(problem):
    assert controlled(problem).deviation() == brute_force_optimum(problem)


@given(problems(), st.randoms(use_true_random=False))
@settings(max_examples=100, deadline=None)
def test_result_does_not_depend_on_row_order(problem, rnd):
    items = list(problem.quotas.items())
    rnd.shuffle(items)
    shuffled = Problem(dict(items), dict(reversed(list(problem.shares.items()))))
    assert controlled(shuffled).values == controlled(problem).values


@given(problems())
@settings(max_examples=200, deadline=None)
def test_largest_remainder_keeps_rows_and_rounds_each_cell(problem):
    result = largest_remainder(problem)
    for g, lv in problem.cells:
        assert sum(result.values[g, lv, y] for y in problem.years) == problem.quotas[g, lv]
    assert sum(result.drift().values()) == 0  # drift moves units between years, never creates them


def test_shipped_lessons_allocation(cli):
    records = json.loads(cli("allocate", "lessons", "--by", "year", "--format", "json").stdout)
    assert {r["kind"] for r in records} == {"allocation"}
    by_year: dict[int, int] = {}
    rows: dict[tuple, int] = {}
    for r in records:
        by_year[r["year"]] = by_year.get(r["year"], 0) + r["value"]
        rows[r["region"], r["level"]] = rows.get((r["region"], r["level"]), 0) + r["value"]
        assert r["value"] in (int(Fraction(r["exact"])), -int(-Fraction(r["exact"]) // 1))
    assert by_year == {2016: 1000, 2017: 2500, 2018: 2500, 2019: 3000, 2020: 1000}
    assert rows["攸县", "特殊教育"] == 30 and rows["直属学校", "高中"] == 1000
    again = cli("allocate", "lessons", "--by", "year", "--format", "json").stdout
    assert json.dumps(records, ensure_ascii=False, indent=2) + "\n" == again


def test_largest_remainder_shows_its_drift(cli):
    out = cli("allocate", "lessons", "--by", "year", "--method", "largest-remainder").output
    assert "年度合计与目标的偏差：2016年 +2、2017年 +10、2018年 -8、2019年 -2、2020年 -2" in out


def test_explain_names_the_constraints(cli):
    out = cli("allocate", "lessons", "--by", "year", "-d", "攸县", "--explain", "--format", "json").stdout
    rows = json.loads(out)
    special = {r["year"]: r for r in rows if r["level"] == "特殊教育"}
    assert special[2017]["exact"] == "7.5" and special[2017]["direction"] in ("进位", "舍去")
    assert "本行五年合计须为 30 节" in special[2017]["reason"]
    assert cli("allocate", "lessons", "--by", "year", "--explain").exit_code == 2


def test_explain_lists_only_rounded_cells_with_their_arithmetic(cli):
    # 0.1.0 listed all 30 cells, 20 of them “精确值为整数”, and never showed 450 × 25% = 112.5.
    rows = json.loads(cli("allocate", "lessons", "--by", "year", "-d", "攸县", "--explain", "--format", "json").stdout)
    assert rows and len(rows) < 30
    for r in rows:
        exact = Fraction(r["quota"]) * Fraction(str(r["share"])) / 100
        assert exact.denominator != 1  # only cells that had to be rounded
        assert r["arithmetic"] == f"{r['quota']} × {r['share']:g}% = {r['exact']}"
        assert Fraction(r["exact"]) == exact
        assert r["value"] in (math.floor(exact), math.ceil(exact))
        assert r["direction"] == ("进位" if r["value"] > exact else "舍去")
        # A claim that a swap would break a region's yearly bounds is checked against the numbers.
        m = re.search(r"合计将为 (\d+)，(少于|多于)其精确值 [\d.]+ 允许的 (\d+)–(\d+)", r["reason"])
        if m:
            assert not int(m[3]) <= int(m[1]) <= int(m[4])
    junior = {r["year"]: r for r in rows if r["level"] == "初中"}
    assert junior[2017]["arithmetic"] == "450 × 25% = 112.5"
    up, down = sorted(junior.values(), key=lambda r: r["direction"] != "进位")
    assert (up["direction"], down["direction"]) == ("进位", "舍去")
    assert (
        down["reason"] == f"本行五年合计须为 450 节，只能有 1 格进位；{up['year']} 年已进位，因此 {down['year']} 年舍去"
    )
    assert f"若改为 {down['year']} 年进位" in up["reason"]


def test_explain_table_in_plain_words(cli):
    out = cli("allocate", "lessons", "--by", "year", "-d", "攸县", "--explain").output
    assert "精确值为整数" not in out and "450 × 25% = 112.5" in out
    assert "只列需要取整的" in out and "进位" in out and "舍去" in out


def test_allocate_unknown_or_unshared_table(cli):
    assert cli("allocate", "lesson", "--by", "year").exit_code == 2
    result = cli("allocate", "workstations", "--by", "year")
    assert result.exit_code == 2 and "没有年度比例" in result.output


def test_budget_totals_and_per_region(cli):
    records = json.loads(cli("budget", "--format", "json").stdout)
    assert sum(r["cost"] for r in records) == 4_000_000 and sum(r["credits"] for r in records) == 800_000
    assert sum(r["count"] for r in records) == 10_000 and {r["quota"] for r in records} == {"lessons"}
    youxian = json.loads(cli("budget", "lessons", "-d", "攸县", "--format", "json").stdout)
    assert sum(r["count"] for r in youxian) == 1545 and sum(r["cost"] for r in youxian) == 1545 * 400
    assert all(r["credits"] == r["count"] * 80 and r["build_fee"] == r["count"] * 300 for r in youxian)
    year = json.loads(cli("budget", "--year", "2019", "--format", "json").stdout)
    assert sum(r["count"] for r in year) == 3000


@pytest.mark.parametrize("word", ["全市", "quanshi", "ALL", "全 市"])
def test_budget_for_the_whole_city_is_the_budget_without_a_district(cli, word):
    # quota's convention: --district 全市 is the whole city; for budget that is every region.
    whole = cli("budget", "--format", "json").stdout
    result = cli("budget", "--district", word, "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout == whole and sum(r["count"] for r in json.loads(whole)) == 10_000
    table = cli("budget", "-d", word).stdout
    assert "按标准计算 — 全市" in table and "攸县" in table and "4,000,000" in table


@pytest.mark.parametrize("command", [("schedule",), ("agenda",), ("allocate", "lessons"), ("progress",)])
def test_commands_without_a_city_view_explain_the_city_word(cli, command):
    result = cli(*command, "--district", "全市")
    assert result.exit_code == 2
    assert "不是单个区域" in result.output and "不写 --district 即为全市" in result.output
    assert "您是不是要找" not in result.output


def test_budget_names_and_units_come_from_the_data(cli):
    out = cli("budget", "-d", "攸县").stdout
    assert "建设费（元）" in out and "评审、修改、上传费（元）" in out and "继续教育学分（学分）" in out
    assert "经费合计（元）" in out and "数量（节）" in out and "463,500" in out
    assert "受控取整的年度分配" in out


def test_budget_of_a_table_without_rates_or_unknown_is_a_usage_error(cli):
    result = cli("budget", "workstations")
    assert result.exit_code == 2 and "没有单价或标准" in result.output and "lessons" in result.output
    assert cli("budget", "lesson").exit_code == 2


def test_budget_without_any_rates_says_so_and_exits_1(cli, data_copy):
    path = data_copy / "quotas" / "lessons.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("rates:\n"), text.index("targets:\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    result = cli("budget", "--data", str(data_copy))
    assert result.exit_code == 1 and "没有任何名额表写有单价或标准" in result.output


def test_budget_takes_any_rates_the_data_declares(cli, data_copy):
    # Three rates of the 0.1.0 keys become one rate of a new key: no crash, no missing column.
    path = data_copy / "quotas" / "lessons.yaml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("rates:\n"), text.index("targets:\n")
    rates = text[start:end]
    one = rates[: rates.index("  - key: build_fee")].replace("key: credits", "key: study_credit")
    path.write_text(text[:start] + one + text[end:], encoding="utf-8")
    records = json.loads(cli("budget", "--data", str(data_copy), "--format", "json").stdout)
    assert sum(r["study_credit"] for r in records) == 800_000 and "cost" not in records[-1]
    assert set(records[0]) == {"quota", "region", "year", "count", "study_credit"}


@pytest.mark.parametrize("key", ["credits", "count", "build fee"])
def test_budget_rate_keys_must_be_distinct_plain_and_not_reserved(data_copy, key):
    path = data_copy / "quotas" / "lessons.yaml"
    edit(path, "key: build_fee", f"key: {key}")
    found = errors(data_copy)
    assert found and all(code == "schema" and name == "lessons.yaml" for code, name, _ in found)


def test_quota_and_schedule_show_the_allocation(cli):
    records = json.loads(cli("quota", "-d", "攸县", "--format", "json").stdout)
    alloc = [r for r in records if r["kind"] == "allocation"]
    assert sum(r["value"] for r in alloc) == 1545 and {r["year"] for r in alloc} == set(range(2016, 2021))
    tasks = json.loads(cli("schedule", "-y", "2017", "-d", "攸县", "--format", "json").stdout)
    # 攸县's exact 2017 total is 1545 × 25% = 386.25: the floor or the ceiling.
    assert sum(r["value"] for r in tasks if r.get("kind") == "allocation") in (386, 387)


def test_cache_is_rebuilt_when_corrupt(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIWANQIAN_CACHE", str(tmp_path))
    problem = Problem({("a", "x"): 7, ("b", "x"): 5}, {2016: Fraction(50), 2017: Fraction(50)})
    first = allocation(problem)
    files = list((tmp_path / "shiwanqian").glob("allocation-*.json"))
    assert len(files) == 1
    flat = [first.values[g, lv, y] for g, lv in problem.cells for y in problem.years]
    assert json.loads(files[0].read_text(encoding="utf-8"))["flat"] == first.flat == flat
    a, b, c, d = flat
    for corrupt in ([99], [a, b, c, float(d)], [a, b, True, d], [b, a, c, d], [a + 1, b - 1, c, d], "4323"):
        files[0].write_text(json.dumps({"flat": corrupt, "relaxed": []}), encoding="utf-8")
        assert allocation(problem).flat == flat, corrupt
    for corrupt in (
        "[1, 2]",
        '{"values": [["a", "x", 2016, 99]]}',
        json.dumps({"flat": flat, "relaxed": "x"}),
        "not json",
    ):
        files[0].write_text(corrupt, encoding="utf-8")
        again = allocation(problem)
        assert again.values == first.values and again.relaxed == first.relaxed, corrupt


@pytest.mark.parametrize("shares", [{2016: Fraction(1, 3) * 100, 2017: Fraction(2, 3) * 100}])
def test_non_integer_year_target_is_relaxed_and_said(shares):
    result = controlled(Problem({("a", "x"): 1, ("b", "x"): 1, ("c", "x"): 2}, shares))
    assert violations(result) == [] and result.relaxed


def _totals_deviation(problem: Problem, values: dict) -> Fraction:
    """Σ|total − exact| over the yearly totals, city-wide and per region (the tie-break)."""
    out = Fraction(0)
    for y in problem.years:
        out += abs(sum(v for (_, _, yy), v in values.items() if yy == y) - problem.year_target(y))
        for region in problem.regions:
            got = sum(v for (g, _, yy), v in values.items() if g == region and yy == y)
            out += abs(got - problem.region_year(region, y))
    return out


@given(problems(max_cells=3, max_years=3, max_quota=9))
@settings(max_examples=150, deadline=None)
def test_ties_go_to_the_nearest_yearly_totals(problem):
    from shiwanqian.domain.allocation.solver import Allocation

    keys = [(g, lv, y) for g, lv in problem.cells for y in problem.years]
    options = [
        sorted({int(problem.exact((g, lv), y) // 1), -int(-problem.exact((g, lv), y) // 1)}) for g, lv, y in keys
    ]
    best = None
    for choice in itertools.product(*options):
        candidate = Allocation(problem, "brute", dict(zip(keys, choice)))
        if not violations(candidate):
            score = (candidate.deviation(), _totals_deviation(problem, candidate.values))
            best = score if best is None else min(best, score)
    result = controlled(problem)
    assert (result.deviation(), _totals_deviation(problem, result.values)) == best


def test_a_cached_allocation_is_used_without_the_solver(tmp_path):
    """A warm ``allocate`` reads and verifies the cached result in pure Python: the solver is not
    even imported, and the output is the cold run's, byte for byte."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "SHIWANQIAN_CACHE": str(tmp_path)}
    args = ["allocate", "lessons", "--by", "year", "--format", "csv"]
    cold = subprocess.run(
        [sys.executable, "-m", "shiwanqian", *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert cold.returncode == 0 and list((tmp_path / "shiwanqian").glob("allocation-*.json"))
    probe = (
        f"import sys, runpy; sys.argv=['shiwanqian', *{args!r}]\n"
        "try:\n    runpy.run_module('shiwanqian', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ortools', 'numpy'))), file=sys.stderr)"
    )
    warm = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert warm.stdout == cold.stdout and warm.stderr.strip().splitlines()[-1] == "[]"
