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

from ...markup import Rich, Run
from .styles import _SPACE, _small

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from ...model import Session
    from ...text.shaping import Span
    from ...theme import Theme

PAGE_SHARE = 0.85
"""The share of a page's text height a session may fill and still be kept whole: Word's line heights and
widths differ a little from the estimate, so it is taken to be this much shorter."""

EMU_PER_POINT = 12700
BULLET_INDENT = 18.0  # points: List Bullet's hanging indent (w:ind left=360 twips), where its text starts
BODY_LINE = 1.15  # Normal's and List Bullet's line spacing (styles.py), a multiple of the font's line height
CELL_MARGINS = 8.0  # points: a table cell's left and right margins (actions.py, 80 twips each)
CELL_SPACING = 2.0  # points: a cell paragraph's 1 pt before and after (actions.py)


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
        self.width = text_width / EMU_PER_POINT
        self.room = text_height / EMU_PER_POINT * PAGE_SHARE
        self._stacks: dict[tuple[str, bool, bool], tuple[Path, ...]] = {}

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
        theme = self.theme
        top = lead + self.heading(session.heading, theme.heading2_size, _SPACE["h2_before"], _SPACE["h2_after"])
        if roles:
            top += self.paragraph(roles, _small(theme.body_size), 1.0, self.width, after=_SPACE["roles_after"])
        heights = [self.outcome(outcome) for outcome in session.outcomes]
        if top + sum(heights) <= self.room:
            return Plan(((0, len(heights)),), top + sum(heights) + self.table(table) <= self.room)
        carried = self.heading(continued, theme.heading2_size, 0.0, _SPACE["h2_after"])
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

    # -- heights, in points

    def heading(self, text: str, size: float, before: float, after: float) -> float:
        """A heading (bold heading font, single spacing) at `size` points, `before` and `after` points around."""
        family = self.theme.heading_font
        lines = self.lines([(text, self.stack(family, bold=True))], size, self.width)
        return before + lines * self.line_height(family, size, 1.0, bold=True) + after

    def outcome(self, outcome: str) -> float:
        """An outcome bullet: body text at the bullet's indent, its spacing after."""
        size = self.theme.body_size
        return self.paragraph(outcome, size, BODY_LINE, self.width - BULLET_INDENT, after=_SPACE["bullet_after"])

    def paragraph(self, value: str, size: float, line: float, width: float, *, after: float) -> float:
        """A paragraph of rich text in the body font at `size` points, `line` spacing, `after` points below."""
        family = self.theme.body_font
        lines = self.lines(self.spans(value), size, width)
        return lines * self.line_height(family, size, line) + after

    def table(self, rows: Sequence[Sequence[str]]) -> float:
        """A session's actions table (Action, Owner, Due, Status): each row as tall as its tallest cell (the
        header's bold measured as regular: the 15% kept spare covers it); 0 for no rows."""
        from .actions import SESSION_COLUMNS  # the follow-up's module, imported only for a source with actions

        if not rows:
            return 0.0
        size = self.theme.body_size
        row_line = self.line_height(self.theme.body_font, size, BODY_LINE)
        widths = [self.width * share / 5000 - CELL_MARGINS for share in SESSION_COLUMNS]
        total = 0.0
        for cells in rows:
            lines = max(self.lines(self.spans(cell), size, w) for cell, w in zip(cells, widths, strict=True))
            total += lines * row_line + CELL_SPACING + 0.5  # the row's border
        return total

    # -- measuring, through the text layer

    def lines(self, parts: list[tuple[str, tuple[Path, ...]]], size: float, width: float) -> int:
        """How many lines the text (pieces of text and their font stacks) makes at `width` points, as the PDF
        breaks it (text.shaping); text no font of the stacks has is counted at an em a character."""
        from ...text.shaping import LayoutError, Span, shape

        spans: list[Span] = [Span(text, fonts, "#000000") for text, fonts in parts if text]
        if not spans:
            return 1
        try:
            return max(1, len(shape(spans, size, self.language).lines(width)))
        except LayoutError:
            characters = sum(len(span.text) for span in spans)
            return max(1, math.ceil(characters * size / width))

    def spans(self, value: str) -> list[tuple[str, tuple[Path, ...]]]:
        """Rich text (or plain) as pieces in the body font of each run's look (code in the code font)."""
        runs = value.runs if isinstance(value, Rich) else (Run(value),)
        body, code = self.theme.body_font, self.theme.code_font
        return [(run.text, self.stack(code if run.code else body, run.bold, run.italic)) for run in runs]

    def stack(self, family: str, bold: bool = False, italic: bool = False) -> tuple[Path, ...]:
        """The faces text in `family` is set in: the family's (or the text layer's stand-in), then the
        theme's fallbacks and other fonts, as the PDF stacks them."""
        key = (family, bold, italic)
        found = self._stacks.get(key)
        if found is None:
            from ...text.fonts import font_stack, require_font

            first, _ = require_font(family, bold=bold, italic=italic)
            families = (family, self.theme.body_font, *self.theme.fallback_fonts, *self.theme.font_families)
            rest = (path for _, path in font_stack(families, bold=bold, italic=italic))
            found = self._stacks[key] = tuple(dict.fromkeys((first, *rest)))
        return found

    def line_height(self, family: str, size: float, line: float, bold: bool = False) -> float:
        """A line of `family` at `size` points and `line` spacing: the font's ascent, descent and line gap
        (OS/2 win metrics, as Word takes them) times the spacing."""
        from ...text.fonts import metrics

        face = metrics(self.stack(family, bold)[0])
        return (face.ascent + face.descent + face.line_gap) * size * line
