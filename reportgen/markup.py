"""Inline markup: a documented subset of CommonMark inline syntax, parsed into styled runs of plain text.

What is markup (everything else stays literal text, exactly as written):

- ``**bold**`` and ``__bold__``; ``*italic*`` and ``_italic_`` (CommonMark's flanking rules, so ``2 * 3 * 4``
  and ``snake_case`` stay literal);
- ``code`` in backticks;
- ``[text](url)``, ``<https://…>``, and bare ``https://…``, ``http://…`` and ``mailto:…`` addresses;
- backslash escapes (``\\*`` is a literal star).

Links may be ``http``, ``https`` or ``mailto``; any other target (``javascript:``, ``file:``, ``data:``, a
relative path) is refused with the place it starts. HTML tags, images, entities, headings and lists are not
markup. The parser is markdown-it-py (CommonMark's reference behaviour), imported only for text that holds a
character that could start markup, so sources without markup pay nothing for it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Iterable

SCHEMES = ("http", "https", "mailto")
"""The link schemes a source may use."""

# A character that can start markup; text without any is one plain run and never reaches the parser.
_MAY_BE_MARKUP = re.compile(r"[*_`\[<\\]|https?://|mailto:", re.IGNORECASE)
# '![' would start an image, which is not markup: escaped before parsing, so it stays literal text.
_IMAGE_START = re.compile(r"(?<!\\)((?:\\\\)*)!\[")
# Bare addresses (GFM's extended autolinks, limited to our schemes): the address ends before white space
# or '<'; trailing punctuation and an unbalanced closing parenthesis are left out of it. An address right
# after '](' is the target of literal link or image syntax (an image, escaped brackets) and stays text.
_BARE = re.compile(r"(?<![\w/@.+-])(?<!\]\()(?:https?://|mailto:)[^\s<]+", re.IGNORECASE)
_TRAILING = ".,:;!?'\"*_~"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class Run(NamedTuple):
    """A piece of text with one look: bold, italic, code (monospace) and a link target, or none of them."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None

    @property
    def plain(self) -> bool:
        """True for a run with no emphasis, code or link."""
        return not (self.bold or self.italic or self.code or self.link)


class MarkupError(ValueError):
    """A link the documents must not carry; `offset` is where it starts in the source text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class Rich(str):
    """Text with inline markup. The string itself is the plain text a reader sees (what searches, sorting,
    coverage checks and text dumps use); ``runs`` is that text cut into styled runs whose texts join to it;
    ``source`` is the text as written, markup included (what translators get).

    A Rich compares equal to its plain text, so code that needs only the words may treat it as a str."""

    runs: tuple[Run, ...]
    source: str

    def __new__(cls, runs: Iterable[Run], source: str | None = None) -> Rich:
        merged = _merge(runs)
        self = super().__new__(cls, "".join(r.text for r in merged))
        self.runs = merged
        self.source = str(self) if source is None else source
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Rich, (self.runs, self.source))

    @property
    def has_markup(self) -> bool:
        """True when some run is bold, italic, code or a link."""
        return any(not r.plain for r in self.runs)

    @property
    def links(self) -> tuple[str, ...]:
        """The link targets, in order, one per linked stretch of text."""
        found: list[str] = []
        previous: str | None = None
        for run in self.runs:
            if run.link and run.link != previous:
                found.append(run.link)
            previous = run.link
        return tuple(found)

    def lines(self) -> list[Rich]:
        """The text cut at its line breaks (speaker notes hold several lines), each line with its runs."""
        lines: list[list[Run]] = [[]]
        for run in self.runs:
            parts = run.text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    lines.append([])
                if part:
                    lines[-1].append(run._replace(text=part))
        return [Rich(line) for line in lines]


def _merge(runs: Iterable[Run]) -> tuple[Run, ...]:
    """Adjacent runs with the same look joined, empty runs dropped."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and out[-1][1:] == run[1:]:
            out[-1] = out[-1]._replace(text=out[-1].text + run.text)
        else:
            out.append(run)
    return tuple(out)


_PARSER: Any = None


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        md = MarkdownIt("zero").enable(["emphasis", "backticks", "link", "autolink", "escape"])
        # markdown-it leaves a link it finds unsafe as literal text; we refuse it instead, with its place.
        md.validateLink = lambda url: True  # type: ignore[method-assign]
        _PARSER = md
    return _PARSER


def parse(text: str) -> Rich:
    """Parse one text's inline markup into runs; raise MarkupError for a link we refuse.

    Text with no character that could start markup is returned as one plain run without parsing."""
    if not _MAY_BE_MARKUP.search(text):
        return Rich((Run(text),), text)
    prepared = _IMAGE_START.sub(lambda m: m.group(1) + "!\\[", text)
    tokens = _parser().parseInline(prepared)[0].children or []
    runs: list[Run] = []
    bold = italic = 0
    link: str | None = None
    runs_before = 0
    for token in tokens:
        kind = token.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            link = _checked_link(str(token.attrs.get("href", "")), text)
            runs_before = len(runs)
        elif kind == "link_close":
            if len(runs) == runs_before and link:  # [](url): the address is the text
                runs.append(Run(_shown(link), bool(bold), bool(italic), False, link))
            link = None
        elif kind == "code_inline":
            runs.append(Run(token.content, bool(bold), bool(italic), True, link))
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run("\n", bool(bold), bool(italic), False, link))
        else:  # text, and anything not enabled, stays as the characters it holds
            content = token.content
            if link is None:
                runs.extend(_bare_links(content, text, Run("", bool(bold), bool(italic))))
            else:
                runs.append(Run(content, bool(bold), bool(italic), False, link))
    return Rich(runs, text)


def _bare_links(content: str, source: str, look: Run) -> list[Run]:
    """A text token's runs, with every bare http(s)/mailto address in it made a link."""
    runs: list[Run] = []
    at = 0
    for match in _BARE.finditer(content):
        address = _trimmed(match.group())
        if address.lower() in ("http://", "https://", "mailto:") or address.endswith("://"):
            continue
        runs.append(look._replace(text=content[at : match.start()]))
        runs.append(look._replace(text=address, link=_checked_link(address, source)))
        at = match.start() + len(address)
    runs.append(look._replace(text=content[at:]))
    return runs


def _trimmed(address: str) -> str:
    """An address without the punctuation that ends the sentence around it (GFM's rule)."""
    while address:
        last = address[-1]
        if last in _TRAILING or (last == ")" and address.count(")") > address.count("(")):
            address = address[:-1]
        else:
            break
    return address


def _shown(link: str) -> str:
    return link[len("mailto:") :] if link.lower().startswith("mailto:") else link


def _checked_link(href: str, source: str) -> str:
    """The link target when its scheme is allowed; else MarkupError at the target's place in `source`."""
    scheme = _SCHEME.match(href)
    name = scheme.group(1).lower() if scheme else ""
    if name in SCHEMES and href[len(name) + 1 :].strip("/"):
        return href
    offset = _offset_of(href, source)
    if not scheme:
        message = f"link target {href!r} has no scheme; write a full address starting https://, http:// or mailto:"
    elif name in SCHEMES:
        message = f"link target {href!r} has no address after its scheme"
    else:
        message = f"link scheme {name + ':'!r} is not allowed (only https:, http: and mailto:): {href!r}"
    raise MarkupError(message, offset)


def _offset_of(href: str, source: str) -> int:
    """Where the target is written in the source: its first occurrence after '](' or '<', else 0."""
    for probe in (f"]({href}", f"<{href}", href):
        at = source.find(probe)
        if at >= 0:
            return at + (len(probe) - len(href))
    # markdown-it normalised the target (percent-encoding): point at the first '](' instead
    at = source.find("](")
    return at + 2 if at >= 0 else 0


def escape(text: str) -> str:
    """Plain text written so that the parser gives it back unchanged (for the importer of plain notes); a
    bare address still becomes a link, as a reader of the notes would expect."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
