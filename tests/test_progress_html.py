"""`progress --out report.html`: one self-contained page whose bars and tables carry the report's
numbers, inert to hostile text, that a real headless browser renders and prints on A4."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO

EXAMPLES = REPO / "examples" / "progress"


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def report(cli, tmp_path: Path, *args: str, folder: Path = EXAMPLES) -> str:
    out = tmp_path / "达成度.html"
    result = cli("progress", "--progress", str(folder), *args, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_the_page_is_self_contained_and_carries_the_numbers(cli, tmp_path):
    page = report(cli, tmp_path, "--district", "攸县", "--as-of", "2017-12-31")
    parsed = Collect()
    parsed.feed(page)
    # Nothing is fetched: no scripts, no external stylesheets, images or fonts.
    assert not [t for t, a in parsed.tags if t in ("script", "link", "img", "iframe")]
    assert not re.search(r"(src|href)=\"https?:|url\(", page)
    assert "@page { size: A4" in page
    # Bars of 2017 lessons (攸县): the same target, actual and rate as `progress --format json`.
    result = cli(
        "progress", "--progress", str(EXAMPLES), "--district", "攸县", "--as-of", "2017-12-31", "--format", "json"
    )
    report_json = json.loads(result.stdout)
    levels = [r for r in report_json["quotas"] if (r["quota"], r["year"]) == ("lessons", 2017)]
    total = {
        "target": sum(r["target"] for r in levels),
        "cumulative_target": sum(r["cumulative_target"] for r in levels),
        "rate": next(r for r in report_json["ranking"]["rows"] if r["region"] == "攸县")["rates"]["lessons"],
    }
    svgs = re.findall(r"<svg.*?</svg>", page)
    assert len(svgs) == 3  # one chart per table of 攸县
    lessons = next(s for s in svgs if "节，" in s)
    ET.fromstring(lessons)  # well-formed SVG
    assert f"{total['rate']:.1f}%" in lessons and "#c62828" in lessons  # 滞后 in red
    assert f"2017年：目标 {total['target']}节，完成 380，达成度 {total['rate']:.1f}%" in lessons
    text = "".join(parsed.text)
    assert f"累计：目标 {total['cumulative_target']}，完成 528" in text
    assert "逾期任务" in text and "2017年达成度排名" in text


def test_hostile_text_from_the_data_stays_inert():
    from shiwanqian.output.progress_html import page

    evil = '<script>alert(1)</script>"&'
    basis = {"regions": [evil], "tables": [{"id": "t", "title": evil, "unit": evil}]}
    record = {
        "quota": "t",
        "region": evil,
        "level": None,
        "year": 2016,
        "target": 3,
        "cumulative_target": 3,
        "actual": 2,
        "cumulative_actual": 2,
        "rate": 66.7,
        "status": "滞后",
    }
    task = {
        "plan": evil,
        "item": evil,
        "name": evil,
        "year": 2016,
        "due": "2016-12-31",
        "status": "未填报",
        "units": [evil],
    }
    html = page(
        {
            "region": evil,
            "as_of": "2016-12-31",
            "quotas": [record],
            "tasks": [task],
            "ranking": {"year": 2016, "rows": [{"rank": 1, "region": evil, "rate": 66.7, "rates": {"t": 66.7}}]},
        },
        basis,
        evil,
    )
    assert "<script>" not in html
    assert html.count("&lt;script&gt;") >= 6
    svg = re.search(r"<svg.*?</svg>", html).group(0)
    ET.fromstring(svg)


def _browser() -> str | None:
    return next(
        (shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome") if shutil.which(name)), None
    )


@pytest.mark.skipif(_browser() is None, reason="Chromium is not installed")
def test_a_headless_browser_renders_and_prints_it_on_a4(cli, tmp_path):
    page = tmp_path / "达成度.html"
    page.write_text(report(cli, tmp_path, "--as-of", "2016-12-31"), encoding="utf-8")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    shot, pdf = tmp_path / "page.png", tmp_path / "page.pdf"
    subprocess.run(
        [_browser(), *flags, "--window-size=900,1400", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    subprocess.run(
        [_browser(), *flags, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True,
        timeout=180,
        check=False,
    )
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) >= 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert "达成度报告" in text
