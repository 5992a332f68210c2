"""Importer: notes people already have (text, Markdown, a Word .docx) -> a tidy, commented reportgen source.

The notes are read in three steps, each testable on its own:

1. *read*: bytes -> a list of blocks (a line of text or a Word paragraph, already classified by its syntax:
   blank, heading of some level, title, subtitle, list item, or plain text), whitespace normalised;
2. *assemble*: blocks -> a draft (title block, days, sessions, outcomes) plus every comment and problem,
   each at the place of the line that caused it;
3. *emit*: draft -> YAML text in the hand-written style of ``data/``; the text is loaded back through
   :func:`reportgen.loader.parse_model` and compared with the draft, so the result is always a valid source
   that says exactly what the draft says.

Decisions the importer makes for the user are *problems*: the lines it did not understand, sessions or days
without outcomes, a day it had to assume, a title taken from the file name, a session code it had to change.
Each problem is listed in :attr:`ImportResult.problems` as ``NAME:LINE: message`` and kept as a YAML comment
at its place in the source, so nothing is lost silently. The command line should exit 1 when there are
problems (unless told to be lenient) but still write the source, whose comments show what to check.

No rendering library is imported here: ``.docx`` packages are read with :mod:`zipfile` and ElementTree.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Literal
from xml.etree import ElementTree

import yaml

from .errors import Diagnostic, SourceInvalid
from .loader import decode, from_data, parse_model
from .markup import MarkupError, escape, parse
from .model import Event

KINDS = ("text", "markdown", "docx")
"""The kinds of notes :func:`import_notes` reads; the command line offers them as choices."""

MAX_DOCX_PART_BYTES = 50 * 1024 * 1024
"""Largest uncompressed ``word/document.xml`` (and ``word/styles.xml``) read; a bigger one is refused."""

ASSUMED_DAY = "Day 1"
"""Title of the day made for sessions that come before any day heading."""


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
    text = None if kind == "docx" else _decode_text(data, name, encoding)
    blocks, changed = _docx_blocks(data, name) if text is None else _text_blocks(text, kind)
    assembler = _Assembler(
        name,
        joins_lines=kind != "docx",
        session_level=_session_level(blocks),
        markup=_from_markdown if kind == "markdown" else _literal,
    )
    for block in blocks:
        assembler.feed(block)
    draft = assembler.finish()
    draft.problems.extend(changed)
    text = _emit(draft, name)
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


# --------------------------------------------------------------------------------------------------------
# Text: normalising and classifying one line
# --------------------------------------------------------------------------------------------------------

# Control characters that are not whitespace: dropped (a document cannot carry them).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# Lone surrogates and Unicode non-characters: not characters at all, so they become U+FFFD.
_PLANE_ENDS = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
_NOT_CHARACTER = re.compile(f"[\ud800-\udfff\ufdd0-\ufdef{_PLANE_ENDS}]")


def normalise(text: str) -> str:
    """Return `text` with all whitespace (tabs, U+00A0, U+202F, line separators...) as one space, stripped.

    The words are kept exactly. Control characters that are not whitespace are dropped and non-characters
    become U+FFFD, because no document can carry them. "" stays "".
    """
    text = _NOT_CHARACTER.sub("\ufffd", _CONTROL.sub("", text))
    return " ".join(text.split())


BlockKind = Literal["blank", "heading", "title", "subtitle", "item", "text"]


@dataclass(frozen=True)
class _Block:
    """One line (or Word paragraph) classified by its syntax; `text` is normalised and without its marker."""

    line: int
    kind: BlockKind
    text: str
    raw: str  # the whole normalised line, marker included: what a comment or a problem shows
    level: int = 0  # heading level, 1 = top


_HEADING = re.compile(r"^(#{1,6})(?:\s+(.*?))??(?:\s+#+)?$")
_RULE = re.compile(r"^([-*_=~])(?:\s*\1){2,}$")
# Bullets: typographic ones may touch the text; ASCII ones and dashes need a space: "-5", "*stress*" are text.
# U+F0B7 and friends are the Symbol/Wingdings bullets that Word leaves in pasted text.
_BULLET = re.compile(
    r"^(?:[•▪●◦○■□▫‣⁃∙·➢➤►▶✓✔\uf0a7\uf0b7\uf076\uf0d8](?:\s+|$)?|[-*+–—](?:\s+|$)|\d{1,3}[.)](?:\s+|$))"
)
_EMPHASIS = re.compile(r"^(\*\*|__)(?=\S)(.+?)(?<=\S)\1$")


def _classify_line(number: int, line: str, markdown: bool) -> _Block:
    """Classify one line of text or one plain Word paragraph by its syntax alone."""
    text = normalise(line)
    if not text or _RULE.match(text):
        return _Block(number, "blank", "", text)
    if heading := _HEADING.match(text):
        inner = heading.group(2) or ""
        if markdown:
            inner = _plain_markdown(_unwrap(inner))
        if inner:
            return _Block(number, "heading", inner, text, level=len(heading.group(1)))
        return _Block(number, "blank", "", text)
    if bullet := _BULLET.match(text):
        return _Block(number, "item", text[bullet.end() :].strip(), text)
    return _Block(number, "text", _unwrap(text) if markdown else text, text)


def _from_markdown(text: str) -> str:
    """A Markdown outcome as reportgen markup: the same inline syntax, kept as written when it parses; text
    whose links reportgen refuses (a relative or javascript: link) is kept as literal characters instead."""
    try:
        parse(text)
    except MarkupError:
        return escape(text)
    return text


def _literal(text: str) -> str:
    """Plain text (a .txt or Word outcome) as reportgen markup that shows it exactly: escaped only where the
    characters would otherwise be read as markup."""
    try:
        if str(parse(text)) == text and not parse(text).has_markup:
            return text
    except MarkupError:
        pass
    return escape(text)


def _plain_markdown(text: str) -> str:
    """A Markdown heading's words without their markup (titles are plain text in a source)."""
    try:
        return str(parse(text))
    except MarkupError:
        return text


def _unwrap(text: str) -> str:
    """A Markdown line that is bold as a whole ("**Day 1**") means its words; inner emphasis is kept."""
    match = _EMPHASIS.match(text)
    return match.group(2).strip() if match else text


def _decode_text(data: bytes, name: str, encoding: str | None = None) -> str:
    if encoding not in (None, "utf-8"):
        return decode(data, name, encoding, advice="")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows "Unicode" text: UTF-16 with its BOM
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    return decode(data, name, advice="save the file as UTF-8 or name its encoding, e.g. --encoding cp1252")


def _text_blocks(text: str, kind: str) -> tuple[list[_Block], list[tuple[int, str]]]:
    """Lines of plain text or Markdown -> blocks, and what normalise() took out of them (see _changed);
    lines split at CR LF, CR or LF (others are spaces)."""
    lines = re.split(r"\r\n|\r|\n", text)
    blocks = [_classify_line(number, line, kind == "markdown") for number, line in enumerate(lines, 1)]
    return blocks, [p for number, line in enumerate(lines, 1) for p in _changed(number, line)]


def _changed(number: int, raw: str) -> list[tuple[int, str]]:
    """A problem for each kind of character normalise() drops or replaces in a line, so that nothing leaves
    the notes without a word: "notes.txt:4: removed the control character U+0007 (BEL)"."""
    found = []
    for pattern, what in ((_CONTROL, "removed the control character"), (_NOT_CHARACTER, "replaced the non-character")):
        codes = sorted({ord(ch) for ch in pattern.findall(raw)})
        for code in codes:
            name = _CONTROL_NAMES.get(code, "")
            found.append((number, f"{what} U+{code:04X}{f' ({name})' if name else ''}, which no document can hold"))
    return found


_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x1B: "ESC", 0x7F: "DEL"}


# --------------------------------------------------------------------------------------------------------
# Word: paragraphs of word/document.xml, classified by their style
# --------------------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED = {_W + tag for tag in ("pPr", "rPr", "del", "moveFrom", "txbxContent", "delText")} | {_MC_FALLBACK}
_CHARACTERS = {f"{_W}tab": " ", f"{_W}br": " ", f"{_W}cr": " ", f"{_W}noBreakHyphen": "-"}
# Built-in style names as English and as the most common localised templates write them.
_HEADING_NAME = re.compile(
    r"^(?:heading|überschrift|berschrift|titre|título|titulo|titolo|kop|rubrik|otsikko|nagłówek)\s*([1-9])$"
)
_TITLE_NAMES = {"title", "titel", "titre", "título", "titulo", "titolo", "otsikko", "tytuł"}
_SUBTITLE_NAMES = {"subtitle", "untertitel", "sous-titre", "subtítulo", "sottotitolo", "ondertitel"}
_LIST_NAME = re.compile(r"^(?:list|liste|aufzählung|aufzhlung|lista|lijst|puce)")


@dataclass
class _Style:
    name: str
    based_on: str | None
    outline: int | None  # 0-based outline level; None when not set
    numbered: bool | None  # True: numId > 0; False: numId 0 (numbering switched off); None: not set


def _docx_refuse(name: str, message: str) -> SourceInvalid:
    return SourceInvalid([Diagnostic(name, 1, 1, "", message)])


def _read_part(archive: zipfile.ZipFile, part: str, name: str, required: bool) -> ElementTree.Element | None:
    """Parse one XML part of the package, refusing oversized parts (zip bombs) and DTDs (entity bombs)."""
    try:
        info = archive.getinfo(part)
    except KeyError:
        if required:
            raise _docx_refuse(name, f"is not a Word document (.docx): it has no {part}") from None
        return None
    limit = MAX_DOCX_PART_BYTES
    too_big = f"{part} is larger than {limit // (1024 * 1024)} MB uncompressed; refused (a zip bomb?)"
    if info.file_size > limit:
        raise _docx_refuse(name, too_big)
    with archive.open(info) as stream:
        raw = stream.read(limit + 1)  # the size in the directory may lie
    if len(raw) > limit:
        raise _docx_refuse(name, too_big)
    if b"<!DOCTYPE" in raw[:4096].upper():
        raise _docx_refuse(name, f"{part} declares a DTD, which Word documents never do; refused")
    try:
        return ElementTree.fromstring(raw)
    except ElementTree.ParseError as error:
        raise _docx_refuse(name, f"{part} is not well-formed XML ({error})") from None


def _styles(root: ElementTree.Element | None) -> tuple[dict[str, _Style], str | None]:
    """Paragraph styles by id, and the id of the default paragraph style."""
    styles: dict[str, _Style] = {}
    default = None
    if root is None:
        return styles, default
    for element in root.iter(f"{_W}style"):
        if element.get(f"{_W}type", "paragraph") != "paragraph":
            continue
        style_id = element.get(f"{_W}styleId", "")
        if element.get(f"{_W}default") in ("1", "true", "on"):
            default = style_id
        name = element.find(f"{_W}name")
        based = element.find(f"{_W}basedOn")
        outline = element.find(f"{_W}pPr/{_W}outlineLvl")
        styles[style_id] = _Style(
            name=(name.get(f"{_W}val", "") if name is not None else "") or style_id,
            based_on=based.get(f"{_W}val") if based is not None else None,
            outline=_int(outline.get(f"{_W}val")) if outline is not None else None,
            numbered=_numbered(element.find(f"{_W}pPr/{_W}numPr")),
        )
    return styles, default


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _numbered(num_pr: ElementTree.Element | None) -> bool | None:
    """Whether a numPr element switches numbering on (a numId other than 0), off (0), or says nothing."""
    if num_pr is None:
        return None
    num_id = num_pr.find(f"{_W}numId")
    if num_id is None:
        return None
    return _int(num_id.get(f"{_W}val")) not in (0, None)


def _chain(styles: dict[str, _Style], style_id: str | None) -> list[tuple[str, _Style]]:
    """The style and the styles it is based on, nearest first (cycles and dangling ids end the chain)."""
    chain: list[tuple[str, _Style]] = []
    seen: set[str] = set()
    while style_id is not None and style_id in styles and style_id not in seen:
        seen.add(style_id)
        chain.append((style_id, styles[style_id]))
        style_id = styles[style_id].based_on
    return chain


def _paragraph_kind(
    paragraph: ElementTree.Element, styles: dict[str, _Style], default: str | None
) -> tuple[BlockKind | None, int]:
    """What a paragraph's style and properties make it: title, subtitle, heading (and level), item or None."""
    p_pr = paragraph.find(f"{_W}pPr")
    style_ref = p_pr.find(f"{_W}pStyle") if p_pr is not None else None
    style_id = style_ref.get(f"{_W}val") if style_ref is not None else default
    chain = _chain(styles, style_id)
    names = [n.casefold().strip() for sid, style in chain[:1] for n in (style.name, sid)]
    if any(n in _TITLE_NAMES for n in names):
        return "title", 0
    if any(n in _SUBTITLE_NAMES for n in names):
        return "subtitle", 0
    own_outline = p_pr.find(f"{_W}outlineLvl") if p_pr is not None else None
    outline = _int(own_outline.get(f"{_W}val")) if own_outline is not None else None
    for sid, style in chain:
        if outline is not None:
            break
        outline = style.outline
        for candidate in (style.name.casefold().strip(), sid.casefold()):
            if outline is None and (match := _HEADING_NAME.match(candidate)):
                outline = int(match.group(1)) - 1
    if outline is not None and 0 <= outline <= 8:
        return "heading", outline + 1
    numbered = _numbered(p_pr.find(f"{_W}numPr")) if p_pr is not None else None
    for _sid, style in chain:
        if numbered is not None:
            break
        numbered = style.numbered
    if numbered or (numbered is None and any(_LIST_NAME.match(n) for n in names)):
        return "item", 0
    return None, 0


def _paragraphs(element: ElementTree.Element) -> list[ElementTree.Element]:
    """Every w:p in document order (table cells and text boxes included, fallback copies excluded)."""
    found: list[ElementTree.Element] = []
    stack = [iter(element)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if child.tag == _MC_FALLBACK:
            continue
        if child.tag == f"{_W}p":
            found.append(child)
        stack.append(iter(child))
    return found


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    """The visible text of a paragraph (tabs and line breaks as spaces; deleted text, text boxes left out)."""
    parts: list[str] = []
    stack = [iter(paragraph)]
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            continue
        if child.tag in _SKIPPED:
            continue
        if child.tag == f"{_W}t":
            parts.append(child.text or "")
        elif child.tag in _CHARACTERS:
            parts.append(_CHARACTERS[child.tag])
        stack.append(iter(child))
    return "".join(parts)


def _docx_blocks(data: bytes, name: str) -> tuple[list[_Block], list[tuple[int, str]]]:
    """Paragraphs of a .docx -> blocks, and what normalise() took out of them; a block's line is the
    paragraph's number."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _docx_refuse(name, "is a Word 97-2003 .doc or a password-protected document; save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            document = _read_part(archive, "word/document.xml", name, required=True)
            styles_root = _read_part(archive, "word/styles.xml", name, required=False)
    except SourceInvalid:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
            zlib.error, ValueError) as error:  # fmt: skip
        raise _docx_refuse(name, f"is not a readable Word document (.docx): {error}") from None
    assert document is not None
    styles, default = _styles(styles_root)
    body = document.find(f"{_W}body")
    blocks: list[_Block] = []
    changed: list[tuple[int, str]] = []
    for number, paragraph in enumerate(_paragraphs(body if body is not None else document), 1):
        raw = _paragraph_text(paragraph)
        changed.extend(_changed(number, raw))
        text = normalise(raw)
        kind, level = _paragraph_kind(paragraph, styles, default)
        if not text:
            blocks.append(_Block(number, "blank", "", ""))
        elif kind == "item":
            # Word draws the bullet; one typed before the text as well would be shown twice.
            bullet = _BULLET.match(text)
            if bullet is not None and not text[0].isdigit() and text[0] not in "-*+":
                blocks.append(_Block(number, "item", text[bullet.end() :].strip(), text))
            else:
                blocks.append(_Block(number, "item", text, text))
        elif kind is not None:
            blocks.append(_Block(number, kind, text, text, level))
        else:
            blocks.append(_classify_line(number, text, markdown=False))
    return blocks, changed


# --------------------------------------------------------------------------------------------------------
# Assembling: blocks -> days, sessions and outcomes
# --------------------------------------------------------------------------------------------------------

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
class _Note:
    """A YAML comment at its place in the source ("not understood: ...", "check: ...")."""

    line: int
    text: str


@dataclass
class _Item:
    """One outcome (or a bullet found outside any session), grown by the wrapped lines that follow it."""

    line: int
    text: str
    raw: str


@dataclass
class _Session:
    line: int
    heading: str
    code: str | None
    title: str
    moderator: str | None = None
    rapporteur: str | None = None
    entries: list[_Item | _Note] = field(default_factory=list)
    before: list[_Note] = field(default_factory=list)

    @property
    def outcomes(self) -> list[str]:
        return [e.text for e in self.entries if isinstance(e, _Item) and e.text]


@dataclass
class _Day:
    line: int
    title: str
    entries: list[_Session | _Item | _Note] = field(default_factory=list)
    before: list[_Note] = field(default_factory=list)
    dropped: list[_Note] = field(default_factory=list)  # filled by finish() for a day that is left out

    @property
    def sessions(self) -> list[_Session]:
        return [e for e in self.entries if isinstance(e, _Session) and e.outcomes]


@dataclass
class _Draft:
    """Everything the notes said, ready to be written: fields, days (kept or left out) and notes in order."""

    name: str
    event: dict[str, str]
    event_notes: list[_Note | _Item]
    days: list[_Day]
    problems: list[tuple[int, str]]

    def plain(self) -> dict[str, object]:
        """The source as plain data, as the loader would build it from the emitted YAML."""
        return {
            "event": dict(self.event),
            "days": [
                {
                    "title": day.title,
                    "sessions": [_session_fields(s) | {"outcomes": s.outcomes} for s in day.sessions],
                }
                for day in self.days
                if day.sessions
            ],
        }

    def problem_lines(self) -> list[str]:
        ordered = sorted(self.problems, key=lambda problem: problem[0])
        return [f"{self.name}:{line}: {message}" for line, message in ordered]


def _session_fields(session: _Session) -> dict[str, str]:
    """The session's text fields that have a value, in the order the source lists them."""
    fields = {"code": session.code, "title": session.title}
    fields |= {"moderator": session.moderator, "rapporteur": session.rapporteur}
    return {key: value for key, value in fields.items() if value is not None}


def _names_session(text: str) -> re.Match[str] | None:
    return _SESSION_LINE.match(text) or _CODED_HEADING.match(text)


def _session_level(blocks: list[_Block]) -> int | None:
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


class _Assembler:
    """Reads blocks in order and builds the draft; one instance per import."""

    def __init__(self, name: str, joins_lines: bool, session_level: int | None, markup: Callable[[str], str]) -> None:
        self.name = name
        self.markup = markup  # an outcome's text as reportgen markup
        self.joins_lines = joins_lines  # plain text wraps lines; Word paragraphs never continue each other
        self.title: str | None = None
        self.subtitle: str | None = None
        self.fields: dict[str, str] = {}
        self.preamble: list[_Block] = []
        self.event_notes: list[_Note | _Item] = []
        self.days: list[_Day] = []
        self.session: _Session | None = None
        self.session_level = session_level  # from here on, a heading naming no day or session is a session
        self.last_item: _Item | None = None
        self.orphans: list[_Item] = []
        self.problems: list[tuple[int, str | _Item]] = []

    # -- where things go ---------------------------------------------------------------------------------
    @property
    def in_preamble(self) -> bool:
        return not self.days

    def _place(self, entry: _Note | _Item) -> None:
        """Put a note or a stray item where the reader is: in the session, the day, or the title block."""
        if self.session is not None and isinstance(entry, _Note):
            self.session.entries.append(entry)
        elif self.days:
            self.days[-1].entries.append(entry)
        else:
            self.event_notes.append(entry)

    def _not_understood(self, block: _Block) -> None:
        self.problems.append((block.line, f"not understood: {block.raw}"))
        self._place(_Note(block.line, f"not understood: {block.raw}"))

    # -- reading -----------------------------------------------------------------------------------------
    def feed(self, block: _Block) -> None:
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

    def _heading(self, block: _Block) -> None:
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

    def _text(self, block: _Block, previous: _Item | None) -> None:
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

    def _day(self, block: _Block) -> None:
        self.session = None
        self.days.append(_Day(block.line, block.text))

    def _session(self, block: _Block, code: str | None, title: str) -> None:
        if not self.days:
            day = _Day(block.line, ASSUMED_DAY)
            message = f"no day heading before this session; assumed {ASSUMED_DAY!r}"
            day.before.append(_Note(block.line, f"check: {message}"))
            self.problems.append((block.line, message))
            self.days.append(day)
        self.session = _Session(block.line, block.raw, code, title)
        self.days[-1].entries.append(self.session)

    def _item(self, block: _Block) -> None:
        item = _Item(block.line, block.text, block.raw)
        if self.session is not None:
            self.session.entries.append(item)
        else:
            self._place(item)
            self.orphans.append(item)
            self.problems.append((block.line, item))
        self.last_item = item

    # -- finishing ---------------------------------------------------------------------------------------
    def finish(self) -> _Draft:
        problems: list[tuple[int, str]] = []
        for line, problem in self.problems:
            if isinstance(problem, _Item):
                problems.append((line, f"outcome outside a session, left out: {problem.raw}"))
            else:
                problems.append((line, problem))
        event = self._title_block(problems)
        for day in self.days:
            for entry in day.entries:
                if isinstance(entry, _Session):
                    for item in entry.entries:
                        if isinstance(item, _Item):
                            item.text = self.markup(item.text)
            self._finish_day(day, problems)
        if not any(day.sessions for day in self.days):
            raise SourceInvalid([self._missing()])
        return _Draft(self.name, event, self.event_notes, self.days, problems)

    def _title_block(self, problems: list[tuple[int, str]]) -> dict[str, str]:
        title, subtitle = self.title, self.subtitle
        for block in self.preamble:
            if title is None:
                title = block.text
            elif subtitle is None:
                subtitle = block.text
            else:
                problems.append((block.line, f"not understood: {block.raw}"))
                self.event_notes.append(_Note(block.line, f"not understood: {block.raw}"))
        self.event_notes.sort(key=lambda n: n.line)
        if title is None:
            stem = normalise(PurePath(self.name).stem) if self.name != "-" else ""
            title = stem or "Imported notes"
            message = f"no title found; {'the file name ' if stem else ''}{title!r} is used"
            problems.append((1, message))
            self.event_notes.insert(0, _Note(1, f"check: {message}"))
        event = {"title": title}
        if subtitle is not None:
            event["subtitle"] = subtitle
        for key in ("date", "venue", "organiser"):
            if key in self.fields:
                event[key] = self.fields[key]
        return event

    def _finish_day(self, day: _Day, problems: list[tuple[int, str]]) -> None:
        for session in day.entries:
            if isinstance(session, _Session) and not session.outcomes:
                message = f"session without outcomes, left out: {session.heading}"
                problems.append((session.line, message))
                session.before.append(_Note(session.line, f"check: {message}"))
        kept = day.sessions
        if not kept:
            message = f"day without sessions that have outcomes, left out: {day.title}"
            problems.append((day.line, message))
            day.dropped.append(_Note(day.line, f"check: {message}"))
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
                session.before.append(_Note(session.line, f"check: {message}"))
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
        sessions = [e for d in self.days for e in d.entries if isinstance(e, _Session)]
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


# --------------------------------------------------------------------------------------------------------
# Emitting: the draft as hand-written-looking YAML
# --------------------------------------------------------------------------------------------------------

_RESOLVER = yaml.resolver.Resolver()
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
# Anything that looks like a number, a time or a date ("1.10", "9:30", "0755", "2026-06-24", "1e3") is quoted.
_NUMBERISH = re.compile(r"^[-+.]?\d[\w.:+\-/]*$")


def _needs_escape(ch: str) -> bool:
    """True for characters a YAML reader refuses raw, or treats as a line break or byte-order mark."""
    code = ord(ch)
    printable = code in (0x09,) or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
    printable = printable or code >= 0x10000
    return not printable or code in (0x2028, 0x2029, 0xFEFF)


def _plain_is_safe(value: str) -> bool:
    if not value or value != value.strip() or value[0] in _INDICATORS or value.startswith("..."):
        return False
    if ": " in value or " #" in value or value.endswith(":") or "\t" in value:
        return False
    if _NUMBERISH.match(value) or value.lower() in ("y", "n", "=", "<<"):
        return False
    if any(_needs_escape(ch) for ch in value):
        return False
    return bool(_RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str")


def yaml_scalar(value: str) -> str:
    """Return `value` as a YAML scalar that any YAML loader reads back as exactly this text.

    Plain (unquoted) when that is unambiguous, otherwise double-quoted with backslash escapes, so "NO",
    "9:30", "1.10", "#1", "- x", "[x]", "" and text with quotes or control characters all stay text.
    """
    if _plain_is_safe(value):
        return value
    out = []
    for ch in value:
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\t":
            out.append("\\t")
        elif _needs_escape(ch):
            out.append(_escape(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def _comment(text: str, indent: int) -> str:
    """One YAML comment line; characters that would break the line or the reader are shown escaped."""
    safe = "".join(_escape(ch) if _needs_escape(ch) and ch != "\t" else ch for ch in text.replace("\n", " "))
    return f"{' ' * indent}# {safe}".rstrip()


def _emit(draft: _Draft, name: str) -> str:
    lines = [
        _comment(f"Imported from {name} by 'reportgen import'. Check it before you build:", 0),
        "# the days, session codes, titles and outcomes were read from the layout of the notes.",
    ]
    if draft.problems:
        count = f"{len(draft.problems)} problem{'' if len(draft.problems) == 1 else 's'}"
        lines.append(f"# {count} to look at: see the 'check:' and 'not understood:' comments below.")
    lines += ["", "event:"]
    for key, value in draft.event.items():
        lines.append(f"  {key}: {yaml_scalar(value)}")
    for entry in draft.event_notes:
        lines.extend(_entry_comments(entry, 2))
    lines += ["", "days:"]
    for index, day in enumerate(draft.days):
        if index:
            lines.append("")
        lines.extend(_emit_day(day))
    return "\n".join(lines) + "\n"


def _entry_comments(entry: _Note | _Item, indent: int) -> list[str]:
    if isinstance(entry, _Item):  # a bullet outside any session: kept, but only as a comment
        return [_comment(f"check: outcome outside a session, left out: {entry.raw}", indent)]
    return [_comment(entry.text, indent)]


def _emit_day(day: _Day) -> list[str]:
    lines = [_comment(note.text, 2) for note in day.before]
    if day.dropped:
        lines += [_comment(note.text, 2) for note in day.dropped]
        for entry in day.entries:
            lines += _emit_session(entry, 2) if isinstance(entry, _Session) else _entry_comments(entry, 2)
        return lines
    lines += [f"  - title: {yaml_scalar(day.title)}", "    sessions:"]
    for entry in day.entries:
        lines += _emit_session(entry, 6) if isinstance(entry, _Session) else _entry_comments(entry, 6)
    return lines


def _emit_session(session: _Session, indent: int) -> list[str]:
    pad = " " * indent
    lines = [_comment(note.text, indent) for note in session.before]
    if not session.outcomes:  # left out: everything it held stays visible as comments
        for key in ("moderator", "rapporteur"):
            if (value := getattr(session, key)) is not None:
                lines.append(_comment(f"{key}: {value}", indent))
        for entry in session.entries:
            if isinstance(entry, _Note):
                lines.append(_comment(entry.text, indent))
        return lines
    first = True
    for key, value in _session_fields(session).items():
        if value is None:
            continue
        lines.append(f"{pad}{'- ' if first else '  '}{key}: {yaml_scalar(value)}")
        first = False
    lines.append(f"{pad}  outcomes:")
    for entry in session.entries:
        if isinstance(entry, _Note):
            lines.append(_comment(entry.text, indent + 4))
        elif entry.text:
            lines.append(f"{pad}    - {yaml_scalar(entry.text)}")
    return lines
