"""Make a valid data folder N times the size of the shipped one.

    python benchmarks/make_synthetic.py --scale 100 --out /tmp/data100

Every plan and quota table is copied N times under new ids (``lessons`` → ``lessons-2`` …),
the acknowledged disagreements are copied with the copies' subjects, and the stated plan
counts are scaled, so `shiwanqian check --data DIR` passes on the result just as it does on
the shipped data. The quotations stay those of the real document, which is copied as is.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


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
    parser.add_argument("--scale", type=int, required=True)
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
    keys = sorted(set(re.findall(r"key: (\S+)\n", "".join(p.read_text("utf-8") for p in (DATA / "quotas").glob("*.yaml")))) - rate_keys)
    plan_ids = [re.search(r"^id: (\S+)$", p.read_text("utf-8"), re.M)[1] for p in (DATA / "plans").glob("*.yaml")]
    for k in range(1, args.scale + 1):
        for folder in ("plans", "quotas"):
            for path in sorted((DATA / folder).glob("*.yaml")):
                text = suffix_ids(path.read_text("utf-8"), k, plan_ids, keys)
                (out / folder / f"{path.stem}-{k:04d}.yaml").write_text(text, "utf-8")
    programme = (DATA / "programme.yaml").read_text("utf-8")
    for what in ("plans:支持计划", "plans:工作专项", "plans"):
        programme = re.sub(rf"(- what: {re.escape(what)}\n    value: )(\d+)",
                           lambda m: f"{m[1]}{int(m[2]) * args.scale}", programme)
    (out / "programme.yaml").write_text(programme, "utf-8")
    original = (DATA / "disagreements.yaml").read_text("utf-8")
    head, body = original.split("disagreements:\n", 1)
    copies = [body]
    for k in range(2, args.scale + 1):
        copy = re.sub(r"^  - id: (\S+)$", lambda m: f"  - id: {m[1]}-{k}", body, flags=re.M)
        copy = re.sub(r"subject: ([\w-]+)(/|\})", lambda m: f"subject: {m[1]}-{k}{m[2]}", copy)
        copies.append(copy)
    (out / "disagreements.yaml").write_text(head + "disagreements:\n" + "".join(copies), "utf-8")
    size = sum(p.stat().st_size for p in out.rglob("*.yaml"))
    print(f"{out}: {len(list(out.rglob('*.yaml')))} 个 YAML 文件，共 {size:,} 字节")


if __name__ == "__main__":
    main()
