"""The output folder: made ready for a build, a target's file names in it, files written atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from .. import renderers
from ..errors import OutputError
from .targets import Target

STALE_TEMP_SECONDS = 3600
"""Temporary files older than this in an output folder are left-overs of a killed build and are removed."""


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a unique temporary file in the same folder and os.replace().

    Readers see the old file or the new one, never a part; the temporary file is removed on any failure.
    """
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def outputs_of(target: Target, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """The files a target writes, in format order."""
    return [out_dir / (target.stem + renderers.suffix(name)) for name in formats]


def prepare_output_dir(out_dir: Path) -> None:
    """Create the output folder if needed; raise OutputError when it cannot hold our files."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: the output path exists and is not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out_dir}: cannot create the output folder: {error.strerror or error}") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise OutputError(f"{out_dir}: the output folder is not writable")
    cutoff = time.time() - STALE_TEMP_SECONDS
    for leftover in out_dir.glob(".*.tmp"):  # left by a build that was killed mid-write
        with contextlib.suppress(OSError):
            if leftover.stat().st_mtime < cutoff:  # younger ones may belong to a build running now
                leftover.unlink()
