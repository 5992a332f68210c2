"""The PDF brief renderer: PdfRenderer (registered as RENDERER) and the one pass that writes a brief.

Text is laid out by `reportgen.text` (font fallback, HarfBuzz shaping, line breaking, bidi order) and
drawn glyph by glyph into reportlab's embedded TrueType subsets, so every script prints with the theme's
fonts. reportlab is imported only in this package, and its internals only in `backend`. The brief is
laid out in one pass: each page's "Page X of Y" footer is drawn when the document is saved. It is a tagged
PDF (PDF/UA-1): its content is marked as it is drawn, and `tagging` adds the structure tree after.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

from ...errors import RenderError
from .backend import _Canvas, _register, _stamp_id
from .blocks import _Text
from .fonts import _check_coverage, _Setter, _Stacks
from .pages import _Footer, _Pages
from .reference import with_reference_look
from .story import _needed, _story
from .tagging import _Tags, tag

if TYPE_CHECKING:
    from ...errors import Reporter
    from ...model import Event
    from ...options import RenderOptions
    from ...text.shaping import Span
    from .actions import FollowUp

PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "Letter": LETTER}
"""Paper names RenderOptions.page_size may give -> (width, height) in points."""


class PdfRenderer:
    """Renders an event as a compact, printable PDF brief with an outline and a running footer."""

    name: ClassVar[str] = "pdf"
    suffix: ClassVar[str] = ".pdf"

    def render(self, event: Event, options: RenderOptions, report: Reporter) -> bytes:
        """Return the PDF; warn when a font family is not installed.

        Raises RenderError for an unknown page size, when no usable TrueType font exists, when a
        character has no glyph in any font of the theme, or when text cannot be set correctly.
        """
        # A reference .docx decides the fonts, sizes and colours the theme leaves unsaid, as in Word.
        theme = with_reference_look(options.theme)
        options = replace(options, theme=theme)
        check_page_size(options)
        stacks = _Stacks(theme, report)
        meta = event.meta
        setter = _Setter(stacks, meta.language)
        follow = _follow_up(event, options, setter)
        needed = _needed(event, theme, stacks)
        if follow is not None:
            for bold, text in follow.texts():
                needed.setdefault(stacks.look(bold=bold), []).append(text)
        _check_coverage(needed)
        margin = theme.margin_mm * mm
        story = _story(event, theme, setter, follow)
        return write_pdf(event, options, setter, lambda canvas: _Pages(canvas, margin).lay(story))


RENDERER = PdfRenderer()


def _follow_up(event: Event, options: RenderOptions, setter: _Setter) -> FollowUp | None:
    """The maker of the follow-up blocks (actions.FollowUp), or None for a source with neither key messages
    nor actions built without --since: its brief is as it always was."""
    if not (event.meta.key_messages or options.previous is not None or any(s.actions for s in event.sessions)):
        return None
    from ...since import compare
    from .actions import FollowUp
    from .story import _rich

    theme = options.theme
    today = options.timestamp.date()
    changes = None if options.previous is None else compare(options.previous, event, today)

    def para(*args: Any, **kwargs: Any) -> _Text:
        return _Text(setter, *args, **kwargs)

    def rich(value: str, colour: str) -> list[Span]:
        return _rich(value, colour, theme, setter.stacks)

    return FollowUp(event, theme, setter, para, rich, today, changes)


def check_page_size(options: RenderOptions) -> None:
    """Raise RenderError for a page size the PDF writers do not know."""
    if options.page_size not in PAGE_SIZES:
        choices = ", ".join(PAGE_SIZES)
        raise RenderError(f"unknown page size {options.page_size!r} (choose from: {choices})")


def write_pdf(event: Event, options: RenderOptions, setter: _Setter, lay: Callable[[_Canvas], None]) -> bytes:
    """A whole PDF of ours: a canvas opened as every one is (open_canvas), its pages laid out by `lay`, then
    tagged PDF/UA-1 and stamped with a reproducible /ID. The brief and the handout differ only in `lay`."""
    meta = event.meta
    out = io.BytesIO()
    tags = _Tags(meta.language)
    canvas = open_canvas(event, options, setter, tags, out)
    lay(canvas)
    canvas.save()
    tagged = tag(out.getvalue(), tags, meta.title, meta.organiser or "", meta.subtitle or "", _utc(options.timestamp))
    return _stamp_id(tagged)


def open_canvas(event: Event, options: RenderOptions, setter: _Setter, tags: _Tags, out: io.BytesIO) -> _Canvas:
    """A canvas writing to `out` with what every PDF of ours carries: the page size, the running footer,
    the document's properties and language, dates from options.timestamp (never the clock), the title
    shown by viewers, an embedded font from the first page on, and the outline open."""
    theme, meta = options.theme, event.meta
    canvas = _Canvas(
        _Footer(theme.footer_text or meta.title, meta.words, theme, setter).draw,
        options.cache_dir,
        tags,
        out,
        pagesize=PAGE_SIZES[options.page_size],
        # invariant: reportlab takes nothing from the clock; the dates come from options.timestamp below.
        invariant=1,
        # The canvas would otherwise open with Helvetica, putting a standard-14 font in the file.
        initialFontName=_register(setter.stacks.body.paths[0], options.cache_dir).fontName,
        lang=meta.language,
    )
    canvas.setTitle(meta.title)
    canvas.setAuthor(meta.organiser or "")
    canvas.setSubject(meta.subtitle or "")
    canvas.setCreator("reportgen")
    date = _pdf_date(options.timestamp)
    # Both CreationDate and ModDate are written through this formatter.
    canvas.setDateFormatter(lambda *_: date)
    canvas.faux_bold = setter.stacks.faux_bold  # the set itself: stacks made later add to it
    canvas.showOutline()
    return canvas


def _pdf_date(when: datetime) -> str:
    """A PDF date string for `when`, in UTC; a naive time is taken as UTC, never as the machine's zone."""
    return _utc(when).strftime("D:%Y%m%d%H%M%S+00'00'")


def _utc(when: datetime) -> datetime:
    """`when` in UTC; a naive time is taken as UTC."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
