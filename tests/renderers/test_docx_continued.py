"""The Word summary keeps a session on one page, and a session longer than a page goes on to the next under
its heading, "(continued)": in the document's XML, in the plan, and on the pages LibreOffice draws."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from reportgen.errors import Reporter
from reportgen.loader import from_data
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers.docx import RENDERER
from reportgen.renderers.docx.keeping import PAGE_SHARE, Keeping
from reportgen.theme import DEFAULT_THEME, Theme

from ..office import to_pdf
from .docx_templates import corporate_template

LONG = 40
"""Outcomes of the long session: three or four pages of them."""

SHORT_BEFORE = ("First short outcome.", "Second short outcome, a little longer than the first one.")
SHORT_AFTER = ("The only outcome of the session after.",)


def outcome(i: int) -> str:
    return (
        f"Outcome {i}: strengthen the cooperation between governments, employers and workers so that every "
        f"supply chain is mapped, its risks are known and remediation reaches the children concerned (point {i})."
    )


def long_event(language: str = "en", **labels: str) -> Event:
    """A short session, one of LONG long outcomes, and another short one."""
    meta: dict[str, Any] = {"title": "Long session test", "language": language}
    if labels:
        meta["labels"] = labels
    sessions = [
        {"code": "S", "title": "Short before", "moderator": "Ana Ruiz", "outcomes": list(SHORT_BEFORE)},
        {
            "code": "A",
            "title": "A very long session",
            "moderator": "Ben Ode",
            "rapporteur": "Cy Dee",
            "outcomes": [outcome(i) for i in range(1, LONG + 1)],
        },
        {"code": "T", "title": "Short after", "outcomes": list(SHORT_AFTER)},
    ]
    return from_data(Event, {"event": meta, "days": [{"title": "Day 1", "sessions": sessions}]})


def medium_event() -> Event:
    """Fifteen sessions of six outcomes of different lengths: several of them would straddle a page."""
    sessions = [
        {"code": f"M{n}", "title": f"Medium session {n}", "outcomes": [outcome(n * 10 + i)[: 60 + 25 * ((n + i) % 5)]
                                                                      for i in range(6)]}
        for n in range(1, 16)
    ]  # fmt: skip
    return from_data(Event, {"event": {"title": "Medium sessions"}, "days": [{"title": "Day 1", "sessions": sessions}]})


def render(event: Event, options: RenderOptions) -> bytes:
    return RENDERER.render(event, options, Reporter())


def paragraphs(data: bytes) -> list[Any]:
    return list(docx.Document(io.BytesIO(data)).paragraphs)


def outline_level(style: Any) -> str | None:
    """The outline level a paragraph style has, its own or inherited (None: body text by default)."""
    while style is not None:
        found = style.element.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if found is not None:
            return str(found.get(qn("w:val")))
        style = style.base_style
    return None


# -- in the document --------------------------------------------------------------------------------------


def test_a_long_session_goes_on_to_new_pages_under_its_heading_continued(options: RenderOptions) -> None:
    found = paragraphs(render(long_event(), options))
    carried = [p for p in found if p.style.name == "Session Continued"]
    assert len(carried) >= 2
    for p in carried:
        assert p.text == "A: A very long session (continued)"
        assert p.paragraph_format.page_break_before is True
        code, rest = p.runs
        assert (code.text, code.style.name, rest.style.name) == ("A:", "Session Code", "Default Paragraph Font")
    # Each session is one real heading: the navigation pane and a table of contents list it once.
    assert [p.text for p in found if p.style.name == "Heading 2"] == [
        "S: Short before",
        "A: A very long session",
        "T: Short after",
    ]
    style = carried[0].style
    assert style.base_style.name == "Heading 2"
    assert outline_level(style) == "9" and outline_level(style.base_style) == "1"
    # Every outcome once, in order, the "(continued)" headings between them.
    assert [p.text for p in found if p.style.name == "List Bullet"] == [
        *SHORT_BEFORE,
        *(outcome(i) for i in range(1, LONG + 1)),
        *SHORT_AFTER,
    ]


def test_sessions_and_the_pieces_of_a_long_one_are_chains_kept_with_the_next(options: RenderOptions) -> None:
    found = paragraphs(render(long_event(), options))
    # Outcomes in runs between headings: each piece keeps every outcome but its last with the next.
    pieces: list[list[Any]] = []
    for p in found:
        if p.style.name in ("Heading 2", "Session Continued"):
            pieces.append([])
        elif p.style.name == "List Bullet":
            pieces[-1].append(p)
    assert (len(pieces[0]), len(pieces[-1])) == (len(SHORT_BEFORE), len(SHORT_AFTER))
    for piece in pieces:
        assert [p.paragraph_format.keep_with_next for p in piece] == [True] * (len(piece) - 1) + [None]
    # No piece of the long session is a lone outcome.
    assert min(len(piece) for piece in pieces[1:-1]) >= 2
    # The headings and the roles line keep with what follows through their styles.
    for p in found:
        if p.style.name in ("Heading 2", "Session Continued", "Session Roles"):
            assert p.style.paragraph_format.keep_with_next is True


def test_short_sessions_are_never_cut(seed_event: Event, options: RenderOptions) -> None:
    found = paragraphs(render(seed_event, options))
    assert not [p for p in found if p.style.name == "Session Continued" or p.paragraph_format.page_break_before]


@pytest.mark.parametrize(
    ("language", "labels", "expected"),
    [
        ("fr", {}, "A: A very long session (suite)"),
        ("fr", {"continued": "{title} (à suivre)"}, "A: A very long session (à suivre)"),
    ],
)
def test_the_continued_label_is_the_sources_language_or_its_own(
    language: str, labels: dict[str, str], expected: str, options: RenderOptions
) -> None:
    carried = [p for p in paragraphs(render(long_event(language, **labels), options)) if p.text.endswith(")")]
    assert carried and {p.text for p in carried if p.style.name == "Session Continued"} == {expected}


def test_with_a_corporate_template_the_continued_heading_is_its_heading_2_unnumbered_and_out_of_the_outline(
    make_theme: Callable[..., Theme], options: RenderOptions
) -> None:
    theme = make_theme(files={"corporate.docx": corporate_template()}, reference_docx="corporate.docx")
    found = paragraphs(render(long_event(), replace(options, theme=theme)))
    carried = [p for p in found if p.style.name == "Session Continued"]
    assert carried and all(p.paragraph_format.page_break_before for p in carried)
    style = carried[0].style
    assert style.base_style.name == "Heading 2" and outline_level(style) == "9"
    num_id = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    assert num_id is not None and num_id.get(qn("w:val")) == "0"  # a numbered Heading 2 would count it


# -- the plan ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keeping() -> Keeping:
    # A4 with the theme's margins, as body._set_page sets them (EMU).
    margin = round(DEFAULT_THEME.margin_mm * 36000)
    return Keeping(DEFAULT_THEME, "en", 210 * 36000 - 2 * margin, 297 * 36000 - 2 * margin)


def session(outcomes: list[str]) -> Any:
    event = from_data(Event, {"event": {"title": "T"}, "days": [{"title": "D", "sessions": [
        {"code": "A", "title": "Title", "outcomes": outcomes}
    ]}]})  # fmt: skip
    return event.sessions[0]


def test_a_session_that_fits_is_one_piece_and_keeps_its_table_when_both_fit(keeping: Keeping) -> None:
    short = session(["One.", "Two."])
    assert keeping.plan(short, None, "A: Title (continued)").pieces == ((0, 2),)
    small_table = [["Action", "Owner", "Due", "Status"], ["Do it", "Ana", "1 July 2026", "Open"]]
    assert keeping.plan(short, None, "", small_table).table_kept is True
    tall_table = [["Action", "Owner", "Due", "Status"]] + [[outcome(i), "Ana", "1 July", "Open"] for i in range(60)]
    plan = keeping.plan(short, None, "", tall_table)
    assert plan.whole and not plan.table_kept


def test_a_long_session_is_cut_into_pieces_that_each_fit_a_page(keeping: Keeping) -> None:
    long = session([outcome(i) for i in range(LONG)])
    plan = keeping.plan(long, "Moderator: Ben", "A: Title (continued)")
    assert not plan.whole and not plan.table_kept
    assert [i for first, end in plan.pieces for i in range(first, end)] == list(range(LONG))
    for n, (first, end) in enumerate(plan.pieces):
        top = keeping.heading("A: Title", 13, 14, 3) if n == 0 else keeping.heading("A: Title (continued)", 13, 0, 3)
        assert top + sum(keeping.outcome(outcome(i)) for i in range(first, end)) <= keeping.room
    assert keeping.room == pytest.approx((297 - 2 * DEFAULT_THEME.margin_mm) / 25.4 * 72 * PAGE_SHARE, rel=1e-3)


def test_an_outcome_taller_than_a_page_stays_whole_and_no_piece_is_a_lone_last_outcome(keeping: Keeping) -> None:
    huge = " ".join(outcome(i) for i in range(30))
    assert keeping.outcome(huge) > keeping.room
    plan = keeping.plan(session(["Short.", huge, "After."]), None, "A: Title (continued)")
    assert plan.pieces == ((0, 1), (1, 2), (2, 3))
    # Twelve outcomes fill a page and the thirteenth would be alone: it takes the twelfth with it.
    thirteen = [outcome(i) for i in range(LONG)]
    pieces = keeping.plan(session(thirteen), None, "A: Title (continued)").pieces
    assert all(end - first >= 2 for first, end in pieces)


# -- as LibreOffice lays it out ---------------------------------------------------------------------------


def laid_out(documents: dict[str, bytes], folder: Path) -> dict[str, list[str]]:
    """Each document converted to PDF by LibreOffice (one run, a private profile): its pages' text, each
    page's lines stripped, the footer left out."""
    from pypdf import PdfReader

    pdfs = to_pdf(documents, ".docx", folder)
    return {name: [page.extract_text() for page in PdfReader(pdfs[name]).pages] for name in documents}


def page_lines(text: str) -> list[str]:
    """The page's lines, white space folded, a bullet drawn before a line's text left out."""
    lines = (re.sub(r"^\W+", "", " ".join(line.split())) for line in text.splitlines())
    return [line for line in lines if line]


def squeezed(text: str) -> str:
    """`text` without white space: lines LibreOffice broke (after a hyphen too) compare equal to the source."""
    return "".join(text.split())


@pytest.mark.render
def test_libreoffice_starts_each_page_of_a_long_session_with_its_heading_continued_and_cuts_no_short_one(
    seed_event: Event, options: RenderOptions, tmp_path: Path
) -> None:
    documents = {
        "long": render(long_event(), options),
        "long-fr": render(long_event("fr"), options),
        "seed": render(seed_event, options),
        "medium": render(medium_event(), options),
    }
    pages = laid_out(documents, tmp_path)
    for name, label in (("long", "A: A very long session (continued)"), ("long-fr", "A: A very long session (suite)")):
        found = pages[name]
        assert len(found) >= 3, name
        carried = 0
        for number, text in enumerate(found[1:], start=2):
            lines = page_lines(text)
            if lines[0].startswith("Outcome") or lines[0] == label:
                assert lines[0] == label, f"{name} page {number} begins with outcome text, not {label!r}"
                carried += 1
        assert carried >= 2, name
        # The short sessions are whole on their pages: their heading and all their outcomes on one page.
        for heading, outcomes in (("S: Short before", SHORT_BEFORE), ("T: Short after", SHORT_AFTER)):
            (home,) = [squeezed(t) for t in found if heading in t]
            assert all(squeezed(o) in home for o in outcomes), (name, heading)
        # Every outcome of the long session is drawn once.
        drawn = squeezed(" ".join(found))
        assert all(drawn.count(f"(point{i}).") == 1 for i in range(1, LONG + 1)), name
    # Sessions that fit a page are each whole on one page.
    for name, event in (("seed", seed_event), ("medium", medium_event())):
        assert len(pages[name]) >= 2, name
        laid = [squeezed(t) for t in pages[name]]
        for s in event.sessions:
            homes = [page for page in laid if squeezed(s.heading) in page]
            assert len(homes) == 1, (name, s.heading)
            assert all(squeezed(o) in homes[0] for o in s.outcomes), (name, s.heading)


@pytest.mark.parametrize("theme_name", ["default", "high-contrast", "print"])
def test_the_quick_estimate_is_never_below_the_measure(theme_name: str) -> None:
    # The estimate that settles most sessions without loading a font must not keep what the measure cuts.
    from reportgen import words as composed
    from reportgen.loader import load_event
    from reportgen.theme import load_theme

    from ..conftest import EXAMPLES

    theme = load_theme(theme_name)
    margin = round(theme.margin_mm * 36000)
    for path in EXAMPLES:
        event = load_event(path)
        keeping = Keeping(theme, event.meta.language, 210 * 36000 - 2 * margin, 297 * 36000 - 2 * margin)
        for s in event.sessions:
            roles = composed.roles(s, event.meta.words)
            quick = keeping._heights(s, roles, [], 0.0, exact=False)
            measured = keeping._heights(s, roles, [], 0.0, exact=True)
            assert quick[0] >= measured[0], (path.name, s.heading)
            assert all(q >= m for q, m in zip(quick[1], measured[1], strict=True)), (path.name, s.heading)


def _event_with_actions(count: int) -> Event:
    actions = [
        {"action": f"Publish note {i} with the partners", "owner": "ILO", "due": "2027-06-30"} for i in range(count)
    ]
    sessions = [{"code": "A", "title": "Actions", "outcomes": ["One outcome.", "Another outcome."], "actions": actions}]
    return from_data(Event, {"event": {"title": "Tables"}, "days": [{"title": "Day 1", "sessions": sessions}]})


def _rows_kept(table: Any) -> list[bool]:
    """Per row of a Word table: whether every paragraph in it keeps with the next."""
    return [
        all(p.find(qn("w:pPr")) is not None and p.find(qn("w:pPr")).find(qn("w:keepNext")) is not None
            for p in row.iter(qn("w:p")))
        for row in table.iter(qn("w:tr"))
    ]  # fmt: skip


def test_a_short_sessions_table_is_kept_with_its_outcomes_and_a_long_one_only_holds_its_header() -> None:
    options = RenderOptions(theme=DEFAULT_THEME)
    short = docx.Document(io.BytesIO(render(_event_with_actions(3), options)))
    session_table, annex, _by_status = short.tables
    assert _rows_kept(session_table._tbl) == [True, True, True, False]  # header and rows but the last
    assert _rows_kept(annex._tbl)[:2] == [True, False]  # the annex flows; its header stays with a row
    last_outcome = short.paragraphs[[p.text for p in short.paragraphs].index("Another outcome.")]
    assert last_outcome.paragraph_format.keep_with_next  # the outcomes keep with their table

    long = docx.Document(io.BytesIO(render(_event_with_actions(60), options)))
    kept = _rows_kept(long.tables[0]._tbl)
    assert kept[0] and not any(kept[1:])  # too long for a page: it crosses pages with its header repeated
