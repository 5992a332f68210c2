"""Word renderer: the event as a summary document built from real Word styles, lists and fields."""

from __future__ import annotations

import bisect
import copy
import io
import re
import unicodedata
import zipfile
from datetime import UTC
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.oxml import serialize_part_xml
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Emu, Inches, Mm, Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import StyleFactory
from docx.text.paragraph import Paragraph

from .. import scripts
from ..errors import RenderError
from ..theme import rgb
from . import kept_outcomes
from ._ooxml import normalize_zip

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..errors import Reporter
    from ..model import Event, Session, Words
    from ..options import RenderOptions
    from ..theme import Image, Theme

PAGE_SIZES = {"A4": (Mm(210), Mm(297)), "Letter": (Inches(8.5), Inches(11))}
"""Page width and height (EMU) for each paper name RenderOptions.page_size may give."""

LAST_MODIFIED_BY = "reportgen"
"""Written as the core property `last_modified_by`: a fixed value, so builds stay reproducible."""

LOGO_HEIGHT = Cm(1.5)
"""Height of the logo above the title (EMU); its width follows the image's aspect ratio."""

# Core properties are limited to 255 characters by python-docx (and by Office's property dialog).
_PROPERTY_LIMIT = 255

# Primary language subtags whose text Word shapes with the east-asian (w:eastAsia) or complex-script
# (w:bidi) slots of w:lang; every other language only sets the Latin slot (w:val).
_EAST_ASIAN = frozenset({"zh", "ja", "ko"})
_COMPLEX_SCRIPT = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "dv", "syr", "th", "hi", "bn", "ta"})

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

# The order of paragraph properties is fixed by the schema; these lists name what follows an element.
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_PBDR_SUCCESSORS = _PPR_ORDER[_PPR_ORDER.index("w:pBdr") + 1 :]
_BIDI_SUCCESSORS = _PPR_ORDER[_PPR_ORDER.index("w:bidi") + 1 :]

# Paragraph spacing in points: generous around headings, tight within a session's block.
_SPACE = {
    "body_after": 6,
    "title_after": 2,
    "subtitle_after": 10,
    "rule_after": 20,
    "rule_gap": 8,
    "h1_before": 20,
    "h1_after": 6,
    "h2_before": 14,
    "h2_after": 3,
    "roles_after": 6,
    "bullet_after": 4,
    "footer_gap": 4,
    "logo_after": 10,
}


class _StyleIds(NamedTuple):
    """Style ids resolved once per document, so each paragraph costs one attribute, not a style lookup.

    `fonts` maps a paragraph style id to the Latin font its runs name alongside an east-asian or complex
    font; it is empty for a reference document, whose runs inherit the template's Latin fonts instead.
    `rule` says whether the title block ends in the theme's accent rule (not under a template's title).
    """

    title: str
    subtitle: str
    details: str
    heading1: str
    heading2: str
    code: str
    roles: str
    bullet: str
    footer: str
    fonts: Mapping[str, str] = MappingProxyType({})
    rule: bool = True

    @classmethod
    def of(cls, *styles: Any, **settings: Any) -> _StyleIds:
        """The ids of python-docx styles given in field order (title, subtitle, ... footer)."""
        return cls(*(style.style_id for style in styles), **settings)


class DocxRenderer:
    """Renders an event as a Word summary: title block, a heading per day and session, outcomes as bullets."""

    name: ClassVar[str] = "docx"
    suffix: ClassVar[str] = ".docx"

    def render(self, event: Event, options: RenderOptions, report: Reporter) -> bytes:
        """Return the .docx bytes; session notes are left out (they are speaker notes for the deck).

        With a reference document (theme.reference("docx")) the template is the base: its styles, headers,
        page setup and numbering are kept, its body, comments and footnotes are dropped, and its footers are
        replaced by ours (title and "Page X of Y"). Raises RenderError for a reference document that is not
        a Word file or lacks a Heading 1 or Heading 2 style.
        """
        theme = options.theme
        language = event.meta.language
        reference = theme.reference("docx")
        if reference is None:
            document = docx.Document()
            styles = _style_document(document, theme, language)
        else:
            document = _open_reference(reference, theme.reference_docx or "reference.docx")
            _clear_template(document)
            styles = _adopt_template(document, theme, language)
        text = _Text(styles, theme, language)
        text_width = _set_page(document, options, event, styles, text, templated=reference is not None)
        _set_background(document, theme)
        _write_body(document, event, styles, theme, text, text_width)
        text.report_uncovered(report)
        _set_properties(document, event, options, report)
        _drop_stale_parts(document)
        stream = io.BytesIO()
        document.save(stream)
        return normalize_zip(stream.getvalue(), options.timestamp)


RENDERER = DocxRenderer()


# -- styles from the theme --------------------------------------------------------------------------------


def _style_document(document: Any, theme: Theme, language: str) -> _StyleIds:
    """Restyle python-docx's built-in styles from the theme, add three of our own; return their ids."""
    styles = document.styles
    _set_defaults(styles.element, theme, language)
    _modernise_settings(document.settings.element, language)

    normal = styles["Normal"]
    _format(normal, theme.body_font, theme.body_size, theme.text)
    _spacing(normal, after=_SPACE["body_after"], line=1.15)

    title = styles["Title"]
    _format(title, theme.heading_font, theme.title_size, theme.primary, bold=True)
    _spacing(title, after=_SPACE["title_after"], line=1.0)
    title.paragraph_format.keep_with_next = True
    # The template draws a rule under the title itself; ours goes under the whole title block instead.
    _remove_children(title.element.pPr, "w:pBdr", "w:contextualSpacing")
    _remove_children(title.element.rPr, "w:spacing")

    subtitle = styles["Subtitle"]
    _format(subtitle, theme.heading_font, theme.subtitle_size, theme.muted, italic=False)
    _spacing(subtitle, after=_SPACE["subtitle_after"], line=1.0)
    subtitle.paragraph_format.keep_with_next = True
    # The template's Subtitle carries a stray list level (numPr without a list) and wide letter spacing.
    _remove_children(subtitle.element.pPr, "w:numPr")
    _remove_children(subtitle.element.rPr, "w:spacing")

    details = _add_style(styles, "Event Details", WD_STYLE_TYPE.PARAGRAPH, normal)
    _format(details, theme.body_font, theme.body_size, theme.muted)
    _spacing(details, after=0, line=1.15)
    details.paragraph_format.keep_with_next = True

    heading1 = styles["Heading 1"]
    _format(heading1, theme.heading_font, theme.heading1_size, theme.primary, bold=True)
    _spacing(heading1, before=_SPACE["h1_before"], after=_SPACE["h1_after"], line=1.0)

    heading2 = styles["Heading 2"]
    _format(heading2, theme.heading_font, theme.heading2_size, theme.primary, bold=True)
    _spacing(heading2, before=_SPACE["h2_before"], after=_SPACE["h2_after"], line=1.0)
    for heading in (heading1, heading2):
        # A heading must never be the last line of a page: keep it with what follows and in one piece.
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.keep_together = True

    code = _add_style(styles, "Session Code", WD_STYLE_TYPE.CHARACTER, None)
    code.font.color.rgb = _colour(theme.accent)

    roles = _add_style(styles, "Session Roles", WD_STYLE_TYPE.PARAGRAPH, normal)
    _format(roles, theme.body_font, _small(theme.body_size), theme.muted)
    _spacing(roles, after=_SPACE["roles_after"], line=1.0)
    # The moderator line belongs to its heading: keeping it with the first outcome keeps all three together.
    roles.paragraph_format.keep_with_next = True

    bullet = styles["List Bullet"]
    _spacing(bullet, after=_SPACE["bullet_after"], line=1.15)
    # Contextual spacing would drop the space between bullets; outcomes are long sentences that need it.
    _remove_children(bullet.element.pPr, "w:contextualSpacing")
    _colour_bullets(document, bullet.style_id, theme.accent)

    footer = styles["Footer"]
    _format_footer(footer, theme)

    heading_font = {s.style_id: theme.heading_font for s in (title, subtitle, heading1, heading2)}
    body_font = {s.style_id: theme.body_font for s in (normal, details, roles, bullet, footer)}
    ordered = (title, subtitle, details, heading1, heading2, code, roles, bullet, footer)
    return _StyleIds.of(*ordered, fonts=body_font | heading_font)


def _format_footer(footer: Any, theme: Theme) -> None:
    _format(footer, theme.body_font, _small(theme.body_size) - 0.5, theme.muted)
    # python-docx's tab stops assume Letter with 1" margins; the footer paragraph sets its own for the page.
    _remove_children(footer.element.pPr, "w:tabs")
    # A hairline sets the footer apart from the text above it without competing with the accent rule.
    _border(footer.element.get_or_add_pPr(), "top", theme.muted, eighths=4, space=_SPACE["footer_gap"])


def _small(size: float) -> float:
    """Size of secondary text (moderator lines, footer): a step below `size`, never below 8 pt."""
    return max(8.0, round(size * 0.85 * 2) / 2)


_BUILT_IN_STYLES = frozenset({"Normal", "Title", "Subtitle", "List Bullet", "Footer"})


def _add_style(styles: Any, name: str, kind: Any, base: Any) -> Any:
    """Add a style named `name` (or "`name` 2", ... if that name or its id is taken) based on `base`.

    Lookups go through lxml's ElementPath: python-docx's own duplicate check makes a proxy per style,
    which would cost more than all the rest of the styling.
    """
    root = styles.element
    internal = BabelFish.ui2internal(name)
    unique = internal
    for n in range(2, 100):
        style_id = unique.replace(" ", "")
        if (
            root.find(f"w:style/w:name[@w:val='{unique}']", _NAMESPACES) is None
            and root.find(f"w:style[@w:styleId='{style_id}']", _NAMESPACES) is None
        ):
            break
        unique = f"{internal} {n}"
    # Word's own styles (a template may lack one) are marked built-in, so Word treats them as such.
    element = root.add_style_of_type(unique, kind, unique == internal and name in _BUILT_IN_STYLES)
    element.styleId = style_id  # python-docx's id for "heading 1" would be "Heading1": ours must be unique
    style: Any = StyleFactory(element)
    if base is not None:
        style.base_style = base
    style.quick_style = True
    return style


def _colour(hex_colour: str) -> RGBColor:
    return RGBColor(*rgb(hex_colour))


def _format(
    style: Any, font: str, size: float, colour: str, *, bold: bool | None = None, italic: bool | None = None
) -> None:
    """Give `style` one font in every script slot, a size and a colour, in place of theme references."""
    rPr = style.element.get_or_add_rPr()
    _set_fonts(rPr, font)
    style.font.size = Pt(size)
    # python-docx sets w:sz only; complex-script text takes its size from w:szCs, which follows w:sz.
    size_cs = rPr.find(qn("w:szCs"))
    if size_cs is None:
        size_cs = OxmlElement("w:szCs")
        rPr.find(qn("w:sz")).addnext(size_cs)
    size_cs.set(qn("w:val"), str(round(size * 2)))
    style.font.color.rgb = _colour(colour)  # replaces the w:color element, dropping w:themeColor
    if bold is not None:
        style.font.bold = style.font.cs_bold = bold
    if italic is not None:
        style.font.italic = style.font.cs_italic = italic


def _spacing(style: Any, *, before: float = 0, after: float, line: float) -> None:
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line


def _set_fonts(rPr: Any, font: str) -> None:
    """Name `font` for Latin, east-asian and complex-script text alike.

    The template points these slots at theme fonts (w:asciiTheme, ...), which take precedence over named
    fonts, so those attributes are removed rather than overridden.
    """
    rFonts = rPr.find(qn("w:rFonts"))
    if rFonts is None:
        rFonts = OxmlElement("w:rFonts")
        rPr.insert(0, rFonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme", "w:hint"):
        rFonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rFonts.set(qn(attribute), font)


def _default_rPr(styles_element: Any) -> Any:
    """The document's default run properties (w:docDefaults/w:rPrDefault/w:rPr), created if absent."""
    parent = styles_element
    for tag in ("w:docDefaults", "w:rPrDefault", "w:rPr"):
        child = parent.find(qn(tag))
        if child is None:
            child = OxmlElement(tag)
            # docDefaults comes first in w:styles, rPrDefault before pPrDefault; rPr is rPrDefault's only child.
            parent.insert(0, child)
        parent = child
    return parent


def _set_defaults(styles_element: Any, theme: Theme, language: str) -> None:
    """Set the document defaults every style inherits: body font in all slots, body size, language."""
    rPr = _default_rPr(styles_element)
    _set_fonts(rPr, theme.body_font)
    half_points = str(round(theme.body_size * 2))
    for tag in ("w:sz", "w:szCs"):
        element = rPr.find(qn(tag))
        if element is not None:
            element.set(qn("w:val"), half_points)
    _set_language(styles_element, language)


def _set_language(styles_element: Any, language: str) -> None:
    """Make `language` the default of every run: w:val, and w:eastAsia or w:bidi where it is such a language."""
    rPr = _default_rPr(styles_element)
    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rPr.append(lang)
    lang.set(qn("w:val"), language)
    primary = language.split("-", 1)[0].lower()
    if primary in _EAST_ASIAN:
        lang.set(qn("w:eastAsia"), language)
    if primary in _COMPLEX_SCRIPT:
        lang.set(qn("w:bidi"), language)


def _modernise_settings(settings: Any, language: str) -> None:
    """Open in Word's current layout mode, not "[Compatibility Mode]"; theme fonts follow `language`."""
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")
    _set_theme_font_language(settings, language)


def _set_theme_font_language(settings: Any, language: str) -> None:
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), language)


def _colour_bullets(document: Any, bullet_style_id: str, accent: str) -> None:
    """Draw the bullets of the List Bullet list in the accent colour (the list level's own run properties)."""
    numbering = document.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        p_style = level.find(qn("w:pStyle"))
        if p_style is None or p_style.get(qn("w:val")) != bullet_style_id:
            continue
        rPr = level.find(qn("w:rPr"))
        if rPr is None:
            rPr = OxmlElement("w:rPr")
            level.append(rPr)
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), _hex(accent))
        rPr.append(colour)


def _hex(colour: str) -> str:
    """Return a theme colour as Word writes it: "#1b3a5c" -> "1B3A5C"."""
    return colour.lstrip("#").upper()


def _remove_children(parent: Any, *tags: str) -> None:
    if parent is None:
        return
    for tag in tags:
        for child in parent.findall(qn(tag)):
            parent.remove(child)


# -- reference documents ----------------------------------------------------------------------------------


def _open_reference(data: bytes, name: str) -> Any:
    """Open the theme's .docx/.dotx (or macro-enabled .docm/.dotm) as a document; RenderError if it is none.

    python-docx opens only the document content type, so a template's main part is relabelled in memory
    first: the part itself is the same WordprocessingML either way.
    """
    try:
        return docx.Document(io.BytesIO(_as_document_package(data)))
    except Exception as error:  # python-docx reports a broken package through many exception types
        raise RenderError(f"reference document {name!r} cannot be opened as a Word document: {error}") from None


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


_NAMESPACES = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


def _adopt_template(document: Any, theme: Theme, language: str) -> _StyleIds:
    """Use the template's own styles for the title block, headings, bullets, body text and footer.

    The template is the brand: its styles are used as they are. Only a style it lacks is made here, from
    the theme (Title, Subtitle, List Bullet, Footer; and our Event Details, Session Roles and Session Code,
    which inherit the template's fonts). Raises RenderError naming Heading 1/Heading 2 when missing.
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
            code.font.color.rgb = _colour(theme.accent)

    footer_element = found.find("footer")
    if footer_element is None:
        footer = _add_style(styles, "Footer", WD_STYLE_TYPE.PARAGRAPH, normal)
        _format_footer(footer, theme)
    else:
        footer = StyleFactory(footer_element)

    return _StyleIds.of(title, subtitle, details, heading1, heading2, code, roles, bullet, footer, rule=False)


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


# -- scripts: font slots, languages and direction of runs -------------------------------------------------

# Complex scripts by block: (first, last, script, default language tag, primary subtags written in it).
_SCRIPT_BLOCKS: tuple[tuple[int, int, str, str, frozenset[str]], ...] = tuple(
    (lo, hi, script, tag, frozenset(languages.split()))
    for lo, hi, script, tag, languages in (
        (0x0590, 0x05FF, "hebrew", "he", "he iw yi lad"),
        (0x0600, 0x06FF, "arabic", "ar", "ar fa ur ps sd ug ku ckb ks bal"),
        (0x0700, 0x074F, "syriac", "syr", "syr"),
        (0x0750, 0x077F, "arabic", "ar", "ar fa ur ps sd ug ku ckb ks bal"),
        (0x0780, 0x07BF, "thaana", "dv", "dv"),
        (0x07C0, 0x07FF, "nko", "nqo", "nqo"),
        (0x0800, 0x085F, "samaritan", "smp", "smp"),
        (0x0860, 0x086F, "syriac", "syr", "syr"),
        (0x0870, 0x08FF, "arabic", "ar", "ar fa ur ps sd ug ku ckb ks bal"),
        (0x0900, 0x097F, "devanagari", "hi", "hi mr ne sa kok mai bho new doi brx"),
        (0x0980, 0x09FF, "bengali", "bn", "bn as"),
        (0x0A00, 0x0A7F, "gurmukhi", "pa", "pa"),
        (0x0A80, 0x0AFF, "gujarati", "gu", "gu"),
        (0x0B00, 0x0B7F, "oriya", "or", "or"),
        (0x0B80, 0x0BFF, "tamil", "ta", "ta"),
        (0x0C00, 0x0C7F, "telugu", "te", "te"),
        (0x0C80, 0x0CFF, "kannada", "kn", "kn"),
        (0x0D00, 0x0D7F, "malayalam", "ml", "ml"),
        (0x0D80, 0x0DFF, "sinhala", "si", "si"),
        (0x0E00, 0x0E7F, "thai", "th", "th"),
        (0x0E80, 0x0EFF, "lao", "lo", "lo"),
        (0xFB1D, 0xFB4F, "hebrew", "he", "he iw yi lad"),
        (0xFB50, 0xFDFF, "arabic", "ar", "ar fa ur ps sd ug ku ckb ks bal"),
        (0xFE70, 0xFEFF, "arabic", "ar", "ar fa ur ps sd ug ku ckb ks bal"),
    )
)
_SCRIPT_STARTS = [block[0] for block in _SCRIPT_BLOCKS]
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff\uffa0-\uffdc]")
_EAST_ASIAN_TAGS = {"ja": "ja-JP", "ko": "ko-KR", "zh": "zh-CN"}
# Every character below this needs nothing of its own: Latin, Greek and Cyrillic use the Latin slot and
# none of them runs right to left (Hebrew, at U+0590, is the first script that does either).
_FIRST_SPECIAL = "\u0590"


def _script_block(code: int) -> tuple[int, int, str, str, frozenset[str]] | None:
    i = bisect.bisect_right(_SCRIPT_STARTS, code) - 1
    if i >= 0 and code <= _SCRIPT_BLOCKS[i][1]:
        return _SCRIPT_BLOCKS[i]
    return None


def _plain(text: str) -> bool:
    """True for text Word sets with the paragraph's own fonts, left to right: nothing per run to add."""
    return text.isascii() or max(text) < _FIRST_SPECIAL


def _classify(ch: str) -> tuple[str, str | None, bool | None]:
    """(font slot, complex script or None, direction) of a character; the direction is True where it must
    run right to left, False where it must not (a strong left-to-right letter), None where either will do."""
    code = ord(ch)
    bidi = unicodedata.bidirectional(ch)
    rtl = True if bidi in ("R", "AL", "AN") else False if bidi == "L" else None
    slot = "latin" if code < 0x0590 else scripts.slot(ch)
    script = None
    if slot == "complex":
        block = _script_block(code)
        script = block[2] if block is not None else "complex"
    return slot, script, rtl


def _rtl(text: str) -> bool:
    """True when `text` runs right to left (scripts.is_rtl), answered at once for text that cannot."""
    return not _plain(text) and scripts.is_rtl(text)


class _Segment:
    """A stretch of one run's text that can share one set of run properties."""

    __slots__ = ("complex", "east_asian", "latin_letters", "rtl", "script", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.script: str | None = None  # the complex script it holds ("arabic", "devanagari", ...)
        self.rtl: bool | None = None  # True: must be a right-to-left run; False: must not be; None: either
        self.east_asian = ""  # its east-asian characters
        self.complex = ""  # its complex-script characters
        self.latin_letters = False


class _RunKey(NamedTuple):
    """Everything a run's w:rPr says here; runs that agree share one prototype."""

    char_style: str | None
    latin: str | None
    east_asian: str | None
    complex: str | None
    hint: bool
    rtl: bool
    east_asian_language: str | None
    complex_language: str | None


def _run_properties(key: _RunKey, language: str) -> Any:
    """The w:rPr for `key`, children in the schema's order (rStyle, rFonts, rtl, lang); empty if it says nothing."""
    rPr = OxmlElement("w:rPr")
    if key.char_style is not None:
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), key.char_style)
        rPr.append(style)
    if key.east_asian or key.complex:
        fonts = OxmlElement("w:rFonts")
        for attribute, value in (
            ("w:ascii", key.latin),
            ("w:hAnsi", key.latin),
            ("w:eastAsia", key.east_asian),
            ("w:cs", key.complex),
            ("w:hint", "eastAsia" if key.hint else None),
        ):
            if value:
                fonts.set(qn(attribute), value)
        rPr.append(fonts)
    if key.rtl:
        rPr.append(OxmlElement("w:rtl"))
    if key.east_asian_language or key.complex_language:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), language)
        if key.east_asian_language:
            lang.set(qn("w:eastAsia"), key.east_asian_language)
        if key.complex_language:
            lang.set(qn("w:bidi"), key.complex_language)
        rPr.append(lang)
    return rPr


class _Text:
    """Makes w:p elements holding plain text, with the font slots, languages and direction scripts need.

    Text that needs nothing special (almost all of it) is made by copying one prototype paragraph per style
    and run layout: building each paragraph through python-docx's element API costs a schema-order search
    per child, and a deep copy of a finished prototype is an order of magnitude faster for thousands of
    paragraphs. Only text with east-asian or complex-script characters, or paragraphs that run right to
    left, is split into runs here.
    """

    def __init__(self, styles: _StyleIds, theme: Theme, language: str) -> None:
        self._fonts = styles.fonts
        self._families = theme.font_families
        self._language = language
        self._primary = language.split("-", 1)[0].lower()
        self._prototypes: dict[tuple[str, tuple[str | None, ...]], Any] = {}
        self._stack: list[tuple[str, Any]] | None = None
        self._family_cache: dict[str, str | None] = {}
        self._uncovered: set[str] = set()
        self._classes: dict[str, tuple[str, str | None, bool | None]] = {}
        self._run_properties: dict[_RunKey, Any] = {}

    def paragraph(
        self, style_id: str, *texts: str, char_styles: tuple[str | None, ...] = (), direction: str | None = None
    ) -> Any:
        """Return a new paragraph in style `style_id`, one run per text (never interpreted as markup).

        Its base direction is that of `direction` (default: all its text); a right-to-left paragraph gets
        w:bidi, which also aligns it to the right, the side it starts from.
        """
        layout = char_styles or (None,) * len(texts)
        for text in texts:
            if not (text.isascii() or max(text) < _FIRST_SPECIAL):
                break
        else:  # the common case, kept cheap: no text needs anything of its own, so none runs right to left
            prototype = self._prototypes.get((style_id, layout))
            p = copy.deepcopy(prototype if prototype is not None else self._prototype(style_id, layout))
            for t, text in zip(p.iter(_T), texts, strict=True):
                t.text = text
                # Word drops leading, trailing and repeated spaces unless told to keep them.
                if text != text.strip() or "  " in text:
                    t.set(_XML_SPACE, "preserve")
            return p
        rtl = _rtl("".join(texts) if direction is None else direction)
        p = copy.deepcopy(self._prototype(style_id, ()))
        if rtl:
            _set_bidi(p.get_or_add_pPr())
        for text, char_style in zip(texts, layout, strict=True):
            self.add_runs(p, text, char_style, style_id, rtl)
        return p

    def add_runs(self, p: Any, text: str, char_style: str | None, style_id: str, rtl: bool) -> None:
        """Append `text` to paragraph `p` as one run, or as several where scripts need different properties."""
        if _plain(text) and not rtl:
            _append_run(p, text, char_style)
            return
        east_asian_language = ""
        for segment in self._segments(text):
            east_asian = self._family(segment.east_asian) if segment.east_asian else None
            complex_ = self._family(segment.complex) if segment.complex else None
            if segment.east_asian and not east_asian_language:
                east_asian_language = self._east_asian_language(text)
            key = _RunKey(
                char_style=char_style,
                latin=self._fonts.get(style_id) if east_asian or complex_ else None,
                east_asian=east_asian,
                complex=complex_,
                # Punctuation shared by both (quotes, middle dots) then takes the east-asian font too.
                hint=bool(segment.east_asian) and not segment.latin_letters,
                rtl=bool(segment.rtl or (segment.rtl is None and rtl)),
                east_asian_language=east_asian_language if segment.east_asian else None,
                complex_language=self._complex_language(segment.script) if segment.script else None,
            )
            rPr = self._run_properties.get(key)
            if rPr is None:
                rPr = self._run_properties[key] = _run_properties(key, self._language)
            r = _append_run(p, segment.text, None)
            if len(rPr):
                r.insert(0, copy.deepcopy(rPr))

    def report_uncovered(self, report: Reporter) -> None:
        """Warn once about characters no font of the theme has (Word will pick a font of its own for them)."""
        if self._uncovered:
            listed = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(self._uncovered)[:12])
            more = f" and {len(self._uncovered) - 12} more" if len(self._uncovered) > 12 else ""
            report.warning(
                f"no font of the theme ({', '.join(self._families)}) has the characters {listed}{more}; "
                "Word will substitute a font of its own: add one that has them to fallback_fonts"
            )

    # -- internals

    def _prototype(self, style_id: str, layout: tuple[str | None, ...]) -> Any:
        prototype = self._prototypes.get((style_id, layout))
        if prototype is None:
            prototype = self._prototypes[(style_id, layout)] = _prototype(style_id, layout)
        return prototype

    def _segments(self, text: str) -> list[_Segment]:
        """Split text where one run cannot hold both sides: a different complex script, or a change between
        characters that must run right to left and those that must not. Spaces, digits and punctuation
        stay with the run before them."""
        segments: list[_Segment] = []
        current: _Segment | None = None
        chars: list[str] = []
        classes = self._classes
        for ch in text:
            known = classes.get(ch)
            if known is None:
                known = classes[ch] = _classify(ch)
            slot, script, rtl = known
            if current is not None and (
                (script is not None and current.script is not None and script != current.script)
                or (rtl is not None and current.rtl is not None and rtl != current.rtl)
            ):
                current.text = "".join(chars)
                segments.append(current)
                current = None
            if current is None:
                current = _Segment("")
                chars = []
            chars.append(ch)
            if script is not None:
                current.script = script
            if rtl is not None:
                current.rtl = rtl
            if slot == "east_asian":
                current.east_asian += ch
            elif slot == "complex":
                current.complex += ch
            elif rtl is False and slot == "latin":  # a letter: only letters are strongly left to right
                current.latin_letters = True
        if current is not None:
            current.text = "".join(chars)
            segments.append(current)
        return segments

    def _family(self, chars: str) -> str | None:
        """The first family of the theme's stack that has every one of `chars`; else the one with most."""
        key = "".join(sorted(set(chars)))
        if key in self._family_cache:
            return self._family_cache[key]
        from ..fonts import font_stack, metrics

        if self._stack is None:
            self._stack = [(family, metrics(path)) for family, path in font_stack(self._families)]
        best, best_count = None, 0
        for family, font in self._stack:
            count = sum(1 for ch in key if font.covers(ch))
            if count == len(key):
                best = family
                break
            if count > best_count:
                best, best_count = family, count
        self._uncovered.update(ch for ch in key if not any(font.covers(ch) for _, font in self._stack))
        self._family_cache[key] = best
        return best

    def _east_asian_language(self, text: str) -> str:
        """Kana means Japanese, Hangul Korean, ideographs alone Chinese; the event's own tag when it fits."""
        guess = "ja" if _KANA.search(text) else "ko" if _HANGUL.search(text) else "zh"
        if self._primary == guess or (guess == "zh" and self._primary in _EAST_ASIAN):
            return self._language
        return _EAST_ASIAN_TAGS[guess]

    def _complex_language(self, script: str) -> str:
        for _lo, _hi, name, tag, languages in _SCRIPT_BLOCKS:
            if name == script:
                return self._language if self._primary in languages else tag
        return self._language


_T = qn("w:t")
_XML_SPACE = qn("xml:space")


def _prototype(style_id: str, char_styles: tuple[str | None, ...]) -> Any:
    p = OxmlElement("w:p")
    p.style = style_id
    for char_style in char_styles:
        r = p.add_r()
        if char_style is not None:
            r.style = char_style
        r.add_t("")
    return p


def _append_run(p: Any, text: str, char_style: str | None) -> Any:
    """Append a run holding `text` (spaces kept) to `p` and return it."""
    r = OxmlElement("w:r")
    if char_style is not None:
        r.style = char_style
    t = OxmlElement("w:t")
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(_XML_SPACE, "preserve")
    r.append(t)
    p.append(r)
    return r


def _set_bidi(pPr: Any) -> None:
    """Mark paragraph properties `pPr` right-to-left (w:bidi), in its place in the schema's order."""
    if pPr.find(qn("w:bidi")) is None:
        pPr.insert_element_before(OxmlElement("w:bidi"), *_BIDI_SUCCESSORS)


# -- body -------------------------------------------------------------------------------------------------


def _write_body(document: Any, event: Event, styles: _StyleIds, theme: Theme, text: _Text, text_width: int) -> None:
    """Append the logo and title block, then per day a Heading 1 and per session a Heading 2, roles, bullets.

    Paragraphs are inserted before the body's final w:sectPr directly: python-docx's add_paragraph()
    searches the body for that sectPr on every call, which is quadratic in document size.
    """
    add = document.element.body.get_or_add_sectPr().addprevious
    paragraph = text.paragraph
    meta = event.meta
    words = meta.words  # resolved once: the property merges the source's labels on every call

    block = []
    if theme.logo_image is not None:
        block.append(_logo(document, theme.logo_image, text_width, rtl=_rtl(meta.title)))
    block.append(paragraph(styles.title, meta.title))
    if meta.subtitle:
        block.append(paragraph(styles.subtitle, meta.subtitle))
    block.extend(paragraph(styles.details, line) for line in (meta.date, meta.venue, meta.organiser) if line)
    _end_title_block(block[-1], theme.accent if styles.rule else None)
    for p in block:
        add(p)

    for day in event.days:
        add(paragraph(styles.heading1, day.title))
        for session in day.sessions:
            # Session.heading is "code: title"; the code and its colon take the accent character style. The
            # title alone sets the direction: an Arabic title is a right-to-left heading whatever its code.
            split = len(session.code) + 1
            heading = session.heading
            add(
                paragraph(
                    styles.heading2,
                    heading[:split],
                    heading[split:],
                    char_styles=(styles.code, None),
                    direction=session.title,
                )
            )
            roles = _roles_line(session, words)
            if roles:
                add(paragraph(styles.roles, roles))
            for outcome, kept in kept_outcomes(session.outcomes):
                p = paragraph(styles.bullet, outcome)
                if kept:
                    p.get_or_add_pPr().keepNext_val = True
                add(p)


def _roles_line(session: Session, words: Words) -> str:
    """Return "Moderator: …  ·  Rapporteur: …" (in the event's language) for whichever of the two the
    session names; "" for neither."""
    parts = [
        words.role(label, name)
        for label, name in ((words.moderator, session.moderator), (words.rapporteur, session.rapporteur))
        if name
    ]
    return "  ·  ".join(parts)


def _logo(document: Any, image: Image, text_width: int, *, rtl: bool) -> Any:
    """A paragraph holding the logo, LOGO_HEIGHT high (narrower than the text), its alt text in wp:docPr."""
    height = int(LOGO_HEIGHT)
    width = round(height * image.aspect)
    if width > text_width:  # a very wide logo is scaled down to the text's width instead
        width, height = text_width, round(text_width / image.aspect)
    p = OxmlElement("w:p")
    paragraph = Paragraph(p, document._body)
    try:
        shape = paragraph.add_run().add_picture(io.BytesIO(image.data), width=Emu(width), height=Emu(height))
    except Exception as error:  # python-docx's image header parser rejects a few valid but unusual files
        raise RenderError(f"the theme's logo cannot be placed in the Word summary: {error}") from None
    inline = shape._inline
    for properties in (inline.docPr, *inline.xpath(".//pic:cNvPr")):
        properties.set("descr", image.alt)
        properties.set("title", image.alt)
    inline.docPr.set("name", "Logo")
    fmt = paragraph.paragraph_format
    fmt.keep_with_next = True
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(_SPACE["logo_after"])
    fmt.line_spacing = 1.0  # auto spacing would add 15% of the picture's height below it
    if rtl:
        _set_bidi(p.get_or_add_pPr())
    return p


def _end_title_block(p: Any, colour: str | None) -> None:
    """Leave room before the first day under paragraph `p`; draw a thin rule in `colour` under it if given."""
    pPr = p.get_or_add_pPr()
    if colour is not None:
        _border(pPr, "bottom", colour, eighths=12, space=_SPACE["rule_gap"])
    pPr.get_or_add_spacing().after = Pt(_SPACE["rule_after"])


def _border(pPr: Any, side: str, colour: str, *, eighths: int, space: int) -> None:
    """Give paragraph properties `pPr` a single-line border on `side`, `eighths` of a point thick."""
    border = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(eighths))
    line.set(qn("w:space"), str(space))  # points between text and line
    line.set(qn("w:color"), _hex(colour))
    border.append(line)
    pPr.insert_element_before(border, *_PBDR_SUCCESSORS)


# -- page, footer and properties --------------------------------------------------------------------------


def _set_page(
    document: Any, options: RenderOptions, event: Event, styles: _StyleIds, text: _Text, *, templated: bool
) -> int:
    """Paper size and margins; a footer with the title and "Page X of Y". Returns the text width (EMU).

    Without a reference document the theme (or --paper) sets the page. With one, the template's page setup
    stays unless the theme's own file names page_size or margin_mm, or --paper is given.
    """
    theme = options.theme
    size = PAGE_SIZES.get(options.page_size)
    if size is None:
        raise RenderError(f"unknown page size {options.page_size!r} (choose from: {', '.join(PAGE_SIZES)})")
    section = document.sections[0]
    explicit = theme.explicit
    if not templated or options.paper or "page_size" in explicit or None in (section.page_width, section.page_height):
        if templated:
            section.orientation = WD_ORIENT.PORTRAIT  # the paper sizes are upright
        section.page_width, section.page_height = size
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    if not templated or "margin_mm" in explicit or None in margins:
        margin = Mm(theme.margin_mm)
        section.top_margin = section.bottom_margin = margin
        section.left_margin = section.right_margin = margin
        section.header_distance = section.footer_distance = Mm(theme.margin_mm / 2)
        section.gutter = 0
        where = f"theme margin of {theme.margin_mm} mm"
    else:
        where = "page margins of the theme's reference document"
    width, height = section.page_width, section.page_height
    text_width = width - section.left_margin - section.right_margin - (section.gutter or 0)
    text_height = height - section.top_margin - section.bottom_margin
    # Anything narrower than a few words per line is a theme mistake, not a layout to attempt.
    if text_width < Mm(60) or text_height < Mm(60):
        raise RenderError(f"{where} leaves no room for text on {options.page_size} paper")

    footer = _footer(theme.footer_text or event.title, event.meta.words, styles, text, text_width, document)
    # Ours replaces every footer the section defines (a template's first-page and even-page ones too): it
    # names this document, which a template's footer cannot.
    section.footer.is_linked_to_previous = False
    targets = [section.footer]
    for extra in (section.first_page_footer, section.even_page_footer):
        if not extra.is_linked_to_previous:
            targets.append(extra)
    for n, target in enumerate(targets):
        part = target._get_or_add_definition()
        ftr = part.element
        for child in list(ftr):
            ftr.remove(child)
        ftr.append(footer if n == 0 else copy.deepcopy(footer))
        _drop_unreferenced(part)
    return int(text_width)


def _footer(title: str, words: Words, styles: _StyleIds, text: _Text, text_width: int, document: Any) -> Any:
    """The footer paragraph: `title`, then at a right tab on the text's edge "Page X of Y" (in the event's
    language, the numbers as fields)."""
    p = OxmlElement("w:p")
    p.style = styles.footer
    tab_stops = Paragraph(p, document._body).paragraph_format.tab_stops
    # A template's footer style may set its own tab stops (for Letter, say); clear them for ours.
    found = _TemplateStyles(document.styles.element)
    footer_style = found.get(styles.footer)
    if footer_style is not None:
        for ancestor in found.chain(footer_style):
            for tab in ancestor.findall("w:pPr/w:tabs/w:tab", namespaces=_NAMESPACES):
                position = tab.get(qn("w:pos"))
                if position and position.lstrip("-").isdigit() and tab.get(qn("w:val")) != "clear":
                    tab_stops.add_tab_stop(Emu(int(position) * 635), WD_TAB_ALIGNMENT.CLEAR)
    # A right-aligned tab at the text edge puts the page count flush right whatever the paper.
    tab_stops.add_tab_stop(Emu(text_width), WD_TAB_ALIGNMENT.RIGHT)
    text.add_runs(p, title, None, styles.footer, False)

    def literal(value: str) -> None:
        if _plain(value):
            _run(p, value)  # python-docx writes the tab as w:tab
            return
        if value.startswith("\t"):
            _run(p, "\t")
        text.add_runs(p, value.lstrip("\t"), None, styles.footer, False)  # another script: its fonts

    pending = "\t"
    for part in words.page_parts():
        if part in ("{page}", "{pages}"):
            if pending:
                literal(pending)
            pending = ""
            _field(p, "PAGE" if part == "{page}" else "NUMPAGES")
        else:
            pending += part
    if pending:
        literal(pending)
    return p


def _drop_unreferenced(part: Any) -> None:
    """Drop the relationships of a replaced footer part that its new content no longer uses."""
    referenced = _referenced_ids(part.element)
    for rId, rel in list(part.rels.items()):
        if rel.reltype in _BODY_CONTENT and rId not in referenced:
            del part.rels[rId]


def _run(p: Any, text: str) -> None:
    p.add_r().text = text


def _field(p: Any, instruction: str) -> None:
    """Append a complex field (begin, instruction, separate, placeholder result "1", end) to `p`.

    Word and LibreOffice recompute PAGE and NUMPAGES whenever they lay out the page, so the placeholder
    never shows.
    """

    def char(kind: str) -> None:
        fld_char = OxmlElement("w:fldChar")
        fld_char.set(qn("w:fldCharType"), kind)
        p.add_r().append(fld_char)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    p.add_r().append(instr)
    char("separate")
    _run(p, "1")
    char("end")


def _set_background(document: Any, theme: Theme) -> None:
    """Colour the page with the theme's background when it is not white (and the template sets none)."""
    if theme.background == "#FFFFFF" or document.element.find(qn("w:background")) is not None:
        return
    background = OxmlElement("w:background")
    background.set(qn("w:color"), _hex(theme.background))
    document.element.insert(0, background)
    settings = document.settings.element
    if settings.find(qn("w:displayBackgroundShape")) is None:
        # Word shows a page colour only with this setting, which the schema places after these few.
        before = [child for child in settings if child.tag in _SETTINGS_BEFORE_BACKGROUND]
        shape = OxmlElement("w:displayBackgroundShape")
        if before:
            before[-1].addnext(shape)
        else:
            settings.insert(0, shape)


_SETTINGS_BEFORE_BACKGROUND = frozenset(
    qn(f"w:{name}")
    for name in ("writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                 "doNotDisplayPageBoundaries")
)  # fmt: skip


def _set_properties(document: Any, event: Event, options: RenderOptions, report: Reporter) -> None:
    """Core properties from the title block; every date is the build time, so builds are reproducible."""
    meta = event.meta
    props = document.core_properties
    props.title = _property(meta.title, "title", report)
    props.subject = _property(meta.subtitle or "", "subject", report)
    props.author = _property(meta.organiser or "", "author", report)
    props.language = meta.language
    props.last_modified_by = LAST_MODIFIED_BY
    props.revision = 1
    # python-docx's template says "generated by python-docx" here, a corporate template its own words; a
    # reader's document should say neither.
    props.comments = ""
    props.keywords = ""
    props.category = ""
    for name in ("content_status", "identifier", "version"):
        if getattr(props, name):
            setattr(props, name, "")
    # python-docx writes the datetime as given with a "Z" suffix, so convert it to UTC first; a naive time
    # is taken as UTC already (converting it would depend on the machine's time zone).
    when = options.timestamp
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    props.created = props.modified = props.last_printed = when


def _drop_stale_parts(document: Any) -> None:
    """Unlink the template's stale parts; python-docx saves only the parts still reachable."""
    for rels in (document.part.package.rels, document.part.rels):
        for rId in [rId for rId, rel in rels.items() if rel.reltype in _STALE_PARTS]:
            del rels[rId]


def _property(text: str, name: str, report: Reporter) -> str:
    """`text`, shortened with "…" to the 255 characters a core property may hold (with a warning)."""
    if len(text) <= _PROPERTY_LIMIT:
        return text
    report.warning(f"document property {name!r} shortened to {_PROPERTY_LIMIT} characters")
    return text[: _PROPERTY_LIMIT - 1].rstrip() + "…"
