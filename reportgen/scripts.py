"""Scripts and directions of text: a shim for `reportgen.text.scripts`, kept while renderers move there."""

from __future__ import annotations

from .text.scripts import NO_LINE_END, NO_LINE_START, Slot, is_rtl, slot, slots

__all__ = ["NO_LINE_END", "NO_LINE_START", "Slot", "is_rtl", "slot", "slots"]
