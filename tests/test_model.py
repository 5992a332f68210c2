"""The model's own behaviour: the words the documents add, in the event's language."""

from __future__ import annotations

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
    assert _event(language="sw").meta.words == LABELS["en"]  # no labels of its own: English, not nothing


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
