"""The bad-input corpus: every malformed file is reported at its line, never as a traceback.

Each entry of ``tests/bad_inputs/cases.json`` names a file in ``tests/bad_inputs/files``,
where it goes in a data folder (``target``, replacing the shipped file of that name or added
next to them), and the finding it must produce there: ``code`` and ``line`` (1-based), with
``severity`` "error" unless the entry says otherwise. The file is copied into a fresh copy of
the shipped data, then

* ``checks.run(loader.load(root))`` must contain that finding for the target file, and
* ``shiwanqian check --data ROOT`` must exit with 1 (0 when the expected finding is only a
  warning), print ``TARGET:LINE:`` and never a Python traceback.

See ``tests/bad_inputs/make_cases.py`` for how the files were made.
"""

from __future__ import annotations

import json
import shutil
import traceback
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shiwanqian.cli import app
from shiwanqian.domain import checks
from shiwanqian.load import loader

CORPUS = Path(__file__).resolve().parent / "bad_inputs"
FILES = CORPUS / "files"
FIELDS = {"file", "target", "code", "line", "why"}


def _load_cases() -> list[dict]:
    cases = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
    names = [case["file"] for case in cases]
    # The manifest and the folder must describe the same files, each once.
    assert len(names) == len(set(names)), "a file is listed twice in cases.json"
    assert set(names) == {p.name for p in FILES.iterdir()}, "cases.json and tests/bad_inputs/files list different files"
    for case in cases:
        assert FIELDS <= set(case) <= FIELDS | {"severity"}, case
        assert isinstance(case["line"], int) and case["line"] >= 1, case
        assert case.get("severity", "error") in ("error", "warning"), case
        assert not Path(case["target"]).is_absolute() and ".." not in Path(case["target"]).parts, case
    return cases


CASES = _load_cases()


def _place(root: Path, case: dict) -> Path:
    target = root / case["target"]
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(FILES / case["file"], target)
    return target


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_bad_input_is_reported_at_its_line(case, data_copy):
    target = _place(data_copy, case)
    severity = case.get("severity", "error")
    expected = (case["code"], severity, case["line"])

    found = checks.run(loader.load(data_copy))
    here = [f for f in found if Path(f.file).resolve() == target.resolve()]
    assert expected in {(f.code, f.severity, f.line) for f in here}, (
        f"{case['file']} → {case['target']}: expected {expected} ({case['why']}); "
        f"findings in that file: {[(f.code, f.severity, f.line, f.message[:80]) for f in here]}"
    )

    result = CliRunner().invoke(app, ["check", "--data", str(data_copy)])
    output = result.output.replace("\\", "/")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        crash = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"check crashed on {case['file']}:\n{crash}")
    assert "Traceback" not in output
    assert result.exit_code == (1 if severity == "error" else 0), output[-2000:]
    assert f"{case['target']}:{case['line']}:" in output, output[-2000:]
