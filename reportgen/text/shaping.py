"""Shaping: styled spans of text -> glyphs positioned by HarfBuzz, with per-character font fallback.

Free of reportlab: it turns styled text into lines of positioned glyphs, which the PDF renderer draws. Each
character is set in the face `fallback` chooses (the rule Word and the deck name their fonts by); runs of
one font, script and direction are shaped by HarfBuzz, so Devanagari conjuncts and Arabic joining come out
right; lines are broken in logical order and each line's runs are put in visual order by the Unicode bidi
algorithm (`bidi`). Where a line may break, and how wide lines are filled, is `breaking`'s rule.

Plain text (Latin, left to right, every character in its span's first font: most briefs) takes a short
way to the same glyphs and lines. Its font, script and bidi levels are known in advance, so it skips
their per-character analysis and only reads what HarfBuzz gives, in bulk; see `_shape_plain`.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import uharfbuzz as hb

from . import bidi, fallback
from .breaking import can_start, line_ranges, opportunities
from .fonts import coverage, covered, hb_font
from .scripts import char_scripts, ignorable, is_rtl, script_name, slot
from .scripts import script as char_script


class LayoutError(ValueError):
    """Text that cannot be set correctly; the message says why, for a RenderError."""


class Span(NamedTuple):
    """Text of one look: its font stack (first choice first), colour ("#RRGGBB"), the address it links to
    (None: no link), and whether it is bold text (set in a bold stack; a renderer may embolden the glyphs
    of a fallback font that has no bold face)."""

    text: str
    fonts: tuple[Path, ...]
    colour: str
    link: str | None = None
    bold: bool = False


class Glyph(NamedTuple):
    """One positioned glyph; lengths in points."""

    gid: int
    advance: float
    dx: float
    dy: float


class Item(NamedTuple):
    """A run of one font, colour, script and bidi level, of one span (its link and boldness), shaped in one go."""

    start: int
    end: int
    font: Path
    colour: str
    level: int
    link: str | None = None
    bold: bool = False


class Run(NamedTuple):
    """Glyphs of one item on one line, in visual (left-to-right) order; lengths in points."""

    font: Path
    colour: str
    rtl: bool
    text: str  # the characters, in logical order
    gids: tuple[int, ...]  # the glyphs, left to right
    advances: tuple[float, ...]
    offsets: tuple[tuple[float, float], ...] | None  # (dx, dy) of each glyph; None: no glyph is moved
    parts: tuple[str, ...]  # the characters of each cluster, left to right
    counts: tuple[int, ...] | None  # glyphs of each cluster; None: exactly one each
    width: float  # advance of the run
    link: str | None = None  # the address the run links to, from its span
    bold: bool = False  # from its span: bold text, whatever face its font is

    @property
    def glyphs(self) -> tuple[Glyph, ...]:
        """Every glyph, left to right."""
        offsets = self.offsets or ((0.0, 0.0),) * len(self.gids)
        return tuple(Glyph(g, a, dx, dy) for g, a, (dx, dy) in zip(self.gids, self.advances, offsets, strict=True))

    @property
    def clusters(self) -> tuple[tuple[str, tuple[Glyph, ...]], ...]:
        """(characters, glyphs) of each cluster, left to right."""
        glyphs, found, at = self.glyphs, [], 0
        for chars, count in zip(self.parts, self.counts or (1,) * len(self.parts), strict=True):
            found.append((chars, glyphs[at : at + count]))
            at += count
        return tuple(found)


class Line(NamedTuple):
    """One line: its runs left to right, its width in points, and its text in logical order."""

    runs: tuple[Run, ...]
    width: float
    text: str


class Shaped:
    """A paragraph shaped once, ready to be broken into lines of any width.

    Its clusters (characters that shape together: a grapheme, a conjunct, a ligature) are kept in
    logical order as parallel tuples; each item's clusters are consecutive, and so are each cluster's
    glyphs, in the order drawn.
    """

    def __init__(
        self,
        text: str,
        rtl: bool,
        items: Sequence[Item],
        item_first: Sequence[int],
        starts: Sequence[int],
        advances: Sequence[float],
        blanks: str,
        breaks: Sequence[int],
        gids: Sequence[int],
        glyph_advances: Sequence[float] | None = None,
        glyph_first: Sequence[int] | None = None,
        offsets: Sequence[tuple[float, float]] | None = None,
        visible: Sequence[int] | None = None,
        parts: Sequence[str] | None = None,
    ) -> None:
        """Clusters: `item_first`, each item's first cluster, then the number of clusters; `starts`, each
        cluster's first character, then len(text); `advances`, each cluster's advance; `blanks`, a space
        for each cluster that is only white space and another character for any other; `breaks`, the
        clusters a line may start with; `visible`, where the white space at the end of each word starts
        (None: found from `blanks`); `parts`, the characters of each cluster (None: one each).

        Glyphs: `gids`; `glyph_advances` (None: `advances`, one glyph per cluster); `glyph_first`, each
        cluster's first glyph, then the number of glyphs (None: one glyph per cluster); `offsets`,
        (dx, dy) of each glyph (None: all zero).
        """
        # Kept as tuples: the garbage collector stops looking into a tuple of numbers, never into a list.
        self.text, self.rtl, self.items = text, rtl, tuple(items)
        self._item_first, self._starts, self._advances = tuple(item_first), tuple(starts), tuple(advances)
        self._blanks, self._breaks = blanks, tuple(breaks)
        self._visible = None if visible is None else tuple(visible)
        self._parts = None if parts is None else tuple(parts)
        self._gids = tuple(gids)
        self._glyph_advances = self._advances if glyph_advances is None else tuple(glyph_advances)
        self._glyph_first = None if glyph_first is None else tuple(glyph_first)
        self._offsets = None if offsets is None else tuple(offsets)
        # Bidi ordering is needed only when something runs right to left.
        self._levelled = rtl or any(item.level for item in items)
        self._words: tuple[tuple[int, int, float, float], ...] | None = None
        self._lines: dict[float, list[Line]] = {}

    @property
    def cluster_starts(self) -> tuple[int, ...]:
        """The index in the text of each cluster's first character, in logical order."""
        return self._starts[:-1]

    def lines(self, width: float) -> list[Line]:
        """Break into lines no wider than `width` points (a cluster wider than a line stands alone).

        Breaks at spaces and between CJK characters; a word wider than the line is broken between
        clusters. Returns [] for an empty paragraph. Each width is broken once: later calls return the
        same lines.
        """
        found = self._lines.get(width)
        if found is None:
            found = self._lines[width] = [
                self._line(a, b) for a, b in line_ranges(self._word_widths(), self._advances, self._blanks, width)
            ]
        return list(found)

    def line(self) -> Line:
        """The whole paragraph as one line, however wide."""
        return self._line(0, len(self._advances))

    def _word_widths(self) -> tuple[tuple[int, int, float, float], ...]:
        """(first cluster, end, width without the white space at its end, whole width) of each word."""
        if self._words is None:
            advances, blanks = self._advances, self._blanks
            if not advances:
                self._words = ()
                return self._words
            firsts, lasts = [0, *self._breaks], [*self._breaks, len(advances)]
            visible: Sequence[int] | None = self._visible
            if visible is None:
                ends = []
                for first, last in zip(firsts, lasts, strict=True):
                    while last > first and blanks[last - 1] == " ":
                        last -= 1
                    ends.append(last)
                visible = ends
            # Summed as the clusters' advances in order, slice by slice (no Python loop per word).
            widths = map(sum, map(advances.__getitem__, map(slice, firsts, visible)))
            wholes = map(sum, map(advances.__getitem__, map(slice, firsts, lasts)))
            self._words = tuple(zip(firsts, lasts, widths, wholes, strict=True))
        return self._words

    def _line(self, a: int, b: int) -> Line:
        """Clusters a to b as a line, without the white space at its end (never drawn, never counted)."""
        blanks = self._blanks
        while b > a and blanks[b - 1] == " ":
            b -= 1
        if b == a:
            return Line((), 0.0, "")
        starts, item_first = self._starts, self._item_first
        start = starts[a]
        text = self.text[start : starts[b]]
        first_item = bisect.bisect_right(item_first, a) - 1
        if not self._levelled:  # one run per item, left to right
            runs = []
            for k in range(first_item, len(self.items)):
                if item_first[k] >= b:
                    break
                runs.append(self._run(k, max(a, item_first[k]), min(b, item_first[k + 1]), False))
            return Line(tuple(runs), sum(r.width for r in runs), text)
        char_levels = [0] * len(text)
        for k in range(first_item, len(self.items)):
            if item_first[k] >= b:
                break
            lo, hi = max(a, item_first[k]), min(b, item_first[k + 1])
            char_levels[starts[lo] - start : starts[hi] - start] = [self.items[k].level] * (starts[hi] - starts[lo])
        char_levels = bidi.line_levels(text, char_levels, self.rtl)
        # Runs: consecutive clusters of one item at one level (rule L1 may have lowered some white space).
        groups: list[list[int]] = []  # [item, first cluster, end]
        group_levels: list[int] = []
        k = first_item
        for i in range(a, b):
            while item_first[k + 1] <= i:
                k += 1
            level = char_levels[starts[i] - start]
            if groups and groups[-1][0] == k and group_levels[-1] == level:
                groups[-1][2] = i + 1
            else:
                groups.append([k, i, i + 1])
                group_levels.append(level)
        runs = [self._run(k, x, y, bool(level % 2)) for (k, x, y), level in zip(groups, group_levels, strict=True)]
        visual = bidi.visual_order(runs, group_levels)
        return Line(tuple(visual), sum(r.width for r in visual), text)

    def _run(self, k: int, x: int, y: int, rtl: bool) -> Run:
        """Clusters x to y of item k as a run in visual order."""
        item, starts, text = self.items[k], self._starts, self.text
        first = self._glyph_first
        if first is None and not item.level % 2:  # one glyph per cluster, left to right
            chars = text[starts[x] : starts[y]]
            gids, advances = self._gids[x:y], self._glyph_advances[x:y]
            offsets = None if self._offsets is None else tuple(self._offsets[x:y])
            parts = tuple(chars) if self._parts is None else tuple(self._parts[x:y])
            return Run(
                item.font,
                item.colour,
                rtl,
                chars,
                gids,
                advances,
                offsets,
                parts,
                None,
                sum(advances),
                item.link,
                item.bold,
            )
        # HarfBuzz gave a right-to-left item's clusters last to first; keep that order on the line.
        order = range(y - 1, x - 1, -1) if item.level % 2 else range(x, y)
        bounds = [(i, i + 1) for i in order] if first is None else [(first[i], first[i + 1]) for i in order]
        gids = tuple(g for lo, hi in bounds for g in self._gids[lo:hi])
        advances = tuple(v for lo, hi in bounds for v in self._glyph_advances[lo:hi])
        offsets = None if self._offsets is None else tuple(v for lo, hi in bounds for v in self._offsets[lo:hi])
        own = self._parts
        parts = tuple(text[starts[i] : starts[i + 1]] if own is None else own[i] for i in order)
        counts = tuple(hi - lo for lo, hi in bounds)
        chars = text[starts[x] : starts[y]]
        single = all(count == 1 for count in counts)
        return Run(
            item.font,
            item.colour,
            rtl,
            chars,
            gids,
            advances,
            offsets,
            parts,
            None if single else counts,
            sum(advances),
            item.link,
            item.bold,
        )


# -- plain text --------------------------------------------------------------------------------------

# In plain text a line may start only at a character other than a space that follows a space: it has
# no other white space, no CJK and no marks.
_NON_SPACES = re.compile(r"[^ ]+")
_GID, _CLUSTER = operator.attrgetter("codepoint"), operator.attrgetter("cluster")
_X_OFFSET, _Y_OFFSET = operator.attrgetter("x_offset"), operator.attrgetter("y_offset")
_PLAIN_BIDI = frozenset({"L", "EN", "ES", "ET", "CS", "ON"})


@functools.cache
def _plain(ch: str) -> bool:
    """Whether a character, in any font that has it, is shaped and broken like plain Latin text: the
    space, or a letter, digit, punctuation mark or symbol of the Latin or common script that is not
    right to left, not a mark, control or format character, and not set like CJK or a complex script."""
    if ch == " ":
        return True
    category = unicodedata.category(ch)
    return (
        not ch.isspace()
        and category[0] not in "MCZ"
        and unicodedata.bidirectional(ch) in _PLAIN_BIDI
        and char_script(ch) in ("Latn", "Zyyy")
        and slot(ch) == "latin"
    )


_PLAIN_IN: dict[Path, set[str]] = {}  # font -> the plain characters it has, as far as text has shown them


def _all_plain(text: str, font: Path) -> bool:
    """Whether every character of `text` is plain (see `_plain`) and in the font: each character is looked
    at once per font, as text brings it, not every character of the font (thousands) up front."""
    known = _PLAIN_IN.setdefault(font, set())
    if known.issuperset(text):
        return True
    mapped = coverage(font)
    for ch in set(text).difference(known):
        if ord(ch) not in mapped or not _plain(ch):
            return False
        known.add(ch)
    return True


def _shape_plain(spans: list[Span], size: float, language: str) -> Shaped | None:
    """The paragraph shaped exactly as `shape` shapes it, when it is plain: each span's characters are
    plain ones its first font has, and each span has some besides spaces. None for any other paragraph,
    and for one whose shaping gives a cluster more than one glyph, moves a glyph off the pen or finds a
    glyph missing: `shape` then takes the long way.

    For plain text `shape` would choose each span's first font, find the Latin script and bidi level 0
    everywhere, and allow a break only after a space; so this makes the same items (a span, or the
    spaces it starts with when they go with the font before), shapes them as `_shape_item` does and
    finds the words with a regular expression, not character by character.
    """
    pieces: list[tuple[int, int, Path, Span]] = []  # start, end, font, span
    at = 0
    before: Path | None = None  # the font of the character before
    for span in spans:
        value = span.text
        if not value:
            continue
        font = span.fonts[0]
        if not _all_plain(value, font):
            return None
        lead = len(value) - len(value.lstrip(" "))
        if lead == len(value):
            return None
        # As in fallback.faces_of: spaces between words go with the character before them when its font has them.
        if lead and before is not None and before != font and covered(" ", before):
            pieces.append((at, at + lead, before, span))
            pieces.append((at + lead, at + len(value), font, span))
        else:
            pieces.append((at, at + len(value), font, span))
        before = font
        at += len(value)
    if not pieces:
        return None
    text = "".join([span.text for span in spans])
    codepoints = list(map(ord, text))
    items: list[Item] = []
    item_first: list[int] = [0]
    starts: list[int] = []
    gids: list[int] = []
    advances: list[float] = []
    for start, end, font, owner in pieces:
        shaper, upem = hb_font(font)
        buffer = _buffer()
        # The whole paragraph goes in as context, as in _shape_item.
        buffer.add_codepoints(codepoints, start, end - start)
        buffer.direction = "ltr"
        buffer.script = "Latn"
        buffer.language = language
        hb.shape(shaper, buffer, {})
        infos = buffer.glyph_infos
        glyphs = list(map(_GID, infos))
        clusters = list(map(_CLUSTER, infos))
        if not glyphs or 0 in glyphs or len(set(clusters)) != len(clusters):
            return None
        positions = buffer.glyph_positions
        if any(map(_X_OFFSET, positions)) or any(map(_Y_OFFSET, positions)):
            return None
        clusters[0] = start
        starts += clusters
        gids += glyphs
        scale = size / upem
        advances += [p.x_advance * scale for p in positions]
        items.append(Item(start, end, font, owner.colour, 0, owner.link, owner.bold))
        item_first.append(len(starts))
    # A word is a run of non-spaces and the spaces after it (spaces before the first are a word of their
    # own): a line may start at each word but the first, and a word shows up to its last non-space.
    words = [m.span() for m in _NON_SPACES.finditer(text)]
    breaks = [start for start, _ in words if start]
    visible = [end for _, end in words]
    if words[0][0]:
        visible.insert(0, 0)
    blanks = text  # plain text has no white space but the space
    parts: list[str] | None = None  # one character per cluster
    if len(starts) != len(text):  # ligatures: none may take in a space; count in clusters
        joined = set(range(len(text))).difference(starts)
        if any(text[i] == " " or text[i - 1] == " " for i in joined):
            return None
        at_cluster = functools.partial(bisect.bisect_left, starts)
        breaks, visible = list(map(at_cluster, breaks)), list(map(at_cluster, visible))
        parts = list(text)
        for i in sorted(joined, reverse=True):  # each joined character goes to the cluster before it
            parts[i - 1] += parts.pop(i)
        blanks = "".join([part[0] for part in parts])
    starts.append(len(text))
    return Shaped(text, False, items, item_first, starts, advances, blanks, breaks, gids, visible=visible, parts=parts)


# -- shaping ---------------------------------------------------------------------------------------


_THREAD = threading.local()


def _buffer() -> hb.Buffer:
    """An empty HarfBuzz buffer that keeps clusters monotone by grapheme and drops default-ignorable
    characters; one per thread, cleared for each use (cheaper than making one and setting it up)."""
    buffer = getattr(_THREAD, "buffer", None)
    if buffer is None:
        buffer = _THREAD.buffer = hb.Buffer()
        buffer.cluster_level = hb.BufferClusterLevel.MONOTONE_GRAPHEMES
        buffer.flags = hb.BufferFlags.REMOVE_DEFAULT_IGNORABLES
    buffer.clear_contents()  # keeps the cluster level and the flags
    return buffer


_ADDRESS = re.compile(r"(?:https?://|mailto:)\S+\Z", re.IGNORECASE)


def url_ranges(spans: Sequence[Span]) -> list[tuple[int, int]]:
    """(start, end) in the paragraph's text of each linked span whose text is an address (http, https or
    mailto; a mailto link shown without its scheme too): where lines break by the URL rule."""
    ranges: list[tuple[int, int]] = []
    at = 0
    for span in spans:
        end = at + len(span.text)
        link = span.link
        if link is not None and (_ADDRESS.match(span.text) or span.text == link.partition(":")[2]):
            if ranges and ranges[-1][1] == at:  # one address in several spans (fonts, looks)
                ranges[-1] = (ranges[-1][0], end)
            else:
                ranges.append((at, end))
        at = end
    return ranges


def shape(spans: list[Span], size: float, language: str, rtl: bool | None = None) -> Shaped:
    """Shape a paragraph made of spans at `size` points; `rtl` None takes the direction from the text.

    Raises LayoutError when a character has no font in its stack, when the text uses explicit bidi
    controls, or when a font turns out unable to draw what its character map promised.
    """
    urls = url_ranges(spans)
    if not rtl and not urls:
        plain = _shape_plain(spans, size, language)
        if plain is not None:
            return plain
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
    scripts = char_scripts(text)
    found = fallback.faces_of(text, stacks, scripts)  # the text layer's one fallback rule
    missing = next((i for i, face in enumerate(found) if face is None), None)
    if missing is not None:
        raise LayoutError(f"no font has U+{ord(text[missing]):04X} {text[missing]!r}")
    chosen = [face for face in found if face is not None]  # all of them

    # Items: the longest runs of one font, span, level and script.
    def kind(i: int) -> tuple[object, ...]:
        return chosen[i], owners[i], levels[i], scripts[i]

    items: list[Item] = []
    first = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or kind(i) != kind(first):
            owner = spans[owners[first]]
            items.append(Item(first, i, chosen[first], colours[first], levels[first], owner.link, owner.bold))
            first = i
    # White space the chosen font lacks (a line separator, an unusual space) is shaped as a plain space.
    codepoints = [32 if ch.isspace() and not covered(ch, chosen[i]) else ord(ch) for i, ch in enumerate(text)]
    item_first, starts, advances, spaces = [0], [], [], []
    glyph_first, gids, glyph_advances, offsets = [0], [], [], []
    for item in items:
        for start, glyphs, advance, space in _shape_item(text, codepoints, item, scripts[item.start], size, language):
            starts.append(start)
            advances.append(advance)
            spaces.append(space)
            for glyph in glyphs:
                gids.append(glyph.gid)
                glyph_advances.append(glyph.advance)
                offsets.append((glyph.dx, glyph.dy))
            glyph_first.append(len(gids))
        item_first.append(len(starts))
    if urls:  # inside an address a line breaks only after / . - ? & = (breaking.opportunities)
        allowed = set(opportunities(text, urls))
        breaks = [i for i in range(1, len(starts)) if starts[i] in allowed]
    else:
        breaks = [i for i in range(1, len(starts)) if can_start(text, starts[i])]
    starts.append(len(text))
    blanks = "".join(" " if space else "x" for space in spaces)
    moved = offsets if any(dx or dy for dx, dy in offsets) else None
    return Shaped(
        text, rtl, items, item_first, starts, advances, blanks, breaks, gids, glyph_advances, glyph_first, moved
    )


def _shape_item(
    text: str, codepoints: list[int], item: Item, script: str, size: float, language: str
) -> list[tuple[int, list[Glyph], float, bool]]:
    """(first character, glyphs in the order drawn, advance, only white space) of each cluster of the
    item, in logical order."""
    letters = any(char_script(ch) == script for ch in text[item.start : item.end])  # not only punctuation
    if letters and not fallback.can_shape(item.font, script):
        raise LayoutError(
            f"the font {item.font.name} has no OpenType shaping rules for the {script_name(script)} "
            f"script, so {text[item.start : item.end]!r} would print wrongly; use a font that has them"
        )
    font, upem = hb_font(item.font)
    buffer = _buffer()
    # The whole paragraph goes in as context, so joining and marks see across item edges.
    buffer.add_codepoints(codepoints, item.start, item.end - item.start)
    buffer.direction = "rtl" if item.level % 2 else "ltr"
    buffer.script = script
    buffer.language = language
    hb.shape(font, buffer, {})
    scale = size / upem
    # Glyphs of one cluster are adjacent; in a right-to-left item the clusters come last to first.
    by_cluster: dict[int, list[Glyph]] = {}
    for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True):
        if info.codepoint == 0:
            ch = text[info.cluster]
            raise LayoutError(f"the font {item.font.name} cannot draw U+{ord(ch):04X} {ch!r} although it lists it")
        glyph = Glyph(info.codepoint, pos.x_advance * scale, pos.x_offset * scale, pos.y_offset * scale)
        by_cluster.setdefault(info.cluster, []).append(glyph)
    starts = sorted(by_cluster)
    if not starts:  # only ignorable characters: nothing to draw, but the text is kept
        return [(item.start, [], 0.0, all(ch.isspace() for ch in text[item.start : item.end]))]
    starts[0] = item.start
    by_cluster[item.start] = by_cluster.pop(min(by_cluster))
    clusters = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else item.end
        own = by_cluster[start]
        chars = text[start:end]
        space = all(ch.isspace() or ignorable(ch) for ch in chars) and any(ch.isspace() for ch in chars)
        clusters.append((start, own, sum(g.advance for g in own), space))
    return clusters


def shaped_em(path: Path, text: str) -> float:
    """Width of `text` shaped by HarfBuzz in one font (joining forms, conjuncts, marks), in ems: how the
    deck measures a word of a complex script without laying out a whole line."""
    font, upem = hb_font(path)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    return float(sum(position.x_advance for position in buffer.glyph_positions)) / upem
