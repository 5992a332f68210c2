"""A theme's reference Word document gives the PDF brief its sizes and colours too (and its fonts, where
installed), so the brief matches the Word summary made from the same template; what the theme states wins."""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PdfReader

from reportgen.errors import Reporter
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers import get
from reportgen.renderers.pdf.reference import with_reference_look
from reportgen.theme import Theme

from .docx_templates import BRAND, corporate_template
from .test_pdf import shown


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16))


def looks(event: Event, theme: Theme) -> dict[str, tuple[float, tuple[int, int, int]]]:
    """Size and colour of each line drawn on the first page, by its text (the largest where a text is drawn
    twice, as the title is again in the running footer)."""
    options = RenderOptions(theme=theme)
    page = PdfReader(io.BytesIO(get("pdf").render(event, options, Reporter()))).pages[0]
    found: dict[str, tuple[float, tuple[int, int, int]]] = {}
    for item in shown(page):
        key = item.text.strip()
        if key not in found or item.size > found[key][0]:
            found[key] = (round(item.size, 1), item.colour)
    return found


def test_the_reference_docx_decides_what_the_theme_leaves_unsaid(
    seed_event: Event, make_theme: Callable[..., Theme]
) -> None:
    theme = make_theme(files={"brand.docx": corporate_template()}, reference_docx="brand.docx")
    seen = looks(seed_event, theme)
    _, title_size, _ = BRAND["Title"]
    _, h1_size, h1_colour = BRAND["Heading 1"]
    _, body_size, body_colour = BRAND["Normal"]
    assert seen["Key outcomes"] == (title_size, rgb(h1_colour))  # the title in the headings' colour
    assert seen["Day 1"] == (h1_size, rgb(h1_colour))
    outcome = "Translate high-level commitments into meaningful actions on the ground."
    assert seen[outcome] == (body_size, rgb(body_colour))
    assert with_reference_look(theme).heading_font == BRAND["Heading 1"][0]
    assert with_reference_look(theme).body_font == BRAND["Normal"][0]


def test_what_the_theme_states_wins_over_the_reference(seed_event: Event, make_theme: Callable[..., Theme]) -> None:
    theme = make_theme(
        files={"brand.docx": corporate_template()}, reference_docx="brand.docx", primary="#0B3D91", body_size=12
    )
    seen = looks(seed_event, theme)
    assert seen["Day 1"] == (BRAND["Heading 1"][1], rgb("0B3D91"))
    outcome = "Translate high-level commitments into meaningful actions on the ground."
    assert seen[outcome][0] == 12


def test_a_theme_without_a_reference_document_is_unchanged(make_theme: Callable[..., Theme]) -> None:
    theme = make_theme(accent="#00AA00")
    assert with_reference_look(theme) is theme
