"""The PDF brief renderer: the only module that imports reportlab.

Text is laid out by `_pdf_text` (font fallback, HarfBuzz shaping, bidi order) and drawn here glyph by
glyph into reportlab's embedded TrueType subsets, so every script prints with the theme's fonts. The
brief is laid out in one pass: each page's "Page X of Y" footer is drawn when the document is saved.
"""

from __future__ import annotations

import functools
import hashlib
import io
import marshal
import os
import re
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from fnmatch import fnmatch
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.units import cm, mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFStream, PDFZCompress
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace, unShapedFontGlob
from reportlab.pdfgen.canvas import Canvas

from .. import __version__, fonts
from ..errors import RenderError
from ..scripts import is_rtl
from ..theme import rgb
from . import _pdf_text as text
from . import kept_outcomes
from ._pdf_text import Line, Shaped, Span

if TYPE_CHECKING:
    from pathlib import Path

    from ..errors import Reporter
    from ..model import Event, Session, Words
    from ..options import RenderOptions
    from ..theme import Image, Theme

PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "Letter": LETTER}
"""Paper names RenderOptions.page_size may give -> (width, height) in points."""

BULLET = "•"
SEPARATOR = " · "  # between the date, venue and organiser of the title block
LOGO_HEIGHT: float = 1.5 * cm

# reportlab subsets fonts by character; a shaped glyph that stands for no single character of its own
# (a conjunct, a contextual form, a vowel sign drawn before its consonant) is drawn under a key from
# here up, given per document in order of use: outside any character a font maps in practice.
_GLYPH_KEYS = 0xF0000


# -- fonts -----------------------------------------------------------------------------------------


class _Stack(NamedTuple):
    """A font stack: (family, file) in the order characters look for a glyph, and the files alone, first
    choice first (one tuple, however often asked for: the shaping cache names a stack by its id)."""

    entries: tuple[tuple[str, Path], ...]
    paths: tuple[Path, ...]

    @classmethod
    def of(cls, entries: list[tuple[str, Path]]) -> _Stack:
        """The stack of these (family, file) entries."""
        return cls(tuple(entries), tuple(path for _, path in entries))

    def describe(self) -> str:
        """The families and files tried, for error messages."""
        return ", ".join(f"{family} ({path.name})" for family, path in self.entries)


class _Stacks(NamedTuple):
    """The four stacks the brief is set in: body and heading text, regular and bold."""

    body: _Stack
    body_bold: _Stack
    heading: _Stack
    heading_bold: _Stack


def _stacks(theme: Theme, report: Reporter) -> _Stacks:
    def stack(family: str, bold: bool) -> _Stack:
        first, exact = fonts.require_font(family, bold=bold)
        if not exact:
            # One message per family (the reporter drops repeats), whichever of its faces fell back.
            report.warning(f"font {family!r} is not installed; the PDF uses {fonts.FALLBACK_FAMILY} instead")
        entries = [(family if exact else fonts.FALLBACK_FAMILY, first)]
        # The theme's fallbacks come before the other role's face: a serif text whose face lacks Greek
        # falls back to the serif fallback the theme names, not to the sans-serif heading face.
        families = (family, *theme.fallback_fonts, *theme.font_families)
        for other, path in fonts.font_stack(families, bold=bold):
            if all(path != p for _, p in entries):
                entries.append((other, path))
        return _Stack.of(entries)

    return _Stacks(
        body=stack(theme.body_font, False),
        body_bold=stack(theme.body_font, True),
        heading=stack(theme.heading_font, False),
        heading_bold=stack(theme.heading_font, True),
    )


class _Font(TTFont):  # type: ignore[misc]  # reportlab ships no types
    """A TrueType font drawn glyph by glyph, with a ToUnicode map that reads back as the text.

    A glyph that is its character's own glyph is drawn under that character. Any other glyph is drawn
    under a key of its own for each text it stands for, so its ToUnicode entry can name a whole cluster
    (a conjunct "श्र", or "नि" on the vowel sign drawn first) or nothing (the rest of a cluster). This
    is how LibreOffice writes shaped text: text extractors read clusters in the order they are drawn.
    """

    def __init__(self, name: str, path: Path, cache_dir: Path | None = None) -> None:
        kept = _face_file(path, cache_dir) if cache_dir is not None else None
        face = _cached_face(path, kept) if kept is not None else None
        if face is None:
            super().__init__(name, str(path))
            if kept is not None:
                _keep_face(self.face, kept)
        else:
            # What TTFont.__init__ does (reportlab 5.1), with a face parsed by an earlier run; a test holds
            # the two ways to the same attributes.
            self.fontName, self.encoding = name, TTEncoding()
            self.face: Any = face
            self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
            self._asciiReadable = rl_config.ttfAsciiReadable
            self.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
        self._taken = {code for code in self.face.charToGlyph if code >= _GLYPH_KEYS}
        # Per document: (glyph, text) -> key, in order of use; the keys are lent to the face until the
        # document's font objects are written.
        self._keys: WeakKeyDictionary[Any, dict[tuple[int, str, float], int]] = WeakKeyDictionary()

    def key(self, gid: int, stands_for: str, doc: Any, width: float | None = None) -> int:
        """The key to draw glyph `gid` under in `doc` so that it extracts as `stands_for`, with `width` as
        its width in the PDF (thousandths of the size; None: its advance in the font)."""
        face = self.face
        own = len(stands_for) == 1 and stands_for != "\xa0" and face.charToGlyph.get(ord(stands_for)) == gid
        if own and width is None:  # the character's own glyph: drawn under the character
            return ord(stands_for)
        width = face._pdfScale(face.hmetrics[gid][0]) if width is None else round(width, 1)
        keys = self._keys.setdefault(doc, {})
        key = keys.get((gid, stands_for, width))
        if key is None:
            key = _GLYPH_KEYS + len(keys)
            while key in self._taken:
                key += 0x10000  # the font maps characters this high; look in the next plane
            keys[(gid, stands_for, width)] = key
            face.charToGlyph[key] = gid
            face.charWidths[key] = width
        return key

    def addObjects(self, doc: Any) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        texts = {key: text for (_, text, _), key in self._keys.pop(doc, {}).items()}
        super().addObjects(doc)
        for key in texts:  # give the keys back
            del self.face.charToGlyph[key], self.face.charWidths[key]
        # reportlab writes one code point per code (and supplementary ones wrongly): write the text each
        # code stands for, in UTF-16, at most 100 entries per block as the CMap format asks.
        fonts_dict = doc.idToObject["BasicFonts"].dict
        for name, subset in zip(names, subsets, strict=True):
            stream = doc.idToObject[fonts_dict[name].ToUnicode.name]
            stream.content = _to_unicode(stream.content, subset, texts)


def _to_unicode(original: str, subset: list[int], texts: dict[int, str]) -> str:
    head = original[: original.index("endcodespacerange") + len("endcodespacerange")]
    pairs = []
    for code, key in enumerate(subset):
        value = texts[key] if key in texts else chr(key) if key else ""
        if value:
            pairs.append(f"<{code:02X}> <{value.encode('utf-16-be').hex().upper()}>")
    blocks = [pairs[i : i + 100] for i in range(0, len(pairs), 100)]
    body = [f"{len(b)} beginbfchar\n" + "\n".join(b) + "\nendbfchar" for b in blocks]
    tail = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    return "\n".join([head, *body, tail])


def _font_name(path: Path) -> str:
    # Named after the file, not the family, so two themes can never map one name to different files.
    digest = hashlib.sha1(str(path).encode(), usedforsecurity=False).hexdigest()[:8]
    return f"reportgen-{path.stem}-{digest}"


# -- parsed faces kept between runs ---------------------------------------------------------------------
# reportlab parses a TrueType file's tables in Python (about 8 ms for Carlito), in every process that embeds
# it. The parsed face, less the file's bytes, is kept in the cache folder under a key naming the file (path,
# size, modification time, inode) and both versions; a run reads it back in a third of the time. The
# cache only saves time: whatever is wrong with it (missing, unreadable, another user's, damaged) means the
# file is parsed again, and the PDF is the same bytes either way (tested).

_FACE_SKIP = frozenset({"_ttf_data", "_pdfScale"})  # the file's bytes, and a lambda made from unitsPerEm


def _face_file(path: Path, cache_dir: Path) -> Path | None:
    """Where the parsed face of `path` is kept in `cache_dir`; None when the font file cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    key = f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ino}\0{REPORTLAB_VERSION}\0{__version__}"
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return cache_dir / "fonts" / f"{digest}.marshal"


def _cached_face(path: Path, file: Path) -> Any:
    """The face of `path` as an earlier run kept it in `file` (see _face_file), or None when there is no
    usable copy."""
    try:
        handle = os.open(file, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(handle, "rb") as source:
            info = os.fstat(source.fileno())
            # marshal builds plain values only, but is not meant for hostile data: read only what this user
            # wrote and nobody else can change.
            if info.st_uid != getattr(os, "geteuid", lambda: info.st_uid)() or info.st_mode & 0o022:
                return None
            state = marshal.loads(source.read())
        data = path.read_bytes()
        if not isinstance(state, dict) or len(data) != state.pop("_size", None):
            return None
        for key in state.pop("_names"):
            state[key] = TTFNameBytes(state[key])
    except Exception:  # a damaged or foreign cache file is no reason to fail: parse the font instead
        return None
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    face._ttf_data = data
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else functools.partial(_scaled, 1000 / units)
    return face


def _scaled(factor: float, x: float) -> float:
    return x * factor  # as reportlab's own scale: x*_1000mult


def _keep_face(face: Any, file: Path) -> None:
    """Store a freshly parsed face in `file` for later runs; any failure to do so is silently left at that."""
    state = {key: value for key, value in face.__dict__.items() if key not in _FACE_SKIP}
    names = [key for key, value in state.items() if isinstance(value, TTFNameBytes)]
    state.update({key: bytes(state[key]) for key in names}, _names=names, _size=len(face._ttf_data))
    try:
        blob = marshal.dumps(state)  # ValueError if reportlab ever keeps a value marshal cannot hold
        file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=file.parent, prefix=".face.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(blob)
            os.replace(temp, file)
        except BaseException:
            os.unlink(temp)
            raise
    except Exception:  # a read-only home, a full disk: the next run parses the font again
        return


_REGISTERED: dict[Path, _Font] = {}


def _register(path: Path, cache_dir: Path | None = None) -> _Font:
    """Register a TrueType file with reportlab (once per process) and return the font."""
    font = _REGISTERED.get(path)
    if font is not None:
        return font
    name = _font_name(path)
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(_Font(name, path, cache_dir))
        except Exception as error:  # reportlab raises bare TTFError/KeyError for unusable files
            raise RenderError(f"cannot embed the font file {path}: {error}") from error
    font = pdfmetrics.getFont(name)
    assert isinstance(font, _Font)
    _REGISTERED[path] = font
    return font


def _check_coverage(event: Event, theme: Theme, stacks: _Stacks) -> None:
    """Raise RenderError naming every character that no font of its stack has (it would print as a box)."""
    meta = event.meta
    wanted: dict[_Stack, list[str]] = {}

    def need(stack: _Stack, *texts: str | None) -> None:
        wanted.setdefault(stack, []).extend(t for t in texts if t)

    need(stacks.heading_bold, meta.title, text.ELLIPSIS)
    need(stacks.heading, meta.subtitle)
    need(stacks.body, meta.date, meta.venue, meta.organiser, SEPARATOR, BULLET, theme.footer_text or meta.title)
    words = meta.words
    need(stacks.body, text.ELLIPSIS, words.page_of("0123456789", ""))
    for day in event.days:
        need(stacks.heading_bold, day.title)
        for session in day.sessions:
            need(stacks.heading_bold, session.heading)
            if session.moderator:
                need(stacks.body_bold, words.moderator)
            if session.rapporteur:
                need(stacks.body_bold, words.rapporteur)
            need(stacks.body, session.moderator, session.rapporteur, *session.outcomes)
    problems = []
    for stack, texts in wanted.items():
        # Default-ignorable characters (joiners, direction marks, variation selectors) are never drawn.
        chars = "".join(ch for ch in set("".join(texts)) if not text.ignorable(ch))
        # As fonts.uncovered, by the character maps HarfBuzz shapes with (read far faster than fontTools
        # reads the metrics that fonts.uncovered needs).
        missing = sorted(
            {ch for ch in chars if not ch.isspace() and not any(text.covered(ch, path) for path in stack.paths)}
        )
        if missing:
            listed = ", ".join(f"U+{ord(ch):04X} {ch!r}" for ch in missing)
            problems.append(f"no font has a glyph for {listed} (tried: {stack.describe()})")
    if problems:
        raise RenderError(
            "; ".join(dict.fromkeys(problems)) + "; add a font that has them to the theme's fallback_fonts"
        )


# -- text ------------------------------------------------------------------------------------------


class _Style(NamedTuple):
    """How a paragraph is set: sizes and spacing in points."""

    size: float
    leading: float
    space_before: float = 0.0
    space_after: float = 0.0
    keep_with_next: bool = False
    indent: float = 0.0  # from the start side (left, or right in a right-to-left paragraph)
    bullet_indent: float = 0.0


class _Setter:
    """Shapes the brief's paragraphs for one render, each text once for both passes."""

    def __init__(self, stacks: _Stacks, language: str) -> None:
        self.stacks, self.language = stacks, language
        self.cache: dict[tuple[Any, ...], Shaped] = {}
        self.fitted: dict[tuple[Any, ...], Line] = {}
        # The font stacks of the spans seen, by id: the keys name a stack by its id, which is cheap to hash
        # (hashing a tuple of paths is not), and keeping the stack here keeps its id from being reused.
        self.stack_ids: dict[int, tuple[Path, ...]] = {}

    def _key(self, spans: list[Span]) -> tuple[tuple[str, int, str], ...]:
        for span in spans:
            self.stack_ids.setdefault(id(span.fonts), span.fonts)
        return tuple([(span.text, id(span.fonts), span.colour) for span in spans])

    def shape(self, spans: list[Span], size: float, rtl: bool | None = None, keep: bool = True) -> Shaped:
        """The spans shaped at `size` points; `rtl` None takes the direction from the text. `keep`: keep
        the result for the next call with the same text (for texts that recur, as footers do)."""
        if not keep:
            return self._shape(spans, size, rtl)
        key = (self._key(spans), size, rtl)
        shaped = self.cache.get(key)
        if shaped is None:
            shaped = self.cache[key] = self._shape(spans, size, rtl)
        return shaped

    def _shape(self, spans: list[Span], size: float, rtl: bool | None) -> Shaped:
        try:
            return text.shape(spans, size, self.language, rtl)
        except text.LayoutError as error:
            raise _render_error(spans, error) from None

    def fit(self, spans: list[Span], size: float, width: float) -> Line:
        """The spans as one line, shortened with an ellipsis to fit `width` points."""
        key = (self._key(spans), size, width)
        line = self.fitted.get(key)
        if line is None:
            try:
                line = self.fitted[key] = text.fit(spans, size, self.language, width)
            except text.LayoutError as error:
                raise _render_error(spans, error) from None
        return line


def _render_error(spans: list[Span], error: text.LayoutError) -> RenderError:
    whole = "".join(s.text for s in spans)
    return RenderError(f"cannot set {whole!r} in the PDF: {error}")


def _draw_line(canvas: Canvas, line: Line, x: float, y: float, size: float) -> None:
    """Draw a laid-out line with its left end at x and its baseline at y, glyph by glyph, left to right.

    Right-to-left runs are drawn in visual order, as every PDF writer does; text extractors put them
    back in reading order themselves.
    """
    ops: list[str] = ["BT"]
    colour, current = "", [""]  # the fill colour and the font resource in force
    pen = x
    doc = canvas._doc
    for run in line.runs:
        font = _register(run.font, canvas.font_cache)
        if run.colour != colour:
            colour = run.colour
            ops.append(_fill(colour))
        # Each run starts where the shaped advances put it, so rounding never accumulates.
        ops.append(f"1 0 0 1 {pen:.3f} {y:.3f} Tm")
        _show(ops, run, font, size, doc, current)
        pen += run.width
    # Moving to the next line ends this one for text extractors; nothing is drawn there.
    ops.append(f"{size:g} TL T*")
    ops.append("ET")
    # In a graphics state of its own, as canvas.saveState()/restoreState() would write it (which would
    # also copy the canvas's own state, unchanged here, back and forth).
    canvas.addLiteral("q\n" + "\n".join(ops) + "\nQ")


@functools.cache
def _fill(colour: str) -> str:
    """The operator that sets the fill colour "#RRGGBB"."""
    return "{:.4f} {:.4f} {:.4f} rg".format(*(c / 255 for c in rgb(colour)))


class _Codes:
    """What the glyphs of one font at one size drawn so far in one document are shown with: for each
    (glyph, text it extracts as, advance in points), its TJ operands and its font resource."""

    def __init__(self, font: _Font, doc: Any, size: float) -> None:
        self.font, self.doc, self.size = font, doc, size
        self.operands: dict[tuple[int, str, float], str] = {}
        self.names: dict[tuple[int, str, float], str] = {}
        self.subsets: set[str] = set()

    def add(self, glyph: tuple[int, str, float]) -> str:
        """Give a glyph drawn for the first time its code, and return its operands."""
        gid, stands_for, advance = glyph
        font, doc = self.font, self.doc
        key = font.key(gid, stands_for, doc)
        ((subset, code),) = font.splitString(chr(key), doc)
        name = font.getSubsetInternalName(subset, doc)
        # As _show_moved writes it: the code, then the correction from its width in the font to the
        # shaped advance.
        width = font.face.charWidths.get(key, font.face.defaultWidth)
        advance = advance * 1000 / self.size
        operands = f"<{code.hex().upper()}>"
        if abs(width - advance) > 0.05:
            operands += f" {width - advance:.1f}"
        self.operands[glyph], self.names[glyph] = operands, name
        self.subsets.add(name)
        return operands


# Per document: (font name, size) -> the codes given so far.
_CODES: WeakKeyDictionary[Any, dict[tuple[str, float], _Codes]] = WeakKeyDictionary()


def _show(ops: list[str], run: text.Run, font: _Font, size: float, doc: Any, current: list[str]) -> None:
    """Add the operators that show a run's glyphs at HarfBuzz's positions from the current text position;
    `current` holds the font resource in force, and is updated."""
    if not run.gids:
        return
    if run.offsets is None and run.counts is None:
        # No glyph moved off the pen and each a cluster of its own, so standing for its characters (see
        # _glyph_texts): what _show_moved would write for a glyph is known once it has been drawn.
        per_doc = _CODES.setdefault(doc, {})
        codes = per_doc.get((font.fontName, size))
        if codes is None:
            codes = per_doc[(font.fontName, size)] = _Codes(font, doc, size)
        known, add = codes.operands.get, codes.add
        glyphs = list(zip(run.gids, run.parts, run.advances, strict=True))
        operands = [known(glyph) or add(glyph) for glyph in glyphs]
        if len(codes.subsets) == 1:
            (name,) = codes.subsets
            if name != current[0]:
                ops.append(f"{name} {size:g} Tf")
                current[0] = name
            ops.append("[" + " ".join(operands) + "] TJ")
            return
        array: list[str] = []
        for glyph, operand in zip(glyphs, operands, strict=True):
            name = codes.names[glyph]
            if name != current[0]:
                if array:
                    ops.append("[" + " ".join(array) + "] TJ")
                    array.clear()
                ops.append(f"{name} {size:g} Tf")
                current[0] = name
            array.append(operand)
        ops.append("[" + " ".join(array) + "] TJ")
        return
    _show_moved(ops, run, font, size, doc, current)


def _show_moved(ops: list[str], run: text.Run, font: _Font, size: float, doc: Any, current: list[str]) -> None:
    """_show for any run: glyphs moved off the pen (marks), and clusters of several glyphs."""
    array: list[str] = []  # the open TJ array
    rise = 0.0

    def flush() -> None:
        if array:
            ops.append("[" + " ".join(array) + "] TJ")
            array.clear()

    for glyph, wanted in zip(run.glyphs, _glyph_texts(run, font), strict=True):
        advance, dx = glyph.advance * 1000 / size, glyph.dx * 1000 / size
        # A glyph moved left of the pen (a mark over its base) is given, as its width in the PDF, the
        # distance back to where the pen must go on: so no TJ number moves the pen right, which text
        # extractors would read as a space inside the word.
        width = advance - dx if dx and advance - dx > 0 else None
        key = font.key(glyph.gid, wanted, doc, width)
        ((subset, code),) = font.splitString(chr(key), doc)
        name = font.getSubsetInternalName(subset, doc)
        if name != current[0]:
            flush()
            ops.append(f"{name} {size:g} Tf")
            current[0] = name
        if glyph.dy != rise:  # a mark placed above or below its base
            flush()
            rise = glyph.dy
            ops.append(f"{rise:.3f} Ts")
        # TJ numbers are thousandths of the size, subtracted from the pen: move by the glyph's offset,
        # show it (the pen advances by its width in the font), then correct to the shaped advance.
        width = font.face.charWidths.get(key, font.face.defaultWidth)
        if dx:
            array.append(f"{-dx:.1f}")
        array.append(f"<{code.hex().upper()}>")
        if abs(width - advance + dx) > 0.05:
            array.append(f"{width - advance + dx:.1f}")
    flush()
    if rise:
        ops.append("0 Ts")


def _glyph_texts(run: text.Run, font: _Font) -> list[str]:
    """The text each glyph of the run extracts as, left to right, so that text extractors read every
    cluster back in logical order.

    A cluster whose glyphs are its characters' own glyphs, one each, reads as those characters. In any
    other cluster (a conjunct, a contextual form, a vowel sign drawn before its consonant) the glyphs
    take its characters in reading order, one each and the rest on the last; right-to-left clusters
    are read from their last glyph drawn, as extractors read right-to-left text. A glyph left without
    a character (more glyphs than characters) reads as a zero-width non-joiner, never as nothing, since
    extractors print codes with no ToUnicode entry as whatever their byte means in some encoding.
    """
    result: list[str] = []
    cmap = font.face.charToGlyph
    for chars, glyphs in run.clusters:
        if not glyphs:
            continue
        gids = [glyph.gid for glyph in glyphs]
        nominal = [cmap.get(ord(ch)) for ch in chars]
        if gids == nominal:
            result += list(chars)
        elif gids == nominal[::-1]:  # a right-to-left cluster, drawn last character first
            result += list(reversed(chars))
        else:
            n = len(glyphs)
            parts = [*chars[: n - 1], chars[n - 1 :]] if len(chars) >= n else [*chars] + ["\u200c"] * (n - len(chars))
            result += parts[::-1] if run.rtl else parts
    return result


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
    left, with an optional bullet hanging in the indent and an optional outline entry.

    It is shaped when first laid out, not before, and the shaping goes when the paragraph is drawn and
    dropped: so a long brief holds the glyphs of the paragraphs on one page at a time, not of all.
    """

    # No single line of a paragraph is left alone at the foot or the head of a page.
    LEAST_LINES = 2

    def __init__(
        self,
        setter: _Setter,
        spans: list[Span],
        style: _Style,
        bullet: Line | None = None,
        outline: tuple[str, str, int] | None = None,
        rtl: bool | None = None,
        lines: list[Line] | None = None,
        shaped: Shaped | None = None,
    ) -> None:
        self.setter, self.spans, self.style, self.bullet, self.outline = setter, spans, style, bullet, outline
        self.direction = rtl  # None: the text's own
        self._shaped = shaped
        self.fixed = lines
        self.lines: list[Line] = lines or []
        self.width = self.height = 0.0
        self.space_before, self.space_after = style.space_before, style.space_after
        self.keep_with_next = style.keep_with_next

    def __str__(self) -> str:
        whole = "".join(span.text for span in self.spans)
        return f"the paragraph {whole if len(whole) <= 60 else whole[:59] + text.ELLIPSIS!r}"

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
        return [
            _Text(self.setter, self.spans, first_style, self.bullet, self.outline, self.direction, head, self.shaped),
            _Text(self.setter, self.spans, rest_style, None, None, self.direction, tail, self.shaped),
        ]

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
        if self.outline is not None:
            key, title, level = self.outline
            canvas.bookmarkHorizontal(key, left, bottom + self.height)
            canvas.addOutlineEntry(title, key, level=level, closed=False)
        if self.bullet is not None and self.lines:
            y = self.height - style.size
            x = self.width - style.bullet_indent - self.bullet.width if self.rtl else style.bullet_indent
            _draw_line(canvas, self.bullet, x, y, style.size)
        for i, line in enumerate(self.lines):
            y = self.height - style.size - i * style.leading
            x = self.width - style.indent - line.width if self.rtl else style.indent
            _draw_line(canvas, line, x, y, style.size)


class _Logo(_Block):
    """The theme's logo, drawn from its bytes in memory, inside a marked-content span carrying its alt
    text (PDF 32000-1 §14.9.3: /Alt in a /Span property list), since reportlab writes no tagged PDF."""

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
        canvas.addLiteral(f"/Span <</Alt <FEFF{alt}>>> BDC")
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
        canvas.saveState()
        canvas.translate(x, y)
        canvas.saveState()
        canvas.setLineWidth(self.thickness)
        canvas.setLineCap(1)
        canvas.setStrokeColor(self.colour)
        canvas.line(0, 0, self.width, 0)
        canvas.restoreState()
        canvas.restoreState()


# -- story -----------------------------------------------------------------------------------------


def _story(event: Event, theme: Theme, setter: _Setter) -> Iterator[_Block]:
    """The blocks of the brief, in order, made as they are asked for."""
    stacks = setter.stacks
    meta = event.meta
    words = meta.words  # resolved once: the property merges the source's labels on every call
    small = theme.body_size * 0.85

    def para(
        spans: list[Span],
        style: _Style,
        bullet: Line | None = None,
        outline: tuple[str, str, int] | None = None,
        rtl: bool | None = None,
    ) -> _Text:
        return _Text(setter, spans, style, bullet, outline, rtl)

    def plain(value: str, stack: _Stack, colour: str) -> list[Span]:
        return [Span(value, stack.paths, colour)]

    title = para(
        plain(meta.title, stacks.heading_bold, theme.primary),
        _Style(theme.title_size, theme.title_size * 1.15, space_after=theme.title_size * 0.2),
    )
    if theme.logo_image is not None:
        yield _Logo(theme.logo_image, title.rtl, space_after=theme.title_size * 0.4)
    yield title
    if meta.subtitle:
        style = _Style(theme.subtitle_size, theme.subtitle_size * 1.25, space_after=theme.subtitle_size * 0.35)
        yield para(plain(meta.subtitle, stacks.heading, theme.muted), style)
    details = [item for item in (meta.date, meta.venue, meta.organiser) if item]
    if details:
        yield para(plain(SEPARATOR.join(details), stacks.body, theme.muted), _Style(small, small * 1.35))
    yield _Rule(1.5, HexColor(theme.accent), space_before=theme.body_size * 0.6, space_after=theme.body_size * 0.2)
    h1, h2, body = theme.heading1_size, theme.heading2_size, theme.body_size
    day_style = _Style(h1, h1 * 1.2, space_before=h1 * 0.9, space_after=h1 * 0.25, keep_with_next=True)
    session_style = _Style(h2, h2 * 1.2, space_before=h2 * 0.9, space_after=h2 * 0.2, keep_with_next=True)
    people_style = _Style(small, small * 1.3, space_after=body * 0.3, keep_with_next=True)
    # The hanging indent: wrapped lines align with the text, not with the bullet.
    outcome_style = _Style(body, body * 1.3, space_after=body * 0.3, indent=body * 1.4, bullet_indent=body * 0.3)
    kept_outcome_style = outcome_style._replace(keep_with_next=True)
    bullet = setter.shape(plain(BULLET, stacks.body, theme.accent), body).line()
    for d, day in enumerate(event.days):
        day_spans = plain(day.title, stacks.heading_bold, theme.primary)
        yield para(day_spans, day_style, outline=(f"day{d}", day.title, 0))
        for s, session in enumerate(day.sessions):
            # The direction of a session's heading is its title's: the code is only a label.
            rtl = is_rtl(session.title)
            outline = (f"day{d}.session{s}", session.heading, 1)
            yield para(_session_heading(session, theme, stacks), session_style, outline=outline, rtl=rtl)
            if people := _people(session, theme, stacks, words):
                yield para(people, people_style)
            # One paragraph per outcome, so a long session may still break between outcomes.
            for outcome, kept in kept_outcomes(session.outcomes):
                style = kept_outcome_style if kept else outcome_style
                yield para(plain(outcome, stacks.body, theme.text), style, bullet)


def _session_heading(session: Session, theme: Theme, stacks: _Stacks) -> list[Span]:
    """Session.heading as spans: the code in the accent colour, then the title."""
    fonts_ = stacks.heading_bold.paths
    return [Span(f"{session.code}:", fonts_, theme.accent), Span(f" {session.title}", fonts_, theme.primary)]


def _people(session: Session, theme: Theme, stacks: _Stacks, words: Words) -> list[Span]:
    """The moderator/rapporteur line as spans: bold labels (in the event's language), plain names; [] when
    neither is given."""
    spans: list[Span] = []
    for label, name in ((words.moderator, session.moderator), (words.rapporteur, session.rapporteur)):
        if name:
            if spans:
                spans.append(Span(SEPARATOR, stacks.body.paths, theme.muted))
            spans.append(Span(label, stacks.body_bold.paths, theme.muted))
            spans.append(Span(f" {name}", stacks.body.paths, theme.muted))
    return spans


# -- document --------------------------------------------------------------------------------------


class PdfRenderer:
    """Renders an event as a compact, printable PDF brief with an outline and a running footer."""

    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = ".pdf"

    def render(self, event: Event, options: RenderOptions, report: Reporter) -> bytes:
        """Return the PDF; warn when a font family is not installed.

        Raises RenderError for an unknown page size, when no usable TrueType font exists, when a
        character has no glyph in any font of the theme, or when text cannot be set correctly.
        """
        theme = options.theme
        if options.page_size not in PAGE_SIZES:
            choices = ", ".join(PAGE_SIZES)
            raise RenderError(f"unknown page size {options.page_size!r} (choose from: {choices})")
        stacks = _stacks(theme, report)
        _check_coverage(event, theme, stacks)
        return _stamp_id(_build(event, options, _Setter(stacks, event.meta.language)))


RENDERER = PdfRenderer()


def _build(event: Event, options: RenderOptions, setter: _Setter) -> bytes:
    """Lay out and write the whole brief; return the PDF."""
    theme = options.theme
    meta = event.meta
    margin = theme.margin_mm * mm
    out = io.BytesIO()
    canvas = _Canvas(
        _Footer(theme.footer_text or meta.title, meta.words, theme, setter),
        options.cache_dir,
        out,
        pagesize=PAGE_SIZES[options.page_size],
        # invariant: reportlab takes nothing from the clock; the dates come from options.timestamp below.
        invariant=1,
        # The canvas would otherwise open with Helvetica, putting a standard-14 font in the file.
        initialFontName=_register(setter.stacks.body.paths[0], options.cache_dir).fontName,
        lang=meta.language,
    )
    canvas.setTitle(meta.title)
    canvas.setAuthor(meta.organiser or "")
    canvas.setSubject(meta.subtitle or "")
    canvas.setCreator("reportgen")
    canvas.setViewerPreference("DisplayDocTitle", "true")
    date = _pdf_date(options.timestamp)
    # Both CreationDate and ModDate are written through this formatter.
    canvas.setDateFormatter(lambda *_: date)
    canvas.showOutline()
    _Pages(canvas, margin).lay(_story(event, theme, setter))
    canvas.save()
    return out.getvalue()


class _Pages:
    """Lays the brief's blocks down the text area of page after page, as reportlab's platypus laid them
    in one frame inside the margins; platypus took 50-70 ms to import, for far more than a brief needs.

    A block goes below the one before, separated by the larger of the room kept below that one and
    above this one; at the top of a page the room above is dropped. A block that does not fit is split
    (a paragraph keeps no single line alone at either end) or moved to the next page. A run of blocks
    kept with the next one moves to the next page when it does not fit together with the least of that
    one a page may end with (a paragraph's first two lines, or all of a block that cannot be broken),
    unless it would not fit on an empty page either: then its blocks are laid one by one from where they
    are.
    The story is taken as it is laid, so only the blocks of a run and the one after it are ever held.
    """

    FUZZ = 1e-6  # how far a block may reach below the foot of the text area, against rounding

    def __init__(self, canvas: _Canvas, margin: float) -> None:
        self.canvas = canvas
        page_width, page_height = canvas._pagesize
        # The text area as platypus worked it out from the page size and margins, so every position is
        # the same floating-point number as before.
        width: float = (page_width - margin) - margin
        height: float = (page_height - margin) - margin
        self.left, self.bottom, self.top = margin, margin, margin + height
        self.width = (margin + width) - margin
        self.y = self.top  # where the next block's room above starts
        self.at_top = True  # nothing laid on this page yet
        self.after = 0.0  # the room kept below the last block laid
        canvas.keep_room_for_footer()

    def lay(self, story: Iterable[_Block]) -> None:
        """Lay every block of the story and end the last page (the document is then ready to save).

        Raises RenderError when a block that cannot be split is taller than the text area.
        """
        blocks = iter(story)
        waiting: deque[_Block] = deque()  # taken from the story, or split off a paragraph, and not laid yet

        def have(n: int) -> bool:
            """Whether n blocks wait, once as many as needed are taken from the story."""
            while len(waiting) < n and (block := next(blocks, None)) is not None:
                waiting.append(block)
            return len(waiting) >= n

        while have(1):
            if waiting[0].keep_with_next:
                n = 1  # the run, and the block after it
                while waiting[n - 1].keep_with_next and have(n + 1):
                    n += 1
                run = [waiting[i] for i in range(n)]
                for block in run[:-1]:  # from here on they are laid one by one
                    block.keep_with_next = False
                room = self._room(run[0])
                if not self.at_top and (room <= 0 or self._height(run) > room):
                    self._new_page()
                continue
            block = waiting.popleft()
            if self._place(block):
                continue
            room = self._room(block)
            parts = block.split(self.width, room) if room > 0 else []
            if parts:
                head, *rest = parts
                if not self._place(head):
                    raise RuntimeError(f"{head} was split to fit the page but does not fit")
                waiting.extendleft(reversed(rest))
            elif self.at_top:
                raise RenderError(f"{block} is taller than a page; choose smaller sizes or margins in the theme")
            else:
                self._new_page()
                waiting.appendleft(block)
        self.canvas.showPage()

    def _space(self, block: _Block) -> float:
        """The room to keep above `block` if laid next."""
        return 0.0 if self.at_top else max(block.space_before - self.after, 0)

    def _room(self, block: _Block) -> float:
        """The height left for `block` itself if laid next: negative or 0 when none is."""
        return self.y - self.bottom - self._space(block)

    def _height(self, run: list[_Block]) -> float:
        """The height of `run` laid together, without the room above the first and below the last, of
        which the last needs only the least part a page may end with (a paragraph's first two lines)."""
        total, after = 0.0, 0.0
        for i, block in enumerate(run):
            total += block.head_height(self.width) if i == len(run) - 1 else block.wrap(self.width)
            if i:
                total += max(block.space_before - after, 0)
            after = block.space_after
            total += after
        return total - after

    def _place(self, block: _Block) -> bool:
        """Draw `block` next if it fits whole; return whether it did."""
        space = self._space(block)
        if self.y - self.bottom - space <= 0:
            return False
        y = self.y - (block.wrap(self.width) + space)
        if y < self.bottom - self.FUZZ:
            return False
        block.draw_on(self.canvas, self.left, y)
        y -= block.space_after
        self.after = block.space_after
        self.at_top = self.at_top and y == self.y
        self.y = y
        return True

    def _new_page(self) -> None:
        """End the page and begin the next, with nothing laid on it."""
        self.canvas.showPage()
        self.canvas.keep_room_for_footer()
        self.y, self.at_top, self.after = self.top, True, 0.0


# Where a page's footer goes in its content, until the footer is drawn: a NUL never occurs in content.
_FOOTER_ROOM = "\x00footer\x00"


class _Canvas(Canvas):  # type: ignore[misc]  # reportlab ships no types
    """reportlab's canvas, drawing each page's footer when the document is saved, when the page count
    is known: one layout pass makes "Page X of Y" (the footer sits in the margin and never moves text).
    The footer keeps its place at the start of the page, under the text, as if drawn first."""

    def __init__(self, footer: _Footer, font_cache: Path | None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.footer = footer
        self.font_cache = font_cache  # where parsed faces are kept between runs (see _cached_face)
        self.shown: list[Any] = []  # the pages written so far

    def keep_room_for_footer(self) -> None:
        """Mark where the footer of the page begun goes: before anything is drawn on it."""
        self.addLiteral(_FOOTER_ROOM)

    def showPage(self) -> None:
        super().showPage()
        self.shown.append(self._doc.Pages.pages[-1])

    def save(self) -> None:
        if len(self._code):  # as Canvas.save would, before the footers count the pages
            self.showPage()
        for number, page in enumerate(self.shown, start=1):
            content = page.stream.replace(_FOOTER_ROOM, self.footer.ops(self, number, len(self.shown)), 1)
            # The content stream as PDFPage would make it, compressed but not also ASCII85-encoded
            # (reportlab's default): smaller, and ASCII85 in Python is slow.
            stream = PDFStream(content=content, filters=[PDFZCompress] if page.compression else None)
            stream.__Comment__ = "page stream"
            page.Contents = stream
        super().save()


class _Footer:
    """The page background (unless white) and the running footer: a hairline, the footer text at left
    and "Page X of Y" at right."""

    def __init__(self, label: str, words: Words, theme: Theme, setter: _Setter) -> None:
        self.label, self.words, self.theme, self.setter = label, words, theme, setter

    def ops(self, canvas: Canvas, page: int, total: int) -> str:
        """The operators that draw the footer of page `page` of `total`."""
        code, canvas._code = canvas._code, []
        try:
            self._draw(canvas, page, total)
            return "\n".join(canvas._code)
        finally:
            canvas._code = code

    def _draw(self, canvas: Canvas, page: int, total: int) -> None:
        theme, stack = self.theme, self.setter.stacks.body.paths
        width, height = canvas._pagesize
        size = max(theme.body_size * 0.75, 7)
        margin = theme.margin_mm * mm
        left, right = margin, width - margin
        baseline = margin * 0.5
        canvas.saveState()
        if theme.background != "#FFFFFF":
            canvas.setFillColor(HexColor(theme.background))
            canvas.rect(0, 0, width, height, stroke=0, fill=1)
        number = self.setter.shape([Span(self.words.page_of(page, total), stack, theme.muted)], size).line()
        room = right - left - number.width - size * 2
        label = self.setter.fit([Span(self.label, stack, theme.muted)], size, room)
        canvas.setStrokeColor(HexColor(theme.muted))
        canvas.setLineWidth(0.4)
        canvas.line(left, baseline + size * 1.4, right, baseline + size * 1.4)
        _draw_line(canvas, label, left, baseline, size)
        _draw_line(canvas, number, right - number.width, baseline, size)
        canvas.restoreState()


def _pdf_date(when: datetime) -> str:
    """A PDF date string for `when`, in UTC; a naive time is taken as UTC, never as the machine's zone."""
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


_ID = re.compile(rb"/ID\s*\[<([0-9A-Fa-f]{32})><([0-9A-Fa-f]{32})>\]")
_DATES = re.compile(rb"/(?:CreationDate|ModDate) \(D:[^)]*\)")


def _stamp_id(data: bytes) -> bytes:
    """Replace reportlab's /ID with a digest of the document itself (timestamps excluded).

    reportlab seeds the ID from its own clock or SOURCE_DATE_EPOCH; a digest of the content makes it a
    true fingerprint instead. The new ID has the same length, so the cross-reference offsets stay valid.
    """
    # The trailer's /ID, never a look-alike inside a title string earlier in the file.
    match = _ID.search(data, data.rfind(b"trailer"))
    if match is None:
        raise RenderError("reportlab wrote no trailer /ID (an unsupported reportlab version?)")
    blank = _DATES.sub(b"", data[: match.start()] + data[match.end() :])
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    return data[: match.start()] + b"/ID [<" + digest + b"><" + digest + b">]" + data[match.end() :]
