"""The deck's slides drawn on a PDF page: any planned SlideSpec (its background, bars, text boxes and pictures)
scaled into a rectangle, in the theme's fonts and colours, and tagged: the slide a Sect of an H1 title,
paragraphs and lists; its ground, frame, bars, logo and footer artifacts.

Generic over what the planner yields: the handout knows boxes, paragraphs, runs, styles, bars and pictures,
never kinds of slide, so a change to the plan flows into the handout unchanged.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, NamedTuple

from reportlab.lib.utils import ImageReader

from ...markup import Rich
from ...text.shaping import Span
from ...theme import AA_LARGE, contrast_ratio, ink_on, readable
from ..pptx.spec import INHERIT, MUTED, WIDTH_SAFETY, Role, SlideKind, runs_of
from .backend import _draw_line, _fill, fp_str
from .blocks import BULLET_RISE, BULLET_SIZE, _disc, _draw_link, _link_stretches
from .tagging import ARTIFACT

if TYPE_CHECKING:
    from ...text.shaping import Line
    from ...theme import Theme
    from ..pptx.measure import Typesetter
    from ..pptx.spec import Canvas, ChartSpec, Para, SlideSpec, Style, TextSpec
    from .backend import _Canvas
    from .fonts import _Setter, _Stack, _Stacks
    from .tagging import _Element, _Paragraph

BASELINE = 0.2
"""Where a line's baseline sits, in units of the text size above the foot of its line pitch (the fonts'
descent, about): text in a box of exact line spacing, as PowerPoint and LibreOffice place it."""
FRAME_COLOUR = "#B8BEC4"  # the hairline round a slide, so a white slide has an edge on white paper


class _Para(NamedTuple):
    """One paragraph of a text box as the handout sets it: spans (its label first, when it leads the first
    line), what a reader reads, how it is placed, and its role in the structure (P, H1, H2, LI, or
    Artifact)."""

    spans: list[Span]
    text: str
    role: str
    label: list[Span]  # an agenda entry's code, drawn before the indent on its first line
    space_before: float
    bullet: str  # colour of the bullet disc, "" for none
    indented: bool
    rtl: bool


class _Box(NamedTuple):
    """A text box as the handout sets it."""

    spec: TextSpec
    paras: list[_Para]


class _Slide(NamedTuple):
    """A slide ready to draw: its plan, its ground, and its text boxes as spans."""

    spec: SlideSpec
    ground: str
    boxes: list[_Box]


class SlideArtist:
    """Draws one deck's planned slides: each text's style set in a PDF font stack made once, its colours
    resolved against the slide's ground (a template's inherited colours included)."""

    def __init__(self, theme: Theme, canvas: Canvas, typesetter: Typesetter, setter: _Setter) -> None:
        self.theme, self.canvas, self.typesetter, self.setter = theme, canvas, typesetter, setter
        self.stacks: _Stacks = setter.stacks
        self.made: dict[tuple[tuple[str, ...], bool, bool], _Stack] = {}
        self.wanted: dict[_Stack, list[str]] = {}  # every text set in each stack, for the coverage check

    def stack(self, style: Style) -> _Stack:
        """The PDF font stack of a deck style: its families in order, then the theme's fallbacks."""
        key = (style.families, style.bold, style.italic)
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = self.stacks._stack(style.family, style.families[1:], style.bold, style.italic)
        return found

    def ground(self, spec: SlideSpec) -> str:
        """The colour behind the slide: its own, else its template layout's, else white."""
        if spec.background:
            return spec.background
        layouts = self.canvas.layouts
        if layouts is not None:
            frame = {SlideKind.TITLE: layouts.cover, SlideKind.SECTION: layouts.section}.get(spec.kind, layouts.content)
            if frame.background:
                return frame.background
        return "#FFFFFF"

    def colour(self, style: Style, ground: str) -> str:
        """A style's colour: its own, else (a template's text) the theme's text colour, softened for MUTED,
        or white on a dark ground."""
        if style.colour.startswith("#"):
            return style.colour
        base = self.theme.muted if style.colour == MUTED else self.theme.text
        if style.colour in (INHERIT, MUTED) and contrast_ratio(base, ground) < AA_LARGE:
            return ink_on(ground)
        return base

    def prepare(self, spec: SlideSpec) -> _Slide:
        """The slide's texts as spans (noting every text each stack must cover)."""
        ground = self.ground(spec)
        boxes = []
        for n, text in enumerate(spec.texts):
            paras = [self._para(text, para, ground, n == 0) for para in text.paras]
            boxes.append(_Box(text, paras))
        return _Slide(spec, ground, boxes)

    def _spans(self, text: str, style: Style, ground: str, caps: bool) -> list[Span]:
        spans = []
        for inline in runs_of(text):
            own = self.typesetter.run_style(style, inline)
            stack = self.stack(own)
            shown = inline.text.upper() if caps else inline.text
            self.wanted.setdefault(stack, []).append(shown)
            colour = (
                self.theme.link_colour if inline.link and style.colour.startswith("#") else self.colour(own, ground)
            )
            spans.append(Span(shown, stack.paths, colour, inline.link, own.bold))
        return spans

    def _para(self, text: TextSpec, para: Para, ground: str, title: bool) -> _Para:
        style = para.style or text.style
        caps = style.caps
        role = para.role
        spans: list[Span] = []
        label: list[Span] = []
        if para.label:
            label_style = para.label_style or style._replace(bold=True)
            label = self._spans(para.label, label_style, ground, caps)
            if role is not Role.ENTRY:
                spans, label = [*label, *self._spans(" ", style, ground, caps)], []
        spans += self._spans(para.text, style, ground, caps)
        if role is Role.SLIDE_NUMBER or text.name == "Footer":
            kind = "Artifact"  # the same on every slide: pagination, as the brief's footer is
        elif title:
            kind = "H1"
        elif role is Role.DAY:
            kind = "H2"
        elif role in (Role.BULLET, Role.CONTINUATION, Role.ENTRY):
            kind = "LI"
        else:
            kind = "P"
        bullet = ""
        if role is Role.BULLET:
            bullet = readable(self.theme.accent, ground, AA_LARGE)
        indented = role in (Role.BULLET, Role.CONTINUATION, Role.ENTRY)
        return _Para(spans, para.full_text, kind, label, para.space_before, bullet, indented, para.rtl)

    def draw(self, canvas: _Canvas, slide: _Slide, left: float, top: float, scale: float, sect: _Element) -> None:
        """Draw the slide with its top left corner at (left, top) on the page, `scale` page points to the
        slide's point: its ground and frame, bars, texts (title first) and pictures, as the deck stacks them."""
        spec = slide.spec
        width, height = self.canvas.width * scale, self.canvas.height * scale

        def rect(x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
            return left + x * scale, top - (y + h) * scale, w * scale, h * scale

        ops = [ARTIFACT, "q", _fill(slide.ground), f"{fp_str(left, top - height, width, height)} re f"]
        for bar in spec.bars:
            ops += [_fill(bar.colour), f"{fp_str(*rect(*bar.box))} re f"]
        stroke = "{:.4f} {:.4f} {:.4f} RG".format(*(int(FRAME_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5)))
        ops += [stroke, "0.5 w", f"{fp_str(left, top - height, width, height)} re S", "Q", "EMC"]
        canvas.addLiteral("\n".join(ops))
        for box in slide.boxes:
            self._box(canvas, box, left, top, scale, sect)
        if spec.chart is not None:
            self._chart(canvas, spec.chart, *rect(*spec.chart.box))
        image = self.theme.logo_image
        if image is not None:
            for picture in spec.pictures:
                canvas.addLiteral(ARTIFACT)  # the logo is on many slides: decoration, as the deck marks its plate
                canvas.saveState()
                if picture.plate is not None:
                    x, y, w, h = rect(*picture.plate)
                    canvas.setFillColor(picture.plate_colour)
                    canvas.roundRect(x, y, w, h, min(w, h) * 0.12, stroke=0, fill=1)
                x, y, w, h = rect(*picture.box)
                canvas.drawImage(ImageReader(io.BytesIO(image.data)), x, y, w, h, mask="auto")
                canvas.restoreState()
                canvas.addLiteral("EMC")

    def _chart(self, canvas: _Canvas, chart: ChartSpec, x: float, y: float, width: float, height: float) -> None:
        """The deck's chart drawn as the brief draws its chart of actions by status (a Figure with the
        numbers in words), in the chart's box: its text as large as the box lets every row fit."""
        from .tables import _Chart

        body, colour = self.setter.stacks.body.paths, self.theme.text
        legend = [
            ([Span(name, body, colour)], fill) for (name, _), fill in zip(chart.series, chart.colours, strict=True)
        ]
        rows = []
        for i, category in enumerate(chart.categories):
            counts = [values[i] for _, values in chart.series]
            said = ", ".join(f"{n} {name.lower()}" for (name, _), n in zip(chart.series, counts, strict=True) if n)
            rows.append(([Span(category, body, colour)], counts, [Span(said, body, colour)]))
        size = min(chart.size * width / max(chart.box.w, 1.0), height / ((len(rows) + 1) * 1.7))
        block = _Chart(self.setter, legend, rows, chart.alt, size)
        block.draw_on(canvas, x, y + height - block.wrap(width))

    def _box(self, canvas: _Canvas, box: _Box, left: float, top: float, scale: float, sect: _Element) -> None:
        text = box.spec
        size, leading = text.size * scale, text.leading * scale
        x0, y = left + text.box.x * scale, top - text.box.y * scale
        width, indent = text.box.w * scale, text.indent * scale
        for n, para in enumerate(box.paras):
            if n:
                y -= para.space_before * scale
            room = (width - indent if para.indented else width) * WIDTH_SAFETY
            lines = self.setter.shape(para.spans, size, para.rtl or None, keep=False).lines(room) if para.spans else []
            right = para.rtl or text.align_right
            structure = None
            if para.role != "Artifact":
                structure = canvas.tags.paragraph(para.role, para.text, within=sect)
            else:
                canvas.addLiteral(ARTIFACT)
            for i, line in enumerate(lines or [None]):
                baseline = y - leading + size * BASELINE
                y -= leading
                if line is None:
                    continue
                if i == 0 and para.label:
                    label = self.setter.shape(para.label, size).line()
                    lx = x0 + width - label.width if right else x0
                    self._line(canvas, label, lx, baseline, size, structure)
                if i == 0 and para.bullet:
                    radius = size * BULLET_SIZE / 2
                    bx = x0 + width - radius if right else x0 + radius
                    disc = _disc(bx, baseline + size * BULLET_RISE, radius)
                    canvas.addLiteral(f"{ARTIFACT} q {_fill(para.bullet)} {disc} f Q EMC")
                start = indent if para.indented else 0.0
                lx = x0 + width - start - line.width if right else x0 + start
                self._line(canvas, line, lx, baseline, size, structure)
            if structure is None:
                canvas.addLiteral("EMC")

    @staticmethod
    def _line(canvas: _Canvas, line: Line, x: float, y: float, size: float, structure: _Paragraph | None) -> None:
        """Draw a line at (x, y) on the page, in the structure element given (None: inside an artifact), its
        links underlined and made annotations."""
        if structure is None:
            _draw_line(canvas, line, x, y, size)
            return
        begins, elements = structure.line(line)
        _draw_line(canvas, line, x, y, size, begins)
        for link, colour, start, end, first in _link_stretches(line):
            canvas.tags.annotation(elements[first])
            _draw_link(canvas, link, colour, (x + start, y), (x + start, y), end - start, size)


def notes_lines(notes: str) -> list[str]:
    """The speaker notes' lines (each a Rich with its runs, when the notes have markup); trailing blank lines
    dropped."""
    lines: list[str] = list(notes.lines()) if isinstance(notes, Rich) and notes.has_markup else notes.splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    return lines
