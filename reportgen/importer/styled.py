"""Styled text: a Word paragraph's bold, italic and linked pieces -> an outcome written as reportgen markup.

The Word reader (:mod:`.word`) cuts a paragraph into pieces of text, each with its :class:`Look`; here the
pieces are normalised exactly as :func:`.read.normalise` normalises their text, and the outcome's stretch of
them is written as ``**bold**``, ``*italic*`` and ``[text](url)``, the rest escaped where it would otherwise
be read as markup (as :func:`.read.literal` does for plain text). The markup is parsed back and compared
with the looks; when it would read back differently (CommonMark's flanking rules cannot say every
combination), the outcome is written as its plain text instead: the words are never changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import quote, unquote

from ..markup import MarkupError, escape, parse
from .read import literal, normalise

LINK_SCHEMES = ("http://", "https://", "mailto:")
"""The link targets kept from a Word hyperlink (the schemes a source may use); others become plain text."""

# Characters kept as they are in a link target written in markup; the rest (spaces, parentheses, angle
# brackets, backslashes, non-ASCII) are percent-encoded, which names the same address.
_SAFE_IN_TARGET = "!#$%&'*+,-./:;=?@[]^_`{|}~"


class Look(NamedTuple):
    """How a piece of a Word paragraph looks: bold, italic, and the address it links to."""

    bold: bool = False
    italic: bool = False
    link: str | None = None


PLAIN = Look()


def styled(pieces: list[tuple[str, Look]], text: str) -> str | None:
    """`text`, the end of the paragraph made of `pieces` (normalised), as markup keeping its looks.

    Returns None when that stretch is all plain (the caller writes it as plain text, as before), when it is
    not the end of the pieces' normalised text, or when no markup reads back as the same looks.
    """
    chars = _normalised(pieces)
    if not text or "".join(ch for ch, _ in chars[-len(text) :]) != text:
        return None
    chars = _spaces_between(chars[-len(text) :])
    if all(look == PLAIN for _, look in chars):
        return None
    segments: list[tuple[str, Look]] = []
    for ch, look in chars:
        if segments and segments[-1][1] == look:
            segments[-1] = (segments[-1][0] + ch, look)
        else:
            segments.append((ch, look))
    for written in (literal, escape):
        markup = _markup(segments, written)
        if _reads_back(markup, chars):
            return markup
    return None


def _normalised(pieces: list[tuple[str, Look]]) -> list[tuple[str, Look]]:
    """The pieces as characters with their looks, normalised as normalise() does their joined text: control
    characters dropped, non-characters replaced, every stretch of whitespace one space, none at the ends."""
    chars: list[tuple[str, Look]] = []
    space: Look | None = None
    for piece, look in pieces:
        for ch in piece:
            if ch.isspace():
                space = look if chars and space is None else space
                continue
            shown = normalise(ch)
            if not shown:
                continue
            if space is not None:
                chars.append((" ", space))
                space = None
            chars.append((shown, look))
    return chars


def _spaces_between(chars: list[tuple[str, Look]]) -> list[tuple[str, Look]]:
    """A space takes only the looks of both its neighbours, so that emphasis and links never start or end on
    one ("**a **b" would not be bold in markup)."""
    out = list(chars)
    for at in range(1, len(chars) - 1):
        if chars[at][0] == " ":
            before, after = chars[at - 1][1], chars[at + 1][1]
            link = before.link if before.link == after.link else None
            out[at] = (" ", Look(before.bold and after.bold, before.italic and after.italic, link))
    return out


def _markup(segments: list[tuple[str, Look]], written: Callable[[str], str]) -> str:
    """The segments as markup: a link outermost, emphasis nested inside it, each opened and closed once."""
    out: list[str] = []
    stack: list[str] = []  # open marks, outermost first: "[", "**", "*"
    link: str | None = None

    def close(keep: int) -> None:
        while len(stack) > keep:
            mark = stack.pop()
            out.append(f"]({quote(link or '', safe=_SAFE_IN_TARGET)})" if mark == "[" else mark)

    for text, look in segments:
        if look.link != link:
            close(0)
            link = look.link
            if link is not None:
                out.append("[")
                stack.append("[")
        wanted = [mark for mark, on in (("**", look.bold), ("*", look.italic)) if on]
        keep = 1 if link is not None else 0
        while keep < len(stack) and stack[keep] in wanted:
            keep += 1
        close(keep)
        for mark in wanted:
            if mark not in stack:
                out.append(mark)
                stack.append(mark)
        out.append(written(text))
    close(0)
    return "".join(out)


def _reads_back(markup: str, chars: list[tuple[str, Look]]) -> bool:
    """True when `markup` parses to the same characters with the same bold, italic and links (a bare address
    in plain text may become a link, as it does in any plain outcome)."""
    try:
        rich = parse(markup)
    except MarkupError:
        return False
    got = [(ch, run) for run in rich.runs for ch in run.text]
    if "".join(ch for ch, _ in got) != "".join(ch for ch, _ in chars):
        return False
    for (_, look), (_, run) in zip(chars, got, strict=True):
        if run.code or (run.bold, run.italic) != (look.bold, look.italic):
            return False
        if look.link is not None and (run.link is None or unquote(run.link) != unquote(look.link)):
            return False
    return True
