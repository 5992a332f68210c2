"""The deck renderer: plans an event's slides with real font metrics, then emits them as a 16:9 .pptx."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC
from enum import Enum
from typing import TYPE_CHECKING, Any, ClassVar
from xml.sax.saxutils import escape, quoteattr

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.oxml.slide import CT_NotesSlide, CT_Slide
from pptx.parts.slide import NotesSlidePart, SlidePart
from pptx.util import Emu

from ..errors import RenderError
from ..fonts import Metrics, metrics, require_font, wrap
from ..theme import rgb
from ._ooxml import normalize_zip

if TYPE_CHECKING:
    from ..errors import Reporter
    from ..model import Day, Event, EventInfo, Session
    from ..options import RenderOptions
    from ..theme import Theme

# --- Geometry, in points. A 16:9 slide is 13.333 x 7.5 in. -----------------------------------------

SLIDE_WIDTH = 960.0
SLIDE_HEIGHT = 540.0

_MARGIN = 54.0  # left and right margin of content slides
_CONTENT_WIDTH = SLIDE_WIDTH - 2 * _MARGIN
_TOP = 38.0  # top of the title on content slides
_COVER_MARGIN = 72.0  # title and section slides sit further in
_COVER_WIDTH = SLIDE_WIDTH - 2 * _COVER_MARGIN

_TITLE_LEADING = 1.1  # line pitch of titles, as a multiple of their size
_BODY_LEADING = 1.2  # line pitch of everything else; close to the fonts' natural line height
_BULLET_GAP = 0.5  # space before each outcome but the first, in multiples of the body size
_BULLET_INDENT = 0.9  # hanging indent of outcome bullets, in multiples of the body size
_DAY_GAP = 0.8  # agenda: space before a day's title
_ENTRY_GAP = 0.25  # agenda: space before a session entry

_BAR_WIDTH, _BAR_HEIGHT = 56.0, 4.0  # the accent bar under content titles
_COVER_BAR_WIDTH, _COVER_BAR_HEIGHT = 72.0, 6.0

_FOOTER_BOTTOM = SLIDE_HEIGHT - 22.0
_NUMBER_WIDTH = 60.0

# Lines are measured this much narrower than their box, so that a renderer whose line breaking differs
# from ours by a hair (hinting, rounding to device units, kerning) still breaks no later than we did.
_WIDTH_SAFETY = 0.995

# Slides are built once, so fixed ids make the file reproducible; PowerPoint itself reuses one id for
# every slide-number field that comes from the same layout.
_SLIDE_NUMBER_FIELD_ID = "{6B5E4C1F-2D47-4C8A-9E3B-1A2F5D7C9E04}"


# --- The plan: what each slide shows and where, decided without python-pptx. ---------------------------


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide: left, top, width and height in points."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        """Distance from the top of the slide to the bottom edge, in points."""
        return self.y + self.h


class SlideKind(Enum):
    """What a slide is for; it decides the background and the decoration."""

    TITLE = "title"
    AGENDA = "agenda"
    SECTION = "section"
    SESSION = "session"


class Role(Enum):
    """What a paragraph is, which decides its bullet, indent and the font of its label."""

    PLAIN = "plain"
    BULLET = "bullet"  # one outcome, with a bullet
    CONTINUATION = "continuation"  # the rest of an outcome or entry split across slides: indented, no bullet
    DAY = "day"  # agenda: a day's title
    ENTRY = "entry"  # agenda: session code, a tab, then the session's title
    SLIDE_NUMBER = "slide number"  # a slide-number field showing `text`


@dataclass(frozen=True)
class Style:
    """How a text box looks: the Theme attributes naming its font family and colour, and its weight."""

    font: str
    colour: str
    bold: bool = False


COVER_TITLE = Style("heading_font", "background", bold=True)
COVER_TEXT = Style("body_font", "background")
TITLE = Style("heading_font", "primary", bold=True)
BYLINE = Style("body_font", "muted")
BODY = Style("body_font", "text")
FOOTER = Style("body_font", "muted")


@dataclass(frozen=True)
class Para:
    """One paragraph. `label` (a session code) is drawn bold in the accent colour before the text."""

    text: str
    role: Role = Role.PLAIN
    label: str = ""
    space_before: float = 0.0  # points; always 0 for the first paragraph of a box

    @property
    def full_text(self) -> str:
        """The paragraph as a reader sees it: the label, a separator, then the text."""
        if not self.label:
            return self.text
        separator = "\t" if self.role is Role.ENTRY else " "
        return f"{self.label}{separator}{self.text}"


@dataclass(frozen=True)
class TextSpec:
    """One text box, measured to fit: its place, paragraphs, look and sizes (points)."""

    name: str
    box: Box
    paras: tuple[Para, ...]
    style: Style
    size: float
    leading: float  # distance between lines, set as exact line spacing
    indent: float = 0.0  # where bulleted and agenda lines start, from the box's left edge
    align_right: bool = False


@dataclass(frozen=True)
class SlideSpec:
    """One planned slide: its kind, its (unique) title, its text boxes (title first), accent bars, notes."""

    kind: SlideKind
    title: str
    texts: tuple[TextSpec, ...]
    bars: tuple[Box, ...] = ()
    notes: str = ""

    @property
    def body(self) -> tuple[Para, ...]:
        """The paragraphs of the body box (outcomes or agenda); () on title and section slides."""
        return next((t.paras for t in self.texts if t.name == "Body"), ())

    @property
    def bullets(self) -> tuple[str, ...]:
        """Texts of the outcome paragraphs, continuation fragments included; () when there are none."""
        return tuple(p.text for p in self.body if p.role in (Role.BULLET, Role.CONTINUATION))


def plan_slides(event: Event, theme: Theme, report: Reporter) -> list[SlideSpec]:
    """Return the deck as slide specs: title, agenda, then each day's section slide and session slides.

    Everything is measured with the theme fonts' real metrics so no text leaves its box; sessions and the
    agenda continue onto further slides when they do not fit, with a warning for each split session.
    """
    return _Planner(event, theme, report).plan()


def _sizes(largest: float, smallest: float) -> Iterator[float]:
    """Font sizes from `largest` down to `smallest` in 1 pt steps, `smallest` always last."""
    size = largest
    while size > smallest:
        yield size
        size -= 1
    yield smallest


def _continued(title: str, page: int, pages: int) -> str:
    """The title of the `page`-th slide (1-based) of a run of `pages` slides; unique within the run."""
    if page == 1:
        return title
    if pages == 2:
        return f"{title} (continued)"
    return f"{title} (continued, {page} of {pages})"


def _plural(count: int, noun: str) -> str:
    """ "1 session", "2 sessions"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class _Measure:
    """Wraps and measures paragraphs with the metrics of the theme's fonts."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme
        self._fonts: dict[tuple[str, bool], Metrics] = {}

    def font(self, family: str, bold: bool) -> Metrics:
        """Metrics of the family's file (or its stand-in, see reportgen.fonts); read once per deck."""
        key = (family, bold)
        if key not in self._fonts:
            path, _exact = require_font(family, bold=bold)
            self._fonts[key] = metrics(path)
        return self._fonts[key]

    def style_font(self, style: Style) -> Metrics:
        return self.font(getattr(self.theme, style.font), style.bold)

    def label_width(self, label: str, size: float) -> float:
        """Width in points of a session code as the agenda sets it: bold body font."""
        return self.font(self.theme.body_font, True).width(label, size)

    def lines(self, para: Para, style: Style, size: float, width: float, indent: float = 0.0) -> list[str]:
        """The lines `para` breaks into in a box `width` points wide."""
        if para.role in (Role.BULLET, Role.CONTINUATION, Role.ENTRY):
            # Wrapped lines start at the indent; an entry's first line starts there too, after its tab.
            return wrap(para.text, self.style_font(style), size, (width - indent) * _WIDTH_SAFETY)
        font = self.font(self.theme.body_font, True) if para.role is Role.DAY else self.style_font(style)
        return wrap(para.full_text, font, size, width * _WIDTH_SAFETY)

    def height(self, para: Para, style: Style, size: float, leading: float, width: float, indent: float) -> float:
        """Space before plus lines times leading, in points."""
        return para.space_before + len(self.lines(para, style, size, width, indent)) * leading


@dataclass(frozen=True)
class _Frame:
    """The fixed parts of a content slide: title, accent bar, optional byline, and the body's box."""

    title: TextSpec
    bar: Box
    byline: TextSpec | None
    body: Box


class _Planner:
    """Builds the slide specs of one deck in order, numbering slides and keeping titles unique."""

    def __init__(self, event: Event, theme: Theme, report: Reporter) -> None:
        self.event = event
        self.theme = theme
        self.report = report
        self.measure = _Measure(theme)
        self.slides: list[SlideSpec] = []
        self._titles: set[str] = set()
        self._footer_cache: str | None = None
        self.title_max = theme.slide_title_size
        self.title_min = min(theme.slide_title_size, max(0.8 * theme.slide_title_size, theme.slide_min_body_size + 2))

    def plan(self) -> list[SlideSpec]:
        self._title_slide()
        self._agenda()
        for number, day in enumerate(self.event.days, start=1):
            self._section(number, day)
            for session in day.sessions:
                self._session(day, session)
        return self.slides

    # -- titles ---------------------------------------------------------------------------------------

    def _claim(self, title: str, context: str) -> str:
        """Return `title`, made unique in the deck (PowerPoint's accessibility check flags duplicates)."""
        candidate = title
        if candidate in self._titles:
            candidate = f"{title} ({context})"
        count = 2
        while candidate in self._titles:
            candidate = f"{title} ({context}, {count})"
            count += 1
        self._titles.add(candidate)
        return candidate

    def _fit_title(
        self, para: Para, style: Style, largest: float, smallest: float, width: float, max_lines: int
    ) -> tuple[float, int]:
        """Return (size, line count) for a title: one line, shrinking down to `smallest`, then two, ...

        A title that needs more than `max_lines` lines even at `smallest` gets the lines it needs.
        """
        for allowed in range(1, max_lines + 1):
            for size in _sizes(largest, smallest):
                count = len(self.measure.lines(para, style, size, width))
                if count <= allowed:
                    return size, count
        return smallest, len(self.measure.lines(para, style, smallest, width))

    def _title_text(
        self,
        para: Para,
        style: Style,
        x: float,
        y: float,
        width: float,
        largest: float,
        smallest: float,
        max_lines: int,
    ) -> TextSpec:
        size, count = self._fit_title(para, style, largest, smallest, width, max_lines)
        leading = size * _TITLE_LEADING
        return TextSpec("Title", Box(x, y, width, count * leading), (para,), style, size, leading)

    def _lines_text(
        self, name: str, text: str, style: Style, size: float, x: float, y: float, width: float
    ) -> TextSpec:
        para = Para(text)
        count = len(self.measure.lines(para, style, size, width))
        leading = size * _BODY_LEADING
        return TextSpec(name, Box(x, y, width, count * leading), (para,), style, size, leading)

    # -- title and section slides -----------------------------------------------------------------------

    def _title_slide(self) -> None:
        meta = self.event.meta
        theme = self.theme
        title = self._claim(meta.title, "title")
        x, width = _COVER_MARGIN, _COVER_WIDTH
        heading = self._title_text(
            Para(title), COVER_TITLE, x, 0, width, 1.5 * theme.slide_title_size, theme.slide_title_size, 3
        )
        texts = [heading]
        if meta.subtitle:
            texts.append(
                self._lines_text("Subtitle", meta.subtitle, COVER_TEXT, 0.8 * theme.slide_title_size, x, 0, width)
            )
        details = " · ".join(part for part in (meta.date, meta.venue, meta.organiser) if part)
        detail_spec = None
        if details:
            detail_spec = self._lines_text("Details", details, COVER_TEXT, theme.slide_min_body_size, x, 0, width)
            detail_spec = replace(detail_spec, box=replace(detail_spec.box, y=SLIDE_HEIGHT - 64 - detail_spec.box.h))
        limit = detail_spec.box.y - 36 if detail_spec else SLIDE_HEIGHT - 64
        placed, bar = self._stack(texts, limit=limit, what="the event's title and subtitle")
        if detail_spec:
            placed.append(detail_spec)
        self._add(SlideKind.TITLE, title, placed, (bar,), footer=False)

    def _section(self, number: int, day: Day) -> None:
        theme = self.theme
        title = self._claim(day.title, f"day {number}")
        heading = self._title_text(
            Para(title),
            COVER_TITLE,
            _COVER_MARGIN,
            0,
            _COVER_WIDTH,
            1.4 * theme.slide_title_size,
            theme.slide_title_size,
            3,
        )
        summary = f"{_plural(len(day.sessions), 'session')} · {_plural(day.outcome_count, 'key outcome')}"
        line = self._lines_text("Subtitle", summary, COVER_TEXT, theme.slide_body_size, _COVER_MARGIN, 0, _COVER_WIDTH)
        placed, bar = self._stack([heading, line], limit=SLIDE_HEIGHT - 48, what=f"the day title {day.title!r}")
        self._add(SlideKind.SECTION, title, placed, (bar,), footer=False)

    def _stack(self, texts: list[TextSpec], limit: float, what: str) -> tuple[list[TextSpec], Box]:
        """Stack an accent bar and `texts` a little above the middle of the slide, higher if they would pass
        `limit`; return them placed, and the bar."""
        gaps = [20.0] + [16.0] * (len(texts) - 1)
        block = _COVER_BAR_HEIGHT + sum(gaps) + sum(t.box.h for t in texts)
        top = min((SLIDE_HEIGHT - block) / 2 - 24, limit - block)
        if top < 36:
            raise RenderError(f"{what} are too long to fit on a slide; shorten them")
        bar = Box(_COVER_MARGIN, top, _COVER_BAR_WIDTH, _COVER_BAR_HEIGHT)
        y = bar.bottom
        placed = []
        for gap, text in zip(gaps, texts, strict=True):
            y += gap
            placed.append(replace(text, box=replace(text.box, y=y)))
            y += text.box.h
        return placed, bar

    # -- content slides ---------------------------------------------------------------------------------

    def _frame(self, title: Para, byline: str | None, largest: float | None = None) -> _Frame:
        theme = self.theme
        largest = self.title_max if largest is None else largest
        heading = self._title_text(title, TITLE, _MARGIN, _TOP, _CONTENT_WIDTH, largest, self.title_min, 2)
        bar = Box(_MARGIN, heading.box.bottom + 12, _BAR_WIDTH, _BAR_HEIGHT)
        below = bar.bottom
        by = None
        if byline:
            by = self._lines_text(
                "Byline", byline, BYLINE, theme.subtitle_size, _MARGIN, bar.bottom + 12, _CONTENT_WIDTH
            )
            below = by.box.bottom
        top = below + 22
        bottom = self._footer_top() - 24
        minimum = 3 * theme.slide_min_body_size * _BODY_LEADING
        if bottom - top < minimum:
            raise RenderError(f"the slide title {title.full_text!r} is too long to leave room for its content")
        return _Frame(heading, bar, by, Box(_MARGIN, top, _CONTENT_WIDTH, bottom - top))

    def _footer_size(self) -> float:
        # Two thirds of the smallest body size: legible from the back, yet clearly not content.
        return round(2 * self.theme.slide_min_body_size / 3)

    def _footer_leading(self) -> float:
        return self._footer_size() * _BODY_LEADING

    def _footer_top(self) -> float:
        return _FOOTER_BOTTOM - self._footer_leading()

    def _footer_text(self, width: float) -> str:
        """The footer's text, shortened with an ellipsis to one line: a wrapped footer would hit the body."""
        if self._footer_cache is not None:
            return self._footer_cache
        size = self._footer_size()
        text = self.theme.footer_text or self.event.meta.title
        font = self.measure.style_font(FOOTER)
        if font.width(text, size) > width * _WIDTH_SAFETY:
            words = text.split()
            while len(words) > 1 and font.width(" ".join(words) + "…", size) > width * _WIDTH_SAFETY:
                words.pop()
            text = " ".join(words) + "…"
            while len(text) > 1 and font.width(text, size) > width * _WIDTH_SAFETY:
                text = text[:-2] + "…"
        self._footer_cache = text
        return text

    def _footer(self, number: int) -> list[TextSpec]:
        size, leading, top = self._footer_size(), self._footer_leading(), self._footer_top()
        width = _CONTENT_WIDTH - _NUMBER_WIDTH - 12
        text = self._footer_text(width)
        return [
            TextSpec("Footer", Box(_MARGIN, top, width, leading), (Para(text),), FOOTER, size, leading),
            TextSpec(
                "Slide Number",
                Box(_MARGIN + _CONTENT_WIDTH - _NUMBER_WIDTH, top, _NUMBER_WIDTH, leading),
                (Para(str(number), Role.SLIDE_NUMBER),),
                FOOTER,
                size,
                leading,
                align_right=True,
            ),
        ]

    def _add(
        self,
        kind: SlideKind,
        title: str,
        texts: list[TextSpec],
        bars: Sequence[Box],
        footer: bool = True,
        notes: str = "",
    ) -> None:
        number = len(self.slides) + 1
        all_texts = [*texts, *self._footer(number)] if footer else texts
        self.slides.append(SlideSpec(kind, title, tuple(all_texts), tuple(bars), notes))

    def _body_height(self, paras: Sequence[Para], size: float, indent: float) -> float:
        """Height of `paras` as the whole of a body box (the first one's space before is dropped)."""
        leading = size * _BODY_LEADING
        total = sum(self.measure.height(p, BODY, size, leading, _CONTENT_WIDTH, indent) for p in paras)
        return total - (paras[0].space_before if paras else 0.0)

    def _paged(
        self,
        kind: SlideKind,
        title: Para,
        byline: str | None,
        units_at: Callable[[float], tuple[list[Para], float]],
        what: str,
        notes: str = "",
    ) -> int:
        """Add the slides of one session or of the agenda; return how many slides that took.

        `units_at(size)` gives the paragraphs and their indent at a body size; `what` names the content
        in warnings.
        """
        theme = self.theme
        frame = self._frame(title, byline)
        for size in _sizes(theme.slide_body_size, theme.slide_min_body_size):
            units, indent = units_at(size)
            if self._body_height(units, size, indent) <= frame.body.h:
                first_page = [replace(units[0], space_before=0.0), *units[1:]]
                self._emit_pages(kind, [title], [frame], [first_page], size, indent, notes)
                return 1
        # The titles of the continued slides depend on how many there are, and their height on the
        # titles: guess two slides, and grow the guess until the outcomes fit in that many.
        guess = 2
        while True:
            titles = [replace(title, text=_continued(title.text, n, guess)) for n in range(1, guess + 1)]
            pages, size, indent = self._split(units_at, self._run_frames(titles, byline)[0].body, what)
            if len(pages) <= guess:
                count = len(pages)
                titles = [replace(title, text=_continued(title.text, n, count)) for n in range(1, count + 1)]
                self._emit_pages(kind, titles, self._run_frames(titles, byline), pages, size, indent, notes)
                return count
            guess = len(pages)

    def _run_frames(self, titles: Sequence[Para], byline: str | None) -> list[_Frame]:
        """Frames for a run of slides: titles at one size, one body box below the tallest title."""
        frames = [self._frame(t, byline) for t in titles]
        size = min(f.title.size for f in frames)
        if any(f.title.size != size for f in frames):
            frames = [self._frame(t, byline, largest=size) for t in titles]
        body = min((f.body for f in frames), key=lambda box: box.h)
        return [replace(f, body=body) for f in frames]

    def _emit_pages(
        self,
        kind: SlideKind,
        titles: Sequence[Para],
        frames: Sequence[_Frame],
        pages: Sequence[Sequence[Para]],
        size: float,
        indent: float,
        notes: str,
    ) -> None:
        leading = size * _BODY_LEADING
        for n, (title, frame, paras) in enumerate(zip(titles, frames, pages, strict=True)):
            name = title.full_text
            self._titles.add(name)
            body = TextSpec("Body", frame.body, tuple(paras), BODY, size, leading, indent)
            texts = [frame.title, *([frame.byline] if frame.byline else []), body]
            self._add(kind, name, texts, (frame.bar,), notes=notes if n == 0 else "")

    def _split(
        self,
        units_at: Callable[[float], tuple[list[Para], float]],
        box: Box,
        what: str,
    ) -> tuple[list[list[Para]], float, float]:
        """Spread units over as few slides as possible at the largest size that needs no more slides."""
        theme = self.theme
        best: tuple[int, float] | None = None
        for size in _sizes(theme.slide_body_size, theme.slide_min_body_size):
            units, indent = units_at(size)
            packer = _Packer(self.measure, units, size, indent, box)
            count = packer.count(box.h)
            if count is not None and (best is None or count < best[0]):
                best = (count, size)
        if best is None:
            # Even alone on a slide some unit is too tall at the smallest size: cut it at a line boundary.
            size = theme.slide_min_body_size
            units, indent = units_at(size)
            units = self._cut_tall_units(units, size, indent, box, what)
            packer = _Packer(self.measure, units, size, indent, box)
            return packer.balanced(), size, indent
        count, _ = best
        # The smallest count is reached at the smallest size; take the largest size that reaches it.
        for size in _sizes(theme.slide_body_size, theme.slide_min_body_size):
            units, indent = units_at(size)
            packer = _Packer(self.measure, units, size, indent, box)
            if packer.count(box.h) == count:
                return packer.balanced(), size, indent
        raise AssertionError("unreachable: the smallest size reaches the smallest count")  # pragma: no cover

    def _cut_tall_units(self, units: list[Para], size: float, indent: float, box: Box, what: str) -> list[Para]:
        """Cut each paragraph too tall for a slide of its own into pieces that fit, at line boundaries."""
        leading = size * _BODY_LEADING
        cut: list[Para] = []
        for unit, header in zip(units, _lead_ins(units), strict=True):
            lines = self.measure.lines(unit, BODY, size, box.w, indent)
            room = box.h
            if header is not None:
                room -= self.measure.height(header, BODY, size, leading, box.w, indent) + unit.space_before
            per_slide = int(room // leading)
            if len(lines) <= per_slide:
                cut.append(unit)
                continue
            if per_slide < 1:  # pragma: no cover - _frame leaves room for three lines
                raise RenderError(f"no room for even one line of {unit.text[:40]!r} on a slide")
            self.report.warning(
                f"{what}: {unit.text[:30]!r}… is too long for one slide even at {size:g} pt; "
                "it continues on the next slide"
            )
            pieces = _cut_lines(unit.text, lines, per_slide)
            cut.append(replace(unit, text=pieces[0]))
            # Each further piece opens a slide of its own, where it continues the paragraph without a bullet.
            cut += [Para(piece, Role.CONTINUATION) for piece in pieces[1:]]
        return cut

    # -- agenda and sessions ----------------------------------------------------------------------------

    def _agenda(self) -> None:
        days = self.event.days

        def units_at(size: float) -> tuple[list[Para], float]:
            labels = [s.code for d in days for s in d.sessions]
            indent = max(self.measure.label_width(code, size) for code in labels) + 0.6 * size
            # A very long code would push titles far right: then entries are set without a label column.
            labelled = indent <= _CONTENT_WIDTH / 4
            indent = indent if labelled else 1.5 * size
            units: list[Para] = []
            for day in days:
                units.append(Para(day.title, Role.DAY, space_before=_DAY_GAP * size))
                for s in day.sessions:
                    if labelled:
                        units.append(Para(s.title, Role.ENTRY, label=s.code, space_before=_ENTRY_GAP * size))
                    else:
                        units.append(Para(s.heading, Role.ENTRY, space_before=_ENTRY_GAP * size))
            return units, indent

        title = self._claim("Agenda", "agenda")
        self._paged(SlideKind.AGENDA, Para(title), None, units_at, "the agenda")

    def _session(self, day: Day, session: Session) -> None:
        heading = self._claim(session.heading, day.title)
        code_label = f"{session.code}:"
        title_text = heading[len(code_label) + 1 :] if heading.startswith(code_label + " ") else heading
        title = Para(title_text, label=code_label if title_text != heading else "")
        people = []
        if session.moderator:
            people.append(f"Moderator: {session.moderator}")
        if session.rapporteur:
            people.append(f"Rapporteur: {session.rapporteur}")
        byline = "  ·  ".join(people) or None

        def units_at(size: float) -> tuple[list[Para], float]:
            gap = _BULLET_GAP * size
            return [Para(o, Role.BULLET, space_before=gap) for o in session.outcomes], _BULLET_INDENT * size

        what = f"session {session.heading!r}"
        count = self._paged(SlideKind.SESSION, title, byline, units_at, what, notes=session.notes or "")
        if count > 1:
            self.report.warning(f"{what}: {_plural(len(session.outcomes), 'outcome')} split over {count} slides")


def _cut_lines(text: str, lines: list[str], per_slide: int) -> list[str]:
    """Cut `text` into pieces of at most `per_slide` of its wrapped `lines`, at the line boundaries."""
    flat = " ".join(text.split())
    ends: list[int] = []  # offset in `flat` where each line ends
    position = 0
    for line in lines:
        position = flat.index(line, position) + len(line)
        ends.append(position)
    pieces = []
    start = 0
    for first in range(0, len(lines), per_slide):
        end = ends[min(first + per_slide, len(lines)) - 1]
        pieces.append(flat[start:end].strip())
        start = end
    return pieces


def _lead_ins(units: Sequence[Para]) -> list[Para | None]:
    """For each unit, the paragraph to repeat above it when it starts a slide: its day's title, or None.

    A slide that starts inside an agenda day repeats the day's title so the entries keep their context.
    """
    day: Para | None = None
    result: list[Para | None] = []
    for unit in units:
        if unit.role is Role.DAY:
            day = unit
            result.append(None)
        else:
            result.append(None if day is None else Para(f"{day.text} (continued)", Role.DAY))
    return result


class _Packer:
    """Packs paragraphs onto slides of one body box, in order, never splitting a paragraph."""

    def __init__(
        self,
        measure: _Measure,
        units: list[Para],
        size: float,
        indent: float,
        box: Box,
    ) -> None:
        leading = size * _BODY_LEADING
        self.units = units
        self.box = box
        self.lead_in = _lead_ins(units)
        self.height = [measure.height(u, BODY, size, leading, box.w, indent) for u in units]
        self.first_height = [h - u.space_before for h, u in zip(self.height, units, strict=True)]
        self.lead_height = [
            0.0 if p is None else measure.height(p, BODY, size, leading, box.w, indent) for p in self.lead_in
        ]
        # A day's title is never left alone at the bottom of a slide.
        self.keep = [u.role is Role.DAY for u in units]

    def _pages(self, capacity: float) -> list[tuple[int, int]] | None:
        """Greedy packing at `capacity` points a slide: (start, end) per slide; None if a unit is too tall."""
        pages = []
        i, n = 0, len(self.units)
        while i < n:
            used = self.lead_height[i] + (self.height[i] if self.lead_in[i] is not None else self.first_height[i])
            if used > capacity + 1e-6:
                return None
            j = i + 1
            while j < n and used + self.height[j] <= capacity + 1e-6:
                if self.keep[j] and j + 1 < n and used + self.height[j] + self.height[j + 1] > capacity + 1e-6:
                    break
                used += self.height[j]
                j += 1
            pages.append((i, j))
            i = j
        return pages

    def count(self, capacity: float) -> int | None:
        pages = self._pages(capacity)
        return None if pages is None else len(pages)

    def balanced(self) -> list[list[Para]]:
        """The fewest slides, with the content spread evenly over them rather than piled onto the first."""
        full = self._pages(self.box.h)
        if full is None:
            raise RenderError("a paragraph is too tall for a slide")  # pragma: no cover - cut beforehand
        low, high = 0.0, self.box.h
        for _ in range(40):
            middle = (low + high) / 2
            pages = self._pages(middle)
            if pages is not None and len(pages) <= len(full):
                high = middle
            else:
                low = middle
        chosen = self._pages(high) or full
        if len(chosen) != len(full):
            chosen = full
        result = []
        for start, end in chosen:
            paras = list(self.units[start:end])
            header = self.lead_in[start]
            if header is not None:
                paras.insert(0, header)
            paras[0] = replace(paras[0], space_before=0.0)
            result.append(paras)
        return result


# --- Emit: the plan drawn with python-pptx. ------------------------------------------------------------


def _emu(points: float) -> Emu:
    """Points as English Metric Units, the unit of every OOXML position and size."""
    return Emu(round(points * 12700))


def _colour(hex_colour: str) -> RGBColor:
    return RGBColor(*rgb(hex_colour))  # type: ignore[no-untyped-call]  # unannotated in python-pptx 1.0


class _Deck:
    """Adds slides and notes pages to a new presentation in constant time each.

    python-pptx's own `slides.add_slide` scans every relationship of the presentation part (twice), and
    `slide.notes_slide` walks the whole package graph to find a free part name, so building a deck took
    time proportional to the square of its length: 30 s for 2,000 slides with notes, four times that for
    each doubling. The deck is built from nothing, in order, so part names and ids are simply counted.
    """

    def __init__(self, prs: Any, layout: Any) -> None:
        self._prs = prs
        self._layout = layout
        self._package = prs.part.package
        self._slide_ids = prs.slides._sldIdLst
        if len(self._slide_ids):
            raise RenderError("the deck template must not contain slides")  # pragma: no cover
        self._notes_master = prs.part.notes_master_part
        self.slides = 0
        self.notes = 0

    def add_slide(self) -> Any:
        self.slides += 1
        part = SlidePart(PackURI(f"/ppt/slides/slide{self.slides}.xml"), CT.PML_SLIDE, self._package, CT_Slide.new())
        part.relate_to(self._layout.part, RT.SLIDE_LAYOUT)
        # A new part cannot already be related, so get_or_add's scan for an existing relationship is skipped.
        rid = self._prs.part.rels._add_relationship(RT.SLIDE, part)
        self._slide_ids._add_sldId(id=255 + self.slides, rId=rid)
        slide = part.slide
        slide.shapes.clone_layout_placeholders(self._layout)
        return slide

    def add_notes(self, slide: Any) -> Any:
        self.notes += 1
        name = PackURI(f"/ppt/notesSlides/notesSlide{self.notes}.xml")
        part = NotesSlidePart(name, CT.PML_NOTES_SLIDE, self._package, CT_NotesSlide.new())
        part.relate_to(self._notes_master, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        notes = part.notes_slide
        notes.clone_master_placeholders(self._notes_master.notes_master)
        return notes


def emit(plan: Sequence[SlideSpec], meta: EventInfo, options: RenderOptions) -> bytes:
    """Return the .pptx bytes of `plan`: 16:9 slides drawn in the theme's colours and fonts, reproducibly."""
    theme = options.theme
    prs = Presentation()
    old_width = prs.slide_width
    prs.slide_width, prs.slide_height = _emu(SLIDE_WIDTH), _emu(SLIDE_HEIGHT)
    _widen_template(prs, prs.slide_width / old_width)
    layout = next(layout for layout in prs.slide_layouts if layout.name == "Title Only")
    deck = _Deck(prs, layout)
    for spec in plan:
        slide = deck.add_slide()
        dark = spec.kind in (SlideKind.TITLE, SlideKind.SECTION)
        fill = slide.background.fill
        fill.solid()
        fill.fore_color.rgb = _colour(theme.primary if dark else theme.background)
        for bar in spec.bars:
            _draw_bar(slide, bar, theme.accent)
        for text in spec.texts:
            if text.name == "Title":
                shape = slide.shapes.title
                shape.left, shape.top, shape.width, shape.height = (
                    _emu(text.box.x),
                    _emu(text.box.y),
                    _emu(text.box.w),
                    _emu(text.box.h),
                )
            else:
                shape = slide.shapes.add_textbox(_emu(text.box.x), _emu(text.box.y), _emu(text.box.w), _emu(text.box.h))
                shape.name = text.name
            _fill_text(shape, text, theme, meta.language)
        if spec.notes:
            _write_notes(deck.add_notes(slide).notes_text_frame, spec.notes, meta.language)
    _set_properties(prs, meta, options, deck)
    out = io.BytesIO()
    prs.save(out)
    return normalize_zip(out.getvalue(), options.timestamp)


def _widen_template(prs: Any, factor: float) -> None:
    """Stretch the master's and layouts' placeholders to the wide slide, for slides users add later."""
    for owner in (prs.slide_master, *prs.slide_layouts):
        for shape in owner.placeholders:
            # Only positions written on the shape itself; the others are inherited, already stretched.
            if shape._element.xfrm is not None:
                shape.left, shape.width = Emu(round(shape.left * factor)), Emu(round(shape.width * factor))


def _draw_bar(slide: Any, box: Box, colour: str) -> None:
    """Add a flat accent-coloured rectangle: no outline, no shadow."""
    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))
    shape.name = "Accent Bar"
    # The default shape style would add the theme's outline and effects; the bar is a flat block.
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)
    shape.fill.solid()
    shape.fill.fore_color.rgb = _colour(colour)
    shape.line.fill.background()


def _fill_text(shape: Any, text: TextSpec, theme: Theme, language: str) -> None:
    """Replace the shape's text with `text`, written as DrawingML in one piece.

    Building the few elements of a text body through python-pptx's proxies costs more than the rest of
    the deck together; the markup is simple, so it is written out and parsed once per box instead.
    """
    body = parse_xml(_text_body_xml(text, theme, language))
    old = shape._element.txBody
    old.addprevious(body)
    old.getparent().remove(old)


def _text_body_xml(text: TextSpec, theme: Theme, language: str) -> str:
    """The p:txBody of `text`: every size, spacing, indent, colour and font set on it explicitly."""
    # Exactly the geometry that was measured: no insets, no autofit, wrapping on, anchored at the top.
    parts = [
        f"<p:txBody {nsdecls('a', 'p')}>"
        '<a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t"><a:noAutofit/></a:bodyPr>'
        "<a:lstStyle/>"
    ]
    family = getattr(theme, text.style.font)
    colour = getattr(theme, text.style.colour)
    size = round(text.size * 100)
    indent = _emu(text.indent)
    for para in text.paras:
        look = (theme.body_font, True, theme.primary) if para.role is Role.DAY else (family, text.style.bold, colour)
        marl = indent if para.role in (Role.BULLET, Role.ENTRY, Role.CONTINUATION) else 0
        hanging = -indent if para.role in (Role.BULLET, Role.ENTRY) else 0
        parts.append(
            f'<a:p><a:pPr marL="{marl}" indent="{hanging}" algn="{"r" if text.align_right else "l"}">'
            f'<a:lnSpc><a:spcPts val="{round(text.leading * 100)}"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{round(para.space_before * 100)}"/></a:spcBef>'
            '<a:spcAft><a:spcPts val="0"/></a:spcAft>'
        )
        if para.role is Role.BULLET:
            # A real bullet, in the accent colour: readers and editors see a list, not a typed "•".
            parts.append(
                f'<a:buClr><a:srgbClr val="{_hex(theme.accent)}"/></a:buClr><a:buSzPct val="100000"/>'
                f'<a:buFont typeface={quoteattr(theme.body_font)}/><a:buChar char="\u2022"/>'
            )
        else:
            parts.append("<a:buNone/>")
        if para.role is Role.ENTRY:
            # The tab after the session code lands exactly where the title's wrapped lines start.
            parts.append(f'<a:tabLst><a:tab pos="{indent}" algn="l"/></a:tabLst>')
        parts.append("</a:pPr>")
        if para.label:
            parts.append(_run_xml(para.label, size, (family, True, theme.accent), language))
            parts.append(_run_xml("\t" if para.role is Role.ENTRY else " ", size, look, language))
        # The slide number is a field, so it stays right when slides are moved in PowerPoint.
        parts.append(_run_xml(para.text, size, look, language, field=para.role is Role.SLIDE_NUMBER))
        parts.append("</a:p>")
    parts.append("</p:txBody>")
    return "".join(parts)


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _run_xml(text: str, size: int, look: tuple[str, bool, str], language: str, field: bool = False) -> str:
    family, bold, colour = look
    start, end = (
        (f'<a:fld id="{_SLIDE_NUMBER_FIELD_ID}" type="slidenum">', "</a:fld>") if field else ("<a:r>", "</a:r>")
    )
    return (
        f'{start}<a:rPr lang={quoteattr(language)} sz="{size}" b="{int(bold)}" dirty="0">'
        f'<a:solidFill><a:srgbClr val="{_hex(colour)}"/></a:solidFill>'
        f"<a:latin typeface={quoteattr(family)}/></a:rPr><a:t>{escape(text)}</a:t>{end}"
    )


def _write_notes(frame: Any, notes: str, language: str) -> None:
    """Write speaker notes into the notes page, one paragraph per line, in the event's language."""
    for n, line in enumerate(notes.splitlines()):
        p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = p.add_run()
        run.text = line
        run._r.get_or_add_rPr().set("lang", language)


def _set_properties(prs: Any, meta: EventInfo, options: RenderOptions, deck: _Deck) -> None:
    """Fill the document properties from the event, stamped with the build time, never the clock."""
    when = options.timestamp.astimezone(UTC).replace(tzinfo=None)
    props = prs.core_properties
    props.title = meta.title
    props.subject = meta.subtitle or ""
    props.author = meta.organiser or ""
    props.language = meta.language
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.last_modified_by = "reportgen"
    # The template's app.xml and thumbnail describe an empty 4:3 Mac deck; say what this file is instead.
    for rel in list(prs.part.package._rels.values()):
        if rel.reltype == RT.THUMBNAIL:
            prs.part.package.drop_rel(rel.rId)
    app = prs.part.package.part_related_by(RT.EXTENDED_PROPERTIES)
    app.blob = _APP_XML.format(slides=deck.slides, notes=deck.notes).encode()


_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>reportgen</Application><PresentationFormat>Widescreen</PresentationFormat>"
    "<Slides>{slides}</Slides><Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


class PptxRenderer:
    """Renders an event as a 16:9 PowerPoint deck with python-pptx."""

    name: ClassVar[str] = "pptx"
    suffix: ClassVar[str] = ".pptx"

    def render(self, event: Event, options: RenderOptions, report: Reporter) -> bytes:
        """Return the .pptx bytes; warnings (split sessions) go to `report`."""
        return emit(plan_slides(event, options.theme, report), event.meta, options)


RENDERER = PptxRenderer()
