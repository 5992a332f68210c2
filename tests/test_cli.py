"""The command line, tested through its contract: exit code and messages together."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import CASES, DATA, ROOT, visible

SEED = str(DATA / "key-outcomes.yaml")
BAD = str(CASES / "invalid" / "missing_title.yaml")


def run(*args: str, stdin: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=cwd,
        timeout=120,
    )


def test_build_writes_the_three_documents_and_a_summary(tmp_path: Path) -> None:
    result = run("build", SEED, "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("1 built, 0 failed, 0 up to date")
    assert visible(tmp_path) == ["key-outcomes.docx", "key-outcomes.pdf", "key-outcomes.pptx"]


def test_build_stops_on_invalid_source_with_line_number_and_writes_nothing(tmp_path: Path) -> None:
    result = run("build", BAD, "-o", str(tmp_path))
    assert result.returncode == 1
    assert f"{BAD}:8:9: days[0].sessions[1]: required key 'title' is missing" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().endswith("0 built, 1 failed, 0 up to date")
    assert not any(tmp_path.iterdir())  # not even a manifest


def test_a_batch_goes_on_after_a_bad_source_and_exits_1(tmp_path: Path) -> None:
    result = run("build", BAD, SEED, "-o", str(tmp_path), "-f", "pdf")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == "1 built, 1 failed, 0 up to date"
    assert visible(tmp_path) == ["key-outcomes.pdf"]


def test_formats_can_be_chosen_and_an_unknown_one_is_a_usage_error(tmp_path: Path) -> None:
    assert run("build", SEED, "-o", str(tmp_path), "-f", "docx,pptx").returncode == 0
    assert visible(tmp_path) == ["key-outcomes.docx", "key-outcomes.pptx"]
    wrong = run("build", SEED, "-o", str(tmp_path), "-f", "odt")
    assert wrong.returncode == 2
    assert "odt (choose from: docx, pdf, pptx, handout)" in wrong.stderr


def test_formats_given_more_than_once_add_up(tmp_path: Path) -> None:
    result = run("build", SEED, "-o", str(tmp_path), "-f", "pptx", "--formats", "docx")
    assert result.returncode == 0, result.stderr
    assert visible(tmp_path) == ["key-outcomes.docx", "key-outcomes.pptx"]


def test_the_default_output_folder_is_output(tmp_path: Path) -> None:
    result = run("build", SEED, "-f", "docx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "output" / "key-outcomes.docx").is_file()


def test_standard_input_is_a_source_named_stdin(tmp_path: Path) -> None:
    result = run("build", "-", "-o", str(tmp_path), "-f", "docx", stdin=Path(SEED).read_text())
    assert result.returncode == 0, result.stderr
    assert visible(tmp_path) == ["stdin.docx"]


def test_validate_lists_every_problem_and_exits_1() -> None:
    result = run("validate", SEED, str(CASES / "invalid" / "wrong_type.yaml"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "1 valid, 1 invalid"
    assert any(line.endswith("days[0].sessions[0].title: must be text, not a list") for line in lines)


def test_validate_accepts_the_examples() -> None:
    examples = sorted(DATA.glob("*.yaml"))
    result = run("validate", *map(str, examples))
    assert result.returncode == 0 and result.stdout.strip() == f"{len(examples)} valid, 0 invalid"


def test_validate_strict_renders_in_memory_and_fails_on_warnings(tmp_path: Path) -> None:
    crowded = tmp_path / "crowded.yaml"
    outcomes = "\n".join(
        f"          - Outcome {i} is a long sentence about what the group agreed to do next." for i in range(30)
    )
    crowded.write_text(
        "event:\n  title: Crowded\ndays:\n  - title: Day 1\n    sessions:\n      - code: A\n"
        f"        title: Thirty outcomes\n        outcomes:\n{outcomes}\n"
    )
    assert run("validate", str(crowded)).returncode == 0
    strict = run("validate", "--strict", str(crowded), SEED)
    assert strict.returncode == 1
    assert f"{crowded}: warning: session 'A: Thirty outcomes'" in strict.stderr
    assert strict.stderr.strip().splitlines()[-1] == "1 valid, 1 invalid"
    assert not any(tmp_path.glob("*.pptx"))


def test_schema_prints_a_json_schema_with_the_yaml_names() -> None:
    result = run("schema")
    schema = json.loads(result.stdout)
    assert schema["required"] == ["days"]  # and one of event: or its other name meta:
    assert schema["allOf"] == [{"oneOf": [{"required": ["event"]}, {"required": ["meta"]}]}]
    assert schema["$defs"]["Session"]["required"] == ["code", "title", "outcomes"]


def test_usage_errors_exit_2() -> None:
    assert run("build").returncode == 2
    assert run("frobnicate").returncode == 2
