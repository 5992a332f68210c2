"""How much room a deck's text needs, measured from the file alone as a renderer lays it out: each character
in the font its run names for the character's slot (a:latin, a:ea, a:cs), Arabic and Devanagari shaped
with HarfBuzz, lines broken at spaces. Independent of the renderer's own measuring, for the fit tests."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pptx.oxml.ns import qn
from pptx.util import Length

from reportgen.text.fonts import Metrics, metrics, require_font
from reportgen.text.scripts import slot
from reportgen.text.shaping import shaped_em

SLOT_TAGS = {"latin": "a:latin", "east_asian": "a:ea", "complex": "a:cs"}


@dataclass(frozen=True)
class Inherited:
    """What a template placeholder gives the runs that do not say: their Latin font, weight and capitals."""

    font: str
    bold: bool = False
    caps: bool = False


@functools.cache
def _font(family: str, bold: bool, italic: bool = False) -> Metrics:
    return metrics(require_font(family, bold=bold, italic=italic)[0])


def shaped_width(path: Path, text: str) -> float:
    """Width of `text` shaped by HarfBuzz, in ems (the text layer's own answer)."""
    return shaped_em(path, text)


def run_fonts(rpr: Any, inherited: Inherited | None) -> dict[str, str]:
    """The typeface a run names for each slot; the inherited one for Latin where it names none."""
    fonts = {}
    for where, tag in SLOT_TAGS.items():
        element = rpr.find(qn(tag)) if rpr is not None else None
        if element is not None:
            fonts[where] = element.get("typeface")
    if "latin" not in fonts and inherited is not None:
        fonts["latin"] = inherited.font
    return fonts


def _shape(text: str, widths: list[float], stretch: list[int], font: Metrics | None, size: float) -> None:
    """Give a stretch of complex-script letters its shaped width (on its last character); empty the stretch."""
    if stretch and font is not None:
        shaped = shaped_width(font.path, "".join(text[i] for i in stretch)) * size
        for i in stretch:
            widths[i] = 0.0
        widths[stretch[-1]] = shaped
    stretch.clear()


def char_widths(paragraph: Any, inherited: Inherited | None = None) -> tuple[str, list[float], float]:
    """The paragraph's text, the width of each character in points, and its font size."""
    text = ""
    widths: list[float] = []
    size = 0.0
    for child in paragraph._p:
        if child.tag not in (qn("a:r"), qn("a:fld")):
            continue
        rpr = child.find(qn("a:rPr"))
        chunk = "".join(t.text or "" for t in child.iter(qn("a:t")))
        size = int(rpr.get("sz")) / 100
        bold = rpr.get("b") == "1" if rpr.get("b") is not None else bool(inherited and inherited.bold)
        if inherited is not None and inherited.caps:
            chunk = chunk.upper()
        italic = rpr.get("i") == "1"
        fonts = run_fonts(rpr, inherited)
        files = {where: _font(family, bold, italic) for where, family in fonts.items()}
        stretch: list[int] = []  # positions of the current complex-script stretch
        for ch in chunk:
            kind = unicodedata.category(ch)[0]
            where = slot(ch)
            font = files.get(where)
            if kind in "LM":
                width = font.widths.get(ord(ch), 1.0) if font is not None and font.covers(ch) else 1.0
            else:  # the widest of the fonts the run names that have it
                width = max((f.widths[ord(ch)] for f in files.values() if f.covers(ch)), default=1.0)
            text += ch
            widths.append(width * size)
            if where == "complex" and kind in "LM" and font is not None and font.covers(ch):
                stretch.append(len(text) - 1)
            elif kind in "LM" or ch.isspace():
                # A space ends a stretch too: lines break there, and a stretch's width sits on its last
                # letter, so one stretch over several words would measure its last word as wide as them all.
                _shape(text, widths, stretch, files.get("complex"), size)
        _shape(text, widths, stretch, files.get("complex"), size)
    return text, widths, size


def line_count(text: str, widths: list[float], room: float) -> int:
    """Lines of `text` broken greedily at spaces in `room` points; a word wider than a line is broken
    between characters."""
    lines = 0
    line = 0.0  # width of the current line, None-like 0 when empty
    empty = True
    i = 0
    n = len(text)
    while i < n:
        if text[i] == " ":
            i += 1
            continue
        j = i
        while j < n and text[j] != " ":
            j += 1
        word = sum(widths[i:j])
        gap = 0.0
        if not empty:
            k = i - 1
            while k >= 0 and text[k] == " ":
                gap += widths[k]
                k -= 1
        if not empty and line + gap + word <= room:
            line += gap + word
        else:
            if not empty:
                lines += 1
            start = i
            while word > room and j - start > 1:
                total = 0.0
                cut = start
                while cut < j and total + widths[cut] <= room:
                    total += widths[cut]
                    cut += 1
                cut = max(cut, start + 1)
                lines += 1
                start = cut
                word = sum(widths[start:j])
            line, empty = word, False
        i = j
    return lines + 1


def needed_height(shape: Any, inherited: Inherited | None = None) -> float:
    """Height in points that the shape's text needs, wrapped with the real metrics of its fonts."""
    frame = shape.text_frame
    width = Length(shape.width - frame.margin_left - frame.margin_right).pt
    total = 0.0
    for paragraph in frame.paragraphs:
        text, widths, _size = char_widths(paragraph, inherited)
        left = Length(int(paragraph._p.pPr.get("marL", "0"))).pt
        if "\t" in text:  # an agenda entry: the code, then a tab to where the title's lines start
            tab = text.index("\t")
            assert sum(widths[:tab]) < left, "the session code fits before the tab"
            text, widths = text[tab + 1 :], widths[tab + 1 :]
        assert paragraph.line_spacing.pt > 0, "line spacing is set in points, so the height is known"
        total += paragraph.space_before.pt + line_count(text, widths, width - left) * paragraph.line_spacing.pt
    return total


def text_area_height(shape: Any) -> float:
    """The height in points that a shape gives its text: the shape less its top and bottom insets."""
    frame = shape.text_frame
    return Length(shape.height - frame.margin_top - frame.margin_bottom).pt
