"""The deck for screen readers: outcomes and agenda in the layout's body placeholder, shapes in reading order
(title, body, footer), every shape without text described or marked decorative, session codes readable."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

from pptx import Presentation
from pptx.oxml.ns import qn

from reportgen.errors import Reporter
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers.pptx import RENDERER
from reportgen.theme import contrast_ratio

from ..conftest import png_bytes

DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"


def _deck(event: Event, options: RenderOptions) -> Any:
    return Presentation(io.BytesIO(RENDERER.render(event, options, Reporter())))


def test_outcomes_and_agenda_fill_the_content_layouts_body_placeholder(
    seed_event: Event, options: RenderOptions
) -> None:
    deck = _deck(seed_event, options)
    bodies = [shape for slide in deck.slides for shape in slide.shapes if shape.name == "Body"]
    assert bodies, "the seed deck has an agenda and session slides"
    for body in bodies:
        assert body.is_placeholder and body.placeholder_format.idx == 1
        layout = body.part.slide_layout
        assert layout.name == "Title and Content"
        assert any(p.placeholder_format.idx == 1 for p in layout.placeholders)  # it inherits from a real one
        assert body.text_frame.text.strip()


def test_shapes_are_in_reading_order_title_then_body_then_footer(seed_event: Event, options: RenderOptions) -> None:
    deck = _deck(seed_event, options)
    for slide in deck.slides:
        names = [s.name for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()]
        assert names[0] == "Title", names
        if "Body" in names:
            assert names.index("Body") < names.index("Footer") < names.index("Slide Number"), names


def test_every_shape_without_text_has_alt_text_or_is_decorative(make_theme: Any, seed_event: Event) -> None:
    theme = make_theme(files={"logo.png": png_bytes()}, logo="logo.png", logo_alt="Alliance 8.7")
    deck = _deck(seed_event, RenderOptions(theme=theme))
    pictures = 0
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                continue
            properties = shape._element.find(".//" + qn("p:cNvPr"))
            decorative = properties.find(f".//{DECORATIVE}") is not None
            assert properties.get("descr") or decorative, (slide.slide_id, shape.name)
            pictures += shape.shape_type == 13
    assert pictures >= 2  # the logo on the cover and on content slides, each described


def test_session_codes_stay_readable_on_a_light_accent(seed_event: Event, options: RenderOptions) -> None:
    light = replace(options.theme, accent="#F2B880")  # 1.8:1 on white
    deck = _deck(seed_event, replace(options, theme=light))
    slide = next(s for s in deck.slides if any(sh.name == "Title" and ":" in sh.text_frame.text for sh in s.shapes))
    title = next(sh for sh in slide.shapes if sh.name == "Title")
    colour = title.text_frame.paragraphs[0].runs[0].font.color.rgb
    assert contrast_ratio(f"#{colour}", "#FFFFFF") >= 3.0  # large bold text
    bar = next(sh for sh in slide.shapes if sh.name == "Accent Bar")
    assert str(bar.fill.fore_color.rgb) == "F2B880"  # the bar keeps the accent
