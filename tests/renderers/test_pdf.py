"""Specifications of the PDF brief, checked by reading the rendered bytes back with pypdf."""

from __future__ import annotations

import io
import re
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import Destination

from reportgen import fonts
from reportgen.errors import RenderError, Reporter
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers import get
from reportgen.renderers.pdf import RENDERER
from reportgen.theme import Theme

STANDARD_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}
PT_PER_MM = 72 / 25.4
DATES = re.compile(rb"/(?:CreationDate|ModDate) \(D:[^)]*\)")


def render(event: Event, options: RenderOptions, reporter: Reporter | None = None) -> bytes:
    return RENDERER.render(event, options, reporter if reporter is not None else Reporter())


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def flat(text: str) -> str:
    """Extracted text with every run of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


def text_of(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in read(data).pages))


def lines_of(page: Any) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text run on the page, in drawing order, in page coordinates."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            runs.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def outline_of(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page index) of every outline entry, in document order."""
    entries: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                assert isinstance(item, Destination)
                page = reader.get_destination_page_number(item)
                assert item.title is not None and page is not None
                entries.append((level, item.title, page))

    walk(reader.outline, 0)
    return entries


def advance_widths(family: str) -> dict[str, float]:
    """Character -> advance width in ems of the family's regular face, as the renderer resolves it."""
    path, _ = fonts.require_font(family)
    with TTFont(path, lazy=True) as font:
        em = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        return {chr(code): hmtx[glyph][0] / em for code, glyph in font.getBestCmap().items()}


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"{needle!r} missing (or out of order) after position {position}"
        position = found + len(needle)


def event_of(*sessions: dict[str, Any], **meta: str) -> Event:
    return Event.model_validate(
        {"event": {"title": "Brief", **meta}, "days": [{"title": "Day 1", "sessions": list(sessions)}]}
    )


def long_event(days: int = 3, sessions: int = 6, outcomes: int = 4) -> Event:
    text = "Outcome {} of session {}{} states what the room agreed, in a sentence of an ordinary length."
    return Event.model_validate(
        {
            "event": {"title": "A long brief"},
            "days": [
                {
                    "title": f"Day {d + 1}",
                    "sessions": [
                        {
                            "code": chr(65 + s),
                            "title": f"Session {d + 1}{chr(65 + s)}",
                            "moderator": f"Chair {d + 1}{chr(65 + s)}",
                            "outcomes": [text.format(o + 1, d + 1, chr(65 + s)) for o in range(outcomes)],
                        }
                        for s in range(sessions)
                    ],
                }
                for d in range(days)
            ],
        }
    )


def test_is_registered_as_pdf_with_the_pdf_suffix() -> None:
    assert get("pdf") is RENDERER
    assert (RENDERER.name, RENDERER.suffix) == ("pdf", ".pdf")


def test_every_session_title_and_outcome_appears_in_order(example_event: Event, options: RenderOptions) -> None:
    text = text_of(render(example_event, options))
    expected = [example_event.title]
    for day in example_event.days:
        expected.append(day.title)
        for session in day.sessions:
            expected += [session.heading, *session.outcomes]
    assert_in_order(text, expected)


def test_every_outcome_is_a_bullet_with_a_hanging_indent(full_event: Event, options: RenderOptions) -> None:
    data = render(full_event, options)
    text = text_of(data)
    for outcome in (o for s in full_event.sessions for o in s.outcomes):
        assert f"• {outcome}" in text
    runs = [run for page in read(data).pages for run in lines_of(page)]
    bullets = [x for x, _, text in runs if text == "•"]
    assert len(bullets) == full_event.outcome_count
    # The outcome that wraps: its second line starts where its first line's text starts, right of the bullet.
    first = next(i for i, run in enumerate(runs) if run[2].startswith("Coordinate long term action"))
    (bullet_x, _, _), (text_x, _, _), (wrapped_x, _, wrapped) = runs[first - 1 : first + 2]
    assert wrapped == "labour worldwide."
    assert bullet_x < text_x
    assert wrapped_x == pytest.approx(text_x)


def test_headings_and_outcomes_are_set_in_the_themes_faces_and_sizes(seed_event: Event, options: RenderOptions) -> None:
    theme = options.theme
    styles: dict[str, set[tuple[str, float]]] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            styles.setdefault(text.strip(), set()).add((str(font["/BaseFont"]).split("+")[-1], size))

    for page in read(render(seed_event, options)).pages:
        page.extract_text(visitor_text=visit)
    footer = ("Carlito", max(theme.body_size * 0.75, 7))
    assert styles[seed_event.title] == {("Carlito-Bold", theme.title_size), footer}
    assert styles[seed_event.days[0].title] == {("Carlito-Bold", theme.heading1_size)}
    assert styles["B: Transparency & Traceability"] == {("Carlito-Bold", theme.heading2_size)}
    assert styles["Avoid reinventing the wheel."] == {("Carlito", theme.body_size)}


def test_title_block_shows_subtitle_and_the_given_details_in_one_line(
    full_event: Event, seed_event: Event, options: RenderOptions
) -> None:
    meta = full_event.meta
    text = text_of(render(full_event, options))
    assert meta.subtitle is not None
    assert_in_order(text, [meta.title, meta.subtitle, f"{meta.date} · {meta.venue} · {meta.organiser}"])
    partial = event_of({"code": "A", "title": "Only", "outcomes": ["One."]}, date="1 May 2026", organiser="The Board")
    assert "1 May 2026 · The Board" in text_of(render(partial, options))
    assert "·" not in text_of(render(seed_event, options))


def test_moderator_and_rapporteur_appear_under_their_session_when_given(
    full_event: Event, options: RenderOptions
) -> None:
    text = text_of(render(full_event, options))
    for session in full_event.sessions:
        assert_in_order(
            text,
            [
                session.heading,
                f"Moderator {session.moderator} · Rapporteur {session.rapporteur}",
                session.outcomes[0],
            ],
        )
    alone = event_of({"code": "A", "title": "T", "rapporteur": "Ann", "outcomes": ["One."]})
    assert "A: T Rapporteur Ann • One." in text_of(render(alone, options))


def test_speaker_notes_stay_out_of_the_brief(full_event: Event, options: RenderOptions) -> None:
    text = text_of(render(full_event, options))
    for session in full_event.sessions:
        assert session.notes
        assert flat(session.notes)[:30] not in text


def test_every_page_has_the_running_footer_with_page_x_of_y(options: RenderOptions) -> None:
    pages = read(render(long_event(), options)).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = page.extract_text().splitlines()
        assert lines[:2] == ["A long brief", f"Page {number} of {len(pages)}"]


def test_footer_shows_the_themes_footer_text_instead_of_the_title_when_set(
    seed_event: Event, options: RenderOptions
) -> None:
    themed = replace(options, theme=Theme(footer_text="Confidential – draft"))
    for page in read(render(seed_event, themed)).pages:
        assert page.extract_text().splitlines()[0] == "Confidential – draft"


def test_footer_shortens_a_title_too_long_for_one_line(options: RenderOptions) -> None:
    title = "A very long event title " * 12
    data = render(event_of({"code": "A", "title": "T", "outcomes": ["One."]}, **{"title": title.strip()}), options)
    footer = read(data).pages[0].extract_text().splitlines()[0]
    assert footer.endswith("…")
    assert len(footer) < len(title)


def test_a_session_heading_never_ends_a_page(options: RenderOptions) -> None:
    event = long_event(days=2, sessions=9, outcomes=3)
    headings = {s.heading for s in event.sessions} | {d.title for d in event.days}
    headings |= {f"Moderator {s.moderator}" for s in event.sessions}
    pages = read(render(event, options)).pages
    assert len(pages) >= 2
    for page in pages[:-1]:
        last = page.extract_text().splitlines()[-1].strip()
        assert last not in headings


def test_outline_has_each_day_with_its_sessions_as_children_in_order(
    example_event: Event, options: RenderOptions
) -> None:
    reader = read(render(example_event, options))
    entries = outline_of(reader)
    expected = []
    for day in example_event.days:
        expected.append((0, day.title))
        expected += [(1, session.heading) for session in day.sessions]
    assert [(level, title) for level, title, _ in entries] == expected
    # Each entry leads to the page where its heading is printed.
    for _, title, page in entries:
        assert title in flat(reader.pages[page].extract_text())
    assert str(reader.root_object["/PageMode"]) == "/UseOutlines"


def test_a_heading_broken_over_two_pages_has_one_outline_entry(options: RenderOptions) -> None:
    event = event_of(
        {"code": "A", "title": "Filler", "outcomes": ["Line."] * 30},
        {"code": "B", "title": " ".join(["Endless"] * 700), "outcomes": ["Kept."]},
        {"code": "C", "title": "After", "outcomes": ["Last."]},
    )
    reader = read(render(event, options))
    entries = [(title[:10], page) for level, title, page in outline_of(reader) if level == 1]
    assert [title for title, _ in entries] == ["A: Filler", "B: Endless", "C: After"]
    title_page = entries[1][1]
    assert flat(reader.pages[title_page].extract_text()).count("B: Endless") == 1


def test_outline_entries_point_to_later_pages_in_a_long_brief(options: RenderOptions) -> None:
    pages = [page for level, _, page in outline_of(read(render(long_event(), options))) if level == 0]
    assert pages == sorted(pages)
    assert pages[-1] > 0


def test_metadata_names_title_author_subject_creator_and_language(full_event: Event, options: RenderOptions) -> None:
    reader = read(render(full_event, options))
    info = reader.metadata
    assert info is not None
    assert info.title == full_event.meta.title
    assert info.author == "Alliance 8.7 Secretariat & Partners"
    assert info.subject == full_event.meta.subtitle
    assert info.creator == "reportgen"
    assert str(reader.root_object["/Lang"]) == "en-GB"


def test_language_defaults_to_the_models_default(seed_event: Event, options: RenderOptions) -> None:
    assert str(read(render(seed_event, options)).root_object["/Lang"]) == seed_event.meta.language == "en"


def test_dates_are_the_build_time(seed_event: Event, options: RenderOptions) -> None:
    info = read(render(seed_event, options)).metadata
    assert info is not None
    assert info.creation_date_raw == info.modification_date_raw == "D:20260625173000+00'00'"


def test_a_build_time_in_another_zone_is_written_in_utc(seed_event: Event) -> None:
    from datetime import timedelta, timezone

    when = datetime(2026, 6, 25, 19, 30, tzinfo=timezone(timedelta(hours=2)))
    info = read(render(seed_event, RenderOptions(build_time=when))).metadata
    assert info is not None
    assert info.creation_date_raw == "D:20260625173000+00'00'"


def test_all_fonts_are_embedded_truetype_and_none_is_a_standard_14_font(
    example_event: Event, options: RenderOptions
) -> None:
    data = render(example_event, options)
    seen = 0
    for page in read(data).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            base = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"]
            assert base not in STANDARD_14
            seen += 1
    assert seen >= 2  # body and heading faces
    for name in STANDARD_14:
        assert name.encode() not in data


def test_every_accented_letter_and_typographic_mark_survives(full_event: Event, options: RenderOptions) -> None:
    reporter = Reporter()
    text = text_of(render(full_event, options, reporter))
    for word in [
        "Amélie Lefèvre",
        "João Gonçalves",
        "Søren Kierkegaard-Møller",
        "Zoë Brontë",
        "Łukasz Żółkiewski",
    ]:
        assert word in text
    for mark in "–—…“”’·":
        if mark != "—":  # the em dash lives in the notes, which the brief leaves out
            assert mark in text
    assert reporter.warnings == []
    # And the embedded face really carries every such character, so none prints as a box.
    assert set("àéîõüçñøåæœßłżśźćńő–—…“”‘’•·") <= set(advance_widths(options.theme.body_font))


def test_user_text_that_looks_like_markup_is_printed_literally(options: RenderOptions) -> None:
    tricky = ["R&D", "x < y", "<b>not bold</b>", '<img src="/etc/passwd"/>', "&amp; stays", "<font size=40>"]
    event = event_of(
        {"code": "<i>", "title": "<b>Bold?</b> & more", "moderator": "<br/>", "outcomes": tricky},
        subtitle="<u>x</u>",
    )
    text = text_of(render(event, options))
    assert_in_order(text, ["<u>x</u>", "<i>: <b>Bold?</b> & more", "Moderator <br/>", *tricky])


def test_a_long_unbroken_word_wraps_inside_the_margins(options: RenderOptions) -> None:
    url = "https://example.org/" + "a1b2c3d4e5" * 28
    data = render(event_of({"code": "A", "title": "Links", "outcomes": [f"See {url} for more."]}), options)
    page = read(data).pages[0]
    assert url in "".join(page.extract_text().split())
    width = float(page.mediabox.width)
    right = width - options.theme.margin_mm * PT_PER_MM
    widths = advance_widths(options.theme.body_font)
    pieces = [(x, text) for x, _, text in lines_of(page) if "a1b2" in text]
    assert len(pieces) >= 2
    for x, text in pieces:
        assert x + sum(widths[ch] for ch in text) * options.theme.body_size <= right + 0.5


@pytest.mark.parametrize(("paper", "size"), [("A4", (595.3, 841.9)), ("Letter", (612.0, 792.0))])
def test_page_size_follows_the_options(
    seed_event: Event, options: RenderOptions, paper: str, size: tuple[float, float]
) -> None:
    for page in read(render(seed_event, replace(options, paper=paper))).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.1)


def test_page_size_defaults_to_the_themes(seed_event: Event, options: RenderOptions) -> None:
    letter = replace(options, theme=Theme(page_size="Letter"))
    assert float(read(render(seed_event, letter)).pages[0].mediabox.width) == pytest.approx(612)


def test_an_unknown_page_size_is_a_render_error(seed_event: Event, options: RenderOptions) -> None:
    with pytest.raises(RenderError, match="unknown page size 'A3'"):
        render(seed_event, replace(options, paper="A3"))


def test_a_missing_font_family_falls_back_with_a_warning(seed_event: Event, options: RenderOptions) -> None:
    reporter = Reporter()
    themed = replace(options, theme=Theme(body_font="No Such Family 9000"))
    data = render(seed_event, themed, reporter)
    assert reporter.warnings == ["font 'No Such Family 9000' is not installed; the PDF uses DejaVu Sans instead"]
    assert seed_event.sessions[0].outcomes[0] in text_of(data)


def test_same_event_and_options_give_identical_bytes_at_any_wall_clock_time(
    example_event: Event, options: RenderOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render(example_event, options)
    # Ten years later, in another zone, with a SOURCE_DATE_EPOCH that reportlab itself would honour.
    later = time.time() + 10 * 365 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setenv("TZ", "America/Sao_Paulo")
    time.tzset()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    try:
        second = render(example_event, options)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert first == second


def test_a_different_build_time_changes_only_the_dates(seed_event: Event, options: RenderOptions) -> None:
    first = render(seed_event, options)
    second = render(seed_event, replace(options, build_time=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)))
    assert first != second
    assert DATES.sub(b"", first) == DATES.sub(b"", second)
    info = read(second).metadata
    assert info is not None
    assert info.creation_date_raw == "D:20300102030405+00'00'"


def test_the_document_id_is_a_fingerprint_of_the_content(seed_event: Event, options: RenderOptions) -> None:
    ids = []
    for title in ("One title", "Another title"):
        changed = seed_event.model_copy(update={"meta": seed_event.meta.model_copy(update={"title": title})})
        trailer_id: Any = read(render(changed, options)).trailer["/ID"]
        assert trailer_id[0] == trailer_id[1]
        ids.append(bytes(trailer_id[0].original_bytes))
    assert ids[0] != ids[1]


def test_a_character_the_font_cannot_draw_is_reported(options: RenderOptions) -> None:
    reporter = Reporter()
    render(event_of({"code": "A", "title": "Kanji", "outcomes": ["Write 漢 here."]}), options, reporter)
    assert reporter.warnings == ["font 'Calibri' has no glyph for U+6F22 '漢'; the PDF shows boxes instead"]
