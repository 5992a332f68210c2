"""Zip normalisation shared by the OOXML renderers (docx, pptx): fixed entry times so output is reproducible;
and the words of a library's complaint about a template, made fit for the user."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from datetime import UTC, datetime

_STREAM = re.compile(r"'?<_io\.BytesIO object at 0x[0-9a-fA-F]+>'?")


def complaint(error: BaseException, name: str) -> str:
    """A python-docx or python-pptx error about a template read from memory, as the user should read it:
    the in-memory stream it names ("<_io.BytesIO object at 0x7f…>") replaced by the template's file name."""
    return _STREAM.sub(repr(name), str(error))


_ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)
_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"


def normalize_zip(data: bytes, when: datetime) -> bytes:
    """Return the package with every entry stamped `when` (zip cannot go before 1980) and fixed attributes
    (made on "MS-DOS", mode 644), as if written by zipfile with those values.

    python-docx and python-pptx stamp entries with the clock; rewriting them is what makes two builds of
    the same source byte-identical. The headers are patched in place: entry order, names and compressed
    data are kept as written, never inflated and deflated again. Raises ValueError for a package whose
    headers are not where its central directory says (not one python-docx or python-pptx wrote).
    """
    year, month, day, hour, minute, second = max(when.astimezone(UTC), _ZIP_EPOCH).timetuple()[:6]
    stamp = struct.pack("<HH", (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day)
    attributes = struct.pack("<I", 0o644 << 16)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        entries = package.infolist()
        central: int = package.start_dir  # set by ZipFile when it reads the central directory
    out = bytearray(data)
    for entry in entries:
        local = entry.header_offset
        if out[local : local + 4] != _LOCAL or out[central : central + 4] != _CENTRAL:
            raise ValueError(f"zip entry {entry.filename!r} is not where the central directory says")
        out[local + 10 : local + 14] = stamp
        out[central + 5] = 0  # "version made by": its high byte is the system, 0 for MS-DOS
        out[central + 12 : central + 16] = stamp
        out[central + 38 : central + 42] = attributes
        names, extra, comment = struct.unpack_from("<HHH", out, central + 28)
        central += 46 + names + extra + comment
    return bytes(out)
