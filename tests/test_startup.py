"""What every command does before its own work: where the cache lives, and no plugin scan.

Both are start-up costs of every query (issue 22: the quota table against a bare Typer
command); the tests hold the behaviour, benchmarks/bench.py measures the time.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shiwanqian import fileio

LINUX = sys.platform.startswith("linux")


@pytest.mark.skipif(not LINUX, reason="the XDG rule is read directly only on Linux")
@pytest.mark.parametrize("xdg", [None, "", "   ", "/srv/cache-of-{user}", "relative/cache"])
def test_the_cache_folder_is_the_one_platformdirs_names(xdg, monkeypatch, tmp_path):
    platformdirs = pytest.importorskip("platformdirs")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("ANDROID_DATA", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg.replace("{user}", tmp_path.name))
    ours = fileio._platform_cache_dir()
    assert ours is not None and ours.is_absolute()
    if xdg and xdg.strip().startswith("/"):
        assert ours == Path(xdg.replace("{user}", tmp_path.name)) / "shiwanqian"
    else:  # unset, blank or relative (which the XDG spec says to ignore): ~/.cache
        assert ours == tmp_path / "home" / ".cache" / "shiwanqian"
    if xdg != "relative/cache":  # platformdirs versions differ on a relative value
        assert ours == Path(platformdirs.user_cache_dir("shiwanqian", appauthor=False))


def test_the_cache_is_used_where_the_folder_says(monkeypatch, tmp_path, cli):
    monkeypatch.delenv("SHIWANQIAN_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("ANDROID_DATA", raising=False)
    assert cli("quota", "-d", "攸县", "-f", "json").exit_code == 0
    expected = tmp_path / "xdg" / "shiwanqian" if LINUX else fileio._platform_cache_dir()
    assert expected is not None and list(expected.glob("snapshot-*.json")), "cached in the platform's cache folder"


def _with_a_pydantic_plugin(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An installed (on PYTHONPATH) distribution with a pydantic plugin that leaves a marker
    file when pydantic loads it."""
    marker = tmp_path / "plugin-loaded"
    site = tmp_path / "site"
    (site / "marker_plugin-1.0.dist-info").mkdir(parents=True)
    (site / "marker_plugin-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: marker-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (site / "marker_plugin-1.0.dist-info" / "entry_points.txt").write_text(
        "[pydantic]\nmarker = marker_plugin:plugin\n", encoding="utf-8"
    )
    (site / "marker_plugin.py").write_text(
        "import pathlib\n"
        f"pathlib.Path({str(marker)!r}).write_text('loaded')\n"
        "class _Plugin:\n"
        "    def new_schema_validator(self, *args, **kwargs):\n"
        "        return None, None, None\n"
        "plugin = _Plugin()\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    env["PYTHONPATH"] = os.pathsep.join([str(site), *filter(None, [env.get("PYTHONPATH")])])
    return env, marker


def test_commands_do_not_scan_for_pydantic_plugins(tmp_path):
    env, marker = _with_a_pydantic_plugin(tmp_path)
    # The plugin is found by pydantic itself (the check that the set-up is real) …
    probe = "import pydantic\nclass M(pydantic.BaseModel):\n    x: int = 1\n"
    subprocess.run([sys.executable, "-c", probe], env=env, check=True, timeout=120)
    assert marker.exists()
    marker.unlink()
    # … but not by the program, whose commands build models and adapters too.
    for args in (["quota", "-d", "攸县", "-f", "json"], ["check"]):
        result = subprocess.run(
            [sys.executable, "-m", "shiwanqian", *args], env=env, capture_output=True, text=True, timeout=180
        )
        assert result.returncode == 0, result.stderr
        assert not marker.exists(), args


def test_a_users_own_plugin_setting_wins(tmp_path):
    env, marker = _with_a_pydantic_plugin(tmp_path)
    env["PYDANTIC_DISABLE_PLUGINS"] = "other-plugin"  # only another one disabled: ours loads
    result = subprocess.run(
        [sys.executable, "-m", "shiwanqian", "check"], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert marker.exists()
