"""Fonts: find a family's TrueType file on this machine, and read it once (metrics, character map, HarfBuzz).

The PDF renderer embeds the files found here; the deck planner measures with the same metrics to decide
what fits on a slide. Each file is opened by HarfBuzz once per process (`hb_font`): its metrics, its
character map and the shaper all come from that one parsed face.

Families that Office documents name (Calibri, Cambria, Arial, ...) resolve to their metric-compatible
free equivalents, so a line measured here breaks where PowerPoint will break it.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..errors import RenderError

if TYPE_CHECKING:
    import uharfbuzz as hb

# Free fonts with the same advance widths as the Office fonts, so measurement stays true.
METRIC_EQUIVALENTS: dict[str, tuple[str, ...]] = {
    "calibri": ("Carlito",),
    "cambria": ("Caladea",),
    "arial": ("Liberation Sans", "Arimo"),
    "helvetica": ("Liberation Sans", "Arimo"),
    "times new roman": ("Liberation Serif", "Tinos"),
    "courier new": ("Liberation Mono", "Cousine"),
}

FALLBACK_FAMILY = "DejaVu Sans"
"""Used when a family is not installed: wide, so text measured with it fits in narrower faces too."""

INSTALL_HINT = "install the font, or on Debian/Ubuntu: apt-get install fonts-crosextra-carlito fonts-dejavu-core"


def _font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        home / ".local/share/fonts",
    ]
    if sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library/Fonts"]
    if os.name == "nt":
        dirs.append(Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts")
    return [d for d in dirs if d.is_dir()]


@functools.cache
def _scanned() -> dict[tuple[str, bool, bool], Path]:
    """Family/style index of the fonts in the usual folders (used only where fontconfig is absent)."""
    from fontTools.ttLib import TTFont

    index: dict[tuple[str, bool, bool], Path] = {}
    for folder in _font_dirs():
        for path in sorted(folder.rglob("*.[tT][tT][fF]")):
            try:
                with TTFont(path, lazy=True) as font:
                    family = font["name"].getBestFamilyName() or ""
                    sub = (font["name"].getBestSubFamilyName() or "").lower()
            except Exception:
                continue
            key = (family.lower(), "bold" in sub, "italic" in sub or "oblique" in sub)
            index.setdefault(key, path)
    return index


class _Fontconfig:
    """fontconfig called in this process through ctypes: the same answers as `fc-match` and `fc-list`, without
    starting a program per family (7 ms each, half the time of a small build)."""

    _NAMES = ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll", "fontconfig")

    def __init__(self) -> None:
        import ctypes

        lib = None
        for name in self._NAMES:
            with contextlib.suppress(OSError):
                lib = ctypes.CDLL(name)
                break
        if lib is None or not lib.FcInit():
            raise OSError("fontconfig is not available")
        vp, cp = ctypes.c_void_p, ctypes.c_char_p

        class FontSet(ctypes.Structure):
            _fields_ = [("nfont", ctypes.c_int), ("sfont", ctypes.c_int), ("fonts", ctypes.POINTER(vp))]

        lib.FcNameParse.restype = vp
        lib.FcNameParse.argtypes = [cp]
        lib.FcConfigSubstitute.argtypes = [vp, vp, ctypes.c_int]
        lib.FcDefaultSubstitute.argtypes = [vp]
        lib.FcFontMatch.restype = vp
        lib.FcFontMatch.argtypes = [vp, vp, ctypes.POINTER(ctypes.c_int)]
        lib.FcPatternGetString.argtypes = [vp, cp, ctypes.c_int, ctypes.POINTER(cp)]
        lib.FcPatternDestroy.argtypes = [vp]
        lib.FcPatternCreate.restype = vp
        lib.FcObjectSetBuild.restype = vp
        lib.FcObjectSetBuild.argtypes = [cp, vp]
        lib.FcObjectSetDestroy.argtypes = [vp]
        lib.FcFontList.restype = ctypes.POINTER(FontSet)
        lib.FcFontList.argtypes = [vp, vp, vp]
        lib.FcFontSetDestroy.argtypes = [ctypes.POINTER(FontSet)]
        self._lib, self._ctypes = lib, ctypes

    def _strings(self, pattern: int, key: bytes) -> list[str]:
        ctypes, values = self._ctypes, list[str]()
        value = ctypes.c_char_p()
        while self._lib.FcPatternGetString(pattern, key, len(values), ctypes.byref(value)) == 0:  # FcResultMatch
            values.append(os.fsdecode(value.value or b""))
        return values

    def match(self, pattern: str) -> tuple[str, list[str]] | None:
        """(file, families) of the font fontconfig picks for a pattern such as "Carlito:bold", as fc-match."""
        lib, ctypes = self._lib, self._ctypes
        query = lib.FcNameParse(pattern.encode())
        if not query:
            return None
        try:
            lib.FcConfigSubstitute(None, query, 0)  # FcMatchPattern
            lib.FcDefaultSubstitute(query)
            result = ctypes.c_int()
            found = lib.FcFontMatch(None, query, ctypes.byref(result))
        finally:
            lib.FcPatternDestroy(query)
        if not found:
            return None
        try:
            files = self._strings(found, b"file")
            return (files[0], self._strings(found, b"family")) if files else None
        finally:
            lib.FcPatternDestroy(found)

    def files(self) -> list[str]:
        """Every installed font file, as `fc-list --format=%{file}`."""
        lib = self._lib
        everything = lib.FcPatternCreate()
        wanted = lib.FcObjectSetBuild(b"file", None)
        listing = lib.FcFontList(None, everything, wanted)
        try:
            fonts = listing.contents
            return [name for i in range(fonts.nfont) for name in self._strings(fonts.fonts[i], b"file")[:1]]
        finally:
            lib.FcFontSetDestroy(listing)
            lib.FcObjectSetDestroy(wanted)
            lib.FcPatternDestroy(everything)


@functools.cache
def _fontconfig() -> _Fontconfig | None:
    try:
        return _Fontconfig()
    except (OSError, AttributeError):
        return None


def _run(*command: str) -> list[str] | None:
    """Lines a fontconfig program prints, or None when it is missing or fails."""
    if shutil.which(command[0]) is None:
        return None
    import subprocess  # only where fontconfig's library could not be loaded

    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.splitlines()


@functools.cache
def installed_fonts_digest() -> str:
    """A digest of every font file installed (path, size, modification time): it changes when a font that
    could be resolved changes. One fontconfig listing, not one lookup per family, so incremental checks stay
    cheap."""
    import hashlib

    library = _fontconfig()
    files = library.files() if library is not None else _run("fc-list", "--format=%{file}\n")
    if not files:
        files = [str(p) for folder in _font_dirs() for p in folder.rglob("*") if p.is_file()]
    digest = hashlib.sha256()
    for name in sorted(set(files)):
        with contextlib.suppress(OSError):
            info = os.stat(name)
            digest.update(f"{name}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _fontconfig_available() -> bool:
    return _fontconfig() is not None or shutil.which("fc-match") is not None


@functools.cache
def _fc_match(family: str, bold: bool, italic: bool) -> Path | None:
    escaped = "".join("\\" + ch if ch in "\\-:,=" else ch for ch in family)  # fontconfig's name syntax
    pattern = escaped + (":bold" if bold else "") + (":italic" if italic else "")
    library = _fontconfig()
    if library is not None:
        found = library.match(pattern)
    else:
        out = _run("fc-match", "--format=%{file}\n%{family}\n", pattern)
        found = (out[0], out[1].split(",")) if out and len(out) >= 2 else None
    if found is None or not found[0].lower().endswith(".ttf"):
        return None
    families = {f.strip().lower() for f in found[1]}
    return Path(found[0]) if family.lower() in families else None


def _lookup(family: str, bold: bool, italic: bool) -> Path | None:
    found = _fc_match(family, bold, italic)
    if found is None and not _fontconfig_available():
        found = _scanned().get((family.lower(), bold, italic))
    return found


@functools.cache
def find_font(family: str, bold: bool = False, italic: bool = False) -> Path | None:
    """Return the TrueType file for a family and style, trying metric-compatible equivalents; None if absent.

    A missing italic or bold face falls back to the family's regular face rather than to another family.
    """
    candidates = (family, *METRIC_EQUIVALENTS.get(family.lower(), ()))
    for name in candidates:
        found = _lookup(name, bold, italic)
        if found is not None:
            return found
    if bold or italic:
        return find_font(family, False, False)
    return None


def require_font(family: str, bold: bool = False, italic: bool = False) -> tuple[Path, bool]:
    """Return (file, exact) for a family, falling back to DejaVu Sans (exact=False); raise if neither exists."""
    found = find_font(family, bold, italic)
    if found is not None:
        return found, True
    fallback = find_font(FALLBACK_FAMILY, bold, italic)
    if fallback is not None:
        return fallback, False
    raise RenderError(f"no TrueType file for the font {family!r} nor for {FALLBACK_FAMILY!r}: {INSTALL_HINT}")


class Metrics(NamedTuple):
    """Advance widths and vertical metrics of one font file, in units of the font size."""

    path: Path
    widths: dict[int, float]  # code point -> advance width / em
    default_width: float  # for characters the font lacks (measured as its .notdef glyph)
    ascent: float
    descent: float  # positive, below the baseline
    line_gap: float

    def width(self, text: str, size: float) -> float:
        """Width of `text` set at `size` points, in points (kerning ignored, so slightly generous)."""
        get = self.widths.get
        return sum(get(ord(ch), self.default_width) for ch in text) * size

    def covers(self, ch: str) -> bool:
        """True when the font has a glyph for the character."""
        return ord(ch) in self.widths


@functools.cache
def metrics(path: Path) -> Metrics:
    """Read the metrics of a TrueType file (cached per process)."""
    # Advance widths through HarfBuzz: the same numbers as fontTools' hmtx/cmap (checked on every font
    # of the built-in themes) at a tenth of the cost, because no glyph names are built.
    import struct

    shaper, em = hb_font(path)
    face = shaper.face
    widths = {}
    for code in face.unicodes:
        glyph = shaper.get_nominal_glyph(code)
        if glyph is not None:
            widths[code] = shaper.get_glyph_h_advance(glyph) / em
    notdef = shaper.get_glyph_h_advance(0) / em
    # Vertical metrics straight from the tables: OS/2 usWinAscent/usWinDescent (offset 74), else hhea's
    # ascender, descender and line gap (offset 4), as Office and LibreOffice use them.
    os2 = face.reference_table("OS/2").data
    hhea = face.reference_table("hhea").data
    win_ascent, win_descent = struct.unpack(">HH", os2[74:78]) if len(os2) >= 78 else (0, 0)
    if win_ascent:
        ascent, descent, gap = win_ascent / em, win_descent / em, 0.0
    elif len(hhea) >= 10:
        rise, fall, line_gap = struct.unpack(">hhh", hhea[4:10])
        ascent, descent, gap = rise / em, -fall / em, line_gap / em
    else:
        raise RenderError(f"{path} is not a usable TrueType font: it has no hhea table")
    return Metrics(path, widths, notdef, ascent, descent, gap)


def font_stack(families: tuple[str, ...], bold: bool = False, italic: bool = False) -> list[tuple[str, Path]]:
    """The installed families among `families`, in order, with their files; families not found are left out.

    Used for per-character fallback: each character is set in the first font of the stack that has it.
    """
    stack: list[tuple[str, Path]] = []
    for family in dict.fromkeys(families):
        path = find_font(family, bold, italic)
        if path is not None and all(path != p for _, p in stack):
            stack.append((family, path))
    return stack


def uncovered(text: str, stack: list[tuple[str, Path]]) -> list[str]:
    """Characters of `text` that no font of the stack has (white space and controls excepted), sorted."""
    fonts = [metrics(path) for _, path in stack]
    missing = {ch for ch in set(text) if not ch.isspace() and not any(f.covers(ch) for f in fonts)}
    return sorted(missing)


@functools.cache  # the one parsed face per file: metrics, coverage and shaping all read it
def hb_font(path: Path) -> tuple[hb.Font, int]:
    """The HarfBuzz font of a TrueType file and its units per em (read once per process)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(path)))
    return hb.Font(face), face.upem


@functools.cache
def coverage(path: Path) -> frozenset[int]:
    """The code points the font maps to a glyph, as HarfBuzz reads its character map: the map shaping
    goes by. It is the map `metrics` reads (the same best subtable), read in microseconds instead
    of the milliseconds fontTools takes to read a font's metrics."""
    return frozenset(hb_font(path)[0].face.unicodes)


def covered(ch: str, font: Path) -> bool:
    """Whether the font has a glyph for the character."""
    return ord(ch) in coverage(font)


@functools.cache
def gsub_scripts(path: Path) -> frozenset[str]:
    """The script tags of the font's GSUB table; empty when it has none."""
    return frozenset(hb_font(path)[0].face.get_table_script_tags("GSUB"))
