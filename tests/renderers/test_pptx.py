"""The deck renderer: the slide plan, the emitted deck as python-pptx reads it, fit by measurement, and
the pages LibreOffice draws from it."""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Length

from reportgen.errors import Reporter
from reportgen.fonts import metrics, require_font, wrap
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers import get
from reportgen.renderers.pptx import RENDERER, Role, SlideKind, plan_slides
from reportgen.theme import DEFAULT_THEME, Theme

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
    return Event.model_validate(
        {
            "event": {"title": title, "language": language, "organiser": "The Secretariat"},
            "days": [{"title": f"Day {d + 1}", "sessions": list(sessions)} for d in range(days)],
        }
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
    expected = [(SlideKind.TITLE, example_event.title), (SlideKind.AGENDA, "Agenda")]
    for day in example_event.days:
        expected.append((SlideKind.SECTION, day.title))
        expected += [(SlideKind.SESSION, s.heading) for s in day.sessions]
    assert [(s.kind, s.title) for s in plan] == expected


def test_the_agenda_lists_every_day_then_its_sessions_by_code_and_title(example_event: Event) -> None:
    agenda = plan_slides(example_event, DEFAULT_THEME, Reporter())[1]
    expected = []
    for day in example_event.days:
        expected.append((Role.DAY, "", day.title))
        expected += [(Role.ENTRY, s.code, s.title) for s in day.sessions]
    assert [(p.role, p.label, p.text) for p in agenda.body] == expected


def test_an_agenda_too_long_for_one_slide_continues_and_repeats_the_day() -> None:
    sessions = [
        {"code": f"S{n}", "title": f"Session number {n} about supply chains", "outcomes": ["x"]} for n in range(30)
    ]
    plan = plan_slides(_event(*sessions, days=2), DEFAULT_THEME, Reporter())
    agenda = [s for s in plan if s.kind is SlideKind.AGENDA]
    assert len(agenda) >= 3
    assert agenda[0].title == "Agenda"
    assert all(s.title.startswith("Agenda (continued") for s in agenda[1:])
    entries = [p.text for s in agenda for p in s.body if p.role is Role.ENTRY]
    assert entries == [s["title"] for s in sessions] * 2
    # A slide never starts without its day's title, and never ends on one.
    for slide in agenda:
        assert slide.body[0].role is Role.DAY
        assert slide.body[-1].role is not Role.DAY
    assert any(p.text == "Day 1 (continued)" for s in agenda for p in s.body)


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
    assert [s.title for s in slides] == ["A: Twelve long outcomes", "A: Twelve long outcomes (continued)"]
    assert [b for s in slides for b in s.bullets] == list(long_event.sessions[0].outcomes)
    assert all(len(s.bullets) >= 5 for s in slides), "the outcomes are spread evenly, not piled on the first"
    body_sizes = {t.size for s in slides for t in s.texts if t.name == "Body"}
    assert len(body_sizes) == 1 and DEFAULT_THEME.slide_min_body_size <= body_sizes.pop()
    assert (slides[0].notes, slides[1].notes) == ("Read the first three aloud.", "")
    assert report.warnings == ["session 'A: Twelve long outcomes': 12 outcomes split over 2 slides"]


def test_the_body_size_steps_down_before_a_session_is_split() -> None:
    theme = DEFAULT_THEME
    outcomes = [_long_outcome(n) for n in range(6)]
    slide = plan_slides(_event({"code": "A", "title": "Six", "outcomes": outcomes}), theme, Reporter())[-1]
    body = next(t for t in slide.texts if t.name == "Body")
    assert slide.bullets == tuple(outcomes)
    assert theme.slide_min_body_size <= body.size < theme.slide_body_size


def test_more_than_two_slides_are_numbered_so_titles_stay_unique() -> None:
    outcomes = [_long_outcome(n) for n in range(30)]
    plan = plan_slides(_event({"code": "A", "title": "Thirty", "outcomes": outcomes}), DEFAULT_THEME, Reporter())
    names = [s.title for s in plan if s.kind is SlideKind.SESSION]
    count = len(names)
    assert count >= 3
    assert names == ["A: Thirty"] + [f"A: Thirty (continued, {n} of {count})" for n in range(2, count + 1)]


def test_slide_titles_are_unique_even_when_sessions_repeat_a_heading(long_event: Event) -> None:
    twice = _event({"code": "A", "title": "Plenary", "outcomes": ["One."]}, days=2)
    for event in (twice, long_event):
        names = [s.title for s in plan_slides(event, DEFAULT_THEME, Reporter())]
        assert len(names) == len(set(names)), names
    names = [s.title for s in plan_slides(twice, DEFAULT_THEME, Reporter())]
    assert names[-1] == "A: Plenary (Day 2)"


def test_a_long_title_wraps_and_the_body_starts_below_it() -> None:
    title = "From global commitments to national workplans: a collaborative approach in pathfinder countries"
    slide = plan_slides(_event({"code": "C", "title": title, "outcomes": ["One."]}), DEFAULT_THEME, Reporter())[-1]
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
    theme = DEFAULT_THEME.model_copy(update={"slide_title_size": 36, "slide_body_size": 26, "slide_min_body_size": 20})
    slide = plan_slides(_event({"code": "A", "title": "T", "outcomes": ["One."]}), theme, Reporter())[-1]
    assert (slide.texts[0].size, next(t for t in slide.texts if t.name == "Body").size) == (36, 26)


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
    assert titles(deck)[:2] == [example_event.title, "Agenda"]


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
        assert all(_is_bulleted(p) for p in paragraphs)


def test_split_outcomes_stay_in_order_and_bulleted_across_continued_slides(
    long_event: Event, options: RenderOptions
) -> None:
    deck = deck_of(long_event, options)
    slides = [s for s in deck.slides if s.shapes.title.text.startswith("A: Twelve long outcomes")]
    assert [s.shapes.title.text for s in slides] == ["A: Twelve long outcomes", "A: Twelve long outcomes (continued)"]
    paragraphs = [p for s in slides for p in body_paragraphs(s)]
    assert [p.text for p in paragraphs] == list(long_event.sessions[0].outcomes)
    assert all(_is_bulleted(p) for p in paragraphs)


def test_the_agenda_slide_lists_days_and_sessions_by_code_and_title(
    example_event: Event, options: RenderOptions
) -> None:
    agenda = deck_of(example_event, options).slides[1]
    expected = []
    for day in example_event.days:
        expected += [day.title, *(f"{s.code}\t{s.title}" for s in day.sessions)]
    assert [p.text for p in body_paragraphs(agenda)] == expected


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
        "Moderator: Dr Amélie Lefèvre, OECD Centre for Responsible Business Conduct  ·  Rapporteur: João Gonçalves"
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


def _run_props(paragraph: Any) -> list[Any]:
    return [child.find(qn("a:rPr")) for child in paragraph._p if child.tag in (qn("a:r"), qn("a:fld"))]


def _measured_height(shape: Any) -> float:
    """Height in points that the shape's text needs, wrapped with the real metrics of its fonts."""
    frame = shape.text_frame
    width = Length(shape.width - frame.margin_left - frame.margin_right).pt
    total = 0.0
    for paragraph in frame.paragraphs:
        rpr = _run_props(paragraph)[-1]  # the text's own run (a label, if any, comes first)
        size = int(rpr.get("sz")) / 100
        family = rpr.find(qn("a:latin")).get("typeface")
        font = metrics(require_font(family, bold=rpr.get("b") == "1")[0])
        ppr = paragraph._p.pPr
        left = Length(int(ppr.get("marL", "0"))).pt
        text = paragraph.text
        if "\t" in text:  # an agenda entry: the code, then a tab to where the title's lines start
            label, text = text.split("\t")
            assert metrics(require_font(family, bold=True)[0]).width(label, size) < left
        lines = wrap(text, font, size, width - left)
        assert paragraph.line_spacing.pt > 0, "line spacing is set in points, so the height is known"
        total += paragraph.space_before.pt + len(lines) * paragraph.line_spacing.pt
    return total


def _text_shapes(deck: Any) -> Iterator[tuple[int, Any]]:
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                yield number, shape


@pytest.fixture(scope="module")
def long_titles_event() -> Event:
    """Every title, the byline and the footer too long for one line."""
    words = " ".join(_VOCABULARY[:22])
    event = _event(
        {"code": "LONG", "title": words.capitalize(), "outcomes": ["One."], "moderator": words, "rapporteur": words},
        title=f"The international conference on {words}",
    )
    meta = event.meta.model_copy(update={"subtitle": words.capitalize(), "date": "24–25 June 2026", "venue": words})
    day = event.days[0].model_copy(update={"title": f"Day 1: {words}"})
    return event.model_copy(update={"meta": meta, "days": (day,)})


@pytest.mark.parametrize("which", ["long outcomes", "long titles", "seed", "full"])
def test_every_text_shape_lies_within_the_slide_and_its_measured_text_fits(
    which: str, request: pytest.FixtureRequest, options: RenderOptions
) -> None:
    fixture = {"long outcomes": "long_event", "long titles": "long_titles_event"}.get(which, f"{which}_event")
    deck = deck_of(request.getfixturevalue(fixture), options)
    for number, shape in _text_shapes(deck):
        where = f"slide {number}, {shape.name}"
        assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width, where
        assert shape.top >= 0 and shape.top + shape.height <= deck.slide_height, where
        frame = shape.text_frame
        assert frame.word_wrap is True and frame._bodyPr.find(qn("a:noAutofit")) is not None, where
        assert _measured_height(shape) <= Length(shape.height).pt + 0.01, where


def test_text_boxes_do_not_overlap(long_event: Event, full_event: Event, options: RenderOptions) -> None:
    for event in (long_event, full_event):
        for slide in deck_of(event, options).slides:
            boxes = sorted((s.top, s.top + s.height, s.name) for s in slide.shapes if s.has_text_frame)
            for (_, bottom, upper), (top, _, lower) in itertools.pairwise(boxes):
                if {upper, lower} != {"Footer", "Slide Number"}:
                    assert bottom <= top, f"{upper} runs into {lower}"


# --- as LibreOffice draws it ---------------------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI to check how the deck is drawn")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


@pytest.mark.render
def test_libreoffice_draws_every_outcome_on_its_page_and_no_text_outside_its_shape(
    long_event: Event, options: RenderOptions, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    soffice = _soffice()
    source = tmp_path / "long.pptx"
    source.write_bytes(_bytes(long_event, options))
    # A private profile, so a LibreOffice already running (or a parallel test) cannot swallow the job.
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    deck = Presentation(str(source))
    pages = PdfReader(tmp_path / "long.pdf").pages
    assert len(pages) == len(deck.slides)
    outcomes = list(long_event.sessions[0].outcomes)
    drawn = []
    for slide, page in zip(deck.slides, pages, strict=True):
        height = float(page.mediabox.height)
        assert float(page.mediabox.width) == pytest.approx(Length(deck.slide_width).pt, abs=0.1)
        chunks: list[Chunk] = []

        def visit(
            text: str, cm: list[float], tm: list[float], _font: Any, _size: float, into: list[Chunk] = chunks
        ) -> None:
            if text.strip():
                into.append((" ".join(text.split()), tm[4] + cm[4], tm[5] + cm[5]))

        flat = " ".join(page.extract_text(visitor_text=visit).split())
        on_page = [o for o in outcomes if o in flat]
        assert on_page == [p.text for p in body_paragraphs(slide) if p.text in outcomes]
        drawn += on_page
        shapes = [s for s in slide.shapes if s.has_text_frame]
        for text, x, baseline in chunks:
            assert 0 <= x <= float(page.mediabox.width) and 0 <= baseline <= height, text
            if text == "•":
                homes = [s for s in shapes if s.name == "Body"]
            else:
                homes = [s for s in shapes if text in " ".join(s.text_frame.text.split())]
            assert homes, f"{text!r} is not the text of any shape"
            # PDF y runs upwards: a shape spans from height - bottom to height - top.
            spans = [(height - Length(s.top + s.height).pt, height - Length(s.top).pt) for s in homes]
            assert any(low - 0.5 <= baseline <= high for low, high in spans), (
                f"{text!r} is drawn at y={baseline:.1f}, outside its shape"
            )
    assert drawn == outcomes
