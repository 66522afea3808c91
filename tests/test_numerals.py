"""The numeral reader: Chinese numerals of any size, Arabic digits, percentages, 分之 forms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shiwanqian.domain.numerals import find_numbers, mentions, parse_chinese, read_number, to_chinese


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("〇", 0),
        ("零", 0),
        ("一", 1),
        ("两", 2),
        ("十", 10),
        ("十二", 12),
        ("一十二", 12),
        ("二十", 20),
        ("一百零五", 105),
        ("一百一十", 110),
        ("一百五", 150),
        ("一千二", 1200),
        ("一千零一十", 1010),
        ("一千五百四十五", 1545),
        ("两千", 2000),
        ("两万", 20000),
        ("一万二", 12000),
        ("一万零五", 10005),
        ("十万零一十", 100010),
        ("三十万", 300000),
        ("一亿二千万", 120_000_000),
        ("十亿零一", 1_000_000_001),
        ("二〇一六", 2016),
        ("二零二一", 2021),
        ("壹佰贰拾叁", 123),
        ("两萬", 20000),
    ],
)
def test_chinese_numerals(text, value):
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["十百千万", "十三五", "三四", "百", "千万", "十两", "一千零百", "一百零", ""])
def test_runs_that_are_not_one_number(text):
    assert parse_chinese(text) is None


@given(st.integers(min_value=0, max_value=10**12 - 1), st.booleans())
@settings(max_examples=500, deadline=None)
def test_int_to_chinese_and_back(n, liang):
    text = to_chinese(n, liang=liang)
    assert parse_chinese(text) == n
    assert [x.value for x in find_numbers(f"共{text}人")] == [n]


@given(st.integers(min_value=0, max_value=10**9))
@settings(max_examples=200, deadline=None)
def test_arabic_and_percent_forms_found_with_their_spans(n):
    text = f"完成{n}人，占百分之{to_chinese(n % 101)}，即{n % 101}%，全角{str(n).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}名"
    found = find_numbers(text)
    assert [(x.value, x.kind) for x in found] == [
        (n, "integer"),
        (n % 101, "percent"),
        (n % 101, "percent"),
        (n, "integer"),
    ]
    for number in found:
        assert text[number.start : number.end] == number.text


def test_fractions_decimals_and_multipliers():
    found = {n.text: n for n in find_numbers("三分之一的教师，千分之五，1.5万人，1,000名，一点五倍，百分之12.5")}
    assert found["三分之一"].kind == "fraction" and (found["三分之一"].numerator, found["三分之一"].denominator) == (
        1,
        3,
    )
    assert found["千分之五"].value == pytest.approx(0.005)
    assert found["1.5万"].value == 15000
    assert found["1,000"].value == 1000
    assert found["一点五"].value == 1.5
    assert found["百分之12.5"].kind == "percent" and found["百分之12.5"].value == 12.5


def test_ordinals_loose_runs_and_idioms_are_marked():
    found = find_numbers("一、第三批（二）“十百千万”工程，十三五期间，一般统一，每年两期共80人")
    stated = [(n.text, n.value) for n in found if n.stated]
    assert stated == [("两", 2), ("80", 80)]
    assert {n.text for n in found if n.ordinal} == {"一", "三", "二"}
    assert {n.text for n in found if n.loose} >= {"十", "十三", "五"}


def test_mentions_reads_any_form():
    assert mentions("每站5至8人", 8)
    assert mentions("遴选一千五百四十五名", 1545)
    assert mentions("完成总任务的百分之八十", 80, percent=True)
    assert not mentions("完成总任务的百分之八十", 80, percent=False)
    assert mentions("80%左右", 80) and not mentions("80%左右", 8)
    assert not mentions("2016年", 16) and not mentions("第三批", 3)
    assert not mentions("“十百千万”工程", 10)


def test_read_number_whole_text_only():
    assert read_number("两万") == 20000
    assert read_number("80%") == 80
    assert read_number("80人") is None
    assert read_number("十百千万") is None


@given(
    st.text(
        alphabet=st.sampled_from(
            list("〇零一二两三四五六七八九十百千万亿点分之%％第（）、.,0123456789０１２３年人个的")
        ),
        max_size=40,
    )
    | st.text(max_size=40)
)
@settings(max_examples=400, deadline=None)
def test_any_text_is_read_without_error_and_spans_hold(text):
    previous_end = 0
    for number in find_numbers(text):
        assert text[number.start : number.end] == number.text
        assert number.start >= previous_end  # in order, not overlapping
        previous_end = number.end
