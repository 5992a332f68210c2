"""The PO files of a source's editions (STEM.LANG.po beside it): merged by `reportgen translate`, read by a build.

Read and written with polib, which keeps what translators' tools put in a PO file (their comments, flags,
the previous msgid of a fuzzy entry, obsolete entries) and gives each entry's line for the warnings.

Merging follows msgmerge: an entry whose path and source text are unchanged keeps its translation; a text
found unchanged at another path (an outcome moved) takes its translation along; an entry whose source text
changed keeps the old translation as a suggestion, marked fuzzy, with the old text as `#| msgid`; a new text
gets an empty entry; an entry whose field is gone becomes obsolete (`#~`), so its translation comes back if
the text does.
"""

from __future__ import annotations

import glob
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import __version__
from ..errors import Diagnostic, SourceInvalid
from ..safefile import Unreadable, read_regular
from .texts import Text, texts

if TYPE_CHECKING:
    from ..model import Event

MAX_PO_BYTES = 64 * 1024 * 1024
"""Largest PO file read: a few times the largest source."""

FUZZY = "fuzzy"
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")  # as model.EventInfo.language accepts


def is_language(tag: str) -> bool:
    """True for a language tag such as "fr", "ar" or "pt-BR" (what an event's `language:` accepts)."""
    return bool(_LANGUAGE.match(tag))


def po_path(source: str | Path, language: str) -> Path:
    """The PO file of `source`'s edition in `language`: "data/key-outcomes.fr.po" for data/key-outcomes.yaml."""
    path = Path(source)
    return path.with_name(f"{path.stem}.{language}.po")


def languages_beside(source: str | Path) -> list[str]:
    """The languages of the PO files beside `source` (STEM.LANG.po), sorted."""
    path = Path(source)
    found = []
    for name in glob.glob(glob.escape(str(path.with_name(path.stem))) + ".*.po"):
        language = Path(name).name[len(path.stem) + 1 : -len(".po")]
        if is_language(language) and Path(name).is_file():
            found.append(language)
    return sorted(found)


class Entry(NamedTuple):
    """A PO entry as a build reads it."""

    line: int  # where it starts in the file
    msgid: str
    msgstr: str
    fuzzy: bool


def _polib() -> Any:
    import polib  # type: ignore[import-untyped]  # polib ships no type information

    return polib


def _parse(path: Path) -> Any:
    """The PO file at `path` as a polib.POFile; SourceInvalid, located, when it cannot be read."""
    try:
        raw = read_regular(path, MAX_PO_BYTES)
    except Unreadable as why:
        raise SourceInvalid([Diagnostic(str(path), 1, 1, "", str(why))]) from None
    from ..loader import decode  # the sources' decoding: a bad byte located at its line and column

    text = decode(raw, str(path), limit=MAX_PO_BYTES)
    try:
        return _polib().pofile(text, wrapwidth=78)
    except (OSError, ValueError) as error:
        found = re.search(r"\(line (\d+)\)", str(error))
        line = int(found.group(1)) if found else 1
        raise SourceInvalid([Diagnostic(str(path), line, 1, "", f"not a PO file that can be read: {error}")]) from None


def read(path: Path) -> dict[str, Entry]:
    """The active entries of a PO file by msgctxt; SourceInvalid, located, when it cannot be read."""
    entries: dict[str, Entry] = {}
    for entry in _parse(path):
        if entry.obsolete or entry.msgctxt is None:
            continue
        entries.setdefault(entry.msgctxt, Entry(entry.linenum, entry.msgid, entry.msgstr, FUZZY in entry.flags))
    return entries


class Merged(NamedTuple):
    """What `update` did to one PO file."""

    path: Path
    total: int
    translated: int  # entries with a translation that is not fuzzy
    fuzzy: int  # newly marked fuzzy: their source text changed
    new: int
    dropped: int  # made obsolete: their field is gone
    written: bool  # False when the file was already up to date

    def summary(self) -> str:
        """One line: "data/key-outcomes.fr.po: 45 texts, 43 translated; 1 changed (fuzzy), 1 new, 0 dropped"."""
        return (
            f"{self.path}: {self.total} texts, {self.translated} translated; {self.fuzzy} changed (fuzzy), "
            f"{self.new} new, {self.dropped} dropped" + ("" if self.written else " (unchanged)")
        )


def _lines(text: str, file: str) -> dict[tuple[str | int, ...], int]:
    """The line of every value of a source (composed as the loader does: safely, nothing constructed)."""
    import yaml

    from ..loader import _Composer, _Walker  # the loader's own safe composer and located walk

    walker = _Walker(file)
    walker.walk(yaml.compose(text, Loader=_Composer), ())
    return {path: line for path, (line, _) in walker.values.items()}


def _header(po: Any, source: Path, language: str, event: Event) -> None:
    po.header = (
        f"{event.title}: the {language} edition of {source.name}.\n"
        "Made by `reportgen translate`; run it again after changing the source. Each entry's msgctxt is where\n"
        "its text stands in the source (day-1/a/outcomes/3: day 1, session A, its third outcome)."
    )
    defaults = {
        "Project-Id-Version": source.stem,
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for key, value in defaults.items():
        po.metadata.setdefault(key, value)
    po.metadata["X-Generator"] = f"reportgen {__version__}"


def merge(old: Any | None, items: Sequence[Text], lines: dict[tuple[str | int, ...], int], source_name: str) -> Any:
    """A new polib.POFile for `items`, carrying over what `old` (a polib.POFile or None) holds; its
    `counts` attribute is (translated, fuzzy, new, dropped)."""
    polib = _polib()
    po = polib.POFile(wrapwidth=78)
    active = {e.msgctxt: e for e in old or () if not e.obsolete}
    obsolete = {(e.msgctxt, e.msgid): e for e in (old.obsolete_entries() if old else ())}
    settled = {e.msgid: e for e in reversed(list(active.values())) if e.msgstr and FUZZY not in e.flags}
    sources = {t.source for t in items}
    fuzzy = new = 0
    for text in items:
        line = lines.get(text.where) or lines.get(("meta", *text.where[1:]))
        entry = polib.POEntry(
            msgctxt=text.path,
            msgid=text.source,
            comment=text.context,
            occurrences=[(source_name, str(line))] if line else [],
        )
        before = active.get(text.path)
        if before is not None and before.msgid == text.source:
            kept = before
        elif text.source in settled:  # the same text at another path: an outcome moved or reordered
            kept = settled[text.source]
        elif before is not None and before.msgstr and before.msgid not in sources:
            kept = before  # its text changed: the old translation stays, as a suggestion
            entry.flags = [FUZZY]
            entry.previous_msgid = before.msgid
            fuzzy += 1
        else:
            kept = obsolete.pop((text.path, text.source), None)  # a text that was gone and is back
            new += kept is None
        if kept is not None:
            entry.msgstr, entry.tcomment = kept.msgstr, kept.tcomment
            if FUZZY in kept.flags and not entry.flags:
                entry.flags, entry.previous_msgid = [FUZZY], kept.previous_msgid
        po.append(entry)
    paths = {t.path for t in items}
    dropped = 0
    for entry in active.values():
        if entry.msgctxt not in paths and entry.msgstr:
            entry.obsolete, entry.occurrences, entry.previous_msgid = True, [], None
            obsolete[(entry.msgctxt, entry.msgid)] = entry
            dropped += 1
    for entry in obsolete.values():
        entry.obsolete = True
        po.append(entry)
    translated = sum(bool(e.msgstr) and FUZZY not in e.flags for e in po if not e.obsolete)
    po.counts = (translated, fuzzy, new, dropped)
    return po


def update(source: Path, language: str) -> Merged:
    """Create or update the PO file of `source`'s edition in `language` (see the module's docstring);
    raises SourceInvalid for a source or PO file that cannot be read."""
    from ..building.files import write_atomically
    from ..loader import parse_model, read_text
    from ..model import Event

    text = read_text(source)
    event = parse_model(text, Event, str(source))
    path = po_path(source, language)
    old = _parse(path) if path.exists() else None
    items = texts(event)
    po = merge(old, items, _lines(text, str(source)), source.name)
    if old is None:
        _header(po, source, language, event)
    else:  # the translators' header, as their tools left it
        po.header, po.metadata = old.header, dict(old.metadata)
        po.metadata.setdefault("Language", language)
    data = str(po).rstrip("\n").encode() + b"\n"
    written = not path.exists() or path.read_bytes() != data
    if written:
        write_atomically(path, data)
    translated, fuzzy, new, dropped = po.counts
    return Merged(path, len(items), translated, fuzzy, new, dropped, written)
