"""reportgen: one YAML source of a conference's key outcomes -> a Word summary, a PDF brief and a PowerPoint deck.

The public API is loaded lazily so that `reportgen --help` does not pay for YAML or the renderers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["__version__", "build", "load_event", "render"]

if TYPE_CHECKING:
    from .build import build
    from .loader import load_event
    from .model import Event
    from .options import RenderOptions


def render(event: Event, format: str, options: RenderOptions | None = None) -> bytes:
    """Render a loaded event in one format ("docx", "pdf", "pptx") and return the document's bytes."""
    from .errors import Reporter
    from .options import RenderOptions as Options
    from .renderers import get

    return get(format).render(event, options or Options(), Reporter())


def __getattr__(name: str) -> Any:
    if name == "load_event":
        from .loader import load_event

        return load_event
    if name == "build":
        from .build import build

        return build
    raise AttributeError(f"module 'reportgen' has no attribute {name!r}")
