"""What a new user expects of the command line's streams and names: selections named by what they hold,
"-" for stdout, progress on stderr, a closed pipe ending quietly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, ROOT, visible
from .test_cli import run

SEED = str(DATA / "key-outcomes.yaml")


def test_only_names_its_outputs_by_the_selection_and_keeps_the_full_builds_files(tmp_path: Path) -> None:
    assert run("build", SEED, "-o", str(tmp_path), "-f", "docx").returncode == 0
    full = (tmp_path / "key-outcomes.docx").read_bytes()
    result = run("build", SEED, "-o", str(tmp_path), "-f", "docx", "--only", "day-2/b")
    assert result.returncode == 0, result.stderr
    assert visible(tmp_path) == ["key-outcomes--day-2-b.docx", "key-outcomes.docx"]
    assert (tmp_path / "key-outcomes.docx").read_bytes() == full


def test_plan_shows_the_selections_names() -> None:
    result = run("plan", SEED, "--only", "day-1", "--only", "day-2/a", "-f", "pdf", "-o", "out")
    assert result.stdout.split("\t")[2].strip() == str(Path("out") / "key-outcomes--day-1--day-2-a.pdf")


def test_json_dash_writes_the_report_to_stdout_and_nothing_else(tmp_path: Path) -> None:
    result = run("build", SEED, "-o", str(tmp_path), "-f", "docx", "--json", "-")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["built"] == 1
    assert not (ROOT / "-").exists() and "1 built" in result.stderr


def test_import_out_dash_writes_to_stdout(tmp_path: Path) -> None:
    notes = "# Day 1\n## Opening\n- We agreed.\n"
    result = run("import", "-", "-o", "-", "--kind", "markdown", "--lenient", stdin=notes)
    assert result.returncode == 0, result.stderr
    assert "We agreed." in result.stdout and not (ROOT / "-").exists()


def test_the_progress_bar_draws_on_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportgen.progress import Progress

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    progress = Progress(3, quiet=False, verbose=False)
    try:
        assert progress.bar is not None and progress.bar.console.stderr  # `build > log.txt` keeps it on screen
    finally:
        progress.close()


def test_a_closed_pipe_ends_quietly() -> None:
    # `reportgen plan ... | head -0`: the reader is gone before the first line is written.
    sources = [str(p) for p in sorted(DATA.glob("*.yaml"))]
    command = [sys.executable, "-m", "reportgen", "plan", *sources, "--split", "sessions"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=60) in (0, 141)
    assert stderr == ""


def test_a_folder_build_skips_theme_folders_and_output(tmp_path: Path) -> None:
    import shutil

    shutil.copy(SEED, tmp_path / "event.yaml")
    assert run("theme", "init", str(tmp_path / "acme")).returncode == 0  # as README suggests
    (tmp_path / "output").mkdir()
    shutil.copy(SEED, tmp_path / "output" / "old.yaml")
    result = run("plan", str(tmp_path), "-f", "pdf")
    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == [str(tmp_path / "event.yaml")]
    built = run("build", str(tmp_path), "-f", "pdf", "-o", str(tmp_path / "output"))
    assert built.returncode == 0 and built.stderr.strip().endswith("1 built, 0 failed, 0 up to date")


def test_exclude_leaves_out_matching_sources_and_folders(tmp_path: Path) -> None:
    from reportgen.building import expand_sources

    for name in ("a.yaml", "a.old.yaml", "drafts/b.yaml", "events/drafts/c.yaml", "events/d.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")

    def names(*patterns: str) -> list[str]:
        return [Path(p).relative_to(tmp_path).as_posix() for p in expand_sources([str(tmp_path)], patterns)]

    assert names() == ["a.old.yaml", "a.yaml", "drafts/b.yaml", "events/d.yaml", "events/drafts/c.yaml"]
    assert names("drafts") == ["a.old.yaml", "a.yaml", "events/d.yaml"]
    assert names("*.old.yaml", "events/*") == ["a.yaml", "drafts/b.yaml"]  # events/drafts matches events/*
    result = run("validate", str(tmp_path / "events"), "--exclude", "drafts", "--exclude", "d.yaml")
    assert result.returncode == 0 and result.stdout.strip() == "0 valid, 0 invalid"
