"""What the brief says: its blocks in order (title block, days, sessions, outcomes) and every text each
font stack must cover."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reportlab.lib.colors import HexColor

from ... import words as composed
from ...markup import Rich, Run
from ...text.breaking import ELLIPSIS
from ...text.scripts import is_rtl
from ...text.shaping import Span
from ...theme import AA_LARGE, readable
from .. import kept_outcomes
from .blocks import _Block, _Logo, _Rule, _Style, _Text

if TYPE_CHECKING:
    from ...model import Event, Session, Words
    from ...theme import Theme
    from .actions import FollowUp
    from .fonts import _Setter, _Stack, _Stacks

BULLET = "•"


def _story(event: Event, theme: Theme, setter: _Setter, follow: FollowUp | None = None) -> Iterator[_Block]:
    """The blocks of the brief, in order, made as they are asked for."""
    stacks = setter.stacks
    meta = event.meta
    words = meta.words  # resolved once: the property merges the source's labels on every call
    small = theme.body_size * 0.85

    def para(
        spans: list[Span],
        style: _Style,
        bullet: str | None = None,
        outline: tuple[str, str, int] | None = None,
        rtl: bool | None = None,
        role: str = "P",
    ) -> _Text:
        return _Text(setter, spans, style, bullet, outline, rtl, role=role)

    def plain(value: str, stack: _Stack, colour: str) -> list[Span]:
        # Text in a bold stack is bold: set in a face without a bold (a CJK fallback) it is emboldened.
        return [Span(value, stack.paths, colour, bold=any(stack is b for b in bold_stacks))]

    bold_stacks = (stacks.heading_bold, stacks.body_bold)
    title = para(
        plain(meta.title, stacks.heading_bold, theme.primary),
        _Style(theme.title_size, theme.title_size * 1.15, space_after=theme.title_size * 0.2),
        role="H1",
    )
    if theme.logo_image is not None:
        yield _Logo(theme.logo_image, title.rtl, space_after=theme.title_size * 0.4)
    yield title
    if meta.subtitle:
        style = _Style(theme.subtitle_size, theme.subtitle_size * 1.25, space_after=theme.subtitle_size * 0.35)
        yield para(plain(meta.subtitle, stacks.heading, theme.muted), style)
    if details := composed.details(meta):
        yield para(plain(details, stacks.body, theme.muted), _Style(small, small * 1.35))
    yield _Rule(1.5, HexColor(theme.accent), space_before=theme.body_size * 0.6, space_after=theme.body_size * 0.2)
    h1, h2, body = theme.heading1_size, theme.heading2_size, theme.body_size
    day_style = _Style(h1, h1 * 1.2, space_before=h1 * 0.9, space_after=h1 * 0.25, keep_with_next=True)
    session_style = _Style(h2, h2 * 1.2, space_before=h2 * 0.9, space_after=h2 * 0.2, keep_with_next=True)
    people_style = _Style(small, small * 1.3, space_after=body * 0.3, keep_with_next=True)
    # The hanging indent: wrapped lines align with the text, not with the bullet.
    outcome_style = _Style(body, body * 1.3, space_after=body * 0.3, indent=body * 1.4, bullet_indent=body * 0.3)
    kept_outcome_style = outcome_style._replace(keep_with_next=True)
    # A disc in the accent, at least as dark as a graphic that carries meaning must be (print's grey accent
    # too): the font's own bullet glyph is a speck in some faces (Cambria).
    bullet = readable(theme.accent, theme.background, AA_LARGE)
    if follow is not None:  # key messages and what changed since the last meeting (actions.FollowUp)
        yield from follow.opening(day_style, session_style, outcome_style, bullet)
    for d, day in enumerate(event.days):
        day_spans = plain(day.title, stacks.heading_bold, theme.primary)
        yield para(day_spans, day_style, outline=(f"day{d}", day.title, 0), role="H2")
        for s, session in enumerate(day.sessions):
            # The direction of a session's heading is its title's: the code is only a label.
            rtl = is_rtl(session.title)
            outline = (f"day{d}.session{s}", session.heading, 1)
            heading = _session_heading(session, theme, stacks)
            yield para(heading, session_style, outline=outline, rtl=rtl, role="H3")
            # Repeated, with the "(continued)" label, at the head of a page the session runs on to.
            carried = _carried(session, words, theme, stacks)
            carry = functools.partial(para, carried, session_style._replace(space_before=0.0), rtl=rtl, role="Artifact")
            if roles := composed.roles(session, words):
                yield para(_rich(roles, theme.muted, theme, stacks), people_style)
            # One paragraph per outcome, so a long session may still break between outcomes.
            for outcome, kept in kept_outcomes(session.outcomes):
                style = kept_outcome_style if kept else outcome_style
                item = para(_rich(outcome, theme.text, theme, stacks), style, bullet, role="LI")
                item.carry = carry
                yield item
            if follow is not None and session.actions:
                yield from follow.session_table(session)
    if follow is not None:
        yield from follow.annex(day_style, session_style)


def _session_heading(session: Session, theme: Theme, stacks: _Stacks) -> list[Span]:
    """Session.heading as spans: the code in the accent as a text colour (darker where the accent is too light for
    text, as in Word), then the title; bold (emboldened in a face without a bold)."""
    fonts_ = stacks.heading_bold.paths
    return [
        Span(f"{session.code}:", fonts_, theme.accent_text, bold=True),
        Span(f" {session.title}", fonts_, theme.primary, bold=True),
    ]


def _carried(session: Session, words: Words, theme: Theme, stacks: _Stacks) -> list[Span]:
    """The session's heading as a page it runs on to repeats it: "A: Finance (continued)"."""
    fonts_ = stacks.heading_bold.paths
    rest = words.continued_title(session.title)
    return [
        Span(f"{session.code}:", fonts_, theme.accent_text, bold=True),
        Span(f" {rest}", fonts_, theme.primary, bold=True),
    ]


def _runs(value: str) -> tuple[Run, ...]:
    """The runs of rich text; a plain str as one plain run."""
    return value.runs if isinstance(value, Rich) else (Run(value),)


def _rich(value: str, colour: str, theme: Theme, stacks: _Stacks) -> list[Span]:
    """Rich text as spans, each run in the body stack of its look (bold, italic, code) and `colour`; a
    link in the link colour, carrying its address."""
    spans = []
    for run in _runs(value):
        stack = stacks.look(run.bold, run.italic, run.code)
        spans.append(Span(run.text, stack.paths, theme.link_colour if run.link else colour, run.link, run.bold))
    return spans


def _needed(event: Event, theme: Theme, stacks: _Stacks) -> dict[_Stack, list[str]]:
    """Every text the brief sets in each stack (with the ellipsis, separators and footer it may add), for
    the coverage check."""
    meta = event.meta
    wanted: dict[_Stack, list[str]] = {}

    def need(stack: _Stack, *texts: str | None) -> None:
        wanted.setdefault(stack, []).extend(t for t in texts if t)

    need(stacks.heading_bold, meta.title, ELLIPSIS)
    need(stacks.heading, meta.subtitle)
    need(stacks.body, composed.details(meta), composed.SEPARATOR, BULLET, theme.footer_text or meta.title)
    words = meta.words
    need(stacks.body, ELLIPSIS, words.page_of("0123456789", ""))
    for day in event.days:
        need(stacks.heading_bold, day.title)
        for session in day.sessions:
            need(stacks.heading_bold, session.heading, words.continued_title(session.title))
            for value in (composed.roles(session, words), *session.outcomes):
                need_rich(value or "", stacks, wanted)
    return wanted


def need_rich(value: str, stacks: _Stacks, wanted: dict[_Stack, list[str]]) -> None:
    """Add each run of `value` (rich or plain text) to the texts of the stack its look is set in, for the
    coverage check: bold, italic and code runs need their own faces."""
    for run in _runs(value):
        wanted.setdefault(stacks.look(run.bold, run.italic, run.code), []).append(run.text)
