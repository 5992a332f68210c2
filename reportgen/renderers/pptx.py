"""The deck renderer: plans an event's slides with real font metrics, then emits them as a .pptx drawn in the
theme's own look, or on the slide masters and layouts of the theme's corporate PowerPoint template."""

from __future__ import annotations

import functools
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.parts.image import ImagePart
from pptx.util import Emu

from ..errors import RenderError
from ..fonts import FALLBACK_FAMILY, Metrics, find_font, metrics, require_font
from ..scripts import NO_LINE_END, NO_LINE_START, is_rtl, slot
from ..theme import contrast_ratio
from ._ooxml import normalize_zip

if TYPE_CHECKING:
    from ..errors import Reporter
    from ..model import Day, Event, EventInfo, Session, Words
    from ..options import RenderOptions
    from ..theme import Image, Theme

# --- Geometry, in points. A 16:9 slide is 13.333 x 7.5 in, a 4:3 slide 10 x 7.5 in. ------------------

SLIDE_SIZES = {"16:9": (960.0, 540.0), "4:3": (720.0, 540.0)}

_MARGIN = 54.0  # left and right margin of content slides
_TOP = 38.0  # top of the title on content slides
_COVER_MARGIN = 72.0  # title and section slides sit further in

_TITLE_LEADING = 1.1  # line pitch of titles, as a multiple of their size
_BODY_LEADING = 1.2  # line pitch of everything else; close to the fonts' natural line height
_BULLET_GAP = 0.5  # space before each outcome but the first, in multiples of the body size
_BULLET_INDENT = 0.9  # hanging indent of outcome bullets, in multiples of the body size
_DAY_GAP = 0.8  # agenda: space before a day's title
_ENTRY_GAP = 0.25  # agenda: space before a session entry

_BAR_WIDTH, _BAR_HEIGHT = 56.0, 4.0  # the accent bar under content titles
_COVER_BAR_WIDTH, _COVER_BAR_HEIGHT = 72.0, 6.0

_FOOTER_GAP = 22.0  # from the footer's baseline box to the slide's bottom edge
_NUMBER_WIDTH = 60.0

# The logo: on the title slide above the title, small beside the slide number on content slides.
_COVER_LOGO_HEIGHT, _COVER_LOGO_WIDTH = 56.0, 200.0
_COVER_LOGO_TOP = 44.0
_LOGO_PADDING = 8.0  # of the light plate a logo sits on when it would not stand out on a dark slide
_CORNER_LOGO_HEIGHT, _CORNER_LOGO_WIDTH = 24.0, 120.0
_COVER_BAND_WIDTH = 18.0  # the primary-coloured band down the left edge of a light cover

# Lines are measured this much narrower than their box, so that a renderer whose line breaking differs
# from ours by a hair (hinting, rounding to device units, kerning) still breaks no later than we did.
_WIDTH_SAFETY = 0.995

# Slides are built once, so fixed ids make the file reproducible; PowerPoint itself reuses one id for
# every slide-number field that comes from the same layout.
_SLIDE_NUMBER_FIELD_ID = "{6B5E4C1F-2D47-4C8A-9E3B-1A2F5D7C9E04}"

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


class Role(Enum):
    """What a paragraph is, which decides its bullet, indent and the font of its label."""

    PLAIN = "plain"
    BULLET = "bullet"  # one outcome, with a bullet
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

    @property
    def family(self) -> str:
        """The text's own family: the one named for every character that it has."""
        return self.families[0]


class Para(NamedTuple):
    """One paragraph. `label` (a session code) is drawn in `label_style` before the text; `style`, when
    given, replaces the text box's style for this paragraph (an agenda day's title)."""

    text: str
    role: Role = Role.PLAIN
    label: str = ""
    space_before: float = 0.0  # points; always 0 for the first paragraph of a box
    style: Style | None = None
    label_style: Style | None = None

    @property
    def full_text(self) -> str:
        """The paragraph as a reader sees it: the label, a separator, then the text."""
        if not self.label:
            return self.text
        separator = "\t" if self.role is Role.ENTRY else " "
        return f"{self.label}{separator}{self.text}"

    @property
    def rtl(self) -> bool:
        """True when the paragraph runs right to left (its first strongly directional letter does)."""
        return is_rtl(self.full_text)


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

    @property
    def body(self) -> tuple[Para, ...]:
        """The paragraphs of the body box (outcomes or agenda); () on title and section slides."""
        return next((t.paras for t in self.texts if t.name == "Body"), ())

    @property
    def bullets(self) -> tuple[str, ...]:
        """Texts of the outcome paragraphs, continuation fragments included; () when there are none."""
        return tuple(p.text for p in self.body if p.role in (Role.BULLET, Role.CONTINUATION))


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
    """The background of title and section slides: the theme's primary colour, or for a theme without any
    colour (greys only, as for print and photocopies) its light page colour, so covers do not print as
    solid blocks of toner."""

    def grey(colour: str) -> bool:
        value = colour.lstrip("#")
        channels = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
        return max(channels) - min(channels) <= 16

    colours = (theme.primary, theme.accent, theme.text, theme.muted, theme.background)
    return theme.background if all(grey(c) for c in colours) else theme.primary


def canvas_for(theme: Theme) -> Canvas:
    """The canvas of the theme's own look: a slide of its `slide_size`, no template."""
    width, height = SLIDE_SIZES[theme.slide_size]
    return Canvas(width, height)


def plan_slides(event: Event, theme: Theme, report: Reporter, canvas: Canvas | None = None) -> list[SlideSpec]:
    """Return the deck as slide specs: title, agenda, then each day's section slide and session slides.

    Everything is measured with the real metrics of the font that will draw each character, so no text
    leaves its box; sessions and the agenda continue onto further slides when they do not fit, with a
    warning for each split session. `canvas` defaults to the theme's own look (canvas_for).
    """
    return _Planner(event, theme, report, canvas or canvas_for(theme)).plan()


def _sizes(largest: float, smallest: float) -> Iterator[float]:
    """Font sizes from `largest` down to `smallest` in 1 pt steps, `smallest` always last."""
    size = largest
    while size > smallest:
        yield size
        size -= 1
    yield smallest


def _plural(count: int, noun: str) -> str:
    """ "1 session", "2 sessions"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# --- Typesetting: which font draws each character, in which language, and how wide it is. --------------

# Scripts by the first word of a letter's Unicode name, and the language tag given to runs in a script
# other than the event language's.
_SCRIPT_NAMES = {
    "LATIN": "latin",
    "GREEK": "greek",
    "COPTIC": "greek",
    "CYRILLIC": "cyrillic",
    "ARMENIAN": "armenian",
    "HEBREW": "hebrew",
    "ARABIC": "arabic",
    "SYRIAC": "syriac",
    "THAANA": "thaana",
    "DEVANAGARI": "devanagari",
    "BENGALI": "bengali",
    "GURMUKHI": "gurmukhi",
    "GUJARATI": "gujarati",
    "ORIYA": "oriya",
    "TAMIL": "tamil",
    "TELUGU": "telugu",
    "KANNADA": "kannada",
    "MALAYALAM": "malayalam",
    "SINHALA": "sinhala",
    "THAI": "thai",
    "LAO": "lao",
    "TIBETAN": "tibetan",
    "MYANMAR": "myanmar",
    "GEORGIAN": "georgian",
    "HANGUL": "hangul",
    "ETHIOPIC": "ethiopic",
    "KHMER": "khmer",
    "HIRAGANA": "kana",
    "KATAKANA": "kana",
    "CJK": "han",
    "IDEOGRAPHIC": "han",
    "BOPOMOFO": "bopomofo",
}
_LANGUAGE_OF_SCRIPT = {
    "latin": "en-US",
    "greek": "el-GR",
    "cyrillic": "ru-RU",
    "armenian": "hy-AM",
    "hebrew": "he-IL",
    "arabic": "ar-SA",
    "syriac": "syr-SY",
    "thaana": "dv-MV",
    "devanagari": "hi-IN",
    "bengali": "bn-IN",
    "gurmukhi": "pa-IN",
    "gujarati": "gu-IN",
    "oriya": "or-IN",
    "tamil": "ta-IN",
    "telugu": "te-IN",
    "kannada": "kn-IN",
    "malayalam": "ml-IN",
    "sinhala": "si-LK",
    "thai": "th-TH",
    "lao": "lo-LA",
    "tibetan": "bo-CN",
    "myanmar": "my-MM",
    "georgian": "ka-GE",
    "hangul": "ko-KR",
    "ethiopic": "am-ET",
    "khmer": "km-KH",
    "kana": "ja-JP",
    "han": "zh-CN",
    "bopomofo": "zh-TW",
}
_SCRIPT_OF_LANGUAGE = {
    **dict.fromkeys(("el",), "greek"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "mk", "sr", "kk", "ky", "mn", "tg", "tt", "ba", "cv"), "cyrillic"),
    **dict.fromkeys(("hy",), "armenian"),
    **dict.fromkeys(("he", "yi"), "hebrew"),
    **dict.fromkeys(("ar", "fa", "ur", "ps", "ug", "ckb", "sd"), "arabic"),
    **dict.fromkeys(("hi", "mr", "ne", "sa", "kok", "mai", "bho"), "devanagari"),
    **dict.fromkeys(("bn", "as"), "bengali"),
    "pa": "gurmukhi",
    "gu": "gujarati",
    "or": "oriya",
    "ta": "tamil",
    "te": "telugu",
    "kn": "kannada",
    "ml": "malayalam",
    "si": "sinhala",
    "th": "thai",
    "lo": "lao",
    "bo": "tibetan",
    "my": "myanmar",
    "ka": "georgian",
    "ko": "hangul",
    "am": "ethiopic",
    "km": "khmer",
    "ja": "kana",
    "zh": "han",
    "dv": "thaana",
    "syr": "syriac",
}
_SCRIPT_SUBTAGS = {
    "latn": "latin",
    "grek": "greek",
    "cyrl": "cyrillic",
    "arab": "arabic",
    "hebr": "hebrew",
    "deva": "devanagari",
    "hans": "han",
    "hant": "han",
    "jpan": "kana",
    "kore": "hangul",
    "thai": "thai",
}
_CJK = frozenset(("han", "kana", "hangul", "bopomofo"))

_UNCOVERED_EM = 1.0  # width assumed for a character no font has: the full em of an ideograph, generous


@functools.cache
def _script(ch: str) -> str:
    """The script of a letter ("latin", "greek", "han", "kana", ...); "" for anything that is not a letter."""
    if not unicodedata.category(ch).startswith("L"):
        return ""
    words = unicodedata.name(ch, "").split()
    if words[:1] in (["FULLWIDTH"], ["HALFWIDTH"]):
        words = words[1:]
    # "KATAKANA-HIRAGANA PROLONGED SOUND MARK" is kana.
    return _SCRIPT_NAMES.get(words[0].split("-")[0], "other") if words else "other"


def _language_script(language: str) -> str:
    """The script a language tag is written in: "fr" -> "latin", "sr-Latn" -> "latin", "ja" -> "kana"."""
    parts = language.lower().split("-")
    for part in parts[1:]:
        if part in _SCRIPT_SUBTAGS:
            return _SCRIPT_SUBTAGS[part]
    return _SCRIPT_OF_LANGUAGE.get(parts[0], "latin")


def _breakable(before: str, after: str) -> bool:
    """True where a line may break inside a word: after a hyphen, or beside East Asian wide characters
    unless the kinsoku rules forbid it. Fewer breaks than a renderer allows is safe: lines only get longer."""
    if before in NO_LINE_END or after in NO_LINE_START:
        return False
    if before in "-\u2010" and after.isalpha():
        return True
    return unicodedata.east_asian_width(before) in "WF" or unicodedata.east_asian_width(after) in "WF"


@functools.cache
def _shaper(path: Path) -> tuple[Any, int]:
    """A HarfBuzz font for a TrueType file and its units per em (read once per process)."""
    try:
        import uharfbuzz as hb
    except ImportError:  # pragma: no cover - a dependency of reportgen
        raise RenderError(
            "measuring text in Arabic, Devanagari and other complex scripts needs uharfbuzz: pip install uharfbuzz"
        ) from None
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    return hb.Font(face), face.upem


def _shaped_em(path: Path, text: str) -> float:
    """Width of `text` shaped by HarfBuzz in the font (joining forms, conjuncts, marks), in ems."""
    import uharfbuzz as hb

    font, upem = _shaper(path)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    return float(sum(position.x_advance for position in buffer.glyph_positions)) / upem


class _Face:
    """One font of a stack: the family written into the file and the metrics it is measured with. A
    stand-in measures a family that is not installed here; it is trusted with Latin text only. Metrics
    are read when first needed, so fallback fonts cost nothing until a character needs them."""

    __slots__ = ("_metrics", "family", "path", "stand_in")

    def __init__(self, family: str, path: Path, stand_in: bool) -> None:
        self.family = family
        self.path = path
        self.stand_in = stand_in
        self._metrics: Metrics | None = None

    @property
    def metrics(self) -> Metrics:
        if self._metrics is None:
            self._metrics = metrics(self.path)
        return self._metrics

    def covers(self, ch: str) -> bool:
        return ord(ch) in self.metrics.widths and (not self.stand_in or _script(ch) in ("", "latin"))

    def advance(self, ch: str) -> float:
        return self.metrics.widths.get(ord(ch), self.metrics.default_width)


class Run(NamedTuple):
    """A stretch of text set in one language with one font per slot ("latin", "east_asian", "complex");
    a slot is absent when no font of the stack has the run's characters of that slot."""

    text: str
    language: str
    fonts: dict[str, str]


class _Stack:
    """A style's fonts in the order characters look for a glyph, measuring and splitting text by them.

    Each letter is drawn, and measured, in the first font that has it; a mark in the font of the letter
    it sits on; spaces, digits and punctuation are measured at their widest among the fonts the paragraph
    uses, since renderers differ on which of those draws them.
    """

    def __init__(self, faces: list[_Face], language: str, caps: bool = False, spacing: float = 0.0) -> None:
        self.faces = faces
        self.language = language
        self.caps = caps
        self.spacing = spacing
        self.script = _language_script(language)
        self._first: dict[str, int] = {}
        self._words: dict[frozenset[int], dict[str, float]] = {}
        self._spaces: dict[frozenset[int], float] = {}
        # Text made only of these is one run in the event's language, set in the style's own font. Found
        # character by character as text comes, not for every glyph of the font (thousands, 15 ms a stack).
        self._plain: set[str] = {"\t"}
        self._mixed: set[str] = set()

    def plain(self, text: str) -> bool:
        """True when every character of `text` is a Latin-slot character of the event's script (or neither
        letter nor script) that the style's own font has."""
        plain = self._plain
        if plain.issuperset(text):
            return True
        own = self.faces[0]
        for ch in set(text).difference(plain):
            if ch in self._mixed:
                return False
            if own.covers(ch) and slot(ch) == "latin" and _script(ch) in ("", self.script):
                plain.add(ch)
            else:
                self._mixed.add(ch)
                return False
        return True

    def first(self, ch: str) -> int:
        """Index of the first font that has the character; -1 when none has it."""
        found = self._first.get(ch)
        if found is None:
            found = next((n for n, face in enumerate(self.faces) if face.covers(ch)), -1)
            self._first[ch] = found
        return found

    def uncovered(self, text: str) -> set[str]:
        """Characters of `text` that no font of the stack has (white space and controls excepted)."""
        # White space and controls first: no font has a tab, and looking for one would read every font.
        return {ch for ch in set(text) if unicodedata.category(ch)[0] not in "ZC" and self.first(ch) < 0}

    def used(self, text: str) -> frozenset[int]:
        """The fonts that draw the letters of `text`, and the style's own font."""
        if self.plain(text):
            return frozenset((0,))
        return frozenset({0} | {self.first(ch) for ch in set(text) if unicodedata.category(ch)[0] in "LM"} - {-1})

    def width(self, text: str, size: float) -> float:
        """Width of one line of `text` at `size` points, in points."""
        used = self.used(text)
        ems = sum(self._word_em(word, used) for word in text.split(" ")) + text.count(" ") * self._space(used)
        return ems * size + len(text) * self.spacing

    def _space(self, used: frozenset[int]) -> float:
        found = self._spaces.get(used)
        if found is None:
            found = max((self.faces[n].advance(" ") for n in used if self.faces[n].covers(" ")), default=0.25)
            self._spaces[used] = found
        return found

    def _word_em(self, word: str, used: frozenset[int]) -> float:
        cache = self._words.get(used)
        if cache is None:
            cache = self._words[used] = {}
        found = cache.get(word)
        if found is None:
            found = cache[word] = sum(self._char_ems(word, used)) if word else 0.0
        return found

    def _char_ems(self, word: str, used: frozenset[int]) -> list[float]:
        """Width of each character of a word in ems (in capitals where the style has them); a shaped
        stretch's width is given to its last character."""
        if not self.caps:
            return self._drawn_ems(word, used)
        capitals = [ch.upper() for ch in word]
        drawn = self._drawn_ems("".join(capitals), used)
        ems = []
        position = 0
        for capital in capitals:
            ems.append(sum(drawn[position : position + len(capital)]))
            position += len(capital)
        return ems

    def _drawn_ems(self, word: str, used: frozenset[int]) -> list[float]:
        faces = self.faces
        ems: list[float] = []
        previous = -1
        shaped_from = -1  # start of the current stretch of a complex script, shaped as a whole
        for i, ch in enumerate(word):
            kind = unicodedata.category(ch)[0]
            first = self.first(ch)
            face = first if kind == "L" or previous < 0 or not faces[previous].covers(ch) else previous
            if face < 0:
                ems.append(_UNCOVERED_EM)
            elif kind in "LM":
                ems.append(faces[face].advance(ch))
            else:  # at its widest among the fonts that may draw it
                candidates = used | {face, first}
                ems.append(max(faces[n].advance(ch) for n in candidates if n >= 0 and faces[n].covers(ch)))
            if face >= 0 and slot(ch) == "complex" and kind in "LM":
                if shaped_from < 0 or previous != face:
                    shaped_from = i
                # Reshape the stretch so far: its shaped width replaces the sum of its nominal advances.
                shaped = _shaped_em(faces[face].path, word[shaped_from : i + 1])
                ems[-1] = max(0.0, shaped - sum(ems[shaped_from:i]))
            elif kind in "LM":
                shaped_from = -1
            previous = face
        return ems

    def wrap(self, text: str, size: float, width: float, lead: float = 0.0) -> list[str]:
        """Break `text` into lines no wider than `width` points at `size` points; each line is a slice of
        `text` without its outer spaces. `lead` points of the first line are taken already (by a label).

        Lines break at spaces, and inside a word only when it is wider than the line (then East Asian text
        breaks between characters, except where kinsoku forbids). Returns [""] for "".
        """
        used = self.used(text)
        extra = self.spacing / size  # letter spacing, in ems at this size
        space = self._space(used) + extra
        limit = width / size
        lines: list[str] = []
        start = -1  # of the current line in `text`; -1 before its first word
        end = 0
        used_em = lead / size
        open_line = lead > 0  # the first line holds the label, even with no word of `text` yet
        position = 0
        for word in text.split(" "):
            word_start, position = position, position + len(word) + 1
            if not word:
                continue
            em = self._word_em(word, used) + len(word) * extra
            if start >= 0 or open_line:
                gap = (word_start - end) * space if start >= 0 else 0.0
                if used_em + gap + em <= limit:
                    used_em += gap + em
                    start = word_start if start < 0 else start
                    end = word_start + len(word)
                    continue
                lines.append(text[start:end] if start >= 0 else "")
                open_line = False
            while em > limit and len(word) > 1:
                cut = self._cut(word, used, limit, extra)
                lines.append(word[:cut])
                word, word_start = word[cut:], word_start + cut
                em = self._word_em(word, used) + len(word) * extra
            start, end, used_em = word_start, word_start + len(word), em
        lines.append(text[start:end] if start >= 0 else "")
        return lines

    def _cut(self, word: str, used: frozenset[int], limit: float, extra: float) -> int:
        """Length of the longest head of an over-wide word that fits in `limit` ems, ending where a line
        may break when there is such a place; at least one character."""
        total = 0.0
        fit = 0
        for ch_em in self._char_ems(word, used):
            total += ch_em + extra
            if total > limit:
                break
            fit += 1
        fit = max(fit, 1)
        for k in range(fit, 0, -1):
            if _breakable(word[k - 1], word[k]):
                return k
        return fit

    def runs(self, text: str) -> list[Run]:
        """Split `text` into runs, each in one language and with one font per slot that has its characters.

        A run's language is the event's for its own script, else one derived from the script (Greek
        el-GR, Arabic ar-SA, kana ja-JP, Hangul ko-KR, other Han zh-CN, ...).
        """
        own = self.faces[0].family
        if self.plain(text):
            return [Run(text, self.language, {"latin": own})]
        languages = self._languages(text)
        runs: list[Run] = []
        begin = 0
        language: str | None = None
        fonts: dict[str, int] = {}
        previous = -1
        for i, ch in enumerate(text):
            kind = unicodedata.category(ch)[0]
            where = slot(ch)
            first = self.first(ch)
            held = fonts.get(where)
            if kind in "ZC":  # spaces, tabs, joiners: part of the run they are in, whatever it is
                face = held if held is not None else max(previous, 0)
            elif kind == "L" or first < 0:
                face = first
            elif held is not None and self.faces[held].covers(ch):
                face = held
            elif held is None and previous >= 0 and self.faces[previous].covers(ch):
                face = previous
            else:
                face = first
            wanted = languages[i]
            if i > begin and (
                (wanted and language and wanted != language) or (face >= 0 and fonts.get(where, face) != face)
            ):
                runs.append(self._run(text[begin:i], language, fonts))
                begin, language, fonts = i, None, {}
            language = language or wanted
            if face >= 0:
                fonts.setdefault(where, face)
            previous = face
        runs.append(self._run(text[begin:], language, fonts))
        return runs

    def _run(self, text: str, language: str | None, fonts: dict[str, int]) -> Run:
        named = {where: self.faces[n].family for where, n in fonts.items()}
        named.setdefault("latin", self.faces[0].family)
        return Run(text, language or self.language, named)

    def _languages(self, text: str) -> list[str]:
        """The language of each letter of `text` ("" for anything else)."""
        found = [""] * len(text)
        cluster: list[int] = []  # positions of the East Asian letters seen since the last other letter

        def close() -> None:
            kinds = {_script(text[i]) for i in cluster}
            if "kana" in kinds:
                tag = self.language if self.script == "kana" else "ja-JP"
            elif "hangul" in kinds:
                tag = self.language if self.script == "hangul" else "ko-KR"
            elif self.script in _CJK:
                tag = self.language
            else:
                tag = _LANGUAGE_OF_SCRIPT["bopomofo" if "bopomofo" in kinds else "han"]
            for i in cluster:
                found[i] = tag
            cluster.clear()

        for i, ch in enumerate(text):
            script = _script(ch)
            if not script:
                continue
            if script in _CJK:
                cluster.append(i)
                continue
            if cluster:
                close()
            found[i] = self.language if script == self.script else _LANGUAGE_OF_SCRIPT.get(script, self.language)
        if cluster:
            close()
        return found


class _Typesetter:
    """The font stacks of one deck, one per family list and weight, in the event's language."""

    def __init__(self, theme: Theme, language: str, report: Reporter | None = None) -> None:
        self.theme = theme
        self.language = language
        self.report = report
        self._stacks: dict[tuple[tuple[str, ...], bool, bool, float], _Stack] = {}
        self._missing: set[str] = set()

    def stack(self, style: Style) -> _Stack:
        """The stack of a style: its own family, measured with its file (or a stand-in, with a warning
        when the family is not installed), then each installed family of its fallbacks."""
        key = (style.families, style.bold, style.caps, style.spacing)
        found = self._stacks.get(key)
        if found is None:
            own = style.families[0]
            path = find_font(own, style.bold)
            faces = [_Face(own, path or require_font(own, style.bold)[0], path is None)]
            if path is None and self.report is not None:
                self.report.warning(
                    f"the font {own!r} is not installed here; text in it is measured with {FALLBACK_FAMILY}, "
                    "and its non-Latin letters are set in the theme's fallback fonts"
                )
            for family in dict.fromkeys(style.families[1:]):
                file = find_font(family, style.bold)
                if file is not None and all(f.path != file for f in faces):
                    faces.append(_Face(family, file, False))
            found = self._stacks[key] = _Stack(faces, self.language, style.caps, style.spacing)
        return found

    def check_coverage(self, style: Style, text: str) -> None:
        """Note the characters of `text` that no font of the style's stack has (see report_coverage)."""
        self._missing |= self.stack(style).uncovered(text)

    def report_coverage(self) -> None:
        """Warn, once, of every character noted that no font has: the viewer will substitute one."""
        if self._missing and self.report is not None:
            listed = " ".join(sorted(self._missing))
            self.report.warning(
                f"no font of the theme has the characters {listed}: add a font that covers them to the "
                "theme's fallback_fonts; PowerPoint and LibreOffice will substitute one, measured here as 1 em each"
            )


class _Measure:
    """Wraps and measures paragraphs with the font stacks of their styles."""

    def __init__(self, typesetter: _Typesetter) -> None:
        self.typesetter = typesetter

    def stack(self, style: Style) -> _Stack:
        return self.typesetter.stack(style)

    def width(self, text: str, style: Style, size: float) -> float:
        """Width in points of `text` on one line."""
        return self.stack(style).width(text, size)

    def lines(self, para: Para, style: Style, size: float, width: float, indent: float = 0.0) -> list[str]:
        """The lines `para` breaks into in a box `width` points wide (`style` unless the paragraph has its own)."""
        style = para.style or style
        if para.role in (Role.BULLET, Role.CONTINUATION, Role.ENTRY):
            # Wrapped lines start at the indent; an entry's first line starts there too, after its tab.
            return self.stack(style).wrap(para.text, size, (width - indent) * _WIDTH_SAFETY)
        lead = 0.0
        if para.label:
            label_style = para.label_style or style
            lead = self.width(para.label, label_style, size) + self.width(" ", style, size)
        return self.stack(style).wrap(para.text, size, width * _WIDTH_SAFETY, lead)

    def height(self, para: Para, style: Style, size: float, leading: float, width: float, indent: float) -> float:
        """Space before plus lines times leading, in points."""
        return para.space_before + len(self.lines(para, style, size, width, indent)) * leading


class _Frame(NamedTuple):
    """The fixed parts of a content slide: title, accent bar, optional byline, and the body's text area
    with the insets and placeholder of the shape that holds it."""

    title: TextSpec
    bar: Bar | None
    byline: TextSpec | None
    body: Box
    insets: Insets = NO_INSETS
    placeholder: str = ""
    own_bullets: bool = True


def _logo_needs_plate(image: Image, ground: str) -> bool:
    """True when the logo's visible pixels, on average, would not stand out from `ground` (contrast < 2:1)."""
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(image.data)) as picture:
        picture.draft("RGB", (64, 64))  # JPEG: decode at a fraction of the size
        small = picture.convert("RGBA").resize((32, 32))
    raw = small.tobytes()
    pixels = [raw[i : i + 4] for i in range(0, len(raw), 4) if raw[i + 3] >= 128]
    if not pixels:
        return True
    mean = tuple(round(sum(p[channel] for p in pixels) / len(pixels)) for channel in range(3))
    return contrast_ratio("#{:02X}{:02X}{:02X}".format(*mean), ground) < 2.0


class _Planner:
    """Builds the slide specs of one deck in order, numbering slides and keeping titles unique."""

    def __init__(self, event: Event, theme: Theme, report: Reporter, canvas: Canvas) -> None:
        self.event = event
        self.words = event.meta.words
        self.theme = theme
        self.report = report
        self.canvas = canvas
        self.layouts = canvas.layouts
        self.width, self.height = canvas.width, canvas.height
        self.content_width = self.width - 2 * _MARGIN
        self.cover_width = self.width - 2 * _COVER_MARGIN
        self.footer_bottom = self.height - _FOOTER_GAP
        self.typesetter = _Typesetter(theme, event.meta.language, report)
        self.measure = _Measure(self.typesetter)
        self.slides: list[SlideSpec] = []
        self._titles: set[str] = set()
        self._footer_cache: dict[float, str] = {}
        self._plates: dict[str, bool] = {}

        def families(font: str) -> tuple[str, ...]:
            return tuple(dict.fromkeys((font, *theme.font_families)))

        self.families = families
        layouts = self.layouts
        if layouts is None:
            self.title_max = theme.slide_title_size
            self.body_max = theme.slide_body_size
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
            self.byline_size = theme.subtitle_size
        else:
            content = layouts.content
            self.title_max = content.title.size
            self.body_max = content.body.size if content.body else layouts.text_size
            self.body_min = min(self.body_max, theme.slide_min_body_size)
            text = families(content.body.font if content.body else layouts.text_font)
            self.title_style = content.title.style(families(content.title.font))
            self.byline_style = Style(text, False, MUTED)
            self.body_style = content.body.style(text) if content.body else Style(text)
            self.day_style = Style(text, True)
            self.accent = INHERIT
            self.cover_ground = self.cover_rule = ""
            self.byline_size = max(round(0.75 * self.body_max), min(12.0, self.body_max))
        self.title_min = min(self.title_max, max(0.8 * self.title_max, self.body_min + 2))
        self.label_style = self.body_style._replace(bold=True, colour=self.accent)

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
        box = Box(x, y, width, count * leading)
        return TextSpec("Title", box, (para,), style, size, leading, placeholder='type="title"')

    def _lines_text(
        self, name: str, text: str, style: Style, size: float, x: float, y: float, width: float
    ) -> TextSpec:
        para = Para(text)
        count = len(self.measure.lines(para, style, size, width))
        leading = size * _BODY_LEADING
        return TextSpec(name, Box(x, y, width, count * leading), (para,), style, size, leading)

    def _titled(self, text: str, code_label: str, style: Style) -> Para:
        """A title paragraph, with the session code as a label in the accent colour when there is one."""
        label_style = style._replace(bold=True, colour=self.accent) if code_label else None
        return Para(text, label=code_label, label_style=label_style)

    # -- the logo -------------------------------------------------------------------------------------

    def _plate_needed(self, ground: str) -> bool:
        image = self.theme.logo_image
        if image is None or not ground.startswith("#"):
            return False
        if ground not in self._plates:
            self._plates[ground] = _logo_needs_plate(image, ground)
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
            pad = _LOGO_PADDING
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
            logo = self._logo(_COVER_MARGIN, _COVER_LOGO_TOP, _COVER_LOGO_HEIGHT, _COVER_LOGO_WIDTH, self.cover_ground)
            floor = (logo.plate or logo.box).bottom + 24
        # Long titles on a narrow slide are set smaller, down to the sizes of content slides, before giving up.
        attempts = [self._cover(title, factor) for factor in (1.0, 0.85, 0.7)]
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
        x, width = _COVER_MARGIN, self.cover_width
        largest = max(1.5 * theme.slide_title_size * factor, self.title_min)
        smallest = max(theme.slide_title_size * factor, self.title_min)
        texts = [self._title_text(Para(title), self.cover_title_style, x, 0, width, largest, smallest, 3)]
        if meta.subtitle:
            size = max(0.8 * theme.slide_title_size * factor, self.body_min)
            texts.append(self._lines_text("Subtitle", meta.subtitle, self.cover_text_style, size, x, 0, width))
        details = " · ".join(part for part in (meta.date, meta.venue, meta.organiser) if part)
        detail_spec = None
        if details:
            detail_spec = self._lines_text(
                "Details", details, self.cover_text_style, theme.slide_min_body_size, x, 0, width
            )
            detail_spec = detail_spec._replace(box=detail_spec.box._replace(y=self.height - 64 - detail_spec.box.h))
        limit = detail_spec.box.y - 36 if detail_spec else self.height - 64
        return texts, detail_spec, self._stack_top(texts, limit)

    def _section(self, number: int, day: Day) -> None:
        theme = self.theme
        title = self._claim(day.title, f"day {number}")
        words = self.words
        summary = f"{words.count('sessions', len(day.sessions))} · {words.count('outcomes', day.outcome_count)}"
        if self.layouts is not None:
            texts = self._heading_and_below(
                self.layouts.section, Para(title), [Para(summary)], f"the day title {title!r}"
            )
            self._add(SlideKind.SECTION, title, texts, (), footer=False)
            return
        for factor in (1.0, 0.85, 0.7):
            largest = max(1.4 * theme.slide_title_size * factor, self.title_min)
            smallest = max(theme.slide_title_size * factor, self.title_min)
            heading = self._title_text(
                Para(title), self.cover_title_style, _COVER_MARGIN, 0, self.cover_width, largest, smallest, 3
            )
            size = max(theme.slide_body_size * factor, self.body_min)
            line = self._lines_text(
                "Subtitle", summary, self.cover_text_style, size, _COVER_MARGIN, 0, self.cover_width
            )
            top = self._stack_top([heading, line], limit=self.height - 48)
            if top >= 36:
                placed, bars = self._place([heading, line], top)
                self._add(SlideKind.SECTION, title, placed, bars, footer=False)
                return
        raise RenderError(f"the day title {day.title!r} is too long to fit on a slide; shorten it")

    def _stack_top(self, texts: list[TextSpec], limit: float) -> float:
        """Where an accent bar and `texts` start when stacked a little above the middle of the slide, higher
        if they would pass `limit`."""
        gaps = [20.0] + [16.0] * (len(texts) - 1)
        block = _COVER_BAR_HEIGHT + sum(gaps) + sum(t.box.h for t in texts)
        return min((self.height - block) / 2 - 24, limit - block)

    def _place(self, texts: list[TextSpec], top: float) -> tuple[list[TextSpec], list[Bar]]:
        """The accent bar at `top`, then `texts` below it; return them placed, and the cover's bars (on a
        light cover also a band down its left edge, so it still reads as a cover)."""
        gaps = [20.0] + [16.0] * (len(texts) - 1)
        bar = Box(_COVER_MARGIN, top, _COVER_BAR_WIDTH, _COVER_BAR_HEIGHT)
        bars = [Bar(bar, self.cover_rule)]
        if self.cover_ground == self.theme.background:
            bars.insert(0, Bar(Box(0, 0, _COVER_BAND_WIDTH, self.height), self.theme.primary))
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
        details = " · ".join(part for part in (meta.date, meta.venue, meta.organiser) if part)
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
        is_title = leading_factor == _TITLE_LEADING
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
            for size in _sizes(largest, preferred):
                if height(size) <= inner.h + 1e-6:
                    return size, inner
            for size in _sizes(preferred, floor):
                needed = height(size)
                if inner.y + needed <= limit:
                    return size, inner._replace(h=needed)
            for size in _sizes(preferred, floor):
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
        for largest in _sizes(frame.title.size, min(frame.title.size, self.body_min)):
            try:
                heading = self._region_text("Title", [title], frame.title, _TITLE_LEADING, what, largest)
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
            return self._region_text(name, paras, frame.body, _BODY_LEADING, what, top=below)
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
        return self._region_text(name, paras, region, _BODY_LEADING, what, placeholder=False)

    # -- content slides ---------------------------------------------------------------------------------

    def _frame(self, title: Para, byline: str | None, largest: float | None = None) -> _Frame:
        if self.layouts is not None:
            return self._template_frame(self.layouts.content, title, byline, largest)
        largest = self.title_max if largest is None else largest
        heading = self._title_text(
            title, self.title_style, _MARGIN, _TOP, self.content_width, largest, self.title_min, 2
        )
        bar = Bar(Box(_MARGIN, heading.box.bottom + 12, _BAR_WIDTH, _BAR_HEIGHT), self.accent)
        below = bar.box.bottom
        by = None
        if byline:
            by = self._lines_text(
                "Byline", byline, self.byline_style, self.byline_size, _MARGIN, below + 12, self.content_width
            )
            below = by.box.bottom
        top = below + 22
        bottom = self._footer_top() - 24
        self._check_room(title, bottom - top)
        return _Frame(heading, bar, by, Box(_MARGIN, top, self.content_width, bottom - top))

    def _check_room(self, title: Para, room: float) -> None:
        if room < 3 * self.body_min * _BODY_LEADING:
            raise RenderError(f"the slide title {title.full_text!r} is too long to leave room for its content")

    def _template_frame(self, frame: LayoutFrame, title: Para, byline: str | None, largest: float | None) -> _Frame:
        region = frame.title
        what = f"the slide title {title.full_text!r}"
        heading = self._region_text(
            "Title", [title], region, _TITLE_LEADING, what, largest, bottom=0.6 * self.height, style=self.title_style
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
        return _Frame(heading, None, by, Box(inner.x, top, inner.w, inner.bottom - top), insets, placeholder, own)

    def _footer_size(self) -> float:
        # Two thirds of the smallest body size: legible from the back, yet clearly not content.
        return round(2 * self.theme.slide_min_body_size / 3)

    def _footer_leading(self) -> float:
        return self._footer_size() * _BODY_LEADING

    def _footer_top(self) -> float:
        return self.footer_bottom - self._footer_leading()

    def _footer_text(self, style: Style, size: float, width: float) -> str:
        """The footer's text, shortened with an ellipsis to one line: a wrapped footer would hit the body."""
        if width in self._footer_cache:
            return self._footer_cache[width]
        text = self.theme.footer_text or self.event.meta.title
        limit = width * _WIDTH_SAFETY

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
        right = _MARGIN + self.content_width
        pictures = []
        if self.theme.logo_image is not None:
            centre = top + leading / 2
            logo = self._logo(right, 0, _CORNER_LOGO_HEIGHT, _CORNER_LOGO_WIDTH, self.theme.background, right=True)
            outer = logo.plate or logo.box
            shift = centre - outer.h / 2
            logo = logo._replace(
                box=logo.box._replace(y=logo.box.y + shift),
                plate=logo.plate._replace(y=shift) if logo.plate else None,
            )
            pictures.append(logo)
            right = outer.x - 12
        number_box = Box(right - _NUMBER_WIDTH, top, _NUMBER_WIDTH, leading)
        width = number_box.x - 12 - _MARGIN
        text = self._footer_text(self.footer_style, size, width)
        return [
            TextSpec("Footer", Box(_MARGIN, top, width, leading), (Para(text),), self.footer_style, size, leading),
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
            size = min(region.size, max(inner.h / _BODY_LEADING, 6.0))
            if para is None:
                para = Para(self._footer_text(style, size, inner.w))
            leading = size * _BODY_LEADING
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
            background = self.cover_ground if kind in (SlideKind.TITLE, SlideKind.SECTION) else self.theme.background
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
    ) -> int:
        """Add the slides of one session or of the agenda; return how many slides that took.

        `units_at(size)` gives the paragraphs and their indent at a body size; `what` names the content
        in warnings.
        """
        frame = self._frame(title, byline)
        units_at = functools.cache(units_at)  # the same paragraphs are measured at each size once only
        packers: dict[tuple[float, float], _Packer] = {}

        def packer(size: float, width: float) -> _Packer:
            if (size, width) not in packers:
                units, indent = units_at(size)
                packers[size, width] = _Packer(self.measure, self.body_style, units, size, indent, width, self.words)
            return packers[size, width]

        for size in _sizes(self.body_max, self.body_min):
            units, indent = units_at(size)
            if packer(size, frame.body.w).total() <= frame.body.h:
                first_page = [units[0]._replace(space_before=0.0), *units[1:]]
                self._emit_pages(kind, [title], [frame], [first_page], size, indent, notes)
                return 1
        # The titles of the continued slides depend on how many there are, and their height on the
        # titles: guess two slides, and grow the guess until the outcomes fit in that many.
        guess = 2
        while True:
            titles = [
                title._replace(text=self.words.continued_title(title.text, n, guess)) for n in range(1, guess + 1)
            ]
            pages, size, indent = self._split(units_at, packer, self._run_frames(titles, byline)[0].body, what)
            if len(pages) <= guess:
                count = len(pages)
                titles = [
                    title._replace(text=self.words.continued_title(title.text, n, count)) for n in range(1, count + 1)
                ]
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
        return [f._replace(body=body) for f in frames]

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
            body = TextSpec(
                "Body",
                frame.body,
                tuple(paras),
                self.body_style,
                size,
                leading,
                indent,
                insets=frame.insets,
                placeholder=frame.placeholder,
                inherit=bool(frame.placeholder),
                own_bullets=frame.own_bullets,
            )
            texts = [frame.title, *([frame.byline] if frame.byline else []), body]
            bars = (frame.bar,) if frame.bar else ()
            self._add(kind, name, texts, bars, notes=notes if n == 0 else "")

    def _split(
        self,
        units_at: Callable[[float], tuple[list[Para], float]],
        packer: Callable[[float, float], _Packer],
        box: Box,
        what: str,
    ) -> tuple[list[list[Para]], float, float]:
        """Spread units over as few slides as possible at the largest size that needs no more slides."""
        best: tuple[int, float] | None = None
        for size in _sizes(self.body_max, self.body_min):
            count = packer(size, box.w).count(box.h)
            if count is not None and (best is None or count < best[0]):
                best = (count, size)
        if best is None:
            # Even alone on a slide some unit is too tall at the smallest size: cut it at a line boundary.
            size = self.body_min
            units, indent = units_at(size)
            units = self._cut_tall_units(units, size, indent, box, what)
            cut = _Packer(self.measure, self.body_style, units, size, indent, box.w, self.words)
            return cut.balanced(box.h), size, indent
        count, _ = best
        # The smallest count is reached at the smallest size; take the largest size that reaches it.
        for size in _sizes(self.body_max, self.body_min):
            if packer(size, box.w).count(box.h) == count:
                return packer(size, box.w).balanced(box.h), size, units_at(size)[1]
        raise AssertionError("unreachable: the smallest size reaches the smallest count")  # pragma: no cover

    def _cut_tall_units(self, units: list[Para], size: float, indent: float, box: Box, what: str) -> list[Para]:
        """Cut each paragraph too tall for a slide of its own into pieces that fit, at line boundaries."""
        leading = size * _BODY_LEADING
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
                units.append(Para(day.title, Role.DAY, space_before=_DAY_GAP * size, style=self.day_style))
                for s in day.sessions:
                    if labelled:
                        units.append(
                            Para(
                                s.title,
                                Role.ENTRY,
                                label=s.code,
                                space_before=_ENTRY_GAP * size,
                                label_style=label_style,
                            )
                        )
                    else:
                        units.append(Para(s.heading, Role.ENTRY, space_before=_ENTRY_GAP * size))
            return units, indent

        title = self._claim(self.words.agenda, "agenda")
        self._paged(SlideKind.AGENDA, Para(title), None, units_at, "the agenda")

    def _session(self, day: Day, session: Session) -> None:
        heading = self._claim(session.heading, day.title)
        code_label = f"{session.code}:"
        title_text = heading[len(code_label) + 1 :] if heading.startswith(code_label + " ") else heading
        title = self._titled(title_text, code_label if title_text != heading else "", self.title_style)
        people = []
        if session.moderator:
            people.append(self.words.role(self.words.moderator, session.moderator))
        if session.rapporteur:
            people.append(self.words.role(self.words.rapporteur, session.rapporteur))
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
    ends: list[int] = []  # offset in `text` where each line ends
    position = 0
    for line in lines:
        position = text.index(line, position) + len(line)
        ends.append(position)
    pieces = []
    start = 0
    for first in range(0, len(lines), per_slide):
        end = ends[min(first + per_slide, len(lines)) - 1]
        pieces.append(text[start:end].strip())
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
        measure: _Measure,
        style: Style,
        units: list[Para],
        size: float,
        indent: float,
        width: float,
        words: Words,
    ) -> None:
        leading = size * _BODY_LEADING
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


# --- Reading a corporate template: its slide size, its layouts and the text style of their placeholders. ---

_EMU_PER_POINT = 12700

# Layout names as PowerPoint writes them in English, German, French, Spanish, Italian, Dutch and
# Portuguese; a name PowerPoint numbered when the layout was copied ("1_Title Slide") counts too.
_LAYOUT_NAMES: dict[str, tuple[str, ...]] = {
    "title": (
        "title slide",
        "titelfolie",
        "diapositive de titre",
        "diapositiva de título",
        "diapositiva titolo",
        "titeldia",
        "slide de título",
    ),
    "section": (
        "section header",
        "section title",
        "abschnittsüberschrift",
        "en-tête de section",
        "encabezado de sección",
        "intestazione sezione",
        "sectiekop",
        "cabeçalho da seção",
    ),
    "content": (
        "title and content",
        "titel und inhalt",
        "titre et contenu",
        "título y objetos",
        "titolo e contenuto",
        "titel en object",
        "título e conteúdo",
    ),
    "title only": ("title only", "nur titel", "titre seul", "solo el título", "solo titolo", "alleen titel"),
    "blank": ("blank", "leer", "vide", "en blanco", "vuota", "leeg", "em branco"),
}
# The layout type PowerPoint records whatever the layout is called.
_LAYOUT_TYPES = {
    "title": ("title",),
    "section": ("secHead",),
    "content": ("obj", "tx"),
    "title only": ("titleOnly",),
    "blank": ("blank",),
}
_TITLE_TYPES = ("title", "ctrTitle")
_ALTERNATIVE_MAIN_TYPES = (
    CT.PML_TEMPLATE_MAIN,
    CT.PML_SLIDESHOW_MAIN,
    CT.PML_PRES_MACRO_MAIN,
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
)
_SECTIONS_EXTENSION = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"  # p14:sectionLst, which lists slide ids
_VBA_PROJECT = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def _layout_key(name: str) -> str:
    """A layout name compared loosely: case, spacing, Unicode form and a "1_" copy prefix do not count."""
    text = " ".join(unicodedata.normalize("NFC", name).casefold().split())
    head, _, rest = text.partition("_")
    return rest if head.isdigit() and rest else text


def _as_presentation(data: bytes, what: str) -> bytes:
    """The package with its main part typed as a presentation (a .potx, .ppsx or macro-enabled file is
    otherwise the same thing); rewritten in memory, the template's file is left alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            types = package.read("[Content_Types].xml")
            if not any(t.encode() in types for t in _ALTERNATIVE_MAIN_TYPES):
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for item in package.infolist():
                    blob = package.read(item.filename)
                    if item.filename == "[Content_Types].xml":
                        for alternative in _ALTERNATIVE_MAIN_TYPES:
                            blob = blob.replace(alternative.encode(), CT.PML_PRESENTATION_MAIN.encode())
                    target.writestr(item, blob)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise RenderError(f"{what} is not a PowerPoint file (.pptx or .potx): {error}") from None


def _points(value: str | None, default: float) -> float:
    return int(value) / _EMU_PER_POINT if value is not None else default


def _ph(sp: Any) -> Any:
    """The p:ph element of a shape; None for a shape that is not a placeholder."""
    return sp.find(f"./*/{qn('p:nvPr')}/{qn('p:ph')}")


def _ph_type(ph: Any) -> str:
    return str(ph.get("type", "obj"))


def _box_of(element: Any) -> Box | None:
    """The rectangle of a shape, picture, group or graphic frame from its a:xfrm / p:xfrm; None without one."""
    xfrm = next(
        (
            found
            for path in (f"{qn('p:spPr')}/{qn('a:xfrm')}", f"{qn('p:grpSpPr')}/{qn('a:xfrm')}", qn("p:xfrm"))
            if (found := element.find(path)) is not None
        ),
        None,
    )
    if xfrm is None:
        return None
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    if off is None or ext is None:
        return None
    return Box(_points(off.get("x"), 0), _points(off.get("y"), 0), _points(ext.get("cx"), 0), _points(ext.get("cy"), 0))


class _Template:
    """A corporate template opened as the deck's base: its slides removed, its layouts chosen for the
    deck's kinds of slide, and their placeholders described for the planner."""

    def __init__(self, data: bytes, theme: Theme) -> None:
        what = f"the theme's PowerPoint template {theme.reference_pptx!r}"
        try:
            self.prs = Presentation(io.BytesIO(_as_presentation(data, what)))
        except RenderError:
            raise
        except Exception as error:  # python-pptx raises whatever its parts raise on a broken package
            raise RenderError(f"{what} cannot be read: {error}") from None
        self.what = what
        _remove_slides(self.prs)
        self.width = int(self.prs.slide_width or 0) / _EMU_PER_POINT
        self.height = int(self.prs.slide_height or 0) / _EMU_PER_POINT
        if self.width <= 0 or self.height <= 0:
            raise RenderError(f"{what} has no slide size")
        self._defaults = self.prs.part._element.find(f"{qn('p:defaultTextStyle')}/{qn('a:lvl1pPr')}")
        self._theme_fonts: dict[int, tuple[str, str]] = {}
        layouts = [layout for master in self.prs.slide_masters for layout in master.slide_layouts]
        with_title = [layout for layout in layouts if self._placeholders(layout, _TITLE_TYPES)]
        if not with_title:
            names = ", ".join(repr(layout.name) for layout in layouts) or "none"
            raise RenderError(
                f"{what} has no slide layout with a title placeholder, which every slide needs "
                f"(its layouts: {names}); add one such as 'Title Only' or 'Title and Content'"
            )

        def named(role: str, candidates: Sequence[Any]) -> Any | None:
            return next(
                (lay for lay in candidates if _layout_key(lay.name) in _LAYOUT_NAMES[role]),
                next((lay for lay in candidates if lay._element.get("type") in _LAYOUT_TYPES[role]), None),
            )

        content_bodies = ("body", "obj")
        with_body = [lay for lay in with_title if self._body(lay, content_bodies) is not None]
        # Unnamed, the content layout is the one with the largest body that is no title or section layout.
        unnamed = [
            lay
            for lay in with_body
            if lay._element.get("type") not in ("title", "secHead") and not self._placeholders(lay, ("ctrTitle",))
        ]
        content = (
            named("content", with_body)
            or max(unnamed, key=lambda lay: self._area(lay, self._body(lay, content_bodies)), default=None)
            or named("title only", with_title)
            or next((lay for lay in with_title if lay._element.get("type") not in ("title", "secHead")), None)
            or with_title[0]
        )
        cover = named("title", with_title) or next(
            (lay for lay in with_title if self._placeholders(lay, ("ctrTitle",))), None
        )
        section = named("section", with_title)
        cover = cover or section or named("title only", with_title) or content
        section = section or cover
        self.layouts = {SlideKind.TITLE: cover, SlideKind.SECTION: section}
        self.layouts[SlideKind.AGENDA] = self.layouts[SlideKind.SESSION] = content
        master_body = self._master_style(content, "body")
        self.frames = Layouts(
            self._frame(cover, ("subTitle", "body", "obj")),
            self._frame(section, ("body", "subTitle", "obj")),
            self._frame(content, content_bodies),
            self._font(content, self._first(master_body, "latin"), "body"),
            self._size(master_body),
        )

    def canvas(self) -> Canvas:
        """The planner's view of the template."""
        return Canvas(self.width, self.height, self.frames)

    # -- placeholders and their inherited properties ----------------------------------------------------

    @staticmethod
    def _placeholders(layout: Any, types: Sequence[str]) -> list[Any]:
        found = []
        for sp in layout._element.cSld.spTree.iterchildren(qn("p:sp")):
            ph = _ph(sp)
            if ph is not None and _ph_type(ph) in types:
                found.append(sp)
        return found

    def _body(self, layout: Any, types: Sequence[str]) -> Any | None:
        """The layout's largest horizontal text placeholder of the given types; None when it has none."""
        candidates = []
        for sp in self._placeholders(layout, types):
            if any(p is not None and p.get("vert", "horz") != "horz" for p in self._body_props(layout, sp)):
                continue  # vertical text: not where outcomes go
            box = self._box(layout, sp)
            candidates.append((-(box.w * box.h) if box else 0.0, int(_ph(sp).get("idx", "0")), sp))
        return min(candidates, key=lambda c: c[:2])[2] if candidates else None

    def _area(self, layout: Any, sp: Any) -> float:
        box = self._box(layout, sp)
        return box.w * box.h if box else 0.0

    @staticmethod
    def _base_type(ph_type: str) -> str:
        if ph_type in _TITLE_TYPES:
            return "title"
        return ph_type if ph_type in ("ftr", "sldNum", "dt") else "body"

    def _master_sp(self, layout: Any, sp: Any) -> Any | None:
        base = self._base_type(_ph_type(_ph(sp)))
        for candidate in layout.slide_master._element.cSld.spTree.iterchildren(qn("p:sp")):
            ph = _ph(candidate)
            if ph is not None and _ph_type(ph) == base:
                return candidate
        return None

    def _master_style(self, layout: Any, base: str) -> Any | None:
        tag = {"title": "p:titleStyle", "body": "p:bodyStyle"}.get(base, "p:otherStyle")
        return layout.slide_master._element.find(f"{qn('p:txStyles')}/{qn(tag)}/{qn('a:lvl1pPr')}")

    def _levels(self, layout: Any, sp: Any) -> list[Any]:
        """The a:lvl1pPr that the placeholder's first level inherits from, nearest first."""
        path = f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}"
        master_sp = self._master_sp(layout, sp)
        chain = [sp.find(path), master_sp.find(path) if master_sp is not None else None]
        chain += [self._master_style(layout, self._base_type(_ph_type(_ph(sp)))), self._defaults]
        return [level for level in chain if level is not None]

    def _body_props(self, layout: Any, sp: Any) -> list[Any]:
        master_sp = self._master_sp(layout, sp)
        return [s.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}") for s in (sp, master_sp) if s is not None]

    def _box(self, layout: Any, sp: Any) -> Box | None:
        master_sp = self._master_sp(layout, sp)
        return _box_of(sp) or (_box_of(master_sp) if master_sp is not None else None)

    @staticmethod
    def _first(levels: Any, what: str) -> str | None:
        """The nearest level's value: "sz", "b" (from a:defRPr), "latin" (its typeface) or "bullet"."""
        for level in [levels] if not isinstance(levels, list) else levels:
            if level is None:
                continue
            if what == "bullet":
                for child in level:
                    name = child.tag.rsplit("}", 1)[-1]
                    if name in ("buNone", "buChar", "buAutoNum", "buBlip"):
                        return str(name)
                continue
            props = level.find(qn("a:defRPr"))
            if props is None:
                continue
            value = props.get(what) if what != "latin" else None
            if what == "latin" and (latin := props.find(qn("a:latin"))) is not None:
                value = latin.get("typeface")
            if value:
                return str(value)
        return None

    @staticmethod
    def _size(levels: Any) -> float:
        size = _Template._first(levels, "sz")
        return int(size) / 100 if size else 18.0

    def _font(self, layout: Any, typeface: str | None, base: str) -> str:
        """A typeface with the theme's font references (+mj-lt, +mn-lt) resolved to family names."""
        major, minor = self._fonts(layout)
        if not typeface or typeface.startswith("+"):
            pick = major if (typeface or "").startswith("+mj") or (not typeface and base == "title") else minor
            return pick or "Calibri"
        return typeface

    def _fonts(self, layout: Any) -> tuple[str, str]:
        """The major (headings) and minor (body) Latin fonts of the layout's master's theme."""
        master = layout.slide_master
        key = id(master)
        if key not in self._theme_fonts:
            major = minor = ""
            try:
                theme = parse_xml(master.part.part_related_by(RT.THEME).blob)
            except (KeyError, ValueError):  # pragma: no cover - every master has a theme
                theme = None
            if theme is not None:
                scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
                if scheme is not None:
                    for tag in ("a:majorFont", "a:minorFont"):
                        latin = scheme.find(f"{qn(tag)}/{qn('a:latin')}")
                        value = latin.get("typeface", "") if latin is not None else ""
                        major, minor = (value, minor) if tag == "a:majorFont" else (major, value)
            self._theme_fonts[key] = (major, minor)
        return self._theme_fonts[key]

    def _region(self, layout: Any, sp: Any, fallback: Box) -> Region:
        ph = _ph(sp)
        kind = _ph_type(ph)
        levels = self._levels(layout, sp)
        insets: list[float] = []
        for attribute, default in (("lIns", 7.2), ("tIns", 3.6), ("rIns", 7.2), ("bIns", 3.6)):
            values = [p.get(attribute) for p in self._body_props(layout, sp) if p is not None]
            insets.append(_points(next((v for v in values if v is not None), None), default))
        attributes = ([f'type="{kind}"'] if kind != "obj" else []) + (
            [f'idx="{ph.get("idx")}"'] if ph.get("idx", "0") != "0" else []
        )
        box = self._box(layout, sp) or fallback
        return Region(
            box,
            (insets[0], insets[1], insets[2], insets[3]),
            self._size(levels),
            self._font(layout, self._first(levels, "latin"), self._base_type(kind)),
            self._first(levels, "b") in ("1", "true"),
            self._first(levels, "bullet") not in (None, "buNone"),
            " ".join(attributes),
            self._first(levels, "cap") in ("all", "small"),
            max(0.0, int(self._first(levels, "spc") or 0) / 100),
        )

    def _frame(self, layout: Any, body_types: Sequence[str]) -> LayoutFrame:
        width, height = self.width, self.height
        title_sp = self._placeholders(layout, _TITLE_TYPES)[0]
        title = self._region(layout, title_sp, Box(0.05 * width, 0.05 * height, 0.9 * width, 0.15 * height))
        body_sp = self._body(layout, body_types)
        body = (
            self._region(layout, body_sp, Box(0.05 * width, 0.25 * height, 0.9 * width, 0.6 * height))
            if (body_sp is not None)
            else None
        )
        extras = []
        for kind in ("ftr", "sldNum"):
            found = self._placeholders(layout, (kind,))
            region = self._region(layout, found[0], Box(0, 0, 0, 0)) if found else None
            extras.append(region if region is not None and region.box.w > 0 and region.box.h > 0 else None)
        return LayoutFrame(
            layout.name, title, body, extras[0], extras[1], self._graphics(layout), self._background(layout)
        )

    @staticmethod
    def _background(layout: Any) -> str:
        """The plain colour behind slides of the layout, "#RRGGBB"; "" when it is not a plain RGB colour."""
        for owner in (layout, layout.slide_master):
            background = owner._element.cSld.find(qn("p:bg"))
            if background is not None:
                colour = background.find(f"{qn('p:bgPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
                return f"#{colour.get('val').upper()}" if colour is not None else ""
        return ""

    def _graphics(self, layout: Any) -> tuple[Box, ...]:
        """The rectangles of the template's own pictures and shapes on slides of this layout (backgrounds
        that fill half the slide or more left out)."""
        owners = [layout._element]
        if layout._element.get("showMasterSp", "1") not in ("0", "false"):
            owners.append(layout.slide_master._element)
        boxes = []
        for owner in owners:
            for child in owner.cSld.spTree.iterchildren():
                if child.tag not in (qn("p:sp"), qn("p:pic"), qn("p:grpSp"), qn("p:graphicFrame"), qn("p:cxnSp")):
                    continue
                if child.tag == qn("p:sp") and _ph(child) is not None:
                    continue
                box = _box_of(child)
                if box is not None and box.w * box.h < 0.5 * self.width * self.height:
                    boxes.append(box)
        return tuple(boxes)


def _remove_slides(prs: Any) -> None:
    """Delete the template's slides: their ids, and the relationships that reach them, so that none of their
    parts (notes, pictures, charts) is written; and the section and custom-show lists that name them."""
    part = prs.part
    ids = prs.slides._sldIdLst
    for sld_id in list(ids):
        part.rels.pop(sld_id.rId)
        ids.remove(sld_id)
    presentation = part._element
    for shows in presentation.findall(qn("p:custShowLst")):
        presentation.remove(shows)
    for extensions in presentation.findall(qn("p:extLst")):
        for extension in extensions.findall(qn("p:ext")):
            if extension.get("uri") == _SECTIONS_EXTENSION:
                extensions.remove(extension)
        if not len(extensions):
            presentation.remove(extensions)
    for rel in list(part.rels.values()):
        if rel.reltype == _VBA_PROJECT:  # a macro-enabled template's code; the deck is a plain .pptx
            part.rels.pop(rel.rId)
        elif rel.reltype == RT.VIEW_PROPS and not rel.is_external:
            _forget_slides(rel.target_part)


def _forget_slides(view_props: Any) -> None:
    """Drop the outline view's list of slides (and its links to them) from the view properties part."""
    slide_rels = [rel for rel in view_props.rels.values() if rel.reltype == RT.SLIDE]
    if not slide_rels:
        return
    for rel in slide_rels:
        view_props.rels.pop(rel.rId)
    element = parse_xml(view_props.blob)
    for listing in list(element.iter(qn("p:sldLst"))):
        listing.getparent().remove(listing)
    view_props.blob = serialize_part_xml(element)


# --- Emit: the plan drawn with python-pptx. ------------------------------------------------------------


def _emu(points: float) -> int:
    """Points as English Metric Units, the unit of every OOXML position and size."""
    return round(points * _EMU_PER_POINT)


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


_DECORATIVE = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
    "</a:ext></a:extLst>"
)
_MUTED_FILL = (  # the template's text colour at two thirds strength, as PowerPoint's "lighter 35%" swatch
    '<a:solidFill><a:schemeClr val="tx1"><a:lumMod val="65000"/><a:lumOff val="35000"/></a:schemeClr></a:solidFill>'
)


class _Base:
    """The presentation a deck is built on: the theme's corporate template (its slides removed), or
    python-pptx's default one sized to the theme's slide size; and the layout each kind of slide uses."""

    def __init__(self, theme: Theme) -> None:
        data = theme.reference("pptx")
        self.template: _Template | None = None
        if data is not None:
            self.template = _Template(data, theme)
            self.prs = self.template.prs
            self.layouts: dict[SlideKind, Any] = self.template.layouts
            self.canvas = self.template.canvas()
            self.format = "Custom"
            return
        self.prs = Presentation()
        self.canvas = canvas_for(theme)
        old_width = self.prs.slide_width
        self.prs.slide_width, self.prs.slide_height = Emu(_emu(self.canvas.width)), Emu(_emu(self.canvas.height))
        _widen_template(self.prs, self.prs.slide_width / old_width)
        layout = next(layout for layout in self.prs.slide_layouts if layout.name == "Title Only")
        self.layouts = dict.fromkeys(SlideKind, layout)
        self.format = "Widescreen" if theme.slide_size == "16:9" else "On-screen Show (4:3)"


class _Deck:
    """Adds slides, notes pages and the logo to a presentation in constant time each.

    python-pptx's own `slides.add_slide` scans every relationship of the presentation part (twice),
    `slide.notes_slide` walks the whole package graph to find a free part name, and `add_picture` walks it
    again to find an image already there, so building a deck took time proportional to the square of its
    length. Slides are added in order, so part names and ids are simply counted; each slide's XML is
    written out whole and parsed once.
    """

    def __init__(self, prs: Any) -> None:
        self._prs = prs
        self._package = prs.part.package
        self._slide_ids = prs.slides._sldIdLst
        if len(self._slide_ids):
            raise RenderError("the deck template must not contain slides")  # pragma: no cover
        self._notes_master = prs.part.notes_master_part
        self._notes_placeholders = self._notes_shapes()
        self._image: Any = None
        self.slides = 0
        self.notes = 0

    def new_slide(self, layout: Any) -> Any:
        """Add an empty slide part on `layout` (its XML comes with set_xml); return the part."""
        self.slides += 1
        name = PackURI(f"/ppt/slides/slide{self.slides}.xml")
        part = Part(name, CT.PML_SLIDE, self._package)
        part.relate_to(layout.part, RT.SLIDE_LAYOUT)
        # A new part cannot already be related, so get_or_add's scan for an existing relationship is skipped.
        rid = self._prs.part.rels._add_relationship(RT.SLIDE, part)
        self._slide_ids._add_sldId(id=255 + self.slides, rId=rid)
        return part

    @staticmethod
    def set_xml(part: Any, xml: str) -> None:
        """Give a slide or notes part its content: the markup parsed (so it is checked) and serialized at
        once, as python-pptx would when saving. Parts keep bytes, not element trees, which take ten times
        the memory: a deck of 10,000 slides no longer holds 10,000 trees until it is saved."""
        part._blob = serialize_part_xml(parse_xml(xml))

    def image_rid(self, slide: Any, image: Image) -> str:
        """Relate the slide part to the logo's image part (added to the package once); return the rId."""
        if self._image is None:
            extension = "png" if image.kind == "png" else "jpeg"
            name = self._package.next_image_partname(extension)
            self._image = ImagePart(name, f"image/{image.kind}", self._package, image.data)
        return str(slide.relate_to(self._image, RT.IMAGE))

    def _notes_shapes(self) -> str:
        """The slide-image and notes placeholders of a notes page, as the notes master defines them."""
        attributes: dict[str, str] = {}
        for sp in self._notes_master.notes_master._element.cSld.spTree.iterchildren(qn("p:sp")):
            ph = _ph(sp)
            if ph is not None and _ph_type(ph) in ("sldImg", "body"):
                attributes.setdefault(_ph_type(ph), f'type="{_ph_type(ph)}" idx="{ph.get("idx", "0")}"')
        image = attributes.get("sldImg", 'type="sldImg" idx="2"')
        body = attributes.get("body", 'type="body" idx="3"')
        return (
            '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" '
            f'noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph {image}/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
            '<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
            f"</p:cNvSpPr><p:nvPr><p:ph {body}/></p:nvPr></p:nvSpPr><p:spPr/>"
        )

    def add_notes(self, slide: Any, paragraphs: str) -> None:
        """Add a notes page to the slide part whose notes placeholder holds `paragraphs` (a:p markup)."""
        self.notes += 1
        xml = (
            f"<p:notes {nsdecls('a', 'p', 'r')}><p:cSld><p:spTree>{_GROUP_PROPERTIES}{self._notes_placeholders}"
            f"<p:txBody><a:bodyPr/><a:lstStyle/>{paragraphs}</p:txBody></p:sp></p:spTree></p:cSld>"
            "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
        )
        name = PackURI(f"/ppt/notesSlides/notesSlide{self.notes}.xml")
        part = Part(name, CT.PML_NOTES_SLIDE, self._package)
        self.set_xml(part, xml)
        part.relate_to(self._notes_master, RT.NOTES_MASTER)
        part.relate_to(slide, RT.SLIDE)
        slide.relate_to(part, RT.NOTES_SLIDE)


_SHAPES_END = "</p:spTree></p:cSld>"


def _append_shapes(xml: str, shapes: str) -> str:
    """Slide markup with `shapes` added last to its shape tree (drawn on top)."""
    head, tail = xml.rsplit(_SHAPES_END, 1)
    return head + shapes + _SHAPES_END + tail


_GROUP_PROPERTIES = (
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
    '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
    '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
)


def emit(plan: Sequence[SlideSpec], meta: EventInfo, options: RenderOptions, report: Reporter | None = None) -> bytes:
    """Return the .pptx bytes of `plan`, reproducibly: on the theme's corporate template when it names one
    (its layouts, placeholders, fonts and colours), else on slides of the theme's size, colours and fonts."""
    return _emit(plan, meta, options, _Base(options.theme), report)


def _emit(
    plan: Sequence[SlideSpec], meta: EventInfo, options: RenderOptions, base: _Base, report: Reporter | None
) -> bytes:
    theme = options.theme
    typesetter = _Typesetter(theme, meta.language, report)
    writer = _SlideWriter(theme, typesetter, meta.language, base.template is not None)
    deck = _Deck(base.prs)
    notes_style = Style(tuple(dict.fromkeys((theme.body_font, *theme.font_families))))
    for spec in plan:
        slide = deck.new_slide(base.layouts[spec.kind])
        xml = writer.slide(spec)
        if spec.pictures and theme.logo_image is not None:
            pictures = writer.pictures(spec, deck.image_rid(slide, theme.logo_image))
            xml = _append_shapes(xml, pictures)
        deck.set_xml(slide, xml)
        if spec.notes:
            deck.add_notes(slide, writer.notes(spec.notes, notes_style))
    typesetter.report_coverage()
    _set_properties(base.prs, meta, options, deck, base.format)
    out = io.BytesIO()
    base.prs.save(out)
    return normalize_zip(out.getvalue(), options.timestamp)


class _SlideWriter:
    """Writes the DrawingML of slides: shapes, text bodies with their runs, languages and fonts.

    Building the elements of a slide through python-pptx's proxies costs far more than the rest of the
    deck together; the markup is simple, so each slide is written out and parsed once.
    """

    def __init__(self, theme: Theme, typesetter: _Typesetter, language: str, template: bool) -> None:
        self.theme = theme
        self.typesetter = typesetter
        self.language = language
        self.template = template
        self._ids = 0

    def _id(self) -> int:
        self._ids += 1
        return self._ids

    def slide(self, spec: SlideSpec) -> str:
        """The p:sld markup of a slide: background, accent bars, then text (title first); pictures follow."""
        self._ids = 1
        parts = [f"<p:sld {nsdecls('a', 'p', 'r')}><p:cSld>"]
        if spec.background:
            parts.append(
                f'<p:bg><p:bgPr><a:solidFill><a:srgbClr val="{_hex(spec.background)}"/>'
                "</a:solidFill><a:effectLst/></p:bgPr></p:bg>"
            )
        parts.append(f"<p:spTree>{_GROUP_PROPERTIES}")
        for bar in spec.bars:
            parts.append(self._rectangle("Accent Bar", bar.box, bar.colour))
        for text in spec.texts:
            parts.append(self._text_shape(text))
        parts.append("</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>")
        return "".join(parts)

    def pictures(self, spec: SlideSpec, rid: str) -> str:
        """The p:pic markup of the slide's logo (alt text in descr), each on its plate when it has one."""
        image = self.theme.logo_image
        assert image is not None
        parts = []
        for picture in spec.pictures:
            if picture.plate is not None:
                parts.append(self._rectangle("Logo Plate", picture.plate, picture.plate_colour, 0.12))
            box = picture.box
            parts.append(
                f'<p:pic><p:nvPicPr><p:cNvPr id="{self._id()}" name={quoteattr(picture.name)} '
                f'descr={quoteattr(image.alt)}/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr>'
                f'<p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
                f"</p:blipFill><p:spPr>{_xfrm(box)}"
                '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
            )
        return "".join(parts)

    def _rectangle(self, name: str, box: Box, colour: str, rounding: float = 0.0) -> str:
        """A flat block of colour, no outline or shadow, marked decorative for screen readers."""
        geometry = (
            f'<a:prstGeom prst="roundRect"><a:avLst><a:gd name="adj" fmla="val {round(rounding * 100000)}"/>'
            "</a:avLst></a:prstGeom>"
            if rounding
            else '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        )
        return (
            f'<p:sp><p:nvSpPr><p:cNvPr id="{self._id()}" name={quoteattr(name)}>{_DECORATIVE}</p:cNvPr>'
            f"<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(box)}{geometry}"
            f'<a:solidFill><a:srgbClr val="{_hex(colour)}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>'
        )

    def _text_shape(self, text: TextSpec) -> str:
        if text.placeholder:
            head = (
                f'<p:nvSpPr><p:cNvPr id="{self._id()}" name={quoteattr(text.name)}/><p:cNvSpPr>'
                f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph {text.placeholder}/></p:nvPr></p:nvSpPr>'
                f"<p:spPr>{_xfrm(text.shape)}</p:spPr>"
            )
        else:
            head = (
                f'<p:nvSpPr><p:cNvPr id="{self._id()}" name={quoteattr(text.name)}/><p:cNvSpPr txBox="1"/>'
                f'<p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(text.shape)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
                "<a:noFill/></p:spPr>"
            )
        return f"<p:sp>{head}{self._text_body(text)}</p:sp>"

    def _text_body(self, text: TextSpec) -> str:
        """The p:txBody of `text`: sizes, spacing, indents, direction, languages and fonts set explicitly;
        colours, bullets and anchoring too, unless it fills a template placeholder that gives them."""
        theme = self.theme
        left, top, right, bottom = (_emu(v) for v in text.insets)
        # Exactly the geometry that was measured: these insets, no autofit, wrapping on, one column.
        anchor = "" if text.inherit else ' anchor="t"'
        parts = [
            f'<p:txBody><a:bodyPr vert="horz" wrap="square" lIns="{left}" tIns="{top}" rIns="{right}" '
            f'bIns="{bottom}" numCol="1"{anchor}><a:noAutofit/></a:bodyPr><a:lstStyle/>'
        ]
        size = round(text.size * 100)
        indent = _emu(text.indent)
        for para in text.paras:
            style = para.style or text.style
            marl = indent if para.role in (Role.BULLET, Role.ENTRY, Role.CONTINUATION) else 0
            hanging = -indent if para.role in (Role.BULLET, Role.ENTRY) else 0
            rtl = para.rtl
            align = "r" if rtl or text.align_right else ("" if text.inherit else "l")
            parts.append(
                f'<a:p><a:pPr marL="{marl}" indent="{hanging}"{f" algn={quoteattr(align)}" if align else ""} '
                f'rtl="{int(rtl)}"><a:lnSpc><a:spcPts val="{round(text.leading * 100)}"/></a:lnSpc>'
                f'<a:spcBef><a:spcPts val="{round(para.space_before * 100)}"/></a:spcBef>'
                '<a:spcAft><a:spcPts val="0"/></a:spcAft>'
            )
            if para.role is Role.BULLET:
                # A real bullet: readers and editors see a list, not a typed "•". On a template whose
                # body has bullets of its own, those are kept.
                if not self.template:
                    parts.append(f'<a:buClr><a:srgbClr val="{_hex(theme.accent)}"/></a:buClr><a:buSzPct val="100000"/>')
                if not text.inherit or text.own_bullets:
                    parts.append(f'<a:buFont typeface={quoteattr(style.family)}/><a:buChar char="\u2022"/>')
            else:
                parts.append("<a:buNone/>")
            if para.role is Role.ENTRY:
                # The tab after the session code lands exactly where the title's wrapped lines start.
                parts.append(f'<a:tabLst><a:tab pos="{indent}" algn="l"/></a:tabLst>')
            parts.append("</a:pPr>")
            if para.label:
                parts.append(self._runs(para.label, para.label_style or style._replace(bold=True), size, text.inherit))
                parts.append(self._runs("\t" if para.role is Role.ENTRY else " ", style, size, text.inherit))
            # The slide number is a field, so it stays right when slides are moved in PowerPoint.
            parts.append(self._runs(para.text, style, size, text.inherit, field=para.role is Role.SLIDE_NUMBER))
            parts.append("</a:p>")
        parts.append("</p:txBody>")
        return "".join(parts)

    def _runs(self, text: str, style: Style, size: int, inherit: bool, field: bool = False) -> str:
        stack = self.typesetter.stack(style)
        if field:
            runs = [Run(text, self.language, {"latin": style.family})]
        else:
            self.typesetter.check_coverage(style, text)
            runs = stack.runs(text)
        if style.colour.startswith("#"):
            fill = f'<a:solidFill><a:srgbClr val="{_hex(style.colour)}"/></a:solidFill>'
        else:
            fill = _MUTED_FILL if style.colour == MUTED else ""
        out = []
        for run in runs:
            start, end = (
                (f'<a:fld id="{_SLIDE_NUMBER_FIELD_ID}" type="slidenum">', "</a:fld>") if field else ("<a:r>", "</a:r>")
            )
            properties = _run_properties(run, self.language, size, style, fill, inherit)
            out.append(f"{start}{properties}<a:t>{escape(run.text)}</a:t>{end}")
        return "".join(out)

    def notes(self, notes: str, style: Style) -> str:
        """Speaker notes as a:p markup, one paragraph per line, each run tagged with its language."""
        stack = self.typesetter.stack(style)
        paragraphs = []
        for line in notes.splitlines():
            runs = "".join(
                f"<a:r>{_run_properties(run, self.language, None, style, '', True)}<a:t>{escape(run.text)}</a:t></a:r>"
                for run in stack.runs(line)
            )
            direction = '<a:pPr algn="r" rtl="1"/>' if is_rtl(line) else ""
            paragraphs.append(f"<a:p>{direction}{runs}</a:p>")
        return "".join(paragraphs) or "<a:p/>"


def _run_properties(run: Run, language: str, size: int | None, style: Style, fill: str, inherit: bool) -> str:
    """The a:rPr of a run: its language (and the event's as the alternative), size, weight, colour and the
    typeface of each slot it uses; on a template the style's own Latin typeface is left to the template."""
    attributes = f"lang={quoteattr(run.language)}"
    if run.language != language:
        attributes += f" altLang={quoteattr(language)}"
    if size is not None:
        attributes += f' sz="{size}" b="{int(style.bold)}"'
    fonts = []
    latin = run.fonts.get("latin", style.family)
    if not (inherit and latin == style.family):
        fonts.append(f"<a:latin typeface={quoteattr(latin)}/>")
    for where, tag in (("east_asian", "ea"), ("complex", "cs")):
        if where in run.fonts:
            fonts.append(f"<a:{tag} typeface={quoteattr(run.fonts[where])}/>")
    return f'<a:rPr {attributes} dirty="0">{fill}{"".join(fonts)}</a:rPr>'


def _xfrm(box: Box) -> str:
    return (
        f'<a:xfrm><a:off x="{_emu(box.x)}" y="{_emu(box.y)}"/><a:ext cx="{_emu(box.w)}" cy="{_emu(box.h)}"/></a:xfrm>'
    )


def _widen_template(prs: Any, factor: float) -> None:
    """Stretch the master's and layouts' placeholders to the wide slide, for slides users add later."""
    for owner in (prs.slide_master, *prs.slide_layouts):
        for shape in owner.placeholders:
            # Only positions written on the shape itself; the others are inherited, already stretched.
            if shape._element.xfrm is not None:
                shape.left, shape.width = Emu(round(shape.left * factor)), Emu(round(shape.width * factor))


def _set_properties(prs: Any, meta: EventInfo, options: RenderOptions, deck: _Deck, presentation_format: str) -> None:
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
    props.content_status = ""
    props.identifier = ""
    props.version = ""
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.last_modified_by = "reportgen"
    package = prs.part.package
    # A template's app.xml and thumbnail describe the template (its slide titles, its first slide); say
    # what this file is instead.
    for rel in list(package._rels.values()):
        if rel.reltype == RT.THUMBNAIL:
            package.drop_rel(rel.rId)
    blob = _APP_XML.format(slides=deck.slides, notes=deck.notes, format=escape(presentation_format)).encode()
    try:
        package.part_related_by(RT.EXTENDED_PROPERTIES).blob = blob
    except KeyError:
        app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, package, blob)
        package.relate_to(app, RT.EXTENDED_PROPERTIES)


_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>reportgen</Application><PresentationFormat>{format}</PresentationFormat>"
    "<Slides>{slides}</Slides><Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)


class PptxRenderer:
    """Renders an event as a PowerPoint deck with python-pptx."""

    name: ClassVar[str] = "pptx"
    suffix: ClassVar[str] = ".pptx"

    def render(self, event: Event, options: RenderOptions, report: Reporter) -> bytes:
        """Return the .pptx bytes; warnings (split sessions, missing fonts, no room for the logo) go to
        `report`. Raises RenderError for a template that cannot be used or text that cannot fit."""
        base = _Base(options.theme)
        plan = plan_slides(event, options.theme, report, base.canvas)
        return _emit(plan, event.meta, options, base, report)


RENDERER = PptxRenderer()
