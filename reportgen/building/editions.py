"""Editions in a build: a target per language, each read from its source and its PO file, with its warnings.

An edition of data/key-outcomes.yaml in French is the target "key-outcomes.fr" (files key-outcomes.fr.docx,
...; split: key-outcomes--day-1-a.fr.docx), read from the source and data/key-outcomes.fr.po. Every text the
PO file does not translate usably (untranslated, fuzzy, outdated, refused) is a warning naming its line, and
the source's text stands in; under --strict a warning fails the edition, as any warning fails a target.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

from ..editions.catalogue import MAX_PO_BYTES, is_language, languages_beside, po_path, read
from ..editions.texts import check, texts, translated
from ..errors import Diagnostic, OutputError, Reporter, SourceInvalid
from ..loader import load_event
from ..model import Event
from ..words import typeset
from .targets import STDIN, Target, _unknown_id, check_collisions, read_target

ALL = "all"
"""The --language value for the source's own language and every PO file beside the source."""


class Problem(NamedTuple):
    """A text an edition prints in the source's words, and why: FILE:LINE: PATH STATUS."""

    file: str
    line: int | None
    path: str
    status: str  # "untranslated", "fuzzy" or "refused"
    detail: str  # the words after the path

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path} {self.detail}; the source text is used"


class Edition(NamedTuple):
    """A source's event in another language, and the texts it could not translate."""

    event: Event
    language: str
    problems: tuple[Problem, ...]
    total: int  # texts in the source

    def count(self, status: str) -> int:
        """The number of texts with this problem ("untranslated", "fuzzy", "refused")."""
        return sum(p.status == status for p in self.problems)

    def completeness(self) -> str:
        """ "fr: 33 of 34 translated (97%), 1 fuzzy, 0 untranslated, 0 refused"."""
        done = self.total - len(self.problems)
        share = 100 * done // self.total if self.total else 100
        return (
            f"{self.language}: {done} of {self.total} translated ({share}%), {self.count('fuzzy')} fuzzy, "
            f"{self.count('untranslated')} untranslated, {self.count('refused')} refused"
        )


def languages_of(source: str, languages: Sequence[str]) -> list[str | None]:
    """The editions `languages` (from --language) ask of `source`: None for the source's own language."""
    wanted: list[str | None] = []
    for language in languages:
        if language == ALL:
            wanted.append(None)
            wanted.extend(languages_beside(source) if source != STDIN else [])
        else:
            wanted.append(language)
    return list(dict.fromkeys(wanted))


def with_editions(targets: Sequence[Target], languages: Sequence[str]) -> list[Target]:
    """Each target once per edition that `languages` asks for ("all", or language tags); the targets
    unchanged when none is asked. Raises OutputError for a tag that is not one, or two targets that would
    write the same files."""
    if not languages:
        return list(targets)
    bad = [language for language in languages if language != ALL and not is_language(language)]
    if bad:
        raise OutputError(f"--language {bad[0]!r}: not a language tag such as 'fr', 'ar' or 'pt-BR', nor 'all'")
    found: list[Target] = []
    for target in targets:
        for language in languages_of(target.source, languages):
            if language is None:
                found.append(target)
            else:
                found.append(target._replace(stem=f"{target.stem}.{language}", language=language, event=None))
    check_collisions(found)
    return found


def edition_of(source: str, language: str) -> Edition:
    """The edition of `source` in `language`, read from its PO file (cached while neither file changes);
    raises SourceInvalid when the source or the PO file cannot be read, or there is no PO file."""
    stamp: list[object] = []  # a split build asks once per session: the files' stat, not their bytes, tell a change
    for path in (Path(source), po_path(source, language)):
        try:
            info = path.stat()
            stamp.append((info.st_ino, info.st_size, info.st_mtime_ns))
        except OSError:
            stamp.append(None)  # reported below, where the files are read for good
    return _edition(source, language, tuple(stamp))


@functools.lru_cache(maxsize=8)
def _edition(source: str, language: str, _stamp: tuple[object, ...]) -> Edition:
    event = load_event(source)
    path = po_path(source, language)
    if not path.exists():
        why = f"no translation file: make it with `reportgen translate {source} --language {language}`"
        if language == event.meta.language:
            why = f"the source itself is written in {language!r}: build it without --language, or with --language all"
        raise SourceInvalid([Diagnostic(str(path), 1, 1, "", why)])
    entries = read(path)
    file = str(path)
    values: dict[str, object] = {}
    problems: list[Problem] = []
    items = texts(event)
    for text in items:
        entry = entries.get(text.path)
        if entry is None:
            problems.append(
                Problem(
                    file,
                    None,
                    text.path,
                    "untranslated",
                    "untranslated: not in the file yet; run `reportgen translate`",
                )
            )
        elif entry.msgid != text.source:
            problems.append(
                Problem(
                    file, entry.line, text.path, "fuzzy", "outdated: its source text changed; run `reportgen translate`"
                )
            )
        elif not entry.msgstr:
            problems.append(Problem(file, entry.line, text.path, "untranslated", "untranslated"))
        elif entry.fuzzy:
            problems.append(Problem(file, entry.line, text.path, "fuzzy", "fuzzy"))
        else:
            # The edition's typography: in French, the spaces typed before : ; ! ? become no-break spaces.
            value, refused = check(text, typeset(entry.msgstr, language))
            if refused is not None:
                problems.append(Problem(file, entry.line, text.path, "refused", f"translation refused: {refused}"))
            else:
                values[text.path] = value
    return Edition(translated(event, values, language), language, tuple(problems), len(items))


def read_edition(target: Target, report: Reporter) -> Event:
    """A target's event: its source's (read_target) or, for an edition, the translated event reduced to the
    target's selection, with a warning in `report` for each of the selection's texts left untranslated."""
    if target.language is None:
        return read_target(target)
    if target.text is not None or target.source == STDIN:
        raise SourceInvalid(
            [Diagnostic("<stdin>", 1, 1, "", "an edition is read from a source file and its PO file beside it")]
        )
    edition = edition_of(target.source, target.language)
    event = edition.event
    if target.only:
        try:
            chosen = event.resolve(target.only)
        except KeyError as unknown:
            raise _unknown_id(target.source, event, unknown.args[0]) from None
        event = event.select(target.only)
        days = {sid.split("/")[0] for sid in chosen}
        problems = [p for p in edition.problems if _within(p.path, days, chosen)]
    else:
        problems = list(edition.problems)
    for problem in problems:
        report.warning(str(problem))
    return event


def _within(path: str, days: set[str], sessions: Iterable[str]) -> bool:
    """True when the text at `path` is printed in a selection of those days and sessions."""
    return (
        path.startswith("event/")
        or path in {f"{d}/title" for d in days}
        or any(path.startswith(s + "/") for s in sessions)
    )


def edition_digest(target: Target) -> bytes:
    """What an edition is built from besides its source (its PO file's digest, read safely and once for all
    the targets of a --split source), for its fingerprint; b"" for the source's own language."""
    if target.language is None:
        return b""
    from .manifest import file_digest

    po = file_digest(po_path(target.source, target.language), MAX_PO_BYTES)
    return target.language.encode() + b"\0" + (po if po is not None else b"\0missing")


def validate_editions(sources: Iterable[str], languages: Sequence[str]) -> dict[str, list[Edition | str]]:
    """Every edition `languages` asks of each source: source -> its Editions, or the message saying why
    one cannot be read (a missing or broken PO file). The source's own language is left out."""
    found: dict[str, list[Edition | str]] = {}
    for source in sources:
        found[source] = []
        for language in languages_of(source, languages):
            if language is None:
                continue
            try:
                found[source].append(edition_of(source, language))
            except SourceInvalid as invalid:
                found[source].extend(str(d) for d in invalid.diagnostics)
    return found
