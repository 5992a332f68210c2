"""The loader: valid sources become the model with text exactly as written; every problem is located."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from reportgen.errors import SourceInvalid
from reportgen.loader import MAX_SOURCE_BYTES, from_data, load_event, parse_model
from reportgen.model import Event, Session

from .conftest import CASES, DATA

INVALID = sorted(CASES.glob("invalid/*.yaml"))


def _expected(case: Path) -> list[str]:
    return [line.removeprefix("# expect: ") for line in case.read_text().splitlines() if line.startswith("# expect: ")]


def _problems(path: Path) -> list[str]:
    with pytest.raises(SourceInvalid) as caught:
        load_event(path)
    return [d.without_file() for d in caught.value.diagnostics]


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_invalid_source_reports_exactly_the_expected_located_problems(case: Path) -> None:
    assert _expected(case), f"{case.name} has no '# expect:' line"
    assert _problems(case) == _expected(case)


def test_every_diagnostic_names_the_file_line_and_column(tmp_path: Path) -> None:
    case = CASES / "invalid" / "missing_title.yaml"
    with pytest.raises(SourceInvalid) as caught:
        load_event(case)
    assert str(caught.value) == f"{case}:8:9: days[0].sessions[1]: required key 'title' is missing"


def test_the_seed_loads_with_two_days_eight_sessions_and_22_outcomes(seed_event: Event) -> None:
    assert [d.title for d in seed_event.days] == ["Day 1", "Day 2"]
    assert [s.code for s in seed_event.sessions] == list("ABCDABCD")
    assert seed_event.outcome_count == 22
    assert seed_event.days[0].sessions[0].outcomes[3] == "Tackle the hard questions and know you are not alone."
    assert seed_event.days[1].sessions[3].outcomes[0].startswith("Realize living wage and fair price trough")


def test_the_seed_example_keeps_every_outcome_of_the_seed_text_verbatim(seed_event: Event) -> None:
    seed = CASES / "seed.txt"  # the seed text as it was given (shared/seed/000_34a9be864e90072a.txt)
    bullets = [
        line.replace("\xa0", " ").strip()[1:].strip()
        for line in seed.read_text().splitlines()
        if line.strip().startswith("•")
    ]
    assert [o for s in seed_event.sessions for o in s.outcomes] == bullets


def test_text_fields_stay_exactly_as_written() -> None:
    event = load_event(CASES / "valid" / "text_stays_text.yaml")
    session = event.days[0].sessions[0]
    assert (session.code, session.title) == ("NO", "1.10")
    assert session.outcomes == ("9:30", "0755", "#FF0000 is red", "yes", "null is a word here", "~")
    assert event.meta.date == "2026-06-24"


def test_the_full_example_carries_every_optional_field(full_event: Event) -> None:
    meta = full_event.meta
    assert all((meta.subtitle, meta.date, meta.venue, meta.organiser)) and meta.language == "en-GB"
    first = full_event.days[0].sessions[0]
    assert first.moderator and first.rapporteur and first.notes and "\n" in first.notes


def test_a_file_of_zero_bytes_is_reported_as_empty(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    assert _problems(empty) == ["1:1: the file is empty; a source needs 'event:' and 'days:'"]


def test_non_utf8_input_is_located_at_the_first_bad_byte(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("event:\n  title: Caf\xe9\n".encode("latin-1"))
    assert _problems(latin1) == ["2:13: is not UTF-8 text (byte 0xE9); save the file as UTF-8"]


def test_a_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    with_bom = tmp_path / "bom.yaml"
    with_bom.write_bytes(b"\xef\xbb\xbf" + (CASES / "valid" / "minimal.yaml").read_bytes())
    assert load_event(with_bom).title == "Minimal"


def test_an_absurdly_large_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as out:
        out.truncate(MAX_SOURCE_BYTES + 1)
    started = time.perf_counter()
    problems = _problems(huge)
    assert time.perf_counter() - started < 1.0
    assert problems == [f"1:1: is {MAX_SOURCE_BYTES + 1:,} bytes; the limit is {MAX_SOURCE_BYTES:,}"]


def test_a_billion_laughs_is_refused_at_its_first_anchor_without_expanding_it() -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 20):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    with pytest.raises(SourceInvalid) as caught:
        parse_model("\n".join(levels), Event, "bomb.yaml")
    assert [d.without_file() for d in caught.value.diagnostics] == [
        "1:4: anchors (&name) and aliases (*name) are not supported; write the text out"
    ]


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(SourceInvalid) as caught:
        parse_model("[" * 100 + "]" * 100, Event, "deep.yaml")
    assert "nested deeper than 32 levels" in str(caught.value)


def test_absurdly_deep_nesting_is_a_located_error_not_a_crash() -> None:
    with pytest.raises(SourceInvalid) as caught:
        parse_model("[" * 100_000 + "]" * 100_000, Event, "deep.yaml")
    assert str(caught.value).startswith("deep.yaml:1:")


def test_a_missing_file_is_a_located_error(tmp_path: Path) -> None:
    assert _problems(tmp_path / "nope.yaml") == ["1:1: cannot be opened: No such file or directory"]


def test_a_fifo_or_a_device_as_a_source_is_refused_at_once_not_read(tmp_path: Path) -> None:
    fifo = tmp_path / "event.yaml"
    os.mkfifo(fifo)  # no writer: a blocking open would hang for ever
    started = time.perf_counter()
    assert _problems(fifo) == ["1:1: is not a regular file"]
    assert _problems(Path("/dev/zero")) == ["1:1: is not a regular file"]
    assert time.perf_counter() - started < 1.0


def test_every_valid_case_and_example_loads() -> None:
    for path in [*sorted(CASES.glob("valid/*.yaml")), *sorted(DATA.glob("*.yaml"))]:
        assert load_event(path).days


def test_plain_data_builds_the_same_frozen_model_as_its_yaml() -> None:
    data = {
        "event": {"title": " Minimal "},
        "days": [{"title": "Day 1", "sessions": [{"code": "A", "title": "One", "outcomes": ["x\ty"]}]}],
    }
    event = from_data(Event, data)
    assert event.meta.title == "Minimal" and event.days[0].sessions[0].outcomes == ("x y",)  # stripped; tuples
    renamed = {("meta" if key == "event" else key): value for key, value in data.items()}
    assert from_data(Event, renamed) == event  # the attribute's name stands in for its YAML key
    with pytest.raises(AttributeError):
        event.meta.title = "changed"  # type: ignore[misc]


def test_plain_data_reports_every_problem_at_once_in_the_yamls_words() -> None:
    data = {"event": {"title": "", "langauge": "en"}, "days": [{"title": ["Day"], "sessions": []}], "them": None}
    with pytest.raises(SourceInvalid) as caught:
        from_data(Event, data, "data")
    assert [d.without_file() for d in caught.value.diagnostics] == [
        "1:1: unknown key 'them' (did you mean 'theme'?)",
        "1:1: days[0].sessions: must list at least one session",
        "1:1: days[0].title: must be text, not a list",
        "1:1: event: unknown key 'langauge' (did you mean 'language'?)",
        "1:1: event.title: String should have at least 1 character",
    ]
    assert from_data(Session, {"code": "NO", "title": "1.10", "outcomes": ["~"]}).heading == "NO: 1.10"
