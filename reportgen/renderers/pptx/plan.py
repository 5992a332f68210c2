"""The deck's planner: which slides the event takes and what each shows, the agenda and sessions packed
onto as few slides as fit at the largest size. Pure: it measures with the typesetter and never imports
python-pptx (nor Pillow), so a plan can be made and checked without them."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ... import words as composed
from ...errors import RenderError
from .frames import TITLE_WIDTH_SAFETY, Frame, SlideFrames, sizes
from .measure import Measure, Typesetter
from .spec import (
    BODY_LEADING,
    BULLET_GAP,
    BULLET_INDENT,
    COVER_BAND_WIDTH,
    COVER_BAR_HEIGHT,
    COVER_BAR_WIDTH,
    COVER_LOGO_HEIGHT,
    COVER_LOGO_TOP,
    COVER_LOGO_WIDTH,
    COVER_MARGIN,
    DAY_GAP,
    ENTRY_GAP,
    Bar,
    Box,
    Canvas,
    Layouts,
    Para,
    PictureSpec,
    Role,
    SlideKind,
    SlideSpec,
    Style,
    TextSpec,
    canvas_for,
    rich_slice,
)

if TYPE_CHECKING:
    from ...errors import Reporter
    from ...model import Day, Event, Session, Words
    from ...options import RenderOptions
    from ...since import Changes
    from ...theme import Theme


def plan_deck(
    event: Event, options: RenderOptions, report: Reporter, canvas: Canvas, typesetter: Typesetter, logo_ink: str | None
) -> list[SlideSpec]:
    """The deck's slides as a build makes them, for every emitter of the plan (the .pptx, the handout): the
    options' theme, actions overdue as of the build date, and what changed since `options.previous`."""
    today = options.timestamp.date()
    changes = None
    if options.previous is not None:
        from ...since import compare

        changes = compare(options.previous, event, today)
    return plan_slides(event, options.theme, report, canvas, typesetter, logo_ink, today, changes)


def plan_slides(
    event: Event,
    theme: Theme,
    report: Reporter,
    canvas: Canvas | None = None,
    typesetter: Typesetter | None = None,
    logo_ink: str | None = None,
    today: date | None = None,
    changes: Changes | None = None,
) -> list[SlideSpec]:
    """Return the deck as slide specs: title, agenda, then each day's section slide and session slides.

    Everything is measured with the real metrics of the font that will draw each character, so no text
    leaves its box; sessions and the agenda continue onto further slides when they do not fit, with a
    warning for each split session. `canvas` defaults to the theme's own look (canvas_for); `typesetter`
    to a new one for the event's language (pass the one the deck is then emitted with, to build its font
    stacks once). Key messages, actions and `changes` since the last meeting (build --since) add the
    follow-up's slides (followup.py), actions overdue as of `today`.
    A theme with a logo needs `logo_ink`, the mean colour of the logo's visible pixels
    (emit.logo_ink reads it), to decide where the logo needs a plate.
    """
    typesetter = typesetter or Typesetter(theme, event.meta.language, report)
    planner = _Planner(event, theme, report, canvas or canvas_for(theme), typesetter, logo_ink)
    if event.meta.key_messages or changes is not None or any(s.actions for s in event.sessions):
        from . import followup

        planner.follow_up, planner.today, planner.changes = followup, today or date(2000, 1, 1), changes
    return planner.plan()


def _plural(count: int, noun: str) -> str:
    """ "1 session", "2 sessions"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class _Planner(SlideFrames):
    """Builds the slide specs of one deck in order, numbering slides and keeping titles unique."""

    def __init__(
        self, event: Event, theme: Theme, report: Reporter, canvas: Canvas, typesetter: Typesetter, logo_ink: str | None
    ) -> None:
        super().__init__(event, theme, report, canvas, typesetter, logo_ink)
        self.slides: list[SlideSpec] = []
        # The follow-up (key messages, actions, --since): set by plan_slides for a source that has any.
        self.follow_up: Any = None
        self.today = date(2000, 1, 1)
        self.changes: Changes | None = None
        self._titles: set[str] = set()

    def plan(self) -> list[SlideSpec]:
        self.title_size = self._deck_title_size()
        self._title_slide()
        follow = self.follow_up
        if follow is not None:
            follow.opening(self, self.today, self.changes)
        self._agenda()
        for number, day in enumerate(self.event.days, start=1):
            self._section(number, day)
            for session in day.sessions:
                start = len(self.slides)
                self._session(day, session)
                if follow is not None and session.actions:
                    follow.session_actions(self, day, session, start, self.today)
        if follow is not None:
            follow.closing(self, self.today)  # next steps, before the closing slide
        self._closing()
        return self.slides

    def _deck_title_size(self) -> float | None:
        """The one size of the agenda's and sessions' titles on the theme's own look: the largest at which
        every one of them fits on two lines (a long title wraps before anything shrinks); the smallest title
        size when some title needs three lines even then. None on a template, whose title placeholder
        decides."""
        if self.layouts is not None:
            return None
        titles = [Para(self.words.agenda)]
        titles += [self._session_title(s.heading, s.code) for d in self.event.days for s in d.sessions]
        width = self.content_width
        for size in sizes(self.title_max, self.title_min):
            if all(len(self.measure.lines(t, self.title_style, size, width)) <= 2 for t in titles):
                return size
        return self.title_min

    def _session_title(self, heading: str, code: str) -> Para:
        """A session slide's title: its heading, the code as a label in the accent colour when it leads."""
        code_label = f"{code}:"
        text = heading[len(code_label) + 1 :] if heading.startswith(code_label + " ") else heading
        return self._titled(text, code_label if text != heading else "", self.title_style)

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

    # -- title and section slides -----------------------------------------------------------------------

    def _title_slide(self) -> None:
        if self.layouts is not None:
            self._template_title_slide(self.layouts)
            return
        theme = self.theme
        title = self._claim(self.event.meta.title, "title")
        what = "the event's title and subtitle"
        logo = None
        floor = 36.0
        if theme.logo_image is not None:
            logo = self._logo(COVER_MARGIN, COVER_LOGO_TOP, COVER_LOGO_HEIGHT, COVER_LOGO_WIDTH, self.cover_ground)
            floor = (logo.plate or logo.box).bottom + 24
        # Long titles on a narrow slide are set smaller, down to the sizes of content slides, before giving up.
        attempts = [self._cover(title, factor) for factor in (1.0, 0.85, 0.7, 0.55)]
        fits = [a for a in attempts if a[2] >= floor] or [a for a in attempts if a[2] >= 36]
        if not fits:
            raise RenderError(f"{what} are too long to fit on a slide; shorten them")
        texts, details, top = fits[0]
        if logo is not None and top < floor:
            self.report.warning(f"{what} leave no room for the logo on the title slide; it is left out there")
            logo = None
        placed, bars = self._place(texts, top)
        if details:
            placed.append(details)
        self._add(SlideKind.TITLE, title, placed, bars, footer=False, pictures=(logo,) if logo else ())

    def _cover(self, title: str, factor: float) -> tuple[list[TextSpec], TextSpec | None, float]:
        """The title slide's title and subtitle at `factor` times their sizes (never below the content
        slides' sizes), its details line, and where the stack of title and subtitle starts."""
        meta = self.event.meta
        theme = self.theme
        x, width = COVER_MARGIN, self.cover_width
        largest = round(max(1.5 * theme.slide_title_size * factor, self.title_min))
        smallest = round(max(theme.slide_title_size * factor, self.title_min))
        texts = [
            self._title_text(Para(title), self.cover_title_style, x, 0, width, largest, smallest, 3, TITLE_WIDTH_SAFETY)
        ]
        if meta.subtitle:
            size = round(max(0.8 * theme.slide_title_size * factor, self.kicker_size))
            texts.append(self._lines_text("Subtitle", meta.subtitle, self.cover_text_style, size, x, 0, width))
        details = composed.details(meta)
        detail_spec = None
        if details:
            detail_spec = self._lines_text("Details", details, self.cover_text_style, self.kicker_size, x, 0, width)
            detail_spec = detail_spec._replace(box=detail_spec.box._replace(y=self.height - 64 - detail_spec.box.h))
        limit = detail_spec.box.y - 36 if detail_spec else self.height - 64
        return texts, detail_spec, self._stack_top(texts, limit)

    def _section(self, number: int, day: Day) -> None:
        theme = self.theme
        title = self._claim(day.title, f"day {number}")
        words = self.words
        summary = composed.day_summary(day, words)
        if self.layouts is not None:
            texts = self._heading_and_below(
                self.layouts.section, Para(title), [Para(summary)], f"the day title {title!r}"
            )
            self._add(SlideKind.SECTION, title, texts, (), footer=False)
            return
        for factor in (1.0, 0.85, 0.7):
            heading = self._cover_title(title, factor)
            size = max(theme.slide_body_size * factor, self.body_min)
            line = self._lines_text("Subtitle", summary, self.cover_text_style, size, COVER_MARGIN, 0, self.cover_width)
            top = self._stack_top([heading, line], limit=self.height - 48)
            if top >= 36:
                placed, bars = self._place([heading, line], top)
                self._add(SlideKind.SECTION, title, placed, bars, footer=False)
                return
        raise RenderError(f"the day title {day.title!r} is too long to fit on a slide; shorten it")

    def _cover_title(self, title: str, factor: float) -> TextSpec:
        """A section or closing slide's title in the cover's look, at `factor` of the cover's sizes."""
        largest = max(1.4 * self.theme.slide_title_size * factor, self.title_min)
        smallest = max(self.theme.slide_title_size * factor, self.title_min)
        return self._title_text(
            Para(title),
            self.cover_title_style,
            COVER_MARGIN,
            0,
            self.cover_width,
            largest,
            smallest,
            3,
            TITLE_WIDTH_SAFETY,
        )

    def _closing(self) -> None:
        """The last slide, in the cover's look: the event's counts in large type, then its title and the
        date, venue and organiser the source gives, and the logo where the cover has it."""
        meta = self.event.meta
        title = self._claim(composed.event_summary(self.event, self.words), "end")
        lines = [text for text in (meta.title, composed.details(meta)) if text]
        what = "the closing slide's title and details"
        if self.layouts is not None:
            texts = self._heading_and_below(self.layouts.cover, Para(title), [Para(t) for t in lines], what)
            self._add(SlideKind.CLOSING, title, texts, (), footer=False)
            return
        theme = self.theme
        pictures: tuple[PictureSpec, ...] = ()
        floor = 36.0
        if theme.logo_image is not None:
            logo = self._logo(COVER_MARGIN, COVER_LOGO_TOP, COVER_LOGO_HEIGHT, COVER_LOGO_WIDTH, self.cover_ground)
            pictures, floor = (logo,), (logo.plate or logo.box).bottom + 24
        for factor in (1.0, 0.85, 0.7):
            heading = self._cover_title(title, factor)
            size = max(theme.slide_body_size * factor, self.body_min)
            texts = [heading]
            for n, line in enumerate(lines):
                at = size if n == 0 else self.kicker_size
                texts.append(
                    self._lines_text("Subtitle", line, self.cover_text_style, at, COVER_MARGIN, 0, self.cover_width)
                )
            top = self._stack_top(texts, limit=self.height - 48)
            if top >= floor:
                placed, bars = self._place(texts, top)
                self._add(SlideKind.CLOSING, title, placed, bars, footer=False, pictures=pictures)
                return
        raise RenderError(f"{what} are too long to fit on a slide; shorten them")  # pragma: no cover

    def _stack_top(self, texts: list[TextSpec], limit: float) -> float:
        """Where an accent bar and `texts` start when stacked a little above the middle of the slide, higher
        if they would pass `limit`."""
        gaps = [20.0] + [16.0] * (len(texts) - 1)
        block = COVER_BAR_HEIGHT + sum(gaps) + sum(t.box.h for t in texts)
        return min((self.height - block) / 2 - 24, limit - block)

    def _place(self, texts: list[TextSpec], top: float) -> tuple[list[TextSpec], list[Bar]]:
        """The accent bar at `top`, then `texts` below it; return them placed, and the cover's bars (on a
        light cover also a band down its left edge, so it still reads as a cover)."""
        gaps = [20.0] + [16.0] * (len(texts) - 1)
        bar = Box(COVER_MARGIN, top, COVER_BAR_WIDTH, COVER_BAR_HEIGHT)
        bars = [Bar(bar, self.cover_rule)]
        if self.cover_ground == self.theme.background:
            bars.insert(0, Bar(Box(0, 0, COVER_BAND_WIDTH, self.height), self.theme.primary))
        y = bar.bottom
        placed = []
        for gap, text in zip(gaps, texts, strict=True):
            y += gap
            placed.append(text._replace(box=text.box._replace(y=y)))
            y += text.box.h
        return placed, bars

    # -- template title and section slides --------------------------------------------------------------

    def _template_title_slide(self, layouts: Layouts) -> None:
        meta = self.event.meta
        frame = layouts.cover
        title = self._claim(meta.title, "title")
        details = composed.details(meta)
        paras = [Para(text) for text in (meta.subtitle, details) if text]
        texts = self._heading_and_below(frame, Para(title), paras, "the event's title, subtitle and details")
        pictures: tuple[PictureSpec, ...] = ()
        if self.theme.logo_image is not None:
            logo = self._corner_logo([t.shape for t in texts], frame, min(72.0, 0.12 * self.height))
            if logo is None:
                self.report.warning("the template's title slide has no free corner for the logo; it is left out there")
            else:
                pictures = (logo,)
        self._add(SlideKind.TITLE, title, texts, (), footer=False, pictures=pictures)

    def _add(
        self,
        kind: SlideKind,
        title: str,
        texts: list[TextSpec],
        bars: Sequence[Bar],
        footer: bool = True,
        notes: str = "",
        pictures: Sequence[PictureSpec] = (),
    ) -> None:
        number = len(self.slides) + 1
        all_texts, all_pictures = list(texts), list(pictures)
        if footer:
            footer_texts, footer_pictures = self._footer(number, [t.shape for t in texts])
            all_texts += footer_texts
            all_pictures += footer_pictures
        if self.layouts is not None:
            background = ""
        else:
            covers = (SlideKind.TITLE, SlideKind.SECTION, SlideKind.CLOSING)
            background = self.cover_ground if kind in covers else self.theme.background
        self.slides.append(
            SlideSpec(kind, title, tuple(all_texts), tuple(bars), notes, tuple(all_pictures), background)
        )

    def _paged(
        self,
        kind: SlideKind,
        title: Para,
        byline: str | None,
        units_at: Callable[[float], tuple[list[Para], float]],
        what: str,
        notes: str = "",
        largest: float | None = None,
        kicker: str = "",
        one_slide: bool = False,
    ) -> int:
        """Add the slides of one session or of the agenda; return how many slides that took.

        `units_at(size)` gives the paragraphs and their indent at a body size, tried from `largest` (by
        default the largest body size) down to the smallest; `what` names the content in warnings;
        `kicker` is the line above the title (the session's day). With `one_slide`, content that needs more
        than one slide adds none and returns 0 (the caller plans it another way).
        """
        largest = self.body_max if largest is None else largest
        frame = self._frame(title, byline, kicker=kicker)
        units_at = functools.cache(units_at)  # the same paragraphs are measured at each size once only
        packers: dict[tuple[float, float], _Packer] = {}

        def packer(size: float, width: float) -> _Packer:
            if (size, width) not in packers:
                units, indent = units_at(size)
                packers[size, width] = _Packer(self.measure, self.body_style, units, size, indent, width, self.words)
            return packers[size, width]

        def fits(size: float) -> bool:
            return packer(size, frame.body.w).total() <= frame.body.h

        # Text grows with the square of its size (more lines, each taller): the height at the largest size
        # tells where to start looking. Content that needs more than one slide even at the smallest size is
        # known from one measurement, without one at the largest.
        size = None
        if fits(self.body_min):
            room, tallest = frame.body.h, packer(largest, frame.body.w).total()
            guess = largest * (room / tallest) ** 0.5 if tallest > room else largest
            size = _largest(list(sizes(largest, self.body_min)), fits, guess)
        if size is not None:
            units, indent = units_at(size)
            first_page = [units[0]._replace(space_before=0.0), *units[1:]]
            self._emit_pages(kind, [title], [frame], [first_page], size, indent, notes)
            return 1
        if one_slide:
            return 0
        # The titles of the continued slides depend on how many there are, and their height on the
        # titles: guess two slides, and grow the guess until the outcomes fit in that many.
        guess = 2
        while True:
            titles = [
                title._replace(text=self.words.continued_title(title.text, n, guess)) for n in range(1, guess + 1)
            ]
            frames = self._run_frames(titles, byline, kicker)
            pages, size, indent = self._split(units_at, packer, frames[0].body, what, largest)
            if len(pages) <= guess:
                count = len(pages)
                titles = [
                    title._replace(text=self.words.continued_title(title.text, n, count)) for n in range(1, count + 1)
                ]
                self._emit_pages(kind, titles, self._run_frames(titles, byline, kicker), pages, size, indent, notes)
                return count
            guess = len(pages)

    def _run_frames(self, titles: Sequence[Para], byline: str | None, kicker: str = "") -> list[Frame]:
        """Frames for a run of slides: titles at one size, one body box below the tallest title."""
        frames = [self._frame(t, byline, kicker=kicker) for t in titles]
        size = min(f.title.size for f in frames)
        if any(f.title.size != size for f in frames):
            frames = [self._frame(t, byline, largest=size, kicker=kicker) for t in titles]
        body = min((f.body for f in frames), key=lambda box: box.h)
        return [f._replace(body=body) for f in frames]

    def _emit_pages(
        self,
        kind: SlideKind,
        titles: Sequence[Para],
        frames: Sequence[Frame],
        pages: Sequence[Sequence[Para]],
        size: float,
        indent: float,
        notes: str,
    ) -> None:
        leading = size * BODY_LEADING
        for n, (title, frame, paras) in enumerate(zip(titles, frames, pages, strict=True)):
            name = title.full_text
            self._titles.add(name)
            box = frame.body
            if self.layouts is None and len(paras) == 1 and paras[0].role is Role.STATEMENT:
                # A statement stands a little above the middle of the room below the title, not at its top.
                high = self.measure.height(paras[0], self.body_style, size, leading, box.w, 0.0)
                box = Box(box.x, box.y + 0.35 * max(box.h - high, 0.0), box.w, high)
            body = TextSpec(
                "Body",
                box,
                tuple(paras),
                self.body_style,
                size,
                leading,
                indent,
                insets=frame.insets,
                placeholder=frame.placeholder,
                inherit=bool(frame.placeholder) and self.layouts is not None,
                own_bullets=frame.own_bullets,
            )
            # Drawn above the title, the day is read after it: screen readers announce the title first.
            texts = [frame.title, *([frame.kicker] if frame.kicker else []), *([frame.byline] if frame.byline else [])]
            texts.append(body)
            bars = (frame.bar,) if frame.bar else ()
            self._add(kind, name, texts, bars, notes=notes if n == 0 else "")

    def _split(
        self,
        units_at: Callable[[float], tuple[list[Para], float]],
        packer: Callable[[float, float], _Packer],
        box: Box,
        what: str,
        largest: float,
    ) -> tuple[list[list[Para]], float, float]:
        """Spread units over as few slides as possible at the largest size (at most `largest`) that needs
        no more slides."""
        # The fewest slides are reached at the smallest size (None: some unit is too tall even there).
        count = packer(self.body_min, box.w).count(box.h)
        if count is None:
            # Even alone on a slide some unit is too tall at the smallest size: cut it at a line boundary.
            size = self.body_min
            units, indent = units_at(size)
            units = self._cut_tall_units(units, size, indent, box, what)
            cut = _Packer(self.measure, self.body_style, units, size, indent, box.w, self.words)
            return cut.balanced(box.h), size, indent
        # The largest size that needs no more slides than that.
        found = _largest(
            list(sizes(largest, self.body_min)), lambda s: packer(s, box.w).count(box.h) == count, from_smallest=True
        )
        size = self.body_min if found is None else found
        return packer(size, box.w).balanced(box.h), size, units_at(size)[1]

    def _cut_tall_units(self, units: list[Para], size: float, indent: float, box: Box, what: str) -> list[Para]:
        """Cut each paragraph too tall for a slide of its own into pieces that fit, at line boundaries."""
        leading = size * BODY_LEADING
        cut: list[Para] = []
        for unit, header in zip(units, _lead_ins(units, self.words), strict=True):
            lines = self.measure.lines(unit, self.body_style, size, box.w, indent)
            room = box.h
            if header is not None:
                room -= self.measure.height(header, self.body_style, size, leading, box.w, indent) + unit.space_before
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
            cut.append(unit._replace(text=pieces[0]))
            # Each further piece opens a slide of its own, where it continues the paragraph without a bullet.
            cut += [unit._replace(text=piece, role=Role.CONTINUATION, space_before=0.0) for piece in pieces[1:]]
        return cut

    # -- agenda and sessions ----------------------------------------------------------------------------

    def _agenda(self) -> None:
        days = self.event.days
        label_style = self.label_style
        width = self.content_width if self.layouts is None else self._frame(Para(self.words.agenda), None).body.w

        def units_at(size: float) -> tuple[list[Para], float]:
            labels = [s.code for d in days for s in d.sessions]
            indent = max(self.measure.width(code, label_style, size) for code in labels) + 0.6 * size
            # A very long code would push titles far right: then entries are set without a label column.
            labelled = indent <= width / 4
            indent = indent if labelled else 1.5 * size
            units: list[Para] = []
            for day in days:
                units.append(Para(day.title, Role.DAY, space_before=DAY_GAP * size, style=self.day_style))
                for s in day.sessions:
                    if labelled:
                        units.append(
                            Para(
                                s.title,
                                Role.ENTRY,
                                label=s.code,
                                space_before=ENTRY_GAP * size,
                                label_style=label_style,
                            )
                        )
                    else:
                        units.append(Para(s.heading, Role.ENTRY, space_before=ENTRY_GAP * size))
            return units, indent

        title = self._claim(self.words.agenda, "agenda")
        self._paged(SlideKind.AGENDA, Para(title), None, units_at, "the agenda", largest=self.list_max)

    def _session(self, day: Day, session: Session) -> None:
        """The slides of a session, chosen by its shape: one outcome is a statement in large type, a few a
        list at the largest size that fits, more a list that continues onto further slides."""
        heading = self._claim(session.heading, day.title)
        title = self._session_title(heading, session.code)
        byline = composed.roles(session, self.words)  # a Rich: the role labels are bold
        statement = len(session.outcomes) == 1

        def units_at(size: float) -> tuple[list[Para], float]:
            if statement:
                return [Para(session.outcomes[0], Role.STATEMENT)], 0.0
            gap = BULLET_GAP * size
            return [Para(o, Role.BULLET, space_before=gap) for o in session.outcomes], BULLET_INDENT * size

        what = f"session {session.heading!r}"
        notes = session.notes or ""
        count = self._paged(SlideKind.SESSION, title, byline, units_at, what, notes=notes, kicker=day.title)
        if count > 1:
            self.report.warning(f"{what}: {_plural(len(session.outcomes), 'outcome')} split over {count} slides")


def _largest(
    candidates: list[float], fits: Callable[[float], bool], guess: float | None = None, *, from_smallest: bool = False
) -> float | None:
    """The first of `candidates` (sizes, largest first) that `fits`, None when not even the last does.

    Text that fits at a size fits at every smaller one (fewer, shorter lines), so the search starts at the
    candidate nearest `guess` and walks up or down from there, or halves the range without a guess: a few
    measurements instead of one per size. `from_smallest` gallops up from the smallest (1, 2, 4... steps)
    before halving: for long content, whose answer is the smallest or near it, one or two measurements."""
    if not candidates or not fits(candidates[-1]):  # one measurement tells that nothing fits
        return None
    last = len(candidates) - 1
    if guess is not None:
        at = min(range(len(candidates)), key=lambda n: abs(candidates[n] - guess))
        if fits(candidates[at]):
            while at > 0 and fits(candidates[at - 1]):
                at -= 1
            return candidates[at]
        return next(candidates[n] for n in range(at + 1, len(candidates)) if n == last or fits(candidates[n]))
    low, high = -1, last  # candidates[high] fits; those up to low are not known to
    if from_smallest:  # gallop up from the smallest until a size does not fit
        step = 1
        while high - step >= 0 and fits(candidates[high - step]):
            high, step = high - step, step * 2
        low = max(high - step, -1)
    while high - low > 1:
        middle = (low + high) // 2
        if fits(candidates[middle]):
            high = middle
        else:
            low = middle
    return candidates[high]


def _cut_lines(text: str, lines: list[str], per_slide: int) -> list[str]:
    """Cut `text` into pieces of at most `per_slide` of its wrapped `lines`, at the line boundaries; the
    pieces of a Rich keep their runs."""
    ends: list[int] = []  # offset in `text` where each line ends
    position = 0
    for line in lines:
        position = text.index(line, position) + len(line)
        ends.append(position)
    pieces = []
    start = 0
    for first in range(0, len(lines), per_slide):
        end = ends[min(first + per_slide, len(lines)) - 1]
        pieces.append(rich_slice(text, start, end))
        start = end
    return pieces


def _lead_ins(units: Sequence[Para], words: Words) -> list[Para | None]:
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
            result.append(None if day is None else day._replace(text=words.continued_title(day.text), space_before=0.0))
    return result


class _Packer:
    """Packs paragraphs onto slides of one body box, in order, never splitting a paragraph."""

    def __init__(
        self,
        measure: Measure,
        style: Style,
        units: list[Para],
        size: float,
        indent: float,
        width: float,
        words: Words,
    ) -> None:
        leading = size * BODY_LEADING
        self.units = units
        self.lead_in = _lead_ins(units, words)
        self.height = [measure.height(u, style, size, leading, width, indent) for u in units]
        self.first_height = [h - u.space_before for h, u in zip(self.height, units, strict=True)]
        self.lead_height = [
            0.0 if p is None else measure.height(p, style, size, leading, width, indent) for p in self.lead_in
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

    def total(self) -> float:
        """Height of all the units as the whole of one body box (the first one's space before dropped)."""
        return sum(self.height) - (self.units[0].space_before if self.units else 0.0)

    def count(self, capacity: float) -> int | None:
        pages = self._pages(capacity)
        return None if pages is None else len(pages)

    def balanced(self, capacity: float) -> list[list[Para]]:
        """The fewest slides of `capacity` points, with the content spread evenly over them rather than
        piled onto the first."""
        full = self._pages(capacity)
        if full is None:
            raise RenderError("a paragraph is too tall for a slide")  # pragma: no cover - cut beforehand
        low, high = 0.0, capacity
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
            paras[0] = paras[0]._replace(space_before=0.0)
            result.append(paras)
        return result
