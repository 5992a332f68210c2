"""Theme: the fonts, colours and sizes that every renderer draws from, so the three outputs look like one family."""

from __future__ import annotations

from dataclasses import dataclass


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """Return "#1F4E79" as (31, 78, 121)."""
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@dataclass(frozen=True, slots=True)
class Theme:
    """One brand kit for all formats. Colours are "#RRGGBB"; sizes are points unless named otherwise."""

    name: str = "default"
    # Colours
    primary: str = "#1B3A5C"  # headings, title slide background
    accent: str = "#E07A2F"  # rules, bullets, session codes
    text: str = "#1F2328"
    muted: str = "#5B6770"  # subtitles, footers, metadata lines
    background: str = "#FFFFFF"
    # Fonts, as named in the Word and PowerPoint files (Calibri is measured and embedded as its
    # metric-compatible twin Carlito where Calibri itself is not installed).
    heading_font: str = "Calibri"
    body_font: str = "Calibri"
    # Document sizes
    title_size: float = 28
    subtitle_size: float = 16
    heading1_size: float = 18
    heading2_size: float = 13
    body_size: float = 11
    # Page
    page_size: str = "A4"  # or "Letter"
    margin_mm: float = 20
    # Deck
    slide_title_size: float = 30
    slide_body_size: float = 22  # preferred size of outcome bullets
    slide_min_body_size: float = 18  # never smaller: split onto a continuation slide instead
    footer_text: str | None = None  # defaults to the event's title


DEFAULT_THEME = Theme()
