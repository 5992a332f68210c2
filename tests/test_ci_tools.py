"""What CI and editors use: merge-reports combining shard reports, the pre-commit hook, shell completion."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import CASES, DATA, ROOT
from .test_cli import run

SEED = str(DATA / "key-outcomes.yaml")
BAD = str(CASES / "invalid" / "missing_title.yaml")


def _shard_reports(tmp_path: Path, *sources: str) -> list[Path]:
    reports = []
    for k in (1, 2):
        path = tmp_path / f"report-{k}.json"
        run("build", *sources, "-f", "docx", "-o", str(tmp_path / "out"), "--shard", f"{k}/2", "--json", str(path))
        reports.append(path)
    return reports


def test_merge_reports_sums_the_shards_and_fails_when_one_failed(tmp_path: Path) -> None:
    reports = _shard_reports(tmp_path, SEED, str(DATA / "child-labour-forum-2026.yaml"), BAD)
    result = run("merge-reports", *map(str, reports), "--json", "-")
    assert result.returncode == 1
    merged = json.loads(result.stdout)
    assert merged["summary"] == {"built": 2, "failed": 1, "up_to_date": 0}
    assert "required key 'title' is missing" in result.stderr
    assert result.stderr.strip().endswith("2 built, 1 failed, 0 up to date (2 reports)")


def test_merge_reports_of_good_shards_exits_0_and_names_overlaps(tmp_path: Path) -> None:
    reports = _shard_reports(tmp_path, SEED)
    assert run("merge-reports", *map(str, reports)).returncode == 0
    both = next(r for r in reports if json.loads(r.read_text())["targets"])  # the shard that built the seed
    twice = run("merge-reports", str(both), str(both))
    assert twice.returncode == 0 and "built by two shards" not in twice.stderr  # the same report twice
    copy = tmp_path / "copy.json"
    copy.write_text(both.read_text())
    assert "built by two shards" in run("merge-reports", str(both), str(copy)).stderr


def test_merge_reports_refuses_what_is_not_a_report(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("[1, 2]")
    result = run("merge-reports", str(tmp_path / "x.json"), str(tmp_path / "missing.json"))
    assert result.returncode == 1 and "not a report written by `reportgen build --json`" in result.stderr


def test_the_pre_commit_hook_validates_sources_strictly() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "reportgen-validate" and hook["entry"] == "reportgen validate --strict"
    assert hook["language"] == "python"
    assert re.search(hook["files"], "events/forum.yaml") and not re.search(hook["exclude"], "events/forum.yaml")
    assert re.search(hook["exclude"], "themes/acme/theme.yaml")
    assert re.search(hook["exclude"], ".github/workflows/ci.yml")


def test_shell_completion_is_generated_from_the_parser() -> None:
    import shtab  # a test dependency: CI has it, so this test runs there

    from reportgen.cli import parser

    script = shtab.complete(parser(), shell="bash")
    for word in ("build", "watch", "merge-reports", "--exclude", "--only"):
        assert word in script
    command = [sys.executable, "-m", "shtab", "--shell=zsh", "reportgen.cli.parser"]  # as README shows
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and "merge-reports" in result.stdout
