"""The brief's tables and its chart: a table block whose header row repeats on every page it crosses and
whose rows never split, and a bar chart of actions by status drawn with reportlab's canvas.

Tagged as PDF/UA asks: a table is a Table of TRs, its header cells THs scoped to their column, the others
TDs, each cell's text in its cell; the rules and shading are artifacts. The chart is a Figure whose
alternative text says every number it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor

from .backend import _draw_line
from .blocks import _Block
from .tagging import ARTIFACT, _Paragraph

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from ...text.shaping import Line, Span
    from .fonts import _Setter
    from .tagging import _Element

Cell = list["Span"]

SHORT = 40
"""Cells of at most this many characters are shaped once per text for the whole document."""


class _Table(_Block):
    """Rows of cells under a header row, as wide as the text, columns in the given proportions. Split
    between rows only: each part starts with the header again, and all parts make one Table element, whose
    header row is the first part's (drawn again on later pages as an artifact, so it is read once)."""

    PAD = 3.0  # points inside each cell, on every side

    def __init__(
        self,
        setter: _Setter,
        header: list[Cell],
        rows: list[list[Cell]],
        columns: tuple[float, ...],
        size: float,
        rule: str,
        shade: str,
        space_before: float = 0.0,
        space_after: float = 0.0,
        name: str = "",
    ) -> None:
        self.setter, self.header, self.rows, self.columns, self.size = setter, header, rows, columns, size
        self.rule, self.shade, self.name = rule, shade, name
        self.space_before, self.space_after = space_before, space_after
        self.leading = size * 1.25
        self.width = 0.0
        self.laid: list[tuple[list[list[Line]], float]] = []  # per row, header first: its cells' lines, height
        self.structure: list[_Element] = []  # the Table element, made when first drawn, shared by the parts
        self.repeated = False  # a later part: its header row repeats the first part's

    def __str__(self) -> str:
        return f"the table {self.name!r}" if self.name else "a table"

    def _lay(self, width: float) -> None:
        if self.width == width and self.laid:
            return
        self.width = width
        self.laid = []
        for cells in (self.header, *self.rows):
            lines = []
            for cell, share in zip(cells, self.columns, strict=True):
                room = width * share - 2 * self.PAD
                # Short texts recur (owners, dates, statuses, the header row of every table): shaped once.
                keep = sum(len(span.text) for span in cell) <= SHORT
                lines.append(self.setter.shape(cell, self.size, keep=keep).lines(room) if cell else [])
            height = max(max(len(c), 1) for c in lines) * self.leading + 2 * self.PAD
            self.laid.append((lines, height))

    def wrap(self, width: float) -> float:
        self._lay(width)
        return sum(height for _, height in self.laid)

    def head_height(self, width: float) -> float:
        self._lay(width)
        return sum(height for _, height in self.laid[:2])

    def split(self, width: float, height: float) -> list[_Block]:
        self._lay(width)
        room = height - self.laid[0][1]
        fit = 0
        for _, row_height in self.laid[1:]:
            if row_height > room + 1e-6:
                break
            room -= row_height
            fit += 1
        if fit == 0 or fit == len(self.rows):
            return []
        parts: list[_Block] = []
        head = self.laid[0]
        for rows, laid, before, after in (
            (self.rows[:fit], self.laid[1 : fit + 1], self.space_before, 0.0),
            (self.rows[fit:], self.laid[fit + 1 :], 0.0, self.space_after),
        ):
            part = _Table(
                self.setter, self.header, rows, self.columns, self.size, self.rule, self.shade, before, after, self.name
            )
            # The rows as laid here, so the rest is not shaped again at each page of a long table.
            part.width, part.laid = width, [head, *laid]
            part.structure, part.repeated = self.structure, self.repeated or bool(parts)
            parts.append(part)
        return parts

    def draw_on(self, canvas: Canvas, x: float, y: float) -> None:
        tags = canvas.tags
        if not self.structure:
            tags.list = None
            self.structure.append(tags.add(tags.root, "Table"))
        (table,) = self.structure
        total = self.wrap(self.width)
        # The shading and the rules: decorations.
        canvas.addLiteral(ARTIFACT)
        canvas.saveState()
        canvas.setFillColor(HexColor(self.shade))
        canvas.rect(x, y + total - self.laid[0][1], self.width, self.laid[0][1], stroke=0, fill=1)
        canvas.setStrokeColor(HexColor(self.rule))
        canvas.setLineWidth(0.5)
        top = y + total
        for _, height in self.laid:
            canvas.line(x, top, x + self.width, top)
            top -= height
        canvas.line(x, top, x + self.width, top)
        left = x
        for share in (0.0, *self.columns):
            left += self.width * share
            canvas.line(left, y, left, y + total)
        canvas.restoreState()
        canvas.addLiteral("EMC")
        top = y + total
        for n, (lines, height) in enumerate(self.laid):
            artifact = n == 0 and self.repeated
            row = None if artifact else tags.add(table, "TR")
            if artifact:
                canvas.addLiteral(ARTIFACT)
            left = x
            for cell_lines, share in zip(lines, self.columns, strict=True):
                structure = None if row is None else _Paragraph(tags, tags.add(row, "TH" if n == 0 else "TD"))
                baseline = top - self.PAD - self.size
                for line in cell_lines:
                    begins = None if structure is None else structure.line(line)[0]
                    _draw_line(canvas, line, left + self.PAD, baseline, self.size, begins)
                    baseline -= self.leading
                left += self.width * share
            if artifact:
                canvas.addLiteral("EMC")
            top -= height


class _Chart(_Block):
    """Actions by status per session as horizontal stacked bars: a legend, then per session its label, a
    bar of one segment per status with any action, and the counts in words after it. A Figure, its
    alternative text the same numbers in words."""

    def __init__(
        self,
        setter: _Setter,
        legend: list[tuple[Cell, str]],
        rows: list[tuple[Cell, list[int], Cell]],
        alt: str,
        size: float,
        space_before: float = 0.0,
        space_after: float = 0.0,
        alt_of: Callable[[list[tuple[Cell, list[int], Cell]]], str] | None = None,
    ) -> None:
        self.setter, self.legend, self.rows, self.alt, self.size = setter, legend, rows, alt, size
        self.alt_of = alt_of
        self.space_before, self.space_after = space_before, space_after
        self.bar = size * 1.1
        self.gap = size * 0.6
        self.width = 0.0

    def __str__(self) -> str:
        return "the chart of actions by status"

    def split(self, width: float, height: float) -> list[_Block]:
        """Between sessions: the first part as many as fit under the legend, the rest a chart (and Figure,
        with its own alternative text) of its own; `alt_of(rows)` says the numbers of any rows."""
        fit = int(height // (self.bar + self.gap)) - 1
        if fit < 1 or fit >= len(self.rows) or self.alt_of is None:
            return []
        made: list[_Block] = []
        for rows, before, after in (
            (self.rows[:fit], self.space_before, 0.0),
            (self.rows[fit:], 0.0, self.space_after),
        ):
            made.append(
                _Chart(self.setter, self.legend, rows, self.alt_of(rows), self.size, before, after, self.alt_of)
            )
        return made

    def wrap(self, width: float) -> float:
        self.width = width
        return (len(self.rows) + 1) * (self.bar + self.gap)

    def draw_on(self, canvas: Canvas, x: float, y: float) -> None:
        tags = canvas.tags
        tags.list = None
        alt = self.alt.encode("utf-16-be").hex().upper()
        canvas.addLiteral(tags.begin(tags.figure(self.alt), f" /Alt <FEFF{alt}>"))
        canvas.saveState()
        size, bar = self.size, self.bar
        # The session labels' column: as wide as the widest label, a fifth of the width at most (longer ones
        # are shortened).
        widest = max(
            (self.setter.shape(label, size, keep=False).line().width for label, _, _ in self.rows), default=0.0
        )
        label_width = min(self.width * 0.2, widest + size)
        most = max((sum(counts) for _, counts, _ in self.rows), default=1) or 1
        # Bars take half the width at most, less where a row's counts in words would not fit after its bar
        # (a small chart, as on a handout's slide), but never under a tenth: then the words are shortened.
        unit = self.width * 0.5 / most
        for _, counts, words in self.rows:
            if sum(counts):
                room = self.width - label_width - size * 0.5 - self.setter.shape(words, size, keep=False).line().width
                unit = min(unit, room / sum(counts))
        unit = max(unit, self.width * 0.1 / most)
        top = y + self.wrap(self.width)
        # The legend: a swatch and the status's name for each status.
        left = x
        for cell, colour in self.legend:
            canvas.setFillColor(HexColor(colour))
            canvas.rect(left, top - bar, size * 0.8, size * 0.8, stroke=0, fill=1)
            line = self.setter.shape(cell, size).line()
            _draw_line(canvas, line, left + size * 1.2, top - bar, size)
            left += size * 2.2 + line.width
        top -= bar + self.gap
        colours = [colour for _, colour in self.legend]
        for label, counts, words in self.rows:
            baseline = top - bar + (bar - size) / 2 + size * 0.15
            line = self.setter.fit(label, size, label_width - size * 0.5)
            _draw_line(canvas, line, x, baseline, size)
            left = x + label_width
            for count, colour in zip(counts, colours, strict=True):
                if count:
                    canvas.setFillColor(HexColor(colour))
                    canvas.rect(left, top - bar, count * unit, bar, stroke=0, fill=1)
                    left += count * unit
            room = x + self.width - left - size * 0.5
            if room > size:
                _draw_line(canvas, self.setter.fit(words, size, room), left + size * 0.5, baseline, size)
            top -= bar + self.gap
        canvas.restoreState()
        canvas.addLiteral("EMC")
