"""Building: every format written atomically; a bad source never leaves a half-written or stale-looking file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from reportgen.building import build, write_atomically
from reportgen.errors import OutputError, RenderError
from reportgen.options import RenderOptions

from .conftest import CASES, DATA, visible

SEED = str(DATA / "key-outcomes.yaml")
BAD = str(CASES / "invalid" / "missing_title.yaml")


def test_it_writes_one_file_per_format_named_after_the_source(tmp_path: Path) -> None:
    report = build([SEED], tmp_path)
    assert report.summary() == "1 built, 0 failed, 0 up to date"
    assert visible(tmp_path) == ["key-outcomes.docx", "key-outcomes.pdf", "key-outcomes.pptx"]


def test_a_batch_keeps_going_after_a_bad_source_and_counts_both(tmp_path: Path) -> None:
    report = build([BAD, SEED], tmp_path, formats=["docx"])
    assert report.summary() == "1 built, 1 failed, 0 up to date"
    assert report.failed[0].errors == [f"{BAD}:8:9: days[0].sessions[1]: required key 'title' is missing"]
    assert visible(tmp_path) == ["key-outcomes.docx"]


def test_a_failed_build_leaves_the_previous_good_files_untouched(tmp_path: Path) -> None:
    source = tmp_path / "event.yaml"
    shutil.copy(SEED, source)
    out = tmp_path / "out"
    build([str(source)], out)
    before = {name: (out / name).read_bytes() for name in visible(out)}
    source.write_text(source.read_text().replace("title: Day 1", "title: [broken"))
    report = build([str(source)], out)
    assert report.failed
    assert {name: (out / name).read_bytes() for name in visible(out)} == before


def test_a_renderer_failure_writes_none_of_the_formats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen.renderers import get

    def impossible(*_args: object) -> bytes:
        raise RenderError("cannot lay this out")

    monkeypatch.setattr(type(get("pptx")), "render", impossible)
    report = build([SEED], tmp_path, formats=["docx", "pptx"])
    assert report.failed[0].errors == [f"{SEED}: cannot lay this out"]
    assert visible(tmp_path) == []


def test_atomic_write_leaves_no_temporary_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "doc.pdf"
    target.write_bytes(b"old")

    def broken_fsync(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.pdf"]


def test_two_sources_with_the_same_name_are_refused_before_anything_is_built(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    shutil.copy(SEED, other / "key-outcomes.yaml")
    with pytest.raises(OutputError, match="would overwrite the outputs of"):
        build([SEED, str(other / "key-outcomes.yaml")], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_output_path_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError, match="exists and is not a folder"):
        build([SEED], blocker)


def test_outputs_are_byte_identical_across_builds(tmp_path: Path) -> None:
    build([SEED], tmp_path / "a")
    build([SEED], tmp_path / "b")
    for first in map((tmp_path / "a").joinpath, visible(tmp_path / "a")):
        assert first.read_bytes() == (tmp_path / "b" / first.name).read_bytes(), first.name


def test_strict_mode_fails_a_source_that_reports_warnings(tmp_path: Path) -> None:
    long_session = tmp_path / "long.yaml"
    outcomes = "\n".join(
        f"          - Outcome {i} " + "is a careful and rather long sentence about what the group agreed " * 2
        for i in range(14)
    )
    long_session.write_text(
        f"event:\n  title: Long\ndays:\n  - title: Day 1\n    sessions:\n      - code: A\n"
        f"        title: Many outcomes\n        outcomes:\n{outcomes}\n"
    )
    relaxed = build([str(long_session)], tmp_path / "relaxed", formats=["pptx"])
    assert relaxed.results[0].ok and relaxed.results[0].warnings
    strict = build([str(long_session)], tmp_path / "strict", formats=["pptx"], options=RenderOptions(strict=True))
    assert strict.failed and "warnings are errors in strict mode" in strict.failed[0].errors[0]
    assert visible(tmp_path / "strict") == []
