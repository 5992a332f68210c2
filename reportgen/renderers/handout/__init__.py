"""The handout format, registered as "handout" (files NAME.handout.pdf): the deck's slides with their speaker
notes on paper. Its renderer draws with the PDF backend and so lives with it, in renderers/pdf/handout.py,
where reportlab may be imported; this package only registers it, and loads it when the format is asked for."""

from __future__ import annotations

from ..pdf.handout import RENDERER, HandoutRenderer

__all__ = ["RENDERER", "HandoutRenderer"]
