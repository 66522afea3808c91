"""The word for the whole area comes from the data (``vocabulary.area``, default 全市).

The fictional example programme is turned into a county's (``area: 全县``): every command
then says 全县 wherever the city's programme says 全市, accepts 全县, its pinyin and ``all``
for the whole area, and no longer takes 全市 for it. Without the word the output is the
city's, as before (scripts/capture_outputs.py holds that byte for byte).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, edit

EXAMPLE = REPO / "examples" / "sample-city-2021-2025"
COMMANDS = [
    ["quota", "--all"],
    ["quota", "--all", "--format", "json"],
    ["quota", "--all", "--year", "2024", "--format", "csv"],
    ["quota", "--district", "松岭县"],
    ["quota", "--district", "松岭县", "--format", "json"],
    ["timeline"],
    ["progress", "--what", "quotas"],
]


@pytest.fixture(scope="module")
def county(tmp_path_factory) -> Path:
    """The example programme with its whole area called 全县."""
    folder = tmp_path_factory.mktemp("area") / "county"
    shutil.copytree(EXAMPLE, folder)
    with open(folder / "programme.yaml", "a", encoding="utf-8") as handle:
        handle.write("vocabulary:\n  area: 全县\n")
    for path in (folder / "quotas").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("scope: 全市", "scope: 全县"), encoding="utf-8")
    return folder


def _out(cli, data: Path, args: list[str]) -> tuple[int, str]:
    result = cli(*args, "--data", str(data))
    return result.exit_code, result.output.replace(str(data), "<data>")


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_output_says_the_programmes_own_word(cli, county, args):
    city_status, city = _out(cli, EXAMPLE, args)
    status, output = _out(cli, county, args)
    assert status == city_status
    assert "全市" in city, "the command does not speak of the whole area: the comparison proves nothing"
    assert "全市" not in output
    assert output == city.replace("全市", "全县")


@pytest.mark.parametrize("spelling", ["全县", "quanxian", "ALL", "全 县"])
def test_the_whole_area_by_its_own_word(cli, county, spelling):
    whole = cli("quota", "--all", "--format", "json", "--data", str(county))
    result = cli("quota", "--district", spelling, "--format", "json", "--data", str(county))
    assert result.exit_code == 0 and result.output == whole.output
    regions = {r["region"] for r in json.loads(result.output)}
    assert "全县" in regions and "全市" not in regions


def test_the_citys_word_is_not_the_countys(cli, county):
    # The city's word (or another area's) typed in the county: told the county's own word.
    for command, typed in (("quota", "全市"), ("quota", "quanshi"), ("schedule", "全市"), ("allocate", "全省")):
        args = [command, *(["model-lessons"] if command == "allocate" else []), "--district", typed]
        result = cli(*args, "--data", str(county))
        assert result.exit_code == 2, result.output
        assert f"“{typed}”不是本工程的区域：本工程的全域称为“全县”" in result.output.replace("\n", "")
    # The city's programme answers another area's word as it always has.
    result = cli("quota", "--district", "全县")
    assert result.exit_code == 2 and "未知区域“全县”；您是不是要找：攸县" in result.output
    result = cli("schedule", "--district", "全县", "--data", str(county))
    assert result.exit_code == 2 and "不写 --district 即为全县" in result.output
    result = cli("budget", "--district", "quanxian", "--data", str(county))
    assert result.exit_code == 0 and "— 全县" in result.output


def test_the_default_scopes_follow_the_word(county, tmp_path):
    # A target may say scope 全县 without declaring scopes; 全市 is then an unknown scope.
    from conftest import errors

    assert errors(county) == []
    wrong = tmp_path / "wrong"
    shutil.copytree(county, wrong)
    line = edit(wrong / "quotas" / "new-teachers.yaml", "scope: 全县", "scope: 全市")
    assert ("unknown-scope", "new-teachers.yaml", line) in errors(wrong)


def test_a_declared_word_with_its_own_pinyin(cli, county, tmp_path):
    folder = tmp_path / "province"
    shutil.copytree(county, folder)
    edit(folder / "programme.yaml", "  area: 全县\n", "  area: 全域\n  area_pinyin: [quanyu]\n")
    for path in (folder / "quotas").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("scope: 全县", "scope: 全域"), encoding="utf-8")
    result = cli("quota", "--district", "quanyu", "--data", str(folder))
    assert result.exit_code == 0 and "— 全域" in result.output and "全县" not in result.output
