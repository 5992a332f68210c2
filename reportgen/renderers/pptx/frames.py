"""Where the fixed parts of a deck's slides go: titles fitted to their boxes, the logo, the frame of a
content slide and its footer, on the theme's own look or in a corporate template's placeholders. No
python-pptx: everything is measured with the typesetter and placed in points."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ...errors import RenderError
from ...markup import Rich
from ...markup import Run as Inline
from ...theme import AA_LARGE, contrast_ratio, readable
from ...words import SEPARATOR
from .measure import Measure, Typesetter
from .spec import (
    BAR_HEIGHT,
    BAR_WIDTH,
    BODY_LEADING,
    CONTENT_BODY_PLACEHOLDER,
    CORNER_LOGO_HEIGHT,
    CORNER_LOGO_WIDTH,
    COVER_MARGIN,
    FOOTER_GAP,
    INHERIT,
    LOGO_PADDING,
    MARGIN,
    MUTED,
    NO_INSETS,
    NUMBER_WIDTH,
    TITLE_LEADING,
    TOP,
    WIDTH_SAFETY,
    Bar,
    Box,
    Canvas,
    Insets,
    LayoutFrame,
    Para,
    PictureSpec,
    Region,
    Role,
    Style,
    TextSpec,
    cover_ground,
    runs_of,
)

if TYPE_CHECKING:
    from ...errors import Reporter
    from ...model import Event
    from ...theme import Theme


TEMPLATE_MIN_BODY = 18.0  # the smallest text on a corporate template's slides, unless the theme says otherwise


def sizes(largest: float, smallest: float) -> Iterator[float]:
    """Font sizes from `largest` down to `smallest` in 1 pt steps, `smallest` always last."""
    size = largest
    while size > smallest:
        yield size
        size -= 1
    yield smallest


def _shortened(text: str, most: int = 80) -> str:
    """A text for a message: itself, or its first `most` characters and an ellipsis."""
    return text if len(text) <= most else text[:most].rstrip() + "…"


TITLE_WIDTH_SAFETY = 0.97
"""The share of its box a cover, section or closing title is measured to fill: at display sizes a viewer may
set a line a few points wider than the metrics add up to, and a title that fills its box to the last point
then wraps once more and runs into the subtitle below it (seen in LibreOffice at 54 pt)."""


class Frame(NamedTuple):
    """The fixed parts of a content slide: title, accent bar, optional byline, and the body's text area
    with the insets and placeholder of the shape that holds it."""

    title: TextSpec
    bar: Bar | None
    byline: TextSpec | None
    body: Box
    insets: Insets = NO_INSETS
    placeholder: str = ""
    own_bullets: bool = True
    kicker: TextSpec | None = None  # the line above the title that names the session's day


def _joined(first: str, rest: str | None) -> str:
    """`first`, then `rest` after the separator of composed lines (a Rich `rest` keeps its runs)."""
    if not rest:
        return first
    return Rich([Inline(first), Inline(SEPARATOR), *runs_of(rest)])


class SlideFrames:
    """The styles of one deck and the fixed parts of its slides, on the theme's own look or in a template's
    placeholders: titles fitted to their boxes, the logo (on a plate where it would not stand out), the
    frame of a content slide (title, accent bar, byline, body area) and its footer.

    `logo_ink` is the mean colour of the logo's visible pixels ("" when none are), which decides whether
    the logo needs a plate on a coloured ground; it must be given for a theme with a logo.
    """

    def __init__(
        self, event: Event, theme: Theme, report: Reporter, canvas: Canvas, typesetter: Typesetter, logo_ink: str | None
    ) -> None:
        self.event = event
        self.words = event.meta.words
        self.theme = theme
        self.report = report
        self.canvas = canvas
        self.layouts = canvas.layouts
        self.width, self.height = canvas.width, canvas.height
        self.content_width = self.width - 2 * MARGIN
        self.cover_width = self.width - 2 * COVER_MARGIN
        self.footer_bottom = self.height - FOOTER_GAP
        self.typesetter = typesetter
        self.measure = Measure(typesetter)
        self.logo_ink = logo_ink
        self._footer_cache: dict[float, str] = {}
        self._plates: dict[str, bool] = {}
        self._kickers: dict[str, TextSpec] = {}

        def families(font: str) -> tuple[str, ...]:
            return tuple(dict.fromkeys((font, *theme.font_families)))

        self.families = families
        layouts = self.layouts
        if layouts is None:
            self.title_max = theme.slide_title_size
            self.body_max = theme.slide_max_body_size
            self.list_max = theme.slide_body_size
            self.body_min = theme.slide_min_body_size
            heading, body = families(theme.heading_font), families(theme.body_font)
            self.cover_ground = cover_ground(theme)
            light = self.cover_ground == theme.background
            self.cover_title_style = Style(heading, True, theme.primary if light else theme.background)
            self.cover_text_style = Style(body, False, theme.text if light else theme.background)
            # Accent rules must stand out from their ground (WCAG's 3:1 for graphics), else they take
            # the colour of the text beside them.
            self.cover_rule = (
                theme.accent
                if contrast_ratio(theme.accent, self.cover_ground) >= 3
                else (self.cover_title_style.colour)
            )
            self.title_style = Style(heading, True, theme.primary)
            self.byline_style = Style(body, False, theme.muted)
            self.body_style = Style(body, False, theme.text)
            self.footer_style = Style(body, False, theme.muted)
            self.day_style = Style(body, True, theme.primary)
            self.accent = theme.accent
            # Session codes are bold and at least 14 pt (large text): the accent where it reaches WCAG's 3:1
            # for large text, else a darker shade of it; the accent bars keep the accent itself.
            self.label_colour = readable(theme.accent, theme.background, AA_LARGE)
            self.byline_size = theme.subtitle_size
        else:
            content = layouts.content
            self.title_max = content.title.size
            self.body_max = self.list_max = content.body.size if content.body else layouts.text_size
            # A template's placeholders are sized for its own type: its text may be set smaller than the
            # theme's own look allows, unless the theme names its smallest size itself.
            smallest = theme.slide_min_body_size if "slide_min_body_size" in theme.explicit else TEMPLATE_MIN_BODY
            self.body_min = min(self.body_max, smallest)
            text = families(content.body.font if content.body else layouts.text_font)
            self.title_style = content.title.style(families(content.title.font))
            self.byline_style = Style(text, False, MUTED)
            self.body_style = content.body.style(text) if content.body else Style(text)
            self.day_style = Style(text, True)
            self.accent = self.label_colour = INHERIT
            self.cover_ground = self.cover_rule = ""
            self.byline_size = max(round(0.75 * self.body_max), min(12.0, self.body_max))
        self.title_min = min(self.title_max, max(0.8 * self.title_max, self.body_min + 2))
        # The one size of every content slide's title on the theme's own look (plan decides it for the deck);
        # None: each title fitted to its box, as on a template.
        self.title_size: float | None = None
        self.kicker_style = self.label_style = self.body_style._replace(bold=True, colour=self.label_colour)
        self.kicker_size = round(0.75 * self.body_min)

    # -- titles ---------------------------------------------------------------------------------------

    def _fit_title(
        self,
        para: Para,
        style: Style,
        largest: float,
        smallest: float,
        width: float,
        max_lines: int,
        safety: float = 1.0,
    ) -> tuple[float, int]:
        """Return (size, line count) for a title: one line, shrinking down to `smallest`, then two, ...

        A title that needs more than `max_lines` lines even at `smallest` gets the lines it needs.
        """
        counts: dict[float, int] = {}
        measured = width * safety

        def count_at(size: float) -> int:
            if size not in counts:
                counts[size] = len(self.measure.lines(para, style, size, measured))
            return counts[size]

        for allowed in range(1, max_lines + 1):
            for size in sizes(largest, smallest):
                if count_at(size) <= allowed:
                    return size, count_at(size)
        return smallest, count_at(smallest)

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
        safety: float = 1.0,
    ) -> TextSpec:
        size, count = self._fit_title(para, style, largest, smallest, width, max_lines, safety)
        leading = size * TITLE_LEADING
        box = Box(x, y, width, count * leading)
        # A right-to-left title is aligned like its text (Para.rtl reads the text, not a session code).
        return TextSpec("Title", box, (para,), style, size, leading, align_right=para.rtl, placeholder='type="title"')

    def _lines_text(
        self, name: str, text: str, style: Style, size: float, x: float, y: float, width: float
    ) -> TextSpec:
        para = Para(text)
        count = len(self.measure.lines(para, style, size, width))
        leading = size * BODY_LEADING
        return TextSpec(name, Box(x, y, width, count * leading), (para,), style, size, leading)

    def _titled(self, text: str, code_label: str, style: Style) -> Para:
        """A title paragraph, with the session code as a label in the accent colour when there is one."""
        label_style = style._replace(bold=True, colour=self.label_colour) if code_label else None
        return Para(text, label=code_label, label_style=label_style)

    # -- the logo -------------------------------------------------------------------------------------

    def _plate_needed(self, ground: str) -> bool:
        image = self.theme.logo_image
        if image is None or not ground.startswith("#"):
            return False
        if ground not in self._plates:
            if self.logo_ink is None:
                raise ValueError("planning a deck with a logo needs the logo's ink colour (logo_ink)")
            # A logo whose visible pixels, on average, would not stand out from the ground (contrast < 2:1).
            self._plates[ground] = not self.logo_ink or contrast_ratio(self.logo_ink, ground) < 2.0
        return self._plates[ground]

    def _logo(
        self, x: float, y: float, height: float, max_width: float, ground: str, right: bool = False
    ) -> PictureSpec:
        """The logo at most `height` tall and `max_width` wide, aspect kept, its top-left (or, with `right`,
        top-right) corner at (x, y), on a plate when it would not stand out from the `ground` colour."""
        image = self.theme.logo_image
        assert image is not None
        h = min(height, max_width / image.aspect)
        w = h * image.aspect
        if self._plate_needed(ground):
            pad = LOGO_PADDING
            plate = Box(x - (w + 2 * pad if right else 0), y, w + 2 * pad, h + 2 * pad)
            # The plate takes the theme's colour that contrasts with the ground: white on a dark cover.
            colour = max((self.theme.background, self.theme.primary), key=lambda c: contrast_ratio(c, ground))
            return PictureSpec("Logo", Box(plate.x + pad, y + pad, w, h), plate, colour)
        return PictureSpec("Logo", Box(x - (w if right else 0), y, w, h))

    def _corner_logo(self, taken: Sequence[Box], frame: LayoutFrame, height: float) -> PictureSpec | None:
        """On a template: the logo in the first slide corner where it covers no text and none of the
        template's own graphics (top right, top left, bottom right, bottom left), on a plate where it would
        not stand out from the layout's background; None when no corner is free."""
        image = self.theme.logo_image
        if image is None:
            return None
        margin = 0.035 * self.width
        h = min(height, 0.25 * self.width / image.aspect)
        w = h * image.aspect
        for right, bottom in ((True, False), (False, False), (True, True), (False, True)):
            logo = self._logo(self.width - margin if right else margin, margin, h, w, frame.background, right)
            outer = logo.plate or logo.box
            if bottom:
                shift = self.height - 2 * margin - outer.h
                logo = logo._replace(
                    box=logo.box._replace(y=logo.box.y + shift),
                    plate=logo.plate._replace(y=logo.plate.y + shift) if logo.plate else None,
                )
                outer = logo.plate or logo.box
            clear = outer.grown((6.0, 6.0, 6.0, 6.0))
            if not any(clear.overlaps(other) for other in (*taken, *frame.graphics)):
                return logo
        return None

    # -- template placeholders ----------------------------------------------------------------------------

    def _region_text(
        self,
        name: str,
        paras: list[Para],
        region: Region,
        leading_factor: float,
        what: str,
        largest: float | None = None,
        top: float | None = None,
        bottom: float | None = None,
        style: Style | None = None,
        placeholder: bool = True,
    ) -> TextSpec:
        """Fill a template placeholder: at its own size, or a little smaller, when the text fits its height;
        else in a box grown down (to `bottom`, by default the slide's margin), a title's also up to the top
        margin, at that size or smaller down to the smallest body size. Raises RenderError when even that
        cannot hold the text."""
        style = style or region.style(self.families(region.font))
        own = region.size
        largest = own if largest is None else largest
        is_title = leading_factor == TITLE_LEADING
        preferred = min(largest, max(0.8 * own, self.body_min + 2) if is_title else self.body_min)
        floor = min(preferred, self.body_min)
        inner = region.inner
        if top is not None and top > inner.y:
            inner = Box(inner.x, top, inner.w, inner.bottom - top)
        limit = self.height - 0.04 * self.height if bottom is None else bottom
        ceiling = 0.04 * self.height if is_title and top is None else inner.y

        def height(size: float) -> float:
            leading = size * leading_factor
            total = sum(self.measure.height(p, style, size, leading, inner.w, 0.0) for p in paras)
            return total - paras[0].space_before

        def placed() -> tuple[float, Box]:
            for size in sizes(largest, preferred):
                if height(size) <= inner.h + 1e-6:
                    return size, inner
            for size in sizes(preferred, floor):
                needed = height(size)
                if inner.y + needed <= limit:
                    return size, inner._replace(h=needed)
            for size in sizes(preferred, floor):
                needed = height(size)
                if limit - needed >= ceiling:  # a title may also rise towards the top of the slide
                    return size, inner._replace(y=limit - needed, h=needed)
            raise RenderError(f"{what} is too long to fit on a slide of this template; shorten it")

        chosen, inner = placed()
        return TextSpec(
            name,
            inner,
            tuple(paras),
            style,
            chosen,
            chosen * leading_factor,
            insets=region.insets if placeholder else NO_INSETS,
            placeholder=region.placeholder if placeholder else "",
            inherit=placeholder,
            own_bullets=not region.bullet,
        )

    def _heading_and_below(self, frame: LayoutFrame, title: Para, paras: list[Para], what: str) -> list[TextSpec]:
        """A cover's or section's title in the layout's title placeholder and `paras` below it (see _below);
        the title set smaller, step by step, while the two do not fit together."""
        failure = None
        for largest in sizes(frame.title.size, min(frame.title.size, self.body_min)):
            try:
                heading = self._region_text("Title", [title], frame.title, TITLE_LEADING, what, largest)
                return [heading, self._below(frame, heading, paras, "Subtitle", what)] if paras else [heading]
            except RenderError as error:
                failure = error
        assert failure is not None
        raise failure

    def _below(self, frame: LayoutFrame, heading: TextSpec, paras: list[Para], name: str, what: str) -> TextSpec:
        """Text that goes in the layout's body placeholder, or, when it has none, in a text box below the
        title (in the template's text font); never above the title's bottom edge."""
        assert self.layouts is not None
        top = heading.shape.bottom + 12
        if frame.body is not None:
            inner = frame.body.inner
            below = top if inner.y < heading.shape.bottom and inner.bottom > heading.shape.y else None
            return self._region_text(name, paras, frame.body, BODY_LEADING, what, top=below)
        bottom = self.height - 0.08 * self.height
        region = Region(
            Box(frame.title.inner.x, top, frame.title.inner.w, max(bottom - top, 1.0)),
            NO_INSETS,
            self.layouts.text_size,
            self.layouts.text_font,
            False,
            False,
            "",
        )
        return self._region_text(name, paras, region, BODY_LEADING, what, placeholder=False)

    # -- content slides ---------------------------------------------------------------------------------

    def _frame(self, title: Para, byline: str | None, largest: float | None = None, kicker: str = "") -> Frame:
        """The fixed parts of a content slide. `kicker` (the session's day) is a line above the title on the
        theme's own look; on a template, which has no place for it, it leads the byline."""
        if self.layouts is not None:
            if kicker:
                byline = _joined(kicker, byline)
            return self._template_frame(self.layouts.content, title, byline, largest)
        if self.title_size is not None:
            largest = smallest = self.title_size
        else:
            largest = self.title_max if largest is None else largest
            smallest = self.title_min
        top = TOP
        over = None
        if kicker:
            if kicker not in self._kickers:  # a day's line is the same on each of its sessions' slides
                self._kickers[kicker] = self._lines_text(
                    "Day", kicker, self.kicker_style, self.kicker_size, MARGIN, top, self.content_width
                )
            over = self._kickers[kicker]._replace(align_right=title.rtl)
            top = over.box.bottom + 4
        # At the deck's one title size a long title takes the lines it needs (two at most, as plan chose it).
        lines = 3 if self.title_size is not None else 2
        heading = self._title_text(title, self.title_style, MARGIN, top, self.content_width, largest, smallest, lines)
        bar = Bar(Box(MARGIN, heading.box.bottom + 12, BAR_WIDTH, BAR_HEIGHT), self.accent)
        below = bar.box.bottom
        by = None
        if byline:
            by = self._lines_text(
                "Byline", byline, self.byline_style, self.byline_size, MARGIN, below + 12, self.content_width
            )
            below = by.box.bottom
        top = below + 22
        bottom = self._footer_top() - 24
        self._check_room(title, bottom - top)
        body = Box(MARGIN, top, self.content_width, bottom - top)
        return Frame(heading, bar, by, body, placeholder=CONTENT_BODY_PLACEHOLDER, kicker=over)

    def _check_room(self, title: Para, room: float) -> None:
        if room < 3 * self.body_min * BODY_LEADING:
            raise RenderError(
                f"the slide title {_shortened(title.full_text)!r} is too long to leave room for its content; "
                "shorten it",
                text=str(title.text),
            )

    def _template_frame(self, frame: LayoutFrame, title: Para, byline: str | None, largest: float | None) -> Frame:
        region = frame.title
        what = f"the slide title {title.full_text!r}"
        heading = self._region_text(
            "Title", [title], region, TITLE_LEADING, what, largest, bottom=0.6 * self.height, style=self.title_style
        )
        body = frame.body
        if body is not None:
            inner, insets, placeholder, own = body.inner, body.insets, body.placeholder, not body.bullet
        else:
            assert self.layouts is not None
            footer_top = min((r.box.y for r in (frame.footer, frame.number) if r is not None), default=self.height)
            top = heading.shape.bottom + 12
            inner = Box(region.inner.x, top, region.inner.w, min(footer_top, 0.94 * self.height) - 12 - top)
            insets, placeholder, own = NO_INSETS, "", True
        top = max(inner.y, heading.shape.bottom + 12 + insets[1])
        by = None
        if byline:
            by = self._lines_text("Byline", byline, self.byline_style, self.byline_size, inner.x, top, inner.w)
            top = by.box.bottom + 0.5 * self.byline_size
        self._check_room(title, inner.bottom - top)
        return Frame(heading, None, by, Box(inner.x, top, inner.w, inner.bottom - top), insets, placeholder, own)

    def _footer_size(self) -> float:
        # Half the smallest body size: legible from the back, yet clearly not content.
        return round(self.theme.slide_min_body_size / 2)

    def _footer_leading(self) -> float:
        return self._footer_size() * BODY_LEADING

    def _footer_top(self) -> float:
        return self.footer_bottom - self._footer_leading()

    def _footer_text(self, style: Style, size: float, width: float) -> str:
        """The footer's text, shortened with an ellipsis to one line: a wrapped footer would hit the body."""
        if width in self._footer_cache:
            return self._footer_cache[width]
        text = self.theme.footer_text or self.event.meta.title
        limit = width * WIDTH_SAFETY

        def too_wide(candidate: str) -> bool:
            return self.measure.width(candidate, style, size) > limit

        if too_wide(text):
            words = text.split()
            while len(words) > 1 and too_wide(" ".join(words) + "…"):
                words.pop()
            text = " ".join(words) + "…"
            while len(text) > 1 and too_wide(text):
                text = text[:-2] + "…"
        self._footer_cache[width] = text
        return text

    def _footer(self, number: int, taken: Sequence[Box]) -> tuple[list[TextSpec], list[PictureSpec]]:
        """The footer of a content slide: the event's title, the slide number, and the logo (if any)."""
        if self.layouts is not None:
            return self._template_footer(self.layouts.content, number, taken)
        size, leading, top = self._footer_size(), self._footer_leading(), self._footer_top()
        right = MARGIN + self.content_width
        pictures = []
        if self.theme.logo_image is not None:
            centre = top + leading / 2
            logo = self._logo(right, 0, CORNER_LOGO_HEIGHT, CORNER_LOGO_WIDTH, self.theme.background, right=True)
            outer = logo.plate or logo.box
            shift = centre - outer.h / 2
            logo = logo._replace(
                box=logo.box._replace(y=logo.box.y + shift),
                plate=logo.plate._replace(y=shift) if logo.plate else None,
            )
            pictures.append(logo)
            right = outer.x - 12
        number_box = Box(right - NUMBER_WIDTH, top, NUMBER_WIDTH, leading)
        width = number_box.x - 12 - MARGIN
        text = self._footer_text(self.footer_style, size, width)
        return [
            TextSpec("Footer", Box(MARGIN, top, width, leading), (Para(text),), self.footer_style, size, leading),
            TextSpec(
                "Slide Number",
                number_box,
                (Para(str(number), Role.SLIDE_NUMBER),),
                self.footer_style,
                size,
                leading,
                align_right=True,
            ),
        ], pictures

    def _template_footer(
        self, frame: LayoutFrame, number: int, taken: Sequence[Box]
    ) -> tuple[list[TextSpec], list[PictureSpec]]:
        texts = []
        for name, region, para in (
            ("Footer", frame.footer, None),
            ("Slide Number", frame.number, Para(str(number), Role.SLIDE_NUMBER)),
        ):
            if region is None:
                continue
            style = region.style(self.families(region.font))
            inner = region.inner
            size = min(region.size, max(inner.h / BODY_LEADING, 6.0))
            if para is None:
                para = Para(self._footer_text(style, size, inner.w))
            leading = size * BODY_LEADING
            box = inner._replace(h=max(inner.h, leading))
            texts.append(
                TextSpec(
                    name,
                    box,
                    (para,),
                    style,
                    size,
                    leading,
                    insets=region.insets,
                    placeholder=region.placeholder,
                    inherit=True,
                )
            )
        logo = self._corner_logo([*taken, *(t.shape for t in texts)], frame, min(32.0, 0.06 * self.height))
        return texts, [logo] if logo else []
