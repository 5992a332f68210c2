"""The PDF brief renderer: the only module that imports reportlab."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph
from reportlab.platypus.flowables import HRFlowable

from .. import fonts
from ..errors import RenderError
from ..theme import rgb

if TYPE_CHECKING:
    from pathlib import Path

    from ..errors import Reporter
    from ..model import Event, Session
    from ..options import RenderOptions
    from ..theme import Theme

PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "Letter": LETTER}
"""Paper names RenderOptions.page_size may give -> (width, height) in points."""

BULLET = "•"
SEPARATOR = " · "  # between the date, venue and organiser of the title block


@dataclass(frozen=True)
class _Faces:
    """The registered reportlab font names the brief is set in."""

    body: str
    body_bold: str
    heading: str
    heading_bold: str


class PdfRenderer:
    """Renders an event as a compact, printable PDF brief with an outline and a running footer."""

    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = ".pdf"

    def render(self, event: Event, options: RenderOptions, report: Reporter) -> bytes:
        """Return the PDF; warn when a fallback font is used or a character has no glyph.

        Raises RenderError for an unknown page size or when no usable TrueType font exists.
        """
        theme = options.theme
        if options.page_size not in PAGE_SIZES:
            choices = ", ".join(PAGE_SIZES)
            raise RenderError(f"unknown page size {options.page_size!r} (choose from: {choices})")
        faces = _register_faces(theme, report)
        _check_coverage(event, theme, faces, report)
        # Pass one only counts the pages, so the footer of pass two can say "Page X of Y"; the footer
        # sits in the margin and never changes the layout, so both passes paginate alike.
        pages = _build(event, options, faces, total=None)[1]
        data, _ = _build(event, options, faces, total=pages)
        return _stamp_id(data)


RENDERER = PdfRenderer()


# -- fonts -----------------------------------------------------------------------------------------


def _register_faces(theme: Theme, report: Reporter) -> _Faces:
    def face(family: str, bold: bool) -> Path:
        path, exact = fonts.require_font(family, bold=bold)
        if not exact:
            # One message per family (the reporter drops repeats), whichever of its faces fell back.
            report.warning(f"font {family!r} is not installed; the PDF uses {fonts.FALLBACK_FAMILY} instead")
        return path

    body, body_bold = face(theme.body_font, False), face(theme.body_font, True)
    heading, heading_bold = face(theme.heading_font, False), face(theme.heading_font, True)
    return _Faces(
        body=_register_family(body, body_bold),
        body_bold=_register(body_bold),
        heading=_register_family(heading, heading_bold),
        heading_bold=_register(heading_bold),
    )


def _font_name(path: Path) -> str:
    # Named after the file, not the family, so two themes can never map one name to different files.
    digest = hashlib.sha1(str(path).encode(), usedforsecurity=False).hexdigest()[:8]
    return f"reportgen-{path.stem}-{digest}"


def _register(path: Path) -> str:
    """Register a TrueType file with reportlab (once per process) and return its font name."""
    name = _font_name(path)
    if name not in pdfmetrics.getRegisteredFontNames():
        try:
            pdfmetrics.registerFont(TTFont(name, str(path)))
        except Exception as error:  # reportlab raises bare TTFError/KeyError for unusable files
            raise RenderError(f"cannot embed the font file {path}: {error}") from error
    return name


def _register_family(regular: Path, bold: Path) -> str:
    """Register both faces and return the regular one's name, under which <b> selects the bold."""
    name, bold_name = _register(regular), _register(bold)
    # The italic slots point at the upright faces: the brief never sets italics, and reportlab would
    # otherwise map them to a standard-14 font.
    pdfmetrics.registerFontFamily(name, normal=name, bold=bold_name, italic=name, boldItalic=bold_name)
    return name


def _check_coverage(event: Event, theme: Theme, faces: _Faces, report: Reporter) -> None:
    """Warn about every character of the brief that one of its faces cannot draw (it would print as a box)."""
    meta = event.meta
    texts = [meta.title, meta.subtitle, meta.date, meta.venue, meta.organiser, theme.footer_text]
    for day in event.days:
        texts.append(day.title)
        for session in day.sessions:
            texts += [session.heading, session.moderator, session.rapporteur, *session.outcomes]
    used = {ch for text in (*texts, BULLET, SEPARATOR, "…") if text for ch in text if not ch.isspace()}
    families = {theme.body_font: (faces.body, faces.body_bold)}
    families.setdefault(theme.heading_font, (faces.heading, faces.heading_bold))
    for family, names in families.items():
        # The cmaps of the faces reportlab has already parsed: the glyphs that will actually be embedded.
        cmaps = [pdfmetrics.getFont(name).face.charToGlyph for name in names]
        missing = sorted(ch for ch in used if any(ord(ch) not in cmap for cmap in cmaps))
        if missing:
            listed = ", ".join(f"U+{ord(ch):04X} {ch!r}" for ch in missing)
            report.warning(f"font {family!r} has no glyph for {listed}; the PDF shows boxes instead")


# -- story -----------------------------------------------------------------------------------------


def _styles(theme: Theme, faces: _Faces) -> dict[str, ParagraphStyle]:
    """Every paragraph style of the brief, from the theme alone (never reportlab's Helvetica defaults)."""
    text, muted, primary = HexColor(theme.text), HexColor(theme.muted), HexColor(theme.primary)
    body = ParagraphStyle(
        "body",
        fontName=faces.body,
        fontSize=theme.body_size,
        leading=theme.body_size * 1.3,
        textColor=text,
        alignment=TA_LEFT,
        bulletFontName=faces.body,
        bulletFontSize=theme.body_size,
        # A long unbroken word (a URL) is broken between characters instead of overflowing the margin.
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
    )
    small = theme.body_size * 0.85
    return {
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=faces.heading_bold,
            fontSize=theme.title_size,
            leading=theme.title_size * 1.15,
            textColor=primary,
            spaceAfter=theme.title_size * 0.2,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=body,
            fontName=faces.heading,
            fontSize=theme.subtitle_size,
            leading=theme.subtitle_size * 1.25,
            textColor=muted,
            spaceAfter=theme.subtitle_size * 0.35,
        ),
        "meta": ParagraphStyle("meta", parent=body, fontSize=small, leading=small * 1.35, textColor=muted),
        "day": ParagraphStyle(
            "day",
            parent=body,
            fontName=faces.heading_bold,
            fontSize=theme.heading1_size,
            leading=theme.heading1_size * 1.2,
            textColor=primary,
            spaceBefore=theme.heading1_size * 0.9,
            spaceAfter=theme.heading1_size * 0.25,
            keepWithNext=1,
        ),
        "session": ParagraphStyle(
            "session",
            parent=body,
            fontName=faces.heading_bold,
            fontSize=theme.heading2_size,
            leading=theme.heading2_size * 1.2,
            textColor=primary,
            spaceBefore=theme.heading2_size * 0.9,
            spaceAfter=theme.heading2_size * 0.2,
            keepWithNext=1,
        ),
        "people": ParagraphStyle(
            "people",
            parent=body,
            fontSize=small,
            leading=small * 1.3,
            textColor=muted,
            spaceAfter=theme.body_size * 0.3,
            keepWithNext=1,
        ),
        "outcome": ParagraphStyle(
            "outcome",
            parent=body,
            # The hanging indent: wrapped lines align with the text, not with the bullet.
            leftIndent=theme.body_size * 1.4,
            bulletIndent=theme.body_size * 0.3,
            bulletColor=HexColor(theme.accent),
            spaceAfter=theme.body_size * 0.3,
        ),
    }


class _Heading(Paragraph):  # type: ignore[misc]  # reportlab ships no types
    """A heading paragraph that, where it is drawn, bookmarks its top and adds itself to the PDF outline."""

    outline: tuple[str, str, int] | None = None  # (bookmark key, outline title, level); None on split tails

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        # Only the first part of a heading broken over two pages carries its outline entry.
        if parts and isinstance(parts[0], _Heading):
            parts[0].outline = self.outline
        return parts

    def draw(self) -> None:
        if self.outline is not None:
            key, title, level = self.outline
            self.canv.bookmarkHorizontal(key, 0, self.height)
            self.canv.addOutlineEntry(title, key, level=level, closed=False)
        super().draw()


def _heading(markup: str, style: ParagraphStyle, key: str, title: str, level: int) -> _Heading:
    heading = _Heading(markup, style)
    heading.outline = (key, title, level)
    return heading


def _story(event: Event, theme: Theme, faces: _Faces) -> list[Flowable]:
    styles = _styles(theme, faces)
    meta = event.meta
    story: list[Flowable] = [Paragraph(escape(meta.title), styles["title"])]
    if meta.subtitle:
        story.append(Paragraph(escape(meta.subtitle), styles["subtitle"]))
    details = [item for item in (meta.date, meta.venue, meta.organiser) if item]
    if details:
        story.append(Paragraph(escape(SEPARATOR.join(details)), styles["meta"]))
    story.append(
        HRFlowable(
            width="100%",
            thickness=1.5,
            color=HexColor(theme.accent),
            spaceBefore=theme.body_size * 0.6,
            spaceAfter=theme.body_size * 0.2,
        )
    )
    for d, day in enumerate(event.days):
        story.append(_heading(escape(day.title), styles["day"], f"day{d}", day.title, 0))
        for s, session in enumerate(day.sessions):
            markup = _session_heading(session, theme)
            story.append(_heading(markup, styles["session"], f"day{d}.session{s}", session.heading, 1))
            if people := _people(session):
                story.append(Paragraph(people, styles["people"]))
            # One paragraph per outcome, so the heading keeps with the first outcome only and a long
            # session may still break between outcomes.
            story += [Paragraph(escape(o), styles["outcome"], bulletText=BULLET) for o in session.outcomes]
    return story


def _session_heading(session: Session, theme: Theme) -> str:
    """Session.heading as markup: the code in the accent colour, then the title."""
    # Rebuilt from the parsed value so nothing but a colour can reach the markup.
    accent = "#{:02X}{:02X}{:02X}".format(*rgb(theme.accent))
    return f'<font color="{accent}">{escape(session.code)}:</font> {escape(session.title)}'


def _people(session: Session) -> str:
    """The moderator/rapporteur line as markup; "" when neither is given."""
    parts = [
        f"<b>{label}</b> {escape(name)}"
        for label, name in (("Moderator", session.moderator), ("Rapporteur", session.rapporteur))
        if name
    ]
    return SEPARATOR.join(parts)


# -- document --------------------------------------------------------------------------------------


def _build(event: Event, options: RenderOptions, faces: _Faces, total: int | None) -> tuple[bytes, int]:
    """Lay out and write the whole brief; return (PDF bytes, page count)."""
    theme = options.theme
    meta = event.meta
    margin = theme.margin_mm * mm
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out,
        pagesize=PAGE_SIZES[options.page_size],
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin,
        title=meta.title,
        author=meta.organiser or "",
        subject=meta.subtitle or "",
        creator="reportgen",
        lang=meta.language,
        # invariant: reportlab takes nothing from the clock; the dates come from options.timestamp below.
        invariant=1,
        # The canvas would otherwise open with Helvetica, putting a standard-14 font in the file.
        initialFontName=faces.body,
        displayDocTitle=1,
    )
    footer = _Footer(theme.footer_text or meta.title, theme, faces, total)
    frame = Frame(margin, margin, doc.width, doc.height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="brief", frames=[frame], onPage=footer.draw)])
    date = _pdf_date(options.timestamp)

    def make_canvas(*args: Any, **kwargs: Any) -> Canvas:
        canvas = Canvas(*args, **kwargs)
        # Both CreationDate and ModDate are written through this formatter.
        canvas.setDateFormatter(lambda *_: date)
        canvas.showOutline()
        return canvas

    doc.build(_story(event, theme, faces), canvasmaker=make_canvas)
    return out.getvalue(), doc.page


class _Footer:
    """The running footer: a hairline, the event's title at left and "Page X of Y" at right."""

    def __init__(self, text: str, theme: Theme, faces: _Faces, total: int | None) -> None:
        self.text, self.theme, self.faces, self.total = text, theme, faces, total

    def draw(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        theme, font = self.theme, self.faces.body
        size = max(theme.body_size * 0.75, 7)
        margin = theme.margin_mm * mm
        left, right = margin, doc.pagesize[0] - margin
        baseline = margin * 0.5
        page = canvas.getPageNumber()
        label = f"Page {page} of {self.total or page}"
        room = right - left - pdfmetrics.stringWidth(label, font, size) - size * 2
        canvas.saveState()
        canvas.setStrokeColor(HexColor(theme.muted))
        canvas.setLineWidth(0.4)
        canvas.line(left, baseline + size * 1.4, right, baseline + size * 1.4)
        canvas.setFillColor(HexColor(theme.muted))
        canvas.setFont(font, size)
        canvas.drawString(left, baseline, _fit(self.text, font, size, room))
        canvas.drawRightString(right, baseline, label)
        canvas.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """Return `text`, shortened with an ellipsis when wider than `width` points."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _pdf_date(when: datetime) -> str:
    """A PDF date string for `when`, in UTC; a naive time is taken as UTC, never as the machine's zone."""
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


_ID = re.compile(rb"/ID\s*\[<([0-9A-Fa-f]{32})><([0-9A-Fa-f]{32})>\]")
_DATES = re.compile(rb"/(?:CreationDate|ModDate) \(D:[^)]*\)")


def _stamp_id(data: bytes) -> bytes:
    """Replace reportlab's /ID with a digest of the document itself (timestamps excluded).

    reportlab seeds the ID from its own clock or SOURCE_DATE_EPOCH; a digest of the content makes it a
    true fingerprint instead. The new ID has the same length, so the cross-reference offsets stay valid.
    """
    # The trailer's /ID, never a look-alike inside a title string earlier in the file.
    match = _ID.search(data, data.rfind(b"trailer"))
    if match is None:
        raise RenderError("reportlab wrote no trailer /ID (an unsupported reportlab version?)")
    blank = _DATES.sub(b"", data[: match.start()] + data[match.end() :])
    digest = hashlib.md5(blank, usedforsecurity=False).hexdigest().upper().encode()
    return data[: match.start()] + b"/ID [<" + digest + b"><" + digest + b">]" + data[match.end() :]
