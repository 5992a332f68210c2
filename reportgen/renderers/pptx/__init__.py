"""The deck renderer: plans an event's slides with real font metrics, then emits them as a .pptx drawn in the
theme's own look, or on the slide masters and layouts of the theme's corporate PowerPoint template.

The layers, each importing only those before it: spec (the plain records of a plan), measure (typesetting),
frames and plan (the pure planner), then template (reading a corporate template) and emit (drawing the plan),
the only modules that import python-pptx. RENDERER is made on first use, which loads python-pptx; the planner
can be imported and run without it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, ClassVar

from .plan import plan_slides

if TYPE_CHECKING:
    from ...errors import Reporter
    from ...model import Event
    from ...options import RenderOptions

__all__ = ["RENDERER", "PptxRenderer", "plan_slides"]


class PptxRenderer:
    """Renders an event as a PowerPoint deck with python-pptx."""

    name: ClassVar[str] = "pptx"
    suffix: ClassVar[str] = ".pptx"

    def render(self, event: Event, options: RenderOptions, report: Reporter) -> bytes:
        """Return the .pptx bytes; warnings (split sessions, missing fonts, no room for the logo) go to
        `report`. Raises RenderError for a template that cannot be used or text that cannot fit."""
        from .emit import Base, emit, logo_ink
        from .measure import Typesetter
        from .plan import plan_deck

        theme = options.theme
        base = Base(theme)
        # One typesetter measures the plan and then sets its runs: each font stack is built once.
        typesetter = Typesetter(theme, event.meta.language, report)
        plan = plan_deck(event, options, report, base.canvas, typesetter, logo_ink(theme, base.canvas))
        return emit(plan, event.meta, options, base=base, typesetter=typesetter)


def __getattr__(name: str) -> PptxRenderer:
    """RENDERER, made when the registry first asks for it. Loading python-pptx then, not when the package is
    imported, keeps the planner free of it, while a build's worker still loads it as soon as it picks its
    renderer, before the event to draw arrives."""
    if name != "RENDERER":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    importlib.import_module(f"{__name__}.emit")
    renderer = globals()["RENDERER"] = PptxRenderer()
    return renderer
