"""The follow-up in the Word summary: key messages, each session's table of actions, the "All actions"
annex, the table of actions by status, and what changed since the last meeting.

Tables repeat their header row on every page they cross (w:tblHeader, which also marks the header cells for
assistive technology), never split a row across pages (w:cantSplit), and name themselves (w:tblCaption).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from ... import words as words_
from ...markup import Rich
from .styles import _PPR_ORDER
from .text import _plain, keep_with_next

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ...model import Action, Event, Session
    from ...since import Changes
    from ...theme import Theme
    from .styles import _StyleIds
    from .text import _Text

CELL_STYLE = "Normal"
"""The paragraph style of table cells: every Word document and template has it."""

# Each column's share of the text width, in fiftieths of a percent (w:type="pct": 5000 is the whole width).
SESSION_COLUMNS = (2500, 1100, 700, 700)
ANNEX_COLUMNS = (750, 1950, 1000, 650, 650)  # "in progress" on one line


class FollowUp:
    """Writes the follow-up parts of one summary: made once per document, with its styles and words."""

    def __init__(
        self, event: Event, styles: _StyleIds, theme: Theme, text: _Text, today: date, changes: Changes | None
    ) -> None:
        self.event, self.styles, self.theme, self.text, self.today = event, styles, theme, text, today
        self.changes = changes  # what changed since the last meeting (build --since), else None
        self.words = event.meta.words.follow_up

    def key_messages(self) -> list[Any]:
        """A Heading 1 and the key messages as bullets; [] when the source has none."""
        messages = self.event.meta.key_messages
        if not messages:
            return []
        return [
            self.text.paragraph(self.styles.heading1, self.words.key_messages),
            *[self.text.rich_paragraph(self.styles.bullet, m) for m in messages],
        ]

    def since(self, changes: Changes | None) -> list[Any]:
        """A Heading 1 "Since the last meeting", and per kind of change a Heading 2 and its bullets."""
        if changes is None:
            return []
        out = [self.text.paragraph(self.styles.heading1, self.words.since)]
        for heading, lines in changes.sections(self.words, self.today):
            out.append(self.text.paragraph(self.styles.heading2, heading))
            out += [self.text.paragraph(self.styles.bullet, line) for line in lines]
        return out

    def session_rows(self, session: Session) -> list[list[str]]:
        """The rows of the session's actions table as its cells say them, the header first; [] for a
        session without actions."""
        if not session.actions:
            return []
        w = self.words
        return [[w.action, w.owner, w.due, w.status], *(self._action_cells(a) for a in session.actions)]

    def session_table(self, session: Session, rows: list[list[str]], *, keep_together: bool = False) -> list[Any]:
        """The session's actions table from its `rows` (session_rows: Action · Owner · Due · Status); [] for
        none. With `keep_together` every row keeps with the next: the table stays on one page, with what
        precedes it when that keeps with the table."""
        if not rows:
            return []
        header, *body = rows
        caption = f"{self.words.actions}: {session.heading}"
        return [self._table(caption, tuple(header), body, SESSION_COLUMNS, keep_together=keep_together)]

    def annex(self) -> list[Any]:
        """A Heading 1 "All actions" and every action in one table sorted by due date, then the actions by
        status per session as a table; [] when the source has no actions."""
        if not self.event.actions:
            return []
        w = self.words
        rows = [
            [words_.place(day, session), *self._action_cells(a)] for day, session, a in words_.by_due_date(self.event)
        ]
        header = (w.session, w.action, w.owner, w.due, w.status)
        counts = [[words_.place(d, s), *(str(n) for n in row)] for d, s, row in words_.status_counts(self.event)]
        status_header = (w.session, *(words_.capital(status) for status in w.statuses))
        return [
            self.text.paragraph(self.styles.heading1, w.all_actions),
            self._table(w.all_actions, header, rows, ANNEX_COLUMNS),
            self.text.paragraph(self.styles.heading2, w.by_status),
            self._table(w.by_status, status_header, counts, (1400, 900, 900, 900, 900)),
        ]

    def _action_cells(self, action: Action) -> list[str]:
        return [
            action.action,
            action.owner,
            words_.due(action, self.today, self.words),
            self.words.status_of(action.status),
        ]

    def _table(
        self,
        caption: str,
        header: tuple[str, ...],
        rows: list[list[str]],
        widths: tuple[int, ...],
        *,
        keep_together: bool = False,
    ) -> Any:
        """A table as wide as the text: a bold header row repeated on every page and kept with the first row,
        rows kept whole; with `keep_together` every row keeps with the next, so the table is not broken
        across pages.

        The table is written out as XML and parsed once: building 2,400 rows element by element through
        python-docx (or copying prototypes) cost more than the rest of an 800-session summary. Text that
        needs more than one plain run (markup, east-asian or right-to-left scripts) is made by the document's
        _Text into the cells left empty for it, so every cell holds what `rich_paragraph` would make.
        """
        border = self.theme.muted.lstrip("#")
        edges = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{border}"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        grid = "".join(f'<w:gridCol w:w="{width * 2}"/>' for width in widths)  # twips on a ~10,000-twip width
        # Rows 0 (the header) to kept - 1 keep with the next: the header never ends a page alone.
        kept = len(rows) if keep_together else min(len(rows), 1)
        later: list[tuple[int, int, str]] = []  # (row, column, text) of the cells _Text fills after parsing
        body = "".join(self._row_xml(n, cells, widths, later, keep=n < kept) for n, cells in enumerate((header, *rows)))
        table = parse_xml(
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{edges}</w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>'
            '</w:tblCellMar><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/><w:tblCaption w:val="{escape(caption, _QUOTE)}"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
        )
        if later:
            table_rows = table.findall(_TR)
            for n, column, value in later:
                table_rows[n].findall(_TC)[column].append(self._cell_paragraph(value, head=n == 0, keep=n < kept))
        return table

    def _row_xml(
        self,
        n: int,
        cells: Sequence[str],
        widths: tuple[int, ...],
        later: list[tuple[int, int, str]],
        *,
        keep: bool,
    ) -> str:
        """Row `n` of a table (0: the header row) as XML; a cell whose text needs _Text is left empty and
        noted in `later`."""
        head = n == 0
        shade = '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>' if head else ""
        keep_next = "<w:keepNext/>" if keep else ""
        bold = "<w:rPr><w:b/></w:rPr>" if head else ""
        out = [f"<w:tr><w:trPr><w:cantSplit/>{'<w:tblHeader/>' if head else ''}</w:trPr>"]
        for column, (width, value) in enumerate(zip(widths, cells, strict=True)):
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="pct"/>{shade}</w:tcPr>')
            if (value.isascii() or _plain(value)) and not (isinstance(value, Rich) and value.has_markup):
                space = ' xml:space="preserve"' if value != value.strip() or "  " in value else ""
                out.append(
                    f'<w:p><w:pPr><w:pStyle w:val="{CELL_STYLE}"/>{keep_next}<w:spacing w:before="20" w:after="20"/>'
                    f"</w:pPr><w:r>{bold}<w:t{space}>{escape(value)}</w:t></w:r></w:p>"
                )
            else:
                later.append((n, column, value))
            out.append("</w:tc>")
        out.append("</w:tr>")
        return "".join(out)

    def _cell_paragraph(self, value: str, *, head: bool, keep: bool) -> Any:
        """A cell's paragraph made by _Text (markup, scripts, direction) with the cells' spacing; bold in
        the header row."""
        p = self.text.rich_paragraph(CELL_STYLE, value)
        _set_cell_spacing(p)
        if keep:
            keep_with_next(p)
        if head:
            for r in p.iter(qn("w:r")):
                rPr = r.find(qn("w:rPr"))
                if rPr is None:
                    rPr = OxmlElement("w:rPr")
                    r.insert(0, rPr)
                rPr.insert(0, OxmlElement("w:b"))
        return p


_CELL_SPACING = parse_xml(f'<w:spacing {nsdecls("w")} w:before="20" w:after="20"/>')
_SPACING_SUCCESSORS = frozenset(qn(tag) for tag in _PPR_ORDER[_PPR_ORDER.index("w:spacing") + 1 :])


def _set_cell_spacing(p: Any) -> None:
    """1 pt before and after a table cell's paragraph: a w:spacing placed where the schema's order wants it
    (python-docx's get_or_add_spacing scans every successor name for every paragraph, which is slow)."""
    pPr = p.get_or_add_pPr()
    spacing = copy.deepcopy(_CELL_SPACING)
    for at, child in enumerate(pPr):
        if child.tag in _SPACING_SUCCESSORS:
            pPr.insert(at, spacing)
            return
    pPr.append(spacing)


_TR, _TC = qn("w:tr"), qn("w:tc")
_QUOTE = {'"': "&quot;"}
