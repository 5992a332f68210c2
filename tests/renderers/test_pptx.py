"""The deck renderer: the slide plan, the emitted deck as python-pptx reads it, fit by measurement, and
the pages LibreOffice draws from it."""

from __future__ import annotations

import io
import itertools
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Emu, Length

from reportgen.errors import RenderError, Reporter
from reportgen.loader import from_data, load_event
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers import get
from reportgen.renderers.pptx import RENDERER, plan_slides
from reportgen.renderers.pptx.emit import logo_ink
from reportgen.renderers.pptx.spec import Canvas, Role, SlideKind, canvas_for, cover_ground
from reportgen.renderers.pptx.template import Template
from reportgen.text.fonts import find_font, font_stack, metrics, require_font, uncovered
from reportgen.text.scripts import is_rtl, slot
from reportgen.theme import DEFAULT_THEME, Theme, load_theme
from reportgen.words import event_summary

from ..conftest import DATA, png_bytes
from ..office import to_pdf
from .pptx_measure import Inherited, needed_height, shaped_width, text_area_height
from .pptx_templates import (
    BODY_FONT,
    FRENCH,
    GERMAN,
    OLD_SLIDE_TEXT,
    RENAMED,
    TITLE_FONT,
    Made,
    make_template,
)

WIDE = (Emu(12192000), Emu(6858000))  # 13.333 x 7.5 in
Chunk = tuple[str, float, float]  # text drawn on a PDF page, x and baseline y in points from bottom left

_WORDS = (
    "stakeholders agree that responsible sourcing requires transparent monitoring shared metrics community "
    "participation and sustained investment in remediation across every tier of the supply chain while "
    "governments set adequate minimum wages and companies publish their findings openly"
)
_VOCABULARY = tuple(_WORDS.split())


def _long_outcome(n: int) -> str:
    words = 20 + n % 6  # 20 to 25 words
    return f"Outcome {n + 1}: " + " ".join(_VOCABULARY[(n * 7 + k) % len(_VOCABULARY)] for k in range(words - 2)) + "."


def _event(*sessions: dict[str, Any], title: str = "Long outcomes", language: str = "fr", days: int = 1) -> Event:
    return from_data(
        Event,
        {
            "event": {"title": title, "language": language, "organiser": "The Secretariat"},
            "days": [{"title": f"Day {d + 1}", "sessions": list(sessions)} for d in range(days)],
        },
    )


@pytest.fixture(scope="module")
def long_event() -> Event:
    """One session with 12 outcomes of 20-25 words each: too many for one slide."""
    return _event(
        {
            "code": "A",
            "title": "Twelve long outcomes",
            "outcomes": [_long_outcome(n) for n in range(12)],
            "notes": "Read the first three aloud.",
            "moderator": "Jane Doe",
            "rapporteur": "John Roe",
        }
    )


def deck_of(event: Event, options: RenderOptions, report: Reporter | None = None) -> Any:
    return Presentation(io.BytesIO(RENDERER.render(event, options, report or Reporter())))


def titles(deck: Any) -> list[str]:
    return [slide.shapes.title.text for slide in deck.slides]


def shape_named(slide: Any, name: str) -> Any:
    return next((shape for shape in slide.shapes if shape.name == name), None)


def body_paragraphs(slide: Any) -> list[Any]:
    body = shape_named(slide, "Body")
    return [] if body is None else list(body.text_frame.paragraphs)


# --- plan_slides ---------------------------------------------------------------------------------------


def test_the_plan_is_title_agenda_then_each_day_and_its_sessions(example_event: Event) -> None:
    plan = plan_slides(example_event, DEFAULT_THEME, Reporter())
    expected = [(SlideKind.TITLE, example_event.title), (SlideKind.AGENDA, example_event.meta.words.agenda)]
    for day in example_event.days:
        expected.append((SlideKind.SECTION, day.title))
        expected += [(SlideKind.SESSION, s.heading) for s in day.sessions]
    expected.append((SlideKind.CLOSING, event_summary(example_event, example_event.meta.words)))
    # An agenda too long for one slide continues (by day) on the next.
    first_agenda = [s for s in plan if not (s.kind is SlideKind.AGENDA and s.title != expected[1][1])]
    assert [(s.kind, s.title) for s in first_agenda] == expected


def test_the_agenda_lists_every_day_then_its_sessions_by_code_and_title(example_event: Event) -> None:
    agenda = [s for s in plan_slides(example_event, DEFAULT_THEME, Reporter()) if s.kind is SlideKind.AGENDA]
    expected = []
    for day in example_event.days:
        expected.append((Role.DAY, "", day.title))
        expected += [(Role.ENTRY, s.code, s.title) for s in day.sessions]
    continued = example_event.meta.words.continued_title
    paras = [p for slide in agenda for p in slide.body if not (p.role is Role.DAY and p.text.startswith(continued("")))]
    assert [(p.role, p.label, p.text) for p in paras if not p.text.endswith(continued("").strip())] == expected


def test_an_agenda_too_long_for_one_slide_continues_and_repeats_the_day() -> None:
    sessions = [
        {"code": f"S{n}", "title": f"Session number {n} about supply chains", "outcomes": ["x"]} for n in range(30)
    ]
    plan = plan_slides(_event(*sessions, days=2), DEFAULT_THEME, Reporter())
    agenda = [s for s in plan if s.kind is SlideKind.AGENDA]
    assert len(agenda) >= 3
    # The event is in French (_event's default), so are the words the deck adds.
    assert agenda[0].title == "Programme"
    assert all(s.title.startswith("Programme (suite") for s in agenda[1:])
    entries = [p.text for s in agenda for p in s.body if p.role is Role.ENTRY]
    assert entries == [s["title"] for s in sessions] * 2
    # A slide never starts without its day's title, and never ends on one.
    for slide in agenda:
        assert slide.body[0].role is Role.DAY
        assert slide.body[-1].role is not Role.DAY
    assert any(p.text == "Day 1 (suite)" for s in agenda for p in s.body)


def test_each_day_has_a_section_slide_before_its_sessions(full_event: Event) -> None:
    plan = plan_slides(full_event, DEFAULT_THEME, Reporter())
    sections = [n for n, s in enumerate(plan) if s.kind is SlideKind.SECTION]
    assert [plan[n].title for n in sections] == [d.title for d in full_event.days]
    assert [plan[n + 1].title for n in sections] == [d.sessions[0].heading for d in full_event.days]


def test_each_session_has_one_slide_with_its_outcomes_as_bullets_and_notes(example_event: Event) -> None:
    report = Reporter()
    plan = [s for s in plan_slides(example_event, DEFAULT_THEME, report) if s.kind is SlideKind.SESSION]
    assert [s.title for s in plan] == [s.heading for s in example_event.sessions]
    assert [s.bullets for s in plan] == [s.outcomes for s in example_event.sessions]
    assert [s.notes for s in plan] == [s.notes or "" for s in example_event.sessions]
    assert report.warnings == []


def test_a_session_of_twelve_long_outcomes_continues_on_a_continued_slide(long_event: Event) -> None:
    report = Reporter()
    slides = [s for s in plan_slides(long_event, DEFAULT_THEME, report) if s.kind is SlideKind.SESSION]
    count = len(slides)
    assert [s.title for s in slides] == ["A: Twelve long outcomes"] + [
        f"A: Twelve long outcomes (suite, {n} sur {count})" for n in range(2, count + 1)
    ]
    assert [b for s in slides for b in s.bullets] == list(long_event.sessions[0].outcomes)
    assert all(len(s.bullets) >= 2 for s in slides), "the outcomes are spread evenly, not piled on the first"
    body_sizes = {t.size for s in slides for t in s.texts if t.name == "Body"}
    assert len(body_sizes) == 1 and DEFAULT_THEME.slide_min_body_size <= body_sizes.pop()
    assert [s.notes for s in slides] == ["Read the first three aloud."] + [""] * (count - 1)
    assert report.warnings == [f"session 'A: Twelve long outcomes': 12 outcomes split over {count} slides"]


def test_the_body_size_steps_down_before_a_session_is_split() -> None:
    theme = DEFAULT_THEME
    outcomes = [_long_outcome(n) for n in range(4)]
    slide = plan_slides(_event({"code": "A", "title": "Four", "outcomes": outcomes}), theme, Reporter())[-2]
    body = next(t for t in slide.texts if t.name == "Body")
    assert slide.bullets == tuple(outcomes)
    assert theme.slide_min_body_size <= body.size < theme.slide_max_body_size


def test_more_than_two_slides_are_numbered_so_titles_stay_unique() -> None:
    outcomes = [_long_outcome(n) for n in range(30)]
    plan = plan_slides(_event({"code": "A", "title": "Thirty", "outcomes": outcomes}), DEFAULT_THEME, Reporter())
    names = [s.title for s in plan if s.kind is SlideKind.SESSION]
    count = len(names)
    assert count >= 3
    assert names == ["A: Thirty"] + [f"A: Thirty (suite, {n} sur {count})" for n in range(2, count + 1)]


def test_slide_titles_are_unique_even_when_sessions_repeat_a_heading(long_event: Event) -> None:
    twice = _event({"code": "A", "title": "Plenary", "outcomes": ["One."]}, days=2)
    for event in (twice, long_event):
        names = [s.title for s in plan_slides(event, DEFAULT_THEME, Reporter())]
        assert len(names) == len(set(names)), names
    names = [s.title for s in plan_slides(twice, DEFAULT_THEME, Reporter())]
    assert names[-2] == "A: Plenary (Day 2)"


def test_a_long_title_wraps_and_the_body_starts_below_it() -> None:
    title = "From global commitments to national workplans: a collaborative approach in pathfinder countries"
    slide = plan_slides(_event({"code": "C", "title": title, "outcomes": ["One."]}), DEFAULT_THEME, Reporter())[-2]
    heading, body = slide.texts[0], next(t for t in slide.texts if t.name == "Body")
    assert heading.box.h == pytest.approx(2 * heading.leading)
    assert body.box.y > heading.box.bottom


def test_an_outcome_too_long_for_any_slide_is_cut_at_a_line_boundary_with_a_warning() -> None:
    giant = " ".join(_VOCABULARY * 12)
    report = Reporter()
    event = _event({"code": "G", "title": "Giant", "outcomes": ["Short.", giant, "After."]})
    slides = [s for s in plan_slides(event, DEFAULT_THEME, report) if s.kind is SlideKind.SESSION]
    paras = [p for s in slides for p in s.body]
    assert [p.role for p in paras][:2] == [Role.BULLET, Role.BULLET]
    pieces = [p.text for p in paras if p.role is Role.CONTINUATION]
    assert pieces and " ".join([paras[1].text, *pieces]) == giant
    assert paras[-1].text == "After."
    assert any("too long for one slide" in w for w in report.warnings)


def test_the_plan_draws_on_the_theme_sizes() -> None:
    theme = replace(DEFAULT_THEME, slide_title_size=32, slide_max_body_size=34, slide_min_body_size=20)
    slide = plan_slides(_event({"code": "A", "title": "T", "outcomes": ["One."]}), theme, Reporter())[-2]
    assert (slide.texts[0].size, next(t for t in slide.texts if t.name == "Body").size) == (32, 34)


# --- emit ----------------------------------------------------------------------------------------------


def test_it_is_registered_as_pptx() -> None:
    assert get("pptx") is RENDERER
    assert (RENDERER.name, RENDERER.suffix) == ("pptx", ".pptx")


def test_the_deck_is_16_9(seed_event: Event, options: RenderOptions) -> None:
    deck = deck_of(seed_event, options)
    assert (deck.slide_width, deck.slide_height) == WIDE
    # The template's placeholders are stretched too, for slides that users add in PowerPoint.
    for owner in (deck.slide_master, *deck.slide_layouts):
        for shape in owner.placeholders:
            assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width, (owner.name, shape.name)
    assert max(s.left + s.width for s in deck.slide_master.placeholders) > 0.9 * deck.slide_width


def test_slides_come_in_plan_order_with_their_titles_as_title_placeholders(
    example_event: Event, options: RenderOptions
) -> None:
    deck = deck_of(example_event, options)
    assert titles(deck) == [s.title for s in plan_slides(example_event, options.theme, Reporter())]
    assert titles(deck)[:2] == [example_event.title, example_event.meta.words.agenda]


def _is_bulleted(paragraph: Any) -> bool:
    ppr = paragraph._p.pPr
    return (
        ppr is not None
        and ppr.find(qn("a:buChar")) is not None
        and int(ppr.get("marL")) > 0
        and int(ppr.get("indent")) == -int(ppr.get("marL"))
        and not paragraph.text.startswith(("•", "-", "*"))
    )


def test_every_outcome_appears_in_order_as_a_bulleted_paragraph_on_its_sessions_slide(
    example_event: Event, options: RenderOptions
) -> None:
    deck = deck_of(example_event, options)
    by_title = {slide.shapes.title.text: slide for slide in deck.slides}
    for session in example_event.sessions:
        paragraphs = body_paragraphs(by_title[session.heading])
        assert [p.text for p in paragraphs] == list(session.outcomes)
        # A single outcome is a statement in large type, without a bullet.
        assert all(_is_bulleted(p) == (len(session.outcomes) > 1) for p in paragraphs)


def test_split_outcomes_stay_in_order_and_bulleted_across_continued_slides(
    long_event: Event, options: RenderOptions
) -> None:
    deck = deck_of(long_event, options)
    slides = [s for s in deck.slides if s.shapes.title.text.startswith("A: Twelve long outcomes")]
    count = len(slides)
    assert [s.shapes.title.text for s in slides] == ["A: Twelve long outcomes"] + [
        f"A: Twelve long outcomes (suite, {n} sur {count})" for n in range(2, count + 1)
    ]
    paragraphs = [p for s in slides for p in body_paragraphs(s)]
    assert [p.text for p in paragraphs] == list(long_event.sessions[0].outcomes)
    assert all(_is_bulleted(p) for p in paragraphs)


def test_the_agenda_slide_lists_days_and_sessions_by_code_and_title(
    example_event: Event, options: RenderOptions
) -> None:
    deck = deck_of(example_event, options)
    agenda = [s for s in deck.slides if s.shapes.title.text.startswith(example_event.meta.words.agenda)]
    expected = []
    for day in example_event.days:
        expected += [day.title, *(f"{s.code}\t{s.title}" for s in day.sessions)]
    lead_in = example_event.meta.words.continued_title("")
    texts = [p.text for s in agenda for p in body_paragraphs(s) if not p.text.endswith(lead_in.strip())]
    assert texts == expected


def test_session_notes_are_in_the_notes_slides(full_event: Event, options: RenderOptions) -> None:
    deck = deck_of(full_event, options)
    by_title = {slide.shapes.title.text: slide for slide in deck.slides}
    for session in full_event.sessions:
        slide = by_title[session.heading]
        assert slide.has_notes_slide
        assert slide.notes_slide.notes_text_frame.text == session.notes
    assert not deck.slides[0].has_notes_slide


def test_moderator_and_rapporteur_are_in_a_muted_line_on_the_session_slide(
    full_event: Event, options: RenderOptions
) -> None:
    deck = deck_of(full_event, options)
    slide = next(s for s in deck.slides if s.shapes.title.text == full_event.sessions[0].heading)
    byline = shape_named(slide, "Byline")
    assert byline.text_frame.text == (
        "Moderator: Dr Amélie Lefèvre, OECD Centre for Responsible Business Conduct · Rapporteur: João Gonçalves"
    )
    assert str(byline.text_frame.paragraphs[0].runs[0].font.color.rgb) == options.theme.muted.lstrip("#")


def test_the_title_slide_shows_title_subtitle_and_date_venue_organiser(
    full_event: Event, options: RenderOptions
) -> None:
    slide = deck_of(full_event, options).slides[0]
    texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text]
    meta = full_event.meta
    assert texts == [meta.title, meta.subtitle, f"{meta.date} · {meta.venue} · {meta.organiser}"]


def test_content_slides_have_a_footer_with_the_event_title_and_a_slide_number_field(
    seed_event: Event, options: RenderOptions
) -> None:
    deck = deck_of(seed_event, options)
    for number, slide in enumerate(deck.slides, start=1):
        footer, field = shape_named(slide, "Footer"), shape_named(slide, "Slide Number")
        if str(slide.background.fill.fore_color.rgb) == options.theme.primary.lstrip("#"):
            assert footer is None and field is None  # title and section slides are left clean
            continue
        assert footer.text_frame.text == seed_event.title
        fields = field.text_frame.paragraphs[0]._p.findall(qn("a:fld"))
        assert [(f.get("type"), field.text_frame.text) for f in fields] == [("slidenum", str(number))]


def _runs(deck: Any) -> Iterator[Any]:
    """Every run and field properties element (a:rPr) on every slide."""
    for slide in deck.slides:
        yield from slide._element.iter(qn("a:rPr"))


def test_every_run_is_tagged_with_the_event_language(full_event: Event, options: RenderOptions) -> None:
    deck = deck_of(full_event, options)
    assert {rpr.get("lang") for rpr in _runs(deck)} == {"en-GB"}
    notes = [s.notes_slide for s in deck.slides if s.has_notes_slide]
    assert {rpr.get("lang") for n in notes for rpr in n.notes_text_frame._txBody.iter(qn("a:rPr"))} == {"en-GB"}


def test_colours_and_fonts_all_come_from_the_theme(full_event: Event, options: RenderOptions) -> None:
    theme = Theme(
        primary="#102030",
        accent="#A01010",
        text="#222222",
        muted="#707070",
        background="#FAFAF0",
        heading_font="Cambria",
        body_font="Arial",
    )
    data = _bytes(full_event, replace(options, theme=theme))
    deck = Presentation(io.BytesIO(data))
    xml = b"".join(zipfile.ZipFile(io.BytesIO(data)).read(name) for name in _slide_names(deck))
    colours = set(re.findall(rb'srgbClr val="([0-9A-F]{6})"', xml))
    assert colours == {
        c.lstrip("#").encode() for c in (theme.primary, theme.accent, theme.text, theme.muted, theme.background)
    }
    assert set(re.findall(rb'typeface="([^"]+)"', xml)) == {b"Cambria", b"Arial"}


def _bytes(event: Event, options: RenderOptions) -> bytes:
    return RENDERER.render(event, options, Reporter())


def _slide_names(deck: Any) -> list[str]:
    return [slide.part.partname.lstrip("/") for slide in deck.slides]


def test_slide_and_notes_parts_are_numbered_in_order(full_event: Event, options: RenderOptions) -> None:
    deck = deck_of(full_event, options)
    assert _slide_names(deck) == [f"ppt/slides/slide{n}.xml" for n in range(1, len(deck.slides) + 1)]
    assert [s.slide_id for s in deck.slides] == list(range(256, 256 + len(deck.slides)))
    notes = [s.notes_slide.part for s in deck.slides if s.has_notes_slide]
    assert [n.partname for n in notes] == [f"/ppt/notesSlides/notesSlide{n}.xml" for n in range(1, len(notes) + 1)]


def test_document_properties_describe_the_event_and_use_the_build_time(
    full_event: Event, options: RenderOptions
) -> None:
    props = deck_of(full_event, options).core_properties
    stamp = options.timestamp.replace(tzinfo=None)
    meta = full_event.meta
    assert (props.title, props.subject, props.author, props.language) == (
        meta.title,
        meta.subtitle,
        meta.organiser,
        meta.language,
    )
    assert (props.created, props.modified, props.last_printed) == (stamp, stamp, stamp)
    assert (props.revision, props.last_modified_by, props.comments) == (1, "reportgen", "")


def test_the_same_event_and_options_give_the_same_bytes(full_event: Event, options: RenderOptions) -> None:
    assert _bytes(full_event, options) == _bytes(full_event, options)


def test_a_different_build_time_changes_only_the_timestamps(seed_event: Event, options: RenderOptions) -> None:
    later = replace(options, build_time=datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC))
    first, second = (zipfile.ZipFile(io.BytesIO(_bytes(seed_event, o))) for o in (options, later))
    assert first.namelist() == second.namelist()
    changed = [n for n in first.namelist() if first.read(n) != second.read(n)]
    assert changed == ["docProps/core.xml"]
    strip = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    assert strip.sub(b"", first.read(changed[0])) == strip.sub(b"", second.read(changed[0]))
    assert {i.date_time for i in second.infolist()} == {(2031, 2, 3, 4, 5, 6)}


# --- fit, by measurement -------------------------------------------------------------------------------


def _text_shapes(deck: Any) -> Iterator[tuple[int, Any]]:
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                yield number, shape


def assert_every_text_fits(deck: Any, inherited: Callable[[Any], Inherited | None] = lambda shape: None) -> None:
    """Every text shape lies on the slide, wraps, never autofits, and its text measured with the fonts the
    file names (or, on a template, those its placeholders give) needs no more height than it has."""
    for number, shape in _text_shapes(deck):
        where = f"slide {number}, {shape.name}"
        assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width, where
        assert shape.top >= 0 and shape.top + shape.height <= deck.slide_height, where
        frame = shape.text_frame
        assert frame.word_wrap is True and frame._bodyPr.find(qn("a:noAutofit")) is not None, where
        assert needed_height(shape, inherited(shape)) <= text_area_height(shape) + 0.01, where


@pytest.fixture(scope="module")
def long_titles_event() -> Event:
    """Every title, the byline and the footer too long for one line."""
    words = " ".join(_VOCABULARY[:22])
    event = _event(
        {"code": "LONG", "title": words.capitalize(), "outcomes": ["One."], "moderator": words, "rapporteur": words},
        title=f"The international conference on {words}",
    )
    meta = replace(event.meta, subtitle=words.capitalize(), date="24–25 June 2026", venue=words)
    day = replace(event.days[0], title=f"Day 1: {words}")
    return replace(event, meta=meta, days=(day,))


@pytest.mark.parametrize("which", ["long outcomes", "long titles", "seed", "full"])
def test_every_text_shape_lies_within_the_slide_and_its_measured_text_fits(
    which: str, request: pytest.FixtureRequest, options: RenderOptions
) -> None:
    fixture = {"long outcomes": "long_event", "long titles": "long_titles_event"}.get(which, f"{which}_event")
    assert_every_text_fits(deck_of(request.getfixturevalue(fixture), options))


def test_text_boxes_do_not_overlap(long_event: Event, full_event: Event, options: RenderOptions) -> None:
    for event in (long_event, full_event):
        for slide in deck_of(event, options).slides:
            boxes = sorted((s.top, s.top + s.height, s.name) for s in slide.shapes if s.has_text_frame)
            for (_, bottom, upper), (top, _, lower) in itertools.pairwise(boxes):
                if {upper, lower} != {"Footer", "Slide Number"}:
                    assert bottom <= top, f"{upper} runs into {lower}"


# --- as LibreOffice draws it ---------------------------------------------------------------------------


def _draw(decks: dict[str, bytes], folder: Path) -> dict[str, tuple[Any, list[Any]]]:
    """Convert decks to PDF with LibreOffice in one run; return each deck and its PDF pages by name."""
    from pypdf import PdfReader

    pdfs = to_pdf(decks, ".pptx", folder)
    return {name: (Presentation(str(folder / f"{name}.pptx")), list(PdfReader(pdfs[name]).pages)) for name in decks}


def _chunks(page: Any) -> tuple[str, list[Chunk]]:
    """The page's text, and each piece of it drawn, with its x and baseline y (PDF points, from bottom left)."""
    chunks: list[Chunk] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, _size: float) -> None:
        if text.strip():
            chunks.append((" ".join(text.split()), tm[4] + cm[4], tm[5] + cm[5]))

    flat = " ".join(page.extract_text(visitor_text=visit).split())
    return flat, chunks


def _assert_drawn_inside_the_shapes(slide: Any, page: Any, chunks: list[Chunk], where: str) -> None:
    """Every piece of text lies on the page and, vertically, within a text shape that holds it; a piece
    the PDF's text does not give back legibly (shaped Devanagari) within some text shape."""
    height, width = float(page.mediabox.height), float(page.mediabox.width)
    shapes = [s for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]
    for text, x, baseline in chunks:
        assert 0 <= x <= width and 0 <= baseline <= height, (where, text)
        if text == "•":
            homes = [s for s in shapes if s.name == "Body"]
        else:
            homes = [s for s in shapes if text in " ".join(s.text_frame.text.split())] or shapes
        # PDF y runs upwards: a shape spans from height - bottom to height - top.
        spans = [(height - Length(s.top + s.height).pt, height - Length(s.top).pt) for s in homes]
        assert any(low - 0.5 <= baseline <= high for low, high in spans), (
            f"{where}: {text!r} is drawn at y={baseline:.1f}, outside its shape"
        )


@pytest.mark.render
def test_libreoffice_draws_every_outcome_on_its_page_and_no_text_outside_its_shape(
    long_event: Event, options: RenderOptions, tmp_path: Path
) -> None:
    deck, pages = _draw({"long": _bytes(long_event, options)}, tmp_path)["long"]
    assert len(pages) == len(deck.slides)
    outcomes = list(long_event.sessions[0].outcomes)
    drawn = []
    for number, (slide, page) in enumerate(zip(deck.slides, pages, strict=True), start=1):
        assert float(page.mediabox.width) == pytest.approx(Length(deck.slide_width).pt, abs=0.1)
        flat, chunks = _chunks(page)
        on_page = [o for o in outcomes if o in flat]
        assert on_page == [p.text for p in body_paragraphs(slide) if p.text in outcomes]
        drawn += on_page
        _assert_drawn_inside_the_shapes(slide, page, chunks, f"slide {number}")
        for text, _, _ in chunks:
            assert text == "•" or any(
                text in " ".join(s.text_frame.text.split()) for s in slide.shapes if s.has_text_frame
            )
    assert drawn == outcomes


def _font_names(path: Path) -> set[str]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        return {str(font["name"].getDebugName(6))}


@pytest.mark.render
def test_libreoffice_draws_text_in_every_script_with_the_themes_fonts_inside_its_shapes(
    multilingual_event: Event, options: RenderOptions, tmp_path: Path, make_theme: Callable[..., Theme]
) -> None:
    template = _template_theme(make_theme, make_template(GERMAN, keep_types=False, size="4:3"))
    report = Reporter()
    decks = {
        "theme": RENDERER.render(multilingual_event, options, report),
        "template": RENDERER.render(multilingual_event, replace(options, theme=template), Reporter()),
    }
    # The fonts LibreOffice may use: the theme's stack, bold or not, and the template's own; for letters
    # no font of the stack has (reported as a warning), whatever it finds.
    families = [*options.theme.font_families, TITLE_FONT, BODY_FONT, "Calibri"]
    allowed = {n for f in families for bold in (False, True) if (p := find_font(f, bold)) for n in _font_names(p)}
    substituted = any("no font of the theme has" in w for w in report.warnings)
    for name, (deck, pages) in _draw(decks, tmp_path).items():
        assert len(pages) == len(deck.slides), name
        by_title = {s.shapes.title.text: n for n, s in enumerate(deck.slides)}
        for number, (slide, page) in enumerate(zip(deck.slides, pages, strict=True), start=1):
            flat, chunks = _chunks(page)
            _assert_drawn_inside_the_shapes(slide, page, chunks, f"{name}, slide {number}")
            fonts = {str(f["/BaseFont"]).split("+")[-1] for f in page["/Resources"]["/Font"].values()}
            unexpected = fonts - allowed
            assert not unexpected or substituted, (name, number, unexpected)
        for session in multilingual_event.sessions:
            slide = deck.slides[by_title[session.heading]]
            flat, chunks = _chunks(pages[by_title[session.heading]])
            bullets = [c for c in chunks if c[0] == "•"]
            # A single outcome is a statement, without a bullet.
            assert len(bullets) == (len(session.outcomes) if len(session.outcomes) > 1 else 0), (name, session.code)
            for outcome in session.outcomes:
                if not ({slot(ch) for ch in outcome} & {"complex"}):
                    assert "".join(outcome.split()) in "".join(flat.split()), (name, outcome)


# --- themes --------------------------------------------------------------------------------------------


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _runs_of(shape: Any) -> list[Any]:
    return [r for p in shape.text_frame.paragraphs for r in _run_props(p)]


def _run_props(paragraph: Any) -> list[Any]:
    return [child.find(qn("a:rPr")) for child in paragraph._p if child.tag in (qn("a:r"), qn("a:fld"))]


def _fill(rpr: Any) -> str | None:
    colour = rpr.find(f"{qn('a:solidFill')}/{qn('a:srgbClr')}")
    return None if colour is None else colour.get("val")


def _typeface(rpr: Any, tag: str = "a:latin") -> str | None:
    element = rpr.find(qn(tag))
    return None if element is None else element.get("typeface")


@pytest.fixture(scope="module", params=["default", "high-contrast", "print"])
def built_in_theme(request: pytest.FixtureRequest) -> Theme:
    return load_theme(request.param)


def test_each_built_in_theme_draws_the_deck_in_its_colours_fonts_and_sizes(
    seed_event: Event, options: RenderOptions, built_in_theme: Theme
) -> None:
    theme = built_in_theme
    deck = deck_of(seed_event, replace(options, theme=theme))
    cover = deck.slides[0]
    session = next(s for s in deck.slides if s.shapes.title.text.startswith("A: "))
    ground = cover_ground(theme)
    assert str(cover.background.fill.fore_color.rgb) == _hex(ground)
    assert str(session.background.fill.fore_color.rgb) == _hex(theme.background)
    cover_title = _runs_of(cover.shapes.title)[0]
    assert _fill(cover_title) == _hex(theme.primary if ground == theme.background else theme.background)
    label, _, title = _runs_of(session.shapes.title)
    assert (_typeface(title), _fill(title), _fill(label)) == (
        theme.heading_font,
        _hex(theme.primary),
        _hex(theme.accent),
    )
    assert int(title.get("sz")) <= 100 * theme.slide_title_size
    body = shape_named(session, "Body")
    for paragraph in body.text_frame.paragraphs:
        (run,) = _run_props(paragraph)
        assert (_typeface(run), _fill(run)) == (theme.body_font, _hex(theme.text))
        assert theme.slide_min_body_size * 100 <= int(run.get("sz")) <= theme.slide_max_body_size * 100
        bullet_colour = paragraph._p.pPr.find(f"{qn('a:buClr')}/{qn('a:srgbClr')}").get("val")
        assert bullet_colour == _hex(theme.accent)
    footer = _runs_of(shape_named(session, "Footer"))[0]
    assert (_typeface(footer), _fill(footer)) == (theme.body_font, _hex(theme.muted))
    assert int(footer.get("sz")) == 100 * round(theme.slide_min_body_size / 2)


def test_the_high_contrast_theme_never_sets_outcomes_below_26_pt(long_event: Event, options: RenderOptions) -> None:
    theme = load_theme("high-contrast")
    assert theme.slide_min_body_size == 26
    deck = deck_of(long_event, replace(options, theme=theme))
    sizes = {int(rpr.get("sz")) for s in deck.slides for p in body_paragraphs(s) for rpr in _run_props(p)}
    assert sizes and min(sizes) >= 2600


def test_a_theme_without_colour_gets_light_covers_marked_by_a_band(seed_event: Event, options: RenderOptions) -> None:
    theme = load_theme("print")
    assert cover_ground(theme) == theme.background
    cover = deck_of(seed_event, replace(options, theme=theme)).slides[0]
    bars = [s for s in cover.shapes if s.name == "Accent Bar"]
    band = next(b for b in bars if b.left == 0 and b.top == 0)
    assert band.height == cover.part.package.presentation_part.presentation.slide_height
    assert str(band.fill.fore_color.rgb) == _hex(theme.primary)
    assert cover_ground(DEFAULT_THEME) == DEFAULT_THEME.primary


def test_accent_rules_that_would_not_stand_out_on_a_cover_take_the_title_colour(
    seed_event: Event, options: RenderOptions
) -> None:
    theme = load_theme("high-contrast")  # a blue accent on a black cover: 2.4:1
    cover = deck_of(seed_event, replace(options, theme=theme)).slides[0]
    (rule,) = [s for s in cover.shapes if s.name == "Accent Bar"]
    assert str(rule.fill.fore_color.rgb) == _hex(theme.background)
    decorative = rule._element.find(f"{qn('p:nvSpPr')}/{qn('p:cNvPr')}/{qn('a:extLst')}")
    assert decorative is not None, "decoration is marked decorative for screen readers"


def test_the_footer_says_the_themes_footer_text(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    theme = make_theme(footer_text="Internal – do not circulate")
    deck = deck_of(seed_event, replace(options, theme=theme))
    assert {shape_named(s, "Footer").text_frame.text for s in deck.slides if shape_named(s, "Footer")} == {
        "Internal – do not circulate"
    }


FOUR_THREE = (Emu(9144000), Emu(6858000))  # 10 x 7.5 in


@pytest.mark.parametrize("which", ["long outcomes", "long titles", "full", "multilingual"])
def test_a_4_3_deck_is_10_by_7_5_inches_and_its_measured_text_still_fits(
    which: str, request: pytest.FixtureRequest, options: RenderOptions
) -> None:
    fixture = {"long outcomes": "long_event", "long titles": "long_titles_event"}.get(which, f"{which}_event")
    theme = replace(DEFAULT_THEME, slide_size="4:3")
    deck = deck_of(request.getfixturevalue(fixture), replace(options, theme=theme))
    assert (deck.slide_width, deck.slide_height) == FOUR_THREE
    assert_every_text_fits(deck)


def test_a_4_3_plan_keeps_every_box_on_the_narrower_slide(long_titles_event: Event) -> None:
    theme = replace(DEFAULT_THEME, slide_size="4:3")
    assert canvas_for(theme).width == 720
    for slide in plan_slides(long_titles_event, theme, Reporter()):
        for text in slide.texts:
            assert text.box.x >= 0 and text.box.right <= 720 and text.box.bottom <= 540, (slide.title, text.name)


# --- logo ----------------------------------------------------------------------------------------------

LOGO_ALT = "Alliance 8.7 logo"


def _pictures(slide: Any) -> list[Any]:
    return [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]


def _alt(picture: Any) -> str:
    return str(picture._element.find(f"{qn('p:nvPicPr')}/{qn('p:cNvPr')}").get("descr"))


def test_the_logo_is_on_the_title_slide_and_small_on_content_slides_with_its_alt_text(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    theme = make_theme(files={"logo.png": png_bytes(240, 80)}, logo="logo.png", logo_alt=LOGO_ALT)
    data = _bytes(seed_event, replace(options, theme=theme))
    deck = Presentation(io.BytesIO(data))
    plan = plan_slides(seed_event, theme, Reporter(), logo_ink=logo_ink(theme, canvas_for(theme)))
    for slide, spec in zip(deck.slides, plan, strict=True):
        pictures = _pictures(slide)
        if spec.kind is SlideKind.SECTION:
            assert pictures == []
            continue
        (logo,) = pictures
        assert _alt(logo) == LOGO_ALT
        assert logo.width / logo.height == pytest.approx(3.0, rel=1e-3), "the aspect ratio is kept"
        assert logo.left >= 0 and logo.left + logo.width <= deck.slide_width
        assert logo.top >= 0 and logo.top + logo.height <= deck.slide_height
        high = Length(logo.height).pt
        assert high <= 56 if spec.kind in (SlideKind.TITLE, SlideKind.CLOSING) else high <= 24
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text:
                apart = (
                    logo.top + logo.height <= shape.top
                    or shape.top + shape.height <= logo.top
                    or logo.left + logo.width <= shape.left
                    or shape.left + shape.width <= logo.left
                )
                assert apart, f"the logo covers {shape.name} on {spec.title!r}"
    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("ppt/media/")]
    assert media == ["ppt/media/image1.png"], "one image part, shared by every slide"


def test_a_logo_that_would_vanish_on_the_dark_cover_sits_on_a_light_plate(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    navy = png_bytes(240, 80, colour=(27, 58, 92))  # the default theme's primary colour
    white = png_bytes(240, 80, colour=(255, 255, 255))
    for image, plated in ((navy, True), (white, False)):
        theme = make_theme(files={"logo.png": image}, logo="logo.png", logo_alt=LOGO_ALT)
        cover = deck_of(seed_event, replace(options, theme=theme)).slides[0]
        plates = [s for s in cover.shapes if s.name == "Logo Plate"]
        assert bool(plates) is plated
        if plated:
            (plate,) = plates
            (logo,) = _pictures(cover)
            assert str(plate.fill.fore_color.rgb) == _hex(theme.background)
            assert plate.left < logo.left and logo.left + logo.width < plate.left + plate.width


# --- corporate templates -------------------------------------------------------------------------------

TEMPLATES: dict[str, tuple[dict[str, Any], tuple[str, str, str]]] = {
    # name: (how it is made, the layouts (cover, section, content) the deck must use)
    "english": ({}, ("Title Slide", "Section Header", "Title and Content")),
    # Names that say nothing and no layout types: found by their placeholders; no section layout is
    # recognisable, so section slides use the title slide's layout. Saved as a .potx.
    "renamed potx": (
        {"names": RENAMED, "keep_types": False, "potx": True},
        ("Acme Opener", "Acme Opener", "Acme Text Page"),
    ),
    "german 4:3": (
        {"names": GERMAN, "keep_types": False, "size": "4:3"},
        ("Titelfolie", "Abschnittsüberschrift", "Titel und Inhalt"),
    ),
    "french without a section layout": (
        {"names": FRENCH, "keep_types": False, "drop": ("Section Header",)},
        ("Diapositive de titre", "Diapositive de titre", "Titre et contenu"),
    ),
}


@pytest.fixture(params=sorted(TEMPLATES))
def template(request: pytest.FixtureRequest) -> tuple[str, Made, tuple[str, str, str]]:
    settings, layouts = TEMPLATES[request.param]
    return request.param, make_template(**settings), layouts


def _template_theme(make_theme: Callable[..., Theme], made: Made, **settings: Any) -> Theme:
    return make_theme(files={"brand.potx": made.data}, reference_pptx="brand.potx", **settings)


def _inherited(shape: Any) -> Inherited | None:
    """The font, weight and capitals a template placeholder gives runs that do not name their own."""
    if not shape.is_placeholder:
        return None
    kind = shape._element.find(f".//{qn('p:ph')}").get("type", "obj")
    font = {"title": TITLE_FONT, "ctrTitle": TITLE_FONT, "ftr": "Calibri", "sldNum": "Calibri"}.get(kind, BODY_FONT)
    layout = shape.part.slide_layout
    idx = shape.placeholder_format.idx
    source = next(p for p in layout.placeholders if p.placeholder_format.idx == idx)
    props = source._element.find(f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
    bold = props is not None and props.get("b") == "1"
    caps = props is not None and props.get("cap") == "all"
    return Inherited(font, bold, caps)


def test_a_template_gives_the_deck_its_slide_size_and_its_layouts_by_name_or_placeholder(
    template: tuple[str, Made, tuple[str, str, str]],
    full_event: Event,
    options: RenderOptions,
    make_theme: Callable[..., Theme],
) -> None:
    _, made, (cover, section, content) = template
    theme = _template_theme(make_theme, made)
    deck = deck_of(full_event, replace(options, theme=theme))
    assert (deck.slide_width, deck.slide_height) == (made.width, made.height)
    expected = {SlideKind.TITLE: cover, SlideKind.SECTION: section, SlideKind.AGENDA: content, SlideKind.CLOSING: cover}
    expected[SlideKind.SESSION] = content
    plan = plan_slides(full_event, theme, Reporter(), Canvas(made.width / 12700, made.height / 12700))
    assert [s.slide_layout.name for s in deck.slides] == [expected[s.kind] for s in plan]
    assert titles(deck) == [s.title for s in plan]


def _reachable(package: zipfile.ZipFile) -> set[str]:
    """Every part reached from the package's relationships, walked from the root."""
    seen: set[str] = set()
    todo = ["_rels/.rels"]
    while todo:
        rels_name = todo.pop()
        base = rels_name.replace("_rels/", "").removesuffix(".rels")
        folder = base.rsplit("/", 1)[0] if "/" in base else ""
        for rel in re.finditer(rb"<Relationship [^>]*>", package.read(rels_name)):
            if b'TargetMode="External"' in rel.group(0):
                continue
            target = re.search(rb'Target="([^"]+)"', rel.group(0)).group(1).decode()  # type: ignore[union-attr]
            path = posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"{folder}/{target}")
            path = path.lstrip("/")
            if path in seen:
                continue
            seen.add(path)
            head, _, tail = path.rpartition("/")
            rels = f"{head}/_rels/{tail}.rels" if head else f"_rels/{tail}.rels"
            if rels in package.namelist():
                todo.append(rels)
    return seen


def test_the_templates_own_slides_are_removed_and_leave_nothing_behind(
    template: tuple[str, Made, tuple[str, str, str]],
    seed_event: Event,
    options: RenderOptions,
    make_theme: Callable[..., Theme],
) -> None:
    _, made, _ = template
    assert OLD_SLIDE_TEXT.encode() in zipfile.ZipFile(io.BytesIO(made.data)).read("ppt/slides/slide1.xml")
    data = _bytes(seed_event, replace(options, theme=_template_theme(make_theme, made)))
    package = zipfile.ZipFile(io.BytesIO(data))
    names = set(package.namelist())
    for name in names:
        assert OLD_SLIDE_TEXT.encode() not in package.read(name), name
    parts = {n for n in names if not n.endswith(".rels") and n != "[Content_Types].xml"}
    assert parts == _reachable(package), "no orphan parts, no dangling relationships"
    deck = Presentation(io.BytesIO(data))
    slides = sorted(n for n in parts if n.startswith("ppt/slides/"))
    theme = _template_theme(make_theme, made)
    canvas = Template(made.data, theme).canvas()
    assert len(slides) == len(deck.slides) == len(plan_slides(seed_event, theme, Reporter(), canvas))
    assert not any(n.startswith("ppt/media/") for n in parts), "the template slide's picture went with it"
    notes = [n for n in parts if n.startswith("ppt/notesSlides/")]
    assert len(notes) == sum(1 for s in deck.slides if s.has_notes_slide)
    presentation = package.read("ppt/presentation.xml")
    assert b"sectionLst" not in presentation and b"custShowLst" not in presentation
    types = package.read("[Content_Types].xml")
    assert b"presentationml.presentation.main+xml" in types and b"template.main" not in types


def test_titles_and_bodies_fill_the_templates_placeholders_and_keep_its_fonts_and_colours(
    template: tuple[str, Made, tuple[str, str, str]],
    full_event: Event,
    options: RenderOptions,
    make_theme: Callable[..., Theme],
) -> None:
    _, made, _ = template
    deck = deck_of(full_event, replace(options, theme=_template_theme(make_theme, made)))
    for slide in deck.slides:
        assert slide.background._cSld.bg is None, "the layout's background shows"
        title = slide.shapes.title
        assert title.is_placeholder
        assert not any(s.name == "Accent Bar" for s in slide.shapes)
        for shape in slide.placeholders:
            for rpr in _runs_of(shape):
                # Latin text is set in the placeholder's own font and colour: the template's brand.
                assert rpr.find(qn("a:latin")) is None and rpr.find(qn("a:solidFill")) is None, shape.name
    session = next(s for s in deck.slides if s.shapes.title.text == full_event.sessions[0].heading)
    body = shape_named(session, "Body")
    assert body.is_placeholder and body.placeholder_format.idx == 1
    assert [p.text for p in body.text_frame.paragraphs] == list(full_event.sessions[0].outcomes)
    for paragraph in body.text_frame.paragraphs:
        assert paragraph._p.pPr.find(qn("a:buChar")) is None, "the template's own bullets are kept"
        assert paragraph._p.pPr.find(qn("a:buNone")) is None
    footer = shape_named(session, "Footer")
    shown = footer.text_frame.text
    assert footer.is_placeholder
    assert shown == full_event.title or (shown.endswith("…") and full_event.title.startswith(shown[:-1].rstrip()))
    byline = shape_named(session, "Byline")
    assert byline.top >= session.shapes.title.top + session.shapes.title.height
    assert byline.top + byline.height <= body.top


@pytest.mark.parametrize("which", ["long titles", "long outcomes", "full", "multilingual"])
def test_text_on_a_template_fits_its_placeholders_by_measurement(
    which: str,
    template: tuple[str, Made, tuple[str, str, str]],
    request: pytest.FixtureRequest,
    options: RenderOptions,
    make_theme: Callable[..., Theme],
) -> None:
    _, made, _ = template
    fixture = {"long outcomes": "long_event", "long titles": "long_titles_event"}.get(which, f"{which}_event")
    deck = deck_of(request.getfixturevalue(fixture), replace(options, theme=_template_theme(make_theme, made)))
    assert_every_text_fits(deck, _inherited)


def test_a_template_without_a_layout_with_a_title_is_a_render_error_naming_what_is_missing(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    theme = _template_theme(make_theme, make_template(without_titles=True))
    with pytest.raises(RenderError, match="no slide layout with a title placeholder") as caught:
        _bytes(seed_event, replace(options, theme=theme))
    assert "'Title and Content'" in str(caught.value) and "'brand.potx'" in str(caught.value)


def test_a_reference_that_is_not_a_presentation_is_a_render_error(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:  # a package, but of nothing PowerPoint can show
        archive.writestr(
            "[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
        )
    theme = make_theme(files={"brand.pptx": package.getvalue()}, reference_pptx="brand.pptx")
    with pytest.raises(RenderError, match=r"PowerPoint template 'brand\.pptx' cannot be read"):
        _bytes(seed_event, replace(options, theme=theme))


def test_the_logo_goes_in_a_free_corner_of_the_templates_title_slide(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    theme = make_theme(
        files={"brand.potx": make_template().data, "logo.png": png_bytes(240, 80)},
        reference_pptx="brand.potx",
        logo="logo.png",
        logo_alt=LOGO_ALT,
    )
    cover = deck_of(seed_event, replace(options, theme=theme)).slides[0]
    (logo,) = _pictures(cover)
    assert _alt(logo) == LOGO_ALT
    assert logo.width / logo.height == pytest.approx(3.0, rel=1e-3)
    # A navy logo on the layout's wine-red ground would not stand out: it sits on a light plate.
    (plate,) = [s for s in cover.shapes if s.name == "Logo Plate"]
    assert plate.left < logo.left and logo.top + logo.height < plate.top + plate.height
    for shape in cover.shapes:
        if shape.has_text_frame and shape.text_frame.text:
            assert (
                logo.top + logo.height <= shape.top
                or logo.left + logo.width <= shape.left
                or (shape.left + shape.width <= logo.left)
            ), shape.name


def test_a_template_deck_is_reproducible(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    theme = _template_theme(make_theme, make_template(GERMAN, potx=True))
    assert _bytes(seed_event, replace(options, theme=theme)) == _bytes(seed_event, replace(options, theme=theme))


# --- scripts -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def multilingual_event() -> Event:
    return load_event(DATA / "multilingual.yaml")


def _letters_script(text: str) -> set[str]:
    names = set()
    for ch in text:
        if unicodedata.category(ch)[0] == "L":
            first = unicodedata.name(ch).split()[0].split("-")[0]
            names.add({"HIRAGANA": "KANA", "KATAKANA": "KANA", "CJK": "HAN"}.get(first, first))
    return names


EXPECTED_LANGUAGE = {
    "LATIN": "fr",
    "GREEK": "el-GR",
    "CYRILLIC": "ru-RU",
    "ARABIC": "ar-SA",
    "DEVANAGARI": "hi-IN",
    "HANGUL": "ko-KR",
    "HAN": "zh-CN",
}


def test_every_outcome_in_every_script_is_on_its_sessions_slide(
    multilingual_event: Event, options: RenderOptions
) -> None:
    deck = deck_of(multilingual_event, options)
    by_title = {slide.shapes.title.text: slide for slide in deck.slides}
    for session in multilingual_event.sessions:
        assert [p.text for p in body_paragraphs(by_title[session.heading])] == list(session.outcomes)


def test_right_to_left_paragraphs_are_marked_and_right_aligned(
    multilingual_event: Event, options: RenderOptions
) -> None:
    deck = deck_of(multilingual_event, options)
    flags = []
    for _, shape in _text_shapes(deck):
        for paragraph in shape.text_frame.paragraphs:
            ppr = paragraph._p.pPr
            # A title's direction is its text's, whatever the session code before it ("E: دور …").
            rtl = is_rtl(paragraph.text.split(": ", 1)[-1] if shape.name == "Title" else paragraph.text)
            assert ppr.get("rtl") == ("1" if rtl else "0"), paragraph.text
            if rtl:
                assert ppr.get("algn") == "r", paragraph.text
            flags.append(rtl)
    arabic = multilingual_event.sessions[-1].outcomes
    assert sum(flags) >= len(arabic) and not all(flags)


def test_each_run_is_tagged_with_the_language_of_its_script(multilingual_event: Event, options: RenderOptions) -> None:
    deck = deck_of(multilingual_event, options)
    seen = set()
    for slide in deck.slides:
        for rpr in slide._element.iter(qn("a:rPr")):
            run = rpr.getparent()
            text = "".join(t.text or "" for t in run.iter(qn("a:t")))
            scripts = _letters_script(text)
            if not scripts:
                continue
            if "KANA" in scripts:
                expected = "ja-JP"
            else:
                (script,) = scripts - ({"HAN"} if "HANGUL" in scripts else set())
                expected = EXPECTED_LANGUAGE[script]
            assert rpr.get("lang") == expected, text
            assert rpr.get("altLang") == (None if expected == "fr" else "fr"), text
            seen.add(expected)
    assert seen == {*EXPECTED_LANGUAGE.values(), "ja-JP"}


def test_each_run_names_fonts_from_the_themes_stack_that_have_its_letters(
    multilingual_event: Event, options: RenderOptions
) -> None:
    theme = options.theme
    stack = font_stack(theme.font_families)
    texts = [multilingual_event.title, *(o for s in multilingual_event.sessions for o in s.outcomes)]
    missing = set(uncovered(" ".join(texts + [s.title for s in multilingual_event.sessions]), stack))
    report = Reporter()
    deck = deck_of(multilingual_event, options, report)
    families = {family for family, _ in stack}
    tags = {"latin": "a:latin", "east_asian": "a:ea", "complex": "a:cs"}
    for slide in deck.slides:
        for rpr in slide._element.iter(qn("a:rPr")):
            text = "".join(t.text or "" for t in rpr.getparent().iter(qn("a:t")))
            bold = rpr.get("b") == "1"
            for ch in text:
                if unicodedata.category(ch)[0] not in "LM" or ch in missing:
                    continue
                family = _typeface(rpr, tags[slot(ch)])
                assert family in families, (ch, family)
                assert metrics(require_font(family, bold=bold)[0]).covers(ch), (ch, family)
            for where, tag in tags.items():
                uses = any(slot(ch) == where and ch not in missing for ch in text if ch.isalpha())
                if where != "latin":
                    assert (rpr.find(qn(tag)) is not None) == uses, (text, tag)
    if missing:
        assert any(all(ch in w for ch in missing) for w in report.warnings), report.warnings
    else:
        assert not any("no font of the theme has" in w for w in report.warnings)


def test_the_measurement_uses_the_font_that_draws_each_character(multilingual_event: Event) -> None:
    from reportgen.renderers.pptx.measure import Typesetter
    from reportgen.renderers.pptx.spec import Style

    typesetter = Typesetter(DEFAULT_THEME, "fr")
    stack = typesetter.stack(Style(DEFAULT_THEME.font_families))
    devanagari = multilingual_event.sessions[4].outcomes[0]
    arabic = multilingual_event.sessions[5].outcomes[0]
    chinese = multilingual_event.sessions[3].outcomes[0]
    for text, family in ((devanagari, "Noto Sans Devanagari"), (arabic, "Noto Sans Arabic")):
        font = metrics(require_font(family)[0])
        shaped = sum(shaped_width(font.path, word) for word in text.split(" ")) * 20
        spaces = text.count(" ") * font.widths[ord(" ")] * 20
        # Weak characters (spaces, digits, punctuation) are taken at their widest among the fonts used.
        assert stack.width(text, 20) == pytest.approx(shaped + spaces, rel=0.02)
    droid = metrics(require_font("Droid Sans Fallback")[0])
    assert stack.width(chinese, 20) == pytest.approx(sum(droid.widths[ord(c)] for c in chinese) * 20, rel=0.01)
    # Carlito, the first font of the stack, has none of these: measured with it they would be .notdef boxes.
    carlito = metrics(require_font("Calibri")[0])
    assert stack.width(chinese, 20) != pytest.approx(carlito.width(chinese, 20), rel=0.01)


def test_a_cjk_line_breaks_between_characters_but_never_before_closing_punctuation() -> None:
    from reportgen.renderers.pptx.measure import Typesetter
    from reportgen.renderers.pptx.spec import Style

    stack = Typesetter(DEFAULT_THEME, "zh").stack(Style(DEFAULT_THEME.font_families))
    text = "加强价值链伙伴之间的信任，这是透明度和可追溯性的基础。"
    for width in range(60, 400, 7):
        lines = stack.wrap(text, 20, width)
        assert "".join(lines) == text
        assert all(stack.width(line, 20) <= width for line in lines if len(line) > 1)
        assert not any(line[0] in "，。" for line in lines), lines


def test_letters_no_font_of_the_stack_has_are_reported_measured_generously_and_left_to_the_viewer(
    options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    korean = "공급망 전반에서 아동 노동의 근본 원인을 해결한다."
    event = _event({"code": "K", "title": "Korea", "outcomes": [korean]}, language="ko")
    theme = make_theme(fallback_fonts=["Noto Sans"])  # no Hangul in Carlito nor in Noto Sans
    report = Reporter()
    deck = deck_of(event, replace(options, theme=theme), report)
    hangul = sorted({ch for ch in korean if unicodedata.category(ch) == "Lo"})
    assert any(f"no font of the theme has the characters {' '.join(hangul)}:" in w for w in report.warnings)
    slide = deck.slides[-2]
    (paragraph,) = body_paragraphs(slide)
    for rpr in _run_props(paragraph):
        assert rpr.find(qn("a:ea")) is None, "PowerPoint picks a Korean font for lang ko itself"
        assert rpr.get("lang") == "ko"
    assert_every_text_fits(deck)


def test_a_font_that_is_not_installed_is_still_named_and_measured_with_a_wide_stand_in(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    theme = make_theme(body_font="Frutiger Next Pro")
    report = Reporter()
    deck = deck_of(seed_event, replace(options, theme=theme), report)
    body = shape_named(next(s for s in deck.slides if s.shapes.title.text.startswith("A: ")), "Body")
    assert {_typeface(r) for p in body.text_frame.paragraphs for r in _run_props(p)} == {"Frutiger Next Pro"}
    assert any("'Frutiger Next Pro' is not installed here" in w for w in report.warnings)


# --- labels in the event's language ----------------------------------------------------------------------


def test_the_agenda_title_and_the_bylines_are_in_the_events_language(options: RenderOptions) -> None:
    session = {"code": "A", "title": "Finanzen", "outcomes": ["Ein Ergebnis."], "moderator": "Ana", "rapporteur": "Bo"}
    event = _event(session, language="de-AT")
    deck = deck_of(event, options)
    assert titles(deck)[1] == "Programm"
    texts = [shape.text_frame.text for shape in deck.slides[-2].shapes if shape.has_text_frame]
    assert "Moderation: Ana · Berichterstattung: Bo" in texts


def test_a_sources_own_labels_name_the_agenda_and_the_continued_slides(options: RenderOptions) -> None:
    outcomes = [_long_outcome(n) for n in range(5)]
    event = from_data(
        Event,
        {
            "event": {"title": "Forum", "labels": {"agenda": "Running order", "continued": "{title} – more"}},
            "days": [{"title": "Day 1", "sessions": [{"code": "A", "title": "Many", "outcomes": outcomes}]}],
        },
    )
    assert titles(deck_of(event, options))[1:5] == ["Running order", "Day 1", "A: Many", "A: Many – more"]


def test_a_days_section_slide_counts_its_sessions_and_outcomes_in_the_events_language(
    options: RenderOptions,
) -> None:
    sessions = [{"code": c, "title": f"Thema {c}", "outcomes": ["Ein Ergebnis."] * n} for c, n in (("A", 1), ("B", 2))]
    deck = deck_of(_event(*sessions, language="de"), options)
    section = next(s for s in deck.slides if s.shapes.title.text == "Day 1")
    texts = [shape.text_frame.text for shape in section.shapes if shape.has_text_frame]
    assert "2 Sitzungen · 3 zentrale Ergebnisse" in texts
