"""Regenerate the files of the bad-input corpus (``tests/bad_inputs/files``).

Run from the repository root:  ``python tests/bad_inputs/make_cases.py``

Each text case is a copy of one shipped data file with ONE mistake made in it, the way a
person editing the file by hand would make it (``EDITS``: case file, shipped file, the text
that is replaced and what replaces it; the first occurrence is replaced unless ``nth`` says
otherwise). The cases that cannot be typed in an editor (other encodings, binary data, an
alias bomb, 10,000 levels of nesting, a 4,000-digit number …) are built by the functions in
``GENERATED``.

The generated files are committed; this script only documents how they were made and lets
them be rebuilt. It does not touch ``cases.json``: the expected code and line of every case
live there and were checked by hand against the file (the line of the offending value, or of
the key for an unknown key). If you rebuild after the shipped data changed, re-check them.
"""

from __future__ import annotations

import codecs
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "data"
FILES = HERE / "files"

# (case file, shipped file it is copied from, old text, new text[, nth occurrence (1-based)])
EDITS: list[tuple] = [
    # ---------------------------------------------------------------- YAML syntax
    (
        "unclosed-flow-mapping.yaml",
        "quotas/lessons.yaml",
        "values: {高中: 200, 初中: 250, 小学: 150, 幼儿教育: 60, 职业教育: 50}",
        "values: {高中: 200, 初中: 250, 小学: 150, 幼儿教育: 60, 职业教育: 50",
    ),
    (
        "unclosed-flow-sequence.yaml",
        "plans/01-it-training.yaml",
        "    units: [市教师培训中心, 市教科院]",
        "    units: [市教师培训中心, 市教科院",
    ),
    (
        "unclosed-quote.yaml",
        "quotas/it-completion.yaml",
        '    unit: "%"\n    scope: 每县市区',
        '    unit: "%\n    scope: 每县市区',
    ),
    (
        "bad-indentation-dedented-key.yaml",
        "plans/01-it-training.yaml",
        "    when: 2017年、2019年",
        "   when: 2017年、2019年",
    ),
    (
        "bad-indentation-indented-key.yaml",
        "regions.yaml",
        "    kind: 县市\n    short: [醴陵]",
        "    kind: 县市\n      short: [醴陵]",
    ),
    ("missing-colon.yaml", "regions.yaml", "    kind: 区\n    short: [天元]", "    kind 区\n    short: [天元]"),
    ("fullwidth-colon.yaml", "units.yaml", "  - name: 市教科院\n    level: 市", "  - name: 市教科院\n    level： 市"),
    (
        "chinese-comma-in-flow-mapping.yaml",
        "quotas/backbone-teachers.yaml",
        "{高中: 15, 初中: 35,",
        "{高中: 15，初中: 35,",
    ),
    (
        "colon-space-in-unquoted-text.yaml",
        "quotas/lessons.yaml",
        "    text: 工作任务：建设10000节优质课堂教学资源",
        "    text: 工作任务: 建设10000节优质课堂教学资源",
    ),
    ("dash-without-space.yaml", "quotas/workstations.yaml", "  - {region: 攸县,", "  -{region: 攸县,"),
    ("ideographic-space-indentation.yaml", "regions.yaml", "    short: [石峰]", "\u3000\u3000short: [石峰]"),
    (
        "two-documents-pasted.yaml",
        "quotas/rural-exchange.yaml",
        "source: 附件4 三 2\ntargets:",
        "source: 附件4 三 2\n---\ntargets:",
    ),
    (
        "control-character-from-word.yaml",
        "quotas/lessons.yaml",
        "幼儿教育60节、职业教育50节",
        "幼儿教育60节、\x0b职业教育50节",
    ),  # Word's manual line break
    (
        "line-separator-in-quotation.yaml",
        "quotas/lessons.yaml",
        "幼儿教育60节、职业教育50节",
        "幼儿教育60节、\u2028职业教育50节",
    ),  # pasted from a web page / PDF
    ("tab-indentation.yaml", "units.yaml", "  - name: 工会\n    level: 各级", "  - name: 工会\n\tlevel: 各级"),
    ("tab-indentation-list-item.yaml", "quotas/rural-exchange.yaml", "\n  - {name: 本周期", "\n\t- {name: 本周期"),
    # ---------------------------------------------------------------- duplicate keys
    (
        "duplicate-key-top-level.yaml",
        "programme.yaml",
        "period: {start: 2016, end: 2020}\n",
        "period: {start: 2016, end: 2020}\nperiod: {start: 2016, end: 2021}\n",
    ),
    (
        "duplicate-key-in-list-item.yaml",
        "plans/01-it-training.yaml",
        "    units: [市装备所]\n    source: 附件1 四 3",
        "    units: [市装备所]\n    source: 附件1 四 3\n    units: [市教科院]",
    ),
    (
        "duplicate-key-flow-mapping.yaml",
        "quotas/backbone-teachers.yaml",
        "{高中: 35, 初中: 65, 小学: 65,",
        "{高中: 35, 初中: 65, 初中: 65,",
    ),
    ("duplicate-key-share-year.yaml", "quotas/lessons.yaml", "2018: 25, 2019: 30", "2018: 25, 2018: 30"),
    # ---------------------------------------------------------------- wrong types
    (
        "count-with-unit-suffix.yaml",
        "quotas/lessons.yaml",
        "  value: 10000\n  text: 用五年",
        "  value: 10000节\n  text: 用五年",
    ),
    (
        "count-with-thousands-separator.yaml",
        "quotas/lessons.yaml",
        "  value: 10000\n  text: 用五年",
        "  value: 10,000\n  text: 用五年",
    ),
    ("count-in-chinese-numerals.yaml", "quotas/workstations.yaml", "  value: 25\n", "  value: 二十五\n"),
    (
        "count-in-fullwidth-digits.yaml",
        "quotas/workstations.yaml",
        "{region: 醴陵市, value: 4,",
        "{region: 醴陵市, value: ４,",
    ),
    ("year-with-nian-suffix.yaml", "quotas/backbone-teachers.yaml", "  - year: 2017\n", "  - year: 2017年\n"),
    (
        "list-where-mapping-expected.yaml",
        "quotas/lessons.yaml",
        "values: {初中: 220, 小学: 120, 幼儿教育: 50}",
        "values: [初中: 220, 小学: 120, 幼儿教育: 50]",
    ),
    (
        "mapping-where-list-expected.yaml",
        "plans/01-it-training.yaml",
        "    units: [市教师培训中心, 市教科院]",
        "    units: {市教师培训中心, 市教科院}",
    ),
    (
        "text-where-list-expected.yaml",
        "plans/01-it-training.yaml",
        "    units: [市装备所]\n    source: 附件1 四 4",
        "    units: 市装备所\n    source: 附件1 四 4",
    ),
    ("unquoted-number-where-text-expected.yaml", "plans/01-it-training.yaml", '  - item: "2"', "  - item: 2"),
    ("empty-value-where-text-expected.yaml", "quotas/outreach.yaml", "    text: 参培人员达到2000人次\n", "    text:\n"),
    ("root-is-a-list.yaml", "regions.yaml", "regions:\n", ""),
    (
        "value-not-among-choices.yaml",
        "regions.yaml",
        "    kind: 区\n    short: [荷塘]",
        "    kind: 市区\n    short: [荷塘]",
    ),
    ("empty-list.yaml", "plans/01-it-training.yaml", "    units: [市教师培训中心, 市装备所]", "    units: []"),
    # ---------------------------------------------------------------- ranges
    ("negative-count.yaml", "quotas/backbone-teachers.yaml", "幼儿教育: 5, 职业教育: 4}", "幼儿教育: -5, 职业教育: 4}"),
    ("float-count.yaml", "quotas/lessons.yaml", "职业教育: 120, 特殊教育: 30}", "职业教育: 120, 特殊教育: 7.5}"),
    (
        "percent-over-100.yaml",
        "quotas/it-completion.yaml",
        "    value: 80\n    qualifier: 至少",
        "    value: 800\n    qualifier: 至少",
    ),
    ("share-over-100.yaml", "quotas/lessons.yaml", "2019: 30", "2019: 130"),
    (
        "shares-not-summing-to-100.yaml",
        "quotas/lessons.yaml",
        "{2016: 10, 2017: 25, 2018: 25, 2019: 30, 2020: 10}",
        "{2016: 10, 2017: 25, 2018: 25, 2019: 30, 2020: 15}",
    ),
    (
        "cumulative-series-decreasing.yaml",
        "quotas/network-college.yaml",
        "{name: 全市使用覆盖率, value: 80,",
        "{name: 全市使用覆盖率, value: 50,",
    ),
    ("month-13.yaml", "plans/01-it-training.yaml", "months: [8, 10]", "months: [8, 13]"),
    ("month-with-leading-zero.yaml", "plans/01-it-training.yaml", "months: [8, 10]", "months: [08, 10]"),
    ("years-not-in-order.yaml", "plans/01-it-training.yaml", "years: [2016, 2018, 2020]", "years: [2016, 2020, 2018]"),
    (
        "period-reversed.yaml",
        "plans/01-it-training.yaml",
        "period: {start: 2016, end: 2020}",
        "period: {start: 2020, end: 2016}",
    ),
    # ---------------------------------------------------------------- unknown names
    ("unknown-region-in-row.yaml", "quotas/lessons.yaml", "  - region: 攸县\n", "  - region: 悠县\n"),
    (
        "unknown-region-short-name-in-schedule.yaml",
        "quotas/workstations.yaml",
        "{醴陵市: 1, 攸县: 1, 茶陵县: 1,",
        "{醴陵: 1, 攸县: 1, 茶陵县: 1,",
    ),
    (
        "unknown-region-zero-width-space.yaml",
        "plans/11-leading-teachers.yaml",
        "regions: [醴陵市, 攸县,",
        "regions: [醴陵市, 攸\u200b县,",
    ),
    ("unknown-region-in-units.yaml", "units.yaml", "    region: 直属学校", "    region: 市直属"),
    ("unknown-unit-in-includes.yaml", "units.yaml", "includes: [市教师培训中心]", "includes: [市教师培训中新]"),
    ("unit-inclusion-cycle.yaml", "units.yaml", "includes: [市装备所]", "includes: [市装备所, 市级装备部门]"),
    (
        "unknown-level-in-row.yaml",
        "quotas/backbone-teachers.yaml",
        "{高中: 10, 初中: 30, 小学: 30, 幼儿教育: 5,",
        "{高中: 10, 初中: 30, 小学: 30, 幼儿园: 5,",
    ),
    (
        "unknown-level-in-schedule.yaml",
        "quotas/backbone-teachers.yaml",
        "      - level: 职业教育\n",
        "      - level: 职高\n",
    ),
    ("unknown-unit-alias.yaml", "plans/01-it-training.yaml", "    units: [市装备所]", "    units: [市教育装备所]"),
    ("unknown-plan.yaml", "quotas/workstations.yaml", "plan: leading-teachers", "plan: leading-teacher"),
    (
        "unknown-scope.yaml",
        "quotas/rural-exchange.yaml",
        "value: 2, unit: 次, scope: 各区域",
        "value: 2, unit: 次, scope: 各县市区",
    ),
    # ---------------------------------------------------------------- years
    ("year-outside-period-schedule.yaml", "quotas/backbone-teachers.yaml", "  - year: 2018\n", "  - year: 2021\n"),
    ("year-outside-period-shares.yaml", "quotas/lessons.yaml", "{2016: 10,", "{2015: 10,"),
    (
        "year-outside-period-task-timing.yaml",
        "plans/01-it-training.yaml",
        "timing: {years: [2017, 2019]}",
        "timing: {years: [2017, 2021]}",
    ),
    (
        "year-outside-period-target.yaml",
        "quotas/network-college.yaml",
        "unit: 门, scope: 全市, year: 2019,",
        "unit: 门, scope: 全市, year: 2021,",
    ),
    (
        "plan-period-beyond-programme.yaml",
        "plans/01-it-training.yaml",
        "period: {start: 2016, end: 2020}",
        "period: {start: 2016, end: 2025}",
    ),
    ("year-as-date.yaml", "quotas/backbone-teachers.yaml", "  - year: 2016\n", "  - year: 2016-07-01\n"),
    # ---------------------------------------------------------------- totals
    ("row-total-mismatch.yaml", "quotas/lessons.yaml", "    total: 710\n", "    total: 701\n"),
    (
        "grand-total-mismatch.yaml",
        "quotas/lessons.yaml",
        "  value: 10000\n  text: 用五年",
        "  value: 1000\n  text: 用五年",
    ),
    ("schedule-year-total-mismatch.yaml", "quotas/backbone-teachers.yaml", "    total: 410\n", "    total: 400\n"),
    (
        "schedule-subtotal-mismatch.yaml",
        "quotas/backbone-teachers.yaml",
        "        total: 110\n",
        "        total: 120\n",
    ),
    (
        "schedule-does-not-match-quota.yaml",
        "quotas/backbone-teachers.yaml",
        "regions: {茶陵县: 50, 攸县: 60}",
        "regions: {茶陵县: 50, 攸县: 50}",
    ),
    (
        "schedule-grand-total-mismatch.yaml",
        "quotas/backbone-teachers.yaml",
        "        total: 10\n        text: 特殊教育10人",
        "        total: 20\n        text: 特殊教育10人",
    ),
    # ---------------------------------------------------------------- quotations
    ("quote-not-found.yaml", "quotas/lessons.yaml", "    text: 攸县：高中500节", "    text: 攸县:高中500节"),
    (
        "quote-not-found-in-when.yaml",
        "plans/01-it-training.yaml",
        "    when: 2016年、2018年、2020年",
        "    when: 2016年、2018年和2020年",
    ),
    ("quote-mismatch-rate.yaml", "quotas/lessons.yaml", "    value: 300\n", "    value: 350\n"),
    (
        "quote-mismatch-row-value.yaml",
        "quotas/workstations.yaml",
        "{region: 攸县, value: 3,",
        "{region: 攸县, value: 4,",
    ),
    # ---------------------------------------------------------------- counts, statements, acknowledgements
    (
        "listed-items-count-mismatch.yaml",
        "quotas/backbone-teachers.yaml",
        "items: [专家引领, 集中培训, 网络研修, 岗位实践, 总结反思]",
        "items: [专家引领, 集中培训, 网络研修, 岗位实践]",
    ),
    ("stated-count-mismatch.yaml", "programme.yaml", "    value: 13\n", "    value: 12\n"),
    (
        "statement-mismatch.yaml",
        "quotas/lessons.yaml",
        "    unit: 节\n    scope: 全市\n    text: 用五年时间",
        "    unit: 个\n    scope: 全市\n    text: 用五年时间",
    ),
    ("source-text-missing.yaml", "programme.yaml", "source_text: source.txt", "source_text: 原文.txt"),
    (
        "stale-acknowledgement.yaml",
        "disagreements.yaml",
        "subject: workstations/芦淞区}",
        "subject: workstations/芦淞}",
    ),
    ("duplicate-row.yaml", "quotas/lessons.yaml", "  - region: 天元区\n", "  - region: 芦淞区\n"),
    ("duplicate-task-item.yaml", "plans/01-it-training.yaml", '  - item: "4"', '  - item: "3"'),
    # ---------------------------------------------------------------- YAML 1.1 surprises
    ("yaml11-no-as-text.yaml", "plans/01-it-training.yaml", "    name: 空间评选\n", "    name: no\n"),
    ("yaml11-on-as-text.yaml", "quotas/rural-exchange.yaml", "{name: 每次任教时长,", "{name: on,"),
    ("yaml11-octal-count.yaml", "quotas/lessons.yaml", "职业教育: 100, 特殊教育: 10}", "职业教育: 100, 特殊教育: 010}"),
    ("yaml11-octal-year.yaml", "quotas/backbone-teachers.yaml", "  - year: 2016\n", "  - year: 010\n"),
    # ---------------------------------------------------------------- keys
    ("unknown-key-typo.yaml", "regions.yaml", "    pinyin: [youxian]", "    pingyin: [youxian]"),
    (
        "unknown-key-typo-flow.yaml",
        "quotas/workstations.yaml",
        "{region: 醴陵市, value: 4,",
        "{region: 醴陵市, vaule: 4,",
    ),
    ("unknown-key-typo-top-level.yaml", "quotas/backbone-teachers.yaml", "schedule:\n", "shedule:\n"),
    ("missing-required-key.yaml", "regions.yaml", "    source: 附件12 二（二）3\n", ""),
    (
        "missing-required-key-in-task.yaml",
        "plans/01-it-training.yaml",
        "    requirement: 以评促用，推动优秀空间建设。\n",
        "",
    ),
    # ---------------------------------------------------------------- anchors
    (
        "anchor-and-alias.yaml",
        "quotas/workstations.yaml",
        "  - {region: 炎陵县, value: 2, text: 炎陵县、茶陵县、株洲县、荷塘区、芦淞区、天元区、石峰区各建2个, source: 附件11 二 2}\n"
        "  - {region: 茶陵县, value: 2, text: 炎陵县、茶陵县、株洲县、荷塘区、芦淞区、天元区、石峰区各建2个, source: 附件11 二 2}\n",
        "  - {region: 炎陵县, value: 2, text: &each2 炎陵县、茶陵县、株洲县、荷塘区、芦淞区、天元区、石峰区各建2个, source: 附件11 二 2}\n"
        "  - {region: 茶陵县, value: 2, text: *each2, source: 附件11 二 2}\n",
    ),
]


def _shipped(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _edit(text: str, old: str, new: str, nth: int = 1) -> str:
    start = -1
    for _ in range(nth):
        start = text.find(old, start + 1)
        if start < 0:
            raise SystemExit(f"not found: {old!r}")
    return text[:start] + new + text[start + len(old) :]


def _write(name: str, data: str | bytes) -> None:
    (FILES / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


# ------------------------------------------------------------------ generated cases


def merge_key() -> None:
    """Task 6 copies task 5 with an anchor and a merge key (``<<: *task5``)."""
    text = _shipped("plans/01-it-training.yaml")
    text = _edit(text, '  - item: "5"\n', '  - &task5\n    item: "5"\n')
    text = _edit(text, '  - item: "6"\n', '  - <<: *task5\n    item: "6"\n')
    _write("merge-key.yaml", text)


def gb18030() -> None:
    """regions.yaml saved as GB18030 (Windows Notepad / WPS 'ANSI' on a Chinese system)."""
    _write("gb18030.yaml", _shipped("regions.yaml").encode("gb18030"))


def gbk_line_pasted_into_utf8() -> None:
    """A UTF-8 lessons.yaml with one text line pasted from a GBK document."""
    lines = _shipped("quotas/lessons.yaml").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("    text: 醴陵市"))
    raw = b"".join(line.encode("gbk" if i == index else "utf-8") for i, line in enumerate(lines))
    _write("gbk-line-in-utf8-file.yaml", raw)


def utf16() -> None:
    """units.yaml saved as 'Unicode' (UTF-16 LE with BOM) by Windows Notepad."""
    _write("utf16.yaml", _shipped("units.yaml").encode("utf-16"))


def utf16_without_bom() -> None:
    _write("utf16-be-without-bom.yaml", _shipped("quotas/outreach.yaml").encode("utf-16-be"))


def utf8_bom() -> None:
    _write("utf8-bom.yaml", codecs.BOM_UTF8 + _shipped("quotas/management.yaml").encode("utf-8"))


def empty() -> None:
    _write("empty.yaml", b"")


def whitespace_and_comments_only() -> None:
    text = _shipped("plans/14-leadership.yaml")
    _write("comments-only.yaml", "".join(line + "\n" for line in text.splitlines() if line.startswith("#")) + "\n\n")


def truncated() -> None:
    """lessons.yaml cut off in the middle of a flow mapping (an interrupted copy)."""
    text = _shipped("quotas/lessons.yaml")
    cut = text.index("values: {高中: 300, 初中: 300,") + len("values: {高中: 300, 初中: 3")
    _write("truncated-mid-line.yaml", text[:cut])


def truncated_mid_character() -> None:
    """backbone-teachers.yaml cut off in the middle of a three-byte UTF-8 character."""
    raw = _shipped("quotas/backbone-teachers.yaml").encode("utf-8")
    marker = "    text: 株洲县：".encode()
    cut = raw.index(marker) + len(marker) + 1  # one byte into the next character
    _write("truncated-mid-character.yaml", raw[:cut])


def truncated_at_line() -> None:
    """01-it-training.yaml cut off right after a line: valid YAML, but the last task is incomplete."""
    text = _shipped("plans/01-it-training.yaml")
    cut = text.index("    when: 2017年、2019年\n") + len("    when: 2017年、2019年\n")
    _write("truncated-at-line-end.yaml", text[:cut])


def binary() -> None:
    """A PNG screenshot saved with a .yaml name."""
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x00\xc8\x08\x02\x00\x00\x00"
    body = bytes((i * 37 + 11) % 256 for i in range(2048))
    _write("binary-png.yaml", header + body)


def binary_without_nul() -> None:
    """Latin-1 bytes without NUL: not UTF-8 (e.g. a file from an old editor)."""
    _write("latin1-text.yaml", "id: caf\xe9\ntitle: na\xefve\n".encode("latin-1"))


def alias_bomb() -> None:
    """'Billion laughs': nine aliases per level, nine levels deep."""
    lines = [
        "# yaml-language-server: $schema=../schemas/quota.schema.json",
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ]
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    _write("alias-bomb.yaml", "\n".join(lines) + "\n")


def deep_flow() -> None:
    _write("deep-nesting-flow.yaml", "id: deep\nvalues: " + "[" * 10_000 + "]" * 10_000 + "\n")


def deep_block() -> None:
    """10,000 nested block sequences on one line: ``- - - - … x``."""
    _write("deep-nesting-block.yaml", "id: deep\nrows:\n  " + "- " * 10_000 + "x\n")


def deep_100() -> None:
    """100 nested lists: readable by the parser, deeper than any data file needs."""
    _write("deep-nesting-100.yaml", "id: deep\nvalues: " + "[" * 100 + "]" * 100 + "\n")


def duplicate_id_backup_copy() -> None:
    """An unchanged backup copy of lessons.yaml left in the quotas folder."""
    _write("duplicate-id-backup-copy.yaml", _shipped("quotas/lessons.yaml"))


def huge_integer() -> None:
    """A 4000-digit number where a count is expected (a paste gone wrong)."""
    text = _shipped("quotas/lessons.yaml")
    _write("huge-integer.yaml", _edit(text, "{初中: 130, 小学: 60,", "{初中: 1" + "3" * 3999 + ", 小学: 60,"))


def too_many_digits() -> None:
    """A 5000-digit number: more digits than Python converts to int by default."""
    text = _shipped("quotas/lessons.yaml")
    _write("too-many-digits.yaml", _edit(text, "{初中: 130, 小学: 60,", "{初中: 1" + "3" * 4999 + ", 小学: 60,"))


def two_huge_integers() -> None:
    """Two 4300-digit counts in one row: each is readable, their sum has 4301 digits."""
    text = _shipped("quotas/lessons.yaml")
    big = "9" * 4300
    _write("two-huge-integers.yaml", _edit(text, "{初中: 130, 小学: 60,", f"{{初中: {big}, 小学: {big},"))


GENERATED = [
    merge_key,
    gb18030,
    gbk_line_pasted_into_utf8,
    utf16,
    utf16_without_bom,
    utf8_bom,
    empty,
    whitespace_and_comments_only,
    truncated,
    truncated_mid_character,
    truncated_at_line,
    binary,
    binary_without_nul,
    alias_bomb,
    deep_flow,
    deep_block,
    deep_100,
    duplicate_id_backup_copy,
    huge_integer,
    too_many_digits,
    two_huge_integers,
]


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for name, shipped, old, new, *nth in EDITS:
        _write(name, _edit(_shipped(shipped), old, new, *nth))
    for make in GENERATED:
        make()
    print(f"{len(EDITS) + len(GENERATED)} files written to {FILES}")


if __name__ == "__main__":
    main()
