"""PDF/UA-1 for PDF files through page-validation (veraPDF's rules, no Java): one finding per failed rule,
at the page its object lies on where that can be told."""

from __future__ import annotations

import re

from . import Finding

_PAGE = re.compile(r"\bpage (\d+)\b")


def check(name: str, data: bytes) -> list[Finding]:
    """The PDF/UA-1 failures of the PDF `name` whose bytes are `data`, each with its rule id and the
    validator's one-line message; a file the validator cannot read is one finding."""
    import page

    # A long brief's outline is a chain of /Next references deeper than the validator's default limit of
    # 256 (8,000 sessions); the other limits, on sizes and counts, stay as they are.
    limits = page.SafetyLimits(max_reference_depth=1_000_000)
    try:
        report = page.validate_pdf_bytes(data, profile=page.ValidationProfile.PDF_UA_1, limits=limits)
    except page.PageError as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        return [Finding(name, "document", "PDF-READ-001", f"cannot be validated: {first}")]
    failures = report.failures
    pages = _object_pages(data) if any(f.object_id is not None for f in failures) else {}
    found = []
    for failure in failures:
        message = " ".join(failure.message.split())
        place = "document"
        mentioned = _PAGE.search(message)
        if mentioned:
            place = f"page {mentioned.group(1)}"
        elif failure.object_id is not None and failure.object_id.object_number in pages:
            place = f"page {pages[failure.object_id.object_number]}"
        found.append(Finding(name, place, failure.rule_id, message))
    return found


def _object_pages(data: bytes) -> dict[int, int]:
    """Object number -> page number for each page object and what it holds directly (annotations, content
    streams), read with pikepdf where it is installed; {} otherwise (findings then say "document")."""
    try:
        import pikepdf
    except ImportError:
        return {}
    import io

    found: dict[int, int] = {}
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                objects: list[pikepdf.Object] = [page.obj]
                for key in ("/Annots", "/Contents"):
                    value = page.obj.get(key)
                    if isinstance(value, pikepdf.Array):
                        objects.extend(value)
                    elif value is not None:
                        objects.append(value)
                for item in objects:
                    if getattr(item, "is_indirect", False):
                        found.setdefault(item.objgen[0], number)
    except pikepdf.PdfError:
        return {}
    return found
