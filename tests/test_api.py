"""The Python API: its names are functions whatever was imported before, and docs/api.md's examples run."""

from __future__ import annotations

import doctest
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def test_the_api_examples_in_docs_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    failures, tried = doctest.testfile(
        str(ROOT / "docs" / "api.md"), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False
    )
    assert tried > 20 and failures == 0


@pytest.mark.parametrize("first", ["", "import reportgen.building", "from reportgen.building import build"])
def test_reportgen_build_is_the_function_whatever_was_imported_first(first: str) -> None:
    code = f"{first}\nimport reportgen\nfrom reportgen import build, load, render, from_data\n" + (
        "assert callable(reportgen.build) and reportgen.build is build and build.__module__ == 'reportgen.api'\n"
        "assert all(callable(f) for f in (load, render, from_data))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr


def test_importing_reportgen_loads_nothing_heavy() -> None:
    code = (
        "import sys, reportgen\nprint(sorted(m for m in sys.modules if m.startswith(('yaml', 'docx', 'reportgen.'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stdout


def test_unknown_names_are_attribute_errors() -> None:
    import reportgen

    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        reportgen.nothing  # noqa: B018


def test_build_accepts_a_folder_and_options(tmp_path: Path) -> None:
    import reportgen

    seen: list[str] = []
    report = reportgen.build(
        ROOT / "data",
        tmp_path,
        ["docx"],
        only=(),
        exclude=["multi*", "follow-up*"],
        on_result=lambda r: seen.append(r.source),
    )
    assert report.failed == [] and len(seen) == len(report.results) == 2
    assert sorted(os.listdir(tmp_path)) == [
        ".reportgen-manifest.json",
        "child-labour-forum-2026.docx",
        "key-outcomes.docx",
    ]
