"""Fonts found and measured: a shim for `reportgen.text.fonts`, kept while renderers move there."""

from __future__ import annotations

from .text.breaking import wrap
from .text.fonts import (
    FALLBACK_FAMILY,
    INSTALL_HINT,
    METRIC_EQUIVALENTS,
    Metrics,
    find_font,
    font_stack,
    installed_fonts_digest,
    metrics,
    require_font,
    uncovered,
)

__all__ = [
    "FALLBACK_FAMILY",
    "INSTALL_HINT",
    "METRIC_EQUIVALENTS",
    "Metrics",
    "find_font",
    "font_stack",
    "installed_fonts_digest",
    "metrics",
    "require_font",
    "uncovered",
    "wrap",
]
