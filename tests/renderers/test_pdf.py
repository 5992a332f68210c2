"""Specifications of the PDF brief, checked by reading the rendered bytes back with pypdf."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uharfbuzz as hb
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream, Destination

from reportgen.errors import RenderError, Reporter
from reportgen.loader import from_data, load_event
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers import get
from reportgen.renderers.pdf import RENDERER
from reportgen.text import bidi, fallback, fonts, shaping
from reportgen.theme import Theme, contrast_ratio, load_theme, rgb

from ..conftest import DATA, png_bytes

STANDARD_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}
PT_PER_MM = 72 / 25.4
# The dates of the document information dictionary and of the XMP metadata (written uncompressed).
DATES = re.compile(rb"/(?:CreationDate|ModDate) \(D:[^)]*\)|<xmp:(?:Create|Modify|Metadata)Date>[^<]*<")


def render(event: Event, options: RenderOptions, reporter: Reporter | None = None) -> bytes:
    return RENDERER.render(event, options, reporter if reporter is not None else Reporter())


def read(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def flat(text: str) -> str:
    """Extracted text with every run of whitespace (line breaks included) as one space."""
    return " ".join(text.split())


def text_string(value: Any) -> str:
    """A PDF text string as pypdf returns it (decoded already, or UTF-16 bytes with a byte order mark)."""
    if isinstance(value, str):
        return str(value)
    data = bytes(value)
    assert data[:2] == b"\xfe\xff"
    return data[2:].decode("utf-16-be")


def text_of(data: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in read(data).pages))


def lines_of(page: Any) -> list[tuple[float, float, str]]:
    """(x, y, text) of every text run on the page, in drawing order, in page coordinates."""
    runs: list[tuple[float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: Any) -> None:
        if text.strip():
            runs.append((cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3], text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


def bullets(page: Any) -> list[tuple[float, float, float, tuple[int, int, int]]]:
    """(centre x, centre y, diameter, fill colour) of every bullet disc on the page (a closed path of four
    curves, filled), in page coordinates."""
    found = []
    origins = [(0.0, 0.0)]  # the translation in force (paragraphs are moved with cm), per graphics state
    colour = (0, 0, 0)
    path: list[tuple[bytes, list[float]]] = []
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"q":
            origins.append(origins[-1])
        elif operator == b"Q":
            origins.pop()
        elif operator == b"cm":
            x, y = origins[-1]
            origins[-1] = (x + float(operands[4]), y + float(operands[5]))
        elif operator == b"rg":
            colour = tuple(round(float(v) * 255) for v in operands)  # type: ignore[assignment]
        elif operator in (b"m", b"c", b"h"):
            path.append((operator, [float(v) for v in operands]))
        elif operator == b"f":
            if [op for op, _ in path] == [b"m", b"c", b"c", b"c", b"c", b"h"]:
                (_, start), (_, first) = path[:2]
                x, y = origins[-1]
                found.append((x + first[4], y + start[1], 2 * (start[0] - first[4]), colour))
            path = []
        else:
            path = []
    return found


@dataclass(frozen=True)
class Shown:
    """One text-showing operation as drawn: page position of its start and end (points), font, size,
    fill colour, and what each glyph stands for by its font's ToUnicode map."""

    x: float
    end: float
    y: float
    font: str  # PostScript name, without the subset prefix
    size: float
    colour: tuple[int, int, int]
    texts: tuple[str, ...]
    codes: tuple[int, ...] = ()
    resource: Any = field(default=None, compare=False, repr=False)  # the font dictionary

    @property
    def text(self) -> str:
        return "".join(self.texts)


def to_unicode(font: Any) -> dict[int, str]:
    """Code -> text of a simple font's ToUnicode CMap."""
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    pairs = re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>", data.split("beginbfchar", 1)[1])
    return {int(code, 16): bytes.fromhex(value).decode("utf-16-be") for code, value in pairs}


def times(m: list[float], n: list[float]) -> list[float]:
    """The product of two PDF matrices [a b c d e f]: m applied first, then n."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u]


def shown(page: Any) -> list[Shown]:
    """Every TJ/Tj of the page, in drawing order (the renderer sets the text matrix for each run)."""
    resources: Any = page["/Resources"]["/Font"]
    fonts_ = {name: ref.get_object() for name, ref in resources.items()}
    maps = {name: to_unicode(font) for name, font in fonts_.items()}
    matrix, stack = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], []
    font_name, size, colour, tm = "", 0.0, (0, 0, 0), (0.0, 0.0)
    found: list[Shown] = []

    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"q":
            stack.append(matrix)
        elif operator == b"Q":
            matrix = stack.pop()
        elif operator == b"cm":
            matrix = times([float(v) for v in operands], matrix)
        elif operator == b"Tm":
            tm = (float(operands[4]), float(operands[5]))
        elif operator == b"Tf":
            font_name, size = str(operands[0]), float(operands[1])
        elif operator == b"rg":
            colour = tuple(round(float(v) * 255) for v in operands)  # type: ignore[assignment]
        elif operator in (b"TJ", b"Tj"):
            font = fonts_[font_name]
            widths, first = [float(w) for w in font["/Widths"]], int(font["/FirstChar"])
            items = operands[0] if operator == b"TJ" else [operands[0]]
            texts, codes, advance = [], [], 0.0
            for item in items:
                if isinstance(item, (bytes, str)):
                    for code in item.original_bytes if isinstance(item, str) else bytes(item):  # type: ignore[attr-defined]
                        texts.append(maps[font_name].get(code, ""))
                        codes.append(code)
                        advance += widths[code - first] / 1000 * size
                else:
                    advance -= float(item) / 1000 * size
            x = tm[0] * matrix[0] + tm[1] * matrix[2] + matrix[4]
            y = tm[0] * matrix[1] + tm[1] * matrix[3] + matrix[5]
            base = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            end = x + advance * matrix[0]
            found.append(Shown(x, end, y, base, size, colour, tuple(texts), tuple(codes), font))
            tm = (tm[0] + advance, tm[1])
    return found


def drawn_rows(page: Any) -> dict[float, list[Shown]]:
    """The text operations of each line (by baseline, from the top of the page), left to right."""
    rows: dict[float, list[Shown]] = {}
    for item in shown(page):
        rows.setdefault(round(item.y, 1), []).append(item)
    return {y: sorted(rows[y], key=lambda i: i.x) for y in sorted(rows, reverse=True)}


def seen(items: list[Shown]) -> str:
    """The characters of glyphs as they appear left to right; a ligature of right-to-left letters (its
    ToUnicode entry in logical order) is read right to left like the letters around it."""
    return "".join(
        text[::-1] if all(unicodedata.bidirectional(ch) in ("R", "AL", "NSM") for ch in text) else text
        for item in items
        for text in item.texts
    )


def drawn_lines(page: Any) -> list[str]:
    """Each line's glyphs as they appear left to right (for right-to-left text: the reverse of the
    logical order), each glyph read through its ToUnicode entry; lines from the top of the page."""
    return [seen(items) for items in drawn_rows(page).values()]


def has_rtl(text: str) -> bool:
    """Whether the text has right-to-left letters (Arabic, Hebrew)."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def shows(page: Any, text: str) -> bool:
    """Whether the page shows the text: without right-to-left letters, as pypdf extracts it; with them
    (pypdf's reordering of mixed lines is unreliable), as the characters of one drawn line in any
    order (the order is specified by the tests of right-to-left lines)."""
    if not has_rtl(text):
        return text in flat(page.extract_text())
    wanted = sorted(text.replace(" ", ""))
    return any(sorted(line.replace(" ", "").strip("•")) == wanted for line in drawn_lines(page))


def visual(logical: str, left_to_right: list[str]) -> str:
    """How a right-to-left line looks, read left to right: its text reversed, except the runs that
    read left to right (numbers, Latin words), which keep their own order."""
    for run in left_to_right:
        logical = logical.replace(run, run[::-1])
    return logical[::-1]


def postscript_name(family: str, bold: bool = False) -> str:
    """The PostScript name of the face the renderer embeds for a family."""
    path, _ = fonts.require_font(family, bold=bold)
    with TTFont(path, lazy=True) as font:
        return str(font["name"].getDebugName(6))


def harfbuzz(path: Path, text: str, rtl: bool = False) -> list[int]:
    """Glyph ids HarfBuzz gives for the text in the font, in visual order."""
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    hb.shape(hb.Font(hb.Face(hb.Blob.from_file_path(str(path)))), buffer, {})
    return [info.codepoint for info in buffer.glyph_infos]


def outlines_drawn(item: Shown) -> list[tuple[Any, ...]]:
    """The outline of every glyph an operation draws, from the font program embedded in the PDF."""
    program = TTFont(io.BytesIO(item.resource["/FontDescriptor"]["/FontFile2"].get_object().get_data()))
    codes = program["cmap"].getcmap(1, 0).cmap  # reportlab's subsets map codes through (1, 0)
    return [outline(program, codes[code]) for code in item.codes]


def outlines_shaped(path: Path, text: str, rtl: bool = False) -> list[tuple[Any, ...]]:
    """The outline of every glyph HarfBuzz gives for the text in the font file, in visual order."""
    with TTFont(path) as font:
        order = font.getGlyphOrder()
        return [outline(font, order[gid]) for gid in harfbuzz(path, text, rtl)]


def outline(font: TTFont, name: str) -> tuple[Any, ...]:
    """A glyph's outline with its components drawn in, comparable between a font and its subsets."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    glyphs = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyphs)
    glyphs[name].draw(pen)
    return tuple((operator, tuple(points)) for operator, points in pen.value)


def nominal(path: Path, text: str) -> list[int]:
    """Glyph ids of the characters by the font's character map alone (no shaping)."""
    with TTFont(path, lazy=True) as font:
        cmap, order = font.getBestCmap(), font.getGlyphOrder()
        index = {name: i for i, name in enumerate(order)}
        return [index[cmap[ord(ch)]] for ch in text]


def stack_paths(theme: Theme, bold: bool = False) -> tuple[Path, ...]:
    """The body font stack the renderer sets text in, as files."""
    first, _ = fonts.require_font(theme.body_font, bold=bold)
    families = (theme.body_font, *theme.fallback_fonts, *theme.font_families)
    rest = [path for _, path in fonts.font_stack(families, bold=bold) if path != first]
    return (first, *rest)


def one_line(text: str, theme: Theme, rtl: bool | None = None) -> shaping.Line:
    """The text laid out as one line in the theme's body stack."""
    spans = [shaping.Span(text, stack_paths(theme), "#000000")]
    (line,) = shaping.shape(spans, 11, "und", rtl).lines(10_000)
    return line


def seen_left_to_right(line: shaping.Line) -> str:
    """The characters of a laid-out line in the order they appear on the page, left to right."""
    return "".join(run.text[::-1] if run.rtl else run.text for run in line.runs)


def multilingual_strings(event: Event) -> list[str]:
    meta = event.meta
    found = [meta.title, meta.subtitle, meta.date, meta.venue, meta.organiser]
    for day in event.days:
        found.append(day.title)
        for session in day.sessions:
            found += [session.heading, *session.outcomes]
    return [text for text in found if text]


def outline_of(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, page index) of every outline entry, in document order."""
    entries: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                assert isinstance(item, Destination)
                page = reader.get_destination_page_number(item)
                assert item.title is not None and page is not None
                entries.append((level, item.title, page))

    walk(reader.outline, 0)
    return entries


def advance_widths(family: str) -> dict[str, float]:
    """Character -> advance width in ems of the family's regular face, as the renderer resolves it."""
    path, _ = fonts.require_font(family)
    with TTFont(path, lazy=True) as font:
        em = font["head"].unitsPerEm
        hmtx = font["hmtx"].metrics
        return {chr(code): hmtx[glyph][0] / em for code, glyph in font.getBestCmap().items()}


def assert_in_order(haystack: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        assert found >= 0, f"{needle!r} missing (or out of order) after position {position}"
        position = found + len(needle)


def event_of(*sessions: dict[str, Any], **meta: str) -> Event:
    return from_data(
        Event, {"event": {"title": "Brief", **meta}, "days": [{"title": "Day 1", "sessions": list(sessions)}]}
    )


def long_event(days: int = 3, sessions: int = 6, outcomes: int = 4) -> Event:
    text = "Outcome {} of session {}{} states what the room agreed, in a sentence of an ordinary length."
    return from_data(
        Event,
        {
            "event": {"title": "A long brief"},
            "days": [
                {
                    "title": f"Day {d + 1}",
                    "sessions": [
                        {
                            "code": chr(65 + s),
                            "title": f"Session {d + 1}{chr(65 + s)}",
                            "moderator": f"Chair {d + 1}{chr(65 + s)}",
                            "outcomes": [text.format(o + 1, d + 1, chr(65 + s)) for o in range(outcomes)],
                        }
                        for s in range(sessions)
                    ],
                }
                for d in range(days)
            ],
        },
    )


def test_is_registered_as_pdf_with_the_pdf_suffix() -> None:
    assert get("pdf") is RENDERER
    assert (RENDERER.name, RENDERER.suffix) == ("pdf", ".pdf")


def test_every_session_title_and_outcome_appears_in_order(example_event: Event, options: RenderOptions) -> None:
    data = render(example_event, options)
    text = text_of(data)
    expected = [example_event.title]
    for day in example_event.days:
        expected.append(day.title)
        for session in day.sessions:
            expected += [session.heading, *session.outcomes]
    # Right-to-left lines are checked on their own (pypdf does not reorder mixed lines reliably).
    assert_in_order(text, [item for item in expected if not has_rtl(item)])
    pages = read(data).pages
    assert all(any(shows(page, item) for page in pages) for item in expected if has_rtl(item))


def test_every_outcome_is_a_bullet_with_a_hanging_indent(full_event: Event, options: RenderOptions) -> None:
    data = render(full_event, options)
    text = text_of(data)
    for outcome in (o for s in full_event.sessions for o in s.outcomes):
        assert outcome in text
    pages = read(data).pages
    discs = [disc for page in pages for disc in bullets(page)]
    assert len(discs) == full_event.outcome_count
    runs = [run for page in pages for run in lines_of(page)]
    # The outcome that wraps: its second line starts where its first line's text starts, right of the bullet.
    first = next(i for i, run in enumerate(runs) if run[2].startswith("Coordinate long term action"))
    (text_x, text_y, _), (wrapped_x, _, wrapped) = runs[first : first + 2]
    bullet_x = next(x for x, y, _, _ in discs if abs(y - text_y - options.theme.body_size * 0.3) < 0.01)
    assert wrapped == "labour worldwide."
    assert bullet_x < text_x
    assert wrapped_x == pytest.approx(text_x)


@pytest.mark.parametrize("name", ["default", "high-contrast", "print"])
def test_bullets_are_discs_a_third_of_the_text_size_visible_in_every_theme(
    name: str, seed_event: Event, options: RenderOptions
) -> None:
    theme = load_theme(name)
    discs = [d for page in read(render(seed_event, replace(options, theme=theme))).pages for d in bullets(page)]
    assert len(discs) == seed_event.outcome_count
    for _, _, diameter, colour in discs:
        assert diameter == pytest.approx(theme.body_size * 0.36, abs=0.01)
        assert contrast_ratio("#{:02X}{:02X}{:02X}".format(*colour), theme.background) >= 3.0


def test_headings_and_outcomes_are_set_in_the_themes_faces_and_sizes(seed_event: Event, options: RenderOptions) -> None:
    theme = options.theme
    styles: dict[str, set[tuple[str, float]]] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if text.strip():
            styles.setdefault(text.strip(), set()).add((str(font["/BaseFont"]).split("+")[-1], size))

    for page in read(render(seed_event, options)).pages:
        page.extract_text(visitor_text=visit)
    footer = ("Carlito", max(theme.body_size * 0.75, 7))
    assert styles[seed_event.title] == {("Carlito-Bold", theme.title_size), footer}
    assert styles[seed_event.days[0].title] == {("Carlito-Bold", theme.heading1_size)}
    assert styles["B: Transparency & Traceability"] == {("Carlito-Bold", theme.heading2_size)}
    assert styles["Avoid reinventing the wheel."] == {("Carlito", theme.body_size)}


def test_title_block_shows_subtitle_and_the_given_details_in_one_line(
    full_event: Event, seed_event: Event, options: RenderOptions
) -> None:
    meta = full_event.meta
    text = text_of(render(full_event, options))
    assert meta.subtitle is not None
    assert_in_order(text, [meta.title, meta.subtitle, f"{meta.date} · {meta.venue} · {meta.organiser}"])
    partial = event_of({"code": "A", "title": "Only", "outcomes": ["One."]}, date="1 May 2026", organiser="The Board")
    assert "1 May 2026 · The Board" in text_of(render(partial, options))
    assert "·" not in text_of(render(seed_event, options))


def test_moderator_and_rapporteur_appear_under_their_session_when_given(
    full_event: Event, options: RenderOptions
) -> None:
    text = text_of(render(full_event, options))
    for session in full_event.sessions:
        assert_in_order(
            text,
            [
                session.heading,
                f"Moderator: {session.moderator} · Rapporteur: {session.rapporteur}",
                session.outcomes[0],
            ],
        )
    alone = event_of({"code": "A", "title": "T", "rapporteur": "Ann", "outcomes": ["One."]})
    assert "A: T Rapporteur: Ann One." in text_of(render(alone, options))


def test_speaker_notes_stay_out_of_the_brief(full_event: Event, options: RenderOptions) -> None:
    text = text_of(render(full_event, options))
    for session in full_event.sessions:
        assert session.notes
        assert flat(session.notes)[:30] not in text


def test_every_page_has_the_running_footer_with_page_x_of_y(options: RenderOptions) -> None:
    pages = read(render(long_event(), options)).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        lines = page.extract_text().splitlines()
        assert lines[:2] == ["A long brief", f"Page {number} of {len(pages)}"]


def test_footer_shows_the_themes_footer_text_instead_of_the_title_when_set(
    seed_event: Event, options: RenderOptions
) -> None:
    themed = replace(options, theme=Theme(footer_text="Confidential – draft"))
    for page in read(render(seed_event, themed)).pages:
        assert page.extract_text().splitlines()[0] == "Confidential – draft"


def test_footer_shortens_a_title_too_long_for_one_line(options: RenderOptions) -> None:
    title = "A very long event title " * 12
    data = render(event_of({"code": "A", "title": "T", "outcomes": ["One."]}, **{"title": title.strip()}), options)
    footer = read(data).pages[0].extract_text().splitlines()[0]
    assert footer.endswith("…")
    assert len(footer) < len(title)


def test_a_session_heading_never_ends_a_page(options: RenderOptions) -> None:
    event = long_event(days=2, sessions=9, outcomes=3)
    headings = {s.heading for s in event.sessions} | {d.title for d in event.days}
    headings |= {f"Moderator: {s.moderator}" for s in event.sessions}
    pages = read(render(event, options)).pages
    assert len(pages) >= 2
    for page in pages[:-1]:
        last = page.extract_text().splitlines()[-1].strip()
        assert last not in headings


def test_a_paragraph_broken_over_two_pages_keeps_at_least_two_lines_on_each(options: RenderOptions) -> None:
    # Fillers of every count put the long outcome's first line at every height the foot of page 1 leaves.
    long = " ".join(f"w{i:03}" for i in range(120))
    broken = 0
    for fillers in range(30, 42):
        event = event_of({"code": "A", "title": "T", "outcomes": [*["Line."] * fillers, long]})
        per_page = [
            sum("w0" in row or "w1" in row for row in drawn_lines(page)) for page in read(render(event, options)).pages
        ]
        assert all(n == 0 or n >= 2 for n in per_page), (fillers, per_page)
        broken += sum(n > 0 for n in per_page) > 1
    assert broken  # some filler count did break it


def test_no_page_holds_a_single_outcome_of_a_session_broken_over_two_pages(options: RenderOptions) -> None:
    # Sessions of 1-5 outcomes in turn, over many pages: every way a break can fall among them.
    event = from_data(
        Event,
        {
            "event": {"title": "Brief"},
            "days": [
                {
                    "title": "Day 1",
                    "sessions": [
                        {
                            "code": "A",
                            "title": f"Session {s}",
                            "outcomes": [f"s{s:02}o{o} agreed." for o in range(s % 5 + 1)],
                        }
                        for s in range(60)
                    ],
                }
            ],
        },
    )
    pages = [page.extract_text() for page in read(render(event, options)).pages]
    assert len(pages) >= 3
    broken = 0
    for s in range(60):
        per_page = [sum(f"s{s:02}o{o} " in page for o in range(s % 5 + 1)) for page in pages]
        on = [n for n in per_page if n]
        assert sum(on) == s % 5 + 1
        assert len(on) == 1 or min(on) >= 2, (s, on)
        broken += len(on) > 1
    assert broken  # some session did break


def test_a_heading_stays_at_the_foot_of_a_page_with_the_first_two_lines_of_a_long_outcome(
    options: RenderOptions,
) -> None:
    # The heading keeps with the long outcome's first lines, not with all of it: the outcome is broken
    # under its heading instead of both moving on and leaving the foot of the page empty.
    long = " ".join(f"w{i:03}" for i in range(150))
    broken = 0
    for fillers in range(30, 40):
        event = event_of(
            {"code": "A", "title": "Fill", "outcomes": ["Line."] * fillers},
            {"code": "B", "title": "Heading", "outcomes": [long]},
        )
        pages = read(render(event, options)).pages
        lines = [drawn_lines(page) for page in pages]
        heading_page = next(i for i, page in enumerate(lines) if any("Heading" in row for row in page))
        first_page = next(i for i, page in enumerate(lines) if any("w000" in row for row in page))
        assert heading_page == first_page, fillers
        last = next(i for i, page in enumerate(lines) if any("w149" in row for row in page))
        broken += last > first_page
    assert broken  # some filler count broke the outcome under its heading


def test_a_paragraph_taller_than_a_page_that_cannot_be_broken_is_a_render_error(options: RenderOptions) -> None:
    # Three lines of 200 points on a page with 60 mm margins: too tall, and no two-line part may be alone.
    theme = Theme(title_size=200, margin_mm=60)
    event = event_of({"code": "A", "title": "T", "outcomes": ["One."]}, title="ABCDEF")
    with pytest.raises(RenderError, match="the paragraph 'ABCDEF' is taller than a page"):
        render(event, replace(options, theme=theme))


def test_the_renderer_lays_out_pages_without_importing_platypus() -> None:
    # reportlab's platypus costs more to import (its paragraph module compiles large expressions) than
    # the renderer's own pagination costs to run on a typical brief.
    code = "import sys, reportgen.renderers.pdf; print([m for m in sys.modules if 'platypus' in m])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_outline_has_each_day_with_its_sessions_as_children_in_order(
    example_event: Event, options: RenderOptions
) -> None:
    reader = read(render(example_event, options))
    entries = outline_of(reader)
    expected = []
    for day in example_event.days:
        expected.append((0, day.title))
        expected += [(1, session.heading) for session in day.sessions]
    assert [(level, title) for level, title, _ in entries] == expected
    # Each entry leads to the page where its heading is printed.
    for _, title, page in entries:
        assert shows(reader.pages[page], title)
    assert str(reader.root_object["/PageMode"]) == "/UseOutlines"


def test_a_heading_broken_over_two_pages_has_one_outline_entry(options: RenderOptions) -> None:
    event = event_of(
        {"code": "A", "title": "Filler", "outcomes": ["Line."] * 30},
        {"code": "B", "title": " ".join(["Endless"] * 700), "outcomes": ["Kept."]},
        {"code": "C", "title": "After", "outcomes": ["Last."]},
    )
    reader = read(render(event, options))
    entries = [(title[:10], page) for level, title, page in outline_of(reader) if level == 1]
    assert [title for title, _ in entries] == ["A: Filler", "B: Endless", "C: After"]
    title_page = entries[1][1]
    assert flat(reader.pages[title_page].extract_text()).count("B: Endless") == 1


def test_outline_entries_point_to_later_pages_in_a_long_brief(options: RenderOptions) -> None:
    pages = [page for level, _, page in outline_of(read(render(long_event(), options))) if level == 0]
    assert pages == sorted(pages)
    assert pages[-1] > 0


def test_metadata_names_title_author_subject_creator_and_language(full_event: Event, options: RenderOptions) -> None:
    reader = read(render(full_event, options))
    info = reader.metadata
    assert info is not None
    assert info.title == full_event.meta.title
    assert info.author == "Alliance 8.7 Secretariat & Partners"
    assert info.subject == full_event.meta.subtitle
    assert info.creator == "reportgen"
    assert str(reader.root_object["/Lang"]) == "en-GB"


def test_language_defaults_to_the_models_default(seed_event: Event, options: RenderOptions) -> None:
    assert str(read(render(seed_event, options)).root_object["/Lang"]) == seed_event.meta.language == "en"


def test_dates_are_the_build_time(seed_event: Event, options: RenderOptions) -> None:
    info = read(render(seed_event, options)).metadata
    assert info is not None
    assert info.creation_date_raw == info.modification_date_raw == "D:20260625173000+00'00'"


def test_a_build_time_in_another_zone_is_written_in_utc(seed_event: Event) -> None:
    from datetime import timedelta, timezone

    when = datetime(2026, 6, 25, 19, 30, tzinfo=timezone(timedelta(hours=2)))
    info = read(render(seed_event, RenderOptions(build_time=when))).metadata
    assert info is not None
    assert info.creation_date_raw == "D:20260625173000+00'00'"


def test_all_fonts_are_embedded_truetype_and_none_is_a_standard_14_font(
    example_event: Event, options: RenderOptions
) -> None:
    data = render(example_event, options)
    seen = 0
    for page in read(data).pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font = ref.get_object()
            base = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            assert font["/Subtype"] == "/TrueType"
            assert "/FontFile2" in font["/FontDescriptor"]
            assert base not in STANDARD_14
            seen += 1
    assert seen >= 2  # body and heading faces
    for name in STANDARD_14:
        assert name.encode() not in data


def test_every_accented_letter_and_typographic_mark_survives(full_event: Event, options: RenderOptions) -> None:
    reporter = Reporter()
    text = text_of(render(full_event, options, reporter))
    for word in [
        "Amélie Lefèvre",
        "João Gonçalves",
        "Søren Kierkegaard-Møller",
        "Zoë Brontë",
        "Łukasz Żółkiewski",
    ]:
        assert word in text
    for mark in "–—…“”’·":
        if mark != "—":  # the em dash lives in the notes, which the brief leaves out
            assert mark in text
    assert reporter.warnings == []
    # And the embedded face really carries every such character, so none prints as a box.
    assert set("àéîõüçñøåæœßłżśźćńő–—…“”‘’•·") <= set(advance_widths(options.theme.body_font))


def test_user_text_that_looks_like_markup_is_printed_literally(options: RenderOptions) -> None:
    tricky = ["R&D", "x < y", "<b>not bold</b>", '<img src="/etc/passwd"/>', "&amp; stays", "<font size=40>"]
    event = event_of(
        {"code": "<i>", "title": "<b>Bold?</b> & more", "moderator": "<br/>", "outcomes": tricky},
        subtitle="<u>x</u>",
    )
    text = text_of(render(event, options))
    assert_in_order(text, ["<u>x</u>", "<i>: <b>Bold?</b> & more", "Moderator: <br/>", *tricky])


def test_a_long_unbroken_word_wraps_inside_the_margins(options: RenderOptions) -> None:
    url = "https://example.org/" + "a1b2c3d4e5" * 28
    data = render(event_of({"code": "A", "title": "Links", "outcomes": [f"See {url} for more."]}), options)
    page = read(data).pages[0]
    assert url in "".join(page.extract_text().split())
    right = float(page.mediabox.width) - options.theme.margin_mm * PT_PER_MM
    pieces = [item for item in shown(page) if "a1b2" in item.text]
    assert len(pieces) >= 2
    for piece in pieces:
        assert piece.end <= right + 0.01


@pytest.mark.parametrize(("paper", "size"), [("A4", (595.3, 841.9)), ("Letter", (612.0, 792.0))])
def test_page_size_follows_the_options(
    seed_event: Event, options: RenderOptions, paper: str, size: tuple[float, float]
) -> None:
    for page in read(render(seed_event, replace(options, paper=paper))).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(size, abs=0.1)


def test_page_size_defaults_to_the_themes(seed_event: Event, options: RenderOptions) -> None:
    letter = replace(options, theme=Theme(page_size="Letter"))
    assert float(read(render(seed_event, letter)).pages[0].mediabox.width) == pytest.approx(612)


def test_an_unknown_page_size_is_a_render_error(seed_event: Event, options: RenderOptions) -> None:
    with pytest.raises(RenderError, match="unknown page size 'A3'"):
        render(seed_event, replace(options, paper="A3"))


def test_a_missing_font_family_falls_back_with_a_warning(seed_event: Event, options: RenderOptions) -> None:
    reporter = Reporter()
    themed = replace(options, theme=Theme(body_font="No Such Family 9000"))
    data = render(seed_event, themed, reporter)
    assert reporter.warnings == ["font 'No Such Family 9000' is not installed; the PDF uses DejaVu Sans instead"]
    assert seed_event.sessions[0].outcomes[0] in text_of(data)


def test_same_event_and_options_give_identical_bytes_at_any_wall_clock_time(
    example_event: Event, options: RenderOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = render(example_event, options)
    # Ten years later, in another zone, with a SOURCE_DATE_EPOCH that reportlab itself would honour.
    later = time.time() + 10 * 365 * 86400
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setenv("TZ", "America/Sao_Paulo")
    time.tzset()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")
    try:
        second = render(example_event, options)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert first == second


def test_a_different_build_time_changes_only_the_dates(seed_event: Event, options: RenderOptions) -> None:
    first = render(seed_event, options)
    second = render(seed_event, replace(options, build_time=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)))
    assert first != second
    assert DATES.sub(b"", first) == DATES.sub(b"", second)
    info = read(second).metadata
    assert info is not None
    assert info.creation_date_raw == "D:20300102030405+00'00'"


def test_the_document_id_is_a_fingerprint_of_the_content(seed_event: Event, options: RenderOptions) -> None:
    ids = []
    for title in ("One title", "Another title"):
        changed = replace(seed_event, meta=replace(seed_event.meta, title=title))
        trailer_id: Any = read(render(changed, options)).trailer["/ID"]
        assert trailer_id[0] == trailer_id[1]
        ids.append(bytes(trailer_id[0].original_bytes))
    assert ids[0] != ids[1]


def test_a_character_the_first_font_lacks_is_set_in_the_first_fallback_that_has_it(options: RenderOptions) -> None:
    reporter = Reporter()
    data = render(event_of({"code": "A", "title": "Kanji", "outcomes": ["Write 漢 here."]}), options, reporter)
    assert reporter.warnings == []
    (kanji,) = [item for item in shown(read(data).pages[0]) if "漢" in item.text]
    assert (kanji.text.strip(), kanji.font) == ("漢", "DroidSansFallback")
    assert "Write 漢 here." in text_of(data)


def test_a_character_no_font_of_the_theme_has_is_a_render_error_naming_it_and_the_fonts_tried(
    options: RenderOptions,
) -> None:
    event = event_of({"code": "A", "title": "Signs", "outcomes": ["Write 漢 and 𓀀 here."]})
    with pytest.raises(RenderError) as caught:
        render(event, replace(options, theme=Theme(fallback_fonts=("DejaVu Sans",))))
    assert str(caught.value) == (
        "no font has a glyph for U+6F22 '漢', U+13000 '𓀀' (tried: Calibri (Carlito-Regular.ttf), "
        "DejaVu Sans (DejaVuSans.ttf)); add a font that has them to the theme's fallback_fonts"
    )


# -- themes ----------------------------------------------------------------------------------------

BUILTIN_THEMES = ["default", "high-contrast", "print"]


@pytest.mark.parametrize("name", BUILTIN_THEMES)
def test_the_seed_is_set_in_each_built_in_themes_fonts_sizes_and_colours(
    name: str, seed_event: Event, options: RenderOptions
) -> None:
    theme = load_theme(name)
    reporter = Reporter()
    page = read(render(seed_event, replace(options, theme=theme), reporter)).pages[0]
    assert reporter.warnings == []
    items = shown(page)

    def look(text: str) -> set[tuple[str, float, tuple[int, int, int]]]:
        return {(i.font, i.size, i.colour) for i in items if i.text.strip() == text}

    heading, heading_bold = postscript_name(theme.heading_font), postscript_name(theme.heading_font, bold=True)
    body = postscript_name(theme.body_font)
    footer_size = max(theme.body_size * 0.75, 7)
    assert look(seed_event.title) == {
        (heading_bold, theme.title_size, rgb(theme.primary)),
        (body, footer_size, rgb(theme.muted)),  # the running footer
    }
    assert seed_event.meta.subtitle is not None
    assert look(seed_event.meta.subtitle) == {(heading, theme.subtitle_size, rgb(theme.muted))}
    assert look(seed_event.days[0].title) == {(heading_bold, theme.heading1_size, rgb(theme.primary))}
    assert look("A:") == {
        (heading_bold, theme.heading2_size, rgb(theme.accent_text))
    }  # darkened where too light for text
    assert look("Avoid reinventing the wheel.") == {(body, theme.body_size, rgb(theme.text))}
    assert {colour for *_, colour in bullets(page)} == {rgb(theme.accent)}
    # The page: its size and margins, and the title block's rule in the accent colour.
    assert float(page.mediabox.width) == pytest.approx(595.3, abs=0.1)
    margin = theme.margin_mm * PT_PER_MM
    title = next(i for i in items if i.text == seed_event.title and i.size == theme.title_size)
    assert title.x == pytest.approx(margin, abs=0.01)
    assert title.y == pytest.approx(float(page.mediabox.height) - margin - theme.title_size, abs=0.01)
    assert _stroke_colour_in(page, theme.accent)


def _stroke_colour_in(page: Any, colour: str) -> bool:
    """Whether the page strokes anything (the title block's rule) in the colour."""
    wanted = tuple(c / 255 for c in rgb(colour))
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"RG" and tuple(float(v) for v in operands) == pytest.approx(wanted, abs=0.002):
            return True
    return False


def test_a_corporate_template_theme_still_sets_the_pdf_in_the_themes_own_colours_and_fonts(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    import docx  # a real reference document: it decides only what the theme leaves unsaid (here, sizes)

    from reportgen.renderers.pdf.reference import with_reference_look

    reference = io.BytesIO()
    docx.Document().save(reference)
    theme = make_theme(
        files={"brand.docx": reference.getvalue()},
        reference_docx="brand.docx",
        primary="#5B1A80",
        accent="#00806B",
        heading_font="Cambria",
        body_font="Arial",
        margin_mm=30,
    )
    page = read(render(seed_event, replace(options, theme=theme))).pages[0]
    items = shown(page)
    title_size = with_reference_look(theme).title_size  # python-docx's Title style: 26 pt
    assert title_size == 26
    title = next(i for i in items if i.text == seed_event.title and i.size == title_size)
    assert (title.font, title.colour) == ("Caladea-Bold", rgb("#5B1A80"))
    assert title.x == pytest.approx(30 * PT_PER_MM, abs=0.01)
    assert {colour for *_, colour in bullets(page)} == {rgb("#00806B")}
    assert _stroke_colour_in(page, "#00806B")


def test_a_coloured_page_background_fills_every_page(seed_event: Event, options: RenderOptions) -> None:
    theme = Theme(background="#FFF8E7")
    for page in read(render(seed_event, replace(options, theme=theme))).pages:
        operations = ContentStream(page.get_contents(), page.pdf).operations
        fills = [i for i, (_, op) in enumerate(operations) if op == b"rg"]
        rect = next(i for i, (_, op) in enumerate(operations) if op == b"re")
        assert [float(v) for v in operations[rect][0]] == pytest.approx([0, 0, 595.28, 841.89], abs=0.01)
        colour = [float(v) for v in operations[max(i for i in fills if i < rect)][0]]
        assert colour == pytest.approx([c / 255 for c in rgb("#FFF8E7")], abs=0.002)
    white = read(render(seed_event, options)).pages[0]
    assert all(op != b"re" for _, op in ContentStream(white.get_contents(), white.pdf).operations)


# -- logo ------------------------------------------------------------------------------------------


def logo_placements(page: Any) -> list[tuple[list[float], str, Any]]:
    """(page matrix, alt text of the enclosing span, image XObject) of every image drawn on the page."""
    images: Any = page["/Resources"].get("/XObject", {})
    found: list[tuple[list[float], str, Any]] = []
    alt, matrix, stack = "", [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], []
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"BDC" and isinstance(operands[1], dict) and "/Alt" in operands[1]:
            alt = text_string(operands[1]["/Alt"])
        elif operator == b"EMC":
            alt = ""
        elif operator == b"q":
            stack.append(matrix)
        elif operator == b"Q":
            matrix = stack.pop()
        elif operator == b"cm":
            matrix = times([float(v) for v in operands], matrix)
        elif operator == b"Do":
            found.append((matrix, alt, images[operands[0]].get_object()))
    return found


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_the_logo_heads_the_title_block_at_one_and_a_half_centimetres_with_its_alt_text(
    kind: str, seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    from PIL import Image as PILImage

    out = io.BytesIO()
    PILImage.new("RGB", (300, 100), (27, 58, 92)).save(out, format=kind)
    theme = make_theme(files={"logo.img": out.getvalue()}, logo="logo.img", logo_alt="Alliance 8.7 – logo")
    reader = read(render(seed_event, replace(options, theme=theme)))
    (placement,) = logo_placements(reader.pages[0])
    matrix, alt, image = placement
    assert alt == "Alliance 8.7 – logo"
    assert (image["/Width"], image["/Height"]) == (300, 100)
    assert ("/DCTDecode" in str(image.get("/Filter"))) == (kind == "JPEG")
    height = 1.5 * 72 / 2.54
    width, _, _, drawn_height, x, y = matrix[0], matrix[1], matrix[2], matrix[3], matrix[4], matrix[5]
    assert (width, drawn_height) == pytest.approx((3 * height, height), abs=0.01)
    margin = theme.margin_mm * PT_PER_MM
    top = float(reader.pages[0].mediabox.height) - margin
    assert (x, y + drawn_height) == pytest.approx((margin, top), abs=0.01)
    # The title comes below the logo, and later pages carry no logo.
    title = next(i for i in shown(reader.pages[0]) if i.text == seed_event.title and i.size == theme.title_size)
    assert title.y + theme.title_size < y
    assert all(logo_placements(page) == [] for page in reader.pages[1:])


def test_a_logo_wider_than_the_text_is_narrowed_to_it_keeping_its_proportions(
    seed_event: Event, options: RenderOptions, make_theme: Callable[..., Theme]
) -> None:
    theme = make_theme(files={"wide.png": png_bytes(4000, 100)}, logo="wide.png", logo_alt="Wide")
    page = read(render(seed_event, replace(options, theme=theme))).pages[0]
    ((matrix, _, _),) = logo_placements(page)
    text_width = float(page.mediabox.width) - 2 * theme.margin_mm * PT_PER_MM
    assert (matrix[0], matrix[3]) == pytest.approx((text_width, text_width / 40), abs=0.01)


# -- any script ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def multilingual() -> Event:
    return load_event(DATA / "multilingual.yaml")


@pytest.fixture(scope="module")
def multilingual_pdf(multilingual: Event) -> PdfReader:
    options = RenderOptions(build_time=datetime(2026, 6, 25, 17, 30, tzinfo=UTC))
    reporter = Reporter()
    data = RENDERER.render(multilingual, options, reporter)
    assert reporter.warnings == []
    return read(data)


def test_every_character_of_the_multilingual_example_has_a_glyph_in_an_embedded_font(
    multilingual: Event, multilingual_pdf: PdfReader
) -> None:
    covered: set[str] = set()
    for page in multilingual_pdf.pages:
        resources: Any = page["/Resources"]
        for ref in resources["/Font"].values():
            font: Any = ref.get_object()
            program = TTFont(io.BytesIO(font["/FontDescriptor"]["/FontFile2"].get_object().get_data()))
            codes = program["cmap"].getcmap(1, 0).cmap  # reportlab's subsets map codes through (1, 0)
            glyf = program["glyf"]
            for code, text in to_unicode(font).items():
                if code in codes and (glyf[codes[code]].numberOfContours != 0 or text.isspace()):
                    covered.update(text)
    needed = {
        ch
        for text in multilingual_strings(multilingual)
        for ch in text
        if not ch.isspace() and unicodedata.category(ch) != "Cf"
    }
    assert needed - covered == set()


def test_text_extraction_reads_the_multilingual_example_in_logical_order(
    multilingual: Event, multilingual_pdf: PdfReader
) -> None:
    # Shaped clusters extract as their characters in reading order (a conjunct as its three letters,
    # "नि" as न then ि although the vowel sign is drawn first), so pypdf reads Devanagari back whole.
    text = flat(" ".join(page.extract_text() for page in multilingual_pdf.pages))
    assert_in_order(text, [item for item in multilingual_strings(multilingual) if not has_rtl(item)])
    for item in multilingual_strings(multilingual):
        if has_rtl(item):
            assert any(shows(page, item) for page in multilingual_pdf.pages), item


def test_devanagari_is_shaped_into_conjuncts_with_reordered_vowel_signs(options: RenderOptions) -> None:
    theme = options.theme
    for word in ("कार्यशालाएँ", "निगरानी", "श्रम"):
        (run,) = one_line(word, theme).runs
        assert run.font.name == "NotoSansDevanagari-Regular.ttf"
        gids = [glyph.gid for glyph in run.glyphs]
        assert gids == harfbuzz(run.font, word)
        assert gids != nominal(run.font, word)  # a reph, a conjunct, or a vowel sign moved
    # "नि": the short i (in the form that fits its consonant) is drawn before the consonant it follows.
    (run,) = one_line("निगरानी", theme).runs
    first, second = run.glyphs[:2]
    assert second.gid == nominal(run.font, "न")[0]
    with TTFont(run.font, lazy=True) as font:
        assert font.getGlyphName(first.gid).startswith("ivowelsign")


def test_devanagari_in_the_pdf_is_drawn_with_harfbuzzs_glyphs(multilingual_pdf: PdfReader) -> None:
    # The heading "D: बाल श्रम की निगरानी": its Devanagari run, glyph by glyph as embedded in the PDF, has
    # the outlines of HarfBuzz's shaping (the conjunct श्र, the vowel sign of नि before its consonant).
    page = multilingual_pdf.pages[0]
    (run,) = [item for item in shown(page) if item.font == "NotoSansDevanagari-Bold"]
    assert run.text == "बाल श्रम की निगरानी"
    path = fonts.find_font("Noto Sans Devanagari", bold=True)
    assert path is not None
    assert outlines_drawn(run) == outlines_shaped(path, run.text)
    assert outlines_drawn(run) != [outline_of_char(path, ch) for ch in run.text]


def outline_of_char(path: Path, ch: str) -> tuple[Any, ...]:
    with TTFont(path) as font:
        return outline(font, font.getBestCmap()[ord(ch)])


def test_arabic_is_shaped_with_joining_forms(options: RenderOptions) -> None:
    word = "العمل"
    (run,) = one_line(word, options.theme).runs
    assert run.font.name == "NotoSansArabic-Regular.ttf"
    gids = [glyph.gid for glyph in run.glyphs]
    assert gids == harfbuzz(run.font, word, rtl=True)
    assert gids != nominal(run.font, word)[::-1]  # initial, medial and final forms, not isolated letters


def test_arabic_in_the_pdf_is_drawn_with_harfbuzzs_joining_forms(multilingual_pdf: PdfReader) -> None:
    page = multilingual_pdf.pages[-1]
    path = fonts.find_font("Noto Sans Arabic")
    assert path is not None
    runs = [item for item in shown(page) if item.font == "NotoSansArabic-Regular"]
    assert len(runs) >= 5
    for run in runs:
        # Drawn left to right, each glyph extracts as its letter: the run's text is read from the right.
        logical = "".join(reversed(run.texts))
        assert outlines_drawn(run) == outlines_shaped(path, logical, rtl=True), logical
    # "لأ" of الأعمال, in the heading, is one ligature glyph.
    heading = next(item for item in shown(page) if item.font == "NotoSansArabic-Bold")
    assert "لأ" in heading.texts


MIXED = [
    ("في عام 2026، التزمت 120 شركة بخطة العمل.", ["2026", "120"]),
    ("تطبيق دروس Alliance 8.7 في القطاع غير الرسمي.", ["Alliance 8.7"]),
    ("إقامة تحالفات مع الشركات في القطاع الرسمي التي تواجه مشاكل مماثلة.", []),
]


@pytest.mark.parametrize(("logical", "left_to_right"), MIXED, ids=["numbers", "latin", "arabic"])
def test_a_right_to_left_line_reads_right_to_left_with_numbers_and_latin_left_to_right(
    logical: str, left_to_right: list[str], options: RenderOptions, multilingual_pdf: PdfReader
) -> None:
    assert seen_left_to_right(one_line(logical, options.theme)) == visual(logical, left_to_right)
    lines = [line for page in multilingual_pdf.pages for line in drawn_lines(page)]
    assert visual(logical, left_to_right) in lines


def test_right_to_left_outcomes_are_right_aligned_with_the_bullet_at_the_right(
    multilingual_pdf: PdfReader, options: RenderOptions
) -> None:
    page = multilingual_pdf.pages[-1]
    right = float(page.mediabox.width) - options.theme.margin_mm * PT_PER_MM
    body = options.theme.body_size
    rows = {seen(items): items for items in drawn_rows(page).values()}
    discs = bullets(page)
    for logical, left_to_right in MIXED:
        text = rows[visual(logical, left_to_right)]
        (x, _, diameter, _) = next(d for d in discs if abs(d[1] - text[-1].y - body * 0.3) < 0.01)
        assert x + diameter / 2 == pytest.approx(right - body * 0.3, abs=0.01)
        assert text[-1].end == pytest.approx(right - body * 1.4, abs=0.01)


def test_an_arabic_session_heading_runs_right_to_left_after_its_code(
    multilingual: Event, multilingual_pdf: PdfReader
) -> None:
    session = multilingual.sessions[-1]
    assert session.code == "E"
    assert visual(f"{session.code}: {session.title}", ["E"]) in drawn_lines(multilingual_pdf.pages[-1])


def test_arabic_inside_a_left_to_right_line_reads_right_to_left_in_place(options: RenderOptions) -> None:
    line = one_line("Ateliers · ورش العمل · fin", options.theme)
    assert seen_left_to_right(line) == "Ateliers · " + "ورش العمل"[::-1] + " · fin"


def test_lines_break_between_chinese_characters_and_not_before_closing_punctuation(options: RenderOptions) -> None:
    text = "加强价值链伙伴之间的信任，这是透明度和可追溯性的基础。"
    spans = [shaping.Span(text, stack_paths(options.theme), "#000000")]
    lines = shaping.shape(spans, 11, "zh", None).lines(11 * 6.5)  # room for six characters a line
    assert [line.text for line in lines] == [
        "加强价值链伙",
        "伴之间的信",  # "，" may not start a line, so the character before it goes down with it
        "任，这是透明",
        "度和可追溯性",
        "的基础。",
    ]


def test_a_japanese_iteration_mark_never_starts_a_line(options: RenderOptions) -> None:
    text = "一二三四五ゝ六七八九十"
    spans = [shaping.Span(text, stack_paths(options.theme), "#000000")]
    lines = shaping.shape(spans, 11, "ja", None).lines(11 * 5.5)  # room for five characters a line
    assert [line.text for line in lines] == ["一二三四", "五ゝ六七八", "九十"]


def test_explicit_bidi_controls_are_a_render_error_rather_than_a_guess(options: RenderOptions) -> None:
    from reportgen.markup import parse

    # The loader refuses them (tests/cases/invalid/bidi_control.yaml); the renderer still does not guess.
    valid = event_of({"code": "A", "title": "Embedded", "outcomes": ["x"]})
    session = replace(valid.sessions[0], outcomes=(parse("Say \u202bمرحبا\u202c twice."),))
    event = replace(valid, days=(replace(valid.days[0], sessions=(session,)),))
    with pytest.raises(RenderError, match=r"explicit bidi controls \(U\+202B, U\+202C\) are not supported"):
        render(event, options)


def test_a_font_without_shaping_rules_for_its_script_is_a_render_error(
    options: RenderOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fallback, "can_shape", lambda path, script: script != "Deva")
    event = event_of({"code": "A", "title": "Hindi", "outcomes": ["निगरानी"]})
    with pytest.raises(RenderError, match="no OpenType shaping rules for the Devanagari script"):
        render(event, options)


def test_output_does_not_depend_on_what_was_rendered_before(
    multilingual: Event, full_event: Event, options: RenderOptions
) -> None:
    first = render(multilingual, options)
    render(full_event, replace(options, theme=load_theme("print")))
    render(event_of({"code": "A", "title": "Other", "outcomes": ["لا إله", "क्षत्रिय", "ﬁne office"]}), options)
    assert render(multilingual, options) == first


# -- plain text -----------------------------------------------------------------------------------

PLAIN = [
    "Strengthen transparent value chains across local communities and report on progress every year.",
    # Ligatures (fi, ffi, fl), kerned pairs (AV, To, Wa, " T" in Liberation Sans) and typographic marks.
    "Office affairs: “five” flights – 1.5% of $20 (approx.) … AVATAR To. Wa’s Type Tea",
    "  Spaces before, between  words and after  ",
    "https://example.org/" + "a1b2c3d4e5" * 8,  # a word longer than a line
]


def described(lines: list[shaping.Line]) -> list[Any]:
    """Everything a line carries: text, width, and each run's font, colour, glyphs and clusters."""
    return [
        (
            line.text,
            line.width,
            [(run.font, run.colour, run.rtl, run.text, run.glyphs, run.clusters) for run in line.runs],
        )
        for line in lines
    ]


@pytest.mark.parametrize("family", ["Calibri", "Arial", "Cambria"])
@pytest.mark.parametrize("text", PLAIN, ids=["words", "marks", "spaces", "url"])
def test_plain_text_is_laid_out_exactly_as_the_general_way_lays_it_out(
    family: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    theme = Theme(body_font=family)
    regular, bold = stack_paths(theme), stack_paths(theme, bold=True)
    for spans in (
        [shaping.Span(text, regular, "#000000")],
        # Spaces that start a span go with the font before them, as the general way sets them.
        [shaping.Span("Moderator", bold, "#111111"), shaping.Span(" " + text, regular, "#222222")],
    ):
        plain = shaping.shape(spans, 11, "en")
        assert shaping._shape_plain(spans, 11, "en") is not None
        with monkeypatch.context() as patched:
            patched.setattr(shaping, "_shape_plain", lambda *_: None)
            general = shaping.shape(spans, 11, "en")
        for width in (40, 120, 300, 10_000):
            assert described(plain.lines(width)) == described(general.lines(width))
        assert described([plain.line()]) == described([general.line()])


@pytest.mark.parametrize(
    "text",
    ["العمل", "निगरानी", "漢字", "Ελλάδα", "e\u0301", "a\u00a0b", "tab\there", "zero\u200bwidth", "", "   "],
    ids=["arabic", "devanagari", "cjk", "greek", "mark", "nbsp", "tab", "zwsp", "empty", "spaces"],
)
def test_text_that_is_not_plain_takes_the_general_way(text: str, options: RenderOptions) -> None:
    spans = [shaping.Span(text, stack_paths(options.theme), "#000000")]
    assert shaping._shape_plain(spans, 11, "en") is None


# -- the bidi algorithm ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rtl", "expected"),
    [
        ("abc", False, "000"),
        ("ابت", True, "111"),
        ("ab ابت", False, "000111"),
        ("ابت 12", True, "111122"),  # digits after Arabic letters: an Arabic number, one level up (W2, I2)
        ("ابت 1.5%", True, "11112221"),  # a decimal point between them joins the number (W4)
        ("Alliance 8.7 ابت", True, "2222222222221111"),  # a number after Latin reads with it (W7)
        ("a (ابت) b", True, "211111112"),  # N0: brackets take the direction they enclose...
        ("ابت (abc) ثج", True, "111112221111"),  # ...or the embedding's, when the text before agrees
        ("abc (ابت) def", True, "2221111111222"),
        ("a b ", True, "2221"),  # L1: white space at the end of a line returns to the paragraph's level
    ],
)
def test_bidi_levels_follow_uax_9(text: str, rtl: bool, expected: str) -> None:
    levels = bidi.line_levels(text, bidi.levels(text, rtl), rtl)
    assert "".join(map(str, levels)) == expected


def test_visual_order_reverses_runs_from_the_highest_level_down() -> None:
    assert bidi.visual_order(["a", "b", "c", "d"], [1, 2, 2, 1]) == ["d", "b", "c", "a"]
    assert bidi.visual_order(["x", "y"], [0, 0]) == ["x", "y"]


def test_a_long_right_to_left_paragraph_breaks_in_reading_order(options: RenderOptions) -> None:
    text = "إقامة تحالفات مع الشركات في القطاع الرسمي التي تواجه مشاكل مماثلة في عام 2026."
    spans = [shaping.Span(text, stack_paths(options.theme), "#000000")]
    lines = shaping.shape(spans, 11, "ar", None).lines(120)
    assert len(lines) >= 3
    # The first words are on the first line; each line reads right to left on its own.
    assert " ".join(line.text for line in lines) == text
    assert lines[0].text.startswith("إقامة")
    for line in lines:
        assert line.width <= 120
        numbers = [word.rstrip(".") for word in line.text.split() if word[0].isdigit()]
        assert seen_left_to_right(line) == visual(line.text, numbers)


# -- labels in the event's language -------------------------------------------------------------------------


def _labelled(language: str, title: str = "Forum", **labels: str) -> Event:
    session = {"code": "A", "title": "Finance", "outcomes": ["One outcome."], "moderator": "Ana", "rapporteur": "Bo"}
    meta: dict[str, Any] = {"title": title, "language": language}
    if labels:
        meta["labels"] = labels
    return from_data(Event, {"event": meta, "days": [{"title": "Day 1", "sessions": [session]}]})


def test_the_role_labels_and_the_page_footer_are_in_the_events_language(options: RenderOptions) -> None:
    text = text_of(render(_labelled("de"), options))
    assert "Moderation: Ana · Berichterstattung: Bo" in text
    assert text.startswith("Forum Seite 1 von 1 ")  # the footer is drawn first, under the text
    assert "Page" not in text and "Moderator" not in text


def test_the_role_line_is_written_as_the_language_writes_it(options: RenderOptions) -> None:
    # words.roles composes it for every format: French puts a no-break space before the colon.
    raw = read(render(_labelled("fr"), options)).pages[0].extract_text()
    assert "Modération\u00a0: Ana · " in raw


def test_a_sources_own_page_label_is_drawn(options: RenderOptions) -> None:
    assert text_of(render(_labelled("en", page="p. {page}/{pages}"), options)).startswith("Forum p. 1/1 ")


def test_arabic_labels_are_shaped_right_to_left(options: RenderOptions) -> None:
    data = render(_labelled("ar", title="منتدى"), options)
    text = text_of(data)
    assert "صفحة 1 من 1" in text or "1 من 1 صفحة" in text
    assert "المقرر" in text


# -- parsed faces kept between runs -------------------------------------------------------------------------


def _forget_fonts() -> None:
    """Make this process register (and so parse or read back) every font again, as a new run would."""
    from reportlab.pdfbase import pdfmetrics

    from reportgen.renderers.pdf import backend

    backend._REGISTERED.clear()
    for name in [n for n in pdfmetrics.getRegisteredFontNames() if n.startswith("reportgen-")]:
        del pdfmetrics._fonts[name]


def test_fonts_read_back_from_the_cache_give_the_same_pdf_bytes(options: RenderOptions, tmp_path: Path) -> None:
    event = load_event(DATA / "multilingual.yaml")  # Latin, CJK, Devanagari and Arabic faces
    _forget_fonts()
    parsed = render(event, replace(options, cache_dir=None))
    _forget_fonts()
    render(event, replace(options, cache_dir=tmp_path))  # parses and keeps the faces
    kept = sorted((tmp_path / "fonts").iterdir())
    assert len(kept) >= 4
    _forget_fonts()
    assert render(event, replace(options, cache_dir=tmp_path)) == parsed
    assert sorted((tmp_path / "fonts").iterdir()) == kept  # read, not written again


def test_a_font_from_the_cache_has_every_attribute_reportlab_gives_a_parsed_one(tmp_path: Path) -> None:
    from reportgen.renderers.pdf.backend import _Font

    path = fonts.find_font("Carlito", False, False)
    assert path is not None
    parsed = _Font("probe", path, tmp_path)
    cached = _Font("probe", path, tmp_path)
    assert cached.face is not parsed.face
    own = {k: v for k, v in vars(parsed).items() if k not in ("face", "encoding", "state", "_keys")}
    assert own == {k: v for k, v in vars(cached).items() if k not in ("face", "encoding", "state", "_keys")}
    assert vars(cached).keys() == vars(parsed).keys()
    face, again = vars(parsed.face), vars(cached.face)
    assert face.keys() == again.keys()
    assert {k: v for k, v in face.items() if k != "_pdfScale"} == {k: v for k, v in again.items() if k != "_pdfScale"}
    assert [parsed.face._pdfScale(x) for x in (0, 1, 1234)] == [cached.face._pdfScale(x) for x in (0, 1, 1234)]


@pytest.mark.parametrize("damage", ["garbage", "another type", "writable by others"])
def test_a_damaged_or_unsafe_cache_file_is_ignored_and_the_font_parsed(
    damage: str, options: RenderOptions, seed_event: Event, tmp_path: Path
) -> None:
    import marshal
    import os

    from reportgen.renderers.pdf.backend import _cached_face, _face_file

    _forget_fonts()
    expected = render(seed_event, replace(options, cache_dir=tmp_path))
    kept = sorted((tmp_path / "fonts").iterdir())
    for file in kept:
        if damage == "garbage":
            file.write_bytes(b"\xffnot marshalled data")
        elif damage == "another type":
            file.write_bytes(marshal.dumps(["a", "list"]))
        else:
            os.chmod(file, 0o666)
    path = fonts.find_font("Carlito", False, False)
    assert path is not None
    kept = _face_file(path, tmp_path)
    assert kept is not None and kept.exists() and _cached_face(path, kept) is None
    _forget_fonts()
    assert render(seed_event, replace(options, cache_dir=tmp_path)) == expected


def test_no_cache_folder_or_an_unwritable_one_still_renders(
    options: RenderOptions, seed_event: Event, tmp_path: Path
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would go")
    _forget_fonts()
    expected = render(seed_event, replace(options, cache_dir=None))
    _forget_fonts()
    assert render(seed_event, replace(options, cache_dir=blocked)) == expected


def test_the_quick_script_rules_agree_with_the_unicode_table_on_every_character_they_answer() -> None:
    from fontTools import unicodedata as ucd

    from reportgen.text.scripts import script as _script

    answered = [*range(0x180), *range(0x2000, 0x2070)]
    assert [(hex(c), _script(chr(c))) for c in answered] == [(hex(c), ucd.script(chr(c))) for c in answered]
    assert _script("Ж") == "Cyrl" and _script("中") == "Hani" and _script("\u0301") == "Zinh"


def test_western_european_text_is_set_without_importing_fonttools(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from reportgen.loader import load_event\n"
        "from reportgen.options import RenderOptions\n"
        "from reportgen.errors import Reporter\n"
        "from reportgen.renderers.pdf import RENDERER\n"
        f"RENDERER.render(load_event({str(DATA / 'key-outcomes.yaml')!r}), RenderOptions(), Reporter())\n"
        "print(sorted(m for m in sys.modules if m.startswith('fontTools')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def _long_session(title: str, language: str = "en") -> Event:
    outcomes = [
        f"Outcome {i}, long enough to wrap over two lines of the brief's text block, which is wide." for i in range(40)
    ]
    return from_data(
        Event,
        {
            "event": {"title": "Long", "language": language},
            "days": [{"title": "Day 1", "sessions": [{"code": "A", "title": title, "outcomes": outcomes}]}],
        },
    )


def test_a_session_carried_onto_the_next_page_repeats_its_heading_as_continued(options: RenderOptions) -> None:
    event = _long_session("Finance")
    data = render(event, options)
    pages = read(data).pages
    assert len(pages) >= 2
    for page in pages[1:]:
        assert "A: Finance (continued) Outcome" in flat(page.extract_text())
    # Drawn as an artifact: a screen reader reads the heading once.
    from .test_pdf_tagging import failures, reading_order

    assert failures(data) == []
    assert [text for kind, text in reading_order(data) if kind == "H3"] == ["A:Finance"]


def test_a_cjk_heading_whose_face_has_no_bold_is_emboldened(options: RenderOptions) -> None:
    data = render(_long_session("第一届会议的结果", "zh"), options)
    operations = ContentStream(read(data).pages[0].get_contents(), None).operations
    assert any(operator == b"Tr" and operands == [2] for operands, operator in operations)
