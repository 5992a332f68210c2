"""The PDF brief's rich text, read back from the file written: emphasis in its faces, code in the code
font, links as /Link annotations over their text, addresses broken only where the URL rule allows, and the
text that only looks like markup printed as written."""

from __future__ import annotations

import io
import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from reportgen.errors import Reporter
from reportgen.loader import load_event
from reportgen.markup import Rich
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers.pdf import RENDERER
from reportgen.text import shaping
from reportgen.text.breaking import URL_BREAK_AFTER
from reportgen.text.fonts import find_font
from reportgen.theme import Theme, rgb

from .test_pdf import Shown, event_of, flat, shown

EVERY_CONSTRUCT = Path(__file__).parents[1] / "cases" / "rich" / "every-construct.yaml"


@pytest.fixture(scope="module")
def event() -> Event:
    return load_event(EVERY_CONSTRUCT)


@pytest.fixture(scope="module")
def pdf(event: Event) -> PdfReader:
    options = RenderOptions()
    return PdfReader(io.BytesIO(RENDERER.render(event, options, Reporter())))


def annotations(reader: PdfReader) -> list[tuple[str, list[float], int]]:
    """(URI, rect, page index) of every link annotation, in the order written."""
    found = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []):
            annot: Any = ref.get_object()
            assert annot["/Subtype"] == "/Link"
            found.append((str(annot["/A"]["/URI"]), [float(v) for v in annot["/Rect"]], index))
    return found


def under(rect: list[float], items: list[Shown]) -> str:
    """The text of the text operations drawn inside `rect` (baseline and both ends), left to right."""
    x0, y0, x1, y1 = rect
    inside = [i for i in items if y0 < i.y < y1 and i.x >= x0 - 0.01 and i.end <= x1 + 0.01]
    return "".join(i.text for i in sorted(inside, key=lambda i: i.x))


def linked_texts(event: Event) -> list[tuple[str, str]]:
    """(target, text shown) of every linked stretch of the outcomes, in order."""
    found: list[tuple[str, str]] = []
    for session in event.sessions:
        for outcome in session.outcomes:
            assert isinstance(outcome, Rich)
            previous = None
            for run in outcome.runs:
                if run.link and run.link == previous:
                    found[-1] = (run.link, found[-1][1] + run.text)
                elif run.link:
                    found.append((run.link, run.text))
                previous = run.link
    return found


def test_every_link_is_an_annotation_to_its_target_in_order(event: Event, pdf: PdfReader) -> None:
    targets = [link for session in event.sessions for outcome in session.outcomes for link in outcome.links]
    assert len(targets) == 4  # the address inside literal image syntax is no link
    uris = [uri for uri, _, _ in annotations(pdf)]
    # A link broken over two lines has one annotation per line, to the same address.
    assert [u for i, u in enumerate(uris) if i == 0 or uris[i - 1] != u] == targets
    assert len(uris) > len(targets)


def test_each_annotation_lies_over_its_links_text(event: Event, pdf: PdfReader) -> None:
    page_width, page_height = (float(v) for v in pdf.pages[0].mediabox[2:])
    items = {index: shown(page) for index, page in enumerate(pdf.pages)}
    pieces: dict[str, str] = {}
    for uri, rect, index in annotations(pdf):
        x0, y0, x1, y1 = rect
        assert 0 < x0 < x1 < page_width and 0 < y0 < y1 < page_height
        text = under(rect, items[index])
        assert text, f"nothing drawn under the annotation to {uri}"
        pieces[uri] = pieces.get(uri, "") + text
    assert list(pieces.items()) == linked_texts(event)


def test_link_text_is_coloured_as_a_link(pdf: PdfReader) -> None:
    primary = rgb(Theme().primary)
    items = shown(pdf.pages[0])
    guidance = [i for i in items if i.text == "OECD guidance"]
    assert guidance and all(i.colour == primary for i in guidance)
    content = pdf.pages[0].get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    assert re.search(r" l S Q", content), "no underline stroked"


def test_emphasis_and_code_use_their_faces(pdf: PdfReader) -> None:
    fonts_of = {i.text: i.font for i in shown(pdf.pages[0])}
    assert "Bold" in fonts_of["one remediation budget line"] and "Italic" not in fonts_of["one remediation budget line"]
    assert "Italic" in fonts_of["report on it"] and "Bold" not in fonts_of["report on it"]
    assert "Italic" in fonts_of["ILO–IOE Child Labour Guidance Tool"]
    assert fonts_of["due-diligence"] == "LiberationMono"  # Courier New's metric twin, regular
    assert fonts_of["Buyers commit to "] == "Carlito"  # the regular face's PostScript name
    assert fonts_of["by June, and "] == "Carlito"


def test_the_role_line_has_bold_labels(pdf: PdfReader) -> None:
    text = flat(pdf.pages[0].extract_text())
    assert "Moderator: Ana Ruiz · Rapporteur: Bo Chen" in text
    fonts_of = {i.text: i.font for i in shown(pdf.pages[0])}
    assert "Bold" in fonts_of["Moderator: "] and "Bold" in fonts_of["Rapporteur: "]
    assert fonts_of["Ana Ruiz · "] == fonts_of["Bo Chen"] == "Carlito"


def test_addresses_break_only_after_the_url_break_characters(event: Event, pdf: PdfReader) -> None:
    items = {index: shown(page) for index, page in enumerate(pdf.pages)}
    by_uri: dict[str, list[str]] = {}
    for uri, rect, index in annotations(pdf):
        by_uri.setdefault(uri, []).append(under(rect, items[index]))
    broken = {uri: parts for uri, parts in by_uri.items() if len(parts) > 1}
    assert any(uri.endswith("full-report-and-annexes") for uri in broken)
    for parts in broken.values():
        for before, after in itertools.pairwise(parts):
            assert before[-1] in URL_BREAK_AFTER and after[0] not in URL_BREAK_AFTER, (before, after)


def test_what_is_not_markup_is_printed_as_written(pdf: PdfReader) -> None:
    text = flat(" ".join(page.extract_text() for page in pdf.pages))
    for literal in (
        "**Markup** in titles stays literal",
        "2 * 3 * 4 and snake_case_names stay as written.",
        "<b>HTML</b>, ![an image](https://x.org/p.png), &amp; and *escaped stars* stay literal text.",
        "# Not a heading, - not a list, 5 < 6 > 4",
    ):
        assert literal in text


def test_an_address_without_break_points_never_overflows(options: RenderOptions) -> None:
    address = "https://example.org/" + "a" * 400
    event = event_of({"code": "A", "title": "T", "outcomes": [f"See {address} now."]})
    reader = PdfReader(io.BytesIO(RENDERER.render(event, options, Reporter())))
    page = reader.pages[0]
    right = float(page.mediabox[2]) - Theme().margin_mm * 72 / 25.4
    items = shown(page)
    assert all(item.end <= right + 0.01 for item in items)
    assert "".join(item.text for item in items if item.text.startswith("a") or "example" in item.text).count("a") >= 400
    assert [str(a.get_object()["/A"]["/URI"]) for a in page["/Annots"]] == [address] * len(page["/Annots"])


def test_bold_in_a_fallback_without_bold_is_emboldened(options: RenderOptions) -> None:
    event = event_of({"code": "A", "title": "T", "outcomes": ["**会议 bold** and 会议"]})
    reader = PdfReader(io.BytesIO(RENDERER.render(event, options, Reporter())))
    content = reader.pages[0].get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]
    assert content.count(" 2 Tr") == 1 and content.count("0 Tr") == 1
    items = shown(reader.pages[0])
    assert "Bold" in next(i.font for i in items if "bold" in i.text)
    # The plain CJK after it is drawn in the same (regular) face, not emboldened.
    cjk = [i.font for i in items if "会议" in i.text]
    assert len(cjk) == 2 and cjk[0] == cjk[1]


def test_the_url_rule_is_the_text_layers() -> None:
    path = find_font("Carlito")
    assert path is not None
    address = "https://alliance87.org/contact?topic=child-labour&lang=en"
    spans = [shaping.Span("Mail ", (path,), "#000000"), shaping.Span(address, (path,), "#000000", address)]
    assert shaping.url_ranges(spans) == [(5, 5 + len(address))]
    for width in (90.0, 120.0, 150.0):  # wider than any piece between break places
        lines = shaping.shape(spans, 11, "en").lines(width)
        assert len(lines) > 2
        for line in lines[1:-1]:
            assert line.text[-1] in URL_BREAK_AFTER or line.text == "Mail"
    # Linked text that is not an address breaks as any text does.
    words = shaping.Span("the guidance", (path,), "#000000", address)
    assert shaping.url_ranges([words]) == []
