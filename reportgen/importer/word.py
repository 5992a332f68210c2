"""Reading Word: the paragraphs of a .docx -> blocks classified by their style, whitespace normalised.

Step 1 of an import for a Word document (:mod:`.read` reads text and Markdown). A block's line is the
paragraph's number, every paragraph counted (empty ones and table cells too). The package is read with
:mod:`zipfile` and ElementTree, refusing oversized parts and DTDs: no rendering library is imported here.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, replace
from xml.etree import ElementTree

from ..errors import Diagnostic, SourceInvalid
from .read import BULLET, Block, BlockKind, changed_characters, classify_line, normalise
from .styled import LINK_SCHEMES, PLAIN, Look, styled

MAX_DOCX_PART_BYTES = 50 * 1024 * 1024
"""Largest uncompressed ``word/document.xml`` (``word/styles.xml``, its relationships) read; a bigger one is
refused."""


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
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


def _paragraph_pieces(
    paragraph: ElementTree.Element, links: dict[str, str], looks: dict[str, tuple[bool | None, bool | None]]
) -> list[tuple[str, Look]]:
    """The visible text of a paragraph (tabs and line breaks as spaces; deleted text, text boxes left out),
    in pieces with their looks: bold and italic from each run (its own properties, else its character
    style), the link from the hyperlink around it (`links`: relationship id -> kept address)."""
    pieces: list[tuple[str, Look]] = []
    stack = [(iter(paragraph), PLAIN)]
    while stack:
        child = next(stack[-1][0], None)
        if child is None:
            stack.pop()
            continue
        if child.tag in _SKIPPED:
            continue
        look = stack[-1][1]
        if child.tag == f"{_W}t":
            pieces.append((child.text or "", look))
        elif child.tag in _CHARACTERS:
            pieces.append((_CHARACTERS[child.tag], look))
        elif child.tag == f"{_W}r":
            look = _run_look(child.find(f"{_W}rPr"), looks, look.link)
        elif child.tag == f"{_W}hyperlink":
            look = Look(link=links.get(child.get(f"{_R}id", "")))
        stack.append((iter(child), look))
    return pieces


def _on(properties: ElementTree.Element | None, tag: str) -> bool | None:
    """A toggle property (w:b, w:i) of run properties: on, off (val 0/false/off), or not set."""
    element = properties.find(f"{_W}{tag}") if properties is not None else None
    if element is None:
        return None
    return element.get(f"{_W}val", "true").lower() not in ("0", "false", "off")


def _run_look(
    r_pr: ElementTree.Element | None, looks: dict[str, tuple[bool | None, bool | None]], link: str | None
) -> Look:
    style = r_pr.find(f"{_W}rStyle") if r_pr is not None else None
    bold, italic = looks.get(style.get(f"{_W}val", "") if style is not None else "", (None, None))
    own_bold, own_italic = _on(r_pr, "b"), _on(r_pr, "i")
    return Look(
        bold=bool(bold if own_bold is None else own_bold),
        italic=bool(italic if own_italic is None else own_italic),
        link=link,
    )


def _character_looks(root: ElementTree.Element | None) -> dict[str, tuple[bool | None, bool | None]]:
    """Bold and italic of each character style ("Strong", "Emphasis"...), through the styles it is based on."""
    own: dict[str, tuple[bool | None, bool | None, str | None]] = {}
    for element in root.iter(f"{_W}style") if root is not None else ():
        if element.get(f"{_W}type") == "character":
            r_pr = element.find(f"{_W}rPr")
            based = element.find(f"{_W}basedOn")
            based_on = based.get(f"{_W}val") if based is not None else None
            own[element.get(f"{_W}styleId", "")] = (_on(r_pr, "b"), _on(r_pr, "i"), based_on)
    looks: dict[str, tuple[bool | None, bool | None]] = {}
    for style_id in own:
        bold = italic = None
        seen: set[str] = set()
        current: str | None = style_id
        while current is not None and current in own and current not in seen:
            seen.add(current)
            own_bold, own_italic, current = own[current]
            bold = own_bold if bold is None else bold
            italic = own_italic if italic is None else italic
        looks[style_id] = (bold, italic)
    return looks


def _links(root: ElementTree.Element | None) -> dict[str, str]:
    """The document's relationships whose target is an address a source may link to, by id."""
    links: dict[str, str] = {}
    for element in root.iter(f"{_RELS}Relationship") if root is not None else ():
        target = element.get("Target", "").strip()
        scheme = next((s for s in LINK_SCHEMES if target.lower().startswith(s)), None)
        if scheme is not None and target[len(scheme) :].strip("/"):
            links[element.get("Id", "")] = target
    return links


def docx_blocks(data: bytes, name: str) -> tuple[list[Block], list[tuple[int, str]]]:
    """Paragraphs of a .docx -> blocks, and what normalise() took out of them; a block's line is the
    paragraph's number."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _docx_refuse(name, "is a Word 97-2003 .doc or a password-protected document; save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            document = _read_part(archive, "word/document.xml", name, required=True)
            styles_root = _read_part(archive, "word/styles.xml", name, required=False)
            rels = _read_part(archive, "word/_rels/document.xml.rels", name, required=False)
    except SourceInvalid:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
            zlib.error, ValueError) as error:  # fmt: skip
        raise _docx_refuse(name, f"is not a readable Word document (.docx): {error}") from None
    assert document is not None
    styles, default = _styles(styles_root)
    looks, links = _character_looks(styles_root), _links(rels)
    body = document.find(f"{_W}body")
    blocks: list[Block] = []
    changed: list[tuple[int, str]] = []
    for number, paragraph in enumerate(_paragraphs(body if body is not None else document), 1):
        pieces = _paragraph_pieces(paragraph, links, looks)
        raw = "".join(piece for piece, _ in pieces)
        changed.extend(changed_characters(number, raw))
        text = normalise(raw)
        kind, level = _paragraph_kind(paragraph, styles, default)
        if not text:
            blocks.append(Block(number, "blank", "", ""))
        elif kind == "item":
            # Word draws the bullet; one typed before the text as well would be shown twice.
            bullet = BULLET.match(text)
            if bullet is not None and not text[0].isdigit() and text[0] not in "-*+":
                item = text[bullet.end() :].strip()
            else:
                item = text
            blocks.append(Block(number, "item", item, text, markup=styled(pieces, item)))
        elif kind is not None:
            blocks.append(Block(number, kind, text, text, level))
        else:
            block = classify_line(number, text, markdown=False)
            if block.kind == "item":
                block = replace(block, markup=styled(pieces, block.text))
            blocks.append(block)
    return blocks, changed
