"""Theme: the fonts, colours, sizes, logo and reference documents that every renderer draws from.

A theme is a folder with a `theme.yaml` (validated with the same located errors as sources) and the files it
names. Its files are read and checked once here, and the same bytes reach all three renderers.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, NamedTuple

from .errors import Diagnostic, SourceInvalid
from .model import Check, Invalid, MaxLength, MinLength, Range
from .safefile import Unreadable, read_regular

if TYPE_CHECKING:
    from dataclasses import Field

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

_HEX = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")


def _colour(value: str) -> str:
    if not _HEX.match(value):
        raise Invalid(f'must be a colour written "#RRGGBB" or "#RGB", not {value!r}')
    digits = value[1:]
    if len(digits) == 3:
        digits = "".join(ch * 2 for ch in digits)
    return "#" + digits.upper()


Colour = Annotated[str, Check(_colour)]
"""A colour as "#RRGGBB" (upper case); "#FFF" is read as "#FFFFFF"."""

Name = Annotated[str, MinLength(1), MaxLength(200)]
Size = Annotated[float, Range(ge=4, le=200)]


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """Return "#1F4E79" as (31, 78, 121)."""
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours, from 1.0 (none) to 21.0 (black on white)."""

    def luminance(colour: str) -> float:
        def channel(c: int) -> float:
            s = c / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        r, g, b = (channel(c) for c in rgb(colour))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@dataclass(frozen=True)
class Image:
    """A checked raster image: its bytes exactly as read, its kind and pixel size, and its alt text."""

    data: bytes
    kind: Literal["png", "jpeg"]
    width: int  # pixels
    height: int  # pixels
    alt: str

    @property
    def aspect(self) -> float:
        """Width divided by height."""
        return self.width / self.height


@dataclass(frozen=True, slots=True)
class Theme:
    """One brand kit for all formats. Colours are "#RRGGBB"; sizes are points unless named otherwise."""

    name: Name = "default"
    description: Name | None = None
    # Colours
    primary: Colour = "#1B3A5C"  # headings, title slide background
    accent: Colour = "#E07A2F"  # rules, bullets, session codes
    text: Colour = "#1F2328"
    muted: Colour = "#5B6770"  # subtitles, footers, metadata lines
    background: Colour = "#FFFFFF"
    # Fonts, as named in the Word and PowerPoint files (Calibri is measured and embedded as its
    # metric-compatible twin Carlito where Calibri itself is not installed).
    heading_font: Name = "Calibri"
    body_font: Name = "Calibri"
    code_font: Name = "Courier New"  # `code` in outcomes and notes; measured and embedded as Liberation Mono
    # Tried in order for characters the heading/body fonts lack (Greek, Cyrillic, CJK, Devanagari, Arabic).
    fallback_fonts: tuple[Name, ...] = (
        "Noto Sans",
        "Noto Sans Devanagari",
        "Noto Sans Arabic",
        "Droid Sans Fallback",
        "NanumGothic",  # Hangul, which Droid Sans Fallback lacks
        "DejaVu Sans",
    )
    # Document sizes
    title_size: Size = 28
    subtitle_size: Size = 16
    heading1_size: Size = 18
    heading2_size: Size = 13
    body_size: Size = 11
    # Page
    page_size: Literal["A4", "Letter"] = "A4"
    margin_mm: Annotated[float, Range(ge=5, le=60)] = 20
    # Deck
    slide_size: Literal["16:9", "4:3"] = "16:9"
    slide_title_size: Size = 36  # every session slide's title; a long one wraps to two lines before it shrinks
    slide_max_body_size: Size = 40  # a session's outcomes: one alone, or a short list, at this size
    slide_body_size: Size = 28  # the agenda's entries
    slide_min_body_size: Annotated[float, Range(ge=14, le=60)] = 24  # smaller: continue on another slide
    footer_text: Name | None = None  # defaults to the event's title
    # Handout (the deck's slides with their notes on paper): 3 a page with the notes beside, or 2 with them below
    handout_slides_per_page: Annotated[int, Range(ge=2, le=3)] = 3
    # Files, relative to the theme's folder
    logo: Name | None = None  # PNG or JPEG
    logo_alt: Name | None = None  # required with a logo
    reference_docx: Name | None = None  # a .docx/.dotx whose styles the Word summary uses
    reference_pptx: Name | None = None  # a .pptx/.potx whose masters and layouts the deck uses

    # What load_theme() read, kept out of the settings (the validator and the schema skip "_" fields); they are
    # init fields so that dataclasses.replace() carries them over, as a copy of a loaded theme should.
    _folder: Path | None = field(default=None, kw_only=True, repr=False)
    _logo_image: Image | None = field(default=None, kw_only=True, repr=False)
    _references: tuple[tuple[str, bytes], ...] = field(default=(), kw_only=True, repr=False)
    # The keys the theme's file (or data) named: the validator fills the field whose metadata says "given".
    _named: frozenset[str] = field(
        default=frozenset(), kw_only=True, repr=False, compare=False, metadata={"given": True}
    )

    def __post_init__(self) -> None:
        """Checks across settings, so no theme (loaded, made in code or replaced) is inconsistent."""
        if self.logo and not self.logo_alt:
            raise Invalid("a logo needs 'logo_alt': the text a screen reader says for it")
        if self.slide_min_body_size > self.slide_body_size:
            raise Invalid("'slide_min_body_size' must not be larger than 'slide_body_size'")
        if self.slide_body_size > self.slide_max_body_size:
            raise Invalid("'slide_body_size' must not be larger than 'slide_max_body_size'")

    @property
    def folder(self) -> Path | None:
        """The folder the theme was loaded from; None for a theme made in code."""
        return self._folder

    @property
    def logo_image(self) -> Image | None:
        """The checked logo, read once when the theme was loaded; None when the theme has no logo."""
        return self._logo_image

    def reference(self, kind: Literal["docx", "pptx"]) -> bytes | None:
        """The bytes of the reference document for a format, read once when loaded; None when not given."""
        return dict(self._references).get(kind)

    @property
    def explicit(self) -> frozenset[str]:
        """Names of the settings the theme states itself: every key its theme.yaml names (even at the default
        value) and every setting that differs from the default; empty for DEFAULT_THEME.

        Renderers with a reference document let the template decide what the theme leaves unsaid.
        """
        changed = {f.name for f in _settings() if getattr(self, f.name) != f.default}
        return self._named | changed

    @property
    def font_families(self) -> tuple[str, ...]:
        """Every family the theme may use, in the order a character is looked up."""
        return tuple(dict.fromkeys((self.body_font, self.heading_font, *self.fallback_fonts)))

    def fingerprint(self) -> str:
        """A digest of everything in the theme that affects output: settings and file contents."""
        settings = {f.name: getattr(self, f.name) for f in _settings()}
        digest = hashlib.sha256(json.dumps([settings, sorted(self.explicit)], ensure_ascii=False).encode())
        digest.update(self._logo_image.data if self._logo_image else b"")
        for reference in sorted(self._references):
            digest.update(repr(reference).encode())
        return digest.hexdigest()

    @property
    def cover_ground(self) -> str:
        """The background of the deck's title and section slides: the primary colour, or for a theme without
        any colour (greys only, as for print and photocopies) its light page colour, so covers do not print
        as solid blocks of toner."""
        colours = (self.primary, self.accent, self.text, self.muted, self.background)
        return self.background if all(_grey(c) for c in colours) else self.primary

    @property
    def accent_text(self) -> str:
        """The accent as a colour for small text (session codes): the accent itself where it reaches WCAG AA's
        4.5:1 on the background, else the nearest darker (on a dark page lighter) shade of it that does.
        Rules, bars and bullets keep the accent itself."""
        return readable(self.accent, self.background, AA_TEXT)

    @property
    def status_colours(self) -> tuple[str, str, str, str]:
        """The colours of the four action statuses in charts (open, in progress, done, dropped): the primary,
        the accent, the muted colour and a light grey, in the PDF and the deck alike."""
        return (self.primary, self.accent, self.muted, "#C8C8C8")

    def text_pairs(self) -> list[TextPair]:
        """Every colour the renderers draw text in, on the ground it is drawn on, with the ratio it needs:
        the pairs the contrast check measures (for all three formats)."""
        ground, cover = self.background, self.cover_ground
        pairs = [
            TextPair("text", self.text, ground, AA_TEXT, "outcomes and body text"),
            TextPair("primary", self.primary, ground, AA_TEXT, "titles and headings"),
            TextPair("muted", self.muted, ground, AA_TEXT, "subtitles, moderator lines, footers"),
            TextPair("accent as text", self.accent_text, ground, AA_TEXT, "session codes"),
            TextPair("link", self.link_colour, ground, AA_TEXT, "links"),
        ]
        if cover != ground:
            # Title and section slides: the page colour as text on the primary colour.
            pairs.append(TextPair("background on primary", ground, cover, AA_TEXT, "title and section slides"))
        return pairs

    @property
    def link_colour(self) -> str:
        """The colour of links on the page: the accent, else the primary, else the text colour, the first with
        AA contrast against the background (the text colour when none has)."""
        for colour in (self.accent, self.primary, self.text):
            if contrast_ratio(colour, self.background) >= AA_TEXT:
                return colour
        return self.text

    def warnings(self) -> list[str]:
        """Accessibility warnings: each text colour that fails WCAG AA contrast on its ground, naming the pair,
        what it is used for and its ratio (`build --strict` makes them errors)."""
        found = []
        for pair in self.text_pairs():
            ratio = contrast_ratio(pair.colour, pair.ground)
            if ratio < pair.needed:
                found.append(
                    f"theme {self.name!r}: {pair.role} {pair.colour} on {pair.ground} ({pair.used_for}) has "
                    f"contrast {ratio:.1f}:1, below WCAG AA's {pair.needed:g}:1"
                )
        if self._references:  # and what the theme asks of its templates that they will not give
            from .templatecheck import template_warnings

            found.extend(template_warnings(self))
        return found


AA_TEXT = 4.5
"""WCAG AA's contrast for normal text."""
AA_LARGE = 3.0
"""WCAG AA's contrast for large text (18 pt, or 14 pt bold) and for graphics that carry meaning."""


class TextPair(NamedTuple):
    """A text colour on its ground, the contrast it needs, its role in the theme and what it is used for."""

    role: str
    colour: str
    ground: str
    needed: float
    used_for: str


def _grey(colour: str) -> bool:
    channels = rgb(colour)
    return max(channels) - min(channels) <= 16


def ink_on(ground: str) -> str:
    """Black or white, whichever has the more contrast on `ground`: text on a bar or a slide of any colour."""
    return "#000000" if contrast_ratio("#000000", ground) >= contrast_ratio("#FFFFFF", ground) else "#FFFFFF"


@functools.lru_cache(maxsize=256)  # asked for every session code and bullet of a brief; pure
def readable(colour: str, ground: str, needed: float = AA_TEXT) -> str:
    """`colour` where it reaches contrast `needed` on `ground`; else the first shade of it, mixed step by step
    (1%) towards black on a light ground or white on a dark one, that does. Keeps the hue. On a ground where
    no shade can reach it (a mid grey), the shade of best contrast."""
    if contrast_ratio(colour, ground) >= needed:
        return colour
    r, g, b = rgb(colour)
    towards = 0 if ink_on(ground) == "#000000" else 255
    best = colour
    for step in range(1, 101):
        t = step / 100
        shade = "#{:02X}{:02X}{:02X}".format(*(round(c + (towards - c) * t) for c in (r, g, b)))
        if contrast_ratio(shade, ground) >= needed:
            return shade
        best = shade
    return best


def _settings() -> tuple[Field[object], ...]:
    """The theme's settings (its public fields), in declaration order."""
    return tuple(f for f in fields(Theme) if not f.name.startswith("_"))


DEFAULT_THEME = Theme()

THEME_FILE = "theme.yaml"


def templates_dir() -> Path:
    """The folder of built-in themes: inside the installed package, or templates/ of a source checkout."""
    packaged = Path(__file__).resolve().parent / "_templates"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "templates"


def builtin_themes() -> list[str]:
    """Names of the built-in themes, sorted."""
    root = templates_dir()
    return sorted(p.parent.name for p in root.glob(f"*/{THEME_FILE}")) if root.is_dir() else []


def find_theme(spec: str, base: Path | None = None) -> Path:
    """The theme.yaml a --theme value or a source's `theme:` names: a folder or file path (relative to
    `base` when given), else a built-in name. Raises SourceInvalid listing the built-in themes."""
    candidates = [Path(spec)] if base is None else [base / spec, Path(spec)]
    for path in candidates:
        if path.is_dir() and (path / THEME_FILE).is_file():
            return path / THEME_FILE
        if path.is_file() and path.suffix.lower() in (".yaml", ".yml"):
            return path
    if re.fullmatch(r"[A-Za-z0-9_-]+", spec) and (templates_dir() / spec / THEME_FILE).is_file():
        return templates_dir() / spec / THEME_FILE
    message = f"no theme {spec!r}: not a theme folder or file, nor a built-in theme ({', '.join(builtin_themes())})"
    raise SourceInvalid([Diagnostic(spec, 1, 1, "", message)])


def load_theme(spec: str, base: Path | None = None) -> Theme:
    """Load, validate and read the files of a theme; every problem is a located SourceInvalid."""
    from .loader import MAX_SOURCE_BYTES, decode, parse_model

    path = find_theme(spec, base)
    # theme.yaml itself under the rule of the files it names: a symbolic link out of the folder is refused
    # before a byte of its target is read (or its keys and values are quoted in messages).
    text = decode(read_confined(path.parent, path.name, MAX_SOURCE_BYTES, str(path)), str(path))
    theme = parse_model(text, Theme, str(path))
    folder = path.parent
    logo: Image | None = None
    references: list[tuple[str, bytes]] = []
    problems: list[Diagnostic] = []
    if theme.logo:
        try:
            logo = read_image(folder, theme.logo, theme.logo_alt or "", str(path))
        except SourceInvalid as invalid:
            problems.extend(invalid.diagnostics)
    for kind, name in (("docx", theme.reference_docx), ("pptx", theme.reference_pptx)):
        if name:
            try:
                data = read_confined(folder, name, MAX_TEMPLATE_BYTES, str(path))
                check_package(data, name, str(path))
                references.append((kind, data))
            except SourceInvalid as invalid:
                problems.extend(invalid.diagnostics)
    if problems:
        raise SourceInvalid(problems)
    return replace(theme, _folder=folder, _logo_image=logo, _references=tuple(references))


def read_confined(folder: Path, name: str, limit: int, owner: str) -> bytes:
    """Read a file named relative to `folder`, refusing anything that could leave it or is not a plain file.

    Refused: absolute paths, ".." parts, symbolic links (anywhere on the way), devices, FIFOs, folders,
    and files over `limit` bytes. The size is checked on the open file, so nothing is read beyond it.
    """

    def refuse(message: str) -> SourceInvalid:
        return SourceInvalid([Diagnostic(owner, 1, 1, "", f"{name!r}: {message}")])

    relative = Path(name)
    if relative.is_absolute() or relative.drive or ".." in relative.parts:
        raise refuse("must be a path inside the theme's folder (no absolute paths or '..')")
    current = folder
    for part in relative.parts:
        current = current / part
        if current.is_symlink():
            raise refuse("is a symbolic link; copy the file into the theme's folder instead")
    try:
        return read_regular(current, limit, follow_links=False)
    except Unreadable as why:
        raise refuse(str(why)) from None


def check_package(data: bytes, name: str, owner: str) -> None:
    """Refuse a reference document that is not a zip package or that unpacks beyond MAX_UNPACKED_BYTES."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(item.file_size for item in package.infolist())
            if "[Content_Types].xml" not in package.namelist():
                raise zipfile.BadZipFile("no [Content_Types].xml")
    except (zipfile.BadZipFile, ValueError) as error:
        message = f"{name!r}: is not a Word or PowerPoint document ({error})"
        raise SourceInvalid([Diagnostic(owner, 1, 1, "", message)]) from None
    if unpacked > MAX_UNPACKED_BYTES:
        message = f"{name!r}: unpacks to {unpacked:,} bytes; templates are limited to {MAX_UNPACKED_BYTES:,}"
        raise SourceInvalid([Diagnostic(owner, 1, 1, "", message)])


def read_image(folder: Path, name: str, alt: str, owner: str) -> Image:
    """Read and check a PNG or JPEG logo: kind from its bytes, pixel size from its header, caps before decoding."""
    data = read_confined(folder, name, MAX_IMAGE_BYTES, owner)

    def refuse(message: str) -> SourceInvalid:
        return SourceInvalid([Diagnostic(owner, 1, 1, "", f"{name!r}: {message}")])

    size = image_size(data)
    if size is None:
        if data.lstrip()[:5] in (b"<?xml", b"<svg ") or name.lower().endswith(".svg"):
            raise refuse("SVG logos are not supported; export the logo as PNG")
        raise refuse("is not a PNG or JPEG image")
    kind, width, height = size
    if width <= 0 or height <= 0 or width * height > MAX_IMAGE_PIXELS:
        raise refuse(f"is {width}x{height} pixels; images are limited to {MAX_IMAGE_PIXELS:,} pixels")
    problem = _undecodable(data, kind, width, height)
    if problem:
        raise refuse(f"is a damaged {kind.upper()} image ({problem}); export it again")
    return Image(data, kind, width, height, alt)


def _undecodable(data: bytes, kind: str, width: int, height: int) -> str | None:
    """Why the image cannot be decoded in full, or None: every pixel is decoded once here (its size is capped
    already), so that a valid header over corrupt data fails the theme, not a renderer, nor reaches a .docx."""
    import io

    from PIL import Image as Picture  # Pillow, which python-pptx and reportlab require; only for a logo

    try:
        with Picture.open(io.BytesIO(data), formats=["PNG" if kind == "png" else "JPEG"]) as picture:
            if picture.size != (width, height):
                return f"its header says {width}x{height} pixels, its data {picture.size[0]}x{picture.size[1]}"
            picture.load()
    except Exception as error:  # Pillow raises OSError, SyntaxError, ValueError, EOFError... for bad data
        return str(error) or type(error).__name__
    return None


def image_size(data: bytes) -> tuple[Literal["png", "jpeg"], int, int] | None:
    """Kind and pixel size read from a PNG or JPEG header, without decoding; None for anything else."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return "png", int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            length = int.from_bytes(data[i + 2 : i + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height = int.from_bytes(data[i + 5 : i + 7], "big")
                width = int.from_bytes(data[i + 7 : i + 9], "big")
                return "jpeg", width, height
            i += 2 + length
    return None
