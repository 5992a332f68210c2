"""The deck's follow-up slides, planned: key messages (the second slide), what changed since the last
meeting, each session's actions (on its slide when they fit, else on slides of their own), the chart of
actions by status and the next steps. Pure, like plan.py, whose planner these functions extend."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from ... import words as composed
from ...markup import Rich, Run
from .spec import BULLET_GAP, BULLET_INDENT, ChartSpec, Para, Role, SlideKind

if TYPE_CHECKING:
    from ...model import Action, Day, Session
    from ...since import Changes
    from .plan import _Planner

Units = Callable[[float], tuple[list[Para], float]]
"""A slide body's paragraphs at a size, and their indent (what _Planner._paged lays out)."""


def _bullets(texts: Sequence[str]) -> Units:
    def units_at(size: float) -> tuple[list[Para], float]:
        return [Para(t, Role.BULLET, space_before=BULLET_GAP * size) for t in texts], BULLET_INDENT * size

    return units_at


def _headed(planner: _Planner, sections: list[tuple[str, list[str]]]) -> Units:
    """Units for lists under headings: each heading set as an agenda's day is (never left alone at the foot
    of a slide, repeated "(continued)" above the rest), its lines bullets."""

    def units_at(size: float) -> tuple[list[Para], float]:
        units: list[Para] = []
        for heading, lines in sections:
            units.append(Para(heading, Role.DAY, space_before=2 * BULLET_GAP * size, style=planner.day_style))
            units += [Para(line, Role.BULLET, space_before=BULLET_GAP * size) for line in lines]
        return units, BULLET_INDENT * size

    return units_at


def action_line(action: Action, today: date, planner: _Planner, with_owner: bool = True) -> Rich:
    """An action as one bullet: its text, then "— owner · due · status" (due marked overdue in words)."""
    w = planner.words.follow_up
    details = [action.owner] if with_owner else []
    if action.due is not None:
        details.append(composed.due(action, today, w))
    details.append(w.status_of(action.status))
    runs = action.action.runs if isinstance(action.action, Rich) else (Run(action.action),)
    return Rich([*runs, Run(" — " + composed.SEPARATOR.join(details))])


def opening(planner: _Planner, today: date, changes: Changes | None) -> None:
    """The key messages slide (the deck's second) and the "Since the last meeting" slide(s)."""
    event, w = planner.event, planner.words.follow_up
    if event.meta.key_messages:
        title = planner._claim(w.key_messages, "key messages")
        planner._paged(SlideKind.SESSION, Para(title), None, _bullets(list(event.meta.key_messages)), title)
    if changes is not None:
        sections = changes.sections(w, today)
        if sections:
            title = planner._claim(w.since, "since")
            planner._paged(SlideKind.SESSION, Para(title), None, _headed(planner, sections), title)


def session_actions(planner: _Planner, day: Day, session: Session, start: int, today: date) -> None:
    """Put the session's actions on the session's slide, planned from `start`, when that slide holds them
    all with its outcomes; else on slides of their own after it."""
    w = planner.words.follow_up
    lines = [action_line(a, today, planner) for a in session.actions]
    if len(planner.slides) - start == 1:
        saved = planner.slides[start:]
        title = planner._session_title(saved[0].title, session.code)
        byline = composed.roles(session, planner.words)

        def together(size: float) -> tuple[list[Para], float]:
            gap = BULLET_GAP * size
            units = [Para(o, Role.BULLET, space_before=gap) for o in session.outcomes]
            units.append(Para(w.actions, Role.DAY, space_before=2 * gap, style=planner.day_style))
            units += [Para(line, Role.BULLET, space_before=gap) for line in lines]
            return units, BULLET_INDENT * size

        del planner.slides[start:]
        what = f"session {session.heading!r}"
        notes = session.notes or ""
        kicker = day.title
        if planner._paged(SlideKind.SESSION, title, byline, together, what, notes=notes, kicker=kicker, one_slide=True):
            return
        planner.slides += saved
    name = planner._claim(f"{session.heading}{composed.SEPARATOR}{w.actions}", day.title)
    title = planner._session_title(name, session.code)  # its code in the accent, as on the session's slide
    planner._paged(SlideKind.SESSION, title, None, _bullets(lines), name, kicker=day.title)


def closing(planner: _Planner, today: date) -> None:
    """The chart of actions by status, then the next steps: every open or in-progress action by due date."""
    event, w = planner.event, planner.words.follow_up
    if not event.actions:
        return
    counts = composed.status_counts(event)
    title = planner._claim(w.by_status, "chart")
    frame = planner._frame(Para(title), None)
    chart = ChartSpec(
        frame.body,
        tuple(composed.place(d, s) for d, s, _ in counts),
        tuple((composed.capital(name), tuple(row[i] for _, _, row in counts)) for i, name in enumerate(w.statuses)),
        planner.theme.status_colours,
        composed.chart_description(event, w),
        planner.body_min,
    )
    texts = [frame.title]
    bars = (frame.bar,) if frame.bar else ()
    planner._add(SlideKind.SESSION, title, texts, bars)
    planner.slides[-1] = planner.slides[-1]._replace(chart=chart)
    pending = [(d, s, a) for d, s, a in composed.by_due_date(event) if a.status in ("open", "in progress")]
    if pending:
        lines = [
            Rich([Run(f"{composed.place(d, s)}: ", bold=True), *action_line(a, today, planner).runs])
            for d, s, a in pending
        ]
        title = planner._claim(w.next_steps, "next steps")
        planner._paged(SlideKind.SESSION, Para(title), None, _bullets(lines), title)
