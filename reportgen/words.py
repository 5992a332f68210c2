"""The lines the documents add around the source's text, composed once so that every format prints the same.

Each function takes the event's resolved words (`EventInfo.words`: labels in the event's language, or the
source's own) and returns the line a reader sees; renderers draw it and never compose it themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .markup import Rich, Run

if TYPE_CHECKING:
    from .model import Day, Event, EventInfo, Session, Words

SEPARATOR = " · "
"""Between the parts of one composed line: the title block's date, venue and organiser; the moderator and
the rapporteur; a day's counts."""


def roles(session: Session, words: Words) -> Rich | None:
    """The moderator and rapporteur line, "Moderator: Ana · Rapporteur: João" as the language writes it
    ("Modération : Ana" in French, "主持人：Ana" in Chinese), each role's label and colon in bold; None when
    the session names neither."""
    runs: list[Run] = []
    for label, name in ((words.moderator, session.moderator), (words.rapporteur, session.rapporteur)):
        if name:
            if runs:
                runs.append(Run(SEPARATOR))
            role = words.role(label, name)
            runs.append(Run(role[: len(role) - len(name)], bold=True))
            runs.append(Run(name))
    return Rich(runs) if runs else None


def details(meta: EventInfo) -> str | None:
    """The title block's second line: date, venue and organiser, whichever are given, in that order; None
    for none of them."""
    parts = [part for part in (meta.date, meta.venue, meta.organiser) if part]
    return SEPARATOR.join(parts) or None


def day_summary(day: Day, words: Words) -> str:
    """A day's counts in words with each number's plural form: "4 sessions · 9 key outcomes"."""
    return words.count("sessions", len(day.sessions)) + SEPARATOR + words.count("outcomes", day.outcome_count)


def event_summary(event: Event, words: Words) -> str:
    """The whole event's counts, as a day's are given: "8 sessions · 17 key outcomes"."""
    sessions = sum(len(day.sessions) for day in event.days)
    outcomes = sum(day.outcome_count for day in event.days)
    return words.count("sessions", sessions) + SEPARATOR + words.count("outcomes", outcomes)
