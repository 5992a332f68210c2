"""The importer: notes (text, Markdown, Word) become a valid, tidy, commented source, losing nothing silently.

Each notes file under cases/import/ is a case: NAME.txt or NAME.md is imported as NAME.yaml says, with the
problems NAME.problems lists (no such file: no problems). Each file under cases/import/invalid/ is refused
with the diagnostics its NAME.error lists.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import fields as dc_fields
from dataclasses import replace
from pathlib import Path

import docx
import pytest
import yaml
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen import importer, render, renderers
from reportgen.errors import SourceInvalid
from reportgen.importer import ImportResult, import_notes, normalise, yaml_scalar
from reportgen.loader import from_data, load_event, parse_model
from reportgen.model import Event
from reportgen.options import RenderOptions

from .conftest import CASES

IMPORT = CASES / "import"
NOTES = sorted(p for p in IMPORT.iterdir() if p.suffix in (".txt", ".md"))
INVALID = sorted((IMPORT / "invalid").glob("*.txt"))
SEED = CASES / "seed.txt"  # the seed text as it was given (shared/seed/000_34a9be864e90072a.txt), byte for byte


def _import(path: Path) -> ImportResult:
    return import_notes(path.read_bytes(), path.name)


def _refusal(data: bytes, name: str, kind: str | None = None, encoding: str | None = None) -> list[str]:
    with pytest.raises(SourceInvalid) as caught:
        import_notes(data, name, kind, encoding)
    return [d.without_file() for d in caught.value.diagnostics]


# -- the seed -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_import() -> ImportResult:
    return _import(SEED)


def test_the_seed_imports_as_two_days_eight_sessions_and_22_outcomes(seed_import: ImportResult) -> None:
    event = seed_import.event
    assert seed_import.problems == []
    assert [d.title for d in event.days] == ["Day 1", "Day 2"]
    assert [s.code for s in event.sessions] == list("ABCDABCD")
    assert event.outcome_count == 22


def test_the_seed_outcomes_are_its_bullets_after_whitespace_normalisation(seed_import: ImportResult) -> None:
    bullets = [" ".join(line.split())[1:].strip() for line in SEED.read_text().splitlines() if "•" in line]
    assert [o for s in seed_import.event.sessions for o in s.outcomes] == bullets


def test_the_seed_imports_as_the_hand_written_example_except_its_title_block(
    seed_import: ImportResult, seed_event: Event
) -> None:
    assert seed_import.event.days == seed_event.days
    assert seed_import.event.title == SEED.read_text().splitlines()[0] == "Key outcomes Breakout sessions"


def test_building_the_imported_seed_gives_the_hand_written_examples_documents(
    seed_import: ImportResult, seed_event: Event, options: RenderOptions
) -> None:
    # The seed's first line runs title and subtitle together; with the same title block the documents
    # built from the imported notes are byte for byte those built from data/key-outcomes.yaml.
    imported = replace(seed_import.event, meta=seed_event.meta)
    for name in renderers.available():
        assert render(imported, name, options) == render(seed_event, name, options), name


def test_import_pipes_into_build(tmp_path: Path) -> None:
    from .test_cli import run

    imported = run("import", str(SEED))
    built = run("build", "-", "-o", str(tmp_path), "-f", "pptx", stdin=imported.stdout)
    assert (imported.returncode, built.returncode) == (0, 0), built.stderr
    assert (tmp_path / "stdin.pptx").is_file()


def test_the_imported_seed_is_tidy_hand_written_yaml(seed_import: ImportResult) -> None:
    text = seed_import.yaml
    assert text.startswith(f"# Imported from {SEED.name} by 'reportgen import'. Check it before you build:\n")
    assert "\n\n  - title: Day 2\n" in text  # a blank line between days
    assert '        title: "Doing due diligence: what lessons can be learnt"\n' in text
    assert "          - Avoid reinventing the wheel.\n" in text
    assert all(line == line.rstrip() and "\t" not in line for line in text.splitlines())


# -- the cases ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", NOTES, ids=lambda p: p.name)
def test_notes_import_as_the_expected_source_with_the_expected_problems(case: Path) -> None:
    result = _import(case)
    problems = case.with_suffix(".problems")
    assert result.yaml == case.with_suffix(".yaml").read_text()
    assert result.problems == (problems.read_text().splitlines() if problems.exists() else [])


@pytest.mark.parametrize("case", NOTES, ids=lambda p: p.name)
def test_every_expected_source_is_valid_for_reportgen_and_for_plain_yaml(case: Path) -> None:
    expected = case.with_suffix(".yaml")
    # Strict text fields: a scalar that plain YAML reads as a number, a date or a boolean would fail here.
    assert from_data(Event, yaml.safe_load(expected.read_text())) == load_event(expected)


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.name)
def test_notes_without_anything_to_import_are_refused_saying_what_is_missing(case: Path) -> None:
    assert _refusal(case.read_bytes(), case.name) == case.with_suffix(".error").read_text().splitlines()


def test_the_case_names_are_unique_so_each_has_one_expected_source() -> None:
    assert len({p.stem for p in NOTES}) == len(NOTES)


# -- recognised forms, one by one ---------------------------------------------------------------------------


def _one_session(text: str) -> ImportResult:
    return import_notes(f"Title\n\nDay 1\nSession A: S\n{text}\n".encode(), "notes.txt")


DAY_LINES = ["Day 1", "Day 2 – Tuesday", "DAY 3", "# Day 1", "## Day 4", "Day 5: Visit", "day one (online)"]


@pytest.mark.parametrize("line", DAY_LINES)
def test_day_headings(line: str) -> None:
    result = import_notes(f"Title\n\n{line}\nSession A: S\n• x\n".encode(), "notes.txt")
    assert [d.title for d in result.event.days] == [line.lstrip("# ")]
    assert result.problems == []


@pytest.mark.parametrize(
    ("line", "code", "title"),
    [
        ("Breakout session A: Title", "A", "Title"),
        ("Breakout Session B – Title", "B", "Title"),
        ("Session 3 - Title", "3", "Title"),
        ("Session 3: Title", "3", "Title"),
        ("Session 12 Title", "12", "Title"),
        ("Workshop C: Title: with a colon", "C", "Title: with a colon"),
        ("## A. Title", "A", "Title"),
        ("## A: Title", "A", "Title"),
        ("## 4) Title", "4", "Title"),
        ("## Title without a code", "1", "Title without a code"),
    ],
)
def test_session_headings(line: str, code: str, title: str) -> None:
    result = import_notes(f"# Title\n\n# Day 1\n\n{line}\n- x\n".encode(), "notes.md")
    assert [(s.code, s.title) for s in result.event.sessions] == [(code, title)]
    assert result.problems == []


@pytest.mark.parametrize("bullet", ["•", "-", "*", "–", "—", "▪", "1.", "1)", "12.", "+", "\uf0b7"])
def test_outcome_bullets(bullet: str) -> None:
    result = _one_session(f"  {bullet}  An outcome.")
    assert result.event.sessions[0].outcomes == ("An outcome.",)


@pytest.mark.parametrize("line", ["-5 degrees", "*stress*", "1.10 is a version", "2024. A", "Day 1 was long"])
def test_lines_that_only_look_like_bullets_or_days_are_not_understood(line: str) -> None:
    result = _one_session(f"• x\n\n{line}")
    assert result.problems == [f"notes.txt:7: not understood: {line}"]


def test_wrapped_lines_continue_the_outcome_above_them() -> None:
    result = _one_session("• one\n  two\n\tthree\n• four\nfive\n\nsix")
    assert result.event.sessions[0].outcomes == ("one two three", "four five")
    assert result.problems == ["notes.txt:11: not understood: six"]


def test_whitespace_is_normalised_and_the_words_are_kept() -> None:
    result = _one_session("•\u00a0Recieve\u202fthe\tteh  reports\u00a0 ")
    assert result.event.sessions[0].outcomes == ("Recieve the teh reports",)


def test_a_line_not_understood_is_reported_and_kept_as_a_comment_at_its_place() -> None:
    result = _one_session("• first\n\nA remark.\n• second")
    assert result.problems == ["notes.txt:7: not understood: A remark."]
    assert "          - first\n          # not understood: A remark.\n          - second\n" in result.yaml
    assert result.event.sessions[0].outcomes == ("first", "second")


def test_sessions_before_any_day_go_into_an_assumed_day_1_with_a_problem() -> None:
    result = import_notes(b"Title\nSession A: S\n- x\n", "notes.txt")
    assert [d.title for d in result.event.days] == ["Day 1"]
    assert result.problems == ["notes.txt:2: no day heading before this session; assumed 'Day 1'"]
    assert "  # check: no day heading before this session; assumed 'Day 1'\n  - title: Day 1\n" in result.yaml


def test_sessions_without_a_code_are_numbered_within_their_day_after_the_codes_given() -> None:
    result = import_notes(b"# T\n## Day 1\n### Intro\n- a\n### Session 1: One\n- b\n### Outro\n- c\n", "n.md")
    assert [s.code for s in result.event.sessions] == ["2", "1", "3"]


def test_moderator_rapporteur_and_event_fields_are_read() -> None:
    notes = "T\nSub\nDate: 24 June\nVenue: Hall\nOrganizer: Us\n\nDay 1\nSession A: S\n"
    event = import_notes(f"{notes}Moderators: Ann\nRapporteur: Bo\n- x".encode(), "n.txt").event
    fields = {"title": "T", "subtitle": "Sub", "date": "24 June", "venue": "Hall", "organiser": "Us"}
    meta = event.meta
    assert {f.name: getattr(meta, f.name) for f in dc_fields(meta) if getattr(meta, f.name) != f.default} == fields
    assert (event.sessions[0].moderator, event.sessions[0].rapporteur) == ("Ann", "Bo")


def test_the_title_comes_from_the_file_name_when_the_notes_have_none() -> None:
    result = import_notes(b"Day 1\nSession A: S\n- x\n", "summit-notes.txt")
    assert result.event.title == "summit-notes"
    assert result.problems == ["summit-notes.txt:1: no title found; the file name 'summit-notes' is used"]


def test_notes_from_standard_input_without_a_title_get_a_neutral_one() -> None:
    result = import_notes(b"Day 1\nSession A: S\n- x\n", "-")
    assert result.event.title == "Imported notes"
    assert result.problems == ["-:1: no title found; 'Imported notes' is used"]


def test_markdown_title_is_the_first_top_heading_that_is_not_a_day() -> None:
    result = import_notes(b"# Day 1\n## A. S\n- x\n", "n.md")
    assert result.event.title == "n"
    result = import_notes(b"Intro line\n\n# Key outcomes\n## Day 1\n### A. S\n- x\n", "n.md")
    assert (result.event.title, result.event.meta.subtitle) == ("Key outcomes", "Intro line")


def test_a_markdown_line_bold_as_a_whole_counts_as_its_words() -> None:
    result = import_notes(b"**Key outcomes**\n\n**Day 1**\n\n**Session A: S**\n\n- **Agreed**: x\n", "n.md")
    assert result.event.title == "Key outcomes"
    assert [d.title for d in result.event.days] == ["Day 1"]
    outcome = result.event.sessions[0].outcomes[0]
    assert (outcome.source, outcome) == ("**Agreed**: x", "Agreed: x")  # inner emphasis is markup now
    assert [(run.text, run.bold) for run in outcome.runs] == [("Agreed", True), (": x", False)]


def test_the_kind_is_guessed_from_the_bytes_and_the_name() -> None:
    assert importer.guess_kind(b"PK\x03\x04", "notes.txt") == "docx"
    assert importer.guess_kind(b"x", "NOTES.DOCX") == "docx"
    assert importer.guess_kind(b"# x", "notes.md") == "markdown"
    assert importer.guess_kind(b"# x", "notes.markdown") == "markdown"
    assert importer.guess_kind(b"# x", "notes") == "text"
    with pytest.raises(ValueError, match="unknown kind of notes 'pdf'"):
        import_notes(b"x", "n.pdf", "pdf")


def test_utf16_text_with_a_byte_order_mark_is_read() -> None:
    result = import_notes("T\nDay 1\nSession A: S\n• x\n".encode("utf-16"), "n.txt")
    assert result.event.sessions[0].outcomes == ("x",)


WINDOWS_NOTES = "Forum\nDay 1\nBreakout session A: Café talks\n• First – agreed\n\x95 Second\n"


def test_notes_in_another_encoding_are_read_when_it_is_named() -> None:
    data = WINDOWS_NOTES.replace("\x95", "•").encode("cp1252")
    result = import_notes(data, "n.txt", encoding="cp1252")
    assert result.event.sessions[0].title == "Café talks"
    assert result.event.sessions[0].outcomes == ("First – agreed", "Second")
    assert result.problems == []


def test_notes_not_in_utf8_say_where_and_how_to_name_their_encoding() -> None:
    data = WINDOWS_NOTES.replace("\x95", "•").encode("cp1252")
    assert _refusal(data, "n.txt") == [
        "3:24: is not UTF-8 text (byte 0xE9); save the file as UTF-8 or name its encoding, e.g. --encoding cp1252"
    ]
    assert _refusal(b"Day 1\n\x81", "n.txt", encoding="cp1252") == ["2:1: is not cp1252 text (byte 0x81)"]
    with pytest.raises(LookupError):
        import_notes(b"x", "n.txt", encoding="klingon")


def test_import_takes_the_encoding_on_the_command_line(tmp_path: Path) -> None:
    from .test_cli import run

    notes = tmp_path / "notes.txt"
    notes.write_bytes(WINDOWS_NOTES.replace("\x95", "•").encode("cp1252"))
    result = run("import", str(notes), "--encoding", "cp1252")
    assert result.returncode == 0, result.stderr
    assert "title: Café talks" in result.stdout
    refused = run("import", str(notes), "--encoding", "klingon")
    assert refused.returncode == 2
    assert "unknown encoding 'klingon'" in refused.stderr


def test_the_result_sums_itself_up_in_one_line(seed_import: ImportResult) -> None:
    assert seed_import.summary == "2 days, 8 sessions, 22 outcomes, 0 problems"


# -- Word documents -----------------------------------------------------------------------------------------


def _docx(build: Callable[[docx.document.Document], None]) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _number(paragraph: Paragraph, num_id: int) -> None:
    """Give a paragraph direct numbering (w:numPr), as Word does for a list typed in Normal style."""
    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", 0), ("w:numId", num_id)):
        child = OxmlElement(tag)
        child.set(qn("w:val"), str(value))
        num_pr.append(child)
    paragraph._p.get_or_add_pPr().append(num_pr)


def _english(document: docx.document.Document) -> None:
    document.add_paragraph("Key outcomes", style="Title")
    document.add_paragraph("Breakout sessions", style="Subtitle")
    document.add_heading("Day 1", 1)
    document.add_heading("Breakout session A: Doing due diligence", 2)
    document.add_paragraph("Translate commitments.", style="List Bullet")
    document.add_paragraph("Analyse your\u00a0value chain.", style="List Bullet")
    document.add_heading("Transparency", 2)
    document.add_paragraph("First numbered.", style="List Number")
    document.add_paragraph("Second numbered.", style="List Number")
    _number(document.add_paragraph("Numbered in Normal style."), 1)
    document.add_paragraph("A plain paragraph.")
    document.add_paragraph("")
    document.add_heading("Tuesday", 1)
    document.add_heading("Closing", 2)
    document.add_paragraph("• A bullet typed by hand.")
    document.add_paragraph("• A bullet typed into a list paragraph.", style="List Bullet")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "In a table."


def test_a_word_document_imports_by_its_styles() -> None:
    result = import_notes(_docx(_english), "notes.docx")
    event = result.event
    assert (event.title, event.meta.subtitle) == ("Key outcomes", "Breakout sessions")
    assert [d.title for d in event.days] == ["Day 1", "Tuesday"]
    assert [(s.code, s.title) for s in event.sessions] == [
        ("A", "Doing due diligence"),
        ("2", "Transparency"),
        ("1", "Closing"),
    ]
    assert [s.outcomes for s in event.sessions] == [
        ("Translate commitments.", "Analyse your value chain."),
        ("First numbered.", "Second numbered.", "Numbered in Normal style."),
        ("A bullet typed by hand.", "A bullet typed into a list paragraph."),
    ]
    # paragraphs are numbered from 1, empty ones and table cells included
    assert result.problems == ["notes.docx:11: not understood: A plain paragraph.",
                               "notes.docx:17: not understood: In a table."]  # fmt: skip


def _german(document: docx.document.Document) -> None:
    """A template whose style names are German; one heading style is known only by its outline level."""
    styles = document.styles
    for english, german, sid in (("Title", "Titel", "Titel"), ("Heading 1", "Überschrift 1", "berschrift1")):
        styles[english].name = german
        styles[german].style_id = sid
    # "Sitzung" says neither "heading" nor a level: only its outline level makes it a heading.
    tagung = styles.add_style("Sitzung", WD_STYLE_TYPE.PARAGRAPH)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "1")
    tagung.element.get_or_add_pPr().append(outline)
    styles.add_style("Überschrift 3", WD_STYLE_TYPE.PARAGRAPH)  # known by its name alone
    bullets = styles.add_style("Aufzählungszeichen", WD_STYLE_TYPE.PARAGRAPH)
    bullets.base_style = styles["List Bullet"]
    document.add_paragraph("Wichtigste Ergebnisse", style="Titel")
    document.add_paragraph("Tag 1 – Dienstag", style="Überschrift 1")
    document.add_paragraph("A: Sorgfaltspflicht", style="Sitzung")
    document.add_paragraph("Menschenrechte achten.", style="Aufzählungszeichen")
    document.add_paragraph("Tag 2", style="Überschrift 1")
    document.add_paragraph("Rückblick", style="Sitzung")
    document.add_paragraph("Ein Unterabschnitt", style="Überschrift 3")
    styles.add_style("Listenabsatz", WD_STYLE_TYPE.PARAGRAPH)  # a list by its name alone
    document.add_paragraph("Weitermachen.", style="Listenabsatz")


def test_a_word_document_with_german_style_names_imports_by_outline_level_and_name() -> None:
    result = import_notes(_docx(_german), "notizen.docx")
    event = result.event
    assert event.title == "Wichtigste Ergebnisse"
    assert [d.title for d in event.days] == ["Tag 1 – Dienstag", "Tag 2"]
    assert [(s.code, s.title, s.outcomes) for s in event.sessions] == [
        ("A", "Sorgfaltspflicht", ("Menschenrechte achten.",)),
        ("1", "Ein Unterabschnitt", ("Weitermachen.",)),
    ]
    assert result.problems == ["notizen.docx:6: session without outcomes, left out: Rückblick"]


def test_a_word_document_is_recognised_by_its_bytes_whatever_its_name() -> None:
    assert import_notes(_docx(_english), "notes.txt").event.title == "Key outcomes"


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return out.getvalue()


def test_a_word_document_that_unpacks_beyond_50_mb_is_refused() -> None:
    bomb = _zip({"word/document.xml": b"<" + b" " * importer.MAX_DOCX_PART_BYTES + b">"})
    assert len(bomb) < 1_000_000
    assert _refusal(bomb, "bomb.docx") == [
        "1:1: word/document.xml is larger than 50 MB uncompressed; refused (a zip bomb?)"
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 broken", "1:1: is not a readable Word document (.docx): File is not a zip file"),
        (_zip({"other.xml": b"<x/>"}), "1:1: is not a Word document (.docx): it has no word/document.xml"),
        (_zip({"word/document.xml": b"<w:document"}), "1:1: word/document.xml is not well-formed XML"),
        (_zip({"word/document.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}),
         "1:1: word/document.xml declares a DTD, which Word documents never do; refused"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "1:1: is a Word 97-2003 .doc or a password-protected document"),
    ],
    ids=["not-a-zip", "no-document", "bad-xml", "dtd", "old-doc"],
)  # fmt: skip
def test_broken_word_documents_are_refused_with_a_clear_message(data: bytes, message: str) -> None:
    problems = _refusal(data, "bad.docx", "docx")
    assert len(problems) == 1 and problems[0].startswith(message)


# -- YAML: text stays text ----------------------------------------------------------------------------------

TRICKY = [
    *("NO", "yes", "y", "Off", "~", "null", "=", "<<", "9:30", "0755", "1.10", "1e3", ".inf", "0x1F"),
    *("2026-06-24", "#1", "Agreed: yes", "- x", "@x", "`x`", '"x"', "'x'", "x'", '"', "[x]", "{x}", "&x"),
    *("*x", "!x", "%x", "|", ">", "?", "?x", ":x", "x:", "", " x", "x ", "---", "...", "a # b", "a: b"),
    *("back\\slash", 'both \\ and "', "tab\there", "line\nbreak", "nul\x00", "del\x7f", "nel\x85"),
    *("ls\u2028", "bom\ufeff", "nonchar\uffff", "astral \U0001f600", "Ünïcødé – “quotes”"),
]


@pytest.mark.parametrize("text", TRICKY)
def test_a_scalar_loads_back_as_exactly_its_text(text: str) -> None:
    assert yaml.safe_load(f"key: {yaml_scalar(text)}\n") == {"key": text}


def test_tricky_texts_survive_the_reportgen_loader_too() -> None:
    lines = [t for t in TRICKY if normalise(t) == t and t]
    source = "event:\n  title: T\ndays:\n  - title: D\n    sessions:\n      - code: A\n        title: S\n"
    source += "        outcomes:\n" + "".join(f"          - {yaml_scalar(t)}\n" for t in lines)
    outcomes = parse_model(source, Event, "t.yaml").sessions[0].outcomes
    assert tuple(outcome.source for outcome in outcomes) == tuple(lines)


def test_plain_safe_text_is_written_without_quotes() -> None:
    for text in ("Transparency & Traceability", "C# and F#", "24 June 2026", "It's fine", "a:b", "x-y"):
        assert yaml_scalar(text) == text


_LINE = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=60).filter(
    lambda t: normalise(t) == " ".join(t.split()) and bool(t.split())
)


@settings(max_examples=200, deadline=None)
@given(title=_LINE, session=_LINE, outcome=_LINE, wrap=_LINE)
def test_any_line_survives_import_yaml_and_load(title: str, session: str, outcome: str, wrap: str) -> None:
    def clean(text: str) -> str:
        return " ".join(text.split())

    notes = f"Notes: {title}\n\nDay 1 – {title}\n\nSession A: {session}\n\n• {outcome}\n  and {wrap}\n"
    result = import_notes(notes.encode(), "notes.txt")
    for event in (result.event, parse_model(result.yaml, Event, "again.yaml")):
        assert event.title == clean(f"Notes: {title}")
        assert event.days[0].title == clean(f"Day 1 – {title}")
        assert event.sessions[0].title == clean(session)
        assert event.sessions[0].outcomes == (clean(f"{outcome} and {wrap}"),)
    data = yaml.safe_load(result.yaml)
    assert data["event"]["title"] == result.event.title
    assert data["days"][0]["sessions"][0]["outcomes"] == [o.source for o in result.event.sessions[0].outcomes]


def test_control_characters_dropped_from_the_notes_are_each_reported_at_their_line() -> None:
    notes = "Forum\nDay 1\nSession A: Title\n- Ring the \x07bell\n- Escape \x1b[31mred\x1b[0m and NUL\x00 here\n"
    result = import_notes(notes.encode(), "notes.txt")
    assert result.event.sessions[0].outcomes == ("Ring the bell", "Escape [31mred[0m and NUL here")
    assert result.problems == [
        "notes.txt:4: removed the control character U+0007 (BEL), which no document can hold",
        "notes.txt:5: removed the control character U+0000 (NUL), which no document can hold",
        "notes.txt:5: removed the control character U+001B (ESC), which no document can hold",
    ]
    assert "# 3 problems to look at" in result.yaml


# -- Word documents: bold, italic and links become markup ---------------------------------------------------

_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_R_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_LINK_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


def _run(text: str, properties: str = "") -> str:
    return f'<w:r><w:rPr>{properties}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _para(*runs: str, listed: bool = True) -> str:
    numbering = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>' if listed else ""
    return f"<w:p>{numbering}{''.join(runs)}</w:p>"


def _hyperlink(rel_id: str, *runs: str) -> str:
    return f'<w:hyperlink r:id="{rel_id}">{"".join(runs)}</w:hyperlink>'


def test_bold_italic_and_links_in_a_word_document_become_markup_in_its_outcomes() -> None:
    body = [
        _para(_run("Forum"), listed=False),
        _para(_run("Day 1"), listed=False),
        _para(_run("Session A: Looks"), listed=False),
        _para(_run("Read "), _run("the guide", "<w:b/>"), _run(" at "), _hyperlink("rId9", _run("our site")),
              _run(", "), _run("now", "<w:i/>"), _run(".")),
        _para(_run("Both ", "<w:b/><w:i/>"), _run("bold", "<w:b/>"), _run(" and "),
              _run("not bold", '<w:b w:val="0"/>'), _run(" via "), _run("Strong", '<w:rStyle w:val="Strong"/>')),
        _para(_run("2 * 3 "), _run("is", "<w:i/>"), _run(" [x] "), _hyperlink("rId10", _run("no link"))),
        _para(_run("• "), _run("Typed", "<w:b/>"), _run(" bullet, "), _hyperlink("rId11", _run(" mail "))),
        _para(_run("Typed *stars*, "), _hyperlink("rId12", _run("internal"))),
    ]  # fmt: skip
    styles = (f'<w:styles {_W_NS}><w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/>'
              "<w:rPr><w:b/></w:rPr></w:style></w:styles>")  # fmt: skip
    targets = {"rId9": "https://example.org/guide", "rId10": "javascript:alert(1)",
               "rId11": "mailto:team@example.org", "rId12": "media/image1.png"}  # fmt: skip
    rels = "".join(
        f'<Relationship Id="{rel_id}" Type="{_LINK_TYPE}" Target="{target}" TargetMode="External"/>'
        for rel_id, target in targets.items()
    )
    notes = _zip({
        "word/document.xml": f"<w:document {_W_NS} {_R_NS}><w:body>{''.join(body)}</w:body></w:document>".encode(),
        "word/styles.xml": styles.encode(),
        "word/_rels/document.xml.rels":
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}'
            "</Relationships>".encode(),
    })  # fmt: skip
    result = import_notes(notes, "looks.docx")
    assert result.problems == []
    written = yaml.safe_load(result.yaml)["days"][0]["sessions"][0]["outcomes"]
    assert written == [
        "Read **the guide** at [our site](https://example.org/guide), *now*.",
        "***Both* bold** and not bold via **Strong**",
        "2 * 3 *is* [x] no link",  # only http, https and mailto targets are links
        "**Typed** bullet, [mail](mailto:team@example.org)",
        "Typed \\*stars\\*, internal",  # no looks: escaped where it would be markup, as for any plain outcome
    ]
    looks = [[(run.text, run.bold, run.italic, run.link) for run in outcome.runs]
             for outcome in parse_model(result.yaml, Event, "again.yaml").sessions[0].outcomes]  # fmt: skip
    assert looks == [
        [("Read ", False, False, None), ("the guide", True, False, None), (" at ", False, False, None),
         ("our site", False, False, "https://example.org/guide"), (", ", False, False, None),
         ("now", False, True, None), (".", False, False, None)],
        [("Both", True, True, None), (" bold", True, False, None), (" and not bold via ", False, False, None),
         ("Strong", True, False, None)],
        [("2 * 3 ", False, False, None), ("is", False, True, None), (" [x] no link", False, False, None)],
        [("Typed", True, False, None), (" bullet, ", False, False, None),
         ("mail", False, False, "mailto:team@example.org")],
        [("Typed *stars*, internal", False, False, None)],
    ]  # fmt: skip
    assert [str(outcome) for outcome in result.event.sessions[0].outcomes] == [
        "Read the guide at our site, now.",
        "Both bold and not bold via Strong",
        "2 * 3 is [x] no link",
        "Typed bullet, mail",
        "Typed *stars*, internal",
    ]


@pytest.mark.parametrize(
    "notes",
    [
        "Notes\n\nDay 1\n\nSession A: \xad\n\n- outcome one\n",  # a title only a soft hyphen
        "Notes\n\nDay 1\n\nSession A: Real\n\n- \u200b\n- fine\n",  # an outcome only a zero-width space
        "\ufeff\u200b\n\nDay 1\n\nSession A: T\n\n- x\u3164y\n",  # an invisible title line; a Hangul filler
    ],
)
def test_text_that_draws_nothing_never_reaches_the_source(notes: str) -> None:
    result = import_notes(notes.encode(), "n.txt")  # before: RuntimeError, an invalid event from valid notes
    loaded = parse_model(result.yaml, Event, "again.yaml")
    texts = [loaded.title, *(s.title for s in loaded.sessions), *(o for s in loaded.sessions for o in s.outcomes)]
    assert all(t.strip("\u00ad\u200b\ufeff") for t in texts)
