"""Corporate reference documents: open a .docx/.dotx, clear its body and adopt its styles by role."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from typing import TYPE_CHECKING, Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.styles.style import StyleFactory

from ...errors import RenderError
from .._ooxml import complaint
from .styles import (
    _NAMESPACES,
    _SPACE,
    _add_style,
    _colour,
    _continued_style,
    _default_rPr,
    _format,
    _format_footer,
    _set_language,
    _set_theme_font_language,
    _small,
    _StyleIds,
)

if TYPE_CHECKING:
    from ...theme import Theme


# Template parts that would describe a different document: a thumbnail picture of the empty template, and
# Word 2010's stylesWithEffects copy of the original styles, which that version would prefer to ours; and
# the macros of a macro-enabled template, which a .docx may not carry.
_STALE_PARTS = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
    "http://schemas.microsoft.com/office/2006/relationships/keyMapCustomizations",
    "http://schemas.microsoft.com/office/2006/relationships/attachedToolbars",
)

# Main-part content types of the Word packages python-docx refuses to open; the part itself is the same.
_DOCUMENT_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_MAINS = (
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    b"application/vnd.ms-word.document.macroEnabled.main+xml",
    b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)

# Relationships from the main part to content of the template's body: once the body is gone, those not
# still referenced (by the final w:sectPr, say) are dropped, and comments always are.
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_BODY_CONTENT = frozenset(
    _RT + name
    for name in ("header", "footer", "image", "hyperlink", "oleObject", "package", "chart", "diagramData",
                 "diagramLayout", "diagramQuickStyle", "diagramColors", "video", "audio", "media")
) | {"http://schemas.microsoft.com/office/2007/relationships/diagramDrawing"}  # fmt: skip
_COMMENTS = frozenset(
    {
        _RT + "comments",
        "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
        "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
        "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
        "http://schemas.microsoft.com/office/2011/relationships/people",
    }
)
_NOTES = {_RT + "footnotes": "w:footnote", _RT + "endnotes": "w:endnote"}
_R_NAMESPACE = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _open_reference(data: bytes, name: str) -> Any:
    """Open the theme's .docx/.dotx (or macro-enabled .docm/.dotm) as a document; RenderError if it is none.

    python-docx opens only the document content type, so a template's main part is relabelled in memory
    first: the part itself is the same WordprocessingML either way.
    """
    try:
        return docx.Document(io.BytesIO(_as_document_package(data)))
    except Exception as error:  # python-docx reports a broken package through many exception types
        why = complaint(error, name)
        raise RenderError(f"reference document {name!r} cannot be opened as a Word document: {why}") from None


def _as_document_package(data: bytes) -> bytes:
    """The package with a template's (or macro-enabled) main part declared as a plain document's."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        types = package.read("[Content_Types].xml")
        relabelled = types
        for other in _OTHER_MAINS:
            relabelled = relabelled.replace(other, _DOCUMENT_MAIN)
        if relabelled == types:
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for item in package.infolist():
                content = relabelled if item.filename == "[Content_Types].xml" else package.read(item)
                target.writestr(item, content)
    return out.getvalue()


def _clear_template(document: Any) -> None:
    """Remove everything the template's body held: its content, comments, footnotes, and parts only it used.

    The body's final w:sectPr (page size, margins, header and footer references) is kept.
    """
    body = document.element.body
    sect_pr = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect_pr:
            body.remove(child)
    body.get_or_add_sectPr()
    referenced = _referenced_ids(document.element)
    rels = document.part.rels
    for rId, rel in list(rels.items()):
        if rel.reltype in _COMMENTS or (rel.reltype in _BODY_CONTENT and rId not in referenced):
            del rels[rId]
        elif rel.reltype in _NOTES and not rel.is_external:
            _drop_notes(rel.target_part, _NOTES[rel.reltype])


def _referenced_ids(element: Any) -> set[str]:
    """Every relationship id the XML under `element` refers to (r:id, r:embed, r:link, ...)."""
    return {value for e in element.iter() for key, value in e.attrib.items() if key.startswith(_R_NAMESPACE)}


def _drop_notes(part: Any, tag: str) -> None:
    """Keep only the separator notes of a footnotes/endnotes part: the others belonged to the template's body."""
    element = getattr(part, "element", None)
    root = element if element is not None else parse_xml(part.blob)
    for note in root.findall(qn(tag)):
        if note.get(qn("w:type")) in (None, "normal"):
            root.remove(note)
    if element is None:
        part._blob = serialize_part_xml(root)


def _key(text: str) -> str:
    """A style name or id reduced to ASCII letters and digits, accents folded: "Überschrift 1" -> "uberschrift1"."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in folded.lower() if ch.isascii() and ch.isalnum())


def _ascii_key(text: str) -> str:
    """Like _key, but letters with accents dropped as Word drops them from style ids: "berschrift1"."""
    return "".join(ch for ch in text.lower() if ch.isascii() and ch.isalnum())


# Per role: the name Word stores for a built-in style (in English, even in localised templates), then the
# names localised templates show (German, French); a style matches by name or by id in any of these forms.
_ROLE_NAMES: dict[str, tuple[str, ...]] = {
    "normal": ("Normal", "Standard"),
    "title": ("Title", "Titel", "Titre"),
    "subtitle": ("Subtitle", "Untertitel", "Sous-titre"),
    "heading1": ("heading 1", "Überschrift 1", "Titre 1"),
    "heading2": ("heading 2", "Überschrift 2", "Titre 2"),
    "bullet": ("List Bullet", "Aufzählungszeichen", "Liste à puces"),
    "list": ("List Paragraph", "Listenabsatz", "Paragraphe de liste"),
    "footer": ("footer", "Fußzeile", "Pied de page"),
}
_OUTLINE_LEVEL = {"heading1": "0", "heading2": "1"}


class _TemplateStyles:
    """Finds the paragraph styles of a template by role: built-in name, built-in id, localised name or id,
    and for headings the outline level."""

    def __init__(self, styles_element: Any) -> None:
        self._by_id = {s.get(qn("w:styleId")): s for s in styles_element.findall(qn("w:style"))}
        self._paragraph = [s for s in self._by_id.values() if s.get(qn("w:type")) == "paragraph"]
        self._keys: list[set[str]] | None = None  # made on the first find(): only templates need them
        self._default = next((s for s in reversed(self._paragraph) if s.get(qn("w:default")) in ("1", "true")), None)
        self.taken: set[Any] = set()

    @staticmethod
    def _style_keys(style: Any) -> set[str]:
        name_element = style.find(qn("w:name"))
        texts = [style.get(qn("w:styleId")) or ""]
        if name_element is not None:
            texts.append(name_element.get(qn("w:val")) or "")
        return {k for text in texts for k in (_key(text), _ascii_key(text)) if k}

    def find(self, role: str) -> Any | None:
        """The template's paragraph style for `role` (a key of _ROLE_NAMES); None when it has none."""
        if role == "normal" and self._default is not None:
            return self._take(self._default)
        if self._keys is None:
            self._keys = [self._style_keys(s) for s in self._paragraph]
        for name in _ROLE_NAMES[role]:
            wanted = {_key(name), _ascii_key(name)}
            for style, keys in zip(self._paragraph, self._keys, strict=True):
                if wanted & keys and style not in self.taken:
                    return self._take(style)
        level = _OUTLINE_LEVEL.get(role)
        if level is not None:
            for style in self._paragraph:
                if style not in self.taken and self.outline_level(style) == level:
                    return self._take(style)
        return None

    def find_named(self, name: str, kind: str) -> Any | None:
        """The style of type `kind` whose name is exactly `name` (ours, when the template was made from a summary)."""
        for style in self._by_id.values():
            name_element = style.find(qn("w:name"))
            if style.get(qn("w:type")) == kind and name_element is not None and name_element.get(qn("w:val")) == name:
                return style
        return None

    def get(self, style_id: str) -> Any | None:
        """The style whose id is `style_id`; None when there is none."""
        return self._by_id.get(style_id)

    def _take(self, style: Any) -> Any:
        self.taken.add(style)
        return style

    def chain(self, style: Any) -> list[Any]:
        """`style` and the styles it is based on, nearest first (a cycle is cut where it closes)."""
        seen: list[Any] = []
        while style is not None and style not in seen:
            seen.append(style)
            based_on = style.find(qn("w:basedOn"))
            style = self._by_id.get(based_on.get(qn("w:val"))) if based_on is not None else None
        return seen

    def inherited(self, style: Any, path: str) -> Any | None:
        """The first element at `path` (e.g. "w:pPr/w:outlineLvl") along the style's basedOn chain."""
        for ancestor in self.chain(style):
            found = ancestor.find(path, namespaces=_NAMESPACES)
            if found is not None:
                return found
        return None

    def outline_level(self, style: Any) -> str | None:
        found = self.inherited(style, "w:pPr/w:outlineLvl")
        return None if found is None else found.get(qn("w:val"))


def _adopt_template(document: Any, theme: Theme, language: str) -> _StyleIds:
    """Use the template's own styles for the title block, headings, bullets, body text and footer.

    The template is the brand: its styles are used as they are. Only a style it lacks is made here, from
    the theme (Title, Subtitle, List Bullet, Footer; and our Event Details, Session Roles and Session Code,
    which inherit the template's fonts, and Session Continued, based on its Heading 2). Raises RenderError
    naming Heading 1/Heading 2 when missing.
    """
    styles = document.styles
    _set_language(styles.element, language)
    _set_theme_font_language(document.settings.element, language)
    found = _TemplateStyles(styles.element)

    headings = {label: found.find(role) for label, role in (("Heading 1", "heading1"), ("Heading 2", "heading2"))}
    missing = [label for label, style in headings.items() if style is None]
    if missing:
        names = " and ".join(repr(label) for label in missing)
        raise RenderError(
            f"the theme's reference document has no {names} paragraph style (looked for the built-in "
            "style, its German and French names such as 'Überschrift 1' and 'Titre 1', and a paragraph "
            f"style at outline level {', '.join(label[-1] for label in missing)}); add the style to the template"
        )
    heading1, heading2 = (StyleFactory(style) for style in headings.values() if style is not None)

    normal_element = found.find("normal")
    if normal_element is None:
        normal = _add_style(styles, "Normal", WD_STYLE_TYPE.PARAGRAPH, None)
        _format(normal, theme.body_font, theme.body_size, theme.text)
    else:
        normal = StyleFactory(normal_element)

    def template_or_theme(role: str, name: str, font: str, size: float, colour: str, bold: bool) -> Any:
        element = found.find(role)
        if element is not None:
            return StyleFactory(element)
        style = _add_style(styles, name, WD_STYLE_TYPE.PARAGRAPH, normal)
        _format(style, font, size, colour, bold=bold)
        style.paragraph_format.keep_with_next = True
        return style

    title = template_or_theme("title", "Title", theme.heading_font, theme.title_size, theme.primary, True)
    subtitle = template_or_theme("subtitle", "Subtitle", theme.heading_font, theme.subtitle_size, theme.muted, False)

    bullet_element = found.find("bullet")
    if bullet_element is None:
        list_paragraph = found.find("list")
        base = StyleFactory(list_paragraph) if list_paragraph is not None else normal
        bullet = _add_style(styles, "List Bullet", WD_STYLE_TYPE.PARAGRAPH, base)
    else:
        bullet = StyleFactory(bullet_element)
    _ensure_bullets(document, found, bullet)

    body_size = _resolved_size(found, normal.element, styles.element)

    def ours(name: str, colour: str | None, size: float | None, after: float) -> Any:
        element = found.find_named(name, "paragraph")
        if element is not None:
            return StyleFactory(element)
        style = _add_style(styles, name, WD_STYLE_TYPE.PARAGRAPH, normal)
        if colour is not None:
            style.font.color.rgb = _colour(colour)
        if size is not None:
            style.font.size = Pt(size)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = True
        return style

    details = ours("Event Details", theme.muted, None, 0)
    roles = ours("Session Roles", theme.muted, _small(body_size), _SPACE["roles_after"])

    code_element = found.find_named("Session Code", "character")
    if code_element is not None:
        code = StyleFactory(code_element)
    else:
        code = _add_style(styles, "Session Code", WD_STYLE_TYPE.CHARACTER, None)
        # The accent only where the theme names one itself; otherwise the code takes the heading's colour.
        if "accent" in theme.explicit:
            code.font.color.rgb = _colour(theme.accent_text)  # darker where the accent is too light for text

    footer_element = found.find("footer")
    if footer_element is None:
        footer = _add_style(styles, "Footer", WD_STYLE_TYPE.PARAGRAPH, normal)
        _format_footer(footer, theme)
    else:
        footer = StyleFactory(footer_element)

    continued_element = found.find_named("Session Continued", "paragraph")
    continued = StyleFactory(continued_element) if continued_element is not None else _continued_style(styles, heading2)

    ordered = (title, subtitle, details, heading1, heading2, code, roles, bullet, footer, continued)
    return _StyleIds.of(*ordered, rule=False)


def _resolved_size(found: _TemplateStyles, style: Any, styles_element: Any) -> float:
    """The font size (points) text in `style` has: its own, an ancestor's, the document default, else 10."""
    size = found.inherited(style, "w:rPr/w:sz")
    if size is None:
        size = _default_rPr(styles_element).find(qn("w:sz"))
    try:
        return int(size.get(qn("w:val"))) / 2 if size is not None else 10.0
    except (TypeError, ValueError):
        return 10.0


def _ensure_bullets(document: Any, found: _TemplateStyles, bullet: Any) -> None:
    """Make `bullet` a real bulleted list style: give it a bullet list when it has no working numbering."""
    numbering = document.part.numbering_part.element
    num_id = found.inherited(bullet.element, "w:pPr/w:numPr/w:numId")
    if num_id is not None:
        value = num_id.get(qn("w:val"))
        num = numbering.find(f"w:num[@w:numId='{value}']", namespaces=_NAMESPACES) if value else None
        if num is not None:
            abstract = num.find(qn("w:abstractNumId"))
            ids = numbering.xpath("w:abstractNum/@w:abstractNumId")
            if abstract is not None and abstract.get(qn("w:val")) in ids:
                return
    abstract_ids = [int(v) for v in numbering.xpath("w:abstractNum/@w:abstractNumId") if v.isdigit()]
    abstract_id = max(abstract_ids, default=-1) + 1
    abstract = parse_xml(_bullet_list_xml(abstract_id, bullet.style_id))
    existing_nums = numbering.findall(qn("w:num"))
    if existing_nums:
        existing_nums[0].addprevious(abstract)
    else:
        cleanup = numbering.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(abstract)
        else:
            numbering.append(abstract)
    num = numbering.add_num(abstract_id)
    num_pr = bullet.element.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num.numId


def _bullet_list_xml(abstract_id: int, style_id: str) -> str:
    """A nine-level bullet list whose first level belongs to paragraph style `style_id`."""
    levels = []
    for level in range(9):
        style = f'<w:pStyle w:val="{style_id}"/>' if level == 0 else ""
        symbol = "•◦▪"[level % 3]
        levels.append(
            f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>{style}'
            f'<w:lvlText w:val="{symbol}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{360 * (level + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        )
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="hybridMultilevel"/>{"".join(levels)}</w:abstractNum>'
    )


def _drop_stale_parts(document: Any) -> None:
    """Unlink the template's stale parts; python-docx saves only the parts still reachable."""
    for rels in (document.part.package.rels, document.part.rels):
        for rId in [rId for rId, rel in rels.items() if rel.reltype in _STALE_PARTS]:
            del rels[rId]
