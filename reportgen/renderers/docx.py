"""Word renderer: the event as a summary document built from real Word styles, lists and fields."""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any, ClassVar

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Mm, Pt, RGBColor

from ..errors import RenderError
from ..theme import rgb
from ._ooxml import normalize_zip

if TYPE_CHECKING:
    from ..errors import Reporter
    from ..model import Event, Session
    from ..options import RenderOptions
    from ..theme import Theme

PAGE_SIZES = {"A4": (Mm(210), Mm(297)), "Letter": (Inches(8.5), Inches(11))}
"""Page width and height (EMU) for each paper name RenderOptions.page_size may give."""

LAST_MODIFIED_BY = "reportgen"
"""Written as the core property `last_modified_by`: a fixed value, so builds stay reproducible."""

# Core properties are limited to 255 characters by python-docx (and by Office's property dialog).
_PROPERTY_LIMIT = 255

# Primary language subtags whose text Word shapes with the east-asian (w:eastAsia) or complex-script
# (w:bidi) slots of w:lang; every other language only sets the Latin slot (w:val).
_EAST_ASIAN = frozenset({"zh", "ja", "ko"})
_COMPLEX_SCRIPT = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "dv", "syr", "th", "hi", "bn", "ta"})

# Template parts that would describe a different document: a thumbnail picture of the empty template, and
# Word 2010's stylesWithEffects copy of the original styles, which that version would prefer to ours.
_STALE_PARTS = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail",
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
)

# Elements that follow w:pBdr in w:pPr (the schema fixes the order of paragraph properties).
_PBDR_SUCCESSORS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
    "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip

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
}


@dataclass(frozen=True, slots=True)
class _StyleIds:
    """Style ids resolved once per document, so each paragraph costs one attribute, not a style lookup."""

    title: str
    subtitle: str
    details: str
    heading1: str
    heading2: str
    code: str
    roles: str
    bullet: str
    footer: str


class DocxRenderer:
    """Renders an event as a Word summary: title block, a heading per day and session, outcomes as bullets."""

    name: ClassVar[str] = "docx"
    suffix: ClassVar[str] = ".docx"

    def render(self, event: Event, options: RenderOptions, report: Reporter) -> bytes:
        """Return the .docx bytes; session notes are left out (they are speaker notes for the deck)."""
        theme = options.theme
        document = docx.Document()
        styles = _style_document(document, theme, event.meta.language)
        _set_page(document, options, event, styles)
        _write_body(document, event, styles, theme)
        _set_properties(document, event, options, report)
        _drop_stale_parts(document)
        stream = io.BytesIO()
        document.save(stream)
        return normalize_zip(stream.getvalue(), options.timestamp)


RENDERER = DocxRenderer()


# -- styles -----------------------------------------------------------------------------------------------


def _style_document(document: Any, theme: Theme, language: str) -> _StyleIds:
    """Restyle the template's built-in styles from the theme, add three of our own; return their ids."""
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

    details = _custom_style(styles, "Event Details", WD_STYLE_TYPE.PARAGRAPH, normal)
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

    code = _custom_style(styles, "Session Code", WD_STYLE_TYPE.CHARACTER, None)
    code.font.color.rgb = _colour(theme.accent)

    roles = _custom_style(styles, "Session Roles", WD_STYLE_TYPE.PARAGRAPH, normal)
    _format(roles, theme.body_font, _small(theme), theme.muted)
    _spacing(roles, after=_SPACE["roles_after"], line=1.0)
    # The moderator line belongs to its heading: keeping it with the first outcome keeps all three together.
    roles.paragraph_format.keep_with_next = True

    bullet = styles["List Bullet"]
    _spacing(bullet, after=_SPACE["bullet_after"], line=1.15)
    # Contextual spacing would drop the space between bullets; outcomes are long sentences that need it.
    _remove_children(bullet.element.pPr, "w:contextualSpacing")
    _colour_bullets(document, bullet.style_id, theme.accent)

    footer = styles["Footer"]
    _format(footer, theme.body_font, _small(theme) - 0.5, theme.muted)
    # The template's tab stops assume Letter with 1" margins; the footer sets its own for the page.
    _remove_children(footer.element.pPr, "w:tabs")
    # A hairline sets the footer apart from the text above it without competing with the accent rule.
    _border(footer.element.get_or_add_pPr(), "top", theme.muted, eighths=4, space=_SPACE["footer_gap"])

    return _StyleIds(
        title=title.style_id,
        subtitle=subtitle.style_id,
        details=details.style_id,
        heading1=heading1.style_id,
        heading2=heading2.style_id,
        code=code.style_id,
        roles=roles.style_id,
        bullet=bullet.style_id,
        footer=footer.style_id,
    )


def _small(theme: Theme) -> float:
    """Size of secondary text (moderator lines, footer): a step below body text, never below 8 pt."""
    return max(8.0, round(theme.body_size * 0.85 * 2) / 2)


def _custom_style(styles: Any, name: str, kind: Any, base: Any) -> Any:
    style = styles.add_style(name, kind)
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


def _set_defaults(styles_element: Any, theme: Theme, language: str) -> None:
    """Set the document defaults every style inherits: body font in all slots, body size, language."""
    rPr = styles_element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rPr, theme.body_font)
    half_points = str(round(theme.body_size * 2))
    for tag in ("w:sz", "w:szCs"):
        element = rPr.find(qn(tag))
        if element is not None:
            element.set(qn("w:val"), half_points)
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


# -- body -------------------------------------------------------------------------------------------------


def _write_body(document: Any, event: Event, styles: _StyleIds, theme: Theme) -> None:
    """Append the title block, then per day a Heading 1 and per session a Heading 2, roles and bullets.

    Paragraphs are inserted before the body's final w:sectPr directly: python-docx's add_paragraph()
    searches the body for that sectPr on every call, which is quadratic in document size.
    """
    add = document.element.body.get_or_add_sectPr().addprevious
    paragraph = _ParagraphMaker()
    meta = event.meta

    block = [paragraph(styles.title, meta.title)]
    if meta.subtitle:
        block.append(paragraph(styles.subtitle, meta.subtitle))
    block.extend(paragraph(styles.details, line) for line in (meta.date, meta.venue, meta.organiser) if line)
    _rule_below(block[-1], theme.accent)
    for p in block:
        add(p)

    for day in event.days:
        add(paragraph(styles.heading1, day.title))
        for session in day.sessions:
            # Session.heading is "code: title"; the code and its colon take the accent character style.
            split = len(session.code) + 1
            heading = session.heading
            add(paragraph(styles.heading2, heading[:split], heading[split:], char_styles=(styles.code, None)))
            roles = _roles_line(session)
            if roles:
                add(paragraph(styles.roles, roles))
            for outcome in session.outcomes:
                add(paragraph(styles.bullet, outcome))


def _roles_line(session: Session) -> str:
    """Return "Moderator: …  ·  Rapporteur: …" for whichever of the two the session names; "" for neither."""
    parts = [
        f"{label}: {name}"
        for label, name in (("Moderator", session.moderator), ("Rapporteur", session.rapporteur))
        if name
    ]
    return "  ·  ".join(parts)


class _ParagraphMaker:
    """Makes w:p elements holding plain text by copying one prototype per style and run layout.

    Building each paragraph through python-docx's element API costs a schema-order search per child;
    a deep copy of a finished prototype is an order of magnitude faster for thousands of paragraphs.
    """

    def __init__(self) -> None:
        self._prototypes: dict[tuple[str, tuple[str | None, ...]], Any] = {}

    def __call__(self, style_id: str, *texts: str, char_styles: tuple[str | None, ...] = ()) -> Any:
        """Return a new paragraph in style `style_id`, one run per text (never interpreted as markup)."""
        layout = char_styles or (None,) * len(texts)
        prototype = self._prototypes.get((style_id, layout))
        if prototype is None:
            prototype = self._prototypes[(style_id, layout)] = _prototype(style_id, layout)
        p = copy.deepcopy(prototype)
        for t, text in zip(p.iter(_T), texts, strict=True):
            t.text = text
            # Word drops leading, trailing and repeated spaces unless told to keep them.
            if text != text.strip() or "  " in text:
                t.set(_XML_SPACE, "preserve")
        return p


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


def _run(p: Any, text: str) -> None:
    p.add_r().text = text


def _rule_below(p: Any, colour: str) -> None:
    """Draw a thin rule in `colour` under paragraph `p`, with room before the first day."""
    pPr = p.get_or_add_pPr()
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


def _set_page(document: Any, options: RenderOptions, event: Event, styles: _StyleIds) -> None:
    """Paper size and margins from the options and theme; a footer with the title and "Page X of Y"."""
    theme = options.theme
    size = PAGE_SIZES.get(options.page_size)
    if size is None:
        raise RenderError(f"unknown page size {options.page_size!r} (choose from: {', '.join(PAGE_SIZES)})")
    width, height = size
    margin = Mm(theme.margin_mm)
    text_width = width - 2 * margin
    # Anything narrower than a few words per line is a theme mistake, not a layout to attempt.
    if theme.margin_mm < 0 or text_width < Mm(60) or height - 2 * margin < Mm(60):
        raise RenderError(f"theme margin of {theme.margin_mm} mm leaves no room for text on {options.page_size} paper")
    section = document.sections[0]
    section.page_width, section.page_height = width, height
    section.top_margin = section.bottom_margin = margin
    section.left_margin = section.right_margin = margin
    section.header_distance = section.footer_distance = Mm(theme.margin_mm / 2)
    section.gutter = 0

    paragraph = section.footer.paragraphs[0]
    p = paragraph._p
    p.style = styles.footer
    # A right-aligned tab at the text edge puts the page count flush right whatever the paper.
    paragraph.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
    _run(p, theme.footer_text or event.title)
    _run(p, "\tPage ")
    _field(p, "PAGE")
    _run(p, " of ")
    _field(p, "NUMPAGES")


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
    # The template says "generated by python-docx" here; a reader's document should not.
    props.comments = ""
    props.keywords = ""
    props.category = ""
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
