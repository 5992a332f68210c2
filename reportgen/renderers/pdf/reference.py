"""The look of a theme's reference Word document, for the PDF: fonts, sizes and colours of its Title,
Heading 1, Heading 2 and Normal styles, so that the brief matches the Word summary made from the same
template. Read with zipfile and ElementTree (python-docx belongs to the Word renderer)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from typing import TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:
    from ...theme import Theme

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MAX_STYLES_BYTES = 20 * 1024 * 1024
_HEX = re.compile(r"^[0-9A-Fa-f]{6}$")

# Theme setting <- (style, what the style says): the Word renderer lets the template decide what the theme
# leaves unsaid, and so does the PDF.
_FROM_STYLES = (
    ("heading_font", "heading 1", "font"),
    ("primary", "heading 1", "colour"),
    ("title_size", "title", "size"),
    ("heading1_size", "heading 1", "size"),
    ("heading2_size", "heading 2", "size"),
    ("body_font", "normal", "font"),
    ("text", "normal", "colour"),
    ("body_size", "normal", "size"),
)


def with_reference_look(theme: Theme) -> Theme:
    """`theme` with what its reference .docx says of fonts, sizes and colours in place of the settings the
    theme itself does not state; the theme unchanged without a reference document or one that cannot be
    read (the Word renderer reports that)."""
    data = theme.reference("docx")
    if data is None:
        return theme
    styles = _styles(data)
    if not styles:
        return theme
    stated = theme.explicit
    changes: dict[str, object] = {}
    for setting, style, what in _FROM_STYLES:
        if setting in stated:
            continue
        value = _resolved(styles, style, what)
        if value is not None:
            changes[setting] = value
    return replace(theme, **changes) if changes else theme  # type: ignore[arg-type]


def _styles(data: bytes) -> dict[str, ElementTree.Element]:
    """The paragraph styles of the package by lower-case name, and "" for the document defaults; {} when the
    package or its styles part cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo("word/styles.xml")
            if info.file_size > _MAX_STYLES_BYTES:
                return {}
            root = ElementTree.fromstring(package.read(info))
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError):
        return {}
    found: dict[str, ElementTree.Element] = {}
    defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault")
    if defaults is not None:
        found[""] = defaults
    by_id: dict[str, ElementTree.Element] = {}
    for style in root.iter(f"{_W}style"):
        if style.get(f"{_W}type") != "paragraph":
            continue
        by_id[style.get(f"{_W}styleId") or ""] = style
        name = style.find(f"{_W}name")
        if name is not None:
            found.setdefault((name.get(f"{_W}val") or "").lower(), style)
    found.update({f"\0id:{key}": style for key, style in by_id.items()})
    return found


def _resolved(styles: dict[str, ElementTree.Element], name: str, what: str) -> object | None:
    """What style `name` says (font family, size in points, colour "#RRGGBB"), following its basedOn chain
    and ending at the document defaults; None when nothing says it (or only a theme font or "auto")."""
    style = styles.get(name)
    seen: set[int] = set()
    while style is not None and id(style) not in seen:
        seen.add(id(style))
        value = _said(style.find(f"{_W}rPr"), what)
        if value is not None:
            return value
        based = style.find(f"{_W}basedOn")
        style = styles.get(f"\0id:{based.get(f'{_W}val')}") if based is not None else None
    defaults = styles.get("")
    return _said(defaults.find(f"{_W}rPr") if defaults is not None else None, what)


def _said(rpr: ElementTree.Element | None, what: str) -> object | None:
    if rpr is None:
        return None
    if what == "font":
        fonts = rpr.find(f"{_W}rFonts")
        return (fonts.get(f"{_W}ascii") or fonts.get(f"{_W}hAnsi")) if fonts is not None else None
    if what == "size":
        size = rpr.find(f"{_W}sz")
        value = size.get(f"{_W}val") if size is not None else None
        return int(value) / 2 if value and value.isdigit() and 8 <= int(value) <= 400 else None
    colour = rpr.find(f"{_W}color")
    value = colour.get(f"{_W}val") if colour is not None else None
    return f"#{value.upper()}" if value and _HEX.match(value) else None
