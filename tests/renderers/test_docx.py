"""The Word summary: what a reader of the .docx sees, read back with python-docx."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from reportgen.errors import RenderError, Reporter
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers import get
from reportgen.renderers.docx import RENDERER

SPECIAL = "R&D budgets, x < y, <b>not bold</b>, “quotes” ‘single’ – — … &amp;"


def render(event: Event, options: RenderOptions, reporter: Reporter | None = None) -> bytes:
    return RENDERER.render(event, options, reporter or Reporter())


def open_docx(data: bytes) -> Any:
    return docx.Document(io.BytesIO(data))


def body(event: Event, options: RenderOptions) -> list[tuple[str, str]]:
    """Every body paragraph as (style name, text), in document order."""
    return [(p.style.name, p.text) for p in open_docx(render(event, options)).paragraphs]


def make_event(**meta: str) -> Event:
    session = {
        "code": "X",
        "title": f"Session about {SPECIAL}",
        "outcomes": [SPECIAL, "Plain  double  spaces stay", "A < B > C & D"],
        "moderator": "Ana <i>Ruiz</i> & Co",
    }
    return Event.model_validate(
        {
            "event": {"title": f"Title {SPECIAL}", **meta},
            "days": [{"title": f"Day {SPECIAL}", "sessions": [session]}],
        }
    )


# -- structure --------------------------------------------------------------------------------------------


def test_it_is_registered_as_docx() -> None:
    renderer = get("docx")
    assert (renderer.name, renderer.suffix) == ("docx", ".docx")


def test_each_day_is_a_heading_1_and_each_session_a_heading_2_in_order(
    example_event: Event, options: RenderOptions
) -> None:
    headings = [(style, text) for style, text in body(example_event, options) if style.startswith("Heading")]
    expected = []
    for day in example_event.days:
        expected.append(("Heading 1", day.title))
        expected += [("Heading 2", session.heading) for session in day.sessions]
    assert headings == expected


def test_every_outcome_appears_in_order_as_a_bullet_under_its_session(
    example_event: Event, options: RenderOptions
) -> None:
    bullets_by_heading: dict[str, list[str]] = {}
    current = None
    for style, text in body(example_event, options):
        if style == "Heading 2":
            current = bullets_by_heading.setdefault(text, [])
        elif style.startswith("Heading"):
            current = None
        elif style == "List Bullet":
            assert current is not None, f"bullet outside a session: {text!r}"
            current.append(text)
    # Sessions on different days may share a heading ("A: ..."), so compare in document order.
    assert list(bullets_by_heading.values()) == [list(s.outcomes) for s in example_event.sessions]


def test_bullets_are_a_real_word_list_never_typed_characters(example_event: Event, options: RenderOptions) -> None:
    document = open_docx(render(example_event, options))
    bullet = document.styles["List Bullet"]
    num_id = bullet.element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
    formats = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl[@w:ilvl='0']/w:numFmt/@w:val")
    assert formats == ["bullet"]
    for paragraph in document.paragraphs:
        assert "•" not in paragraph.text
        assert not paragraph.text.startswith(("-", "*", "·"))


def test_the_title_block_uses_title_and_subtitle_then_the_details_given(
    full_event: Event, options: RenderOptions
) -> None:
    meta = full_event.meta
    assert body(full_event, options)[:6] == [
        ("Title", meta.title),
        ("Subtitle", meta.subtitle),
        ("Event Details", meta.date),
        ("Event Details", meta.venue),
        ("Event Details", meta.organiser),
        ("Heading 1", full_event.days[0].title),
    ]


def test_details_not_given_leave_no_empty_lines(seed_event: Event, options: RenderOptions) -> None:
    paragraphs = body(seed_event, options)
    assert paragraphs[:3] == [
        ("Title", seed_event.title),
        ("Subtitle", seed_event.meta.subtitle),
        ("Heading 1", seed_event.days[0].title),
    ]
    assert all(text.strip() for _, text in paragraphs)


def test_moderator_and_rapporteur_follow_their_session_heading(full_event: Event, options: RenderOptions) -> None:
    paragraphs = body(full_event, options)
    roles = [paragraphs[i + 1] for i, (style, _) in enumerate(paragraphs) if style == "Heading 2"]
    assert roles == [
        ("Session Roles", f"Moderator: {s.moderator}  ·  Rapporteur: {s.rapporteur}") for s in full_event.sessions
    ]


def test_a_session_without_moderator_or_rapporteur_has_no_roles_line(seed_event: Event, options: RenderOptions) -> None:
    assert "Session Roles" not in {style for style, _ in body(seed_event, options)}


def test_session_notes_stay_out_of_the_summary(full_event: Event, options: RenderOptions) -> None:
    data = render(full_event, options)
    text = "\n".join(text for _, text in body(full_event, options))
    for session in full_event.sessions:
        assert session.notes
        for line in session.notes.splitlines():
            assert line not in text
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "Follow-up meeting" not in package.read("word/document.xml").decode()


def test_special_characters_appear_literally_and_are_never_markup(options: RenderOptions) -> None:
    event = make_event(subtitle=SPECIAL, date="1–2 May", venue="Café <Zürich>", organiser="R&D Office")
    paragraphs = body(event, options)
    texts = [text for _, text in paragraphs]
    assert texts == [
        f"Title {SPECIAL}",
        SPECIAL,
        "1–2 May",
        "Café <Zürich>",
        "R&D Office",
        f"Day {SPECIAL}",
        f"X: Session about {SPECIAL}",
        "Moderator: Ana <i>Ruiz</i> & Co",
        SPECIAL,
        "Plain  double  spaces stay",
        "A < B > C & D",
    ]


# -- styling ----------------------------------------------------------------------------------------------


def test_headings_are_kept_with_the_text_that_follows(seed_event: Event, options: RenderOptions) -> None:
    styles = open_docx(render(seed_event, options)).styles
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Session Roles"):
        assert styles[name].paragraph_format.keep_with_next is True, name


def test_fonts_sizes_and_colours_come_from_the_theme(seed_event: Event, options: RenderOptions) -> None:
    theme = options.theme.model_copy(
        update={
            "heading_font": "Cambria",
            "body_font": "Arial",
            "primary": "#123456",
            "accent": "#ABCDEF",
            "text": "#010203",
            "heading1_size": 20,
            "body_size": 10,
        }
    )
    document = open_docx(render(seed_event, replace(options, theme=theme)))
    heading = document.styles["Heading 1"]
    assert heading.font.size.pt == 20
    assert str(heading.font.color.rgb) == "123456"
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 10
    assert str(normal.font.color.rgb) == "010203"
    assert str(document.styles["Session Code"].font.color.rgb) == "ABCDEF"
    for style, font in ((heading, "Cambria"), (normal, "Arial")):
        fonts = style.element.rPr.rFonts
        slots = {name: fonts.get(qn(f"w:{name}")) for name in ("ascii", "hAnsi", "eastAsia", "cs")}
        assert slots == dict.fromkeys(slots, font)
        assert fonts.get(qn("w:asciiTheme")) is None  # a theme font would win over the named one


def test_the_document_language_is_the_events(full_event: Event, options: RenderOptions) -> None:
    styles = open_docx(render(full_event, options)).styles.element
    languages = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    assert languages == [full_event.meta.language] == ["en-GB"]


# -- page -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("paper", "width_mm", "height_mm"), [("A4", 210, 297), ("Letter", 215.9, 279.4)])
def test_paper_size_and_margins_follow_the_options_and_theme(
    seed_event: Event, options: RenderOptions, paper: str, width_mm: float, height_mm: float
) -> None:
    section = open_docx(render(seed_event, replace(options, paper=paper))).sections[0]
    assert section.page_width.mm == pytest.approx(width_mm, abs=0.1)
    assert section.page_height.mm == pytest.approx(height_mm, abs=0.1)
    for margin in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin):
        assert margin.mm == pytest.approx(options.theme.margin_mm, abs=0.1)


def test_an_unknown_paper_size_is_a_render_error(seed_event: Event, options: RenderOptions) -> None:
    with pytest.raises(RenderError, match="unknown page size 'A5'"):
        render(seed_event, replace(options, paper="A5"))


def test_margins_that_leave_no_room_for_text_are_a_render_error(seed_event: Event, options: RenderOptions) -> None:
    with pytest.raises(RenderError, match="margin"):
        render(seed_event, replace(options, theme=options.theme.model_copy(update={"margin_mm": 100})))


def test_the_footer_shows_the_title_and_real_page_of_pages_fields(full_event: Event, options: RenderOptions) -> None:
    footer = open_docx(render(full_event, options)).sections[0].footer
    assert not footer.is_linked_to_previous
    paragraph = footer.paragraphs[0]
    assert paragraph.text.startswith(full_event.title)
    assert "Page" in paragraph.text and "of" in paragraph.text
    p = paragraph._p
    instructions = [" ".join(text.split()) for text in p.xpath(".//w:instrText/text() | .//w:fldSimple/@w:instr")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert len(p.xpath(".//w:fldChar[@w:fldCharType='begin']")) == 2


def test_the_footer_uses_the_themes_footer_text_when_given(seed_event: Event, options: RenderOptions) -> None:
    themed = replace(options, theme=options.theme.model_copy(update={"footer_text": "Internal – do not circulate"}))
    footer = open_docx(render(seed_event, themed)).sections[0].footer
    assert footer.paragraphs[0].text.startswith("Internal – do not circulate\tPage")


# -- properties and reproducibility -----------------------------------------------------------------------


def test_core_properties_describe_the_event_at_the_build_time(full_event: Event, options: RenderOptions) -> None:
    props = open_docx(render(full_event, options)).core_properties
    meta = full_event.meta
    when = options.timestamp.replace(tzinfo=None)
    assert (props.title, props.subject, props.author, props.language) == (
        meta.title,
        meta.subtitle,
        meta.organiser,
        meta.language,
    )
    assert [p.replace(tzinfo=None) for p in (props.created, props.modified, props.last_printed)] == [when] * 3
    assert (props.revision, props.last_modified_by, props.comments) == (1, "reportgen", "")


def test_an_event_without_organiser_has_an_empty_author(seed_event: Event, options: RenderOptions) -> None:
    assert open_docx(render(seed_event, options)).core_properties.author == ""


def test_a_title_too_long_for_the_properties_is_shortened_with_a_warning(
    options: RenderOptions, reporter: Reporter
) -> None:
    event = make_event()
    event = event.model_copy(update={"meta": event.meta.model_copy(update={"title": "Long " * 80})})
    document = open_docx(render(event, options, reporter))
    assert len(document.core_properties.title) == 255
    assert document.paragraphs[0].text == event.title  # the document itself keeps all of it
    assert reporter.warnings == ["document property 'title' shortened to 255 characters"]


def test_the_template_leaves_no_stale_thumbnail_or_styles_behind(seed_event: Event, options: RenderOptions) -> None:
    with zipfile.ZipFile(io.BytesIO(render(seed_event, options))) as package:
        names = package.namelist()
    assert not [name for name in names if "thumbnail" in name or "stylesWithEffects" in name]


def test_the_same_event_and_options_give_identical_bytes(example_event: Event, options: RenderOptions) -> None:
    assert render(example_event, options) == render(example_event, options)


def test_a_different_build_time_changes_only_the_timestamps(full_event: Event, options: RenderOptions) -> None:
    later = replace(options, build_time=datetime(2031, 2, 3, 4, 5, 6, tzinfo=UTC))
    first, second = (zipfile.ZipFile(io.BytesIO(render(full_event, o))) for o in (options, later))
    assert first.namelist() == second.namelist()
    stamp = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    for name in first.namelist():
        a, b = first.read(name), second.read(name)
        if name == "docProps/core.xml":
            assert a != b
            a, b = stamp.sub(b"T", a), stamp.sub(b"T", b)
        assert a == b, name
    assert {i.date_time for i in first.infolist()} == {(2026, 6, 25, 17, 30, 0)}
    assert {i.date_time for i in second.infolist()} == {(2031, 2, 3, 4, 5, 6)}
