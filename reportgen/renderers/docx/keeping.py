"""Where the Word summary keeps a session on one page: each session's height estimated, a long one cut into
pieces that each fit a page.

Word is a flow format: where it breaks pages is not known here. The estimate is the PDF's way of measuring
(the text layer shapes each paragraph with the theme's fonts and breaks it at the text width), with Word's
sizes and spacing from styles.py, taken against PAGE_SHARE of the page's text height, since Word's and
LibreOffice's metrics differ a little from these.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

from docx.shared import Emu

from ...markup import Rich, Run
from ...text import scripts
from .styles import _SPACE, _small

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from ...model import Session
    from ...theme import Theme

PAGE_SHARE = 0.85
"""The share of a page's text height a session may fill and still be kept whole: Word's line heights and
widths differ a little from the estimate, so it is taken to be this much shorter."""

BULLET_INDENT = 18.0  # points: List Bullet's hanging indent (w:ind left=360 twips), where its text starts
BODY_LINE = 1.15  # Normal's and List Bullet's line spacing (styles.py), a multiple of the font's line height
CELL_MARGINS = 8.0  # points: a table cell's left and right margins (actions.py, 80 twips each)
CELL_SPACING = 2.0  # points: a cell paragraph's 1 pt before and after (actions.py)

RUNNING_EM = 0.75
"""For the quick estimate: more than the average advance of running text in Latin, Greek or Cyrillic letters
in any text face (DejaVu Sans Bold, the widest stand-in, averages 0.65 em over the examples' outcomes)."""
WORD_EM = 1.0
"""For the quick estimate: more than the average advance of the letters of a word in Latin, Greek or Cyrillic
(an em: as wide as a word of capital Ws)."""
WIDE_EM = 3.0
"""For the quick estimate: as wide as any other character (the three-em dash; CJK is 1 em)."""
LINE_EM = 1.3
"""For the quick estimate: more than a text face's ascent, descent and line gap (Carlito's: 1.22 em)."""

_Look = tuple[str, bool, bool]  # a font family, bold, italic


class Plan(NamedTuple):
    """How a session is laid out: `pieces`, the (first, end) outcomes of each page-sized piece (one piece
    when the session fits a page; every piece after the first starts a page under the "(continued)"
    heading); `table_kept`, whether the session together with its actions table fits a page, so the table
    may be kept with it and in one piece."""

    pieces: tuple[tuple[int, int], ...]
    table_kept: bool

    @property
    def whole(self) -> bool:
        """True when the session is kept on one page."""
        return len(self.pieces) == 1


class Keeping:
    """Estimates the heights of sessions in one summary: made once per document, with its page and fonts."""

    def __init__(self, theme: Theme, language: str, text_width: int, text_height: int) -> None:
        """`text_width` and `text_height`: the text area of the page (EMU), as body._set_page sets it."""
        self.theme, self.language = theme, language
        self.width = Emu(text_width).pt
        self.room = Emu(text_height).pt * PAGE_SHARE
        self._stacks: dict[_Look, tuple[Path, ...]] = {}
        self._line_heights: dict[tuple[_Look, float, float], float] = {}

    # -- the plan

    def plan(
        self,
        session: Session,
        roles: str | None,
        continued: str,
        table: Sequence[Sequence[str]] = (),
        lead: float = 0.0,
    ) -> Plan:
        """The pieces of `session` under its heading and `roles` line; `continued` is the heading a piece
        after the first starts with; `table`, the rows of its actions table (header first; none: no table);
        `lead`, the height already chained above the heading (a day's heading).

        A session that fits PAGE_SHARE of a page is one piece. A taller one is cut between outcomes into
        pieces that each fit (an outcome taller than a page alone), filled in order; a last piece of one
        outcome takes the one before it when both fit, so no page holds a lone outcome of a session cut in two.
        """
        # First a quick, generous estimate that loads no font and shapes nothing, which settles a session
        # well short of a page (almost every one); then the measure, for what it cannot settle.
        top, heights, below = self._heights(session, roles, table, lead, exact=False)
        if top + sum(heights) + below <= self.room:
            return Plan(((0, len(heights)),), True)
        top, heights, below = self._heights(session, roles, table, lead, exact=True)
        if top + sum(heights) <= self.room:
            return Plan(((0, len(heights)),), top + sum(heights) + below <= self.room)
        carried = self.heading(continued, self.theme.heading2_size, 0.0, _SPACE["h2_after"])
        pieces: list[list[int]] = [[]]
        used = top
        for i, height in enumerate(heights):
            if pieces[-1] and used + height > self.room:
                pieces.append([])
                used = carried
            pieces[-1].append(i)
            used += height
        if len(pieces) > 1 and len(pieces[-1]) == 1 and len(pieces[-2]) > 2:
            moved = pieces[-2][-1]
            if carried + heights[moved] + heights[pieces[-1][0]] <= self.room:
                pieces[-2].pop()
                pieces[-1].insert(0, moved)
        ranges = tuple((piece[0], piece[-1] + 1) for piece in pieces)
        return Plan(ranges, False)

    def _heights(
        self, session: Session, roles: str | None, table: Sequence[Sequence[str]], lead: float, *, exact: bool
    ) -> tuple[float, list[float], float]:
        """The heights of the session's top (`lead`, heading, roles), of each outcome, and of its table."""
        theme = self.theme
        size = theme.heading2_size
        top = lead + self.heading(session.heading, size, _SPACE["h2_before"], _SPACE["h2_after"], exact=exact)
        if roles:
            small = _small(theme.body_size)
            top += self.paragraph(roles, small, 1.0, self.width, after=_SPACE["roles_after"], exact=exact)
        heights = [self.outcome(outcome, exact=exact) for outcome in session.outcomes]
        return top, heights, self.table(table, exact=exact)

    # -- heights, in points; each `exact` False: the quick estimate, more than the measure (no font loaded)

    def heading(self, text: str, size: float, before: float, after: float, *, exact: bool = True) -> float:
        """A heading (bold heading font, single spacing) at `size` points, `before` and `after` points around."""
        look = (self.theme.heading_font, True, False)
        lines = self.lines([(text, look)], size, self.width, exact=exact)
        return before + lines * self.line_height(look, size, 1.0, exact=exact) + after

    def outcome(self, outcome: str, *, exact: bool = True) -> float:
        """An outcome bullet: body text at the bullet's indent, its spacing after."""
        size, width = self.theme.body_size, self.width - BULLET_INDENT
        return self.paragraph(outcome, size, BODY_LINE, width, after=_SPACE["bullet_after"], exact=exact)

    def paragraph(
        self, value: str, size: float, line: float, width: float, *, after: float, exact: bool = True
    ) -> float:
        """A paragraph of rich text in the body font at `size` points, `line` spacing, `after` points below."""
        lines = self.lines(self.looks(value), size, width, exact=exact)
        return lines * self.line_height((self.theme.body_font, False, False), size, line, exact=exact) + after

    def table(self, rows: Sequence[Sequence[str]], *, exact: bool = True) -> float:
        """A session's actions table (Action, Owner, Due, Status): each row as tall as its tallest cell (the
        header's bold measured as regular: the 15% kept spare covers it); 0 for no rows."""
        if not rows:
            return 0.0
        from .actions import SESSION_COLUMNS  # the follow-up's module, imported only for a source with actions

        size = self.theme.body_size
        row_line = self.line_height((self.theme.body_font, False, False), size, BODY_LINE, exact=exact)
        widths = [self.width * share / 5000 - CELL_MARGINS for share in SESSION_COLUMNS]
        total = 0.0
        for cells in rows:
            lines = max(self.lines(self.looks(c), size, w, exact=exact) for c, w in zip(cells, widths, strict=True))
            total += lines * row_line + CELL_SPACING + 0.5  # the row's border
        return total

    # -- measuring, through the text layer

    def lines(self, parts: list[tuple[str, _Look]], size: float, width: float, *, exact: bool = True) -> int:
        """How many lines the text (pieces of text and their looks) makes at `width` points, as the PDF breaks
        it (text.shaping); text no font of the looks' stacks has is counted at an em a character.

        `exact` False: a generous estimate found without a font, at least the measure for any text face: a
        line ends at a space or at a break the text layer finds within a word (text.breaking), so every line
        but the last is filled to within the longest word of the width (RUNNING_EM a character of Latin,
        Greek or Cyrillic text, WIDE_EM any other; a word's characters WORD_EM); and no word starts more
        lines than it would alone.
        """
        whole = "".join(text for text, _ in parts)
        latin = scripts.latin_ltr(whole)
        if len(whole) * (WORD_EM if latin else WIDE_EM) * size <= width:
            return 1  # short enough for one line however its characters are drawn (owners, dates, statuses)
        if not exact:
            wide = 0 if latin else sum(not scripts.latin_ltr(ch) for ch in whole)
            em = (WIDE_EM if wide else WORD_EM) * size  # of a character of a word
            words = [len(word) for word in whole.split()]
            by_words = sum(math.ceil(n * em / width) for n in words)
            longest = max(words, default=0) * em
            if longest >= width:
                return max(1, by_words)
            total = ((len(whole) - wide) * RUNNING_EM + wide * WIDE_EM) * size
            return max(1, min(int(total // (width - longest)) + 1, by_words))
        from ...text.shaping import LayoutError, Span, shape

        spans = [Span(text, self.stack(look), "#000000") for text, look in parts if text]
        if not spans:
            return 1
        try:
            return max(1, len(shape(spans, size, self.language).lines(width)))
        except LayoutError:
            return max(1, math.ceil(len(whole) * size / width))

    def looks(self, value: str) -> list[tuple[str, _Look]]:
        """Rich text (or plain) as pieces in the body font of each run's look (code in the code font)."""
        runs = value.runs if isinstance(value, Rich) else (Run(value),)
        body, code = self.theme.body_font, self.theme.code_font
        return [(run.text, (code if run.code else body, run.bold, run.italic)) for run in runs]

    def stack(self, look: _Look) -> tuple[Path, ...]:
        """The faces text of `look` (family, bold, italic) is set in: the family's (or the text layer's
        stand-in), then the theme's fallbacks and other fonts, as the PDF stacks them."""
        found = self._stacks.get(look)
        if found is None:
            from ...text.fonts import font_stack, require_font

            family, bold, italic = look
            first, _ = require_font(family, bold=bold, italic=italic)
            families = (family, self.theme.body_font, *self.theme.fallback_fonts, *self.theme.font_families)
            rest = (path for _, path in font_stack(families, bold=bold, italic=italic))
            found = self._stacks[look] = tuple(dict.fromkeys((first, *rest)))
        return found

    def line_height(self, look: _Look, size: float, line: float, *, exact: bool = True) -> float:
        """A line of `look` at `size` points and `line` spacing: the font's ascent, descent and line gap
        (OS/2 win metrics, as Word takes them) times the spacing; `exact` False: LINE_EM for the three."""
        if not exact:
            return LINE_EM * size * line
        key = (look, size, line)
        found = self._line_heights.get(key)
        if found is None:
            from ...text.fonts import metrics

            face = metrics(self.stack(look)[0])
            found = self._line_heights[key] = (face.ascent + face.descent + face.line_gap) * size * line
        return found
