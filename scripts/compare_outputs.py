"""Compare every command's output at two revisions: byte-identical, or the differences.

Checks out each revision into a temporary git worktree, runs ``capture_outputs.py`` there
with the current interpreter (the revision's own ``src`` first on the path) and compares the
two folders file by file. Exit code 0 when every output is the same, 1 when some differ.

    python scripts/compare_outputs.py BASE [HEAD]      # HEAD defaults to the working tree
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def capture(tree: Path, out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "CAPTURE_REPO": str(tree)}
    subprocess.run(  # this checkout's capture script, on the other checkout's code and data
        [sys.executable, str(REPO / "scripts" / "capture_outputs.py"), str(out), "--python", sys.executable],
        cwd=tree,
        env=env,
        check=True,
    )


def differences(a: Path, b: Path) -> list[str]:
    found = []
    compared = filecmp.dircmp(a, b)
    # A data set one revision does not have yet is not compared (and said so).
    for name in compared.left_only + compared.right_only:
        if (a / name).is_dir() or (b / name).is_dir():
            print(f"data set {name} exists at one revision only: not compared", file=sys.stderr)
    compared.left_only = [n for n in compared.left_only if not (a / n).is_dir()]
    compared.right_only = [n for n in compared.right_only if not (b / n).is_dir()]
    stack = [(compared, Path())]
    while stack:
        node, where = stack.pop()
        found += [f"only at the base: {where / n}" for n in node.left_only]
        found += [f"only at the head: {where / n}" for n in node.right_only]
        found += [f"differs: {where / n}" for n in node.diff_files]
        stack += [(sub, where / name) for name, sub in node.subdirs.items()]
    return sorted(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("head", nargs="?")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {}
        for name, rev in (("base", args.base), ("head", args.head)):
            if rev is None:
                trees[name] = REPO
                continue
            tree = Path(tmp) / f"tree-{name}"
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-q", str(tree), rev], check=True)
            trees[name] = tree
        try:
            for name, tree in trees.items():
                capture(tree, Path(tmp) / f"out-{name}")
            found = differences(Path(tmp) / "out-base", Path(tmp) / "out-head")
            if os.environ.get("COMPARE_KEEP"):
                import shutil

                shutil.copytree(Path(tmp), os.environ["COMPARE_KEEP"], ignore=shutil.ignore_patterns("tree-*"))
            total = sum(1 for path in (Path(tmp) / "out-base").rglob("*") if path.is_file())
        finally:
            for tree in trees.values():
                if tree != REPO:
                    subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False)
    if found:
        print("\n".join(found))
        print(f"{len(found)} outputs differ between {args.base} and {args.head or 'the working tree'}")
        return 1
    print(f"all {total} captured files are byte-identical between {args.base} and {args.head or 'the working tree'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
