"""The distribution: its name is not the package index's unrelated `reportgen`, and it builds clean."""

from __future__ import annotations

import tomllib

from .conftest import ROOT


def test_the_distribution_name_is_not_the_taken_reportgen() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["name"] == "reportgen-outcomes"
    assert project["scripts"] == {"reportgen": "reportgen.cli:run"}
    assert all(extra.startswith("reportgen-outcomes[") for extra in project["optional-dependencies"]["dev"][:1])


def test_the_changelog_has_an_entry_for_this_version() -> None:
    import reportgen

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == reportgen.__version__
    assert f"## {reportgen.__version__}" in (ROOT / "CHANGELOG.md").read_text()
