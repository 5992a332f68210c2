"""The deck's plain records: slide geometry, the plan of each slide (boxes, paragraphs, styles, pictures) and
the canvas it is drawn on. No python-pptx: the planner builds these, the emitter draws them."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

from ...markup import Rich
from ...markup import Run as Inline
from ...text.scripts import is_rtl

if TYPE_CHECKING:
    from ...theme import Theme

# --- Geometry, in points. A 16:9 slide is 13.333 x 7.5 in, a 4:3 slide 10 x 7.5 in. ------------------

SLIDE_SIZES = {"16:9": (960.0, 540.0), "4:3": (720.0, 540.0)}

MARGIN = 54.0  # left and right margin of content slides
TOP = 38.0  # top of the title on content slides
COVER_MARGIN = 72.0  # title and section slides sit further in

TITLE_LEADING = 1.1  # line pitch of titles, as a multiple of their size
BODY_LEADING = 1.2  # line pitch of everything else; close to the fonts' natural line height
BULLET_GAP = 0.5  # space before each outcome but the first, in multiples of the body size
BULLET_INDENT = 0.9  # hanging indent of outcome bullets, in multiples of the body size
DAY_GAP = 0.8  # agenda: space before a day's title
ENTRY_GAP = 0.25  # agenda: space before a session entry

BAR_WIDTH, BAR_HEIGHT = 56.0, 4.0  # the accent bar under content titles
COVER_BAR_WIDTH, COVER_BAR_HEIGHT = 72.0, 6.0

FOOTER_GAP = 22.0  # from the footer's baseline box to the slide's bottom edge
NUMBER_WIDTH = 60.0

# The logo: on the title slide above the title, small beside the slide number on content slides.
COVER_LOGO_HEIGHT, COVER_LOGO_WIDTH = 56.0, 200.0
COVER_LOGO_TOP = 44.0
LOGO_PADDING = 8.0  # of the light plate a logo sits on when it would not stand out on a dark slide
CORNER_LOGO_HEIGHT, CORNER_LOGO_WIDTH = 24.0, 120.0
COVER_BAND_WIDTH = 18.0  # the primary-coloured band down the left edge of a light cover

# On the theme's own look, content slides are made on the default presentation's "Title and Content" layout,
# and their body text fills its content placeholder, so that PowerPoint's outline, its reading order and
# screen readers' slide summaries see the outcomes as the slide's body. These are the placeholder's p:ph
# attributes (an object placeholder, as PowerPoint itself writes for that layout's body).
CONTENT_LAYOUT = "Title and Content"
CONTENT_BODY_PLACEHOLDER = 'idx="1"'

# Lines are measured this much narrower than their box, so that a renderer whose line breaking differs
# from ours by a hair (hinting, rounding to device units, kerning) still breaks no later than we did.
WIDTH_SAFETY = 0.995

EMU_PER_POINT = 12700  # English Metric Units, the unit of every OOXML position and size


def emu(points: float) -> int:
    """Points as English Metric Units, the unit of every OOXML position and size."""
    return round(points * EMU_PER_POINT)


Insets = tuple[float, float, float, float]  # left, top, right, bottom, in points
NO_INSETS: Insets = (0.0, 0.0, 0.0, 0.0)


# --- The plan: what each slide shows and where, decided without python-pptx. ---------------------------


class Box(NamedTuple):
    """A rectangle on the slide: left, top, width and height in points."""

    x: float
    y: float
    w: float
    h: float

    @property
    def bottom(self) -> float:
        """Distance from the top of the slide to the bottom edge, in points."""
        return self.y + self.h

    @property
    def right(self) -> float:
        """Distance from the left of the slide to the right edge, in points."""
        return self.x + self.w

    def grown(self, insets: Insets) -> Box:
        """The box enlarged by `insets` on each side (a text area -> its shape)."""
        left, top, right, bottom = insets
        return Box(self.x - left, self.y - top, self.w + left + right, self.h + top + bottom)

    def shrunk(self, insets: Insets) -> Box:
        """The box made smaller by `insets` on each side (a shape -> its text area)."""
        left, top, right, bottom = insets
        return Box(self.x + left, self.y + top, self.w - left - right, self.h - top - bottom)

    def overlaps(self, other: Box) -> bool:
        """True when the two rectangles share some area."""
        return self.x < other.right and other.x < self.right and self.y < other.bottom and other.y < self.bottom


class Bar(NamedTuple):
    """A flat block of colour ("#RRGGBB"): the accent rule under a title, or the band of a light cover."""

    box: Box
    colour: str


class SlideKind(Enum):
    """What a slide is for; it decides the layout, the background and the decoration."""

    TITLE = "title"
    AGENDA = "agenda"
    SECTION = "section"
    SESSION = "session"
    CLOSING = "closing"


class Role(Enum):
    """What a paragraph is, which decides its bullet, indent and the font of its label."""

    PLAIN = "plain"
    BULLET = "bullet"  # one outcome, with a bullet
    STATEMENT = "statement"  # a session's only outcome, set large and without a bullet
    CONTINUATION = "continuation"  # the rest of an outcome or entry split across slides: indented, no bullet
    DAY = "day"  # agenda: a day's title
    ENTRY = "entry"  # agenda: session code, a tab, then the session's title
    SLIDE_NUMBER = "slide number"  # a slide-number field showing `text`


INHERIT = ""
"""Style.colour for text that keeps the colour its template placeholder gives it."""
MUTED = "muted"
"""Style.colour for secondary text on a template: the template's text colour, softened."""


class Style(NamedTuple):
    """How text looks: its font families (its own first, then the fallbacks tried per character), its
    weight, and its colour ("#RRGGBB", INHERIT or MUTED)."""

    families: tuple[str, ...]
    bold: bool = False
    colour: str = INHERIT
    caps: bool = False  # a template draws it in capitals
    spacing: float = 0.0  # extra points after each character, as a template's letter spacing gives
    italic: bool = False

    @property
    def family(self) -> str:
        """The text's own family: the one named for every character that it has."""
        return self.families[0]


class Para(NamedTuple):
    """One paragraph. `label` (a session code) is drawn in `label_style` before the text; `style`, when
    given, replaces the text box's style for this paragraph (an agenda day's title).

    `text` is the plain text a reader sees; a markup.Rich (outcomes, notes, the role line) also carries its
    runs: bold, italic, code and links (`runs`, `rich`)."""

    text: str
    role: Role = Role.PLAIN
    label: str = ""
    space_before: float = 0.0  # points; always 0 for the first paragraph of a box
    style: Style | None = None
    label_style: Style | None = None

    @property
    def runs(self) -> tuple[Inline, ...]:
        """The text's inline runs (one plain run for plain text)."""
        return runs_of(self.text)

    @property
    def rich(self) -> bool:
        """True when some run of the text is bold, italic, code or a link."""
        return isinstance(self.text, Rich) and self.text.has_markup

    @property
    def full_text(self) -> str:
        """The paragraph as a reader sees it: the label, a separator, then the text."""
        if not self.label:
            return self.text
        separator = "\t" if self.role is Role.ENTRY else " "
        return f"{self.label}{separator}{self.text}"

    @property
    def rtl(self) -> bool:
        """True when the paragraph runs right to left: its text's first strongly directional letter does
        (a session code before a title, "C: دور …", does not make an Arabic title left to right)."""
        return is_rtl(self.text) if self.label and self.role is not Role.ENTRY else is_rtl(self.full_text)


def runs_of(text: str) -> tuple[Inline, ...]:
    """The inline runs of a text: a Rich's own, else the text as one plain run."""
    return text.runs if isinstance(text, Rich) else (Inline(text),)


def rich_slice(text: str, start: int, end: int) -> str:
    """text[start:end] without its outer spaces, keeping the runs of a Rich (a piece of a cut paragraph)."""
    piece = text[start:end]
    start += len(piece) - len(piece.lstrip())
    end -= len(piece) - len(piece.rstrip())
    if not isinstance(text, Rich):
        return text[start:end]
    runs: list[Inline] = []
    at = 0
    for run in text.runs:
        lo, hi = max(start, at), min(end, at + len(run.text))
        if lo < hi:
            runs.append(run._replace(text=run.text[lo - at : hi - at]))
        at += len(run.text)
    return Rich(runs)


ADDRESS_PREFIXES = ("http://", "https://", "mailto:")


def url_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """The (start, end) ranges of `text` that are link runs showing an address, where lines break by the
    URL rule (text.breaking.opportunities)."""
    found = []
    at = 0
    for run in runs_of(text):
        link = run.link
        shown = run.text.lower()
        if link and (shown.startswith(ADDRESS_PREFIXES) or link.lower() in (shown, "mailto:" + shown)):
            found.append((at, at + len(run.text)))
        at += len(run.text)
    return tuple(found)


class TextSpec(NamedTuple):
    """One text box or filled placeholder, measured to fit: its text area, paragraphs, look and sizes.

    `box` is where the text may go; the shape is that area grown by `insets`. `placeholder` holds the p:ph
    attributes of the layout placeholder the text fills ("" for a text box of our own); with `inherit`,
    the template keeps its say over colours, anchoring and (where `own_bullets` is False) bullets.
    """

    name: str
    box: Box
    paras: tuple[Para, ...]
    style: Style
    size: float
    leading: float  # distance between lines, set as exact line spacing
    indent: float = 0.0  # where bulleted and agenda lines start, from the box's left edge
    align_right: bool = False
    insets: Insets = NO_INSETS
    placeholder: str = ""
    inherit: bool = False
    own_bullets: bool = True

    @property
    def shape(self) -> Box:
        """The shape's rectangle: the text area and its insets."""
        return self.box.grown(self.insets)


class PictureSpec(NamedTuple):
    """A picture (the theme's logo) and, when it needs one to stand out, the plate drawn under it."""

    name: str
    box: Box
    plate: Box | None = None
    plate_colour: str = ""


class ChartSpec(NamedTuple):
    """A native bar chart on a slide: stacked horizontal bars, one per category, one segment per series;
    `alt` says its numbers in words (the chart's alternative text), `size` is its text size in points."""

    box: Box
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]
    colours: tuple[str, ...]
    alt: str
    size: float


class SlideSpec(NamedTuple):
    """One planned slide: its kind, its (unique) title, its text boxes (title first), accent bars,
    pictures, notes and background colour ("" where the template's layout gives the background)."""

    kind: SlideKind
    title: str
    texts: tuple[TextSpec, ...]
    bars: tuple[Bar, ...] = ()
    notes: str = ""
    pictures: tuple[PictureSpec, ...] = ()
    background: str = ""
    chart: ChartSpec | None = None  # the follow-up's chart of actions by status (followup.closing)

    @property
    def body(self) -> tuple[Para, ...]:
        """The paragraphs of the body box (outcomes or agenda); () on title and section slides."""
        return next((t.paras for t in self.texts if t.name == "Body"), ())

    @property
    def bullets(self) -> tuple[str, ...]:
        """Texts of the outcome paragraphs (a statement's too), continuation fragments included; () when there
        are none."""
        return tuple(p.text for p in self.body if p.role in (Role.BULLET, Role.CONTINUATION, Role.STATEMENT))


# --- The canvas: the slide size and, on a corporate template, its placeholders. ------------------------


class Region(NamedTuple):
    """A text placeholder of a template layout, as the planner needs it: the shape's rectangle and insets
    (points), and the size, Latin typeface, weight and bullet its first level is set with."""

    box: Box
    insets: Insets
    size: float
    font: str
    bold: bool
    bullet: bool
    placeholder: str  # the p:ph attributes a slide's shape needs to fill it, e.g. 'type="title"'
    caps: bool = False
    spacing: float = 0.0  # letter spacing, points

    def style(self, families: tuple[str, ...]) -> Style:
        """The style its text inherits: these families (its own font first), its weight, capitals and
        letter spacing, and its colour."""
        return Style(families, self.bold, INHERIT, self.caps, self.spacing)

    @property
    def inner(self) -> Box:
        """The area its text may use: the shape less its insets."""
        return self.box.shrunk(self.insets)


class LayoutFrame(NamedTuple):
    """One layout of a template as the planner uses it: its title, the body that takes the slide's text
    (None when it has none), the footer and slide-number placeholders (None when absent), and the
    template's own pictures and shapes on it, which a logo must not cover."""

    name: str
    title: Region
    body: Region | None
    footer: Region | None
    number: Region | None
    graphics: tuple[Box, ...] = ()
    background: str = ""  # "#RRGGBB" when the layout (or its master) has a plain colour behind it


class Layouts(NamedTuple):
    """The template's layouts for each kind of slide, and the style of text outside its placeholders."""

    cover: LayoutFrame
    section: LayoutFrame
    content: LayoutFrame
    text_font: str
    text_size: float


class Canvas(NamedTuple):
    """Where the deck draws: the slide's size in points and, on a corporate template, its layouts.

    `layouts` is None for the theme's own look, where the planner places everything itself.
    """

    width: float = SLIDE_SIZES["16:9"][0]
    height: float = SLIDE_SIZES["16:9"][1]
    layouts: Layouts | None = None


def cover_ground(theme: Theme) -> str:
    """The background of title and section slides (Theme.cover_ground)."""
    return theme.cover_ground


def canvas_for(theme: Theme) -> Canvas:
    """The canvas of the theme's own look: a slide of its `slide_size`, no template."""
    width, height = SLIDE_SIZES[theme.slide_size]
    return Canvas(width, height)
