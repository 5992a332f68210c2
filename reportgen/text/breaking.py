"""Line breaking: where a line may break in a text, and lines of shaped or measured text cut to a width.

One rule says where a line may start (`can_start`, and `opportunities` for a whole text): after white
space or a zero-width space; between East Asian wide characters (CJK, kana, full-width forms) unless the
kinsoku tables forbid it (Hangul breaks at spaces, like European text); never before a mark, a format
character or white space. Inside the ranges of a text that are URLs a line may instead break only after
one of `/ . - ? & =` (`URL_BREAK_AFTER`), never between two characters of a word.

This module imports neither HarfBuzz nor fontTools; `fit` shapes through `shaping` when called.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .scripts import NO_LINE_END, NO_LINE_START, slot

if TYPE_CHECKING:
    from .shaping import Line, Span

ELLIPSIS = "…"

URL_BREAK_AFTER = frozenset("/.-?&=")
"""Inside a URL, a line may break only after one of these (and not between two of them)."""


@functools.cache
def _east_asian_wide(ch: str) -> bool:
    # Hangul is left out: Korean breaks at spaces, like European text.
    code = ord(ch)
    hangul = 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F or 0xAC00 <= code <= 0xD7AF
    return slot(ch) == "east_asian" and not hangul


_AFTER_SPACE = re.compile(r"(?<=\s)\S")
"""In ASCII text, where a line may start: a character that is not white space right after white space."""


def can_start(text: str, i: int) -> bool:
    """Whether a line may start at text[i], for 0 < i < len(text): the break-opportunity rule."""
    before, ch = text[i - 1], text[i]
    if ch.isspace() or ch == "\u200b" or unicodedata.category(ch)[0] == "M" or unicodedata.category(ch) == "Cf":
        return False
    if before.isspace() or before == "\u200b":
        return True
    if _east_asian_wide(before) or _east_asian_wide(ch):
        return ch not in NO_LINE_START and before not in NO_LINE_END
    return False


def break_after(text: str, i: int) -> bool:
    """Whether a line may break after text[i] (so the next line starts at text[i + 1])."""
    return 0 <= i < len(text) - 1 and can_start(text, i + 1)


def _url_can_start(text: str, i: int) -> bool:
    before, ch = text[i - 1], text[i]
    return before in URL_BREAK_AFTER and ch not in URL_BREAK_AFTER and not ch.isspace()


def opportunities(text: str, urls: Sequence[tuple[int, int]] = ()) -> list[int]:
    """Every index at which a line may start, ascending (0 and len(text) excluded).

    `urls`: (start, end) ranges of the text that are URLs. Inside one (start < i < end) the URL rule
    replaces the general one: a line may start only after one of `/ . - ? & =`, and not at another of
    them (so "//" and "?&" stay together); a line never breaks inside a word of a URL.
    """
    if not urls and text.isascii():  # the common case, answered at once: after white space, before a letter
        return [m.start() for m in _AFTER_SPACE.finditer(text)]
    inside = [False] * (len(text) + 1)
    for start, end in urls:
        for i in range(max(start + 1, 1), min(end, len(text))):
            inside[i] = True
    return [i for i in range(1, len(text)) if (_url_can_start(text, i) if inside[i] else can_start(text, i))]


def line_ranges(
    words: Sequence[tuple[int, int, float, float]], advances: Sequence[float], blanks: str, width: float
) -> list[tuple[int, int]]:
    """(first, end) clusters of each line no wider than `width` (a cluster wider than a line stands alone).

    `words`: (first cluster, end, width without the white space at its end, whole width) of each word, a
    word ending where the next line may start; `advances`: each cluster's advance; `blanks`: a space for
    each cluster that is only white space. A word wider than a line is broken between clusters.
    """
    ranges: list[tuple[int, int]] = []
    start, used = 0, 0.0  # the open line's first cluster and its width including trailing spaces
    for first, last, visible, whole in words:
        if first > start and used + visible > width:
            ranges.append((start, first))
            start, used = first, 0.0
        if visible > width:  # a word longer than a line: break it between clusters
            for i in range(first, last):
                advance = advances[i]
                if i > start and used + advance > width and blanks[i] != " ":
                    ranges.append((start, i))
                    start, used = i, 0.0
                used += advance
            continue
        used += whole
    if start < len(advances):
        ranges.append((start, len(advances)))
    return ranges


def fit(spans: list[Span], size: float, language: str, width: float) -> Line:
    """One line of the spans, shortened with an ellipsis at the logical end when wider than `width`."""
    from .shaping import shape

    shaped = shape(spans, size, language)
    line = shaped.line()
    if line.width <= width:
        return line

    def shortened(cut: int) -> Line:
        kept = _cut(spans, cut)
        kept[-1] = kept[-1]._replace(text=kept[-1].text.rstrip() + ELLIPSIS)
        return shape(kept, size, language, shaped.rtl).line()

    # The longest prefix, ending at a cluster boundary, that fits with the ellipsis (found by bisection).
    cuts = shaped.cluster_starts
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
        kept.append(span._replace(text=span.text[:length]))
        length -= len(span.text)
    return kept or [spans[0]._replace(text="")]
