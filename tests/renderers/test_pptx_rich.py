"""Rich text in the deck: the .pptx built from the every-construct source, opened with python-pptx, shows
bold, italic and code runs and links (to external relationships) on the session slide and in its notes; the
session without markup keeps its text literal; everything fits its box."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml.ns import qn

from reportgen.errors import Reporter
from reportgen.loader import load_event
from reportgen.markup import Rich, Run
from reportgen.options import RenderOptions
from reportgen.renderers.pptx import RENDERER
from reportgen.renderers.pptx.spec import rich_slice, url_ranges

from .pptx_measure import needed_height, text_area_height

CASE = Path(__file__).resolve().parents[1] / "cases" / "rich" / "every-construct.yaml"
DATA = Path(__file__).resolve().parents[2] / "data"

OECD = "https://www.oecd.org/en/publications/oecd-due-diligence-guidance.html"
MAIL = "mailto:secretariat@alliance87.org"
CONTACT = "https://alliance87.org/contact?topic=child-labour&lang=en"
ILO = (
    "https://www.ilo.org/resource/other/child-labour-supply-chains-guidance-business-2026-edition/"
    "full-report-and-annexes"
)


OPTIONS = RenderOptions(build_time=datetime(2026, 6, 25, 17, 30, tzinfo=UTC))


@pytest.fixture(scope="module")
def data() -> bytes:
    return RENDERER.render(load_event(CASE), OPTIONS, Reporter())


@pytest.fixture(scope="module")
def deck(data: bytes) -> Any:
    return Presentation(io.BytesIO(data))


def _slide(deck: Any, title: str) -> Any:
    return next(s for s in deck.slides if any(sh.name == "Title" and title in sh.text_frame.text for sh in s.shapes))


def _runs(part: Any, frame: Any) -> list[tuple[str, bool, bool, str | None, str | None]]:
    """(text, bold, italic, Latin typeface, link target) of every run, links checked to be external."""
    found = []
    for paragraph in frame.paragraphs:
        for r in paragraph._p.iter(qn("a:r")):
            rpr = r.find(qn("a:rPr"))
            latin = rpr.find(qn("a:latin"))
            click = rpr.find(qn("a:hlinkClick"))
            target = None
            if click is not None:
                rel = part.rels[click.get(qn("r:id"))]
                assert rel.reltype == RT.HYPERLINK and rel.is_external
                target = rel.target_ref
            text = "".join(t.text or "" for t in r.iter(qn("a:t")))
            found.append(
                (
                    text,
                    rpr.get("b") == "1",
                    rpr.get("i") == "1",
                    None if latin is None else latin.get("typeface"),
                    target,
                )
            )
    return found


def _external_targets(data: bytes, part: Any) -> dict[str, str]:
    """rId -> Target of the part's hyperlink relationships as the file's relationships XML writes them,
    each with TargetMode External."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(part.partname.rels_uri.membername))
    found = {}
    for rel in root:
        if rel.get("Type") == RT.HYPERLINK:
            assert rel.get("TargetMode") == "External"
            found[rel.get("Id")] = rel.get("Target")
    return found


def _linked(runs: list[tuple[str, bool, bool, str | None, str | None]]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for text, *_, target in runs:
        if target:
            texts[target] = texts.get(target, "") + text
    return texts


def test_the_session_slide_shows_bold_italic_code_and_links(deck: Any, data: bytes) -> None:
    slide = _slide(deck, "Emphasis and links")
    body = next(sh for sh in slide.shapes if sh.name == "Body")
    runs = _runs(slide.part, body.text_frame)
    bold = {t for t, b, *_ in runs if b}
    italic = {t for t, _, i, *_ in runs if i}
    assert bold == {"one remediation budget line"}
    assert italic == {"report on it", "ILO–IOE Child Labour Guidance Tool"}
    code = [(t, face) for t, _, _, face, _ in runs if t == "due-diligence"]
    assert code == [("due-diligence", OPTIONS.theme.code_font)]
    assert all(face != OPTIONS.theme.code_font for t, _, _, face, _ in runs if t != "due-diligence")
    assert _linked(runs) == {OECD: "OECD guidance", MAIL: MAIL, CONTACT: CONTACT, ILO: ILO}
    assert set(_external_targets(data, slide.part).values()) == {OECD, MAIL, CONTACT, ILO}
    # A linked run is underlined; the plain text around it is not.
    for r in body.text_frame._element.iter(qn("a:r")):
        rpr = r.find(qn("a:rPr"))
        assert (rpr.get("u") == "sng") == (rpr.find(qn("a:hlinkClick")) is not None)
    byline = next(sh for sh in slide.shapes if sh.name == "Byline")
    assert byline.text_frame.text == "Moderator: Ana Ruiz · Rapporteur: Bo Chen"
    assert {t for t, b, *_ in _runs(slide.part, byline.text_frame) if b} == {"Moderator: ", "Rapporteur: "}


def test_the_notes_carry_bold_italic_and_links(deck: Any, data: bytes) -> None:
    slide = _slide(deck, "Emphasis and links")
    notes = slide.notes_slide
    frame = notes.notes_text_frame
    assert (
        frame.text == "Open with the two company examples.\nSlides at https://alliance87.org/slides and ask the room."
    )
    runs = _runs(notes.part, frame)
    assert {t for t, b, *_ in runs if b} == {"the two company examples"}
    assert {t for t, _, i, *_ in runs if i} == {"ask the room"}
    assert _linked(runs) == {"https://alliance87.org/slides": "https://alliance87.org/slides"}
    assert list(_external_targets(data, notes.part).values()) == ["https://alliance87.org/slides"]


def test_the_session_without_markup_is_literal(deck: Any) -> None:
    slide = _slide(deck, "What is not markup")
    body = next(sh for sh in slide.shapes if sh.name == "Body")
    assert [p.text for p in body.text_frame.paragraphs] == [
        "2 * 3 * 4 and snake_case_names stay as written.",
        "<b>HTML</b>, ![an image](https://x.org/p.png), &amp; and *escaped stars* stay literal text.",
        "# Not a heading, - not a list, 5 < 6 > 4",
    ]
    runs = _runs(slide.part, body.text_frame)
    assert not any(b or i for _, b, i, *_ in runs)
    assert _linked(runs) == {}  # no link: an address inside literal image syntax stays text


def test_every_text_fits(deck: Any) -> None:
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                assert needed_height(shape) <= text_area_height(shape) + 0.01, f"slide {number}, {shape.name}"


def test_a_long_address_is_cut_where_the_url_rule_allows(deck: Any) -> None:
    """Each piece of a linked address is its own run of the same link, ending after / . - ? & = (so a viewer
    that sets a link as one field still breaks it there)."""
    slide = _slide(deck, "Emphasis and links")
    body = next(sh for sh in slide.shapes if sh.name == "Body")
    pieces = [t for t, *_, target in _runs(slide.part, body.text_frame) if target == ILO]
    assert "".join(pieces) == ILO and len(pieces) > 5
    assert all(piece[-1] in "/.-?&=" for piece in pieces[:-1])


def test_a_cut_paragraph_keeps_its_runs() -> None:
    text = Rich(
        (Run("Read "), Run("the guide", bold=True), Run(" at "), Run("https://a.org/b", link="https://a.org/b"))
    )
    piece = rich_slice(text, 3, 14)
    assert isinstance(piece, Rich) and piece == "d the guide"
    assert piece.runs == (Run("d "), Run("the guide", bold=True))
    assert url_ranges(text) == ((18, 33),)
    assert rich_slice("  plain  ", 0, 9) == "plain"


@pytest.mark.parametrize("name", ["key-outcomes", "multilingual"])
def test_a_source_without_markup_has_no_emphasis_or_links(name: str) -> None:
    deck = Presentation(io.BytesIO(RENDERER.render(load_event(DATA / f"{name}.yaml"), OPTIONS, Reporter())))
    for slide in deck.slides:
        assert not any(rel.reltype == RT.HYPERLINK for rel in slide.part.rels.values())
        xml = slide.part.blob.decode()
        assert ' i="1"' not in xml and ' u="sng"' not in xml and "hlinkClick" not in xml


def test_the_decks_theme_colours_links_as_the_other_formats_do() -> None:
    import re

    from reportgen.theme import DEFAULT_THEME

    from ..conftest import CASES

    data = RENDERER.render(load_event(CASES / "rich" / "every-construct.yaml"), RenderOptions(), Reporter())
    theme_xml = zipfile.ZipFile(io.BytesIO(data)).read("ppt/theme/theme1.xml").decode()
    colour = DEFAULT_THEME.link_colour.lstrip("#").upper()
    # PowerPoint draws links in the theme's hlink colour whatever the run says; not python-pptx's pure blue
    assert re.search(rf'<a:hlink><a:srgbClr val="{colour}"/></a:hlink>', theme_xml)
    assert re.search(rf'<a:folHlink><a:srgbClr val="{colour}"/></a:folHlink>', theme_xml)
