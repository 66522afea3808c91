"""What a snapshot is keyed on: the program's own files and exactly the files the loader reads
(``fingerprint``), and the digest of the original text."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from .. import __version__
from ..fileio import cache_folder

FORMAT = 6
PACKAGE = Path(__file__).resolve().parents[1]
LOADER_FILES = ("programme.yaml", "regions.yaml", "units.yaml", "disagreements.yaml")
LOADER_FOLDERS = ("plans", "quotas")
MAX_BYTES = 5_000_000  # = load.yamlpos.MAX_BYTES (not imported: that module imports PyYAML)


def cache_dir() -> Path | None:
    """The cache folder (None: run without a cache); kept for callers of 0.1.0."""
    return cache_folder()


def loader_files(root: Path) -> list[Path]:
    """The files the loader reads (the original text apart: its name is in programme.yaml)."""
    files = [root / name for name in LOADER_FILES if (root / name).is_file()]
    for folder in LOADER_FOLDERS:
        try:
            entries = sorted(os.scandir(root / folder), key=lambda e: e.name)
        except OSError:
            continue
        files += [Path(e.path) for e in entries if e.name.endswith((".yaml", ".yml")) and e.is_file()]
    return files


def file_digest(path: Path, digest: Any, limit: int) -> None:
    """Feed a file's bytes to ``digest``; past ``limit`` bytes (which the loader refuses to
    read anyway) only its size and time, so a huge stray file costs nothing."""
    info = path.stat()
    if info.st_size > limit:
        digest.update(f"large:{info.st_size}:{info.st_mtime_ns}".encode())
        return
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256(f"{FORMAT}/{__version__}".encode())
    # The program: size and modification time of its own files (a change in a checkout
    # must not be answered from an old snapshot).
    for path in sorted(PACKAGE.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    # The data: the bytes of every file the loader reads, in a fixed order.
    for path in loader_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        try:
            file_digest(path, digest, MAX_BYTES)
        except OSError:
            digest.update(b"unreadable")
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def source_digest(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        file_digest(path, digest, 1 << 62)
    except OSError:
        return None
    return digest.hexdigest()
