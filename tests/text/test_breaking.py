"""Where a line may break: spaces, kinsoku in CJK text, Hangul as European text, and the URL rule."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from reportgen.text.breaking import URL_BREAK_AFTER, break_after, can_start, opportunities
from reportgen.text.scripts import NO_LINE_END, NO_LINE_START


def lines_start(text: str, urls: tuple[tuple[int, int], ...] = ()) -> list[str]:
    """The text cut at every opportunity: what each possible line would start with."""
    cuts = [0, *opportunities(text, urls), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


def test_european_text_breaks_after_spaces_only() -> None:
    assert opportunities("one two  three") == [4, 9]
    assert lines_start("well-known e.g. words") == ["well-known ", "e.g. ", "words"]
    assert opportunities("") == [] and opportunities("x") == []


def test_no_line_starts_with_a_space_a_mark_or_a_format_character() -> None:
    assert opportunities("a \u0301b") == []  # a combining mark stays with what comes before it
    assert opportunities("a \u200db") == []
    assert opportunities("a\u200bb") == [2]  # a zero-width space is a break opportunity


def test_cjk_breaks_between_characters() -> None:
    assert lines_start("日本語") == ["日", "本", "語"]
    assert lines_start("中文abc def") == ["中", "文", "abc ", "def"]  # beside a wide character, not inside a word


def test_kinsoku_no_line_starts_with_a_closing_mark_or_small_kana() -> None:
    assert lines_start("です。次") == ["で", "す。", "次"]
    assert lines_start("ちょっと") == ["ちょっ", "と"]  # small kana ょ and っ never begin a line
    assert lines_start("ラーメン") == ["ラー", "メ", "ン"]  # nor the prolonged sound mark
    for ch in "。、）」ー":
        assert ch in NO_LINE_START and not can_start(f"漢{ch}", 1)


def test_kinsoku_no_line_ends_with_an_opening_bracket() -> None:
    assert lines_start("前「引用」後") == ["前", "「引", "用」", "後"]
    for ch in "「（『":
        assert ch in NO_LINE_END and not break_after(f"{ch}漢", 0)


def test_hangul_breaks_at_spaces_like_european_text() -> None:
    assert lines_start("한국어 문장") == ["한국어 ", "문장"]


def test_break_after_is_can_start_of_the_next_character() -> None:
    text = "日本 ab"
    assert [break_after(text, i) for i in range(len(text))] == [True, False, True, False, False]


URL = "https://example.org/conference-2026/outcomes?day=1&lang=en"


def test_a_url_breaks_only_after_its_separators() -> None:
    text = f"See {URL} now"
    start = text.index("https")
    parts = lines_start(text, ((start, start + len(URL)),))
    assert parts == [
        "See ",
        "https://",
        "example.",
        "org/",
        "conference-",
        "2026/",
        "outcomes?",
        "day=",
        "1&",
        "lang=",
        "en ",
        "now",
    ]
    for part in parts[1:-1]:
        assert part.rstrip()[-1] in URL_BREAK_AFTER or part == "en "


def test_outside_its_range_a_url_like_text_follows_the_general_rule() -> None:
    assert opportunities(URL) == []
    assert opportunities("a/b c", ((0, 3),)) == [2, 4]


def test_a_url_never_breaks_inside_a_word_nor_between_separators() -> None:
    text = "http://a.b//c?&d"
    found = opportunities(text, ((0, len(text)),))
    assert [text[i - 1 : i + 1] for i in found] == ["/a", ".b", "/c", "&d"]


def test_a_url_in_cjk_text_keeps_its_own_rule() -> None:
    text = "見てwww.例え.jp/本"
    found = opportunities(text, ((2, len(text) - 1),))
    assert found == [1, 2, 6, 9, 12]  # 見|て|www.|例え.|jp/|本: inside the URL only after "." and "/"


def test_breaking_imports_neither_harfbuzz_nor_fonttools() -> None:
    code = (
        "import sys\nfrom reportgen.text import breaking\nbreaking.opportunities('日本語 text')\n"
        "print(sorted(m for m in ('uharfbuzz', 'fontTools') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("text", ["日本語の文章。", "한국어 문장", "plain words here", "a「b」c"])
def test_opportunities_agree_with_can_start(text: str) -> None:
    assert opportunities(text) == [i for i in range(1, len(text)) if can_start(text, i)]
