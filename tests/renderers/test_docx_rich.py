"""Inline markup in the Word summary, read back as a reader meets it: styled runs, code font, links."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import RGBColor

from reportgen.errors import Reporter
from reportgen.loader import from_data, load_event
from reportgen.markup import Run
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers.docx import RENDERER
from reportgen.theme import Theme, contrast_ratio, load_theme

from ..conftest import CASES

EVERY_CONSTRUCT = CASES / "rich" / "every-construct.yaml"


@pytest.fixture(scope="module")
def rich_event() -> Event:
    return load_event(EVERY_CONSTRUCT)


def render(event: Event, options: RenderOptions) -> Any:
    return docx.Document(io.BytesIO(RENDERER.render(event, options, Reporter())))


def _inherited(style: Any, attribute: str) -> Any:
    """A run property as its character style (and the styles it is based on) sets it."""
    while style is not None:
        value = getattr(style.font, attribute)
        if value is not None:
            return value
        style = style.base_style
    return None


def seen_runs(paragraph: Any, document: Any) -> list[Run]:
    """The paragraph's text as runs of (text, bold, italic, code, link) the way Word resolves them: direct
    formatting first, then the run's character style; a run is code when its Latin font is the code font,
    a link when it sits in a w:hyperlink (its target read from the relationship)."""
    rels = document.part.rels
    code_font = THEME.code_font
    runs: list[Run] = []
    for r in paragraph._p.iter(qn("w:r")):
        run = docx.text.run.Run(r, paragraph)
        style = run.style if r.rPr is not None and r.rPr.rStyle is not None else None
        bold = run.bold if run.bold is not None else bool(style and _inherited(style, "bold"))
        italic = run.italic if run.italic is not None else bool(style and _inherited(style, "italic"))
        font = run.font.name or (style and _inherited(style, "name"))
        parent = r.getparent()
        link = None
        if parent.tag == qn("w:hyperlink"):
            rel = rels[parent.get(qn("r:id"))]
            assert rel.reltype == RT.HYPERLINK and rel.is_external
            link = rel.target_ref
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        look = Run(text, bold, italic, font == code_font, link)
        if runs and runs[-1][1:] == look[1:]:
            runs[-1] = runs[-1]._replace(text=runs[-1].text + text)
        else:
            runs.append(look)
    return runs


THEME = load_theme("default")


def paragraph_of(document: Any, text: str) -> Any:
    found = [p for p in document.paragraphs if p.text == text]
    assert len(found) == 1, text
    return found[0]


def test_every_outcome_reads_as_its_runs_bold_italic_code_and_links(rich_event: Event, options: RenderOptions) -> None:
    document = render(rich_event, options)
    for outcome in (o for s in rich_event.sessions for o in s.outcomes):
        assert seen_runs(paragraph_of(document, outcome), document) == list(outcome.runs), outcome.source


def test_the_constructs_a_reader_sees(rich_event: Event, options: RenderOptions) -> None:
    document = render(rich_event, options)
    first, second, third = (
        seen_runs(paragraph_of(document, str(o)), document) for o in rich_event.sessions[0].outcomes[:3]
    )
    assert Run("one remediation budget line", bold=True) in first
    assert Run("report on it", italic=True) in first
    assert Run("ILO–IOE Child Labour Guidance Tool", italic=True) in second
    assert Run("due-diligence", code=True) in second
    link = "https://www.oecd.org/en/publications/oecd-due-diligence-guidance.html"
    assert Run("OECD guidance", link=link) in third


def test_bold_italic_code_and_links_are_character_styles_a_user_can_restyle(
    rich_event: Event, options: RenderOptions
) -> None:
    document = render(rich_event, options)
    used = {
        r.rPr.rStyle.val
        for p in document.paragraphs
        for r in p._p.iter(qn("w:r"))
        if r.rPr is not None and r.rPr.rStyle is not None
    }
    styles = {document.styles.get_by_id(style_id, WD_STYLE_TYPE.CHARACTER).name for style_id in used}
    assert {"Strong", "Emphasis", "HTML Code", "Hyperlink"} <= styles
    assert document.styles["HTML Code"].font.name == THEME.code_font
    # No direct bold, italic or font on the runs of a source whose runs each have one look.
    for p in document.paragraphs:
        for r in p._p.iter(qn("w:r")):
            rPr = r.rPr
            if rPr is not None:
                assert rPr.find(qn("w:b")) is None and rPr.find(qn("w:i")) is None and rPr.rFonts is None


@pytest.mark.parametrize("theme_name", ["default", "high-contrast", "print"])
def test_links_are_underlined_in_a_theme_colour_readable_on_the_page(
    rich_event: Event, options: RenderOptions, theme_name: str
) -> None:
    theme = load_theme(theme_name)
    document = render(rich_event, replace(options, theme=theme))
    link = document.styles["Hyperlink"]
    assert link.font.underline is True
    colour = "#" + str(link.font.color.rgb)
    assert colour in (theme.accent, theme.primary, theme.text)
    assert contrast_ratio(colour, theme.background) >= 4.5


def test_every_hyperlink_targets_the_sources_link_in_order_and_shows_its_text(
    rich_event: Event, options: RenderOptions
) -> None:
    document = render(rich_event, options)
    rels = document.part.rels
    hyperlinks = list(document.element.body.iter(qn("w:hyperlink")))
    expected = [link for s in rich_event.sessions for o in s.outcomes for link in o.links]
    assert len(expected) == 4  # the address inside literal image syntax is no link
    assert [rels[h.get(qn("r:id"))].target_ref for h in hyperlinks] == expected
    shown = [
        "".join(r.text for r in o.runs if r.link == link)
        for s in rich_event.sessions
        for o in s.outcomes
        for link in o.links
    ]
    for h, text in zip(hyperlinks, shown, strict=True):
        rel = rels[h.get(qn("r:id"))]
        assert rel.is_external and rel.reltype == RT.HYPERLINK
        assert h.get(qn("w:history")) == "1"
        assert "".join(t.text for t in h.iter(qn("w:t"))) == text


def test_the_relationships_say_target_mode_external(rich_event: Event, options: RenderOptions) -> None:
    data = RENDERER.render(rich_event, options, Reporter())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        rels = package.read("word/_rels/document.xml.rels").decode()
    for link in (
        "https://www.oecd.org/en/publications/oecd-due-diligence-guidance.html",
        "mailto:secretariat@alliance87.org",
    ):
        assert f'Target="{link}" TargetMode="External"' in rels


def test_text_that_is_not_markup_stays_literal(rich_event: Event, options: RenderOptions) -> None:
    document = render(rich_event, options)
    texts = [p.text for p in document.paragraphs]
    assert "**Markup** in titles stays literal" in texts
    for literal in (
        "2 * 3 * 4 and snake_case_names stay as written.",
        "# Not a heading, - not a list, 5 < 6 > 4",
    ):
        assert seen_runs(paragraph_of(document, literal), document) == [Run(literal)]
    line = "<b>HTML</b>, ![an image](https://x.org/p.png), &amp; and *escaped stars* stay literal text."
    runs = seen_runs(paragraph_of(document, line), document)
    assert runs == [Run(line)]  # nothing emphasised, and no link: an image stays literal text


def test_the_role_line_is_words_roles_with_the_labels_bold(rich_event: Event, options: RenderOptions) -> None:
    document = render(rich_event, options)
    roles = paragraph_of(document, "Moderator: Ana Ruiz · Rapporteur: Bo Chen")
    assert roles.style.name == "Session Roles"
    assert seen_runs(roles, document) == [
        Run("Moderator: ", bold=True),
        Run("Ana Ruiz · "),
        Run("Rapporteur: ", bold=True),
        Run("Bo Chen"),
    ]


def test_the_details_are_one_line(rich_event: Event, options: RenderOptions) -> None:
    document = render(rich_event, options)
    details = [p.text for p in document.paragraphs if p.style.name == "Event Details"]
    assert details == ["24 June 2026 · Geneva · Alliance 8.7"]


def _event(*outcomes: str, language: str = "en") -> Event:
    session = {"code": "X", "title": "Scripts", "outcomes": list(outcomes)}
    return from_data(
        Event, {"event": {"title": "T", "language": language}, "days": [{"title": "D", "sessions": [session]}]}
    )


def test_markup_runs_in_other_scripts_keep_their_fonts_and_languages(options: RenderOptions) -> None:
    event = _event("**加强伙伴**信任 and `代码` here", "[دعم الشركات](https://example.org/ar) اليوم", language="zh-CN")
    document = render(event, options)
    chinese, arabic = (p for p in document.paragraphs if p.style.name == "List Bullet")
    strong = [r for r in chinese._p.iter(qn("w:r")) if r.rPr is not None and r.rPr.rStyle is not None]
    assert [r.rPr.rStyle.val for r in strong][:1] == ["Strong"]
    fonts = strong[0].rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) and fonts.get(qn("w:hint")) == "eastAsia"
    assert strong[0].rPr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    code = [r for r in strong if r.rPr.rStyle.val == "HTMLCode"]
    assert code and code[0].rPr.rFonts.get(qn("w:ascii")) == options.theme.code_font
    # The Arabic link: a right-to-left paragraph whose linked runs are w:rtl with the Arabic language.
    assert arabic._p.pPr.find(qn("w:bidi")) is not None
    linked = next(arabic._p.iter(qn("w:hyperlink"))).findall(qn("w:r"))
    assert all(r.rPr.find(qn("w:rtl")) is not None for r in linked)
    assert linked[0].rPr.find(qn("w:lang")).get(qn("w:bidi")) == "ar-SA"
    assert linked[0].rPr.rFonts.get(qn("w:cs"))


def test_a_run_with_two_looks_takes_one_style_and_direct_formatting(options: RenderOptions) -> None:
    document = render(_event("[**bold link**](https://a.example.org) and ***both***"), options)
    runs = seen_runs(document.paragraphs[-1], document)
    assert Run("bold link", bold=True, link="https://a.example.org") in runs
    assert Run("both", bold=True, italic=True) in runs


def test_a_source_without_markup_gains_no_style(full_event: Event, options: RenderOptions) -> None:
    names = {s.name for s in render(full_event, options).styles}
    assert "Hyperlink" not in names and "HTML Code" not in names


def test_a_templates_own_character_styles_are_used(
    rich_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    template = docx.Document()
    link = template.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    link.font.color.rgb = RGBColor(0x00, 0x66, 0x33)
    code = template.styles.add_style("Source Code", WD_STYLE_TYPE.CHARACTER)
    code.font.name = "Consolas"
    stream = io.BytesIO()
    template.save(stream)
    theme = make_theme(files={"brand.docx": stream.getvalue()}, reference_docx="brand.docx")
    document = render(rich_event, replace(options, theme=theme))
    names = [s.name for s in document.styles if s.type == WD_STYLE_TYPE.CHARACTER]
    assert names.count("Hyperlink") == 1 and "HTML Code" not in names
    assert document.styles["Hyperlink"].font.color.rgb == RGBColor(0x00, 0x66, 0x33)
    used = {
        r.rPr.rStyle.val
        for r in document.element.body.iter(qn("w:r"))
        if r.rPr is not None and r.rPr.rStyle is not None
    }
    assert document.styles["Source Code"].style_id in used
