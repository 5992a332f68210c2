"""Reading Word and PowerPoint packages for the checks: parts as ElementTree elements, core properties,
colours and the WCAG thresholds. The standard library only, so checking needs no rendering library."""

from __future__ import annotations

import io
import zipfile
from typing import NamedTuple
from xml.etree import ElementTree

from ..theme import AA_LARGE, AA_TEXT, contrast_ratio

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
    "adec": "http://schemas.microsoft.com/office/drawing/2017/decorative",
}

MAX_PART_BYTES = 100 * 1024 * 1024  # a part larger than this is not read (a zip bomb, not a document)


def q(name: str) -> str:
    """ "w:val" as ElementTree's "{namespace}val"."""
    prefix, _, local = name.partition(":")
    return f"{{{NS[prefix]}}}{local}"


class Package:
    """A zip package's parts, parsed on first use."""

    def __init__(self, data: bytes) -> None:
        self._zip = zipfile.ZipFile(io.BytesIO(data))
        self._names = set(self._zip.namelist())
        self._parsed: dict[str, ElementTree.Element | None] = {}

    def part(self, name: str) -> ElementTree.Element | None:
        """The parsed part at `name` (no leading "/"); None when absent, too large or not XML."""
        if name not in self._parsed:
            element = None
            if name in self._names and self._zip.getinfo(name).file_size <= MAX_PART_BYTES:
                try:
                    element = ElementTree.fromstring(self._zip.read(name))
                except ElementTree.ParseError:
                    element = None
            self._parsed[name] = element
        return self._parsed[name]

    def relationships(self, name: str) -> dict[str, str]:
        """rId -> target part name of the part at `name`, targets resolved against its folder."""
        folder, _, base = name.rpartition("/")
        rels = self.part(f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels")
        found: dict[str, str] = {}
        if rels is None:
            return found
        for rel in rels.iter(q("rel:Relationship")):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                found[rel.get("Id", "")] = target
                continue
            parts = (target.lstrip("/") if target.startswith("/") else f"{folder}/{target}").split("/")
            resolved: list[str] = []
            for piece in parts:
                if piece == "..":
                    if resolved:
                        resolved.pop()
                elif piece and piece != ".":
                    resolved.append(piece)
            found[rel.get("Id", "")] = "/".join(resolved)
        return found

    def core(self, field: str) -> str:
        """A core property's text ("dc:title", "dc:language"); "" when absent."""
        core = self.part("docProps/core.xml")
        element = core.find(field, NS) if core is not None else None
        return (element.text or "").strip() if element is not None else ""


class Colour(NamedTuple):
    """A text colour on its ground and the ratio the text's size asks for."""

    colour: str
    ground: str
    large: bool

    @property
    def ratio(self) -> float:
        return contrast_ratio(self.colour, self.ground)

    @property
    def needed(self) -> float:
        return AA_LARGE if self.large else AA_TEXT

    @property
    def fails(self) -> bool:
        return self.ratio < self.needed

    def hint(self, what: str) -> str:
        size = "large text" if self.large else "text"
        return (
            f"{what}: {size} {self.colour} on {self.ground} has contrast {self.ratio:.1f}:1, below WCAG AA's "
            f"{self.needed:g}:1; use a darker (or lighter) shade"
        )


def is_large(points: float, bold: bool) -> bool:
    """WCAG's large text: at least 18 pt, or 14 pt bold."""
    return points >= 18 or (bold and points >= 14)


def hex_colour(value: str | None) -> str | None:
    """ "1B3A5C" as "#1B3A5C"; None for anything that is not six hex digits (auto, a theme colour)."""
    if value and len(value) == 6 and all(c in "0123456789abcdefABCDEF" for c in value):
        return "#" + value.upper()
    return None


def excerpt(text: str, limit: int = 40) -> str:
    """A short quote of a paragraph or title for a hint."""
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
