"""Reading a file someone else may have planted: a regular file only, opened so that nothing can hang or flood us.

Sources, theme files and the build manifest are all read through read_regular, so that a FIFO cannot block a
build, a device such as /dev/zero cannot fill memory, and (where asked) a symbolic link cannot lead elsewhere.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class Unreadable(Exception):
    """The file cannot be read safely; str() says why, without the path (the caller names the file)."""


def read_regular(path: Path | str, limit: int, follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; raise Unreadable for anything else.

    The file is opened non-blocking (a FIFO cannot hang the caller) and checked on the open descriptor
    (no race between the check and the read): a FIFO, a device, a socket or a folder is refused, as is a file
    over `limit` bytes, and nothing is read beyond the limit even if the file grows meanwhile. Without
    `follow_links`, a symbolic link at `path` itself is refused.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
        if os.path.islink(path):  # O_NOFOLLOW's ELOOP says the same less clearly
            raise Unreadable("is a symbolic link")
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise Unreadable(f"cannot be opened: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):  # a folder, a device, a FIFO, a socket
            raise Unreadable("is not a regular file")
        if info.st_size > limit:
            raise Unreadable(f"is {info.st_size:,} bytes; the limit is {limit:,}")
        chunks, left = [], limit + 1  # never past the limit, even if the file grows meanwhile
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    except OSError as error:
        raise Unreadable(f"cannot be read: {error.strerror or error}") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise Unreadable(f"is larger than the limit of {limit:,} bytes")
    return data
