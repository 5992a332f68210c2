"""The renderer interface and registry: output format name -> renderer. A new format is one module here
plus its name in BUILTIN."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, ClassVar, Protocol

from ..errors import UnknownFormat

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from ..errors import Reporter
    from ..model import Event
    from ..options import RenderOptions

BUILTIN: dict[str, str] = {"docx": ".docx", "pdf": ".pdf", "pptx": ".pptx", "handout": ".handout.pdf"}
"""Registered formats and their files' suffixes, in the order they are built. Each names a module here that
defines RENDERER (with the same suffix). Names and suffixes are known without importing a renderer, so
planning a build, and checking its formats, costs none of the rendering libraries' import time."""

DEFAULTS: tuple[str, ...] = ("docx", "pdf", "pptx")
"""The formats built when none are named: the handout is asked for (-f handout), as it repeats the deck."""


class Renderer(Protocol):
    """Turns an event into the bytes of one document; writes no files and prints nothing."""

    name: ClassVar[str]  # value accepted by --format, e.g. "pptx"
    suffix: ClassVar[str]  # output file suffix, e.g. ".pptx"

    def render(self, event: Event, options: RenderOptions, report: Reporter) -> bytes:
        """Return the complete document; report warnings through `report`; raise RenderError if impossible."""
        ...


def available() -> list[str]:
    """Names of every registered format, in build order."""
    return list(BUILTIN)


def defaults() -> list[str]:
    """Names of the formats built when none are named, in build order."""
    return list(DEFAULTS)


def suffix(name: str) -> str:
    """The suffix of the files of format `name` (".pptx"), without importing its renderer; raise
    UnknownFormat for a name not registered."""
    if name not in BUILTIN:
        raise UnknownFormat(name, choices=available())
    return BUILTIN[name]


def get(name: str) -> Renderer:
    """Return the renderer registered as `name` (imported on first use); raise UnknownFormat otherwise."""
    if name not in BUILTIN:
        raise UnknownFormat(name, choices=available())
    renderer: Renderer = importlib.import_module(f"{__name__}.{name}").RENDERER
    return renderer


def kept_outcomes(outcomes: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """Each of a session's outcomes with whether it must stay on the page of the one after it, for the
    formats that break pages: the first and the last but one must, so that no page holds a single outcome
    of a session broken over two pages, and a session of two or three outcomes stays in one piece."""
    kept = (0, len(outcomes) - 2) if len(outcomes) > 1 else ()
    for i, outcome in enumerate(outcomes):
        yield outcome, i in kept
