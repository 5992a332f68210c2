"""The PDF backend: everything that touches reportlab's internals, in one place.

reportlab is used here beyond its documented API, because the brief draws HarfBuzz-shaped glyphs itself
and keeps its files small and reproducible. Each internal used, and why (tests/renderers/test_pdf_backend.py
checks that every one is still there, so a reportlab upgrade that moves one fails loudly, naming it):

- `ttfonts.TTFont` (subclassed as `_Font`): its `__init__(name, filename)`, the attributes it sets
  (`face`, `state`, `encoding`, `fontName`, `_asciiReadable`, `shapable`), `splitString(text, doc)`,
  `getSubsetInternalName(subset, doc)`, `state[doc].subsets` and `addObjects(doc)`: glyphs are drawn under
  keys of our own, so a shaped cluster extracts as its text, and each subset's ToUnicode CMap
  (`doc.idToObject["BasicFonts"].dict[name].ToUnicode`, a stream's `.content`) is rewritten to say so.
- `ttfonts.TTFontFace`: `charToGlyph`, `charWidths`, `defaultWidth`, `hmetrics`, `glyphPos`, `unitsPerEm`,
  `_pdfScale`, `_ttf_data`: the keys are lent to the face's maps, and copies of glyphs with another
  advance to `glyphPos` and `hmetrics` (what `makeSubset` reads); a parsed face is kept between runs
  (marshal of its `__dict__`) and read back without `TTFontFace.__init__`.
- `ttfonts.TTEncoding`, `ttfonts.TTFNameBytes`, `ttfonts.unShapedFontGlob`, `rl_config.ttfAsciiReadable`:
  what `TTFont.__init__` (reportlab 5.1) sets, replicated for a face read back from the cache.
- `pdfmetrics.registerFont`, `getRegisteredFontNames`, `getFont`: each file registered once a process
  (the tests also clear `pdfmetrics._fonts` to register them again).
- `pdfdoc.PDFStream(content=, filters=)`, `pdfdoc.PDFZCompress`: page content streams written compressed
  but not also ASCII85-encoded.
- `Canvas._code`, `_doc.Pages.pages`, `_pagesize`, and a page's `.stream`, `.compression`, `.Contents`:
  each page's footer ("Page X of Y") is drawn into it when the document is saved, so one pass suffices.
- `rl_accel.fp_str`: numbers formatted as reportlab formats them, so the bytes stay as they were.
- the trailer `/ID [<...><...>]` reportlab writes: replaced by a digest of the document (`_stamp_id`).
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import re
import tempfile
from collections.abc import Callable
from fnmatch import fnmatch
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFStream, PDFZCompress
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace, unShapedFontGlob
from reportlab.pdfgen.canvas import Canvas

from ... import __version__
from ...errors import RenderError
from ...theme import rgb
from .tagging import PAGINATION

if TYPE_CHECKING:
    from pathlib import Path

    from ...text.shaping import Line, Run
    from .tagging import _Tags

__all__ = ["fp_str"]  # re-exported for the blocks, which write numbers as reportlab does


# -- fonts drawn glyph by glyph -------------------------------------------------------------------

# reportlab subsets fonts by character; a shaped glyph that stands for no single character of its own
# (a conjunct, a contextual form, a vowel sign drawn before its consonant) is drawn under a key from
# here up, given per document in order of use: outside any character a font maps in practice.
_GLYPH_KEYS = 0xF0000


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
        # Per document: (glyph, advance in font units) -> the id of its copy with that advance (see _copy),
        # and the lengths of the face's glyphPos and hmetrics before the first copy.
        self._copies: WeakKeyDictionary[Any, dict[tuple[int, int], int]] = WeakKeyDictionary()
        self._lengths: WeakKeyDictionary[Any, tuple[int, int]] = WeakKeyDictionary()

    def key(self, gid: int, stands_for: str, doc: Any, width: float | None = None) -> int:
        """The key to draw glyph `gid` under in `doc` so that it extracts as `stands_for`, with `width` as
        its width in the PDF (thousandths of the size; None: its advance in the font)."""
        face = self.face
        own = len(stands_for) == 1 and stands_for != "\xa0" and face.charToGlyph.get(ord(stands_for)) == gid
        if own and width is None:  # the character's own glyph: drawn under the character
            return ord(stands_for)
        wanted = None if width is None else round(width, 1)
        width = face._pdfScale(face.hmetrics[gid][0]) if wanted is None else wanted
        keys = self._keys.setdefault(doc, {})
        key = keys.get((gid, stands_for, width))
        if key is None:
            key = _GLYPH_KEYS + len(keys)
            while key in self._taken:
                key += 0x10000  # the font maps characters this high; look in the next plane
            keys[(gid, stands_for, width)] = key
            if wanted is not None and wanted != face._pdfScale(face.hmetrics[gid][0]):
                # The PDF's width of a glyph must be the advance its embedded program gives it (PDF/UA,
                # ISO 32000-1 9.6.7): drawn under a copy of the glyph whose advance is that width.
                units = round(wanted * face.unitsPerEm / 1000)
                gid, width = self._copy(gid, units, doc), face._pdfScale(units)
            face.charToGlyph[key] = gid
            face.charWidths[key] = width
        return key

    def _copy(self, gid: int, units: int, doc: Any) -> int:
        """A glyph id standing for glyph `gid` with an advance of `units` (font units), lent to the face until
        the document's font objects are written: reportlab subsets each glyph id with its own outline
        (`glyphPos[id]` to `glyphPos[id + 1]`) and advance (`hmetrics[id]`), so the copy gets both."""
        copies = self._copies.setdefault(doc, {})
        found = copies.get((gid, units))
        if found is None:
            face = self.face
            positions, metrics = face.glyphPos, face.hmetrics
            if not copies:  # what to give back: the face's own lengths
                self._lengths[doc] = (len(positions), len(metrics))
            metrics.extend([(0, 0)] * (len(positions) - len(metrics)))  # one for each id glyphPos allows
            found = copies[(gid, units)] = len(positions)
            positions += [positions[gid], positions[gid + 1]]
            metrics += [(units, metrics[gid][1]), (0, 0)]
        return found

    def addObjects(self, doc: Any) -> None:
        state = self.state.get(doc)
        subsets = [list(s) for s in state.subsets] if state is not None else []
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        texts = {key: text for (_, text, _), key in self._keys.pop(doc, {}).items()}
        super().addObjects(doc)
        for key in texts:  # give the keys back
            del self.face.charToGlyph[key], self.face.charWidths[key]
        self._copies.pop(doc, None)
        lengths = self._lengths.pop(doc, None)
        if lengths is not None:  # and the copies of glyphs
            del self.face.glyphPos[lengths[0] :], self.face.hmetrics[lengths[1] :]
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


# -- drawing shaped text ---------------------------------------------------------------------------


def _draw_line(
    canvas: Canvas, line: Line, x: float, y: float, size: float, begins: list[str | None] | None = None
) -> None:
    """Draw a laid-out line with its left end at x and its baseline at y, glyph by glyph, left to right.

    `begins` (tagged PDF): for each run, the operator that opens the marked-content sequence it is in,
    closing the one before, or None where the run goes on in the sequence before.

    Right-to-left runs are drawn in visual order, as every PDF writer does; text extractors put them
    back in reading order themselves. Bold text set in a font that has no bold face (a CJK or Arabic
    fallback: `canvas.faux_bold`) is emboldened: filled and stroked with a thin line of its colour.
    """
    ops: list[str] = ["BT"]
    colour, current = "", [""]  # the fill colour and the font resource in force
    pen = x
    doc = canvas._doc
    marked = False
    for i, run in enumerate(line.runs):
        if begins is not None and (begin := begins[i]) is not None:
            if marked:
                ops.append("EMC")
            ops.append(begin)
            marked = True
        font = _register(run.font, canvas.font_cache)
        if run.colour != colour:
            colour = run.colour
            ops.append(_fill(colour))
        # Each run starts where the shaped advances put it, so rounding never accumulates.
        ops.append(f"1 0 0 1 {pen:.3f} {y:.3f} Tm")
        faux = run.bold and run.font in canvas.faux_bold
        if faux:  # text render mode 2: fill, then stroke
            ops.append(f"{_fill(colour).upper()} {size * FAUX_BOLD_STROKE:.3f} w 2 Tr")
        _show(ops, run, font, size, doc, current)
        if faux:
            ops.append("0 Tr")
        pen += run.width
    if marked:
        ops.append("EMC")
    # Moving to the next line ends this one for text extractors; nothing is drawn there.
    ops.append(f"{size:g} TL T*")
    ops.append("ET")
    # In a graphics state of its own, as canvas.saveState()/restoreState() would write it (which would
    # also copy the canvas's own state, unchanged here, back and forth).
    canvas.addLiteral("q\n" + "\n".join(ops) + "\nQ")


FAUX_BOLD_STROKE = 0.035
"""The width of the stroke that emboldens text with no bold face, as a fraction of its size."""


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


def _show(ops: list[str], run: Run, font: _Font, size: float, doc: Any, current: list[str]) -> None:
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


def _show_moved(ops: list[str], run: Run, font: _Font, size: float, doc: Any, current: list[str]) -> None:
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


def _glyph_texts(run: Run, font: _Font) -> list[str]:
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


# -- the canvas ------------------------------------------------------------------------------------


# Where a page's footer goes in its content, until the footer is drawn: a NUL never occurs in content.
_FOOTER_ROOM = "\x00footer\x00"


class _Canvas(Canvas):  # type: ignore[misc]  # reportlab ships no types
    """reportlab's canvas, drawing each page's footer when the document is saved, when the page count
    is known: one layout pass makes "Page X of Y" (the footer sits in the margin and never moves text).
    The footer keeps its place at the start of the page, under the text, as if drawn first."""

    def __init__(
        self,
        footer: Callable[[_Canvas, int, int], None],
        font_cache: Path | None,
        tags: _Tags,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        """`footer(canvas, page, total)` draws the footer of page `page` of `total` on the canvas."""
        super().__init__(*args, **kwargs)
        self.footer = footer
        self.font_cache = font_cache  # where parsed faces are kept between runs (see _cached_face)
        self.faux_bold: set[Path] | frozenset[Path] = frozenset()  # fonts in which bold text is emboldened
        self.shown: list[Any] = []  # the pages written so far
        self.tags = tags  # the structure of the brief, recorded as it is drawn

    @property
    def page_size(self) -> tuple[float, float]:
        """The page's (width, height) in points."""
        width, height = self._pagesize
        return width, height

    def keep_room_for_footer(self) -> None:
        """Mark where the footer of the page begun goes: before anything is drawn on it."""
        self.addLiteral(_FOOTER_ROOM)

    def showPage(self) -> None:
        super().showPage()
        self.shown.append(self._doc.Pages.pages[-1])
        self.tags.new_page()

    def save(self) -> None:
        if len(self._code):  # as Canvas.save would, before the footers count the pages
            self.showPage()
        for number, page in enumerate(self.shown, start=1):
            content = page.stream.replace(_FOOTER_ROOM, self._footer_ops(number, len(self.shown)), 1)
            # The content stream as PDFPage would make it, compressed but not also ASCII85-encoded
            # (reportlab's default): smaller, and ASCII85 in Python is slow.
            stream = PDFStream(content=content, filters=[PDFZCompress] if page.compression else None)
            stream.__Comment__ = "page stream"
            page.Contents = stream
        super().save()

    def _footer_ops(self, page: int, total: int) -> str:
        """The operators that draw the footer of page `page` of `total`."""
        canvas: Any = self  # reportlab's list of operators, swapped for one of the footer's own
        code, canvas._code = canvas._code, []
        try:
            self.footer(self, page, total)
            return "\n".join([PAGINATION, *canvas._code, "EMC"])
        finally:
            canvas._code = code


_ID = re.compile(rb"/ID\s*\[<([0-9A-Fa-f]{32})><([0-9A-Fa-f]{32})>\]")
# Where the dates start, in the document information dictionary and in the XMP metadata (tagging._xmp),
# and the byte that ends each.
_DATES = (
    (b"/CreationDate (D:", b")"),
    (b"/ModDate (D:", b")"),
    *((b"<xmp:%sDate>" % kind, b"<") for kind in (b"Create", b"Modify", b"Metadata")),
)


def _stamp_id(data: bytes) -> bytes:
    """Replace reportlab's /ID with a digest of the document itself (timestamps excluded).

    reportlab seeds the ID from its own clock or SOURCE_DATE_EPOCH; a digest of the content makes it a
    true fingerprint instead. Every trailer's /ID is replaced (the tagged brief has two: reportlab's, and
    its update's, see tagging), by one of the same length, so the cross-reference offsets stay valid.
    """
    # The trailers' /ID (and a cross-reference stream's: see tagging._append), never a look-alike inside a
    # title string earlier in the file.
    found = []
    for start, end in ((b"trailer", b"startxref"), (b"/Type/XRef", b"stream")):
        at = data.find(start)
        while at != -1:
            match = _ID.search(data, at, data.find(end, at))
            if match is not None:
                found.append(match)
            at = data.find(start, at + 1)
    found.sort(key=lambda match: match.start())
    if not found:
        raise RenderError("reportlab wrote no trailer /ID (an unsupported reportlab version?)")
    # Only the digits are replaced (reportlab writes "/ID \n[<"), by as many: no offset moves.
    pieces, at = [], 0
    for match in found:
        for group in (1, 2):
            pieces.append(data[at : match.start(group)])
            at = match.end(group)
    pieces.append(data[at:])
    blank = _without_dates(b"".join(pieces))
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    return digest.join(pieces)


def _without_dates(data: bytes) -> bytes:
    """`data` without the dates in it (see _DATES); found with bytes.find, many times faster than a regular
    expression over a long file."""
    cuts = []
    for start, end in _DATES:
        at = data.find(start)
        while at != -1:
            stop = data.find(end, at + len(start))
            if stop == -1:
                break
            cuts.append((at + len(start), stop))
            at = data.find(start, stop)
    pieces, at = [], 0
    for begin, stop in sorted(cuts):
        pieces.append(data[at:begin])
        at = stop
    pieces.append(data[at:])
    return b"".join(pieces)
