"""Make a valid data folder N times the size of the shipped one, or with N regions.

    python benchmarks/make_synthetic.py --scale 100 --out /tmp/data100
    python benchmarks/make_synthetic.py --regions 10000 --out /tmp/regions10000

Every plan and quota table is copied N times under new ids (``lessons`` → ``lessons-2`` …),
the acknowledged disagreements are copied with the copies' subjects, and the stated plan
counts are scaled, so `shiwanqian check --data DIR` passes on the result just as it does on
the shipped data. The quotations stay those of the real document, which is copied as is.

``--regions N`` adds N − 11 made-up regions (``合成区00012`` …) to the shipped eleven and a
table ``regional`` (6 学段, the lessons' yearly shares) with a row for every region; the rows'
quotations are appended to the copied source text so that `check` passes, and the document's
region counts, which no longer hold, are dropped. Quotas are random but fixed by ``--seed``.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def _plan_id(text: str) -> str:
    found = re.search(r"^id: (\S+)$", text, re.M)
    assert found is not None, "a plan file without an id"
    return found[1]


def suffix_ids(text: str, k: int, plan_ids: list[str], keys: list[str]) -> str:
    if k == 1:
        return text
    text = re.sub(r"^(id|plan): (\S+)$", lambda m: f"{m[1]}: {m[2]}-{k}", text, flags=re.M)
    text = re.sub(r"^order: (\d+)$", lambda m: f"order: {int(m[1]) + 100 * (k - 1)}", text, flags=re.M)
    for key in keys:
        text = text.replace(f"key: {key}\n", f"key: {key}-{k}\n")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--regions", type=int, default=0, help="number of regions (at least 11); 0: the shipped ones")
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    (out / "plans").mkdir(parents=True)
    (out / "quotas").mkdir()
    for name in ("regions.yaml", "units.yaml", "source.txt"):
        shutil.copy(DATA / name, out / name)
    shutil.copytree(DATA / "schemas", out / "schemas")
    rate_keys = {"build_fee", "review_fee", "credits"}  # fixed vocabulary, not statement keys
    keys = sorted(
        set(re.findall(r"key: (\S+)\n", "".join(p.read_text("utf-8") for p in (DATA / "quotas").glob("*.yaml"))))
        - rate_keys
    )
    plan_ids = [_plan_id(p.read_text("utf-8")) for p in (DATA / "plans").glob("*.yaml")]
    for k in range(1, args.scale + 1):
        for folder in ("plans", "quotas"):
            for path in sorted((DATA / folder).glob("*.yaml")):
                text = suffix_ids(path.read_text("utf-8"), k, plan_ids, keys)
                (out / folder / f"{path.stem}-{k:04d}.yaml").write_text(text, "utf-8")
    programme = (DATA / "programme.yaml").read_text("utf-8")
    quotes = []
    for what in ("plans:支持计划", "plans:工作专项", "plans"):
        # The scaled count gets a quotation of its own (appended to the copied document), since
        # check confirms every stated count by the number its quotation writes.
        def scaled(m: re.Match, what: str = what) -> str:
            value = int(m[2]) * args.scale
            quotes.append(f"合成数据：{what} 共{value}个")
            return f"{m[1]}{value}\n    text: {quotes[-1]}\n"

        programme = re.sub(rf"(- what: {re.escape(what)}\n    value: )(\d+)\n    text: .*\n", scaled, programme)
    (out / "programme.yaml").write_text(programme, "utf-8")
    with (out / "source.txt").open("a", encoding="utf-8") as source:
        source.write("\n" + "\n".join(quotes) + "\n")
    original = (DATA / "disagreements.yaml").read_text("utf-8")
    head, body = original.split("disagreements:\n", 1)
    copies = [body]
    for k in range(2, args.scale + 1):
        copy = re.sub(r"^  - id: (\S+)$", lambda m: f"  - id: {m[1]}-{k}", body, flags=re.M)  # noqa: B023 (called within this iteration)
        copy = re.sub(r"subject: ([\w-]+)(/|\})", lambda m: f"subject: {m[1]}-{k}{m[2]}", copy)  # noqa: B023 (called within this iteration)
        copies.append(copy)
    (out / "disagreements.yaml").write_text(head + "disagreements:\n" + "".join(copies), "utf-8")
    if args.regions:
        add_regions(out, args.regions, random.Random(args.seed))
    size = sum(p.stat().st_size for p in out.rglob("*.yaml"))
    print(f"{out}: {len(list(out.rglob('*.yaml')))} 个 YAML 文件，共 {size:,} 字节")


LEVELS = ["高中", "初中", "小学", "幼儿教育", "职业教育", "特殊教育"]


def add_regions(out: Path, count: int, rnd: random.Random) -> None:
    shipped = re.findall(r"^  - name: (\S+)$", (DATA / "regions.yaml").read_text("utf-8"), re.M)
    names = shipped + [f"合成区{i:05d}" for i in range(len(shipped) + 1, count + 1)]
    extra = "".join(
        f"  - name: {name}\n    kind: 区\n    short: []\n    pinyin: [hechengqu{name[3:]}]\n    source: 合成数据\n"
        for name in names[len(shipped) :]
    )
    (out / "regions.yaml").write_text((DATA / "regions.yaml").read_text("utf-8").rstrip("\n") + "\n" + extra, "utf-8")
    programme = (out / "programme.yaml").read_text("utf-8")
    programme = re.sub(r"  - what: regions(:\S+)?\n(    .*\n)+", "", programme)
    (out / "programme.yaml").write_text(programme, "utf-8")
    lessons = (DATA / "quotas" / "lessons.yaml").read_text("utf-8")
    shares = lessons[lessons.index("shares:\n") : lessons.index("rates:\n")]
    rows, quotes = [], []
    for i, name in enumerate(names, 1):
        values = {lv: rnd.randint(1, 600) for lv in LEVELS}
        text = f"{name}：" + "、".join(f"{lv}{v}节" for lv, v in values.items()) + f"。合计{sum(values.values())}节。"
        quotes.append(text)
        rows.append(
            f"  - region: {name}\n    values: {{{', '.join(f'{lv}: {v}' for lv, v in values.items())}}}\n"
            f"    total: {sum(values.values())}\n    text: {text}\n    source: 合成数据 {i}\n"
        )
    (out / "quotas" / "regional.yaml").write_text(
        "id: regional\ntitle: 合成区域名额\nplan: lessons\nunit: 节\nby_level: true\nsource: 合成数据\nrows:\n"
        + "".join(rows)
        + shares,
        "utf-8",
    )
    with open(out / "source.txt", "a", encoding="utf-8") as source:
        source.write("\n" + "\n".join(quotes) + "\n")


if __name__ == "__main__":
    main()
