"""The output folder: made ready for a build, a target's file names in it, files written atomically."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from .. import renderers
from ..errors import OutputError
from .targets import Target

STALE_TEMP_SECONDS = 3600
"""Temporary files of ours older than this in an output folder are left-overs of a killed build and are removed."""

TEMP_PREFIX = ".reportgen-"
_OURS = re.compile(r"\.reportgen-\d+-[A-Za-z0-9_]+\.tmp")
"""The name of every temporary file reportgen writes (`.reportgen-<pid>-<random>.tmp`): only these are ever
cleaned up, so a user's own `.draft.tmp` next to the outputs is never touched."""

_LIVE: set[str] = set()
"""Temporary files this process is writing now: removed by remove_live_temporaries() when it is stopped."""


def _temporary(folder: Path) -> tuple[int, str]:
    handle, temp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=".tmp", dir=folder)
    _LIVE.add(temp)
    return handle, temp


def _discard(temp: str) -> None:
    _LIVE.discard(temp)
    Path(temp).unlink(missing_ok=True)


def remove_live_temporaries() -> None:
    """Remove every temporary file this process has open (for a signal handler that is about to exit)."""
    for temp in list(_LIVE):
        with contextlib.suppress(OSError):
            os.unlink(temp)
    _LIVE.clear()


def stage(target: Path, data: bytes) -> str:
    """Write `data` to a new temporary file of ours next to `target`, flushed and fsynced; return its path.

    The temporary file is removed on any failure; the caller moves it into place (os.replace) or discards it.
    """
    handle, temp = _temporary(target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)
    except BaseException:
        _discard(temp)
        raise
    return temp


def _settle(temp: str, target: Path) -> None:
    try:
        os.replace(temp, target)
    except BaseException:
        _discard(temp)
        raise
    _LIVE.discard(temp)


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a unique temporary file in the same folder and os.replace().

    Readers see the old file or the new one, never a part; the temporary file is removed on any failure.
    """
    _settle(stage(target, data), target)


def check_replaceable(path: Path) -> None:
    """Raise OutputError when `path` exists as something a new file cannot replace (a folder, a device)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise OutputError(f"{path}: cannot be written: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{path}: cannot be written: a folder has this name")
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        raise OutputError(f"{path}: cannot be written: it exists and is not a regular file")


def write_all(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write a target's files all or nothing, as far as a file system allows: each destination is checked,
    every file is written in full to a temporary one, and only then are they moved into place. Raises
    OutputError naming the first file that cannot be written; nothing has been replaced then."""
    for path, _ in files:
        check_replaceable(path)
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            try:
                staged.append((stage(path, data), path))
            except OSError as error:
                raise OutputError(f"{path}: cannot be written: {error.strerror or error}") from None
        for _, path in staged:  # checked again: the folder may have changed while the files were written
            check_replaceable(path)
        while staged:
            temp, path = staged[0]
            try:
                _settle(temp, path)
            except OSError as error:
                raise OutputError(f"{path}: cannot be written: {error.strerror or error}") from None
            staged.pop(0)
    finally:
        for temp, _ in staged:
            _discard(temp)


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
    for leftover in out_dir.glob(f"{TEMP_PREFIX}*.tmp"):  # left by a build that was killed mid-write
        if not _OURS.fullmatch(leftover.name):
            continue  # not a name we give: somebody else's file
        with contextlib.suppress(OSError):
            info = leftover.lstat()
            # Younger ones may belong to a build running now; only regular files, never a link's target.
            if stat.S_ISREG(info.st_mode) and info.st_mtime < cutoff:
                leftover.unlink()
