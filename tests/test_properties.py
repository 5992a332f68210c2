"""Property-based tests: any event either renders in every format with every outcome readable back, or is
refused with a located error; the loader never fails any other way, whatever bytes it is given.

CI runs a bounded number of examples; for a longer local run:
    REPORTGEN_HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py
"""

from __future__ import annotations

import io
import os
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reportgen import renderers
from reportgen.errors import RenderError, Reporter, SourceInvalid
from reportgen.loader import from_data, parse_model
from reportgen.model import Event
from reportgen.options import RenderOptions

from .conftest import DATA

settings.register_profile("ci", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("REPORTGEN_HYPOTHESIS_PROFILE", "ci"))

# Any printable text from every plane: letters of all scripts, marks, symbols, emoji, odd spaces.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1, max_size=60).filter(
    lambda s: s.strip() != ""
)


@st.composite
def events(draw: st.DrawFn) -> dict[str, object]:
    days = []
    for d in range(draw(st.integers(1, 2))):
        sessions = [
            {
                "code": f"S{s}",
                "title": draw(TEXT),
                "outcomes": draw(st.lists(TEXT, min_size=1, max_size=4)),
            }
            for s in range(draw(st.integers(1, 3)))
        ]
        days.append({"title": f"Day {d + 1}", "sessions": sessions})
    return {"event": {"title": draw(TEXT)}, "days": days}


def _normal(text: str) -> str:
    """Text as a reader compares it: NFC, white space folded, no zero-width or format characters."""
    text = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) not in ("Cf", "Mn"))
    return re.sub(r"\s+", "", text)


def _read_back(name: str, data: bytes) -> str:
    if name == "docx":
        from docx import Document

        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    if name == "pptx":
        from pptx import Presentation

        deck = Presentation(io.BytesIO(data))
        return "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


@given(data=events())
@pytest.mark.parametrize("name", ["docx", "pptx"])
def test_any_valid_event_renders_with_every_outcome_readable_back(name: str, data: dict[str, object]) -> None:
    try:
        event = from_data(Event, data)
    except SourceInvalid:
        return  # refused by the model: the loader test below checks refusals are located
    try:
        document = renderers.get(name).render(event, RenderOptions(), Reporter())
    except RenderError as refused:
        assert str(refused)  # a clear refusal (e.g. characters no font has) is an allowed answer
        return
    text = _normal(_read_back(name, document))
    for session in event.sessions:
        for outcome in session.outcomes:
            assert _normal(outcome) in text


@given(data=events())
def test_any_valid_event_renders_as_a_pdf_or_is_refused_clearly(data: dict[str, object]) -> None:
    try:
        event = from_data(Event, data)
    except SourceInvalid as refused:  # invisible-only text, bidi controls: refused by the model, located
        assert str(refused)
        return
    try:
        document = renderers.get("pdf").render(event, RenderOptions(), Reporter())
    except RenderError as refused:
        assert str(refused)
        return
    assert document.startswith(b"%PDF-")
    assert _read_back("pdf", document)


SEED_TEXT = (DATA / "key-outcomes.yaml").read_text()


@given(
    cuts=st.lists(
        st.tuples(st.integers(0, len(SEED_TEXT)), st.integers(0, 40), st.text(max_size=8)), min_size=1, max_size=6
    )
)
@settings(max_examples=settings().max_examples * 8)
def test_the_loader_answers_any_mutation_of_a_source_with_the_model_or_located_errors(
    cuts: list[tuple[int, int, str]],
) -> None:
    text = SEED_TEXT
    for at, length, insert in cuts:
        text = text[:at] + insert + text[at + length :]
    try:
        parse_model(text, Event, "fuzz.yaml")
    except SourceInvalid as invalid:
        assert invalid.diagnostics
        for diagnostic in invalid.diagnostics:
            assert diagnostic.line >= 1 and diagnostic.column >= 1 and diagnostic.message
            assert str(diagnostic).startswith("fuzz.yaml:")


@given(raw=st.binary(max_size=300))
@settings(max_examples=settings().max_examples * 8)
def test_the_loader_answers_any_bytes_with_the_model_or_located_errors(raw: bytes) -> None:
    from reportgen.loader import decode

    try:
        parse_model(decode(raw, "bytes.yaml"), Event, "bytes.yaml")
    except SourceInvalid as invalid:
        assert all(str(d).startswith("bytes.yaml:") for d in invalid.diagnostics)
