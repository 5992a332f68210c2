"""The deck's design rules, checked on the built files: body sizes chosen by the content's shape, one title
size, the day on every session slide, a closing slide, and no text drawn outside its slide."""

from __future__ import annotations

import io
import statistics
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.oxml.ns import qn

from reportgen.errors import Reporter
from reportgen.loader import from_data, load_event
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers.pptx import RENDERER, plan_slides
from reportgen.renderers.pptx.spec import SlideKind
from reportgen.theme import Theme, load_theme

from ..conftest import DATA
from .test_pptx import _assert_drawn_inside_the_shapes, _chunks, _draw

_OUTCOMES = [
    "Translate high-level commitments into meaningful actions on the ground.",
    "Analyse your value chain, but let this process not become an impediment to meaningful action.",
    "Incorporate perspectives of affected stakeholders throughout the due diligence process.",
    "Tackle the hard questions and know you are not alone.",
    "Develop guidance on due diligence, remediation and monitoring, using best practice from "
    "multi-stakeholder approach.",
    "Make alliances with companies in the formal sector who have similar problems, even outside your "
    "particular supply chain.",
    "Coordinate long term action transparently to strengthen systems at local and national level.",
    "Realize living wage and fair price trough promoting local governments to set adequate minimum wage.",
]


def _shapes_event() -> Event:
    """Sessions of 1, 2, 4 and 8 outcomes over two days that reuse their codes."""
    sessions = [
        {"code": code, "title": f"Session of {n} outcomes", "outcomes": _OUTCOMES[:n]}
        for code, n in (("A", 1), ("B", 2), ("C", 4), ("D", 8))
    ]
    return from_data(
        Event,
        {
            "event": {"title": "Shapes", "date": "24 June 2026", "venue": "The Hague"},
            "days": [
                {"title": "Day 1", "sessions": sessions[:2]},
                {"title": "Day 2", "sessions": sessions[2:]},
            ],
        },
    )


@pytest.fixture(scope="module", params=["seed", "shapes"])
def event(request: pytest.FixtureRequest, seed_event: Event) -> Event:
    return seed_event if request.param == "seed" else _shapes_event()


@pytest.fixture(scope="module", params=["default", "high-contrast", "print"])
def theme(request: pytest.FixtureRequest) -> Theme:
    return load_theme(request.param)


def _built(event: Event, theme: Theme, options: RenderOptions) -> tuple[bytes, list[Any]]:
    """The deck's bytes and its plan's slide kinds, for telling session slides apart."""
    data = RENDERER.render(event, replace(options, theme=theme), Reporter())
    return data, [s.kind for s in plan_slides(event, theme, Reporter())]


def _sizes(shape: Any) -> list[float]:
    return [
        int(rpr.get("sz")) / 100
        for p in shape.text_frame.paragraphs
        for child in p._p
        if child.tag == qn("a:r") and (rpr := child.find(qn("a:rPr"))) is not None
    ]


def _named(slide: Any, name: str) -> Any:
    return next(s for s in slide.shapes if s.name == name)


def _sessions(deck: Any, kinds: list[SlideKind]) -> list[Any]:
    return [slide for slide, kind in zip(deck.slides, kinds, strict=True) if kind is SlideKind.SESSION]


def test_body_text_is_never_below_24_pt_at_least_32_for_one_or_two_outcomes_and_28_at_the_median(
    event: Event, theme: Theme, options: RenderOptions
) -> None:
    data, kinds = _built(event, theme, options)
    deck = Presentation(io.BytesIO(data))
    counts = {s.heading: len(s.outcomes) for s in event.sessions}
    per_slide = []
    for slide in _sessions(deck, kinds):
        title = slide.shapes.title.text
        sizes = _sizes(_named(slide, "Body"))
        assert sizes and min(sizes) >= max(24, theme.slide_min_body_size), title
        if counts.get(title, 3) <= 2:
            assert min(sizes) >= 32, title
        per_slide.append(min(sizes))
    assert statistics.median(per_slide) >= 28
    for slide, kind in zip(deck.slides, kinds, strict=True):  # the agenda too
        if kind is SlideKind.AGENDA:
            assert min(_sizes(_named(slide, "Body"))) >= 24


def test_one_title_size_for_every_session_slide_and_each_shows_its_day(
    event: Event, theme: Theme, options: RenderOptions
) -> None:
    data, kinds = _built(event, theme, options)
    deck = Presentation(io.BytesIO(data))
    slides = _sessions(deck, kinds)
    assert len({size for s in slides for size in _sizes(s.shapes.title)}) == 1
    days = iter(event.days)
    day = next(days)
    codes = {s.heading for s in day.sessions}
    for slide in slides:
        title = slide.shapes.title.text
        if not any(title.startswith(code) for code in codes):
            day = next(days)
            codes = {s.heading for s in day.sessions}
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert day.title in texts, title


def test_a_single_outcome_is_a_statement_without_a_bullet(options: RenderOptions) -> None:
    theme = load_theme("default")
    event = _shapes_event()
    data, kinds = _built(event, theme, options)
    deck = Presentation(io.BytesIO(data))
    statement = next(s for s in _sessions(deck, kinds) if s.shapes.title.text.startswith("A: "))
    (paragraph,) = _named(statement, "Body").text_frame.paragraphs
    assert paragraph._p.pPr.find(qn("a:buNone")) is not None
    assert _sizes(_named(statement, "Body")) == [theme.slide_max_body_size]


def test_the_deck_ends_with_a_closing_slide_and_the_cover_shows_the_details(options: RenderOptions) -> None:
    event = _shapes_event()
    data, kinds = _built(event, load_theme("default"), options)
    deck = Presentation(io.BytesIO(data))
    assert kinds[-1] is SlideKind.CLOSING
    closing = [s.text_frame.text for s in deck.slides[-1].shapes if s.has_text_frame and s.text_frame.text]
    assert closing[0] == "4 sessions · 15 key outcomes"
    assert "Shapes" in closing and "24 June 2026 · The Hague" in closing
    cover = [s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame]
    assert "24 June 2026 · The Hague" in cover


def test_a_right_to_left_title_and_its_day_are_aligned_right() -> None:
    plan = plan_slides(load_event(DATA / "multilingual.yaml"), load_theme("default"), Reporter())
    arabic = next(s for s in plan if s.kind is SlideKind.SESSION and "دور" in s.title)
    title, day = arabic.texts[0], next(t for t in arabic.texts if t.name == "Day")
    assert title.paras[0].rtl and title.align_right and day.align_right


@pytest.mark.render
def test_libreoffice_draws_no_character_outside_its_slide_or_shape(
    event: Event, theme: Theme, options: RenderOptions, tmp_path: Path
) -> None:
    data, _ = _built(event, theme, options)
    deck, pages = _draw({"deck": data}, tmp_path)["deck"]
    assert len(pages) == len(deck.slides)
    for number, (slide, page) in enumerate(zip(deck.slides, pages, strict=True), start=1):
        _, chunks = _chunks(page)
        _assert_drawn_inside_the_shapes(slide, page, chunks, f"slide {number}")
