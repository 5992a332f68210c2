"""The lines the documents add around the source's text, composed once so that every format prints the same.

Each function takes the event's resolved words (`EventInfo.words`: labels in the event's language, or the
source's own) and returns the line a reader sees; renderers draw it and never compose it themselves.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from .markup import Rich, Run

if TYPE_CHECKING:
    from .model import Action, Day, Event, EventInfo, Session, Words

_FAR = date.max

SEPARATOR = " · "
"""Between the parts of one composed line: the title block's date, venue and organiser; the moderator and
the rapporteur; a day's counts."""


# French puts a no-break space before the high punctuation and inside guillemets; translators (and most
# keyboards) type an ordinary space there, which lets a line break before ":" or "?".
_FRENCH_BEFORE = re.compile(r"(?<=\S) ([:;!?»])")
_FRENCH_AFTER = re.compile(r"« ")


def typeset(text: str, language: str) -> str:
    """Text as the language's typography writes it: in French, the space typed before : ; ! ? and » and after
    « made a no-break space (U+00A0), so a line never starts with the punctuation; other languages as given."""
    if language.split("-")[0].lower() != "fr":
        return text
    return _FRENCH_AFTER.sub("«\u00a0", _FRENCH_BEFORE.sub("\u00a0\\1", text))


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


# -- actions and key messages ------------------------------------------------------------------------------


class FollowUpWords(NamedTuple):
    """The words for what a follow-up meeting follows up: key messages, the actions' table, their statuses
    (in model.STATUSES' order), the annex, the deck's next steps and what changed since the last meeting."""

    key_messages: str
    actions: str
    action: str
    owner: str
    due: str
    status: str
    session: str
    statuses: tuple[str, str, str, str]  # open, in progress, done, dropped
    overdue: str
    all_actions: str
    next_steps: str
    by_status: str
    since: str
    done: str  # the lists since the last meeting: actions done, dropped, new, removed, moved, overdue
    dropped: str
    new: str
    removed: str
    moved: str
    overdue_now: str

    def status_of(self, status: str) -> str:
        """A status in words: "in progress" -> "en cours" in French."""
        from .model import STATUSES

        return self.statuses[STATUSES.index(status)]


FOLLOW_UP: dict[str, FollowUpWords] = {
    "en": FollowUpWords(
        "Key messages", "Actions", "Action", "Owner", "Due", "Status", "Session",
        ("open", "in progress", "done", "dropped"), "overdue", "All actions", "Next steps",
        "Actions by status", "Since the last meeting", "Done", "Dropped", "New", "Removed",
        "Due dates moved", "Overdue",
    ),
    "fr": FollowUpWords(
        "Messages clés", "Actions", "Action", "Responsable", "Échéance", "Statut", "Session",
        ("ouverte", "en cours", "terminée", "abandonnée"), "en retard", "Toutes les actions", "Prochaines étapes",
        "Actions par statut", "Depuis la dernière réunion", "Terminées", "Abandonnées", "Nouvelles", "Retirées",
        "Échéances déplacées", "En retard",
    ),
    "es": FollowUpWords(
        "Mensajes clave", "Acciones", "Acción", "Responsable", "Plazo", "Estado", "Sesión",
        ("abierta", "en curso", "hecha", "descartada"), "vencida", "Todas las acciones", "Próximos pasos",
        "Acciones por estado", "Desde la última reunión", "Hechas", "Descartadas", "Nuevas", "Retiradas",
        "Plazos cambiados", "Vencidas",
    ),
    "de": FollowUpWords(
        "Kernbotschaften", "Maßnahmen", "Maßnahme", "Verantwortlich", "Fällig", "Status", "Sitzung",
        ("offen", "in Arbeit", "erledigt", "verworfen"), "überfällig", "Alle Maßnahmen", "Nächste Schritte",
        "Maßnahmen nach Status", "Seit dem letzten Treffen", "Erledigt", "Verworfen", "Neu", "Entfernt",
        "Verschobene Fristen", "Überfällig",
    ),
}  # fmt: skip
"""Built-in follow-up words by primary language subtag; any other language gets English ones."""


def follow_up_words(language: str) -> FollowUpWords:
    """The follow-up words of `language` ("fr-CA" -> French), English for a language without its own."""
    return FOLLOW_UP.get(language.split("-")[0].lower(), FOLLOW_UP["en"])


def due(action: Action, today: date, words: FollowUpWords) -> str:
    """An action's due date as the documents print it, "2027-06-30", with the overdue mark in words when it
    is past and the action is open or in progress: "2027-06-30 (overdue)"; "" for an action with no date."""
    if action.due is None:
        return ""
    text = action.due.isoformat()
    return f"{text} ({words.overdue})" if action.overdue(today) else text


def status_counts(event: Event) -> list[tuple[Day, Session, list[int]]]:
    """Per session with actions, in order: how many of its actions are open, in progress, done, dropped."""
    from .model import STATUSES

    rows = []
    for day in event.days:
        for session in day.sessions:
            if session.actions:
                statuses = [a.status for a in session.actions]
                rows.append((day, session, [statuses.count(s) for s in STATUSES]))
    return rows


def place(day: Day, session: Session) -> str:
    """Where an action was agreed, for a table that lists several sessions' actions: "Day 1 · A"."""
    return f"{day.title}{SEPARATOR}{session.code}"


def capital(text: str) -> str:
    """`text` with its first letter upper-case, as a column heading: "in progress" -> "In progress"."""
    return text[:1].upper() + text[1:]


def chart_description(event: Event, words: FollowUpWords) -> str:
    """The chart of actions by status in words, for its alternative text: "Actions by status. A: 2 open,
    1 done. B: 1 in progress." (statuses with no action left out)."""
    parts = [words.by_status + "."]
    for day, session, counts in status_counts(event):
        named = [f"{n} {words.statuses[i]}" for i, n in enumerate(counts) if n]
        parts.append(f"{place(day, session)}: {', '.join(named)}.")
    return " ".join(parts)


def by_due_date(event: Event) -> list[tuple[Day, Session, Action]]:
    """Every action sorted by due date (those without one last), ties in document order: the annex's order."""
    listed = event.actions
    return sorted(listed, key=lambda row: (row[2].due is None, row[2].due or _FAR))
