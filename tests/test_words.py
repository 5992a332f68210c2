"""The lines the documents add (roles, details, a day's counts) are composed once in words.py, and every
format prints exactly that text."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

import reportgen
from reportgen import words
from reportgen.model import Event

SOURCE: dict[str, Any] = {
    "event": {
        "title": "Forum",
        "date": "24 juin 2026",
        "venue": "Genève",
        "organiser": "Alliance 8.7",
        "language": "fr",
    },
    "days": [
        {
            "title": "Jour 1",
            "sessions": [
                {
                    "code": "A",
                    "title": "Diligence raisonnable",
                    "moderator": "Ana Ruiz",
                    "rapporteur": "Bo Chen",
                    "outcomes": ["Agir **ensemble**."],
                },
                {"code": "B", "title": "Traçabilité", "rapporteur": "Zoë Brontë", "outcomes": ["Un.", "Deux."]},
            ],
        }
    ],
}


def flat(text: str) -> str:
    return " ".join(text.split())


def texts_of(event: Event, fmt: str) -> str:
    """Everything a reader sees in the format, as one string with white space collapsed."""
    data = reportgen.render(event, fmt)
    if fmt == "docx":
        return flat(" | ".join(p.text for p in Document(io.BytesIO(data)).paragraphs))
    if fmt == "pptx":
        deck = Presentation(io.BytesIO(data))
        return flat(" | ".join(sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame))
    return flat(" | ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture(scope="module")
def event() -> Event:
    return reportgen.from_data(SOURCE)


@pytest.mark.parametrize("fmt", ["docx", "pdf", "pptx"])
def test_every_format_prints_the_composed_role_and_details_lines(event: Event, fmt: str) -> None:
    seen = texts_of(event, fmt)
    said = event.meta.words
    expected = [str(words.roles(session, said)) for session in event.sessions]
    assert expected == ["Modération\u00a0: Ana Ruiz · Rapporteur\u00a0: Bo Chen", "Rapporteur\u00a0: Zoë Brontë"]
    for line in [*expected, words.details(event.meta)]:
        assert line is not None
        assert flat(line) in seen, f"{fmt} does not print {line!r}"


def test_the_deck_prints_the_composed_day_summary(event: Event) -> None:
    assert words.day_summary(event.days[0], event.meta.words) == "2 sessions · 3 résultats clés"
    assert "2 sessions · 3 résultats clés" in texts_of(event, "pptx")


def test_the_role_labels_are_bold_runs_and_the_names_plain(event: Event) -> None:
    roles = words.roles(event.sessions[0], event.meta.words)
    assert roles is not None
    assert [(r.text, r.bold) for r in roles.runs] == [
        ("Modération\u00a0: ", True),
        ("Ana Ruiz · ", False),
        ("Rapporteur\u00a0: ", True),
        ("Bo Chen", False),
    ]


def test_french_typography_keeps_high_punctuation_with_its_word() -> None:
    text = "Exercer la diligence : quels enseignements ? « Oui » ; non ! [lien](https://x.org/?a=1)"
    assert words.typeset(text, "fr-CH") == (
        "Exercer la diligence\u00a0: quels enseignements\u00a0? «\u00a0Oui\u00a0»\u00a0; non\u00a0! "
        "[lien](https://x.org/?a=1)"
    )
    assert words.typeset(text, "en") == text  # other languages as given
