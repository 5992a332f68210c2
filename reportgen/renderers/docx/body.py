"""What the document says: title block, days, sessions and outcomes; page setup, footer, background, properties."""

from __future__ import annotations

import copy
import io
from datetime import UTC
from typing import TYPE_CHECKING, Any

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Inches, Mm, Pt
from docx.text.paragraph import Paragraph

from ... import words as words_
from ...errors import RenderError
from .keeping import Keeping
from .styles import _NAMESPACES, _SPACE, _border, _hex, _StyleIds
from .template import _BODY_CONTENT, _referenced_ids, _TemplateStyles
from .text import _plain, _rtl, _set_bidi, _Text, keep_with_next

if TYPE_CHECKING:
    from ...errors import Reporter
    from ...model import Event, Session, Words
    from ...options import RenderOptions
    from ...theme import Image, Theme


PAGE_SIZES = {"A4": (Mm(210), Mm(297)), "Letter": (Inches(8.5), Inches(11))}
"""Page width and height (EMU) for each paper name RenderOptions.page_size may give."""

LAST_MODIFIED_BY = "reportgen"
"""Written as the core property `last_modified_by`: a fixed value, so builds stay reproducible."""

LOGO_HEIGHT = Cm(1.5)
"""Height of the logo above the title (EMU); its width follows the image's aspect ratio."""

# Core properties are limited to 255 characters by python-docx (and by Office's property dialog).
_PROPERTY_LIMIT = 255


def _write_body(
    document: Any,
    event: Event,
    styles: _StyleIds,
    theme: Theme,
    text: _Text,
    page: tuple[int, int],
    follow: Any = None,
) -> None:
    """Append the logo and title block, then per day a Heading 1 and per session a Heading 2, roles, bullets.

    `page` is the text area's width and height (EMU). Each session is kept on one page (its paragraphs keep
    with the next) when it is estimated to fit one (keeping.Keeping); a longer one is cut into pieces that
    do, each after the first opening a page with its heading, "(continued)".

    Paragraphs are inserted before the body's final w:sectPr directly: python-docx's add_paragraph()
    searches the body for that sectPr on every call, which is quadratic in document size.
    """
    add = document.element.body.get_or_add_sectPr().addprevious
    paragraph = text.paragraph
    rich = text.rich_paragraph
    meta = event.meta
    words = meta.words  # resolved once: the property merges the source's labels on every call
    text_width, text_height = page
    keeping = Keeping(theme, meta.language, text_width, text_height)

    block = []
    if theme.logo_image is not None:
        block.append(_logo(document, theme.logo_image, text_width, rtl=_rtl(meta.title)))
    block.append(paragraph(styles.title, meta.title))
    if meta.subtitle:
        block.append(paragraph(styles.subtitle, meta.subtitle))
    details = words_.details(meta)
    if details:
        block.append(paragraph(styles.details, details))
    _end_title_block(block[-1], theme.accent if styles.rule else None)
    for p in block:
        add(p)
    if follow is not None:  # a source with key messages or actions, or a build --since: actions.FollowUp
        for p in follow.key_messages():
            add(p)
        for p in follow.since(follow.changes):
            add(p)

    for day in event.days:
        add(paragraph(styles.heading1, day.title))
        lead = keeping.heading(day.title, theme.heading1_size, _SPACE["h1_before"], _SPACE["h1_after"], exact=False)
        for session in day.sessions:
            roles = words_.roles(session, words)
            table = follow.session_rows(session) if follow is not None else []
            plan = keeping.plan(session, roles, words.continued_title(session.title), table, lead)
            lead = 0.0
            for n, (first, end) in enumerate(plan.pieces):
                if n == 0:
                    add(_session_heading(text, styles, session))
                    if roles:
                        add(rich(styles.roles, roles))
                else:  # a long session's next piece opens a page under its heading, "(continued)"
                    add(_continued(text, styles, session, words))
                last = plan.pieces[-1][1] - 1
                for i in range(first, end):
                    p = rich(styles.bullet, session.outcomes[i])
                    # Each piece holds together: every outcome keeps with the next but its last, which
                    # keeps with the actions table that follows the session's last piece.
                    if i < end - 1 or (i == last and table):
                        keep_with_next(p)
                    add(p)
            if table:
                for p in follow.session_table(session, table, keep_together=plan.table_kept):
                    add(p)
    if follow is not None:
        for p in follow.annex():
            add(p)


def _session_heading(text: _Text, styles: _StyleIds, session: Session) -> Any:
    """The session's Heading 2, "code: title": the code and its colon take the accent character style. The
    title alone sets the direction: an Arabic title is a right-to-left heading whatever its code."""
    split = len(session.code) + 1
    heading = session.heading
    return text.paragraph(
        styles.heading2, heading[:split], heading[split:], char_styles=(styles.code, None), direction=session.title
    )


def _continued(text: _Text, styles: _StyleIds, session: Session, words: Words) -> Any:
    """The paragraph a long session's piece after the first opens a page with: "A: Title (continued)"
    (Words.continued_title, the PDF's label), the code in the accent character style, in Session Continued:
    the heading's look, but body text, so the outline lists the session once. w:pageBreakBefore starts
    the page."""
    rest = " " + words.continued_title(session.title)
    p = text.paragraph(
        styles.continued, f"{session.code}:", rest, char_styles=(styles.code, None), direction=session.title
    )
    p.get_or_add_pPr().pageBreakBefore_val = True
    return p


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


# -- page, footer and properties --------------------------------------------------------------------------


def _set_page(
    document: Any, options: RenderOptions, event: Event, styles: _StyleIds, text: _Text, *, templated: bool
) -> tuple[int, int]:
    """Paper size and margins; a footer with the title and "Page X of Y". Returns the text area's width and
    height (EMU).

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
    return int(text_width), int(text_height)


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


def _property(text: str, name: str, report: Reporter) -> str:
    """`text`, shortened with "…" to the 255 characters a core property may hold (with a warning)."""
    if len(text) <= _PROPERTY_LIMIT:
        return text
    report.warning(f"document property {name!r} shortened to {_PROPERTY_LIMIT} characters")
    return text[: _PROPERTY_LIMIT - 1].rstrip() + "…"
