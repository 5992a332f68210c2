"""The handout: the deck's slides, drawn from the same plan the .pptx is emitted from, two or three to a page
with their speaker notes; a tagged PDF (PDF/UA-1) like the brief, written by the brief's backend.

Three to a page (the theme's `handout_slides_per_page`, the default) sets each slide in the left part of its
third of the page with its notes beside it; two to a page sets each slide larger, with its notes below. A
slide without notes has ruled lines there, to write on. Nothing goes through PowerPoint or LibreOffice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from reportlab.lib.units import mm

from ...text.breaking import ELLIPSIS
from ..pptx.ink import logo_ink
from ..pptx.measure import Typesetter
from ..pptx.plan import plan_deck
from ..pptx.spec import canvas_for
from . import check_page_size, write_pdf
from .backend import _Canvas
from .blocks import _Style, _Text
from .fonts import _check_coverage, _Setter, _Stacks
from .slides import SlideArtist, _Slide, notes_lines
from .story import _rich, need_rich
from .tagging import ARTIFACT

if TYPE_CHECKING:
    from ...errors import Reporter
    from ...model import Event
    from ...options import RenderOptions
    from ...theme import Theme
    from ..pptx.spec import Canvas
    from .tagging import _Element

GAP = 14.0  # between a slide and its notes, and between one slide's place and the next, in points
NOTES_MIN_SIZE = 7.0  # notes that do not fit at the body size are set smaller, down to this
RULE_COLOUR = "#C9CED3"  # the lines to write on where a slide has no notes


class HandoutRenderer:
    """Renders an event's deck as a printable handout: slides with their speaker notes."""

    name: ClassVar[str] = "handout"
    suffix: ClassVar[str] = ".handout.pdf"

    def render(self, event: Event, options: RenderOptions, report: Reporter) -> bytes:
        """Return the handout PDF; warnings (split sessions, fonts, notes cut short) go to `report`.

        Raises RenderError for an unknown page size, a template that cannot be used, or a character no
        font of the theme has.
        """
        theme = options.theme
        check_page_size(options)
        meta = event.meta
        typesetter = Typesetter(theme, meta.language, report)
        canvas = _slide_canvas(theme)
        plan = plan_deck(event, options, report, canvas, typesetter, logo_ink(theme, canvas))
        setter = _Setter(_Stacks(theme, report), meta.language)
        artist = SlideArtist(theme, canvas, typesetter, setter)
        slides = [artist.prepare(spec) for spec in plan]
        wanted = artist.wanted
        body = setter.stacks.body
        wanted.setdefault(body, []).extend([ELLIPSIS, meta.words.page_of("0123456789", ""), meta.title])
        for slide in slides:
            for line in notes_lines(slide.spec.notes):
                need_rich(line, setter.stacks, wanted)
        _check_coverage(wanted)
        layout = _Layout
        return write_pdf(
            event, options, setter, lambda canvas: layout(canvas, theme, artist, setter, report).lay(slides)
        )


RENDERER = HandoutRenderer()


def _slide_canvas(theme: Theme) -> Canvas:
    """The canvas the deck is planned on: the corporate template's (read with python-pptx, as the deck reads
    it), else the theme's own slide size."""
    data = theme.reference("pptx")
    if data is None:
        return canvas_for(theme)
    from ..pptx.template import Template

    return Template(data, theme).canvas()


class _Layout:
    """Where each slide and its notes go: `per` places down the page, each a slide and its notes area."""

    def __init__(self, canvas: _Canvas, theme: Theme, artist: SlideArtist, setter: _Setter, report: Reporter) -> None:
        self.canvas, self.theme, self.artist, self.setter, self.report = canvas, theme, artist, setter, report
        page_width, page_height = canvas.page_size
        margin = theme.margin_mm * mm
        self.left, self.right, self.top, self.bottom = margin, page_width - margin, page_height - margin, margin
        self.per = theme.handout_slides_per_page
        slide = artist.canvas
        self.aspect = slide.width / slide.height
        place = (self.top - self.bottom - GAP * (self.per - 1)) / self.per
        self.place = place
        width = self.right - self.left
        if self.per == 3:  # notes beside
            self.slide_width = min(width * 0.6, place * self.aspect)
        else:  # notes below
            self.slide_width = min(width, place * 0.62 * self.aspect)
        self.scale = self.slide_width / slide.width

    def lay(self, slides: list[_Slide]) -> None:
        """Draw every slide in its place, a new page after each `per`, then end the last page."""
        canvas = self.canvas
        for n, slide in enumerate(slides):
            slot = n % self.per
            if n and not slot:
                canvas.showPage()
            if not slot:
                canvas.keep_room_for_footer()
            top = self.top - slot * (self.place + GAP)
            sect = canvas.tags.section()
            key = f"slide{n + 1}"
            canvas.bookmarkHorizontal(key, self.left, top)
            canvas.addOutlineEntry(f"{n + 1}. {slide.spec.title}", key, level=0, closed=False)
            # Two to a page: the slide centred over its notes.
            x = self.left if self.per == 3 else (self.left + self.right - self.slide_width) / 2
            self.artist.draw(canvas, slide, x, top, self.scale, sect)
            slide_height = self.slide_width / self.aspect
            if self.per == 3:
                area = (
                    self.left + self.slide_width + GAP,
                    top,
                    self.right - self.left - self.slide_width - GAP,
                    self.place,
                )
            else:
                area = (
                    self.left,
                    top - slide_height - GAP * 0.75,
                    self.right - self.left,
                    self.place - slide_height - GAP * 0.75,
                )
            self._notes(slide.spec.notes, area, sect, slide.spec.title, slide_height)
        canvas.showPage()

    def _notes(
        self, notes: str, area: tuple[float, float, float, float], sect: _Element, title: str, ruled: float
    ) -> None:
        """The slide's notes set in `area` (left, top, width, height), at the body size or smaller to fit;
        where it has none, ruled lines to write on, `ruled` points down (beside a slide: as tall as it)."""
        left, top, width, height = area
        theme, canvas = self.theme, self.canvas
        lines = notes_lines(notes)
        if not lines:
            pitch = max(theme.body_size * 1.9, 16)
            stroke = "{:.4f} {:.4f} {:.4f} RG".format(*(int(RULE_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5)))
            ops = [ARTIFACT, "q", stroke, "0.5 w"]
            y = top - pitch
            while y >= top - min(height, ruled if self.per == 3 else height):
                ops.append(f"{left:.2f} {y:.2f} m {left + width:.2f} {y:.2f} l S")
                y -= pitch
            canvas.addLiteral("\n".join([*ops, "Q", "EMC"]))
            return
        size = theme.body_size
        while True:
            style = _Style(size, size * 1.3, space_after=size * 0.4)
            paras = [
                _Text(self.setter, _rich(line, theme.text, theme, self.setter.stacks), style)
                for line in lines
                if line.strip()
            ]
            heights = [p.wrap(width) for p in paras]
            total = sum(heights) + style.space_after * (len(paras) - 1)
            if total <= height or size <= NOTES_MIN_SIZE:
                break
            size = max(size - 0.5, NOTES_MIN_SIZE)
        y = top
        for para, tall in zip(paras, heights, strict=True):
            if y - tall < top - height - 0.01:
                self.report.warning(f"the notes of the slide {title!r} do not fit on the handout; the rest is left out")
                break
            para.structure.append(canvas.tags.paragraph("P", "".join(span.text for span in para.spans), within=sect))
            para.draw_on(canvas, left, y - tall)
            y -= tall + style.space_after
