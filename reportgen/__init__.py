"""reportgen: one YAML source of a conference's key outcomes -> a Word summary, a PDF brief and a PowerPoint deck.

The public API (reportgen.api, docs/api.md) is loaded lazily so that `reportgen --help` does not pay for YAML
or the renderers. Its names are functions and classes whatever was imported before: no submodule shares one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

__all__ = [
    "BuildReport",
    "Event",
    "RenderOptions",
    "ReportgenError",
    "Result",
    "SourceInvalid",
    "__version__",
    "build",
    "from_data",
    "load",
    "load_event",
    "render",
]

if TYPE_CHECKING:
    from .api import build, from_data, load, render
    from .building import BuildReport, Result
    from .errors import ReportgenError, SourceInvalid
    from .loader import load_event
    from .model import Event
    from .options import RenderOptions

_LAZY = {
    "build": "api",
    "from_data": "api",
    "load": "api",
    "render": "api",
    "load_event": "loader",
    "BuildReport": "building",
    "Result": "building",
    "Event": "model",
    "RenderOptions": "options",
    "ReportgenError": "errors",
    "SourceInvalid": "errors",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'reportgen' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # found once; a submodule import never replaces it (none has a public API name)
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
