"""One test (or more) per item of issue 9, each failing on 0.1.0.

The hostile text in outputs is covered by ``test_inert_outputs.py``; here: markup typed on the
command line, the cache's trust, ``source_text``, the cache key, and the one writer.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import DATA, edit
from shiwanqian import fileio
from shiwanqian.load import loader
from shiwanqian.storage import build, key, packing, snapshot

POSIX = os.name == "posix"


def _run(
    *args: str, env: dict | None = None, drop: tuple[str, ...] = (), cwd: Path | None = None, code: str | None = None
) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in drop}
    environ.update(env or {})
    argv = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "shiwanqian", *args]
    return subprocess.run(argv, capture_output=True, text=True, timeout=180, env=environ, cwd=cwd)


# ---------------------------------------------------------------------- markup from arguments


@pytest.mark.parametrize(
    "args",
    [
        ("quota", "-d", "[/]"),
        ("schedule", "-d", "[bold red]x[/]"),
        ("schedule", "--unit", "[link=file:///etc/passwd]x[/link]"),
        ("allocate", "[/]", "--by", "year"),
        ("quota", "-d", ":warning:[/]"),
    ],
)
def test_markup_typed_on_the_command_line_is_printed_as_typed(cli, args):
    result = cli(*args)
    assert result.exit_code == 2
    assert args[2 if args[0] != "allocate" else 1] in result.output
    assert "内部错误" not in result.output


# ---------------------------------------------------------------------- control characters, field by field


@pytest.mark.parametrize(
    ("file", "old", "new", "code"),
    [
        ("plans/13-lessons.yaml", "name: 制订优质课堂教学资源建设指南", 'name: "制订\\e[2J指南"', "control-character"),
        (
            "plans/13-lessons.yaml",
            "title: 万节优质课堂教学资源建设工作方案",
            'title: "万节\\a方案"',
            "control-character",
        ),
        ("plans/13-lessons.yaml", "source: 附件13 四 1", 'source: "附件13\\x9b四 1"', "control-character"),
        (
            "plans/13-lessons.yaml",
            "requirement: 制定标准，明确要求。",
            'requirement: "制定标准，\\x1b]0;t\\x07明确要求。"',
            "control-character",
        ),
        ("plans/13-lessons.yaml", "name: 制订优质课堂教学资源建设指南", 'name: "制订\\n指南"', "control-character"),
        ("plans/13-lessons.yaml", "name: 制订优质课堂教学资源建设指南", 'name: "制订\\t指南"', "control-character"),
        ("regions.yaml", "short: [攸]", 'short: ["攸\\u202e"]', "control-character"),
        ("quotas/lessons.yaml", "高中: 200,", '"高中\\e": 200,', "control-character"),
    ],
)
def test_check_refuses_control_characters_with_a_located_error(data_copy, file, old, new, code):
    line = edit(data_copy / file, old, new)
    found = [(f.code, Path(f.file).name, f.line) for f in loader_findings(data_copy) if f.severity == "error"]
    assert (code, Path(file).name, line) in found


def test_running_text_may_break_lines_and_hold_tabs(data_copy):
    line = edit(
        data_copy / "plans/13-lessons.yaml",
        "requirement: 制定标准，明确要求。",
        'requirement: "制定标准，\\n\\t明确要求。"',
    )
    assert not [f for f in loader_findings(data_copy) if f.code == "control-character" and f.line == line]


def loader_findings(root: Path) -> list:
    from shiwanqian.domain.checks import run

    return run(loader.load(root))


# ---------------------------------------------------------------------- source_text


def _source_text(root: Path, value: str) -> int:
    return edit(root / "programme.yaml", "source_text: source.txt", f"source_text: {value}")


def _source_errors(root: Path) -> list[tuple[int, str]]:
    previous = signal.signal(signal.SIGALRM, _timeout) if POSIX else None
    if POSIX:
        signal.alarm(30)  # a FIFO must not block the loader; fail instead of hanging
    try:
        catalog = loader.load(root)
    finally:
        if POSIX:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    assert catalog.source_text is None
    return [(f.line, f.message) for f in catalog.problems if f.code == "source-text"]


def _timeout(*_: object) -> None:
    raise TimeoutError("the loader blocked on source_text")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_source_text_may_not_be_a_device(data_copy):
    line = _source_text(data_copy, "/dev/zero")
    assert [(n, m) for n, m in _source_errors(data_copy) if n == line and "数据目录之外" in m]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_source_text_may_not_be_a_named_pipe(data_copy):
    os.mkfifo(data_copy / "pipe.txt")
    line = _source_text(data_copy, "pipe.txt")
    assert [(n, m) for n, m in _source_errors(data_copy) if n == line and "不是普通文件" in m]


def test_source_text_may_not_climb_out_of_the_folder(data_copy):
    line = _source_text(data_copy, "../../../../../../../../etc/passwd")
    errors = _source_errors(data_copy)
    assert [(n, m) for n, m in errors if n == line and "数据目录之外" in m]


@pytest.mark.skipif(not POSIX, reason="symbolic links need privileges on Windows")
def test_source_text_may_not_be_a_link_out_of_the_folder(data_copy, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    (data_copy / "source.txt").unlink()
    (data_copy / "source.txt").symlink_to(outside)
    line = edit(data_copy / "programme.yaml", "source_text: source.txt", "source_text: source.txt")
    assert [(n, m) for n, m in _source_errors(data_copy) if n == line and "数据目录之外" in m]


def test_source_text_has_a_size_limit(data_copy):
    with open(data_copy / "source.txt", "r+b") as handle:  # sparse: no disk needed
        handle.truncate(loader.MAX_SOURCE_BYTES + 1)
    line = edit(data_copy / "programme.yaml", "source_text: source.txt", "source_text: source.txt")
    assert [(n, m) for n, m in _source_errors(data_copy) if n == line and "过大" in m]


@pytest.mark.skipif(not POSIX, reason="symbolic links need privileges on Windows")
def test_a_data_file_linking_out_of_the_folder_is_not_read(data_copy, tmp_path):
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA: [\n", encoding="utf-8")
    (data_copy / "plans" / "99-link.yaml").symlink_to(secret)
    found = [f for f in loader.load(data_copy).problems if Path(f.file).name == "99-link.yaml"]
    assert found and all("数据目录之外" in f.message for f in found)
    assert not any("PRIVATE" in f.message or "AAAA" in f.message for f in found)


@pytest.mark.skipif(not POSIX, reason="symbolic links need privileges on Windows")
def test_a_folder_linking_out_of_the_data_folder_is_not_read(data_copy, tmp_path):
    # Files are found by their folder's real path: a linked folder leads out, a linked file
    # inside it does too, whatever the links in between.
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(data_copy / "plans", elsewhere)
    shutil.rmtree(data_copy / "plans")
    (data_copy / "plans").symlink_to(elsewhere)
    found = {Path(f.file).name: f.message for f in loader.load(data_copy).problems if "plans" in f.file}
    assert len(found) == 15 and all("数据目录之外" in m for m in found.values())


@pytest.mark.skipif(not POSIX, reason="symbolic links need privileges on Windows")
def test_links_that_stay_inside_the_data_folder_are_read(data_copy):
    (data_copy / "drafts").mkdir()
    (data_copy / "plans" / "13-lessons.yaml").rename(data_copy / "drafts" / "lessons.yaml")
    (data_copy / "plans" / "13-lessons.yaml").symlink_to(data_copy / "drafts" / "lessons.yaml")
    catalog = loader.load(data_copy)
    assert catalog.ok and "lessons" in {p.model.id for p in catalog.plans}


# ---------------------------------------------------------------------- the cache key


def test_cache_key_covers_the_files_the_loader_reads_and_no_others(data_copy):
    before = key.fingerprint(data_copy)
    with open(data_copy / "backup.zip", "wb") as handle:
        handle.truncate(3 * 1024**3)  # 3 GB, sparse: hashing it would take seconds and memory
    (data_copy / "notes").mkdir()
    (data_copy / "notes" / "draft.yaml").write_text("x: 1\n", encoding="utf-8")
    (data_copy / "plans" / "README.md").write_text("notes\n", encoding="utf-8")
    assert key.fingerprint(data_copy) == before
    edit(data_copy / "plans" / "13-lessons.yaml", "制订优质课堂教学资源建设指南", "制订优质课堂教学资源建设指引")
    assert key.fingerprint(data_copy) != before


def test_changing_the_source_text_invalidates_the_snapshot(data_copy, cli):
    assert cli("quota", "-d", "攸县", "--data", str(data_copy)).exit_code == 0
    text = (data_copy / "source.txt").read_text(encoding="utf-8")
    (data_copy / "source.txt").write_text(
        text.replace("建设10000节优质课堂教学资源", "建设9999节优质课堂教学资源"), encoding="utf-8"
    )
    result = cli("quota", "-d", "攸县", "--data", str(data_copy))
    assert result.exit_code == 1 and "quote" in result.output


# ---------------------------------------------------------------------- the cache's trust


def _cache(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("SHIWANQIAN_CACHE", str(tmp_path / "c"))
    return tmp_path / "c" / "shiwanqian"


def _main(path: Path) -> tuple[dict, dict, bytes]:
    """A main file's header, body and look-up lines."""
    head, _, rest = path.read_bytes().partition(b"\n")
    body, _, lookup = rest.partition(b"\n")
    return json.loads(head), json.loads(body), lookup


def _write_main(path: Path, header: dict, data: dict, lookup: bytes) -> None:
    """Write a main file with a digest that matches: what only a forger would do."""
    rest = json.dumps(data, ensure_ascii=False).encode() + b"\n" + lookup
    header["digest"] = hashlib.sha256(rest).hexdigest()
    path.write_bytes(json.dumps(header).encode() + b"\n" + rest)


def _where(lookup: bytes, region: str) -> list:
    """Where a region's slice is, from its look-up line: [offset, length, digest]."""
    [entry] = [
        json.loads(line[1:])
        for line in lookup.split(b"\n")
        if line.startswith(b"r") and json.loads(line[1:])[0] == region
    ]
    return entry[1:]


def _forge(path: Path, change) -> None:
    """Rewrite a snapshot's main file with a changed body and a matching digest: a perfect forgery."""
    header, data, lookup = _main(path)
    _write_main(path, header, change(data), lookup)


def _forge_slice(path: Path, region: str, change) -> None:
    """Give ``region`` a changed slice (appended to the slices file) and point the main file at
    it with matching digests: a perfect forgery of one region's records."""
    header, data, lookup = _main(path)
    slices = path.parent / header["slices"]
    offset, length, _ = _where(lookup, region)
    with open(slices, "rb") as handle:
        handle.seek(offset)
        packed = json.loads(handle.read(length))
    records = change(packing.unpack_records(region, packed, data["templates"]))
    blob = json.dumps({"records": records}, ensure_ascii=False).encode()
    end = slices.stat().st_size
    with open(slices, "ab") as handle:
        handle.write(blob)
    old = (
        b"r"
        + json.dumps(
            [region, offset, length, _where(lookup, region)[2]], ensure_ascii=False, separators=(",", ":")
        ).encode()
    )
    new = (
        b"r"
        + json.dumps(
            [region, end, len(blob), packing.digest_of(blob)], ensure_ascii=False, separators=(",", ":")
        ).encode()
    )
    assert old in lookup
    _write_main(path, header, data, lookup.replace(old, new))


def _three_for_thirty(records: list) -> list:
    for record in records:
        if record["value"] == 30:
            record["value"] = 3
    return records


def test_a_forged_slice_is_believed_only_in_a_folder_of_ones_own(tmp_path, monkeypatch, cli):
    # The forgery helper itself works: in the user's own folder a perfect forgery is read (so
    # the tests below that expect it to be refused test the refusal, not a broken forgery).
    folder = _cache(tmp_path, monkeypatch)
    truth = json.loads(cli("quota", "-d", "攸县", "-f", "json").stdout)
    [path] = folder.glob("snapshot-*.json")
    _forge_slice(path, "攸县", _three_for_thirty)
    forged = json.loads(cli("quota", "-d", "攸县", "-f", "json").stdout)
    assert forged != truth and [r["value"] for r in forged].count(3) > [r["value"] for r in truth].count(3)


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
def test_a_cache_folder_others_can_write_is_not_used(tmp_path, monkeypatch, cli):
    folder = _cache(tmp_path, monkeypatch)
    truth = json.loads(cli("quota", "-d", "攸县", "-f", "json").stdout)
    [path] = folder.glob("snapshot-*.json")
    _forge_slice(path, "攸县", _three_for_thirty)
    folder.chmod(0o777)
    fileio._warned.clear()
    result = cli("quota", "-d", "攸县", "-f", "json")
    assert json.loads(result.stdout) == truth
    assert result.stderr.count("不使用缓存") == 1


@pytest.mark.skipif(not POSIX, reason="POSIX permissions")
@pytest.mark.parametrize("which", ["main", "slices"])
def test_a_snapshot_others_can_write_is_not_believed(tmp_path, monkeypatch, cli, which):
    folder = _cache(tmp_path, monkeypatch)
    truth = json.loads(cli("quota", "-d", "攸县", "-f", "json").stdout)
    [path] = folder.glob("snapshot-*.json")
    _forge_slice(path, "攸县", _three_for_thirty)
    (path if which == "main" else path.parent / _main(path)[0]["slices"]).chmod(0o666)
    assert json.loads(cli("quota", "-d", "攸县", "-f", "json").stdout) == truth


def test_a_freshly_built_snapshot_is_complete(tmp_path, monkeypatch):
    # If this fails, snapshot.REQUIRED no longer matches what build() makes: every warm run
    # would rebuild the snapshot.
    data = build.build(DATA)
    data.pop("_source_text", None)
    assert snapshot.complete(data)
    # … and as read back from the cache: the main file, and every slice and part when read.
    monkeypatch.setenv("SHIWANQIAN_CACHE", str(tmp_path))
    snapshot._store(DATA, data, {})
    fingerprint = key.fingerprint(DATA)
    cached = snapshot._read(tmp_path / "shiwanqian" / f"snapshot-{fingerprint}.json", fingerprint, DATA)
    assert cached is not None and cached.packed and snapshot.complete(cached)
    for region in cached.index:
        assert snapshot.complete_records(cached.records(region))
    for name in ("progress", "regions"):
        assert snapshot._collection(cached[name], *snapshot.REQUIRED[name])
    assert cached.packed  # nothing was damaged: nothing was rebuilt
    assert json.dumps(dict(cached["quota"]), ensure_ascii=False) == json.dumps(data["quota"], ensure_ascii=False)


def test_a_snapshot_whose_body_does_not_match_its_digest_is_rebuilt(tmp_path, monkeypatch, cli):
    folder = _cache(tmp_path, monkeypatch)
    truth = json.loads(cli("quota", "-d", "攸县", "-f", "json").stdout)
    [path] = folder.glob("snapshot-*.json")
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b'"value":30', b'"value":3', 1))
    assert raw != path.read_bytes()
    assert json.loads(cli("quota", "-d", "攸县", "-f", "json").stdout) == truth


@pytest.mark.parametrize("part", ["攸县", "regions", "rows", "progress"])
def test_a_damaged_slice_is_noticed_and_the_snapshot_rebuilt(tmp_path, monkeypatch, cli, part):
    folder = _cache(tmp_path, monkeypatch)
    argv = {
        "攸县": ("quota", "-d", "攸县"),
        "regions": ("quota", "-d", "youxain"),  # unknown: suggestions
        "rows": ("quota", "--all"),
        "progress": ("progress", "--progress", str(DATA.parent / "examples" / "progress")),
    }[part]
    truth = cli(*argv, "-f", "json")
    [path] = folder.glob("snapshot-*.json")
    header, data, lookup = _main(path)
    slices = path.parent / header["slices"]
    offset, length, _ = data["parts"][part] if part in data["parts"] else _where(lookup, part)
    raw = bytearray(slices.read_bytes())
    raw[offset + length // 2] ^= 0x01  # one bit in the middle of the part
    slices.write_bytes(bytes(raw))
    again = cli(*argv, "-f", "json")
    assert (again.exit_code, again.stdout, again.stderr) == (truth.exit_code, truth.stdout, truth.stderr)
    [path] = folder.glob("snapshot-*.json")  # rebuilt and rewritten: a fresh slices file
    assert (path.parent / _main(path)[0]["slices"]).read_bytes() != bytes(raw)


def test_a_missing_slices_file_is_rebuilt(tmp_path, monkeypatch, cli):
    folder = _cache(tmp_path, monkeypatch)
    truth = cli("schedule", "-d", "攸县", "-f", "json").stdout
    [path] = folder.glob("snapshot-*.json")
    (path.parent / _main(path)[0]["slices"]).unlink()
    assert cli("schedule", "-d", "攸县", "-f", "json").stdout == truth
    assert (path.parent / _main(path)[0]["slices"]).is_file()


@pytest.mark.parametrize("field", ["tasks", "programme", "tables", "templates", "parts"])
def test_a_snapshot_with_a_missing_field_is_rebuilt(tmp_path, monkeypatch, cli, field):
    folder = _cache(tmp_path, monkeypatch)
    truth = cli("schedule", "-d", "攸县", "-f", "json").stdout
    [path] = folder.glob("snapshot-*.json")
    _forge(path, lambda data: {k: v for k, v in data.items() if k != field})
    result = cli("schedule", "-d", "攸县", "-f", "json")
    assert result.exit_code == 0 and result.stdout == truth
    assert _main(path)[1].get(field) is not None  # rebuilt and rewritten


def test_a_snapshot_with_a_missing_part_is_rebuilt(tmp_path, monkeypatch, cli):
    folder = _cache(tmp_path, monkeypatch)
    truth = cli("quota", "-d", "攸县", "-f", "json").stdout
    [path] = folder.glob("snapshot-*.json")
    _forge(path, lambda data: {**data, "parts": {k: v for k, v in data["parts"].items() if k != "progress"}})
    assert cli("quota", "-d", "攸县", "-f", "json").stdout == truth
    assert "progress" in _main(path)[1]["parts"]


def test_a_snapshot_with_a_record_missing_a_field_is_rebuilt(tmp_path, monkeypatch, cli):
    folder = _cache(tmp_path, monkeypatch)
    truth = cli("quota", "-d", "攸县", "-f", "json").stdout

    def drop(records: list) -> list:
        del records[0]["value"]
        return records

    [path] = folder.glob("snapshot-*.json")
    _forge_slice(path, "攸县", drop)
    assert cli("quota", "-d", "攸县", "-f", "json").stdout == truth


def test_a_task_rule_gives_the_same_regions_as_the_list():
    # The main file keeps each task's regions as a rule; read back, it is the same list.
    data = build.build(DATA)
    main, _, _ = packing.pack(data)
    assert all("list" not in t["applies"] for t in main["tasks"])  # every task of the shipped data has a rule
    from shiwanqian.domain.programme.tasks import Applies, RegionKinds

    regions = RegionKinds(data["regions"])
    for task, stored in zip(data["tasks"], main["tasks"]):
        assert list(Applies(stored["applies"], regions)) == task["applies"]
        assert all(
            (name in Applies(stored["applies"], regions)) == (name in task["applies"])
            for name in [*regions.kinds, "不存在区"]
        )


def test_a_forged_allocation_that_is_not_optimal_is_recomputed(tmp_path, monkeypatch):
    from fractions import Fraction

    from shiwanqian.domain.allocation import cache as allocation_cache
    from shiwanqian.domain.allocation.solver import Allocation, Problem, controlled, violations

    _cache(tmp_path, monkeypatch)
    # Exact values 0.9 and 2.1 in every row: the optimum rounds each to 1 and 2.
    problem = Problem({(g, lv): 3 for g in "AB" for lv in "xy"}, {2016: Fraction(30), 2017: Fraction(70)})
    best = allocation_cache.allocation(problem)
    assert best.values == controlled(problem).values and allocation_cache.optimal(best)
    # A forgery that satisfies every constraint (rows, region-years, years, floor/ceiling) but
    # is not optimal: A·x rounded to 0 and 3.
    values = {**best.values, ("A", "x", 2016): 0, ("A", "x", 2017): 3}
    worse = Allocation(problem, "controlled", values, best.relaxed)
    assert not violations(worse) and worse.deviation() > best.deviation()
    assert not allocation_cache.optimal(worse)
    [path] = (tmp_path / "c" / "shiwanqian").glob("allocation-*.json")
    path.write_text(json.dumps({"flat": worse.flat, "relaxed": best.relaxed}, ensure_ascii=False), encoding="utf-8")
    assert allocation_cache.allocation(problem).values == best.values


def test_the_verifier_agrees_with_the_solver_on_the_shipped_data():
    from shiwanqian.domain.allocation.cache import optimal
    from shiwanqian.domain.allocation.records import allocation_problem
    from shiwanqian.domain.allocation.solver import controlled

    for located in loader.load(DATA).quotas:
        problem = allocation_problem(located.model)
        if problem is not None:
            assert optimal(controlled(problem)), located.model.id


def test_no_home_directory_runs_without_a_cache(tmp_path):
    result = _run(
        "quota",
        "-d",
        "攸县",
        "-f",
        "json",
        drop=("HOME", "XDG_CACHE_HOME", "SHIWANQIAN_CACHE", "USERPROFILE", "LOCALAPPDATA"),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) and result.stderr == ""


def test_stale_temporary_files_in_the_cache_are_pruned(tmp_path, monkeypatch, cli):
    folder = _cache(tmp_path, monkeypatch)
    folder.mkdir(parents=True, mode=0o700)
    old_style = folder / ".snapshot-0123.json.k2j3h4.tmp"  # what 0.1.0 left behind
    ours = folder / ".shiwanqian-abcd1234.tmp"
    fresh = folder / ".shiwanqian-fresh000.tmp"
    for path in (old_style, ours, fresh):
        path.write_text("partial", encoding="utf-8")
    hour_ago = time.time() - 7200
    os.utime(old_style, (hour_ago, hour_ago))
    os.utime(ours, (hour_ago, hour_ago))
    assert cli("quota", "-d", "攸县").exit_code == 0
    assert not old_style.exists() and not ours.exists()
    assert fresh.exists()  # may belong to a run still writing


# ---------------------------------------------------------------------- the one writer


def test_timeline_and_schema_write_errors_are_a_chinese_sentence_and_exit_1(cli, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    for args in (("timeline", "--out", str(blocked / "t.svg")), ("schema", "--out", str(blocked / "schemas"))):
        result = cli(*args)
        assert result.exit_code == 1, result.output
        assert "无法写入" in result.output and "Traceback" not in result.output and "内部错误" not in result.output


def test_schema_is_all_or_nothing_when_the_disk_fills(cli, tmp_path, monkeypatch):
    out = tmp_path / "schemas"
    out.mkdir()
    (out / "plan.schema.json").write_text("old", encoding="utf-8")
    real, calls = os.fsync, []

    def full_disk(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(fd)

    monkeypatch.setattr(fileio.os, "fsync", full_disk)
    result = cli("schema", "--out", str(out))
    assert result.exit_code == 1 and "磁盘空间不足" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["plan.schema.json"]
    assert (out / "plan.schema.json").read_text(encoding="utf-8") == "old"


def test_caches_are_written_without_forcing_them_to_disk_and_outputs_with(cli, tmp_path, monkeypatch):
    # The caches are checked whenever they are read, so a power cut can only cost a rebuild:
    # no fsync for them (under heavy disk traffic one costs seconds, issue 22); an --out file is
    # forced to disk (the file and its folder).
    monkeypatch.setenv("SHIWANQIAN_CACHE", str(tmp_path / "cache"))
    real, calls = os.fsync, []

    def counting(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr(fileio.os, "fsync", counting)
    assert cli("allocate", "lessons", "--format", "csv").exit_code == 0
    assert cli("quota", "-d", "攸县").exit_code == 0
    cached = sorted(p.name.split("-")[0] for p in (tmp_path / "cache" / "shiwanqian").iterdir())
    assert cached == ["allocation", "slices", "snapshot"] and calls == []
    assert cli("timeline", "--out", str(tmp_path / "t.svg")).exit_code == 0
    assert len(calls) == 2


def test_a_failed_rename_midway_restores_every_file(tmp_path, monkeypatch):
    files = {tmp_path / f"{n}.json": f"new {n}" for n in range(5)}
    for n, path in enumerate(files):
        if n % 2 == 0:
            path.write_text(f"old {n}", encoding="utf-8")
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == 4:
            raise OSError(errno.EIO, "I/O error")
        real(src, dst)

    monkeypatch.setattr(fileio.os, "replace", failing)
    with pytest.raises(fileio.WriteError):
        fileio.write_files(files)
    monkeypatch.setattr(fileio.os, "replace", real)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["0.json", "2.json", "4.json"]
    assert [(tmp_path / n).read_text(encoding="utf-8") for n in left] == ["old 0", "old 2", "old 4"]


@pytest.mark.skipif(not POSIX, reason="POSIX file types")
@pytest.mark.parametrize("kind", ["symlink", "fifo", "read-only"])
def test_an_existing_target_that_must_not_be_replaced_is_refused(cli, tmp_path, kind):
    out = tmp_path / "t.svg"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    if kind == "symlink":
        out.symlink_to(victim)
    elif kind == "fifo":
        os.mkfifo(out)
    elif kind == "read-only":
        out.write_text("keep me", encoding="utf-8")
        out.chmod(0o444)
    result = cli("timeline", "--out", str(out))
    assert result.exit_code == 1 and "无法写入" in result.output
    mode = os.lstat(out).st_mode
    assert {"symlink": stat.S_ISLNK, "fifo": stat.S_ISFIFO, "read-only": stat.S_ISREG}[kind](mode)
    assert victim.read_text(encoding="utf-8") == "keep me"
    if kind == "read-only":
        assert out.read_text(encoding="utf-8") == "keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_is_never_replaced():
    # Checked on the target alone, never by writing: a regression must not replace /dev/null.
    with pytest.raises(fileio.WriteError) as caught:
        fileio._check_target(Path("/dev/null"))
    assert "不是普通文件" in str(caught.value)


def test_an_80_character_chinese_file_name_can_be_written(cli, tmp_path):
    out = tmp_path / ("株洲市教师素养提升十百千万工程" * 6)[:80]
    out = out.with_name(out.name + ".svg")
    assert len(out.name.encode()) > 240
    result = cli("timeline", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<svg")


# The child starts with the signal dispositions of a terminal: a shell starts background jobs
# with SIGINT (and nohup SIGHUP) ignored, and the tool rightly leaves an ignored signal ignored,
# so without this the test would depend on how its runner was started.
INTERRUPT = """
import os, signal, sys
signal.signal(signal.SIGINT, signal.default_int_handler)
for name in ("SIGTERM", "SIGHUP"):
    signal.signal(getattr(signal, name), signal.SIG_DFL)
from shiwanqian import fileio
real = fileio.os.fsync
def fsync(fd):
    real(fd)
    os.kill(os.getpid(), getattr(signal, sys.argv[1]))
fileio.os.fsync = fsync
from shiwanqian.cli import main
main(sys.argv[2:])
"""


@pytest.mark.skipif(not POSIX, reason="POSIX signals")
@pytest.mark.parametrize(("name", "status"), [("SIGTERM", 143), ("SIGINT", 130), ("SIGHUP", 129)])
def test_a_signal_during_a_write_removes_the_temporary_file(tmp_path, name, status):
    old = tmp_path / "t.svg"
    old.write_text("old", encoding="utf-8")
    result = _run(
        name, "timeline", "--out", str(old), code=INTERRUPT, env={"SHIWANQIAN_CACHE": str(tmp_path / "cache")}
    )
    assert result.returncode == status, result.stderr
    assert result.stderr.strip().endswith("已中断")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == ["t.svg"]
    assert old.read_text(encoding="utf-8") == "old"


def test_write_files_leaves_no_temporary_file_when_interrupted(tmp_path, monkeypatch):
    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio.os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        fileio.write_files({tmp_path / "a.json": "a", tmp_path / "b.json": "b"})
    assert list(tmp_path.iterdir()) == []


def test_a_warm_quota_for_one_region_reads_only_that_regions_slice(tmp_path, monkeypatch, cli):
    # National scale: a query for one region must not read every region's records (nor the
    # whole-city parts), however many regions there are.
    _cache(tmp_path, monkeypatch)
    truth = cli("quota", "-d", "攸县", "-f", "json").stdout  # builds the cache
    read: list = []
    part = snapshot.Snapshot.part

    def counting(self, entry, **kwargs):
        read.append(entry)
        return part(self, entry, **kwargs)

    monkeypatch.setattr(snapshot.Snapshot, "part", counting)
    assert cli("quota", "-d", "攸县", "-f", "json").stdout == truth
    [path] = (tmp_path / "c" / "shiwanqian").glob("snapshot-*.json")
    assert read == [_where(_main(path)[2], "攸县")]
    read.clear()
    assert cli("quota", "-d", "youxian", "-f", "json").stdout == truth  # a spelling: no regions read either
    assert read == [_where(_main(path)[2], "攸县")]


def test_a_whole_city_view_reads_the_slices_at_once_and_still_checks_each(tmp_path, monkeypatch, cli):
    # Past a few regions the index is parsed and the slices file read once (the shipped data
    # has 11 regions: the threshold is lowered so that this path runs), every slice still
    # checked against its digest.
    folder = _cache(tmp_path, monkeypatch)
    truth = cli("quota", "--all", "-f", "json").stdout
    monkeypatch.setattr(snapshot, "MANY", 2)
    assert cli("quota", "--all", "-f", "json").stdout == truth
    [path] = folder.glob("snapshot-*.json")
    header, _, lookup = _main(path)
    slices = path.parent / header["slices"]
    offset, length, _ = _where(lookup, "直属学校")  # the last region: read after the switch
    raw = bytearray(slices.read_bytes())
    raw[offset + length // 2] ^= 0x01
    slices.write_bytes(bytes(raw))
    assert cli("quota", "--all", "-f", "json").stdout == truth
    assert (path.parent / _main(path)[0]["slices"]).read_bytes() != bytes(raw)  # rebuilt
