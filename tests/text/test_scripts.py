"""The text layer's one classifier and one script/language table, which Word, the deck and the PDF all use."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from reportgen.text import scripts

from ..conftest import EXAMPLES


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


# Every letter of one script in the examples (not the few common ones, as the prolonged sound mark ー).
LETTERS = sorted(
    {
        ch
        for path in EXAMPLES
        for text in _strings(yaml.safe_load(path.read_text()))
        for ch in text
        if ch.isalpha() and scripts.script(ch) not in ("Zyyy", "Zinh")
    }
)


def test_the_examples_use_many_scripts() -> None:
    assert {scripts.letter_script(ch) for ch in LETTERS} >= {"Latn", "Grek", "Cyrl", "Hani", "Hira", "Kana", "Hang"}
    assert {"Deva", "Arab"} <= {scripts.letter_script(ch) for ch in LETTERS}


@pytest.mark.parametrize("ch", LETTERS, ids=lambda ch: f"U+{ord(ch):04X}")
def test_one_table_answers_for_every_letter_of_the_examples(ch: str) -> None:
    code = scripts.letter_script(ch)
    assert code == scripts.script(ch) and code in scripts.LANGUAGE_OF_SCRIPT
    # The table's slot for the script is the slot Office sets the letter in.
    assert scripts.SLOT_OF_SCRIPT[code] == scripts.slot(ch)
    # Word's run classes name the same script.
    where, name, _ = scripts.run_class(ch)
    assert where == scripts.slot(ch)
    assert name == (code if where == "complex" else None)


@pytest.mark.parametrize(("code", "tag"), sorted(scripts.LANGUAGE_OF_SCRIPT.items()))
def test_each_scripts_tag_is_a_language_written_in_it(code: str, tag: str) -> None:
    if code not in ("Copt", "Bopo"):  # tagged as Greek and as Taiwanese Mandarin, written in Greek and Han
        assert scripts.same_script(scripts.language_script(tag), code)
        # A document in that language keeps its own tag for the script's text.
        assert scripts.script_language(code, tag) == tag
    assert scripts.language_slot(tag) == scripts.SLOT_OF_SCRIPT[scripts.language_script(tag)]


@pytest.mark.parametrize(
    ("code", "language", "expected"),
    [
        ("Arab", "fr", "ar-SA"),  # as Office writes it: the deck and Word alike
        ("Deva", "en-GB", "hi-IN"),
        ("Hebr", "en", "he-IL"),
        ("Arab", "fa-IR", "fa-IR"),  # Persian is written in Arabic script
        ("Deva", "mr", "mr"),
        ("Cyrl", "sr-Latn", "ru-RU"),
        ("Latn", "sr-Latn", "sr-Latn"),
        ("Tglg", "fr", "fr"),  # a script the table does not know: the document's language
    ],
)
def test_script_language(code: str, language: str, expected: str) -> None:
    assert scripts.script_language(code, language) == expected


@pytest.mark.parametrize(
    ("found", "language", "expected"),
    [
        ({"Hani"}, "fr", "zh-CN"),
        ({"Hani", "Kana"}, "fr", "ja-JP"),
        ({"Hang"}, "en", "ko-KR"),
        ({"Hani"}, "ja", "ja"),  # kanji alone in a Japanese document are Japanese
        ({"Hani"}, "zh-TW", "zh-TW"),
        ({"Bopo"}, "en", "zh-TW"),
        ({"Hira"}, "ja-JP", "ja-JP"),
    ],
)
def test_east_asian_language(found: set[str], language: str, expected: str) -> None:
    assert scripts.east_asian_language(found, language) == expected


def test_languages_take_the_slot_of_their_script() -> None:
    assert scripts.language_slot("ar-EG") == "complex"
    assert scripts.language_slot("mr") == "complex"
    assert scripts.language_slot("ja") == "east_asian"
    assert scripts.language_slot("zh-Hant") == "east_asian"
    assert scripts.language_slot("fr") == scripts.language_slot("ru") == "latin"


def test_shared_punctuation_and_marks_name_no_complex_script() -> None:
    # The Arabic comma, the danda and Arabic harakat are common or inherited: they join the run around them.
    for ch in ("\u060c", "\u0964", "\u064e"):
        assert scripts.slot(ch) == "complex"
        assert scripts.run_class(ch)[1] is None
    assert unicodedata.category("\u064e") == "Mn"
