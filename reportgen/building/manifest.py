"""Incremental builds: fingerprints of what each target's outputs were built from, kept in a manifest."""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import ReportgenError
from ..options import RenderOptions
from ..safefile import Unreadable, read_regular
from ..theme import Theme
from .files import write_atomically
from .targets import STDIN, Target, cached_theme

if TYPE_CHECKING:
    from .batch import Result


MANIFEST = ".reportgen-manifest.json"
"""File in the output folder recording what each output was built from, for incremental builds."""

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
"""Largest manifest read; a split build of 8,000 sessions writes about 3 MB."""


def theme_digest(theme: Theme) -> str:
    """A digest of a theme's settings and files, and of the font files installed on this machine."""
    from ..text.fonts import installed_fonts_digest

    return hashlib.sha256(f"{theme.fingerprint()}\0{installed_fonts_digest()}".encode()).hexdigest()


def _settings_digest(formats: Sequence[str], options: RenderOptions, theme: str | None) -> str:
    """Everything besides the source that affects the outputs: version, formats, options, theme, fonts."""
    settings = {
        "version": __version__,
        "formats": list(formats),
        "options": [options.page_size, options.strict, str(options.build_time)]
        + ([repr(options.previous)] if options.previous is not None else []),  # build --since: its actions
        "theme": theme_digest(cached_theme(theme, None) if theme else options.theme),
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


@functools.lru_cache(maxsize=64)
def _digest(path: str, limit: int, _size: int, _mtime_ns: int) -> bytes | None:
    """The SHA-256 of a file, read safely (a FIFO or a device is no source), once per version of the file:
    the targets of a --split source share it (and its editions their PO file), where each used to read and
    hash the whole file again (quadratic in its sessions). None when it cannot be read."""
    from ..safefile import Unreadable, read_regular

    try:
        return hashlib.sha256(read_regular(path, limit)).digest()
    except (Unreadable, OSError):
        return None


def file_digest(path: str | Path, limit: int) -> bytes | None:
    """The SHA-256 of the file at `path` (at most `limit` bytes), as _digest keeps it; None when it is
    missing or cannot be read."""
    try:
        info = Path(path).stat()
    except OSError:
        return None
    return _digest(str(path), limit, info.st_size, info.st_mtime_ns)


def _fingerprint(target: Target, settings: str) -> str | None:
    """What a target's outputs were built from; None when it cannot be known (standard input)."""
    if target.text is not None or target.source == STDIN:
        return None
    from ..loader import MAX_SOURCE_BYTES

    try:
        info = Path(target.source).stat()
    except OSError:
        return None
    source = _digest(target.source, MAX_SOURCE_BYTES, info.st_size, info.st_mtime_ns)
    if source is None:
        return None
    digest = hashlib.sha256(source)
    digest.update(json.dumps([settings, list(target.only), int(info.st_mtime)]).encode())
    if target.language is not None:  # an edition: its PO file too, so that a change to it rebuilds it alone
        from .editions import edition_digest

        digest.update(edition_digest(target))
    return digest.hexdigest()


def _stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


class Manifest:
    """The record in the output folder of what each target was last built from and what it wrote."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST
        self.entries: dict[str, dict[str, object]] = {}
        self.warning: str | None = None  # why the manifest was not used, when it was there but bad
        self.changed = False
        if not os.path.lexists(self.path):
            return
        # Anyone who may write to the output folder may have put anything here: read it like a theme's file
        # (regular, no link, non-blocking, capped), and let any damage mean "rebuild everything", not a crash.
        try:
            data = json.loads(read_regular(self.path, MAX_MANIFEST_BYTES, follow_links=False))
            entries = data["targets"]
            if not isinstance(entries, dict):
                raise TypeError("'targets' is not a mapping")
        except (Unreadable, ValueError, KeyError, TypeError, RecursionError) as why:
            self.warning = f"{self.path}: ignored, so every target is rebuilt: {_reason(why)}"
            self.changed = True  # replaced by a good one at the end of the build
            return
        self.entries = {k: v for k, v in entries.items() if isinstance(v, dict)}

    def is_current(self, target: Target, fingerprint: str | None, outputs: list[Path]) -> bool:
        """True when the target's outputs exist unchanged and were built from the same inputs."""
        entry = self.entries.get(target.stem)
        if fingerprint is None or not entry or entry.get("fingerprint") != fingerprint:
            return False
        stamps = entry.get("outputs", {})
        if not (isinstance(stamps, dict) and all(stamps.get(p.name) == _stamp(p) for p in outputs)):
            return False
        recorded = entry.get("theme")  # the source's own `theme:`, whose files may have changed since
        if isinstance(recorded, list) and len(recorded) == 2:
            try:
                return bool(theme_digest(cached_theme(str(recorded[0]), None)) == recorded[1])
            except ReportgenError:
                return False
        return True

    def record(self, result: Result, fingerprint: str | None) -> None:
        """Remember a successful build; forget a failed one so it is retried."""
        if result.status == "built" and fingerprint is not None:
            outputs = {p.name: _stamp(p) for p in result.outputs}
            self.entries[result.target.stem] = {"fingerprint": fingerprint, "outputs": outputs, "theme": result.theme}
            self.changed = True
        elif result.status == "failed" and self.entries.pop(result.target.stem, None) is not None:
            self.changed = True

    def save(self) -> str | None:
        """Write the manifest atomically (sorted, so it diffs well) if anything changed; return why it could
        not be written (a full disk, a folder in its place), or None. A manifest not saved costs only the
        next build's skipping of what is up to date."""
        if not self.changed:
            return None
        data = json.dumps({"version": 1, "targets": self.entries}, indent=1, sort_keys=True).encode()
        try:  # whatever was planted under our name (a FIFO, a link) is replaced; a folder cannot be
            write_atomically(self.path, data + b"\n")
        except OSError as error:
            return f"{self.path}: cannot be written: {error.strerror or error}; the next build rebuilds every target"
        return None


def _reason(error: BaseException) -> str:
    if isinstance(error, RecursionError):
        return "nested too deeply"
    if isinstance(error, KeyError):
        return f"no {error} key"
    return str(error) or type(error).__name__
