"""The handout: every slide of the deck's plan, drawn by the PDF backend two or three to a page with its speaker
notes, tagged PDF/UA-1 like the brief."""

from __future__ import annotations

import io
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from reportgen import renderers
from reportgen.building import build
from reportgen.errors import Reporter
from reportgen.loader import from_data, load_event
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers.handout import RENDERER
from reportgen.renderers.pdf.slides import notes_lines
from reportgen.renderers.pptx import plan_slides
from reportgen.theme import load_theme

from ..conftest import CASES, DATA, EXAMPLES, png_bytes
from .test_pdf import has_rtl
from .test_pdf_tagging import elements, failures, kids, reading_order

THEMES = ["default", "high-contrast", "print"]
SOURCES = [*EXAMPLES, CASES / "rich" / "every-construct.yaml"]


def render(event: Event, options: RenderOptions) -> bytes:
    return RENDERER.render(event, options, Reporter())


def squeezed(text: str) -> str:
    return "".join(str(text).split())


def comparable(text: str) -> str:
    """The text without spaces; with right-to-left letters, its characters sorted (the helper reads marked
    content in the order drawn, and right-to-left runs are drawn in visual order, as in the brief)."""
    text = squeezed(text)
    return "".join(sorted(text)) if has_rtl(text) else text


def test_it_is_registered_as_handout_writing_name_handout_pdf() -> None:
    assert renderers.suffix("handout") == ".handout.pdf"
    assert "handout" in renderers.available() and "handout" not in renderers.defaults()


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_slide_title_and_every_note_is_in_the_handout_in_order(source: Path, options: RenderOptions) -> None:
    event = load_event(source)
    plan = plan_slides(event, options.theme, Reporter())
    data = render(event, options)
    order = reading_order(data)
    # Each slide's title is its H1, in the deck's order; each line of its notes a paragraph after it.
    titles = [comparable(text) for kind, text in order if kind == "H1"]
    assert titles == [comparable(spec.texts[0].paras[0].full_text) for spec in plan]
    paragraphs = [comparable(text) for kind, text in order if kind == "P"]
    notes = [comparable(line) for spec in plan for line in notes_lines(spec.notes) if line.strip()]
    assert all(note in paragraphs for note in notes)
    if source.stem != "multilingual":  # pypdf does not reorder right-to-left lines reliably
        text = squeezed(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
        for spec in plan:
            assert squeezed(spec.title.split(" (")[0]) in text
        for note in notes:
            assert note in text


def test_the_examples_speaker_notes_are_there(options: RenderOptions) -> None:
    event = load_event(DATA / "child-labour-forum-2026.yaml")
    notes = [s.notes for s in event.sessions if s.notes]
    assert notes
    text = squeezed(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(render(event, options))).pages))
    for note in notes:
        for line in note.splitlines():
            assert squeezed(line) in text


def slides_per_page(data: bytes) -> list[int]:
    """How many slides (Sect elements) begin on each page."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = [p.objgen for p in pdf.pages]
        counts = [0] * len(pages)
        for element in elements(pdf):
            if str(element.S) == "/Sect":
                first = next(kid for kid in kids(element) if isinstance(kid, pikepdf.Dictionary))
                counts[pages.index(first.Pg.objgen)] += 1
    return counts


@pytest.mark.parametrize("per", [2, 3])
def test_a_theme_key_sets_two_or_three_slides_to_a_page(per: int, options: RenderOptions) -> None:
    event = load_event(DATA / "key-outcomes.yaml")
    theme = replace(options.theme, handout_slides_per_page=per)
    n = len(plan_slides(event, theme, Reporter()))
    counts = slides_per_page(render(event, replace(options, theme=theme)))
    assert len(counts) == math.ceil(n / per)
    assert counts[:-1] == [per] * (len(counts) - 1) and 0 < counts[-1] <= per


def test_three_to_a_page_is_the_default() -> None:
    assert load_theme("default").handout_slides_per_page == 3


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_example_in_every_theme_passes_pdf_ua_1(source: Path, theme: str, options: RenderOptions) -> None:
    data = render(load_event(source), replace(options, theme=load_theme(theme)))
    assert failures(data) == []


@pytest.mark.parametrize("per", [2, 3])
def test_two_or_three_to_a_page_with_a_logo_pass_pdf_ua_1(per: int, options: RenderOptions, make_theme: Any) -> None:
    theme = make_theme(files={"logo.png": png_bytes()}, logo="logo.png", logo_alt="Alliance 8.7")
    theme = replace(theme, handout_slides_per_page=per)
    data = render(load_event(DATA / "child-labour-forum-2026.yaml"), replace(options, theme=theme))
    assert failures(data) == []


def test_it_is_reproducible(options: RenderOptions) -> None:
    event = load_event(DATA / "multilingual.yaml")
    assert render(event, options) == render(event, options)


def test_notes_too_long_for_their_place_are_set_smaller_then_cut_with_a_warning(options: RenderOptions) -> None:
    notes = "\n".join(f"Line {i} of notes that go on for far longer than any speaker would read." for i in range(80))
    event = from_data(
        Event,
        {
            "event": {"title": "Notes"},
            "days": [{"title": "Day 1", "sessions": [{"code": "A", "title": "T", "outcomes": ["x"], "notes": notes}]}],
        },
    )
    report = Reporter()
    data = RENDERER.render(event, options, report)
    assert any("do not fit on the handout" in w for w in report.warnings)
    assert failures(data) == []
    text = PdfReader(io.BytesIO(data)).pages[-1].extract_text()
    assert "Line 0 of notes" in text and "Line 79 of notes" not in text


def test_build_writes_name_handout_pdf_only_when_asked(tmp_path: Path) -> None:
    seed = str(DATA / "key-outcomes.yaml")
    assert build([seed], tmp_path / "default").results[0].ok
    assert sorted(p.name for p in (tmp_path / "default").glob("key-outcomes.*")) == [
        "key-outcomes.docx",
        "key-outcomes.pdf",
        "key-outcomes.pptx",
    ]
    assert build([seed], tmp_path / "asked", ["handout"]).results[0].ok
    assert [p.name for p in (tmp_path / "asked").glob("key-outcomes.*")] == ["key-outcomes.handout.pdf"]


def test_a_corporate_templates_slides_are_drawn_on_its_canvas_and_pass(options: RenderOptions, make_theme: Any) -> None:
    from .pptx_templates import make_template

    made = make_template(size="4:3")
    theme = make_theme(files={"brand.potx": made.data}, reference_pptx="brand.potx")
    event = load_event(DATA / "key-outcomes.yaml")
    data = render(event, replace(options, theme=theme))
    assert failures(data) == []
    order = reading_order(data)
    assert ("H1", squeezed(event.sessions[0].heading)) in order


def test_the_handout_draws_the_same_follow_up_slides_as_the_deck() -> None:
    import dataclasses
    import io

    from pptx import Presentation
    from pypdf import PdfReader

    from reportgen.errors import Reporter
    from reportgen.loader import load_event
    from reportgen.options import RenderOptions
    from reportgen.renderers import get

    from ..conftest import DATA

    event = load_event(DATA / "follow-up.yaml")
    options = dataclasses.replace(RenderOptions(), previous=load_event(DATA / "follow-up-previous.yaml"))
    deck = Presentation(io.BytesIO(get("pptx").render(event, options, Reporter())))
    handout = PdfReader(io.BytesIO(get("handout").render(event, options, Reporter())))
    seen = " ".join(page.extract_text() for page in handout.pages)
    titles = [s.shapes.title.text_frame.text for s in deck.slides if s.shapes.title is not None]
    since = [t for t in titles if t.startswith("Since the last meeting")]
    assert since  # before, the handout planned without --since and without the build date
    for title in since:
        assert title in seen
    # The deck's chart of actions by status is drawn in the handout too, with its numbers in words.
    by_status = next(p for p in handout.pages if "Actions by status" in p.extract_text())
    assert "Day 1 · A\n1 open, 1 in progress" in by_status.extract_text()
