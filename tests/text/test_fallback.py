"""One font fallback rule (text.fallback) for every format: the faces the PDF sets text in are the families
the .docx and the .pptx name for it."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from reportgen.errors import Reporter
from reportgen.loader import load_event
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers.docx import RENDERER as DOCX
from reportgen.renderers.pdf.fonts import _Stacks
from reportgen.renderers.pptx import RENDERER as PPTX
from reportgen.text import fallback, shaping
from reportgen.text.fonts import find_font
from reportgen.text.scripts import slot
from reportgen.theme import DEFAULT_THEME

from ..conftest import DATA

FAMILIES = ("Calibri", "Noto Sans", "Noto Sans Devanagari", "Noto Sans Arabic", "Droid Sans Fallback", "NanumGothic")
FOUND = {family: find_font(family) for family in FAMILIES}
pytestmark = pytest.mark.skipif(None in FOUND.values(), reason="the default theme's fonts are not all installed")


def _stack(*families: str) -> tuple[Path, ...]:
    return tuple(path for family in families if (path := FOUND[family]) is not None)


def _faces(text: str, stack: tuple[Path, ...], **kwargs: frozenset[Path]) -> list[str | None]:
    names = {path: family for family, path in reversed(FOUND.items())}
    return [None if f is None else names[f] for f in fallback.faces_of(text, [stack] * len(text), **kwargs)]


def test_each_word_takes_the_first_face_that_has_it_and_white_space_its_neighbours() -> None:
    stack = _stack(*FAMILIES)
    text = "Forum 研讨会 बाल श्रम"
    faces = _faces(text, stack)
    assert faces[:6] == ["Calibri"] * 6  # the space after a word goes with it
    assert set(faces[6:10]) == {"Droid Sans Fallback"}
    assert set(faces[10:]) == {"Noto Sans Devanagari"}


def test_a_combining_mark_stays_with_its_base() -> None:
    stack = _stack(*FAMILIES)
    # A decomposed é (Carlito lacks the combining acute: the word goes to the next face), Devanagari vowel
    # signs and virama: each in its letter's face.
    assert set(_faces("Gene\u0301ve", stack)) == {"Noto Sans"}
    assert set(_faces("कार्यशालाएँ", stack)) == {"Noto Sans Devanagari"}


def test_a_word_keeps_to_one_face_where_one_has_it_all() -> None:
    # Carlito has the digits, Noto Sans Arabic has them and the Arabic comma: the word "2026،" is one face.
    faces = _faces("في عام 2026، التزمت", _stack(*FAMILIES))
    assert set(faces[7:12]) == {"Noto Sans Arabic"}


def test_characters_no_face_has_are_none() -> None:
    assert _faces("a \U0001d11e", _stack("Calibri")) == ["Calibri", "Calibri", None]


def test_a_stand_in_face_is_trusted_with_latin_only() -> None:
    stack = _stack("Noto Sans", "Calibri")
    stand_in = frozenset(stack[:1])
    assert _faces("Ab Δ", stack, stand_ins=stand_in) == ["Noto Sans", "Noto Sans", "Noto Sans", "Calibri"]


def test_a_face_that_cannot_shape_a_script_is_passed_over(monkeypatch: pytest.MonkeyPatch) -> None:
    arabic = FOUND["Noto Sans Arabic"]
    dejavu = find_font("DejaVu Sans")
    if dejavu is None:
        pytest.skip("DejaVu Sans is not installed")
    monkeypatch.setattr(fallback, "can_shape", lambda path, code: not (path == arabic and code == "Arab"))
    stack = (arabic, dejavu)
    chosen = fallback.faces_of("عام 2026", [stack] * 8)
    assert set(chosen[:3]) == {dejavu}
    assert set(chosen[4:]) == {arabic}  # digits alone need no shaping rules: the first face that has them


def test_segments_are_stretches_of_one_face() -> None:
    stack = _stack(*FAMILIES)
    found = fallback.segments("Ateliers · 研讨会", stack)
    assert [(a, b) for a, b, _ in found] == [(0, 11), (11, 14)]
    assert [face for _, _, face in found] == [FOUND["Calibri"], FOUND["Droid Sans Fallback"]]


# -- the three formats choose alike ------------------------------------------------------------------


@pytest.fixture(scope="module")
def multilingual() -> Event:
    return load_event(DATA / "multilingual.yaml")


def _outcomes(event: Event) -> list[str]:
    return [str(outcome) for day in event.days for session in day.sessions for outcome in session.outcomes]


def _letters(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if unicodedata.category(ch)[0] in "LM"]


def _pdf_families(texts: list[str]) -> dict[str, list[str]]:
    """The family of the face the PDF sets each character of each text in, as body text."""
    body = _Stacks(DEFAULT_THEME, Reporter()).body
    names = {path: family for family, path in reversed(body.entries)}
    found = {}
    for text in texts:
        shaped = shaping.shape([shaping.Span(text, body.paths, "#000000")], DEFAULT_THEME.body_size, "fr")
        families = [""] * len(text)
        for item in shaped.items:
            families[item.start : item.end] = [names[item.font]] * (item.end - item.start)
        found[text] = families
    return found


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _docx_families(data: bytes, texts: list[str]) -> dict[str, list[str]]:
    """The family the .docx names for each character of each paragraph holding one of `texts`."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    for p in root.iter(f"{_W}p"):
        families: list[str] = []
        chars = ""
        for r in p.iter(f"{_W}r"):
            text = "".join(t.text or "" for t in r.iter(f"{_W}t"))
            fonts = r.find(f"{_W}rPr/{_W}rFonts")
            named = {} if fonts is None else {k.removeprefix(_W): v for k, v in fonts.attrib.items()}
            for ch in text:
                where = slot(ch)
                key = "eastAsia" if where == "east_asian" else "cs" if where == "complex" else "ascii"
                families.append(named.get(key, DEFAULT_THEME.body_font))
            chars += text
        if chars in texts:
            found[chars] = families
    return found


def _pptx_families(data: bytes, texts: list[str]) -> dict[str, list[str]]:
    """The family the .pptx names for each character of each paragraph holding one of `texts`."""
    found = {}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        slides = [package.read(name) for name in package.namelist() if name.startswith("ppt/slides/slide")]
    for xml in slides:
        for p in etree.fromstring(xml).iter(f"{_A}p"):
            families: list[str] = []
            chars = ""
            for r in p.iter(f"{_A}r"):
                text = "".join(t.text or "" for t in r.iter(f"{_A}t"))
                named = {}
                for tag in ("latin", "ea", "cs"):
                    element = r.find(f"{_A}rPr/{_A}{tag}")
                    if element is not None:
                        named[tag] = element.get("typeface")
                for ch in text:
                    where = slot(ch)
                    key = "ea" if where == "east_asian" else "cs" if where == "complex" else "latin"
                    families.append(named.get(key, DEFAULT_THEME.body_font))
                chars += text
            if chars in texts:
                found[chars] = families
    return found


def test_the_three_formats_choose_the_same_family_for_each_letter(multilingual: Event, options: RenderOptions) -> None:
    texts = _outcomes(multilingual)
    pdf = _pdf_families(texts)
    word = _docx_families(DOCX.render(multilingual, options, Reporter()), texts)
    deck = _pptx_families(PPTX.render(multilingual, options, Reporter()), texts)
    assert set(word) == set(deck) == set(texts)
    compared = set()
    for text in texts:
        for i in _letters(text):
            assert pdf[text][i] == word[text][i] == deck[text][i], (text, i, text[i])
            compared.add(pdf[text][i])
    assert compared == set(FAMILIES) - {"Noto Sans"}  # every face but one of the stack sets some letter
