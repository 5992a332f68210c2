"""Word styles from the theme: fonts in every script slot, sizes, colours, spacing, defaults and languages."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.styles import BabelFish
from docx.styles.style import StyleFactory

from ...text import scripts
from ...theme import rgb

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ...theme import Theme


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
_NUMPR_SUCCESSORS = _PPR_ORDER[_PPR_ORDER.index("w:numPr") + 1 :]
_OUTLINE_SUCCESSORS = _PPR_ORDER[_PPR_ORDER.index("w:outlineLvl") + 1 :]
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
    `continued` is the style of a session's heading repeated where a long session goes on to a new page:
    it looks like Heading 2 but is body text, so the navigation pane and a table of contents list the
    session once.
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
    continued: str
    fonts: Mapping[str, str] = MappingProxyType({})
    rule: bool = True

    @classmethod
    def of(cls, *styles: Any, **settings: Any) -> _StyleIds:
        """The ids of python-docx styles given in field order (title, subtitle, ... footer, continued)."""
        return cls(*(style.style_id for style in styles), **settings)


_NAMESPACES = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


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
    # The accent drawn as text: a darker shade of it where it is too light to read (bullets keep the accent).
    code.font.color.rgb = _colour(theme.accent_text)

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

    continued = _continued_style(styles, heading2)

    heading_font = {s.style_id: theme.heading_font for s in (title, subtitle, heading1, heading2, continued)}
    body_font = {s.style_id: theme.body_font for s in (normal, details, roles, bullet, footer)}
    ordered = (title, subtitle, details, heading1, heading2, code, roles, bullet, footer, continued)
    return _StyleIds.of(*ordered, fonts=body_font | heading_font)


def _format_footer(footer: Any, theme: Theme) -> None:
    _format(footer, theme.body_font, _small(theme.body_size) - 0.5, theme.muted)
    # python-docx's tab stops assume Letter with 1" margins; the footer paragraph sets its own for the page.
    _remove_children(footer.element.pPr, "w:tabs")
    # A hairline sets the footer apart from the text above it without competing with the accent rule.
    _border(footer.element.get_or_add_pPr(), "top", theme.muted, eighths=4, space=_SPACE["footer_gap"])


def _continued_style(styles: Any, heading2: Any) -> Any:
    """Add "Session Continued": Heading 2's look (based on it) for a session's heading repeated at the top
    of a page, "A: Title (continued)", but not a heading: outline level 9 is body text, so the navigation
    pane, a table of contents and a PDF's bookmarks list each session once; never numbered (a template's
    Heading 2 may be); no room above, as it opens a page."""
    style = _add_style(styles, "Session Continued", WD_STYLE_TYPE.PARAGRAPH, heading2)
    fmt = style.paragraph_format
    fmt.space_before = Pt(0)
    fmt.keep_with_next = True
    fmt.keep_together = True
    pPr = style.element.get_or_add_pPr()
    numbering = OxmlElement("w:numPr")
    no_list = OxmlElement("w:numId")
    no_list.set(qn("w:val"), "0")
    numbering.append(no_list)
    pPr.insert_element_before(numbering, *_NUMPR_SUCCESSORS)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "9")
    pPr.insert_element_before(outline, *_OUTLINE_SUCCESSORS)
    return style


def _small(size: float) -> float:
    """Size of secondary text (moderator lines, footer): a step below `size`, never below 8 pt."""
    return max(8.0, round(size * 0.85 * 2) / 2)


_BUILT_IN_STYLES = frozenset(
    {"Normal", "Title", "Subtitle", "List Bullet", "Footer", "Strong", "Emphasis", "HTML Code", "Hyperlink"}
)


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
    where = scripts.language_slot(language)  # the one table of scripts and languages
    if where == "east_asian":
        lang.set(qn("w:eastAsia"), language)
    if where == "complex":
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
