"""The follow-up in the PDF brief, as blocks: key messages, what changed since the last meeting, each
session's table of actions, the "All actions" annex and the chart of actions by status."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from ... import words as composed
from ...text.shaping import Span
from .tables import _Chart, _Table

if TYPE_CHECKING:
    from ...model import Action, Event, Session
    from ...since import Changes
    from ...theme import Theme
    from .blocks import _Block, _Style, _Text
    from .fonts import _Setter

Para = Callable[..., "_Text"]

SESSION_COLUMNS = (0.5, 0.22, 0.15, 0.13)
ANNEX_COLUMNS = (0.16, 0.4, 0.18, 0.14, 0.12)
SHADE = "#F2F2F2"


class FollowUp:
    """Makes the follow-up blocks of one brief, with its theme, words, styles and paragraph maker."""

    def __init__(
        self,
        event: Event,
        theme: Theme,
        setter: _Setter,
        para: Para,
        rich: Callable[[str, str], list[Span]],
        today: date,
        changes: Changes | None,
    ) -> None:
        self.event, self.theme, self.setter, self.para, self.rich = event, theme, setter, para, rich
        self.today, self.changes = today, changes
        self.words = event.meta.words.follow_up
        self.size = theme.body_size * 0.85

    def opening(self, heading: _Style, subheading: _Style, item: _Style, bullet: object) -> Iterator[_Block]:
        """Key messages, then what changed since the last meeting, after the title block."""
        w, theme, stacks = self.words, self.theme, self.setter.stacks
        if self.event.meta.key_messages:
            yield self._heading(w.key_messages, heading, "key-messages", 0, "H2")
            for message in self.event.meta.key_messages:
                yield self.para(self.rich(message, theme.text), item, bullet, role="LI")
        if self.changes is not None:
            yield self._heading(w.since, heading, "since", 0, "H2")
            for n, (title, lines) in enumerate(self.changes.sections(w, self.today)):
                yield self._heading(title, subheading, f"since.{n}", 1, "H3")
                for line in lines:
                    yield self.para([Span(line, stacks.body.paths, theme.text)], item, bullet, role="LI")

    def _heading(self, text: str, style: _Style, key: str, level: int, role: str) -> _Text:
        spans = [Span(text, self.setter.stacks.heading_bold.paths, self.theme.primary)]
        return self.para(spans, style, outline=(key, text, level), role=role)

    def session_table(self, session: Session) -> Iterator[_Block]:
        """The session's actions as a table under its outcomes; nothing for a session without."""
        if session.actions:
            w = self.words
            header = [self._bold(t) for t in (w.action, w.owner, w.due, w.status)]
            rows = [self._cells(a) for a in session.actions]
            yield self._table(header, rows, SESSION_COLUMNS, f"{w.actions}: {session.heading}")

    def annex(self, heading: _Style, subheading: _Style) -> Iterator[_Block]:
        """ "All actions" sorted by due date, then the chart of actions by status; nothing without actions."""
        if not self.event.actions:
            return
        w, theme = self.words, self.theme
        yield self._heading(w.all_actions, heading, "all-actions", 0, "H2")
        header = [self._bold(t) for t in (w.session, w.action, w.owner, w.due, w.status)]
        rows = [[self._plain(composed.place(d, s)), *self._cells(a)] for d, s, a in composed.by_due_date(self.event)]
        yield self._table(header, rows, ANNEX_COLUMNS, w.all_actions)
        yield self._heading(w.by_status, subheading, "by-status", 1, "H3")
        colours = theme.status_colours
        legend = [
            (self._plain(composed.capital(name)), colour) for name, colour in zip(w.statuses, colours, strict=True)
        ]
        chart_rows = []
        for day, session, counts in composed.status_counts(self.event):
            said = ", ".join(f"{n} {w.statuses[i]}" for i, n in enumerate(counts) if n)
            chart_rows.append((self._plain(composed.place(day, session)), counts, self._plain(said)))
        spoken = {
            id(row): f"{''.join(s.text for s in row[0])}: {''.join(s.text for s in row[2])}." for row in chart_rows
        }

        def alt_of(rows: list[Any]) -> str:  # a part of a chart that a page break cut
            return " ".join([w.by_status + ".", *(spoken[id(row)] for row in rows)])

        description = composed.chart_description(self.event, w)
        yield _Chart(self.setter, legend, chart_rows, description, self.size, self.size * 0.5, self.size, alt_of)

    def _table(
        self, header: list[list[Span]], rows: list[list[list[Span]]], columns: tuple[float, ...], name: str
    ) -> _Table:
        size = self.size
        return _Table(self.setter, header, rows, columns, size, self.theme.muted, SHADE, size * 0.6, size * 0.8, name)

    def _cells(self, action: Action) -> list[list[Span]]:
        due = composed.due(action, self.today, self.words)
        overdue = action.overdue(self.today)
        return [
            self.rich(action.action, self.theme.text),
            self._plain(action.owner),
            [
                Span(
                    due,
                    (self.setter.stacks.body_bold if overdue else self.setter.stacks.body).paths,
                    self.theme.text,
                    None,
                    overdue,
                )
            ],
            self._plain(self.words.status_of(action.status)),
        ]

    def _plain(self, text: str) -> list[Span]:
        return [Span(str(text), self.setter.stacks.body.paths, self.theme.text)]

    def _bold(self, text: str) -> list[Span]:
        return [Span(text, self.setter.stacks.look(bold=True).paths, self.theme.primary, None, True)]

    def texts(self) -> Iterator[tuple[bool, str]]:
        """Every text the follow-up sets, with whether it is bold, for the font coverage check."""
        w = self.words
        for word in (w.key_messages, w.since, w.all_actions, w.by_status, w.action, w.owner, w.due, w.status,
                     w.session, w.overdue, *w.statuses):  # fmt: skip
            yield True, word
        for message in self.event.meta.key_messages:
            yield False, str(message)
        for day, session, action in self.event.actions:
            yield False, f"{action.action} {action.owner} {composed.place(day, session)} {action.due or ''} →, ()"
        yield False, ", ".join(w.statuses) + "0123456789"
