"""A theme against its reference templates: the mismatches found by reading the files, without rendering.

Read with the standard library's zip and XML readers, so that `build` (every target) and `validate` ask
the same question at the cost of a directory lookup, and say the same words.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING
from xml.etree import ElementTree

if TYPE_CHECKING:
    from .theme import Theme

_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
EMU_PER_CM = 360_000
SLIDE_RATIOS = {"16:9": 16 / 9, "4:3": 4 / 3, "16:10": 16 / 10}


def slide_size_of(data: bytes) -> tuple[int, int] | None:
    """A PowerPoint package's slide width and height in EMU; None when it cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            root = ElementTree.fromstring(package.read("ppt/presentation.xml"))
    except (zipfile.BadZipFile, KeyError, OSError, ElementTree.ParseError):
        return None  # the renderer says what is wrong with the file
    size = root.find(f"{_P}sldSz")
    if size is None:
        return None
    try:
        return int(size.get("cx", "0")), int(size.get("cy", "0"))
    except ValueError:
        return None


def _ratio_name(width: int, height: int) -> str:
    ratio = width / height
    name, wanted = min(SLIDE_RATIOS.items(), key=lambda item: abs(item[1] - ratio))
    return name if abs(wanted - ratio) < 0.02 else f"{ratio:.2f}:1"


def template_warnings(theme: Theme) -> list[str]:
    """What the theme asks for that its templates will not give: a slide size the PowerPoint template does
    not have (the deck keeps the template's, with its layouts)."""
    found: list[str] = []
    data = theme.reference("pptx")
    if data is not None and "slide_size" in theme.explicit:
        size = slide_size_of(data)
        if size is not None and size[0] > 0 and size[1] > 0:
            actual = _ratio_name(*size)
            if actual != theme.slide_size:
                width, height = (round(v / EMU_PER_CM, 1) for v in size)
                found.append(
                    f"theme {theme.name!r}: slide_size is {theme.slide_size} but its PowerPoint template "
                    f"{theme.reference_pptx!r} is {actual} ({width} x {height} cm); the deck keeps the template's "
                    f'size: set slide_size: "{actual}" or use a {theme.slide_size} template'
                )
    return found
