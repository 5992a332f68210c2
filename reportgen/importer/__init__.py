"""Importer: notes people already have (text, Markdown, a Word .docx) -> a tidy, commented reportgen source.

The notes are read in three steps, each testable on its own and each a module of this package:

1. *read* (:mod:`.read`): bytes -> a list of blocks (a line of text or a Word paragraph, already classified
   by its syntax: blank, heading of some level, title, subtitle, list item, or plain text), whitespace
   normalised;
2. *assemble* (:mod:`.assemble`): blocks -> a draft (title block, days, sessions, outcomes) plus every
   comment and problem, each at the place of the line that caused it;
3. *write* (:mod:`.write`): draft -> YAML text in the hand-written style of ``data/``; the text is loaded
   back through :func:`reportgen.loader.parse_model` and compared with the draft, so the result is always a
   valid source that says exactly what the draft says.

Decisions the importer makes for the user are *problems*: the lines it did not understand, sessions or days
without outcomes, a day it had to assume, a title taken from the file name, a session code it had to change.
Each problem is listed in :attr:`ImportResult.problems` as ``NAME:LINE: message`` and kept as a YAML comment
at its place in the source, so nothing is lost silently. The command line should exit 1 when there are
problems (unless told to be lenient) but still write the source, whose comments show what to check.

No rendering library is imported here: ``.docx`` packages are read with :mod:`zipfile` and ElementTree.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import PurePath

from ..errors import SourceInvalid
from ..loader import from_data, parse_model
from ..model import Event
from .assemble import ASSUMED_DAY, Assembler, find_session_level
from .read import decode_text, from_markdown, literal, normalise, text_blocks
from .word import MAX_DOCX_PART_BYTES, docx_blocks
from .write import emit, yaml_scalar

__all__ = [
    "ASSUMED_DAY",
    "KINDS",
    "MAX_DOCX_PART_BYTES",
    "ImportResult",
    "guess_kind",
    "import_notes",
    "normalise",
    "yaml_scalar",
]

KINDS = ("text", "markdown", "docx")
"""The kinds of notes :func:`import_notes` reads; the command line offers them as choices."""


@dataclass(frozen=True)
class ImportResult:
    """What an import produced: the source text, the problems found, and the event that text loads as."""

    yaml: str
    """The source, in reportgen's YAML format; always loads as :attr:`event`."""
    problems: list[str]
    """Every decision the user should check, as ``NAME:LINE: message`` in line order; empty when all is clear.
    For a ``.docx`` LINE is the paragraph number (1-based, every paragraph counted, empty ones too)."""
    event: Event
    """The event the source describes (loaded back from :attr:`yaml`)."""

    @property
    def summary(self) -> str:
        """One line for the command line, e.g. "2 days, 8 sessions, 22 outcomes, 1 problem"."""

        def count(n: int, what: str) -> str:
            return f"{n} {what}{'' if n == 1 else 's'}"

        event = self.event
        return ", ".join(
            [
                count(len(event.days), "day"),
                count(len(event.sessions), "session"),
                count(event.outcome_count, "outcome"),
                count(len(self.problems), "problem"),
            ]
        )


def import_notes(data: bytes, name: str, kind: str | None = None, encoding: str | None = None) -> ImportResult:
    """Turn notes into a reportgen source.

    `data` is the file's content and `name` the name used in problems and in the header comment (a path or
    "-"). `kind` is "text", "markdown" or "docx"; None guesses it: bytes starting with ``PK`` (a zip) or a
    ``.docx`` name mean Word, ``.md``/``.markdown`` Markdown, anything else plain text.

    What is recognised, line by line (a Word paragraph counts as a line, its style first):

    - title: the first line that is not structure (text), the first ``# Title`` that is not a day
      (Markdown), a Title or top-level heading style (Word); the next such line is the subtitle;
      ``Date:``, ``Venue:``/``Location:`` and ``Organiser:`` lines before the first day fill those fields;
    - day: "Day 1", "Day 2 – Tuesday", "DAY 3", or a heading above the session level;
    - session: "Breakout session A: Title", "Session 3 - Title", "Workshop B: Title", a heading
      "A. Title" / "A: Title", or a heading at the session level (Word's Heading 2); its code is the
      letter or number given, else its position in the day; "Moderator:" and "Rapporteur:" lines in it
      fill those fields;
    - outcome: a line starting with a bullet (• - * – — ▪ and others) or a number ("1." "1)"), or a
      Word list paragraph (numbered, or in a List style); a plain line right below an outcome, with no
      blank line between, continues it (text and Markdown only: Word paragraphs never wrap).

    Sessions before any day heading go into a day titled "Day 1" (a problem says so). Sessions without
    outcomes and days without sessions are left out and kept as comments (a problem each).

    Text is read as UTF-8 (or UTF-16 with its byte-order mark) unless `encoding` names another one, such as
    "cp1252" for notes saved by older Windows programs; a Word file carries its own.

    Returns an :class:`ImportResult` whose problems may be empty. Raises :class:`SourceInvalid` (located at
    the notes) when the notes cannot be read (not text in their encoding, a broken or oversized .docx) or
    hold nothing to import: no session with at least one outcome. Raises ValueError for an unknown `kind`
    or `encoding`.
    """
    kind = guess_kind(data, name) if kind is None else kind
    if kind not in KINDS:
        raise ValueError(f"unknown kind of notes {kind!r} (choose from: {', '.join(KINDS)})")
    if encoding is not None:  # its canonical name ("CP-1252" -> "cp1252"); LookupError if it has none
        encoding = codecs.lookup(encoding).name
    text = None if kind == "docx" else decode_text(data, name, encoding)
    blocks, changed = docx_blocks(data, name) if text is None else text_blocks(text, kind)
    assembler = Assembler(
        name,
        joins_lines=kind != "docx",
        session_level=find_session_level(blocks),
        markup=from_markdown if kind == "markdown" else literal,
    )
    for block in blocks:
        assembler.feed(block)
    draft = assembler.finish()
    draft.problems.extend(changed)
    text = emit(draft, name)
    try:
        expected = from_data(Event, draft.plain(), name)
    except SourceInvalid as invalid:  # the assembler kept something the model refuses: a bug
        raise RuntimeError(f"the imported notes do not make a valid event:\n{invalid}") from None
    try:
        event = parse_model(text, Event, name)
    except SourceInvalid as invalid:  # the emitter wrote something the loader reads differently: a bug
        raise RuntimeError(f"the imported source does not load back:\n{invalid}") from None
    if event != expected:
        raise RuntimeError("the imported source loads back differently from what was imported")
    return ImportResult(yaml=text, problems=draft.problem_lines(), event=event)


def guess_kind(data: bytes, name: str) -> str:
    """The kind of notes `data` holds: "docx" for a zip or a Word name, "markdown" for .md, else "text"."""
    suffix = PurePath(name).suffix.lower()
    # An old .doc (an OLE container, as is an encrypted .docx) counts as "docx", to be refused clearly.
    if data.startswith((b"PK", b"\xd0\xcf\x11\xe0")) or suffix in (".docx", ".docm", ".dotx", ".doc"):
        return "docx"
    if suffix in (".md", ".markdown", ".mdown", ".mkd"):
        return "markdown"
    return "text"
