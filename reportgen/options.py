"""RenderOptions: everything a renderer may consult besides the event, built in one place by the CLI."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .theme import DEFAULT_THEME, Theme

if TYPE_CHECKING:
    from .model import Event

PAPER_SIZES = ("A4", "Letter")


def build_time_from_env(fallback: datetime | None = None) -> datetime:
    """Return SOURCE_DATE_EPOCH as an aware UTC datetime; else `fallback`; else 2000-01-01 (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return fallback or datetime(2000, 1, 1, tzinfo=UTC)


def cache_dir_from_env() -> Path | None:
    """The folder for caches that only save time (parsed fonts): REPORTGEN_CACHE_DIR if set (empty: no
    cache), else $XDG_CACHE_HOME/reportgen, else ~/.cache/reportgen; None when no home is known."""
    chosen = os.environ.get("REPORTGEN_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    if base and os.path.isabs(base):
        return Path(base) / "reportgen"
    home = os.path.expanduser("~")
    return Path(home) / ".cache" / "reportgen" if home != "~" else None


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Everything a renderer may consult besides the event itself.

    `build_time` is stamped into every timestamp a format carries (document properties, zip entries, PDF
    dates), so the same event and options always give the same bytes; None means SOURCE_DATE_EPOCH, else
    a fixed date (the build sets it to the source file's modification time). `paper` overrides the theme's
    page size. `cache_dir` holds what renderers may keep between runs to save time (never anything that
    changes a document); None: no cache. `previous` is the last meeting's event, which the documents compare
    the actions with (build --since); None: no comparison.
    """

    theme: Theme = DEFAULT_THEME
    build_time: datetime | None = None
    paper: str | None = None
    strict: bool = False
    cache_dir: Path | None = field(default_factory=cache_dir_from_env)
    previous: Event | None = None  # the last meeting's source (build --since): "Since the last meeting"

    @property
    def timestamp(self) -> datetime:
        """The build time to stamp, as an aware UTC datetime (never the clock)."""
        return self.build_time or build_time_from_env()

    @property
    def page_size(self) -> str:
        """ "A4" or "Letter": the option if given, else the theme's."""
        return self.paper or self.theme.page_size
