"""An event's actions as data for other tools: CSV, JSON and iCalendar to-dos, each as bytes.

Every export lists the actions in document order with the same fields (day, session, id, action, owner, due,
status, sdg); the action is its plain text (what a reader sees, markup removed). Exports are reproducible: the
iCalendar DTSTAMP is the build time given, never the clock. `icalendar` is imported only for the ics format.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Event

FORMATS = ("csv", "json", "ics")
COLUMNS = ("day", "session", "id", "action", "owner", "due", "status", "sdg")


def rows(event: Event) -> list[dict[str, Any]]:
    """One record per action, in document order: the COLUMNS, `due` as YYYY-MM-DD or None, `sdg` a list."""
    return [
        {
            "day": day.title,
            "session": session.heading,
            "id": action.id,
            "action": str(action.action),
            "owner": action.owner,
            "due": action.due.isoformat() if action.due else None,
            "status": action.status,
            "sdg": list(action.sdg),
        }
        for day, session, action in event.actions
    ]


def export(event: Event, format: str, stamp: datetime) -> bytes:
    """The actions of `event` in `format` ("csv", "json" or "ics"); `stamp` is the build time (ics DTSTAMP).

    Raises ValueError for another format."""
    if format == "csv":
        return _csv(event)
    if format == "json":
        text = json.dumps({"event": event.title, "actions": rows(event)}, ensure_ascii=False, indent=2)
        return (text + "\n").encode()
    if format == "ics":
        return _ics(event, stamp)
    raise ValueError(f"unknown export format {format!r} (choose from: {', '.join(FORMATS)})")


def _csv(event: Event) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)  # RFC 4180: CRLF line ends, quotes where needed
    writer.writerow(COLUMNS)
    for row in rows(event):
        writer.writerow(
            [row["due"] or "" if c == "due" else " ".join(row[c]) if c == "sdg" else row[c] or "" for c in COLUMNS]
        )
    return out.getvalue().encode()


def _ics(event: Event, stamp: datetime) -> bytes:
    from icalendar import Calendar, Todo

    calendar = Calendar()
    calendar.add("prodid", "-//reportgen//actions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", event.title)
    when = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
    for n, (row, (_, _, action)) in enumerate(zip(rows(event), event.actions, strict=True)):
        todo = Todo()
        todo.add("uid", _uid(event.title, row, n))
        todo.add("dtstamp", when)
        todo.add("summary", row["action"])
        todo.add("description", f"{row['session']} ({row['day']}). Owner: {row['owner']}.")
        todo.add("categories", [row["session"], *[f"SDG {code}" for code in row["sdg"]]])
        if action.due is not None:
            todo.add("due", action.due)  # a DATE: due by the end of that day, in the reader's zone
        todo.add("status", _ICS_STATUS[action.status])
        todo.add("x-reportgen-owner", row["owner"])
        calendar.add_component(todo)
    data: bytes = calendar.to_ical()
    return data


_ICS_STATUS = {"open": "NEEDS-ACTION", "in progress": "IN-PROCESS", "done": "COMPLETED", "dropped": "CANCELLED"}
"""RFC 5545 3.8.1.11: the to-do statuses ours map to."""


def _uid(title: str, row: dict[str, Any], n: int) -> str:
    """A stable UID: from the action's id when it has one (so a re-import updates the to-do), else from its
    place and text."""
    key = row["id"] or f"{row['day']}|{row['session']}|{n}|{row['action']}"
    return hashlib.sha256(f"{title}|{key}".encode()).hexdigest()[:32] + "@reportgen"
