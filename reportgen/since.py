"""What changed since the last meeting: the actions of two sources matched, and the changes in words.

Actions match by `id` when both have one, else by their text (case and spacing aside). A text that names
more than one action on either side matches none of them, and a warning names them: the reader then adds ids.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .model import Action, Day, Event, Session
    from .words import FollowUpWords

Placed = tuple["Day", "Session", "Action"]


class Changes(NamedTuple):
    """The actions of a meeting against the one before: each list in the current source's order (removed:
    the previous one's); `moved` holds (session, action, old due, new due); `warnings` the ambiguous matches."""

    done: list[Placed]
    dropped: list[Placed]
    new: list[Placed]
    removed: list[Placed]
    moved: list[tuple[Day, Session, Action, date | None, date | None]]
    overdue: list[Placed]
    warnings: list[str]

    def sections(self, words: FollowUpWords, today: date) -> list[tuple[str, list[str]]]:
        """The changes as the documents print them: (heading, lines) for each kind of change with any,
        in the order done, dropped, new, removed, due dates moved, overdue; [] when nothing changed."""

        def line(day: Day, session: Session, action: Action) -> str:
            return f"{day.title} · {session.code}: {action.action} ({action.owner})"

        def day(value: date | None) -> str:
            return value.isoformat() if value else "—"

        kinds = [
            (words.done, [line(*p) for p in self.done]),
            (words.dropped, [line(*p) for p in self.dropped]),
            (words.new, [line(*p) for p in self.new]),
            (words.removed, [line(*p) for p in self.removed]),
            (words.moved, [f"{line(d, s, a)}: {day(old)} → {day(new)}" for d, s, a, old, new in self.moved]),
            (words.overdue_now, [f"{line(d, s, a)}: {day(a.due)}" for d, s, a in self.overdue]),
        ]
        return [(heading, lines) for heading, lines in kinds if lines]


def _text(action: Action) -> str:
    return re.sub(r"\s+", " ", str(action.action)).strip().casefold()


def compare(previous: Event, current: Event, today: date) -> Changes:
    """The changes from `previous` to `current`, overdue as of `today`."""
    old = previous.actions
    new = current.actions
    warnings: list[str] = []
    matched: dict[int, int] = {}  # index in new -> index in old
    old_ids = {a.id: i for i, (_, _, a) in enumerate(old) if a.id}
    for j, (_, _, action) in enumerate(new):
        if action.id and action.id in old_ids:
            matched[j] = old_ids[action.id]
    taken = set(matched.values())
    by_text_old: dict[str, list[int]] = {}
    for i, (_, _, action) in enumerate(old):
        if i not in taken and not (action.id and any(a.id == action.id for _, _, a in new)):
            by_text_old.setdefault(_text(action), []).append(i)
    by_text_new: dict[str, list[int]] = {}
    for j, (_, _, action) in enumerate(new):
        if j not in matched:
            by_text_new.setdefault(_text(action), []).append(j)
    for text, js in by_text_new.items():
        i_s = by_text_old.get(text, [])
        if not i_s:
            continue
        if len(js) == 1 and len(i_s) == 1:
            matched[js[0]] = i_s[0]
        else:
            places = [f"{new[j][0].title} {new[j][1].code} (now)" for j in js]
            places += [f"{old[i][0].title} {old[i][1].code} (before)" for i in i_s]
            warnings.append(
                f"--since: the action {str(new[js[0]][2].action)!r} stands in {', '.join(places)}; it is not "
                "matched, give each an id to follow it"
            )
    taken = set(matched.values())
    changes = Changes([], [], [], [], [], [], warnings)
    for j, (day, session, action) in enumerate(new):
        if j not in matched:
            changes.new.append((day, session, action))
        else:
            before = old[matched[j]][2]
            if action.status != before.status and action.status == "done":
                changes.done.append((day, session, action))
            if action.status != before.status and action.status == "dropped":
                changes.dropped.append((day, session, action))
            if action.due != before.due:
                changes.moved.append((day, session, action, before.due, action.due))
        if action.overdue(today):
            changes.overdue.append((day, session, action))
    changes.removed.extend(old[i] for i in range(len(old)) if i not in taken)
    return changes
