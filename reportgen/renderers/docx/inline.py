"""Character styles and link relationships for inline markup: Strong, Emphasis, code and Hyperlink.

Each style is the document's own when it has one (python-docx's template has Strong and Emphasis; a
corporate reference document may have all four), found by name or id; otherwise it is made from the theme
the first time a run needs it, so a document without markup gains no style. Restyling one of them in Word
changes every run that uses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import StyleFactory

from .styles import _add_style, _colour
from .template import _ascii_key, _key

if TYPE_CHECKING:
    from ...theme import Theme

Role = Literal["strong", "emphasis", "code", "hyperlink"]

# Per role: the name a new style gets (Word's built-in name), then other names that serve the role: Word's
# HTML Code, the Source Code of LibreOffice and Markdown tools, pandoc's Verbatim Char.
_NAMES: dict[Role, tuple[str, ...]] = {
    "strong": ("Strong",),
    "emphasis": ("Emphasis",),
    "code": ("HTML Code", "Source Code", "Verbatim Char", "Code"),
    "hyperlink": ("Hyperlink",),
}


class _Inline:
    """The character style id for each markup role, and the relationship id for each link target."""

    def __init__(self, document: Any, theme: Theme) -> None:
        self._document = document
        self._theme = theme
        self._ids: dict[Role, str] = {}
        self._links: dict[str, str] = {}

    def style(self, role: Role) -> str:
        """The id of the character style for `role`: the document's own, else one made now from the theme."""
        found = self._ids.get(role)
        if found is None:
            found = self._ids[role] = self._find(role) or self._make(role)
        return found

    def link(self, target: str) -> str:
        """The id of the document part's external hyperlink relationship to `target` (one per target)."""
        rId = self._links.get(target)
        if rId is None:
            rId = self._links[target] = self._document.part.relate_to(target, RT.HYPERLINK, is_external=True)
        return rId

    def link_colour(self) -> str:
        """The theme's colour links are drawn in: the accent, else the heading colour, else the text colour,
        the first with AA contrast against the page (the text colour when none has)."""
        return self._theme.link_colour

    def _find(self, role: Role) -> str | None:
        root = self._document.styles.element
        candidates = [s for s in root.findall(qn("w:style")) if s.get(qn("w:type")) == "character"]
        for name in _NAMES[role]:
            wanted = {_key(name), _ascii_key(name)}
            for style in candidates:
                name_element = style.find(qn("w:name"))
                texts = [style.get(qn("w:styleId")) or ""]
                if name_element is not None:
                    texts.append(name_element.get(qn("w:val")) or "")
                if wanted & {k for text in texts for k in (_key(text), _ascii_key(text))}:
                    return str(style.get(qn("w:styleId")))
        return None

    def _make(self, role: Role) -> str:
        style: Any = _add_style(self._document.styles, _NAMES[role][0], WD_STYLE_TYPE.CHARACTER, None)
        font = style.font
        if role == "strong":
            font.bold = font.cs_bold = True
        elif role == "emphasis":
            font.italic = font.cs_italic = True
        elif role == "code":
            font.name = self._theme.code_font  # w:ascii and w:hAnsi: other scripts keep their own fonts
        else:
            font.color.rgb = _colour(self.link_colour())
            font.underline = True
        return str(StyleFactory(style.element).style_id)


def _hyperlink(rId: str) -> Any:
    """An empty w:hyperlink to relationship `rId`, recorded in the history (Word's "followed" colouring)."""
    element = OxmlElement("w:hyperlink")
    element.set(qn("r:id"), rId)
    element.set(qn("w:history"), "1")
    return element
