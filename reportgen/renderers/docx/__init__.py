"""Word renderer: the event as a summary document built from real Word styles, lists and fields."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any, ClassVar

import docx

from .._ooxml import normalize_zip
from .body import LAST_MODIFIED_BY, LOGO_HEIGHT, PAGE_SIZES, _set_background, _set_page, _set_properties, _write_body
from .inline import _Inline
from .styles import _style_document
from .template import _adopt_template, _clear_template, _drop_stale_parts, _open_reference
from .text import _Text

if TYPE_CHECKING:
    from ...errors import Reporter
    from ...model import Event
    from ...options import RenderOptions

__all__ = ["LAST_MODIFIED_BY", "LOGO_HEIGHT", "PAGE_SIZES", "RENDERER", "DocxRenderer"]


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
        text = _Text(styles, theme, language, _Inline(document, theme))
        page = _set_page(document, options, event, styles, text, templated=reference is not None)
        _set_background(document, theme)
        _write_body(document, event, styles, theme, text, page, _follow_up(event, options, styles, text))
        text.report_uncovered(report)
        _set_properties(document, event, options, report)
        _drop_stale_parts(document)
        stream = io.BytesIO()
        document.save(stream)
        return normalize_zip(stream.getvalue(), options.timestamp)


RENDERER = DocxRenderer()


def _follow_up(event: Event, options: RenderOptions, styles: Any, text: _Text) -> Any:
    """The writer of the follow-up parts (actions.FollowUp), or None for a source with neither key messages
    nor actions built without --since: its summary is as it always was."""
    if not (event.meta.key_messages or options.previous is not None or any(s.actions for s in event.sessions)):
        return None
    from ...since import compare
    from .actions import FollowUp

    today = options.timestamp.date()
    changes = None if options.previous is None else compare(options.previous, event, today)
    return FollowUp(event, styles, options.theme, text, today, changes)
