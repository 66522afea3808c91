"""Property tests: invariants of the loader and the arithmetic checks on generated input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shiwanqian.domain.checks.arithmetic import _check_schedule
from shiwanqian.domain.programme.vocab import normalise
from shiwanqian.load import yamlpos
from shiwanqian.load.model import QuotaTable, Vocabulary

LEVELS = ["高中", "初中", "小学", "幼儿教育", "职业教育", "特殊教育"]
REGIONS = ["炎陵县", "茶陵县", "攸县", "醴陵市"]

counts = st.integers(min_value=0, max_value=5000)


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_reading_any_text_never_raises_and_locates_problems(text):
    doc = yamlpos.read(text.encode("utf-8", "surrogatepass"), "x.yaml")
    for problem in doc.problems:
        assert problem.file == "x.yaml" and problem.line >= 1 and problem.column >= 1


@given(st.binary(max_size=300))
@settings(max_examples=300, deadline=None)
def test_reading_any_bytes_never_raises(raw):
    doc = yamlpos.read(raw, "x.yaml")
    assert doc.data is not None or doc.problems or raw.strip() == b""


@given(
    st.dictionaries(st.sampled_from(REGIONS), st.dictionaries(st.sampled_from(LEVELS), counts, min_size=1), min_size=1),
    st.integers(min_value=0, max_value=3),
)
def test_row_total_check_fires_exactly_when_the_stated_total_is_off(table, offset):
    from shiwanqian.domain.checks.arithmetic import check_arithmetic

    rows = [
        {"region": r, "values": v, "total": sum(v.values()) + offset, "text": "x", "source": "s"}
        for r, v in table.items()
    ]
    model = QuotaTable.model_validate(
        {"id": "t", "title": "t", "plan": "p", "by_level": True, "source": "s", "rows": rows}
    )
    found = list(check_arithmetic(_FakeCatalog(model), None))
    assert sum(f.code == "row-total-mismatch" for f in found) == (len(rows) if offset else 0)


@given(
    st.dictionaries(st.sampled_from(REGIONS), st.integers(min_value=0, max_value=9), min_size=1),
    st.lists(st.integers(min_value=0, max_value=2), min_size=1, max_size=4),
)
def test_schedule_check_fires_exactly_for_regions_whose_years_do_not_add_up(quota, splits):
    # Split every region's quota over the years, then perturb some regions by one.
    perturbed = {r for i, r in enumerate(sorted(quota)) if i % 2 == 0 and splits[0] == 1}
    years = []
    for y, _ in enumerate(splits):
        regions = {}
        for r, q in quota.items():
            share = q if y == 0 else 0
            regions[r] = share + (1 if (r in perturbed and y == 0) else 0)
        years.append({"year": 2016 + y, "source": "s", "groups": [{"regions": regions, "text": "x"}]})
    model = QuotaTable.model_validate(
        {
            "id": "t",
            "title": "t",
            "plan": "p",
            "source": "s",
            "rows": [{"region": r, "value": q, "text": "x", "source": "s"} for r, q in quota.items()],
            "schedule": years,
        }
    )
    ctx = type("Ctx", (), {"levels": tuple(LEVELS), "vocabulary": Vocabulary()})()
    found = [f.subject for f in _check_schedule(_FakeLocated(model), model, ctx) if f.code == "schedule-mismatch"]
    assert sorted(found) == sorted(f"t/{r}" for r in perturbed)


@given(st.sampled_from(["攸县", "youxian", "醴陵市"]), st.sampled_from([str.upper, str.lower, lambda s: f" {s} "]))
def test_normalise_ignores_case_width_and_spaces(name, transform):
    assert normalise(transform(name)) == normalise(name)


class _FakeLocated:
    def __init__(self, model):
        self.model = model
        self.doc = yamlpos.Document("t.yaml")

    def finding(self, path, code, message, **extra):
        from shiwanqian.load.loader import Located

        return Located(self.model, self.doc).finding(path, code, message, **extra)


class _FakeCatalog:
    def __init__(self, model):
        self.quotas = [_FakeLocated(model)]


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.text(alphabet=st.sampled_from(list("ab,\"\n\r\t =+-@\x1b\u202e 区县、'")), max_size=8),
    st.lists(st.sampled_from(["a", "b,c", '"', "=1"]), max_size=3),
)


@given(
    st.lists(st.text(alphabet='ab," \n=', max_size=4), min_size=0, max_size=4, unique=True),
    st.lists(st.lists(cell_values, min_size=4, max_size=4), max_size=6),
    st.booleans(),
)
@settings(max_examples=400, deadline=None)
def test_csv_text_is_what_the_csv_module_writes(keys, rows, excel):
    """CSV cells are escaped once per distinct value for speed; the bytes are the csv module's."""
    import csv
    import io

    from shiwanqian import safetext
    from shiwanqian.output.render import cell, csv_text

    records = [dict(zip(keys, row)) for row in rows]
    keys = keys if records else []  # csv_text takes the keys from the first record
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=keys, lineterminator="\r\n" if excel else "\n")

    def value(v):
        shown = safetext.inert(cell(v))
        return safetext.excel_cell(shown) if excel and not isinstance(v, (int, float)) else shown

    writer.writerow({k: value(k) for k in keys})
    for record in records:
        writer.writerow({k: value(v) for k, v in record.items()})
    assert csv_text(records, excel=excel) == ("\ufeff" if excel else "") + buffer.getvalue()
