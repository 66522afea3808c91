"""The version is the same everywhere it is written, and the CHANGELOG speaks for it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import shiwanqian

REPO = Path(__file__).resolve().parents[1]


def test_package_and_pyproject_agree_on_the_version():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == shiwanqian.__version__ == "0.3.0"


def test_changelog_states_compatibility_with_0_1_0_folders():
    changelog = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "0.1.0" in changelog and "tests/compat/data-0.1.0" in changelog
