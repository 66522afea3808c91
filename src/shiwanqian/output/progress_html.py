"""The 达成度 report as one self-contained HTML page (no network, no script): per region and
per table a bar chart (inline SVG) of achieved against target by year, the overdue tasks and
the ranking of regions; laid out to print on A4.

Every text from the data or the reports goes through ``esc`` (``html.escape``) and nothing
else reaches the page, so no markup in a name or a note can act.
"""

from __future__ import annotations

from html import escape
from typing import Any

DONE = ("完成", "不适用")
COLOURS = {"达成": "#2e7d32", "超额": "#1565c0", "滞后": "#c62828", "进行中": "#ef6c00"}
DOUBT_COLOUR = "#8e24aa"  # 待核: a figure above the quota or far above the target, not yet confirmed
TARGET = "#c9ced6"


def esc(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.1f}%"


def chart(records: list[dict[str, Any]], unit: str) -> str:
    """Bars of target (grey) and actual (coloured by status) for each year, with the rate."""
    width, height, top, bottom, left = 220, 150, 34, 22, 4
    years = [r["year"] for r in records]
    peak = max([1, *(r["target"] or 0 for r in records), *(r["actual"] or 0 for r in records)])
    slot = (width - 2 * left) / max(1, len(years))
    bar = min(22.0, slot / 3)
    plot = height - top - bottom
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" xmlns="http://www.w3.org/2000/svg">',
        f'<line x1="{left}" y1="{top + plot}" x2="{width - left}" y2="{top + plot}" stroke="#888" stroke-width="1"/>',
    ]
    for i, r in enumerate(records):
        x = left + i * slot + slot / 2
        target, actual = r["target"], r["actual"]
        label = (
            f"{r['year']}年：目标 {esc(target if target is not None else '—')}{esc(unit)}，"
            f"完成 {esc(actual if actual is not None else '未填报')}，达成度 {percent(r['rate'])}"
        )
        if target:
            h = plot * target / peak
            parts.append(
                f'<rect x="{x - bar - 1:.1f}" y="{top + plot - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{TARGET}"><title>{label}</title></rect>'
            )
            parts.append(f'<text x="{x - bar / 2 - 1:.1f}" y="{top + plot - h - 3:.1f}" class="v">{esc(target)}</text>')
        if actual is not None:
            h = plot * actual / peak
            colour = DOUBT_COLOUR if r["status"] == "待核" else COLOURS.get(r["status"], "#455a64")
            parts.append(
                f'<rect x="{x + 1:.1f}" y="{top + plot - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{label}</title></rect>'
            )
            parts.append(f'<text x="{x + bar / 2 + 1:.1f}" y="{top + plot - h - 3:.1f}" class="v">{esc(actual)}</text>')
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" class="y">{esc(r["year"])}</text>')
        shown = "未填报" if actual is None and target else "待核" if r["status"] == "待核" else percent(r["rate"])
        parts.append(f'<text x="{x:.1f}" y="12" class="r">{shown}</text>')
    parts.append("</svg>")
    return "".join(parts)


STYLE = """
@page { size: A4 portrait; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       "WenQuanYi Zen Hei", "SimSun", sans-serif; color: #1f2328; margin: 0 auto; max-width: 186mm;
       font-size: 10.5pt; line-height: 1.45; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 2px solid #1f2328; padding-bottom: 1mm;
     break-after: avoid; }
h3 { font-size: 10pt; margin: 0 0 1mm; }
.meta { color: #57606a; margin: 0 0 3mm; }
.legend span { display: inline-block; margin-right: 4mm; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 3px; vertical-align: -1px; }
.grid { display: flex; flex-wrap: wrap; gap: 3mm; }
.card { border: 1px solid #d0d7de; border-radius: 4px; padding: 2mm 2.5mm; width: calc((100% - 6mm) / 3);
        break-inside: avoid; page-break-inside: avoid; }
.card p { margin: 0; color: #57606a; font-size: 8.5pt; }
.chart { width: 100%; height: auto; display: block; }
.chart text { font-size: 10px; text-anchor: middle; fill: #1f2328; }
.chart text.r { font-weight: bold; }
.chart text.y { fill: #57606a; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { border-bottom: 1px solid #d0d7de; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #f3f4f6; }
tr { break-inside: avoid; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bar { display: inline-block; height: 8px; background: #1565c0; vertical-align: middle; margin-right: 4px; }
.late { color: #c62828; font-weight: bold; white-space: nowrap; }
td.plan { color: #57606a; font-size: 8.5pt; }
.note { color: #57606a; font-size: 9pt; margin-top: 2mm; }
@media print { body { padding: 0; } a { color: inherit; text-decoration: none; } }
"""


def doubt_block(report: dict[str, Any], tables: dict[str, dict[str, Any]]) -> list[str]:
    """The figures waiting to be confirmed (待核), before the charts: they are not successes yet."""
    from .progress import CONFIRM_HINT

    doubts = report.get("doubts") or []
    if not doubts:
        return []
    out = [
        f"<h2>待核数字（{len(doubts)} 项）</h2>",
        "<table><thead><tr><th>名额表</th><th>区域</th><th>学段</th><th>年份</th><th>实际完成</th><th>当年目标</th>"
        "<th>名额</th><th>原因</th></tr></thead><tbody>",
    ]
    for d in doubts:
        out.append(
            f"<tr><td>{esc(tables[d['quota']]['title'] if d['quota'] in tables else d['quota'])}</td>"
            f'<td>{esc(d["region"])}</td><td>{esc(d["level"] or "—")}</td><td class="n">{esc(d["year"])}</td>'
            f'<td class="n late">{esc(d["actual"])}</td>'
            f'<td class="n">{esc(d["target"] if d["target"] is not None else "—")}</td>'
            f'<td class="n">{esc(d["limit"] if d["limit"] is not None else "—")}</td>'
            f"<td>{esc('；'.join(d['reasons']))}</td></tr>"
        )
    out.append(f'</tbody></table><p class="note">{esc(CONFIRM_HINT)}</p>')
    return out


def page(report: dict[str, Any], basis: dict[str, Any], programme_title: str) -> str:
    tables = {t["id"]: t for t in basis["tables"]}
    region = report["region"]
    quotas = [r for r in report["quotas"] if r["level"] is None]
    regions = [name for name in basis["regions"] if any(r["region"] == name for r in quotas)]
    scope = region or f"{basis.get('area', '全市')}各区域"
    out = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(programme_title)} 达成度报告（{esc(scope)}，截至 {esc(report['as_of'])}）</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>达成度报告 — {esc(scope)}</h1>",
        f'<p class="meta">{esc(programme_title)}　截至 {esc(report["as_of"])}。'
        "达成度 = 实际完成 ÷ 目标（一位小数）；目标为文件给出的年度安排，或按年度比例受控取整的年度分配。</p>",
        '<p class="meta legend">'
        f'<span><i style="background:{TARGET}"></i>目标</span>'
        + "".join(f'<span><i style="background:{c}"></i>完成（{s}）</span>' for s, c in COLOURS.items())
        + (f'<span><i style="background:{DOUBT_COLOUR}"></i>完成（待核）</span>' if report.get("doubts") else "")
        + "</p>",
    ]
    out += doubt_block(report, tables)
    for name in regions:
        mine = [r for r in quotas if r["region"] == name]
        out.append(f'<h2>{esc(name)}</h2><div class="grid">')
        for table_id in dict.fromkeys(r["quota"] for r in mine):
            table = tables[table_id]
            series = [r for r in mine if r["quota"] == table_id]
            last = series[-1]
            out.append(
                '<div class="card">'
                f"<h3>{esc(table['title'])}（{esc(table['unit'] or '')}）</h3>"
                + chart(series, table["unit"] or "")
                + f"<p>累计：目标 {esc(last['cumulative_target'] if last['cumulative_target'] is not None else '—')}，"
                f"完成 {esc(last['cumulative_actual'] if last['cumulative_actual'] is not None else '未填报')}"
                f"（截至 {esc(last['year'])} 年）</p></div>"
            )
        out.append("</div>")
    overdue = [t for t in report["tasks"] if t["status"] not in DONE]
    out.append(f"<h2>逾期任务（{len(overdue)} 项，到期共 {len(report['tasks'])} 项）</h2>")
    if overdue:
        out.append(
            "<table><thead><tr><th>截止日期</th><th>计划</th><th>事项</th><th>年份</th><th>完成情况</th>"
            "<th>责任单位</th></tr></thead><tbody>"
        )
        for t in overdue:
            out.append(
                f'<tr><td class="n">{esc(t["due"])}</td><td class="plan">{esc(t["plan"])}</td>'
                f'<td>{esc(t["item"])} {esc(t["name"])}</td><td class="n">{esc(t["year"])}</td>'
                f'<td class="late">{esc(t["status"])}</td><td>{esc("、".join(t["units"]))}</td></tr>'
            )
        out.append("</tbody></table>")
    else:
        out.append('<p class="note">没有逾期任务。</p>')
    rank = report["ranking"]
    if rank["rows"]:
        ids = list(dict.fromkeys(q for row in rank["rows"] for q in row["rates"]))
        out.append(
            f"<h2>{esc(rank['year'])}年达成度排名</h2><table><thead><tr><th>名次</th><th>区域</th>"
            + "".join(f"<th>{esc(tables[i]['title'])}</th>" for i in ids)
            + "<th>平均达成度</th></tr></thead><tbody>"
        )
        for row in rank["rows"]:
            width = min(row["rate"] or 0, 150) * 0.4
            out.append(
                f'<tr><td class="n">{esc(row["rank"] if row["rank"] is not None else "—")}</td>'
                f"<td>{esc(row['region'])}</td>"
                + "".join(
                    f'<td class="n">{percent(row["rates"].get(i))}{"（待核）" if i in row.get("doubtful", ()) else ""}</td>'
                    for i in ids
                )
                + f'<td class="n"><span class="bar" style="width:{width:.0f}px"></span>'
                f"{percent(row['rate'])}</td></tr>"
            )
        out.append(
            "</tbody></table>"
            '<p class="note">各表按区域合计的当年达成度；平均只计有目标且已填报的表；“—”为未填报或当年无目标。</p>'
        )
    out.append("</body></html>\n")
    return "".join(out)
