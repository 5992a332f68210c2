"""The deck breaks lines as the PDF does: for the same text, face, size and width, the deck's measurement
(measure.py's wrap) and the PDF's line breaker (text.shaping's shaped lines, text.breaking's rule) give the
same lines, for Latin, a long URL, CJK with kinsoku, Hangul and Arabic. (The deck measures without kerning,
as PowerPoint sets text unkerned by default, so a line within a kerning pair of its width may differ: the
widths here are not such edges.)"""

from __future__ import annotations

import pytest

from reportgen.renderers.pptx.measure import Typesetter
from reportgen.renderers.pptx.spec import Style
from reportgen.text.breaking import line_ranges, opportunities
from reportgen.text.shaping import Span, shape
from reportgen.theme import Theme

SIZE = 20.0
URL = "https://www.ilo.org/resource/other/child-labour-supply-chains-guidance-business-2026-edition/full-report"

CASES = {
    "latin": ("en", "Buyers commit to one remediation budget line by June, and report on it each quarter."),
    "url": ("en", URL),
    "cjk": ("ja", "買い手は六月までに是正予算を一本化し、四半期ごとに報告する。「最悪の形態」の児童労働をなくす。"),
    "hangul": ("ko", "구매자는 6월까지 하나의 시정 예산 항목을 약속하고 분기마다 보고합니다."),
    "arabic": ("ar", "يلتزم المشترون بخط ميزانية واحد للمعالجة بحلول يونيو ويقدمون تقريرا عنه كل ربع سنة."),
}


def _pdf_lines(text: str, fonts: tuple, language: str, width: float, urls: tuple) -> list[str]:
    """The PDF breaker's lines: the paragraph shaped, its words cut where text.breaking lets a line start
    (the URL rule inside `urls`), filled by text.breaking.line_ranges."""
    shaped = shape([Span(text, fonts, "#000000")], SIZE, language)
    if not urls:
        return [line.text for line in shaped.lines(width)]
    starts = list(shaped.cluster_starts)
    advances = shaped._advances
    firsts = [0, *[starts.index(i) for i in opportunities(text, urls) if i in starts]]
    lasts = [*firsts[1:], len(starts)]
    words = []
    for first, last in zip(firsts, lasts, strict=True):
        visible = last
        while visible > first and text[starts[visible - 1]] == " ":
            visible -= 1
        words.append((first, last, sum(advances[first:visible]), sum(advances[first:last])))
    blanks = "".join(" " if text[s] == " " else "x" for s in starts)
    bounds = [*starts, len(text)]
    return [text[bounds[a] : bounds[b]].rstrip(" ") for a, b in line_ranges(words, advances, blanks, width)]


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("width", [90.0, 163.0, 251.0, 400.0])
def test_the_deck_breaks_lines_where_the_pdf_does(case: str, width: float) -> None:
    language, text = CASES[case]
    theme = Theme()
    stack = Typesetter(theme, language).stack(Style(tuple(dict.fromkeys((theme.body_font, *theme.font_families)))))
    fonts = tuple(face.path for face in stack.faces)
    urls = ((0, len(text)),) if case == "url" else ()
    deck = stack.wrap(text, SIZE, width, urls=urls)
    assert deck == _pdf_lines(text, fonts, language, width, urls)
    assert len(deck) > 1 or width == 400.0


def test_inside_a_url_the_deck_breaks_only_after_its_punctuation() -> None:
    theme = Theme()
    stack = Typesetter(theme, "en").stack(Style((theme.body_font,)))
    lines = stack.wrap(URL, SIZE, 200.0, urls=((0, len(URL)),))
    assert "".join(lines) == URL and len(lines) > 2
    assert all(line[-1] in "/.-?&=" for line in lines[:-1])
