"""Text layout for the PDF brief: per-character font fallback, shaping, line breaking and bidi order.

Free of reportlab: it turns styled text into lines of positioned glyphs, which pdf.py draws. Each word
is set in the first font of its stack that has all its characters (falling back character by character
where no font has them all); runs of one font, script and direction are shaped by HarfBuzz, so
Devanagari conjuncts and Arabic joining come out right; lines are broken in logical order and each
line's runs are put in visual order by the Unicode bidi algorithm (`_pdf_bidi`).
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb
from fontTools import unicodedata as ucd

from .. import fonts
from ..scripts import is_rtl, slot
from . import _pdf_bidi as bidi

ELLIPSIS = "…"

# Characters that may not start a line in CJK text (closing marks, small kana) or end one (opening marks).
_NO_START = set("、。，．・：；？！ー々〻〜～)]}」』】〕〉》〙〗〟’”｝）］｠｡､･!%),.:;?")
_NO_START |= set("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ")
_NO_END = set("([{「『【〔〈《〘〖〝‘“｛（［｟｢")


class LayoutError(ValueError):
    """Text that cannot be set correctly; the message says why, for a RenderError."""


@dataclass(frozen=True)
class Span:
    """Text of one look: its font stack (first choice first) and colour ("#RRGGBB")."""

    text: str
    fonts: tuple[Path, ...]
    colour: str


@dataclass(frozen=True)
class Glyph:
    """One positioned glyph; lengths in points."""

    gid: int
    advance: float
    dx: float
    dy: float
    cluster: int  # index in the paragraph's text of the first character the glyph belongs to


@dataclass(frozen=True)
class Cluster:
    """Characters that shape together (a grapheme, a conjunct, a ligature) and their glyphs."""

    start: int
    end: int
    item: int  # index of the shaped item it came from
    glyphs: tuple[Glyph, ...]  # in the order drawn (visual, within the cluster)
    advance: float  # points
    space: bool  # only white space: never drawn at the end of a line


@dataclass(frozen=True)
class Item:
    """A run of one font, colour, script and bidi level, shaped in one go."""

    start: int
    end: int
    font: Path
    colour: str
    level: int


@dataclass(frozen=True)
class Run:
    """Glyphs of one item on one line, in visual (left-to-right) order."""

    font: Path
    colour: str
    rtl: bool
    text: str  # the characters, in logical order
    clusters: tuple[tuple[str, tuple[Glyph, ...]], ...]  # (characters, glyphs) of each cluster, left to right

    @property
    def glyphs(self) -> tuple[Glyph, ...]:
        """Every glyph, left to right."""
        return tuple(g for _, glyphs in self.clusters for g in glyphs)

    @property
    def width(self) -> float:
        """Advance of the run in points."""
        return sum(g.advance for g in self.glyphs)


@dataclass(frozen=True)
class Line:
    """One line: its runs left to right, its width in points, and its text in logical order."""

    runs: tuple[Run, ...]
    width: float
    text: str


@dataclass(frozen=True)
class Shaped:
    """A paragraph shaped once, ready to be broken into lines of any width."""

    text: str
    rtl: bool
    items: tuple[Item, ...]
    clusters: tuple[Cluster, ...]
    words: tuple[tuple[int, int], ...]  # cluster ranges between break opportunities

    def lines(self, width: float) -> list[Line]:
        """Break into lines no wider than `width` points (a cluster wider than a line stands alone).

        Breaks at spaces and between CJK characters; a word wider than the line is broken between
        clusters. Returns [] for an empty paragraph.
        """
        clusters = self.clusters
        lines: list[tuple[int, int]] = []
        start, used = 0, 0.0  # the open line's first cluster and its width including trailing spaces
        for first, last in self.words:
            visible = sum(c.advance for c in _trim(clusters[first:last]))
            if first > start and used + visible > width:
                lines.append((start, first))
                start, used = first, 0.0
            if visible > width:  # a word longer than a line: break it between clusters
                for i in range(first, last):
                    advance = clusters[i].advance
                    if i > start and used + advance > width and not clusters[i].space:
                        lines.append((start, i))
                        start, used = i, 0.0
                    used += advance
                continue
            used += sum(c.advance for c in clusters[first:last])
        if start < len(clusters):
            lines.append((start, len(clusters)))
        return [self._line(clusters[a:b]) for a, b in lines]

    def line(self) -> Line:
        """The whole paragraph as one line, however wide."""
        return self._line(self.clusters)

    def _line(self, clusters: tuple[Cluster, ...]) -> Line:
        clusters = _trim(clusters)
        if not clusters:
            return Line((), 0.0, "")
        start, end = clusters[0].start, clusters[-1].end
        text = self.text[start:end]
        char_levels = [0] * len(text)
        for cluster in clusters:
            level = self.items[cluster.item].level
            char_levels[cluster.start - start : cluster.end - start] = [level] * (cluster.end - cluster.start)
        char_levels = bidi.line_levels(text, char_levels, self.rtl)
        # Runs: consecutive clusters of one item at one level (rule L1 may have lowered some white space).
        groups: list[list[Cluster]] = []
        group_levels: list[int] = []
        for cluster in clusters:
            level = char_levels[cluster.start - start]
            if groups and groups[-1][-1].item == cluster.item and group_levels[-1] == level:
                groups[-1].append(cluster)
            else:
                groups.append([cluster])
                group_levels.append(level)
        runs = []
        for group, level in zip(groups, group_levels, strict=True):
            item = self.items[group[0].item]
            # HarfBuzz gave a right-to-left item's clusters last to first; keep that order on the line.
            ordered = reversed(group) if item.level % 2 else group
            parts = tuple((self.text[c.start : c.end], c.glyphs) for c in ordered)
            runs.append(Run(item.font, item.colour, bool(level % 2), self.text[group[0].start : group[-1].end], parts))
        visual = bidi.visual_order(runs, group_levels)
        return Line(tuple(visual), sum(r.width for r in visual), text)


def _trim(clusters: tuple[Cluster, ...]) -> tuple[Cluster, ...]:
    """Without the white space at the end (never drawn, never counted in a line's width)."""
    end = len(clusters)
    while end and clusters[end - 1].space:
        end -= 1
    return clusters[:end]


def _words(text: str, clusters: tuple[Cluster, ...]) -> list[tuple[int, int]]:
    """Cluster ranges between break opportunities, each with the white space that follows it."""
    words: list[tuple[int, int]] = []
    first = 0
    for i in range(1, len(clusters)):
        if _can_break(text, clusters[i].start):
            words.append((first, i))
            first = i
    if clusters:
        words.append((first, len(clusters)))
    return words


def _east_asian_wide(ch: str) -> bool:
    # Hangul is left out: Korean breaks at spaces, like European text.
    code = ord(ch)
    hangul = 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xAC00 <= code <= 0xD7AF
    return slot(ch) == "east_asian" and not hangul


def _can_break(text: str, i: int) -> bool:
    """Whether a line may start at text[i]."""
    before, ch = text[i - 1], text[i]
    if ch.isspace() or ch == "\u200b" or unicodedata.category(ch)[0] == "M" or unicodedata.category(ch) == "Cf":
        return False
    if before.isspace() or before == "\u200b":
        return True
    if _east_asian_wide(before) or _east_asian_wide(ch):
        return ch not in _NO_START and before not in _NO_END
    return False


# -- shaping ---------------------------------------------------------------------------------------


@functools.cache
def _hb_font(path: Path) -> tuple[hb.Font, int]:
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    return hb.Font(face), face.upem


# Scripts whose letters print wrongly without the font's OpenType shaping rules (conjuncts, reordered
# vowel signs, joining forms), with the GSUB script tags that carry those rules.
_SHAPING_TAGS = {
    "Arab": ("arab",),
    "Syrc": ("syrc",),
    "Deva": ("dev2", "deva"),
    "Beng": ("bng2", "beng"),
    "Guru": ("gur2", "guru"),
    "Gujr": ("gjr2", "gujr"),
    "Orya": ("ory2", "orya"),
    "Taml": ("tml2", "taml"),
    "Telu": ("tel2", "telu"),
    "Knda": ("knd2", "knda"),
    "Mlym": ("mlm2", "mlym"),
    "Sinh": ("sinh",),
    "Khmr": ("khmr",),
    "Mymr": ("mym2",),
}


@functools.cache
def _gsub_scripts(path: Path) -> frozenset[str]:
    """The script tags of the font's GSUB table; empty when it has none."""
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        if "GSUB" not in font or font["GSUB"].table.ScriptList is None:
            return frozenset()
        return frozenset(record.ScriptTag for record in font["GSUB"].table.ScriptList.ScriptRecord)


def _can_shape(path: Path, script: str) -> bool:
    """Whether the font has what HarfBuzz needs to set the script correctly."""
    tags = _SHAPING_TAGS.get(script)
    if tags is None or _gsub_scripts(path) & set(tags):
        return True
    # HarfBuzz joins Arabic without rules when the font maps the presentation forms instead.
    forms = sum(1 for code in range(0xFE70, 0xFEFD) if covered(chr(code), path))
    return script == "Arab" and forms >= 120


_IGNORABLE_RANGES = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul fillers
    (0x180B, 0x180F),  # Mongolian variation selectors
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),
    (0xE0100, 0xE01EF),  # variation selectors supplement
)


def ignorable(ch: str) -> bool:
    """Whether the character is default-ignorable (joiners, direction marks, variation selectors, other
    format characters): HarfBuzz uses or drops it, and no font needs a glyph for it."""
    code = ord(ch)
    return unicodedata.category(ch) == "Cf" or any(lo <= code <= hi for lo, hi in _IGNORABLE_RANGES)


def covered(ch: str, font: Path) -> bool:
    """Whether the font has a glyph for the character."""
    return fonts.metrics(font).covers(ch)


def _fonts_of(text: str, stacks: list[tuple[Path, ...]], scripts: list[str]) -> list[Path]:
    """The font of every character.

    Each word of one script is set in the first font of its stack that has all its characters, so a
    word never mixes fonts needlessly; a word the first choice cannot set keeps the font of the word
    before it in the same script when that font has it (so Korean stays in one font even where an
    earlier fallback happens to have a few syllables). A word no single font covers falls back
    character by character, marks and punctuation staying with the font before them. White space and
    format characters between words go with the character before them.
    """
    chosen: list[Path | None] = [None] * len(text)
    previous: tuple[str, Path] | None = None  # script and font of the last word
    for start, end in _segments(text, stacks, scripts):
        stack = stacks[start]
        needed = [ch for ch in text[start:end] if not ignorable(ch)]
        fitting = [font for font in stack if all(covered(ch, font) for ch in needed)]
        if fitting:
            font = fitting[0]
            if font != stack[0] and previous is not None and previous[0] == scripts[start] and previous[1] in fitting:
                font = previous[1]
            chosen[start:end] = [font] * (end - start)
            previous = (scripts[start], font)
            continue
        last: Path | None = None
        for i in range(start, end):
            ch = text[i]
            if last is not None and (ignorable(ch) or (unicodedata.category(ch)[0] in "MPSN" and covered(ch, last))):
                chosen[i] = last
                continue
            last = next((f for f in stack if covered(ch, f)), None)
            if last is None:
                raise LayoutError(f"no font has U+{ord(ch):04X} {ch!r}")
            chosen[i] = last
        previous = (scripts[start], last) if last is not None else previous
    # White space and format characters between words: with the character before them, else after.
    result: list[Path] = []
    for i, known in enumerate(chosen):
        if known is None:
            ch = text[i]
            before = result[-1] if result else None
            after = next((f for f in chosen[i + 1 :] if f is not None), None)
            neighbours = [f for f in (before, after) if f is not None and (covered(ch, f) or ignorable(ch))]
            known = neighbours[0] if neighbours else next((f for f in stacks[i] if covered(ch, f)), stacks[i][0])
        result.append(known)
    return result


def _segments(text: str, stacks: list[tuple[Path, ...]], scripts: list[str]) -> list[tuple[int, int]]:
    """Ranges of the words of one script and one font stack; white space lies between them."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    for i, ch in enumerate(text):
        gap = ch.isspace()
        if start is not None and (gap or scripts[i] != scripts[start] or stacks[i] != stacks[start]):
            found.append((start, i))
            start = None
        if start is None and not gap:
            start = i
    if start is not None:
        found.append((start, len(text)))
    return found


def _scripts(text: str) -> list[str]:
    """The script of every character; common and inherited characters take their neighbour's."""
    scripts = [ucd.script(ch) for ch in text]
    last = None
    for i, script in enumerate(scripts):
        if script in ("Zyyy", "Zinh", "Zzzz"):
            if last is not None:
                scripts[i] = last
        else:
            last = script
    first = next((s for s in scripts if s not in ("Zyyy", "Zinh", "Zzzz")), "Latn")
    return [first if s in ("Zyyy", "Zinh", "Zzzz") else s for s in scripts]


def shape(spans: list[Span], size: float, language: str, rtl: bool | None = None) -> Shaped:
    """Shape a paragraph made of spans at `size` points; `rtl` None takes the direction from the text.

    Raises LayoutError when a character has no font in its stack, when the text uses explicit bidi
    controls, or when a font turns out unable to draw what its character map promised.
    """
    text = "".join(span.text for span in spans)
    rtl = is_rtl(text) if rtl is None else rtl
    stacks: list[tuple[Path, ...]] = []
    colours: list[str] = []
    owners: list[int] = []
    for index, span in enumerate(spans):
        stacks += [span.fonts] * len(span.text)
        colours += [span.colour] * len(span.text)
        owners += [index] * len(span.text)
    try:
        levels = bidi.levels(text, rtl)
    except bidi.UnsupportedBidi as error:
        raise LayoutError(f"explicit bidi controls ({error}) are not supported; remove them") from None
    scripts = _scripts(text)
    chosen = _fonts_of(text, stacks, scripts)
    items: list[Item] = []
    keys: list[tuple[object, ...]] = []
    for i in range(len(text)):
        key = (chosen[i], owners[i], levels[i], scripts[i])
        if keys and keys[-1] == key:
            items[-1] = Item(items[-1].start, i + 1, chosen[i], colours[i], levels[i])
        else:
            keys.append(key)
            items.append(Item(i, i + 1, chosen[i], colours[i], levels[i]))
    # White space the chosen font lacks (a line separator, an unusual space) is shaped as a plain space.
    codepoints = [32 if ch.isspace() and not covered(ch, chosen[i]) else ord(ch) for i, ch in enumerate(text)]
    clusters: list[Cluster] = []
    for index, item in enumerate(items):
        clusters += _shape_item(text, codepoints, item, index, scripts[item.start], size, language)
    return Shaped(text, rtl, tuple(items), tuple(clusters), tuple(_words(text, tuple(clusters))))


def _shape_item(
    text: str, codepoints: list[int], item: Item, index: int, script: str, size: float, language: str
) -> list[Cluster]:
    letters = any(ucd.script(ch) == script for ch in text[item.start : item.end])  # not only punctuation
    if letters and not _can_shape(item.font, script):
        raise LayoutError(
            f"the font {item.font.name} has no OpenType shaping rules for the {ucd.script_name(script)} "
            f"script, so {text[item.start : item.end]!r} would print wrongly; use a font that has them"
        )
    font, upem = _hb_font(item.font)
    buffer = hb.Buffer()
    # The whole paragraph goes in as context, so joining and marks see across item edges.
    buffer.add_codepoints(codepoints, item.start, item.end - item.start)
    buffer.direction = "rtl" if item.level % 2 else "ltr"
    buffer.script = script
    buffer.language = language
    buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_GRAPHEMES
    buffer.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES
    hb.shape(font, buffer, {})
    scale = size / upem
    glyphs = [
        Glyph(info.codepoint, pos.x_advance * scale, pos.x_offset * scale, pos.y_offset * scale, info.cluster)
        for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
    ]
    for glyph in glyphs:
        if glyph.gid == 0:
            ch = text[glyph.cluster]
            raise LayoutError(f"the font {item.font.name} cannot draw U+{ord(ch):04X} {ch!r} although it lists it")
    # Glyphs of one cluster are adjacent; in a right-to-left item the clusters come last to first.
    by_cluster: dict[int, list[Glyph]] = {}
    for glyph in glyphs:
        by_cluster.setdefault(glyph.cluster, []).append(glyph)
    starts = sorted(by_cluster)
    if not starts:  # only ignorable characters: nothing to draw, but the text is kept
        return [Cluster(item.start, item.end, index, (), 0.0, all(ch.isspace() for ch in text[item.start : item.end]))]
    starts[0] = item.start
    by_cluster[item.start] = by_cluster.pop(min(by_cluster))
    clusters = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else item.end
        own = tuple(by_cluster[start])
        chars = text[start:end]
        space = all(ch.isspace() or ignorable(ch) for ch in chars) and any(ch.isspace() for ch in chars)
        clusters.append(Cluster(start, end, index, own, sum(g.advance for g in own), space))
    return clusters


def fit(spans: list[Span], size: float, language: str, width: float) -> Line:
    """One line of the spans, shortened with an ellipsis at the logical end when wider than `width`."""
    shaped = shape(spans, size, language)
    line = shaped.line()
    if line.width <= width:
        return line

    def shortened(cut: int) -> Line:
        kept = _cut(spans, cut)
        kept[-1] = Span(kept[-1].text.rstrip() + ELLIPSIS, kept[-1].fonts, kept[-1].colour)
        return shape(kept, size, language, shaped.rtl).line()

    # The longest prefix, ending at a cluster boundary, that fits with the ellipsis (found by bisection).
    cuts = [c.start for c in shaped.clusters]
    low, high = 0, len(cuts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if shortened(cuts[middle]).width <= width:
            low = middle
        else:
            high = middle - 1
    return shortened(cuts[low])


def _cut(spans: list[Span], length: int) -> list[Span]:
    kept: list[Span] = []
    for span in spans:
        if length <= 0:
            break
        kept.append(Span(span.text[:length], span.fonts, span.colour))
        length -= len(span.text)
    return kept or [Span("", spans[0].fonts, spans[0].colour)]
