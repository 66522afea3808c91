"""JSON Schemas: up to date with the models, named by every data file, and they validate."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import DATA
from shiwanqian.load.schemas import header, schemas


def _data_files():
    return sorted(p for p in DATA.rglob("*.yaml"))


def test_committed_schemas_are_up_to_date():
    for name, text in schemas().items():
        assert (DATA / "schemas" / name).read_text(encoding="utf-8") == text, (
            f"{name} is stale: run `shiwanqian schema --out data/schemas`"
        )


@pytest.mark.parametrize("path", _data_files(), ids=lambda p: p.relative_to(DATA).as_posix())
def test_every_data_file_names_its_schema_and_validates(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == header(path, DATA)
    schema_path = (path.parent / first.split("$schema=", 1)[1]).resolve()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # JSON has only string keys; YAML year keys (2016: 10) become "2016" as check-jsonschema does.
    data = json.loads(json.dumps(data, ensure_ascii=False, default=str))
    jsonschema.validate(data, schema)


def test_schema_rejects_a_broken_copy():
    schema = json.loads((DATA / "schemas" / "quota.schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load((DATA / "quotas" / "lessons.yaml").read_text(encoding="utf-8"))
    data["rows"][0]["values"]["高中"] = -1
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(json.loads(json.dumps(data, default=str)), schema)
    data = yaml.safe_load((DATA / "plans" / "01-it-training.yaml").read_text(encoding="utf-8"))
    data["tasks"][0]["nmae"] = "typo"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json.loads((DATA / "schemas" / "plan.schema.json").read_text(encoding="utf-8")))


def test_schema_command_writes_the_same_files(cli, tmp_path):
    result = cli("schema", "--out", str(tmp_path / "s"))
    assert result.exit_code == 0
    for name in schemas():
        assert (tmp_path / "s" / name).read_text(encoding="utf-8") == (DATA / "schemas" / name).read_text(
            encoding="utf-8"
        )


def test_check_jsonschema_accepts_the_shipped_data_and_rejects_a_broken_copy(tmp_path):
    tool = shutil.which(
        "check-jsonschema", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    )
    assert tool, "check-jsonschema is part of the test extra"
    for kind, pattern in (
        ("quota", "quotas/*.yaml"),
        ("plan", "plans/*.yaml"),
        ("programme", "programme.yaml"),
        ("regions", "regions.yaml"),
        ("units", "units.yaml"),
        ("disagreements", "disagreements.yaml"),
    ):
        files = [str(p) for p in sorted(DATA.glob(pattern))]
        result = subprocess.run(
            [tool, "--schemafile", str(DATA / "schemas" / f"{kind}.schema.json"), *files],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "lessons.yaml"
    broken.write_text(
        (DATA / "quotas" / "lessons.yaml").read_text(encoding="utf-8").replace("高中: 200,", "高中: -200,"),
        encoding="utf-8",
    )
    result = subprocess.run(
        [tool, "--schemafile", str(DATA / "schemas" / "quota.schema.json"), str(broken)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
