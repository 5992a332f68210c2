"""Reading notes: text or Markdown lines -> blocks classified by their syntax, whitespace normalised.

Step 1 of an import (a Word document's paragraphs are read by :mod:`.word` into the same blocks). A block is
a line of text or a Word paragraph, classified as blank, heading (of some level), title, subtitle, list item
or plain text; its line is the line's number, or the paragraph's. What normalising took out of a line is
returned with the blocks, one problem per kind of character, so nothing leaves the notes without a word.
The two functions that turn an outcome's text into reportgen markup (:func:`from_markdown`,
:func:`literal`) live here too: how text is read decides what its characters mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..loader import decode
from ..markup import MarkupError, escape, parse

# --------------------------------------------------------------------------------------------------------
# Text: normalising and classifying one line
# --------------------------------------------------------------------------------------------------------

# Control characters that are not whitespace: dropped (a document cannot carry them).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# Bidi embeddings, overrides and isolates, and Hangul fillers, which a source may not hold (model.py); and
# characters that draw nothing, dropped where they start or end a text, so that no title or outcome is only
# invisible: a soft hyphen, zero-width spaces and joiners, word joiners, the byte order mark.
_REFUSED = re.compile("[\u202a-\u202e\u2066-\u2069\u115f\u1160\u3164\uffa0]")
_INVISIBLE_EDGES = "\u00ad\u034f\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
# Lone surrogates and Unicode non-characters: not characters at all, so they become U+FFFD.
_PLANE_ENDS = "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17))
_NOT_CHARACTER = re.compile(f"[\ud800-\udfff\ufdd0-\ufdef{_PLANE_ENDS}]")


def normalise(text: str) -> str:
    """Return `text` with all whitespace (tabs, U+00A0, U+202F, line separators...) as one space, stripped.

    The words are kept exactly. Control characters that are not whitespace are dropped and non-characters
    become U+FFFD, because no document can carry them. "" stays "".
    """
    text = _NOT_CHARACTER.sub("\ufffd", _REFUSED.sub("", _CONTROL.sub("", text)))
    words = text.split()
    while words and not words[0].strip(_INVISIBLE_EDGES):
        words.pop(0)
    while words and not words[-1].strip(_INVISIBLE_EDGES):
        words.pop()
    if words:
        words[0], words[-1] = words[0].lstrip(_INVISIBLE_EDGES), words[-1].rstrip(_INVISIBLE_EDGES)
    return " ".join(words)


BlockKind = Literal["blank", "heading", "title", "subtitle", "item", "text"]


@dataclass(frozen=True)
class Block:
    """One line (or Word paragraph) classified by its syntax; `text` is normalised and without its marker."""

    line: int
    kind: BlockKind
    text: str
    raw: str  # the whole normalised line, marker included: what a comment or a problem shows
    level: int = 0  # heading level, 1 = top
    markup: str | None = None  # an item's text as markup when its reader knows its looks (Word's bold...)


_HEADING = re.compile(r"^(#{1,6})(?:\s+(.*?))??(?:\s+#+)?$")
_RULE = re.compile(r"^([-*_=~])(?:\s*\1){2,}$")
# Bullets: typographic ones may touch the text; ASCII ones and dashes need a space: "-5", "*stress*" are text.
# U+F0B7 and friends are the Symbol/Wingdings bullets that Word leaves in pasted text.
BULLET = re.compile(
    r"^(?:[•▪●◦○■□▫‣⁃∙·➢➤►▶✓✔\uf0a7\uf0b7\uf076\uf0d8](?:\s+|$)?|[-*+–—](?:\s+|$)|\d{1,3}[.)](?:\s+|$))"
)
_EMPHASIS = re.compile(r"^(\*\*|__)(?=\S)(.+?)(?<=\S)\1$")


def classify_line(number: int, line: str, markdown: bool) -> Block:
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
    if bullet := BULLET.match(text):
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
    """Lines of plain text or Markdown -> blocks, and what normalise() took out of them (see changed_characters);
    lines split at CR LF, CR or LF (others are spaces)."""
    lines = re.split(r"\r\n|\r|\n", text)
    blocks = [classify_line(number, line, kind == "markdown") for number, line in enumerate(lines, 1)]
    return blocks, [p for number, line in enumerate(lines, 1) for p in changed_characters(number, line)]


def changed_characters(number: int, raw: str) -> list[tuple[int, str]]:
    """A problem for each kind of character normalise() drops or replaces in a line, so that nothing leaves
    the notes without a word: "notes.txt:4: removed the control character U+0007 (BEL)"."""
    found = []
    for pattern, what in (
        (_CONTROL, "removed the control character"),
        (_REFUSED, "removed the bidi control or Hangul filler"),
        (_NOT_CHARACTER, "replaced the non-character"),
    ):
        codes = sorted({ord(ch) for ch in pattern.findall(raw)})
        for code in codes:
            name = _CONTROL_NAMES.get(code, "")
            found.append((number, f"{what} U+{code:04X}{f' ({name})' if name else ''}, which no document can hold"))
    return found


_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x1B: "ESC", 0x7F: "DEL"}
