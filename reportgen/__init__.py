"""reportgen: one YAML source of a conference's key outcomes -> a Word summary, a PDF brief and a PowerPoint deck."""

from __future__ import annotations

from .loader import load_event

__version__ = "0.1.0"

__all__ = ["__version__", "load_event"]
