"""Pagination: the brief's blocks laid down page after page, and each page's background and footer."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm

from ...errors import RenderError
from ...text.shaping import Span
from .backend import _draw_line

if TYPE_CHECKING:
    from ...model import Words
    from ...theme import Theme
    from .backend import _Canvas
    from .blocks import _Block
    from .fonts import _Setter


class _Pages:
    """Lays the brief's blocks down the text area of page after page, as reportlab's platypus laid them
    in one frame inside the margins; platypus took 50-70 ms to import, for far more than a brief needs.

    A block goes below the one before, separated by the larger of the room kept below that one and
    above this one; at the top of a page the room above is dropped. A block that does not fit is split
    (a paragraph keeps no single line alone at either end) or moved to the next page. A run of blocks
    kept with the next one moves to the next page when it does not fit together with the least of that
    one a page may end with (a paragraph's first two lines, or all of a block that cannot be broken),
    unless it would not fit on an empty page either: then its blocks are laid one by one from where they
    are. A block that opens a page and says what a page it goes on to begins with (its `carry`: a session's
    heading, "(continued)") has that laid above it.
    The story is taken as it is laid, so only the blocks of a run and the one after it are ever held.
    """

    FUZZ = 1e-6  # how far a block may reach below the foot of the text area, against rounding

    def __init__(self, canvas: _Canvas, margin: float) -> None:
        self.canvas = canvas
        page_width, page_height = canvas.page_size
        # The text area as platypus worked it out from the page size and margins, so every position is
        # the same floating-point number as before.
        width: float = (page_width - margin) - margin
        height: float = (page_height - margin) - margin
        self.left, self.bottom, self.top = margin, margin, margin + height
        self.width = (margin + width) - margin
        self.y = self.top  # where the next block's room above starts
        self.at_top = True  # nothing laid on this page yet
        self.after = 0.0  # the room kept below the last block laid
        self.carried = False  # whether this page begins with a block's carry
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
        """Draw `block` next if it fits whole, below its carry when it opens a page; return whether it did."""
        carry = getattr(block, "carry", None)
        if carry is not None and self.at_top and not self.carried:
            self.carried = True
            self._place(carry())
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
        self.y, self.at_top, self.after, self.carried = self.top, True, 0.0, False


class _Footer:
    """The page background (unless white) and the running footer: a hairline, the footer text at left
    and "Page X of Y" at right."""

    def __init__(self, label: str, words: Words, theme: Theme, setter: _Setter) -> None:
        self.label, self.words, self.theme, self.setter = label, words, theme, setter

    def draw(self, canvas: _Canvas, page: int, total: int) -> None:
        """Draw the background and footer of page `page` of `total` (called as the document is saved)."""
        theme, stack = self.theme, self.setter.stacks.body.paths
        width, height = canvas.page_size
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
