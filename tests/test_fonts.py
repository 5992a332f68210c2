"""Font resolution: fontconfig called in-process must answer exactly as its command-line tools do."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from reportgen.text import fonts

PATTERNS = [
    "Carlito",
    "Carlito:bold",
    "Calibri:italic",
    "DejaVu Sans:bold:italic",
    "Liberation Serif",
    "Noto Sans Arabic",
    "Droid Sans Fallback",
    "No Such Family At All",
]


@pytest.fixture(autouse=True)
def fresh_caches():
    for cached in (fonts._fontconfig, fonts._fc_match, fonts.find_font, fonts.installed_fonts_digest):
        cached.cache_clear()
    yield
    for cached in (fonts._fontconfig, fonts._fc_match, fonts.find_font, fonts.installed_fonts_digest):
        cached.cache_clear()


def _fc(*args: str) -> list[str]:
    assert shutil.which(args[0]), f"{args[0]} is part of fontconfig, which the fonts packages install"
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.splitlines()


@pytest.mark.parametrize("pattern", PATTERNS)
def test_in_process_match_is_what_fc_match_prints(pattern: str) -> None:
    library = fonts._fontconfig()
    assert library is not None, "libfontconfig could not be loaded"
    file, families = _fc("fc-match", "--format=%{file}\n%{family}\n", pattern)
    assert library.match(pattern) == (file, families.split(","))


def test_in_process_listing_is_what_fc_list_prints() -> None:
    library = fonts._fontconfig()
    assert library is not None
    assert sorted(set(library.files())) == sorted(set(_fc("fc-list", "--format=%{file}\n")))


def test_without_the_library_the_programs_give_the_same_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    families = [("Calibri", True, False), ("DejaVu Sans", False, True), ("Noto Sans Arabic", False, False)]
    in_process = [fonts.find_font(*f) for f in families]
    digest = fonts.installed_fonts_digest()
    assert all(in_process)
    fonts.find_font.cache_clear()
    fonts._fc_match.cache_clear()
    fonts.installed_fonts_digest.cache_clear()
    monkeypatch.setattr(fonts, "_fontconfig", lambda: None)
    assert [fonts.find_font(*f) for f in families] == in_process
    assert fonts.installed_fonts_digest() == digest


def test_a_family_name_with_fontconfig_syntax_is_escaped_not_parsed() -> None:
    # "Sans-12" unescaped would mean "Sans at 12 pt"; escaped, it is a family nobody has.
    assert fonts.find_font("DejaVu Sans-12") is None
    assert fonts.find_font("DejaVu Sans:bold") is None


def _font_tools_metrics(path):
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True) as font:
        em = font["head"].unitsPerEm
        cmap = font.getBestCmap()
        hmtx = font["hmtx"]
        widths = {code: hmtx[name][0] / em for code, name in cmap.items()}
        os2, hhea = font.get("OS/2"), font["hhea"]
        if os2 is not None and os2.usWinAscent:
            vertical = (os2.usWinAscent / em, os2.usWinDescent / em, 0.0)
        else:
            vertical = (hhea.ascent / em, -hhea.descent / em, hhea.lineGap / em)
    return widths, vertical


@pytest.mark.parametrize(
    "family", ["Carlito", "Caladea", "Liberation Serif", "DejaVu Sans", "Noto Sans Arabic", "NanumGothic"]
)
def test_metrics_read_through_harfbuzz_equal_fonttools_reading(family: str) -> None:
    path = fonts.find_font(family)
    assert path is not None, f"{family} is installed by .ci/run"
    widths, vertical = _font_tools_metrics(path)
    measured = fonts.metrics.__wrapped__(path)
    assert measured.widths == pytest.approx(widths)
    assert (measured.ascent, measured.descent, measured.line_gap) == pytest.approx(vertical)
