"""Reading notes: text, Markdown or Word .docx bytes -> blocks classified by their syntax, whitespace normalised.

Step 1 of an import. A block is a line of text or a Word paragraph, classified as blank, heading (of some
level), title, subtitle, list item or plain text; its line is the line's number, or the paragraph's (every
paragraph counted, empty ones and table cells too). What normalising took out of a line is returned with the
blocks, one problem per kind of character, so nothing leaves the notes without a word. The two functions
that turn an outcome's text into reportgen markup (:func:`from_markdown`, :func:`literal`) live here too:
how text is read decides what its characters mean.

No rendering library is imported here: ``.docx`` packages are read with :mod:`zipfile` and ElementTree.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Literal
from xml.etree import ElementTree

from ..errors import Diagnostic, SourceInvalid
from ..loader import decode
from ..markup import MarkupError, escape, parse

MAX_DOCX_PART_BYTES = 50 * 1024 * 1024
"""Largest uncompressed ``word/document.xml`` (and ``word/styles.xml``) read; a bigger one is refused."""


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
class Block:
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


def _classify_line(number: int, line: str, markdown: bool) -> Block:
    """Classify one line of text or one plain Word paragraph by its syntax alone."""
    text = normalise(line)
    if not text or _RULE.match(text):
        return Block(number, "blank", "", text)
    if heading := _HEADING.match(text):
        inner = heading.group(2) or ""
        if markdown:
            inner = _plain_markdown(_unwrap(inner))
        if inner:
            return Block(number, "heading", inner, text, level=len(heading.group(1)))
        return Block(number, "blank", "", text)
    if bullet := _BULLET.match(text):
        return Block(number, "item", text[bullet.end() :].strip(), text)
    return Block(number, "text", _unwrap(text) if markdown else text, text)


def from_markdown(text: str) -> str:
    """A Markdown outcome as reportgen markup: the same inline syntax, kept as written when it parses; text
    whose links reportgen refuses (a relative or javascript: link) is kept as literal characters instead."""
    try:
        parse(text)
    except MarkupError:
        return escape(text)
    return text


def literal(text: str) -> str:
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


def decode_text(data: bytes, name: str, encoding: str | None = None) -> str:
    if encoding not in (None, "utf-8"):
        return decode(data, name, encoding, advice="")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Windows "Unicode" text: UTF-16 with its BOM
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    return decode(data, name, advice="save the file as UTF-8 or name its encoding, e.g. --encoding cp1252")


def text_blocks(text: str, kind: str) -> tuple[list[Block], list[tuple[int, str]]]:
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


def docx_blocks(data: bytes, name: str) -> tuple[list[Block], list[tuple[int, str]]]:
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
    blocks: list[Block] = []
    changed: list[tuple[int, str]] = []
    for number, paragraph in enumerate(_paragraphs(body if body is not None else document), 1):
        raw = _paragraph_text(paragraph)
        changed.extend(_changed(number, raw))
        text = normalise(raw)
        kind, level = _paragraph_kind(paragraph, styles, default)
        if not text:
            blocks.append(Block(number, "blank", "", ""))
        elif kind == "item":
            # Word draws the bullet; one typed before the text as well would be shown twice.
            bullet = _BULLET.match(text)
            if bullet is not None and not text[0].isdigit() and text[0] not in "-*+":
                blocks.append(Block(number, "item", text[bullet.end() :].strip(), text))
            else:
                blocks.append(Block(number, "item", text, text))
        elif kind is not None:
            blocks.append(Block(number, kind, text, text, level))
        else:
            blocks.append(_classify_line(number, text, markdown=False))
    return blocks, changed
