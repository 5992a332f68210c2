"""The blocks the brief is laid out in: paragraphs of shaped text, the logo and the rule."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader

from ...text.breaking import ELLIPSIS
from ...theme import rgb
from .backend import _draw_line, _fill, fp_str
from .tagging import ARTIFACT

if TYPE_CHECKING:
    from reportlab.lib.colors import Color
    from reportlab.pdfgen.canvas import Canvas

    from ...text.shaping import Line, Shaped, Span
    from ...theme import Image
    from .fonts import _Setter
    from .tagging import _Paragraph

LOGO_HEIGHT: float = 1.5 * cm


class _Style(NamedTuple):
    """How a paragraph is set: sizes and spacing in points."""

    size: float
    leading: float
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False
    indent: float = 0.0  # from the start side (left, or right in a right-to-left paragraph)
    bullet_indent: float = 0.0


class _Block:
    """What _Pages lays down a page: a box as wide as the text, drawn from its lower left corner, with
    room to keep above it (dropped at the top of a page, and overlapping the room kept below the block
    before it) and below it."""

    space_before = 0.0
    space_after = 0.0
    keep_with_next = False  # never the last block on a page; _Pages clears it once it has kept the run

    def wrap(self, width: float) -> float:
        """The height in points the block takes set `width` points wide."""
        raise NotImplementedError

    def split(self, width: float, height: float) -> list[_Block]:
        """The block as a first part that fits `height` points and the rest; [] when it cannot be split."""
        return []

    def head_height(self, width: float) -> float:
        """The height of the least of the block a page may end with: all of it, unless it can be split."""
        return self.wrap(width)

    def draw_on(self, canvas: Canvas, x: float, y: float) -> None:
        """Draw with the lower left corner at (x, y), after wrap()."""
        raise NotImplementedError

    def __str__(self) -> str:
        """What the block is, for messages."""
        return "a block of the brief"


class _Text(_Block):
    """A paragraph of shaped text: left-aligned, or right-aligned when its base direction is right to
    left, with an optional bullet (a disc of its colour) hanging in the indent and an optional outline entry.
    Role "Artifact": drawn as an artifact, outside the structure (a heading repeated on the page a section
    runs on to).

    It is shaped when first laid out, not before, and the shaping goes when the paragraph is drawn and
    dropped: so a long brief holds the glyphs of the paragraphs on one page at a time, not of all.
    """

    # No single line of a paragraph is left alone at the foot or the head of a page.
    LEAST_LINES = 2
    # What a page this paragraph goes on to starts with (see pages._Pages): None, or what makes the block.
    carry: Callable[[], _Block] | None = None

    def __init__(
        self,
        setter: _Setter,
        spans: list[Span],
        style: _Style,
        bullet: str | None = None,
        outline: tuple[str, str, int] | None = None,
        rtl: bool | None = None,
        lines: list[Line] | None = None,
        shaped: Shaped | None = None,
        role: str = "P",
    ) -> None:
        self.setter, self.spans, self.style, self.bullet, self.outline = setter, spans, style, bullet, outline
        self.role = role  # its structure type: P, H1-H3, or LI (an item of a list)
        # Its structure elements, made when it is first drawn and shared by its parts (see split).
        self.structure: list[_Paragraph] = []
        self.direction = rtl  # None: the text's own
        self._shaped = shaped
        self.fixed = lines
        self.lines: list[Line] = lines or []
        self.width = self.height = 0.0
        self.space_before, self.space_after = style.space_before, style.space_after
        self.keep_with_next = style.keep_with_next

    def __str__(self) -> str:
        whole = "".join(span.text for span in self.spans)
        return f"the paragraph {whole if len(whole) <= 60 else whole[:59] + ELLIPSIS!r}"

    @property
    def shaped(self) -> Shaped:
        """The paragraph shaped (on first use)."""
        if self._shaped is None:
            self._shaped = self.setter.shape(self.spans, self.style.size, self.direction, keep=False)
        return self._shaped

    @property
    def rtl(self) -> bool:
        """Whether the paragraph runs right to left."""
        return self.shaped.rtl

    def head_height(self, width: float) -> float:
        height = self.wrap(width)
        if len(self.lines) < 2 * self.LEAST_LINES:
            return height
        return self.LEAST_LINES * self.style.leading

    def wrap(self, width: float) -> float:
        if self.fixed is None:
            self.lines = self.shaped.lines(width - self.style.indent)
        self.width, self.height = width, max(len(self.lines), 1) * self.style.leading
        return self.height

    def split(self, width: float, height: float) -> list[_Block]:
        self.wrap(width)
        leading = self.style.leading
        fit = int((height + 1e-6) // leading)
        fit = min(fit, len(self.lines) - self.LEAST_LINES)
        if fit < self.LEAST_LINES:
            return []
        first_style = self.style._replace(space_after=0.0, keep_with_next=False)
        rest_style = self.style._replace(space_before=0.0)
        head, tail = self.lines[:fit], self.lines[fit:]
        parts: list[_Block] = [
            _Text(self.setter, self.spans, first_style, self.bullet, self.outline, self.direction, head, self.shaped),
            _Text(self.setter, self.spans, rest_style, None, None, self.direction, tail, self.shaped),
        ]
        for part in parts:
            assert isinstance(part, _Text)
            part.role, part.structure, part.carry = self.role, self.structure, self.carry
        return parts

    def draw_on(self, canvas: Canvas, x: float, y: float) -> None:
        """Draw with the lower left corner at (x, y): the paragraph moved there in a graphics state of its
        own, written directly rather than through canvas.saveState()/translate(), which would also copy
        the canvas's own graphics state, left as it was by drawing a paragraph, back and forth."""
        canvas.addLiteral("q")
        canvas.addLiteral(f"1 0 0 1 {fp_str(x, y)} cm")
        self._draw(canvas, x, y)
        canvas.addLiteral("Q")

    def _draw(self, canvas: Canvas, left: float, bottom: float) -> None:
        """Draw in the paragraph's own coordinates, whose origin is at (left, bottom) on the page."""
        style = self.style
        tags = canvas.tags
        if self.role == "Artifact":
            canvas.addLiteral(ARTIFACT)
            for i, line in enumerate(self.lines):
                x = self.width - style.indent - line.width if self.rtl else style.indent
                _draw_line(canvas, line, x, self.height - style.size - i * style.leading, style.size)
            canvas.addLiteral("EMC")
            return
        if not self.structure:
            self.structure.append(tags.paragraph(self.role, "".join(span.text for span in self.spans)))
        (structure,) = self.structure
        if self.outline is not None:
            key, title, level = self.outline
            canvas.bookmarkHorizontal(key, left, bottom + self.height)
            canvas.addOutlineEntry(title, key, level=level, closed=False)
        if self.bullet is not None and self.lines:
            # A disc BULLET_SIZE of the text size across, centred at the height of lower-case letters' middle.
            radius = style.size * BULLET_SIZE / 2
            y = self.height - style.size + style.size * BULLET_RISE
            x = self.width - style.bullet_indent - radius if self.rtl else style.bullet_indent + radius
            # A decoration: the list's structure says it is an item.
            canvas.addLiteral(f"{ARTIFACT} q {_fill(self.bullet)} {_disc(x, y, radius)} f Q EMC")
        for i, line in enumerate(self.lines):
            y = self.height - style.size - i * style.leading
            x = self.width - style.indent - line.width if self.rtl else style.indent
            begins, elements = structure.line(line)
            _draw_line(canvas, line, x, y, style.size, begins)
            for link, colour, start, end, first in _link_stretches(line):
                tags.annotation(elements[first])
                _draw_link(
                    canvas, link, colour, (left + x + start, bottom + y), (x + start, y), end - start, style.size
                )


BULLET_SIZE, BULLET_RISE = 0.36, 0.3
"""A bullet's diameter, and its centre's height above the baseline, in units of the text size."""


def _disc(x: float, y: float, r: float) -> str:
    """The path of a circle of radius r centred at (x, y): four Bézier quarter arcs."""
    k = r * 0.5523
    return (
        f"{fp_str(x + r, y)} m {fp_str(x + r, y + k, x + k, y + r, x, y + r)} c "
        f"{fp_str(x - k, y + r, x - r, y + k, x - r, y)} c {fp_str(x - r, y - k, x - k, y - r, x, y - r)} c "
        f"{fp_str(x + k, y - r, x + r, y - k, x + r, y)} c h"
    )


def _link_stretches(line: Line) -> list[tuple[str, str, float, float, int]]:
    """(address, colour, left, right, first run) of each stretch of the line linking to one address,
    left to right, measured from the line's left end: runs of one link side by side (several fonts, or
    both directions) make one stretch."""
    stretches: list[tuple[str, str, float, float, int]] = []
    pen = 0.0
    for i, run in enumerate(line.runs):
        if run.link is not None:
            if stretches and stretches[-1][0] == run.link and stretches[-1][3] == pen:
                link, colour, start, _, first = stretches[-1]
                stretches[-1] = (link, colour, start, pen + run.width, first)
            else:
                stretches.append((run.link, run.colour, pen, pen + run.width, i))
        pen += run.width
    return stretches


# Where a link's underline and its clickable box lie, in units of the text size from the baseline.
UNDERLINE_DROP, UNDERLINE_WIDTH = 0.11, 0.05
LINK_BOX = (-0.25, 0.9)  # the box's foot and head: the descenders and the tallest capitals and accents


def _draw_link(
    canvas: Canvas,
    link: str,
    colour: str,
    on_page: tuple[float, float],
    here: tuple[float, float],
    width: float,
    size: float,
) -> None:
    """Underline a stretch of linked text `width` points wide whose baseline starts at `here` in the
    paragraph's coordinates (`on_page` on the page), and make it a link to `link` (an annotation)."""
    x, y = here
    under = y - size * UNDERLINE_DROP
    stroke = "{:.4f} {:.4f} {:.4f} RG".format(*(c / 255 for c in rgb(colour)))
    canvas.addLiteral(
        f"{ARTIFACT} q {stroke} {fp_str(size * UNDERLINE_WIDTH)} w {fp_str(x, under)} m {fp_str(x + width, under)}"
        " l S Q EMC"
    )
    left, baseline = on_page
    foot, head = LINK_BOX
    canvas.linkURL(link, (left, baseline + size * foot, left + width, baseline + size * head), relative=0, thickness=0)


class _Logo(_Block):
    """The theme's logo, drawn from its bytes in memory: a Figure with its alt text in the structure tree
    (see tagging), the alt text also in its marked content's property list."""

    def __init__(self, image: Image, rtl: bool, space_after: float) -> None:
        self.image, self.rtl = image, rtl
        self.space_after = space_after
        self.width = 0.0
        self.logo_size = (0.0, 0.0)  # drawn width and height in points, set by wrap()

    def wrap(self, width: float) -> float:
        logo_height = LOGO_HEIGHT
        logo_width = logo_height * self.image.aspect
        if logo_width > width:  # a very wide logo is narrowed to the text width, keeping its proportions
            logo_width, logo_height = width, width / self.image.aspect
        self.logo_size = (logo_width, logo_height)
        self.width = width
        return logo_height

    def __str__(self) -> str:
        return "the logo"

    def draw_on(self, canvas: Canvas, x: float, y: float) -> None:
        width, height = self.logo_size
        left = self.width - width if self.rtl else 0
        alt = self.image.alt.encode("utf-16-be").hex().upper()
        canvas.saveState()
        canvas.translate(x, y)
        # The Figure's /Alt is in the structure tree; kept on its marked content too, as before tagging.
        canvas.addLiteral(canvas.tags.begin(canvas.tags.figure(self.image.alt), f" /Alt <FEFF{alt}>"))
        canvas.drawImage(ImageReader(io.BytesIO(self.image.data)), left, 0, width, height, mask="auto")
        canvas.addLiteral("EMC")
        canvas.restoreState()


class _Rule(_Block):
    """A horizontal rule across the text, `thickness` points high, drawn along its foot with round caps."""

    def __init__(self, thickness: float, colour: Color, space_before: float, space_after: float) -> None:
        self.thickness, self.colour = thickness, colour
        self.space_before, self.space_after = space_before, space_after
        self.width = 0.0

    def wrap(self, width: float) -> float:
        self.width = width
        return self.thickness

    def draw_on(self, canvas: Canvas, x: float, y: float) -> None:
        # Nested graphics states as reportlab's HRFlowable wrote them, so the bytes stay as they were.
        canvas.addLiteral(ARTIFACT)  # a decoration, not content
        canvas.saveState()
        canvas.translate(x, y)
        canvas.saveState()
        canvas.setLineWidth(self.thickness)
        canvas.setLineCap(1)
        canvas.setStrokeColor(self.colour)
        canvas.line(0, 0, self.width, 0)
        canvas.restoreState()
        canvas.restoreState()
        canvas.addLiteral("EMC")
