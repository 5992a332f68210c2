"""The zip normalisation shared by the Word and PowerPoint renderers."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportgen.renderers._ooxml import normalize_zip

WHEN = datetime(2031, 2, 3, 4, 5, 7, tzinfo=UTC)


def _package(**entries: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:  # as python-docx and python-pptx save
        for name, data in entries.items():
            package.writestr(name.replace("__", "/").replace("_", "."), data)
    return out.getvalue()


def _rewritten(data: bytes, when: datetime) -> bytes:
    """What normalize_zip must equal: every entry read and written again by zipfile with the fixed values."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def test_the_headers_are_patched_to_the_bytes_zipfile_would_write_with_fixed_values() -> None:
    data = _package(_rels__rels=b"<Relationships/>" * 50, word__document_xml="<w:document>é</w:document>".encode())
    assert normalize_zip(data, WHEN) == _rewritten(data, WHEN.replace(second=6))  # zip keeps even seconds


def test_entries_keep_their_order_names_and_content() -> None:
    data = _package(b_xml=b"second" * 100, a_xml=b"first", c__d_xml=b"")
    with zipfile.ZipFile(io.BytesIO(normalize_zip(data, WHEN))) as package:
        assert package.namelist() == ["b.xml", "a.xml", "c/d.xml"]
        assert [package.read(n) for n in package.namelist()] == [b"second" * 100, b"first", b""]
        assert {i.date_time for i in package.infolist()} == {(2031, 2, 3, 4, 5, 6)}
        assert package.testzip() is None


def test_a_time_before_1980_is_stamped_as_1980() -> None:
    data = normalize_zip(_package(a_xml=b"x"), datetime(1970, 1, 1, tzinfo=UTC))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert package.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_a_package_whose_directory_does_not_match_its_entries_is_refused() -> None:
    data = bytearray(_package(a_xml=b"x"))
    data[0:4] = b"XXXX"  # the first local header's signature
    with pytest.raises(ValueError, match="not where the central directory says"):
        normalize_zip(bytes(data), WHEN)


def test_a_template_that_is_the_other_kind_of_office_file_is_named_not_shown_as_a_stream(tmp_path: Path) -> None:
    import docx
    import pptx

    from reportgen.errors import RenderError
    from reportgen.renderers.docx.template import _open_reference
    from reportgen.renderers.pptx.template import Template
    from reportgen.theme import DEFAULT_THEME

    deck, document = io.BytesIO(), io.BytesIO()
    pptx.Presentation().save(deck)
    docx.Document().save(document)
    with pytest.raises(RenderError) as refused:
        _open_reference(deck.getvalue(), "brand.docx")
    assert "file 'brand.docx' is not a Word file" in str(refused.value) and "BytesIO" not in str(refused.value)
    theme = dataclasses.replace(DEFAULT_THEME, reference_pptx="brand.pptx")
    with pytest.raises(RenderError) as refused:
        Template(document.getvalue(), theme)
    assert "file 'brand.pptx' is not a PowerPoint file" in str(refused.value) and "BytesIO" not in str(refused.value)
