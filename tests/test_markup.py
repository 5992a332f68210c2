"""Inline markup: what is markup, what stays literal, which links are refused and where."""

from __future__ import annotations

import pickle

import pytest

from reportgen.errors import SourceInvalid
from reportgen.loader import parse_model
from reportgen.markup import MarkupError, Rich, Run, escape, parse
from reportgen.model import Event


def looks(text: str) -> list[tuple[str, str]]:
    """Each run as (text, look) with look made of b, i, c and the link target."""
    return [
        (r.text, "".join(k for k, on in (("b", r.bold), ("i", r.italic), ("c", r.code)) if on) + (r.link or ""))
        for r in parse(text).runs
    ]


def test_every_construct_becomes_its_run() -> None:
    assert looks("a **b** *c* _d_ __e__ `f` [g](https://x.org/g) <https://y.org> mailto:h@i.org z") == [
        ("a ", ""),
        ("b", "b"),
        (" ", ""),
        ("c", "i"),
        (" ", ""),
        ("d", "i"),
        (" ", ""),
        ("e", "b"),
        (" ", ""),
        ("f", "c"),
        (" ", ""),
        ("g", "https://x.org/g"),
        (" ", ""),
        ("https://y.org", "https://y.org"),
        (" ", ""),
        ("mailto:h@i.org", "mailto:h@i.org"),
        (" z", ""),
    ]


def test_emphasis_nests_and_links_carry_it() -> None:
    assert looks("***both*** [**strong link**](https://x.org)") == [
        ("both", "bi"),
        (" ", ""),
        ("strong link", "bhttps://x.org"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "2 * 3 * 4",
        "snake_case and file_name_here",
        "<b>bold?</b> no, HTML stays",
        "![a picture](https://x.org/p.png)",
        "# not a heading",
        "- not a list",
        "R&D &amp; fees < 5% > 3%",
        "C:\\Users\\me",
        "ends with a star*",
        "[a reference] without a target",
        "javascript:alert(1) as words",
    ],
)
def test_what_is_not_markup_stays_literal(text: str) -> None:
    rich = parse(text)
    assert str(rich) == text
    assert not rich.has_markup, rich.runs  # the address inside literal image syntax is no link either


def test_backslash_escapes_give_the_character() -> None:
    assert (
        str(parse(r"\*not italic\* and \`not code\` and \[x\](https://y)"))
        == "*not italic* and `not code` and [x](https://y)"
    )


def test_a_bare_address_leaves_the_sentence_punctuation_out() -> None:
    rich = parse("See https://www.ilo.org/ipec. And (https://en.wikipedia.org/wiki/A_(b)), then.")
    assert rich.links == ("https://www.ilo.org/ipec", "https://en.wikipedia.org/wiki/A_(b)")
    assert str(rich) == "See https://www.ilo.org/ipec. And (https://en.wikipedia.org/wiki/A_(b)), then."


def test_an_empty_link_text_shows_the_address() -> None:
    assert looks("[](https://x.org) [](mailto:a@b.org)") == [
        ("https://x.org", "https://x.org"),
        (" ", ""),
        ("a@b.org", "mailto:a@b.org"),
    ]


@pytest.mark.parametrize(
    ("text", "column", "message"),
    [
        ("click [here](javascript:alert(1))", 14, "link scheme 'javascript:' is not allowed"),
        ("see <file:///etc/passwd>", 6, "link scheme 'file:' is not allowed"),
        ("[x](data:text/html,hi)", 5, "link scheme 'data:' is not allowed"),
        ("[x](page.html)", 5, "has no scheme"),
        ("[x](JavaScript:void(0))", 5, "link scheme 'javascript:' is not allowed"),
    ],
)
def test_links_other_than_http_https_mailto_are_refused_where_they_start(text: str, column: int, message: str) -> None:
    with pytest.raises(MarkupError) as refused:
        parse(text)
    assert message in str(refused.value)
    assert refused.value.offset == column - 1


SOURCE = """\
event:
  title: "**Titles** stay plain"
days:
  - title: Day 1
    sessions:
      - code: A
        title: Session
        outcomes:
          - Fine **bold** text
          - "Quoted: click [here](javascript:alert(1)) now"
        notes: |
          first line
          a [relative](page.html) link
"""


def test_the_loader_refuses_a_bad_link_at_its_line_and_column() -> None:
    with pytest.raises(SourceInvalid) as refused:
        parse_model(SOURCE, Event, "s.yaml")
    found = [str(d) for d in refused.value.diagnostics]
    assert found == [
        "s.yaml:10:35: days[0].sessions[0].outcomes[1]: link scheme 'javascript:' is not allowed (only https:, "
        "http: and mailto:): 'javascript:alert(1)'",
        "s.yaml:13:24: days[0].sessions[0].notes: link target 'page.html' has no scheme; write a full address "
        "starting https://, http:// or mailto:",
    ]


def test_outcomes_and_notes_are_rich_titles_are_not() -> None:
    good = SOURCE.replace("javascript:alert(1)", "https://x.org").replace("page.html", "https://y.org")
    event = parse_model(good, Event, "s.yaml")
    session = event.sessions[0]
    assert event.title == "**Titles** stay plain" and not isinstance(event.title, Rich)
    assert isinstance(session.outcomes[0], Rich) and session.outcomes[0] == "Fine bold text"
    assert session.outcomes[0].source == "Fine **bold** text"
    assert session.notes is not None and [str(line) for line in session.notes.lines()] == [  # type: ignore[attr-defined]
        "first line",
        "a relative link",
    ]


def test_rich_text_survives_pickling_to_a_worker_process() -> None:
    rich = parse("a **b** [c](https://d.org)")
    again = pickle.loads(pickle.dumps(rich))
    assert (again, again.runs, again.source) == (rich, rich.runs, rich.source)


def test_escape_gives_back_the_text_it_was_given() -> None:
    for text in ("a*b_c [x] <y> \\ `z`", "**not bold**", "[t](https://u)"):
        assert str(parse(escape(text))) == text


def test_runs_join_to_the_plain_text_and_adjacent_looks_merge() -> None:
    rich = Rich([Run("a"), Run("b"), Run("c", bold=True), Run(""), Run("d", bold=True)])
    assert rich == "abcd" and rich.runs == (Run("ab"), Run("cd", bold=True))
