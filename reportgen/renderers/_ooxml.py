"""Zip normalisation shared by the OOXML renderers (docx, pptx): fixed entry times so output is reproducible."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

_ZIP_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)


def normalize_zip(data: bytes, when: datetime) -> bytes:
    """Return the package with every entry stamped `when` (zip cannot go before 1980) and fixed attributes.

    python-docx and python-pptx stamp entries with the clock; rewriting them is what makes two builds of
    the same source byte-identical. Entry order and content are kept.
    """
    stamp = max(when.astimezone(UTC), _ZIP_EPOCH).timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(item.filename))
    return out.getvalue()
