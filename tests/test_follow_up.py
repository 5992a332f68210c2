"""The follow-up: key messages and actions in every format, build --since, the exports, long tables."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pypdf
import pytest
from pptx import Presentation

from reportgen import words as composed
from reportgen.errors import Reporter
from reportgen.exports import COLUMNS, export
from reportgen.loader import from_data, load_event
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers import get
from reportgen.since import compare

from .conftest import DATA
from .office import to_pdf

TODAY = date(2026, 6, 25)  # the options fixture's build time
NEW, OLD = DATA / "follow-up.yaml", DATA / "follow-up-previous.yaml"


def flat(text: str) -> str:
    return " ".join(text.split())


def render(event: Event, fmt: str, options: RenderOptions) -> bytes:
    return get(fmt).render(event, options, Reporter())


def docx_texts(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    document = docx.Document(io.BytesIO(data))
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    return [p.text for p in document.paragraphs], tables


def pdf_pages(data: bytes) -> list[str]:
    return [flat(page.extract_text()) for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def pptx_slides(data: bytes) -> list[str]:
    deck = Presentation(io.BytesIO(data))
    return [flat(" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)) for slide in deck.slides]


def in_order(haystack: str, needles: list[str]) -> bool:
    at = 0
    for needle in needles:
        found = haystack.find(needle, at)
        if found < 0:
            return False
        at = found + len(needle)
    return True


@pytest.fixture(scope="module")
def event() -> Event:
    return load_event(NEW)


def expected_rows(event: Event) -> list[list[str]]:
    words = event.meta.words.follow_up
    return [
        [str(a.action), a.owner, composed.due(a, TODAY, words), words.status_of(a.status)] for _, _, a in event.actions
    ]


def test_word_has_the_key_messages_and_each_sessions_actions_in_order_with_a_repeated_header(
    event: Event, options: RenderOptions
) -> None:
    paragraphs, tables = docx_texts(render(event, "docx", options))
    start = paragraphs.index("Key messages")
    assert paragraphs[start + 1 : start + 1 + len(event.meta.key_messages)] == list(event.meta.key_messages)
    sessions = [t for t in tables if t[0] == ["Action", "Owner", "Due", "Status"]]
    assert [row for table in sessions for row in table[1:]] == expected_rows(event)
    annex = next(t for t in tables if t[0][0] == "Session")
    assert [row[1] for row in annex[1:]] == [str(a.action) for _, _, a in composed.by_due_date(event)]
    assert "2026-03-31 (overdue)" in [row[3] for row in annex[1:]]
    document = docx.Document(io.BytesIO(render(event, "docx", options)))
    for table in document.tables:
        rows = table._tbl.tr_lst
        assert rows[0].trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None
        assert all(r.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None for r in rows)


def test_the_pdf_has_the_key_messages_and_every_action_with_owner_due_and_status_in_order(
    event: Event, options: RenderOptions
) -> None:
    text = " ".join(pdf_pages(render(event, "pdf", options)))
    assert in_order(text, ["Key messages", *map(str, event.meta.key_messages)])
    assert in_order(text, [flat(cell) for row in expected_rows(event) for cell in row])
    assert in_order(text, ["All actions", "Actions by status"])


def test_the_deck_has_key_messages_second_actions_on_their_sessions_and_next_steps_with_a_chart(
    event: Event, options: RenderOptions
) -> None:
    data = render(event, "pptx", options)
    slides = pptx_slides(data)
    assert slides[1].startswith("Key messages") and in_order(slides[1], list(map(str, event.meta.key_messages)))
    text = " ".join(slides)
    words = event.meta.words.follow_up
    for _, _, action in event.actions:
        line = flat(str(composed_line(action, words)))
        assert line in text
    assert any(s.startswith("Next steps") for s in slides)
    deck = Presentation(io.BytesIO(data))
    charts = [shape for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 1
    chart = charts[0].chart
    assert [s.name for s in chart.plots[0].series] == ["Open", "In progress", "Done", "Dropped"]
    alt = charts[0]._element.nvGraphicFramePr.cNvPr.get("descr")
    assert alt == composed.chart_description(event, words)


def composed_line(action: Any, words: Any) -> str:
    due = f" · {composed.due(action, TODAY, words)}" if action.due else ""
    return f"{action.action} — {action.owner}{due} · {words.status_of(action.status)}"


def test_french_words_name_the_tables_and_statuses(event: Event, options: RenderOptions) -> None:
    french = replace(event, meta=replace(event.meta, language="fr"))
    paragraphs, tables = docx_texts(render(french, "docx", options))
    assert "Messages clés" in paragraphs and "Toutes les actions" in paragraphs
    assert tables[0][0] == ["Action", "Responsable", "Échéance", "Statut"]
    assert "2026-03-31 (en retard)" in [row[2] for row in tables[0]]
    assert "en cours" in [row[3] for row in tables[0]]


def test_since_names_each_kind_of_change() -> None:
    changes = compare(load_event(OLD), load_event(NEW), TODAY)
    sections = dict(changes.sections(load_event(NEW).meta.words.follow_up, TODAY))
    assert list(sections) == ["Done", "Dropped", "New", "Removed", "Due dates moved", "Overdue"]
    assert any("Convene a multi-stakeholder partnership round" in line for line in sections["Done"])
    assert any("Fund community monitoring" in line for line in sections["Dropped"])
    assert any("traceability pilot" in line for line in sections["New"])
    assert any("Map the formal-sector companies" in line for line in sections["Removed"])
    assert any("2026-09-30 → 2026-11-30" in line for line in sections["Due dates moved"])
    assert any("2026-03-31" in line for line in sections["Overdue"])
    assert changes.warnings == []


def test_an_action_text_on_two_actions_is_matched_with_neither_and_named_in_a_warning() -> None:
    def source(*texts: str) -> Event:
        actions = [{"action": t, "owner": "ILO"} for t in texts]
        session = {"code": "A", "title": "S", "outcomes": ["x"], "actions": actions}
        return from_data(Event, {"event": {"title": "T"}, "days": [{"title": "Day 1", "sessions": [session]}]})

    changes = compare(source("Do it", "Do it"), source("Do it"), TODAY)
    assert (
        len(changes.warnings) == 1
        and "'Do it' stands in Day 1 A (now), Day 1 A (before), Day 1 A (before)" in (changes.warnings[0])
    )
    assert len(changes.new) == 1 and len(changes.removed) == 2


def test_build_since_adds_since_the_last_meeting_to_every_format(tmp_path: Path) -> None:
    from reportgen.cli import main

    main(["build", str(NEW), "--since", str(OLD), "-o", str(tmp_path), "-q"])
    paragraphs, _ = docx_texts((tmp_path / "follow-up.docx").read_bytes())
    assert "Since the last meeting" in paragraphs and "Due dates moved" in paragraphs
    assert "Since the last meeting" in " ".join(pdf_pages((tmp_path / "follow-up.pdf").read_bytes()))
    assert any(s.startswith("Since the last meeting") for s in pptx_slides((tmp_path / "follow-up.pptx").read_bytes()))


def test_the_exports_parse_and_hold_every_action(event: Event) -> None:
    from icalendar import Calendar

    when = RenderOptions().timestamp
    rows = list(csv.reader(io.StringIO(export(event, "csv", when).decode())))
    assert tuple(rows[0]) == COLUMNS
    assert [r[3] for r in rows[1:]] == [str(a.action) for _, _, a in event.actions]
    assert [r[4:7] for r in rows[1:]] == [[a.owner, str(a.due), a.status] for _, _, a in event.actions]
    data = json.loads(export(event, "json", when))
    assert [(r["action"], r["owner"], r["due"], r["status"]) for r in data["actions"]] == [
        (str(a.action), a.owner, str(a.due), a.status) for _, _, a in event.actions
    ]
    ics = export(event, "ics", when)
    assert ics == export(event, "ics", when)  # no clock
    todos = Calendar.from_ical(ics).walk("VTODO")
    assert [str(t["SUMMARY"]) for t in todos] == [str(a.action) for _, _, a in event.actions]
    assert [t["DUE"].dt for t in todos] == [a.due for _, _, a in event.actions]


def test_actions_command_writes_stdout_or_a_file(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    from reportgen.cli import main

    main(["actions", str(NEW), "--format", "json"])
    assert len(json.loads(capsysbinary.readouterr().out)["actions"]) == len(load_event(NEW).actions)
    main(["actions", str(NEW), "--format", "ics", "-o", str(tmp_path / "a.ics")])
    assert (tmp_path / "a.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")


def forty_actions() -> Event:
    actions = [
        {"action": f"Action number {n:02d}, with enough words to wrap onto a second line in the owner's column "
         "and make every row of the table a little taller than one line", "owner": f"Owner {n:02d}",
         "due": f"2027-{1 + n % 12:02d}-15", "status": "open"}
        for n in range(40)
    ]  # fmt: skip
    session = {"code": "A", "title": "Many actions", "outcomes": ["One."], "actions": actions}
    return from_data(Event, {"event": {"title": "Forty"}, "days": [{"title": "Day 1", "sessions": [session]}]})


def assert_rows_whole_and_header_repeated(pages: list[str], event: Event) -> None:
    header = "Action Owner Due Status"
    first_table = [i for i, p in enumerate(pages) if header in p]
    assert len(first_table) >= 2, "the session's table crosses a page with its header on each"
    for _, _, action in event.actions:
        number = str(action.action).split(",")[0]
        holding = [i for i, p in enumerate(pages) if f"{number}," in p and f"{action.owner}" in p]
        assert len(holding) >= 1
        on = holding[0]
        # No row split: its words and its owner, due date and status are on the one page.
        assert f"{number}," in pages[on] and action.owner in pages[on] and str(action.due) in pages[on]


def test_a_table_of_forty_actions_crosses_pages_in_the_pdf_with_its_header_and_no_row_split(
    options: RenderOptions,
) -> None:
    import page as validation

    event = forty_actions()
    data = render(event, "pdf", options)
    pages = pdf_pages(data)
    assert_rows_whole_and_header_repeated(
        pages[: next(i for i, p in enumerate(pages) if "All actions" in p) + 1], event
    )
    assert validation.validate_pdf_bytes(data, profile="ua1").is_compliant


@pytest.mark.render
def test_a_table_of_forty_actions_crosses_pages_in_word_with_its_header_and_no_row_split(
    options: RenderOptions, tmp_path: Path
) -> None:
    event = forty_actions()
    pdf = to_pdf({"forty": render(event, "docx", options)}, ".docx", tmp_path)["forty"]
    pages = pdf_pages(pdf.read_bytes())
    assert_rows_whole_and_header_repeated(
        pages[: next(i for i, p in enumerate(pages) if "All actions" in p) + 1], event
    )
