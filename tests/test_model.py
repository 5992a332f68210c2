"""The model's own behaviour: the words the documents add, in the event's language."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reportgen.errors import SourceInvalid
from reportgen.loader import from_data
from reportgen.model import LABELS, Event, Labels


def _event(**meta: object) -> Event:
    session = {"code": "A", "title": "Finance", "outcomes": ["One outcome."], "moderator": "Ana Ruiz"}
    return from_data(Event, {"event": {"title": "Forum", **meta}, "days": [{"title": "Day 1", "sessions": [session]}]})


def test_labels_follow_the_primary_language_subtag_and_default_to_english() -> None:
    assert _event().meta.words == LABELS["en"]
    assert _event(language="pt-BR").meta.words == LABELS["pt"]
    assert _event(language="FR-ca").meta.words.page_of(2, 9) == "Page 2 sur 9"
    # No labels of its own: English ones, not nothing (counted by English rules, see below).
    assert _event(language="sw").meta.words == replace(LABELS["en"], language="sw")


def test_a_sources_own_labels_replace_only_those_it_names() -> None:
    words = _event(language="de", labels={"agenda": "Tagesordnung", "page": "{page}/{pages}"}).meta.words
    assert (words.agenda, words.moderator, words.page_of(3, 4)) == ("Tagesordnung", "Moderation", "3/4")


@pytest.mark.parametrize("language", sorted(LABELS))
def test_every_built_in_language_has_every_label_and_valid_templates(language: str) -> None:
    words = LABELS[language]
    assert all(getattr(words, name) for name in Labels.__dataclass_fields__)
    data = {name: getattr(words, name) for name in Labels.__dataclass_fields__}
    assert _event(language=language, labels=data).meta.words == words  # passes the source's own checks
    assert words.page_parts().count("{page}") == words.page_parts().count("{pages}") == 1


def test_continued_titles_number_the_slides_only_beyond_two() -> None:
    words = LABELS["en"]
    assert [words.continued_title("A", n, 2) for n in (1, 2)] == ["A", "A (continued)"]
    assert words.continued_title("A", 3, 4) == "A (continued, 3 of 4)"


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ({"page": "Page {page}"}, "event.labels.page: must contain {page} and {pages} once each"),
        ({"page": "{page} {page} {pages}"}, "event.labels.page: must contain {page} and {pages} once each"),
        ({"continued": "{title} ({more})"}, "event.labels.continued: may contain no braces other than {title}"),
        ({"moderator": ""}, "event.labels.moderator:"),
        ({"chair": "Chair"}, "event.labels: unknown key 'chair'"),
    ],
)
def test_a_bad_label_is_refused_with_its_path(labels: dict[str, str], message: str) -> None:
    with pytest.raises(SourceInvalid) as refused:
        _event(labels=labels)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("language", "numbers", "expected"),
    [
        ("en", (0, 1, 2), ["0 sessions", "1 session", "2 sessions"]),
        ("fr-CH", (0, 1, 2), ["0 session", "1 session", "2 sessions"]),  # French counts 0 as one
        ("de", (1, 4), ["1 Sitzung", "4 Sitzungen"]),
        ("ar", (0, 1, 2, 3, 11, 100), ["0 جلسة", "1 جلسة", "2 جلستان", "3 جلسات", "11 جلسة", "100 جلسة"]),
        ("ja", (1, 5), ["1 セッション", "5 セッション"]),
        ("sw", (1, 2), ["1 session", "2 sessions"]),  # no labels of its own: English words and rules
    ],
)
def test_counts_take_the_form_the_language_gives_the_number(
    language: str, numbers: tuple[int, ...], expected: list[str]
) -> None:
    words = _event(language=language).meta.words
    assert [words.count("sessions", n) for n in numbers] == expected


def test_a_sources_own_count_labels_must_give_every_form_of_its_language() -> None:
    words = _event(language="fr", labels={"outcomes": "{n} conclusion|{n} conclusions"}).meta.words
    assert (words.count("outcomes", 1), words.count("outcomes", 3)) == ("1 conclusion", "3 conclusions")
    with pytest.raises(SourceInvalid) as refused:
        _event(language="ar", labels={"sessions": "{n} session|{n} sessions"})
    assert "labels.sessions: counts in 'ar' take 6 form(s) (zero, one, two, few, many, other)" in str(refused.value)
    with pytest.raises(SourceInvalid) as refused:
        _event(labels={"sessions": "{n} session|sessions"})
    assert "event.labels.sessions: each form (separated by '|') must contain {n} once" in str(refused.value)


def test_a_role_and_its_person_are_joined_as_the_language_writes_them() -> None:
    assert _event().meta.words.role("Moderator", "Ana") == "Moderator: Ana"
    assert _event(language="fr-BE").meta.words.role("Modération", "Ana") == "Modération\u00a0: Ana"
    assert _event(language="ja").meta.words.role("司会", "Ana") == "司会：Ana"


@pytest.mark.parametrize(
    ("language", "numbers", "expected"),
    [
        ("ru", (1, 3, 5, 11, 21, 22), ["1 сессия", "3 сессии", "5 сессий", "11 сессий", "21 сессия", "22 сессии"]),
        ("pl", (1, 3, 5, 12, 21, 22), ["1 sesja", "3 sesje", "5 sesji", "12 sesji", "21 sesji", "22 sesje"]),
        ("uk", (1, 21), ["1 session", "21 sessions"]),  # a rule but no words of its own: English words, English rule
    ],
)
def test_slavic_counts_take_one_few_or_many(language: str, numbers: tuple[int, ...], expected: list[str]) -> None:
    words = _event(language=language).meta.words
    assert [words.count("sessions", n) for n in numbers] == expected


def test_a_language_with_a_rule_but_no_words_takes_its_own_forms_from_the_source() -> None:
    words = _event(language="uk", labels={"sessions": "{n} сесія|{n} сесії|{n} сесій"}).meta.words
    assert [words.count("sessions", n) for n in (1, 2, 5, 21)] == ["1 сесія", "2 сесії", "5 сесій", "21 сесія"]
