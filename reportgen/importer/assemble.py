"""Assembling: classified blocks -> a draft (title block, days, sessions, outcomes), each problem at its line.

Step 2 of an import. The blocks are read in order by one :class:`Assembler`; the level from which a heading
is a session is decided first, from the whole document (:func:`find_session_level`). Whatever the assembler
had to decide for the user (a day it assumed, a code it changed, a session it left out, a line it did not
understand) becomes a problem and a note kept at its place, for the writer to show as a YAML comment.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath

from ..errors import Diagnostic, SourceInvalid
from .read import Block, normalise

ASSUMED_DAY = "Day 1"
"""Title of the day made for sessions that come before any day heading."""


_DAY_WORDS = r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten"
_WEEKDAYS = r"monday|tuesday|wednesday|thursday|friday|saturday|sunday"
# A plain line is a day only when a separator or a weekday follows "Day N": "Day 1 was long" is text.
_DAY_LINE = re.compile(rf"^day\s+(?:{_DAY_WORDS})(?:\s*$|\s*[-–—:,(/|]|\s+(?:{_WEEKDAYS})\b)", re.IGNORECASE)
# A heading that starts with "Day N" is a day whatever follows.
_DAY_HEADING = re.compile(rf"^day\s+(?:{_DAY_WORDS})\b", re.IGNORECASE)
_SESSION_WORDS = r"(?:(?:breakout|parallel|plenary|thematic)\s+)?(?:session|workshop|breakout|panel)"
_SESSION_LINE = re.compile(
    rf"^{_SESSION_WORDS}\s+(?P<code>[A-Za-z]\d{{0,2}}|\d{{1,3}})"
    r"(?:\s*$|\s*[:.)\-–—]\s*(?P<title>.*)$|(?<=\d)\s+(?P<rest>\S.*)$)",
    re.IGNORECASE,
)
# "A. Title", "A: Title", "3) Title", "B – Title": only in headings, where the heading itself says "session".
_CODED_HEADING = re.compile(r"^(?P<code>[A-Za-z]|\d{1,3})(?:\s*[.:)]|\s+[-–—])\s+(?P<title>\S.*)$")
_PERSON = re.compile(r"^(?P<key>moderators?|rapporteurs?)\s*:\s*(?P<value>\S.*)$", re.IGNORECASE)
_EVENT_FIELD = re.compile(r"^(?P<key>date|venue|location|organi[sz]er)\s*:\s*(?P<value>\S.*)$", re.IGNORECASE)
_EVENT_KEYS = {"date": "date", "venue": "venue", "location": "venue", "organiser": "organiser"}


@dataclass
class Note:
    """A YAML comment at its place in the source ("not understood: ...", "check: ...")."""

    line: int
    text: str


@dataclass
class Item:
    """One outcome (or a bullet found outside any session), grown by the wrapped lines that follow it."""

    line: int
    text: str
    raw: str
    markup: str | None = None  # the text as markup already, when the reader knew its looks (Word's bold...)


@dataclass
class Session:
    line: int
    heading: str
    code: str | None
    title: str
    moderator: str | None = None
    rapporteur: str | None = None
    entries: list[Item | Note] = field(default_factory=list)
    before: list[Note] = field(default_factory=list)

    @property
    def outcomes(self) -> list[str]:
        return [e.text for e in self.entries if isinstance(e, Item) and e.text]


@dataclass
class Day:
    line: int
    title: str
    entries: list[Session | Item | Note] = field(default_factory=list)
    before: list[Note] = field(default_factory=list)
    dropped: list[Note] = field(default_factory=list)  # filled by finish() for a day that is left out

    @property
    def sessions(self) -> list[Session]:
        return [e for e in self.entries if isinstance(e, Session) and e.outcomes]


@dataclass
class Draft:
    """Everything the notes said, ready to be written: fields, days (kept or left out) and notes in order."""

    name: str
    event: dict[str, str]
    event_notes: list[Note | Item]
    days: list[Day]
    problems: list[tuple[int, str]]

    def plain(self) -> dict[str, object]:
        """The source as plain data, as the loader would build it from the emitted YAML."""
        return {
            "event": dict(self.event),
            "days": [
                {
                    "title": day.title,
                    "sessions": [session_fields(s) | {"outcomes": s.outcomes} for s in day.sessions],
                }
                for day in self.days
                if day.sessions
            ],
        }

    def problem_lines(self) -> list[str]:
        ordered = sorted(self.problems, key=lambda problem: problem[0])
        return [f"{self.name}:{line}: {message}" for line, message in ordered]


def session_fields(session: Session) -> dict[str, str]:
    """The session's text fields that have a value, in the order the source lists them."""
    fields = {"code": session.code, "title": session.title}
    fields |= {"moderator": session.moderator, "rapporteur": session.rapporteur}
    return {key: value for key, value in fields.items() if value is not None}


def _names_session(text: str) -> re.Match[str] | None:
    return _SESSION_LINE.match(text) or _CODED_HEADING.match(text)


def find_session_level(blocks: list[Block]) -> int | None:
    """The heading level from which a heading that names no day or session is a session; None: never.

    Read from the whole document before assembling it. Headings that say "Session A: ..." fix the level.
    Otherwise the other headings (the title heading aside) decide: below the level of "Day 2" headings the
    nearest level used; with no day headings, the second level used, or the only one. When sessions are
    plain lines ("Session 1: Title" without #), every such heading is a day.
    """
    days: list[int] = []
    sessions: list[int] = []
    others: set[int] = set()
    session_lines = False
    title_open = True  # the first level-1 heading before any structure is the document's title
    for block in blocks:
        if block.kind == "title" or (block.kind == "text" and _DAY_LINE.match(block.text)):
            title_open = False
        elif block.kind == "text" and _SESSION_LINE.match(block.text):
            title_open, session_lines = False, True
        elif block.kind == "heading":
            if _DAY_HEADING.match(block.text):
                days.append(block.level)
            elif _names_session(block.text):
                sessions.append(block.level)
            elif not (title_open and block.level == 1):
                others.add(block.level)
            title_open = False
    if sessions:
        return min(sessions)
    if session_lines:
        return None
    day_level = min(days, default=None)
    below = sorted(level for level in others if day_level is None or level > day_level)
    if day_level is None and len(below) >= 2:
        return below[1]
    return below[0] if below else None


class Assembler:
    """Reads blocks in order and builds the draft; one instance per import."""

    def __init__(self, name: str, joins_lines: bool, session_level: int | None, markup: Callable[[str], str]) -> None:
        self.name = name
        self.markup = markup  # an outcome's text as reportgen markup
        self.joins_lines = joins_lines  # plain text wraps lines; Word paragraphs never continue each other
        self.title: str | None = None
        self.subtitle: str | None = None
        self.fields: dict[str, str] = {}
        self.preamble: list[Block] = []
        self.event_notes: list[Note | Item] = []
        self.days: list[Day] = []
        self.session: Session | None = None
        self.session_level = session_level  # from here on, a heading naming no day or session is a session
        self.last_item: Item | None = None
        self.orphans: list[Item] = []
        self.problems: list[tuple[int, str | Item]] = []

    # -- where things go ---------------------------------------------------------------------------------
    @property
    def in_preamble(self) -> bool:
        return not self.days

    def _place(self, entry: Note | Item) -> None:
        """Put a note or a stray item where the reader is: in the session, the day, or the title block."""
        if self.session is not None and isinstance(entry, Note):
            self.session.entries.append(entry)
        elif self.days:
            self.days[-1].entries.append(entry)
        else:
            self.event_notes.append(entry)

    def _not_understood(self, block: Block) -> None:
        self.problems.append((block.line, f"not understood: {block.raw}"))
        self._place(Note(block.line, f"not understood: {block.raw}"))

    # -- reading -----------------------------------------------------------------------------------------
    def feed(self, block: Block) -> None:
        previous, self.last_item = self.last_item, None
        if block.kind == "blank":
            return
        if block.kind == "heading":
            self._heading(block)
        elif block.kind == "item":
            self._item(block)
        elif block.kind == "title":
            if self.in_preamble and self.title is None:
                self.title = block.text
            else:
                self._not_understood(block)
        elif block.kind == "subtitle":
            if self.in_preamble and self.subtitle is None:
                self.subtitle = block.text
            else:
                self._not_understood(block)
        else:
            self._text(block, previous)

    def _heading(self, block: Block) -> None:
        text, level = block.text, block.level
        if _DAY_HEADING.match(text):
            self._day(block)
        elif match := _names_session(text):
            self._session(block, *_code_and_title(match, text))
        elif self.in_preamble and self.title is None and level == 1:
            self.title = text
        elif self.session_level is not None and level >= self.session_level:
            self._session(block, None, text)
        else:
            self._day(block)

    def _text(self, block: Block, previous: Item | None) -> None:
        text = block.text
        if _DAY_LINE.match(text):
            self._day(block)
        elif match := _SESSION_LINE.match(text):
            self._session(block, *_code_and_title(match, text))
        elif self._person(_PERSON.match(text)) or self._event_field(_EVENT_FIELD.match(text)):
            pass
        elif previous is not None and self.joins_lines:
            # A wrapped line: it goes on with the outcome right above it (no blank line between).
            previous.text = f"{previous.text} {text}" if previous.text else text
            previous.raw = f"{previous.raw} {text}"
            self.last_item = previous
        elif self.in_preamble:
            self.preamble.append(block)
        else:
            self._not_understood(block)

    def _person(self, match: re.Match[str] | None) -> bool:
        """Read "Moderator: ..." or "Rapporteur: ..." into the session; False if not one, or a second one."""
        if match is None or self.session is None:
            return False
        key = "moderator" if match.group("key").lower().startswith("m") else "rapporteur"
        if getattr(self.session, key) is not None:
            return False
        setattr(self.session, key, match.group("value"))
        return True

    def _event_field(self, match: re.Match[str] | None) -> bool:
        """Read "Date: ..." (venue, organiser) before the first day; False if not one, or a second one."""
        if match is None or not self.in_preamble:
            return False
        key = _EVENT_KEYS[match.group("key").lower().replace("organizer", "organiser")]
        if key in self.fields:
            return False
        self.fields[key] = match.group("value")
        return True

    def _day(self, block: Block) -> None:
        self.session = None
        self.days.append(Day(block.line, block.text))

    def _session(self, block: Block, code: str | None, title: str) -> None:
        if not self.days:
            day = Day(block.line, ASSUMED_DAY)
            message = f"no day heading before this session; assumed {ASSUMED_DAY!r}"
            day.before.append(Note(block.line, f"check: {message}"))
            self.problems.append((block.line, message))
            self.days.append(day)
        self.session = Session(block.line, block.raw, code, title)
        self.days[-1].entries.append(self.session)

    def _item(self, block: Block) -> None:
        item = Item(block.line, block.text, block.raw, block.markup)
        if self.session is not None:
            self.session.entries.append(item)
        else:
            self._place(item)
            self.orphans.append(item)
            self.problems.append((block.line, item))
        self.last_item = item

    # -- finishing ---------------------------------------------------------------------------------------
    def finish(self) -> Draft:
        problems: list[tuple[int, str]] = []
        for line, problem in self.problems:
            if isinstance(problem, Item):
                problems.append((line, f"outcome outside a session, left out: {problem.raw}"))
            else:
                problems.append((line, problem))
        event = self._title_block(problems)
        for day in self.days:
            for entry in day.entries:
                if isinstance(entry, Session):
                    for item in entry.entries:
                        if isinstance(item, Item):
                            item.text = self.markup(item.text) if item.markup is None else item.markup
            self._finish_day(day, problems)
        if not any(day.sessions for day in self.days):
            raise SourceInvalid([self._missing()])
        return Draft(self.name, event, self.event_notes, self.days, problems)

    def _title_block(self, problems: list[tuple[int, str]]) -> dict[str, str]:
        title, subtitle = self.title, self.subtitle
        for block in self.preamble:
            if title is None:
                title = block.text
            elif subtitle is None:
                subtitle = block.text
            else:
                problems.append((block.line, f"not understood: {block.raw}"))
                self.event_notes.append(Note(block.line, f"not understood: {block.raw}"))
        self.event_notes.sort(key=lambda n: n.line)
        if title is None:
            stem = normalise(PurePath(self.name).stem) if self.name != "-" else ""
            title = stem or "Imported notes"
            message = f"no title found; {'the file name ' if stem else ''}{title!r} is used"
            problems.append((1, message))
            self.event_notes.insert(0, Note(1, f"check: {message}"))
        event = {"title": title}
        if subtitle is not None:
            event["subtitle"] = subtitle
        for key in ("date", "venue", "organiser"):
            if key in self.fields:
                event[key] = self.fields[key]
        return event

    def _finish_day(self, day: Day, problems: list[tuple[int, str]]) -> None:
        for session in day.entries:
            if isinstance(session, Session) and not session.outcomes:
                message = f"session without outcomes, left out: {session.heading}"
                problems.append((session.line, message))
                session.before.append(Note(session.line, f"check: {message}"))
        kept = day.sessions
        if not kept:
            message = f"day without sessions that have outcomes, left out: {day.title}"
            problems.append((day.line, message))
            day.dropped.append(Note(day.line, f"check: {message}"))
            return
        taken: set[str] = set()
        for session in kept:
            if session.code is None:
                continue
            code = session.code
            if code.casefold() in taken:
                n = 2
                while f"{code}{n}".casefold() in taken:
                    n += 1
                new = f"{code}{n}"
                message = f"session code {code!r} is already used in {day.title!r}; {new!r} is used instead"
                problems.append((session.line, message))
                session.before.append(Note(session.line, f"check: {message}"))
                session.code = new
            taken.add(session.code.casefold())
        for position, session in enumerate(kept, 1):
            if session.code is None:
                while str(position) in taken:
                    position += 1
                session.code = str(position)
                taken.add(session.code)

    def _missing(self) -> Diagnostic:
        """What the notes lack, located where it is most useful."""
        sessions = [e for d in self.days for e in d.entries if isinstance(e, Session)]
        if sessions:
            return Diagnostic(
                self.name, sessions[0].line, 1, "",
                "no session has outcomes: list them under each session heading as bullet or numbered lines",
            )  # fmt: skip
        if self.orphans:
            return Diagnostic(
                self.name, self.orphans[0].line, 1, "",
                "outcomes found but no session heading: add one such as 'Session 1: Title' above them",
            )  # fmt: skip
        return Diagnostic(
            self.name, 1, 1, "",
            "no day or session found: nothing to import (expected headings such as 'Day 1' and "
            "'Session 1: Title' with bullet lines under them)",
        )  # fmt: skip


def _code_and_title(match: re.Match[str], heading: str) -> tuple[str, str]:
    """Session code and title from a heading; a heading with no title after the code is the title itself."""
    groups = match.groupdict()
    code = match.group("code")
    title = (groups.get("title") or "").strip()
    if groups.get("rest"):
        title = groups["rest"].strip()
    return code, title or heading
