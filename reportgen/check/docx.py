"""Accessibility rules for Word files: title, language, text contrast through the styles, heading levels,
alt text, table header rows and empty paragraphs used as spacing; read with the standard library."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from . import Finding
from .ooxml import NS, Colour, Package, excerpt, hex_colour, is_large, q

if TYPE_CHECKING:
    from collections.abc import Iterator

_OFF = ("0", "false", "off")
_DOCUMENT = "word/document.xml"


def check(name: str, data: bytes) -> list[Finding]:
    """The findings for the Word file `name` whose bytes are `data`, in document order."""
    package = Package(data)
    document = package.part(_DOCUMENT)
    if document is None:
        return [Finding(name, "document", "DOCX-READ-001", "word/document.xml is missing or not XML")]
    styles = _Styles(package.part("word/styles.xml"))
    found: list[Finding] = []
    if not package.core("dc:title"):
        found.append(Finding(name, "document", "DOCX-TITLE-001", "no document title: set File > Properties > Title"))
    if not (styles.language or package.core("dc:language")):
        found.append(
            Finding(name, "document", "DOCX-LANG-001", "no document language: set the default language of the text")
        )
    body = document.find("w:body", NS)
    if body is None:
        return found
    ground = _page_colour(document)
    paragraphs = list(body.iter(q("w:p")))
    number = {id(p): n for n, p in enumerate(paragraphs, 1)}
    found += _contrast(name, paragraphs, styles, ground)
    found += _headings(name, paragraphs, styles)
    found += _pictures(name, paragraphs)
    found += _tables(name, body, number)
    found += _empty(name, body, number)
    return found


class _Styles:
    """The styles part, resolved: each style's own properties, its base, and the document defaults."""

    def __init__(self, root: Element | None) -> None:
        self.by_id: dict[str, Element] = {}
        self.default_paragraph = ""
        self.defaults: Element | None = None
        if root is None:
            self.language = ""
            return
        for style in root.iter(q("w:style")):
            style_id = style.get(q("w:styleId"), "")
            self.by_id[style_id] = style
            if style.get(q("w:type")) == "paragraph" and style.get(q("w:default")) in ("1", "true", "on"):
                self.default_paragraph = style_id
        self.defaults = root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
        lang = self.defaults.find("w:lang", NS) if self.defaults is not None else None
        self.language = lang.get(q("w:val"), "") if lang is not None else ""

    def chain(self, style_id: str) -> Iterator[Element]:
        """The style and its bases, nearest first (a loop in basedOn ends the chain)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self.by_id:
            seen.add(style_id)
            style = self.by_id[style_id]
            yield style
            based = style.find("w:basedOn", NS)
            style_id = based.get(q("w:val"), "") if based is not None else ""

    def run_value(self, run: Element, paragraph_style: str, tag: str) -> Element | None:
        """The nearest `tag` (e.g. "w:color") of a run: its own, its character style's, its paragraph
        style's, then the document default's."""
        own = run.find(f"w:rPr/{tag}", NS)
        if own is not None:
            return own
        r_style = run.find("w:rPr/w:rStyle", NS)
        candidates = []
        if r_style is not None:
            candidates.append(r_style.get(q("w:val"), ""))
        candidates.append(paragraph_style)
        for style_id in candidates:
            for style in self.chain(style_id):
                found = style.find(f"w:rPr/{tag}", NS)
                if found is not None:
                    return found
        return self.defaults.find(tag, NS) if self.defaults is not None else None

    def outline_level(self, paragraph: Element, style_id: str) -> int | None:
        """The heading level (1-9) of a paragraph: its own or its style's outline level, or a style named
        "heading N"; None for other paragraphs."""
        own = paragraph.find("w:pPr/w:outlineLvl", NS)
        if own is not None:
            return _level(own)
        for style in self.chain(style_id):
            level = style.find("w:pPr/w:outlineLvl", NS)
            if level is not None:
                return _level(level)
            name_element = style.find("w:name", NS)
            name = (name_element.get(q("w:val"), "") if name_element is not None else "").lower()
            if name.startswith("heading ") and name[8:].isdigit():
                return int(name[8:])
        return None


def _level(element: Element) -> int | None:
    value = element.get(q("w:val"), "")
    return int(value) + 1 if value.isdigit() and int(value) < 9 else None


def _style_of(paragraph: Element, styles: _Styles) -> str:
    p_style = paragraph.find("w:pPr/w:pStyle", NS)
    return p_style.get(q("w:val"), "") if p_style is not None else styles.default_paragraph


def _text(element: Element) -> str:
    return "".join(t.text or "" for t in element.iter(q("w:t")))


def _page_colour(document: Element) -> str:
    background = document.find("w:background", NS)
    return hex_colour(background.get(q("w:color")) if background is not None else None) or "#FFFFFF"


def _shading(element: Element | None) -> str | None:
    return hex_colour(element.get(q("w:fill"))) if element is not None else None


def _contrast(name: str, paragraphs: list[Element], styles: _Styles, page: str) -> list[Finding]:
    """Each text colour (resolved through the styles) on its ground, reported where first seen."""
    first: dict[Colour, tuple[int, str]] = {}
    count: Counter[Colour] = Counter()
    for n, paragraph in enumerate(paragraphs, 1):
        style_id = _style_of(paragraph, styles)
        ground = _shading(paragraph.find("w:pPr/w:shd", NS)) or page
        for run in paragraph.iter(q("w:r")):
            text = _text(run)
            if not text.strip():
                continue
            colour = styles.run_value(run, style_id, "w:color")
            value = hex_colour(colour.get(q("w:val")) if colour is not None else None)
            if value is None:
                continue  # automatic colour: black or white, whichever reads on the ground
            size = styles.run_value(run, style_id, "w:sz")
            half_points = size.get(q("w:val"), "") if size is not None else ""
            points = int(half_points) / 2 if half_points.isdigit() else 10.0
            bold = styles.run_value(run, style_id, "w:b")
            strong = bold is not None and bold.get(q("w:val"), "1") not in _OFF
            pair = Colour(value, _shading(run.find("w:rPr/w:shd", NS)) or ground, is_large(points, strong))
            if pair.fails:
                count[pair] += 1
                first.setdefault(pair, (n, text))
    found = []
    for pair, (n, text) in sorted(first.items(), key=lambda item: item[1][0]):
        more = f" (and {count[pair] - 1} more runs)" if count[pair] > 1 else ""
        found.append(Finding(name, f"paragraph {n}", "DOCX-CONTRAST-001", pair.hint(excerpt(text)) + more))
    return found


def _headings(name: str, paragraphs: list[Element], styles: _Styles) -> list[Finding]:
    found = []
    previous = 0
    for n, paragraph in enumerate(paragraphs, 1):
        level = styles.outline_level(paragraph, _style_of(paragraph, styles))
        if level is None:
            continue
        if level > previous + 1:
            hint = f"heading {excerpt(_text(paragraph))} is level {level} after level {previous}: levels skipped"
            found.append(Finding(name, f"paragraph {n}", "DOCX-HEADING-001", hint, "warning"))
        previous = level
    return found


def _decorative(properties: Element) -> bool:
    return any(element.get("val") in ("1", "true") for element in properties.iter(q("adec:decorative")))


def _pictures(name: str, paragraphs: list[Element]) -> list[Finding]:
    found = []
    for n, paragraph in enumerate(paragraphs, 1):
        for properties in paragraph.iter(q("wp:docPr")):
            if not (properties.get("descr") or "").strip() and not _decorative(properties):
                what = properties.get("name") or "a picture"
                hint = f"{what!r} has no alt text: describe it, or mark it decorative"
                found.append(Finding(name, f"paragraph {n}", "DOCX-ALT-001", hint))
    return found


def _tables(name: str, body: Element, number: dict[int, int]) -> list[Finding]:
    found = []
    for t, table in enumerate(body.iter(q("w:tbl")), 1):
        first_row = table.find("w:tr", NS)
        if first_row is None:
            continue
        header = first_row.find("w:trPr/w:tblHeader", NS)
        if header is None or header.get(q("w:val"), "1") in _OFF:
            first = next(table.iter(q("w:p")), None)
            place = f"paragraph {number[id(first)]}" if first is not None else "document"
            hint = f"table {t}: its first row is not marked as a header row that repeats on each page"
            found.append(Finding(name, place, "DOCX-TABLE-001", hint))
    return found


def _empty(name: str, body: Element, number: dict[int, int]) -> list[Finding]:
    """Empty top-level paragraphs (no text, picture, field or break) used to make space, one per stretch."""
    found = []
    stretch: list[Element] = []
    for child in [*body, None]:
        if child is not None and child.tag == q("w:p") and _is_empty(child):
            stretch.append(child)
            continue
        if stretch and child is not None:  # a last empty paragraph before the section end is Word's own
            count = len(stretch)
            hint = f"{count} empty paragraph{'s' * (count > 1)} used as spacing: use space before or after instead"
            found.append(Finding(name, f"paragraph {number[id(stretch[0])]}", "DOCX-EMPTY-001", hint, "warning"))
        stretch = []
    return found


def _is_empty(paragraph: Element) -> bool:
    if _text(paragraph).strip() or paragraph.find("w:pPr/w:sectPr", NS) is not None:
        return False
    content = ("w:drawing", "w:pict", "w:object", "w:fldChar", "w:fldSimple", "w:br", "w:tab", "w:sym")
    return not any(paragraph.find(f".//{tag}", NS) is not None for tag in content)
