"""quota --all's table of a main table: the caption of a stated total that differs from the
regions' sum (a recorded contradiction of the document) names the document's figure."""

from __future__ import annotations

from shiwanqian.cli.quota import _city_section
from shiwanqian.domain.programme.city import CityTable


def _table(stated_value: int) -> CityTable:
    return CityTable(
        quota="lessons",
        title="优质课",
        unit="节",
        levels=["高中"],
        rows=[("甲区", {"高中": 7}, 7, 7), ("乙区", {"高中": 5}, 5, 5)],
        totals={"高中": 12},
        grand=12,
        stated={"value": stated_value, "qualifier": "左右", "text": f"建设{stated_value}节左右", "source": "附件 二"},
        sources=["附件 二"],
    )


def test_a_stated_total_that_differs_is_named_with_its_own_figure() -> None:
    section = _city_section(_table(13), "全市")
    assert section.caption is not None
    first = section.caption.splitlines()[0]
    # The document's total (13左右), not the last region's stated row total (5).
    assert first == "各区域合计 12，文件写明的合计为 13左右（“建设13节左右”）。"
    assert section.rows[-1][-1] == "13左右"


def test_a_stated_total_equal_to_the_sum_needs_no_sentence() -> None:
    section = _city_section(_table(12), "全市")
    assert section.caption is not None
    assert section.caption.startswith("出处：")
