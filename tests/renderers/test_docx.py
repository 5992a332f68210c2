"""The Word summary: what a reader of the .docx sees, read back with python-docx."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Cm

from reportgen.errors import RenderError, Reporter
from reportgen.loader import from_data, load_event
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers import get
from reportgen.renderers.docx import RENDERER
from reportgen.text import scripts
from reportgen.text.fonts import font_stack, metrics
from reportgen.theme import Theme, contrast_ratio, load_theme

from ..conftest import DATA, png_bytes
from .docx_templates import BODY_TEXT, BRAND, COMMENT_TEXT, FOOTER_TEXT, HEADER_TEXT, LOCALISED, corporate_template

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
    return from_data(
        Event,
        {
            "event": {"title": f"Title {SPECIAL}", **meta},
            "days": [{"title": f"Day {SPECIAL}", "sessions": [session]}],
        },
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
    assert body(full_event, options)[:4] == [
        ("Title", meta.title),
        ("Subtitle", meta.subtitle),
        # One line, as the PDF and the deck print it (words.details): date · venue · organiser.
        ("Event Details", f"{meta.date} · {meta.venue} · {meta.organiser}"),
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
        # words.roles: the one separator of every composed line (words.SEPARATOR), as the PDF and deck print it.
        ("Session Roles", f"Moderator: {s.moderator} · Rapporteur: {s.rapporteur}")
        for s in full_event.sessions
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
        "1–2 May · Café <Zürich> · R&D Office",
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


def test_a_session_that_fits_a_page_is_kept_in_one_piece(options: RenderOptions) -> None:
    # Every outcome keeps with the next but the last, which the next session's heading need not follow;
    # the heading and roles line keep with what follows through their styles.
    counts = (1, 2, 3, 4, 5)
    sessions = [
        {"code": chr(65 + i), "title": f"S{n}", "outcomes": [f"S{n} o{o}" for o in range(n)]}
        for i, n in enumerate(counts)
    ]
    event = from_data(Event, {"event": {"title": "T"}, "days": [{"title": "D", "sessions": sessions}]})
    kept = {
        p.text: p.paragraph_format.keep_with_next
        for p in open_docx(render(event, options)).paragraphs
        if p.style.name == "List Bullet"
    }
    expected = {n: [True] * (n - 1) + [None] for n in counts}
    assert kept == {f"S{n} o{o}": flag for n, flags in expected.items() for o, flag in enumerate(flags)}


def test_an_accent_too_light_for_text_gives_session_codes_a_darker_shade_and_bullets_keep_it(
    seed_event: Event, options: RenderOptions
) -> None:
    document = open_docx(render(seed_event, options))  # the default accent #E07A2F is 3.0:1 on white
    code = str(document.styles["Session Code"].font.color.rgb)
    assert code == options.theme.accent_text.lstrip("#") != "E07A2F"
    assert contrast_ratio("#" + code, "#FFFFFF") >= 4.5
    numbering = document.part.numbering_part.element
    assert "E07A2F" in {c.get(qn("w:val")) for c in numbering.iter(qn("w:color"))}


def test_fonts_sizes_and_colours_come_from_the_theme(seed_event: Event, options: RenderOptions) -> None:
    theme = replace(
        options.theme,
        heading_font="Cambria",
        body_font="Arial",
        primary="#123456",
        accent="#2B5D8F",
        text="#010203",
        heading1_size=20,
        body_size=10,
    )
    document = open_docx(render(seed_event, replace(options, theme=theme)))
    heading = document.styles["Heading 1"]
    assert heading.font.size.pt == 20
    assert str(heading.font.color.rgb) == "123456"
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 10
    assert str(normal.font.color.rgb) == "010203"
    assert str(document.styles["Session Code"].font.color.rgb) == "2B5D8F"  # dark enough to be read as text
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


def test_the_themes_page_size_is_used_when_no_paper_is_asked_for(seed_event: Event, options: RenderOptions) -> None:
    themed = replace(options, theme=replace(options.theme, page_size="Letter", margin_mm=25))
    section = open_docx(render(seed_event, themed)).sections[0]
    assert (section.page_width.inches, section.page_height.inches) == (8.5, 11)
    assert section.left_margin.mm == pytest.approx(25, abs=0.1)


def test_an_unknown_paper_size_is_a_render_error(seed_event: Event, options: RenderOptions) -> None:
    with pytest.raises(RenderError, match="unknown page size 'A5'"):
        render(seed_event, replace(options, paper="A5"))


def test_margins_that_leave_no_room_for_text_are_a_render_error(seed_event: Event, options: RenderOptions) -> None:
    with pytest.raises(RenderError, match="margin"):
        render(seed_event, replace(options, theme=replace(options.theme, margin_mm=100)))


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
    themed = replace(options, theme=replace(options.theme, footer_text="Internal – do not circulate"))
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
    event = replace(event, meta=replace(event.meta, title="Long " * 80))
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


# -- themes -----------------------------------------------------------------------------------------------


def style_format(style: Any) -> tuple[str | None, float | None, str | None]:
    """(Latin font, size in points, colour) a style sets itself."""
    fonts = style.element.rPr.rFonts if style.element.rPr is not None else None
    size = style.font.size.pt if style.font.size is not None else None
    colour = style.font.color.rgb
    return (fonts.get(qn("w:ascii")) if fonts is not None else None, size, str(colour) if colour else None)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def bullet_colour(document: Any) -> str | None:
    bullet = document.styles["List Bullet"]
    numbering = document.part.numbering_part.element
    num = numbering.num_having_numId(bullet.element.pPr.numPr.numId.val)
    level = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{num.abstractNumId.val}']/w:lvl[@w:ilvl='0']")[0]
    colours = level.xpath("w:rPr/w:color/@w:val", namespaces={"w": W})
    return colours[-1] if colours else None


@pytest.mark.parametrize("name", ["default", "high-contrast", "print"])
def test_each_built_in_theme_reaches_every_style_the_page_and_the_footer(
    seed_event: Event, options: RenderOptions, name: str
) -> None:
    theme = load_theme(name)
    document = open_docx(render(seed_event, replace(options, theme=theme)))
    styles = document.styles
    hex_ = {role: getattr(theme, role).lstrip("#") for role in ("primary", "accent", "accent_text", "text", "muted")}
    assert style_format(styles["Title"]) == (theme.heading_font, theme.title_size, hex_["primary"])
    assert style_format(styles["Subtitle"]) == (theme.heading_font, theme.subtitle_size, hex_["muted"])
    assert style_format(styles["Heading 1"]) == (theme.heading_font, theme.heading1_size, hex_["primary"])
    assert style_format(styles["Heading 2"]) == (theme.heading_font, theme.heading2_size, hex_["primary"])
    assert style_format(styles["Normal"]) == (theme.body_font, theme.body_size, hex_["text"])
    assert style_format(styles["Event Details"])[::2] == (theme.body_font, hex_["muted"])
    assert style_format(styles["Session Roles"])[::2] == (theme.body_font, hex_["muted"])
    assert style_format(styles["Footer"])[::2] == (theme.body_font, hex_["muted"])
    assert str(styles["Session Code"].font.color.rgb) == hex_["accent_text"]  # the accent, darker if too light
    assert bullet_colour(document) == hex_["accent"]
    rule = document.paragraphs[1]._p.xpath("w:pPr/w:pBdr/w:bottom/@w:color")
    assert rule == [hex_["accent"]]  # under the subtitle, the last line of the seed's title block
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.left_margin.mm, 1) == theme.margin_mm
    assert section.footer.paragraphs[0].text.startswith(seed_event.title + "\tPage ")


def test_a_coloured_page_background_is_written_with_the_setting_word_needs(
    seed_event: Event, options: RenderOptions
) -> None:
    themed = replace(options, theme=replace(options.theme, background="#FFF8E7"))
    document = open_docx(render(seed_event, themed))
    assert document.element.xpath("w:background/@w:color") == ["FFF8E7"]
    assert document.settings.element.find(qn("w:displayBackgroundShape")) is not None


def test_a_white_page_has_no_background(seed_event: Event, options: RenderOptions) -> None:
    assert not open_docx(render(seed_event, options)).element.xpath("w:background")


# -- reference documents (corporate templates) ------------------------------------------------------------


@pytest.fixture
def template_theme(make_theme: Callable[..., Theme]) -> Callable[..., Theme]:
    """A theme whose reference document is a corporate template made with the given options."""

    def make(settings: dict[str, Any] | None = None, **template: Any) -> Theme:
        name = "corporate." + template.get("kind", "docx")
        return make_theme(files={name: corporate_template(**template)}, reference_docx=name, **(settings or {}))

    return make


def style_xml(data: bytes) -> dict[str, str]:
    """Every style of a .docx package as XML text, by style id."""
    styles = open_docx(data).styles.element
    return {s.get(qn("w:styleId")): s.xml for s in styles.findall(qn("w:style"))}


def package_text(data: bytes) -> str:
    """The text of every XML part of a package, joined."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return "\n".join(package.read(n).decode() for n in package.namelist() if n.endswith((".xml", ".rels")))


ROLES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "List Bullet", "Footer")
ENGLISH = {role: (role.replace(" ", ""), role) for role in ROLES}
VARIANTS: dict[str, tuple[dict[str, Any], dict[str, tuple[str, str]]]] = {
    "docx": ({}, ENGLISH),
    "dotx": ({"kind": "dotx"}, ENGLISH),
    "german": ({"language": "de"}, LOCALISED["de"]),
    "french": ({"language": "fr"}, LOCALISED["fr"]),
    "german-dotx": ({"language": "de", "kind": "dotx"}, LOCALISED["de"]),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_reference_document_lends_its_own_style_definitions_unchanged(
    full_event: Event, options: RenderOptions, template_theme: Callable[..., Theme], variant: str
) -> None:
    template, names = VARIANTS[variant]
    data = render(full_event, replace(options, theme=template_theme(**template)))
    # The template's styles as they were (the same template saved as a plain .docx).
    before = style_xml(corporate_template(**{**template, "kind": "docx"}))
    after = style_xml(data)
    for role in ROLES:
        style_id = names[role][0]
        assert after[style_id] == before[style_id], role

    document = open_docx(data)
    used = [p.style.style_id for p in document.paragraphs]
    assert used[:2] == [names["Title"][0], names["Subtitle"][0]]
    assert used.count(names["Heading 1"][0]) == len(full_event.days)
    assert used.count(names["Heading 2"][0]) == len(full_event.sessions)
    assert used.count(names["List Bullet"][0]) == full_event.outcome_count
    # So the brand's fonts, sizes and colours reach the text, not the theme's.
    for role in ("Title", "Heading 1", "Heading 2", "Normal"):
        assert style_format(document.styles[names[role][1]]) == BRAND[role], role


@pytest.mark.parametrize("variant", ["docx", "dotx", "german"])
def test_nothing_of_the_templates_body_comments_or_footer_remains(
    full_event: Event, options: RenderOptions, template_theme: Callable[..., Theme], variant: str
) -> None:
    data = render(full_event, replace(options, theme=template_theme(**VARIANTS[variant][0])))
    text = package_text(data)
    for leftover in (*BODY_TEXT, COMMENT_TEXT, FOOTER_TEXT):
        assert leftover not in text
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert not [name for name in package.namelist() if "comments" in name]
    document = open_docx(data)
    assert document.paragraphs[0].text == full_event.title
    assert not document.tables
    # The letterhead stays; the footer is ours.
    section = document.sections[0]
    assert section.header.paragraphs[0].text == HEADER_TEXT
    assert [p.text.split("\t")[0] for p in section.footer.paragraphs] == [full_event.title]


def test_a_template_document_takes_the_events_language(
    full_event: Event, options: RenderOptions, template_theme: Callable[..., Theme]
) -> None:
    document = open_docx(render(full_event, replace(options, theme=template_theme(language="de"))))
    languages = document.styles.element.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang/@w:val")
    assert languages == [full_event.meta.language]
    assert document.core_properties.language == full_event.meta.language


def test_a_dotx_becomes_a_plain_document(
    seed_event: Event, options: RenderOptions, template_theme: Callable[..., Theme]
) -> None:
    data = render(seed_event, replace(options, theme=template_theme(kind="dotx")))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = package.read("[Content_Types].xml").decode()
    assert "wordprocessingml.document.main+xml" in types
    assert "template.main+xml" not in types


def test_a_macro_enabled_template_leaves_its_macros_behind(
    seed_event: Event, options: RenderOptions, template_theme: Callable[..., Theme]
) -> None:
    data = render(seed_event, replace(options, theme=template_theme(kind="dotm")))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert "word/vbaProject.bin" not in package.namelist()
        types = package.read("[Content_Types].xml").decode()
    assert "macroEnabled" not in types and "vbaProject" not in types
    assert open_docx(data).paragraphs[0].text == seed_event.title


def test_headings_are_found_by_outline_level_whatever_their_names(
    seed_event: Event, options: RenderOptions, template_theme: Callable[..., Theme]
) -> None:
    document = open_docx(render(seed_event, replace(options, theme=template_theme(outline_only=True))))
    used = [p.style.name for p in document.paragraphs]
    assert used.count("Corp Head A") == len(seed_event.days)
    assert used.count("Corp Head B") == len(seed_event.sessions)


@pytest.mark.parametrize(
    ("dropped", "named"),
    [(["Heading 2"], "'Heading 2'"), (["Heading 1", "Heading 2"], "'Heading 1' and 'Heading 2'")],
)
def test_a_template_without_a_heading_style_is_a_render_error_naming_it(
    seed_event: Event,
    options: RenderOptions,
    template_theme: Callable[..., Theme],
    dropped: list[str],
    named: str,
) -> None:
    # Without a name and without an outline level, nothing can stand in for the heading.
    theme = template_theme(drop=dropped)
    with pytest.raises(RenderError, match=f"reference document has no {named} paragraph style"):
        render(seed_event, replace(options, theme=theme))


def assert_real_bullet_list(document: Any, style: Any) -> None:
    """`style` (or a style it is based on) names a list whose first level draws a bullet."""
    numbering = document.part.numbering_part.element
    chain = []
    while style is not None:
        chain.append(style)
        style = style.base_style
    num_ids = [s.element.xpath("w:pPr/w:numPr/w:numId/@w:val") for s in chain]
    num_id = next(ids[0] for ids in num_ids if ids)
    abstract_id = numbering.num_having_numId(int(num_id)).abstractNumId.val
    formats = numbering.xpath(f"w:abstractNum[@w:abstractNumId='{abstract_id}']/w:lvl[@w:ilvl='0']/w:numFmt/@w:val")
    assert formats == ["bullet"]


@pytest.mark.parametrize("language", [None, "de"])
def test_a_template_without_list_bullet_gets_one_that_is_a_real_list(
    seed_event: Event, options: RenderOptions, template_theme: Callable[..., Theme], language: str | None
) -> None:
    document = open_docx(
        render(seed_event, replace(options, theme=template_theme(drop=["List Bullet"], language=language)))
    )
    bullets = [p for p in document.paragraphs if p.text in seed_event.sessions[0].outcomes]
    assert bullets
    style = bullets[0].style
    assert style.name == "List Bullet"
    # It is made in the template's image: based on its list paragraph style (German: Listenabsatz).
    assert style.base_style.name == ("Listenabsatz" if language else "List Paragraph")
    assert_real_bullet_list(document, style)


def test_a_list_bullet_style_without_numbering_is_given_a_bullet_list(
    seed_event: Event, options: RenderOptions, template_theme: Callable[..., Theme]
) -> None:
    document = open_docx(render(seed_event, replace(options, theme=template_theme(unnumbered_bullets=True))))
    assert_real_bullet_list(document, document.styles["List Bullet"])


def test_a_style_the_template_lacks_is_made_from_the_theme(
    seed_event: Event, options: RenderOptions, template_theme: Callable[..., Theme]
) -> None:
    theme = template_theme(drop=["Title"], settings={"heading_font": "Cambria", "primary": "#123456"})
    document = open_docx(render(seed_event, replace(options, theme=theme)))
    assert document.paragraphs[0].style.name == "Title"
    assert style_format(document.styles["Title"]) == ("Cambria", theme.title_size, "123456")


def test_our_own_styles_inherit_the_templates_fonts(
    full_event: Event, options: RenderOptions, template_theme: Callable[..., Theme]
) -> None:
    document = open_docx(render(full_event, replace(options, theme=template_theme())))
    for name in ("Event Details", "Session Roles"):
        style = document.styles[name]
        assert style.base_style.name == "Normal"
        assert style.font.name is None  # Georgia, from the template's Normal
    # A theme that does not name an accent leaves the session code in the heading's colour.
    assert document.styles["Session Code"].font.color.rgb is None


def test_the_templates_page_setup_stays_unless_the_theme_names_one(
    seed_event: Event, options: RenderOptions, template_theme: Callable[..., Theme]
) -> None:
    kept = open_docx(render(seed_event, replace(options, theme=template_theme()))).sections[0]
    template = docx.Document().sections[0]  # the corporate template's page: python-docx's Letter
    assert (kept.page_width, kept.left_margin, kept.top_margin) == (
        template.page_width,
        template.left_margin,
        template.top_margin,
    )
    named = template_theme(settings={"page_size": "A4", "margin_mm": 30})
    section = open_docx(render(seed_event, replace(options, theme=named))).sections[0]
    assert (round(section.page_width.mm), round(section.left_margin.mm)) == (210, 30)
    paper = open_docx(render(seed_event, replace(options, theme=template_theme(), paper="A4"))).sections[0]
    assert round(paper.page_width.mm) == 210


def test_a_reference_that_is_not_a_word_file_is_a_render_error(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    # A package, so the theme loads, but one without a Word document in it.
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr(
            "[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
        )
    theme = make_theme(files={"brand.docx": package.getvalue()}, reference_docx="brand.docx")
    with pytest.raises(RenderError, match=r"reference document 'brand\.docx' cannot be opened as a Word document"):
        render(seed_event, replace(options, theme=theme))


def test_a_template_build_is_reproducible(
    full_event: Event, options: RenderOptions, template_theme: Callable[..., Theme]
) -> None:
    theme = template_theme(language="fr", kind="dotx")
    assert render(full_event, replace(options, theme=theme)) == render(full_event, replace(options, theme=theme))


# -- logo -------------------------------------------------------------------------------------------------


def test_the_logo_heads_the_title_block_with_its_alt_text(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    theme = make_theme(files={"logo.png": png_bytes(300, 100)}, logo="logo.png", logo_alt="Alliance 8.7 logo")
    data = render(seed_event, replace(options, theme=theme))
    document = open_docx(data)
    first, second = document.paragraphs[:2]
    assert (first.text, second.text, second.style.name) == ("", seed_event.title, "Title")
    assert first.paragraph_format.keep_with_next is True
    (inline,) = first._p.xpath(".//wp:inline")
    assert inline.docPr.get("descr") == inline.docPr.get("title") == "Alliance 8.7 logo"
    assert (inline.extent.cy, inline.extent.cx) == (Cm(1.5), Cm(4.5))  # the image's 3:1 kept
    (shape,) = document.inline_shapes
    assert shape._inline.graphic.graphicData.pic.blipFill.blip.embed in document.part.rels
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.read("word/media/image1.png") == theme.logo_image.data  # type: ignore[union-attr]


def test_a_very_wide_logo_is_scaled_to_the_text_width(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    theme = make_theme(files={"logo.jpg": jpeg_bytes(4000, 100)}, logo="logo.jpg", logo_alt="Banner")
    document = open_docx(render(seed_event, replace(options, theme=theme)))
    section = document.sections[0]
    (shape,) = document.inline_shapes
    assert shape.width == section.page_width - section.left_margin - section.right_margin
    assert shape.height == round(shape.width / 40)


def test_a_template_keeps_its_letterhead_and_still_gets_the_logo(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    files = {"logo.png": png_bytes(), "corporate.docx": corporate_template()}
    theme = make_theme(files=files, logo="logo.png", logo_alt="Acme", reference_docx="corporate.docx")
    document = open_docx(render(seed_event, replace(options, theme=theme)))
    assert len(document.inline_shapes) == 1
    assert document.sections[0].header.paragraphs[0].text == HEADER_TEXT


def jpeg_bytes(width: int, height: int) -> bytes:
    from PIL import Image as PILImage

    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


# -- scripts ----------------------------------------------------------------------------------------------

KANA = re.compile("[\u3040-\u30ff]")
HANGUL = re.compile("[\uac00-\ud7a3]")
HAN = re.compile("[\u4e00-\u9fff]")
ARABIC = re.compile("[\u0600-\u06ff]")
DEVANAGARI = re.compile("[\u0900-\u097f]")


@pytest.fixture(scope="module")
def multilingual() -> Event:
    return load_event(DATA / "multilingual.yaml")


def runs(document: Any) -> list[tuple[Any, Any, str]]:
    """Every text run of the body as (paragraph element, run element, text)."""
    found = []
    for p in document.element.body.iter(qn("w:p")):
        for r in p.iter(qn("w:r")):
            text = "".join(t.text or "" for t in r.iter(qn("w:t")))
            if text:
                found.append((p, r, text))
    return found


def run_property(r: Any, path: str) -> str | None:
    values = r.xpath(f"w:rPr/{path}")
    return values[0] if values else None


def test_every_title_and_outcome_of_the_multilingual_example_is_there(
    multilingual: Event, options: RenderOptions
) -> None:
    texts = [text for _, text in body(multilingual, options)]
    for expected in (multilingual.title, multilingual.meta.subtitle, *(d.title for d in multilingual.days)):
        assert expected in texts
    for session in multilingual.sessions:
        assert session.heading in texts
        for outcome in session.outcomes:
            assert outcome in texts


def test_right_to_left_paragraphs_are_marked_and_start_on_the_right(
    multilingual: Event, options: RenderOptions
) -> None:
    document = open_docx(render(multilingual, options))
    arabic_titles = {s.title for s in multilingual.sessions if scripts.is_rtl(s.title)}
    for paragraph in document.paragraphs:
        text = paragraph.text
        title = text.split(": ", 1)[1] if paragraph.style.name == "Heading 2" else text
        rtl = scripts.is_rtl(title)
        assert bool(paragraph._p.xpath("w:pPr/w:bidi")) == rtl, text
        # In a right-to-left paragraph w:jc="right" would mean its end, the left edge: none is written.
        assert not paragraph._p.xpath("w:pPr/w:jc")
        if rtl:
            assert title in arabic_titles or paragraph.style.name == "List Bullet"
    rtl_paragraphs = [p for p in document.paragraphs if p._p.xpath("w:pPr/w:bidi")]
    assert len(rtl_paragraphs) == 1 + 3  # the heading of session E and its three outcomes
    for _, r, text in runs(document):
        has_rtl = bool(r.xpath("w:rPr/w:rtl"))
        if ARABIC.search(text):
            assert has_rtl, text
        elif re.search("[A-Za-z]", text):
            assert not has_rtl, text


def test_a_line_mixing_arabic_with_latin_words_and_numbers_keeps_each_in_its_own_run(
    multilingual: Event, options: RenderOptions
) -> None:
    document = open_docx(render(multilingual, options))
    (paragraph,) = [p for p in document.paragraphs if p.text == "تطبيق دروس Alliance 8.7 في القطاع غير الرسمي."]
    parts = [(r.text, bool(r._r.xpath("w:rPr/w:rtl"))) for r in paragraph.runs]
    assert parts == [("تطبيق دروس ", True), ("Alliance 8.7 ", False), ("في القطاع غير الرسمي.", True)]
    (numbers,) = [p for p in document.paragraphs if p.text == "في عام 2026، التزمت 120 شركة بخطة العمل."]
    assert [(r.text, bool(r._r.xpath("w:rPr/w:rtl"))) for r in numbers.runs] == [(numbers.text, True)]


def test_east_asian_and_complex_script_runs_name_a_font_of_the_stack_that_has_them(
    multilingual: Event, options: RenderOptions
) -> None:
    reporter = Reporter()
    document = open_docx(render(multilingual, options, reporter))
    theme = options.theme
    stack = [(family, metrics(path)) for family, path in font_stack(theme.font_families)]
    uncovered = set()
    checked = {"eastAsia": 0, "cs": 0}
    for p, r, text in runs(document):
        style = p.xpath("w:pPr/w:pStyle/@w:val")[0]
        for slot_name, attribute in (("east_asian", "eastAsia"), ("complex", "cs")):
            chars = {ch for ch in text if scripts.slot(ch) == slot_name}
            if not chars:
                continue
            covering = [family for family, font in stack if all(font.covers(ch) for ch in chars)]
            named = run_property(r, f"w:rFonts/@w:{attribute}")
            if covering:
                assert named == covering[0], text
                checked[attribute] += 1
            else:
                uncovered |= {ch for ch in chars if not any(font.covers(ch) for _, font in stack)}
        if run_property(r, "w:rFonts/@w:eastAsia") or run_property(r, "w:rFonts/@w:cs"):
            latin = theme.heading_font if style in ("Title", "Subtitle", "Heading1", "Heading2") else theme.body_font
            assert run_property(r, "w:rFonts/@w:ascii") == run_property(r, "w:rFonts/@w:hAnsi") == latin
    assert checked["eastAsia"] >= 3 and checked["cs"] >= 6  # Chinese, Japanese; Devanagari and Arabic
    if uncovered:  # Korean, where no Hangul font is installed: said once, and Word picks a font
        (warning,) = reporter.warnings
        listed = sorted(uncovered)[:12]
        assert all(f"{ch} (U+{ord(ch):04X})" in warning for ch in listed)
        assert warning.endswith("Word will substitute a font of its own: add one that has them to fallback_fonts")
    else:
        assert reporter.warnings == []


def test_runs_carry_the_language_of_their_script(multilingual: Event, options: RenderOptions) -> None:
    document = open_docx(render(multilingual, options))
    seen = set()
    for _, r, text in runs(document):
        east_asian = run_property(r, "w:lang/@w:eastAsia")
        bidi = run_property(r, "w:lang/@w:bidi")
        expected_east_asian = (
            "ja-JP" if KANA.search(text) else "ko-KR" if HANGUL.search(text) else "zh-CN" if HAN.search(text) else None
        )
        # The tags Office writes itself, from the text layer's one table (the deck tags these runs alike).
        expected_bidi = "ar-SA" if ARABIC.search(text) else "hi-IN" if DEVANAGARI.search(text) else None
        assert (east_asian, bidi) == (expected_east_asian, expected_bidi), text
        if east_asian or bidi:
            assert run_property(r, "w:lang/@w:val") == multilingual.meta.language == "fr"
        seen |= {east_asian, bidi}
    assert seen >= {"ja-JP", "ko-KR", "zh-CN", "ar-SA", "hi-IN"}


@pytest.mark.parametrize(
    ("language", "text", "attribute", "expected"),
    [
        ("ja", "児童労働", "eastAsia", "ja"),  # kanji alone in a Japanese document are Japanese
        ("zh-TW", "童工問題", "eastAsia", "zh-TW"),
        ("en", "童工問題", "eastAsia", "zh-CN"),
        ("fa-IR", "کار کودکان", "bidi", "fa-IR"),  # Persian in Arabic script
        ("ar-EG", "عمل الأطفال", "bidi", "ar-EG"),
        ("en", "עבודת ילדים", "bidi", "he-IL"),
        ("mr", "बालमजुरी", "bidi", "mr"),  # Marathi in Devanagari
    ],
)
def test_the_events_own_language_is_used_where_it_is_written_in_that_script(
    options: RenderOptions, language: str, text: str, attribute: str, expected: str
) -> None:
    event = from_data(
        Event,
        {
            "event": {"title": "T", "language": language},
            "days": [{"title": "D", "sessions": [{"code": "A", "title": "S", "outcomes": [text]}]}],
        },
    )
    document = open_docx(render(event, options))
    (r,) = [r for _, r, t in runs(document) if t == text]
    assert run_property(r, f"w:lang/@w:{attribute}") == expected


def test_latin_greek_and_cyrillic_text_needs_no_properties_of_its_own(
    example_event: Event, options: RenderOptions
) -> None:
    document = open_docx(render(example_event, options))
    for _, r, text in runs(document):
        if all(scripts.slot(ch) == "latin" for ch in text) and not ARABIC.search(text):
            assert not r.xpath("w:rPr/w:rFonts | w:rPr/w:lang | w:rPr/w:rtl"), text


# -- labels in the event's language -------------------------------------------------------------------------


def _labelled(language: str, **labels: str) -> Event:
    session = {"code": "A", "title": "Finance", "outcomes": ["One outcome."], "moderator": "Ana", "rapporteur": "Bo"}
    meta: dict[str, Any] = {"title": "Forum", "language": language}
    if labels:
        meta["labels"] = labels
    return from_data(Event, {"event": meta, "days": [{"title": "Jour 1", "sessions": [session]}]})


def _footer_runs(document: Any) -> list[str]:
    """The footer paragraph's runs as a reader meets them: text, tabs, and each field as {INSTRUCTION}
    followed by the placeholder result Word replaces."""
    parts = []
    for run in document.sections[0].footer.paragraphs[0]._p.iter(qn("w:r")):
        for child in run:
            if child.tag == qn("w:instrText"):
                parts.append("{" + (child.text or "").strip() + "}")
            elif child.tag == qn("w:tab"):
                parts.append("\t")
            elif child.tag == qn("w:t"):
                parts.append(child.text or "")
    return parts


def test_labels_are_in_the_events_language_with_the_page_numbers_as_fields(options: RenderOptions) -> None:
    document = open_docx(render(_labelled("fr"), options))
    assert "Modération\u00a0: Ana · Rapporteur\u00a0: Bo" in [p.text for p in document.paragraphs]
    assert "".join(_footer_runs(document)) == "Forum\tPage {PAGE}1 sur {NUMPAGES}1"


def test_a_sources_own_labels_are_used_and_fields_follow_their_order(options: RenderOptions) -> None:
    document = open_docx(render(_labelled("en", moderator="Chair", page="{pages} pages, this is {page}"), options))
    assert "Chair: Ana · Rapporteur: Bo" in [p.text for p in document.paragraphs]
    runs = [part for part in _footer_runs(document) if part.startswith("{")]
    assert runs == ["{NUMPAGES}", "{PAGE}"]
