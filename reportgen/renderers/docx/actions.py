"""The follow-up in the Word summary: key messages, each session's table of actions, the "All actions"
annex, the table of actions by status, and what changed since the last meeting.

Tables repeat their header row on every page they cross (w:tblHeader, which also marks the header cells for
assistive technology), never split a row across pages (w:cantSplit), and name themselves (w:tblCaption).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import TYPE_CHECKING, Any

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

from ... import words as words_
from .styles import _PPR_ORDER

if TYPE_CHECKING:
    from ...model import Action, Event, Session
    from ...since import Changes
    from ...theme import Theme
    from .styles import _StyleIds
    from .text import _Text

CELL_STYLE = "Normal"
"""The paragraph style of table cells: every Word document and template has it."""

# Each column's share of the text width, in fiftieths of a percent (w:type="pct": 5000 is the whole width).
SESSION_COLUMNS = (2500, 1100, 700, 700)
ANNEX_COLUMNS = (800, 2000, 1000, 650, 550)


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

    def session_table(self, session: Session) -> list[Any]:
        """The session's actions as a table (Action · Owner · Due · Status); [] for a session without."""
        if not session.actions:
            return []
        w = self.words
        rows = [self._action_cells(a) for a in session.actions]
        caption = f"{w.actions}: {session.heading}"
        return [self._table(caption, (w.action, w.owner, w.due, w.status), rows, SESSION_COLUMNS)]

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

    def _table(self, caption: str, header: tuple[str, ...], rows: list[list[str]], widths: tuple[int, ...]) -> Any:
        """A table as wide as the text: a bold header row repeated on every page, rows kept whole."""
        border = self.theme.muted.lstrip("#")
        edges = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="{border}"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        table = parse_xml(
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders>{edges}</w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>'
            '</w:tblCellMar><w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid/></w:tbl>'
        )
        caption_element = OxmlElement("w:tblCaption")
        caption_element.set(qn("w:val"), caption)
        table.tblPr.append(caption_element)
        grid = table.find(qn("w:tblGrid"))
        for width in widths:
            column = OxmlElement("w:gridCol")
            column.set(qn("w:w"), str(width * 2))  # twips on a ~10,000-twip text width; tblW and tcW decide
            grid.append(column)
        table.append(self._row(header, widths, head=True))
        for row in rows:
            table.append(self._row(row, widths, head=False))
        return table

    def _row(self, cells: tuple[str, ...] | list[str], widths: tuple[int, ...], *, head: bool) -> Any:
        # The row and its cells' properties are written out and parsed once: building them element by
        # element through python-docx cost most of a long annex's time (2,400 rows at 800 sessions).
        shade = '<w:shd w:val="clear" w:color="auto" w:fill="F2F2F2"/>' if head else ""
        cells_xml = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="pct"/>{shade}</w:tcPr></w:tc>' for w in widths)
        header = "<w:tblHeader/>" if head else ""
        tr = parse_xml(f"<w:tr {nsdecls('w')}><w:trPr><w:cantSplit/>{header}</w:trPr>{cells_xml}</w:tr>")
        for tc, value in zip(tr.iterchildren(qn("w:tc")), cells, strict=True):
            p = self.text.rich_paragraph(CELL_STYLE, value)
            _set_cell_spacing(p)
            if head:
                for r in p.iter(qn("w:r")):
                    rPr = r.find(qn("w:rPr"))
                    if rPr is None:
                        rPr = OxmlElement("w:rPr")
                        r.insert(0, rPr)
                    rPr.insert(0, OxmlElement("w:b"))
            tc.append(p)
        return tr


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
