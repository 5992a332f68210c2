"""Text dumps of built documents as a reader sees them, for the golden files under tests/golden/.

One line per paragraph (Word: with its style), per text line (PDF: as drawn, left to right) or per
paragraph of a slide's shape (deck, slides in order, then their notes). Links are written [text](target).
A change to what a document says shows as a diff of these files in review.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation
from pypdf import PdfReader

_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def dump(path: Path) -> str:
    """The golden text of a .docx, .pdf or .pptx file."""
    data = path.read_bytes()
    lines = {".docx": _docx, ".pdf": _pdf, ".pptx": _pptx}[path.suffix](data)
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _docx(data: bytes) -> list[str]:
    document = Document(io.BytesIO(data))
    rels = document.part.rels
    lines: list[str] = []
    for paragraph in document.element.body.iter(qn("w:p")):
        style = paragraph.style or "Normal"
        name = document.styles.get_by_id(style, 1).name if style != "Normal" else "Normal"
        text = _docx_text(paragraph, rels)
        if text.strip():
            lines.append(f"[{name}] {text}")
    for section in document.sections:
        for paragraph in section.footer.paragraphs:
            if paragraph.text.strip():
                lines.append(f"[footer] {paragraph.text}")
    return lines


def _docx_text(paragraph: Any, rels: Any) -> str:
    parts: list[str] = []
    for child in paragraph.iterchildren():
        if child.tag == qn("w:r"):
            parts.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:hyperlink"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            rid = child.get(_R_ID)
            parts.append(f"[{text}]({rels[rid].target_ref})" if rid in rels else text)
        elif child.tag == qn("w:fldSimple"):
            parts.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
    return "".join(parts)


def _pdf(data: bytes) -> list[str]:
    from .renderers.test_pdf import drawn_lines

    reader = PdfReader(io.BytesIO(data))
    lines: list[str] = []
    for number, page in enumerate(reader.pages, 1):
        lines.append(f"## page {number}")
        lines.extend(drawn_lines(page))
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                lines.append(f"link: {action['/URI']}")
    return lines


def _pptx(data: bytes) -> list[str]:
    deck = Presentation(io.BytesIO(data))
    lines: list[str] = []
    for number, slide in enumerate(deck.slides, 1):
        lines.append(f"## slide {number}")
        for shape in slide.shapes:
            if shape.has_text_frame:
                lines.extend(_pptx_paragraphs(shape.text_frame, slide.part.rels))
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            if notes is not None and notes.text.strip():
                lines.extend(f"notes: {line}" for line in _pptx_paragraphs(notes, slide.notes_slide.part.rels))
    return lines


def _pptx_paragraphs(frame: Any, rels: Any) -> list[str]:
    out: list[str] = []
    for paragraph in frame.paragraphs:
        pieces: list[tuple[str, str | None]] = []  # (text, link target); a link cut into runs is joined again
        for r in paragraph._p.iterchildren():
            if r.tag in (qn("a:r"), qn("a:fld")):
                text = "".join(t.text or "" for t in r.iter(qn("a:t")))
                link = r.find(f"{qn('a:rPr')}/{qn('a:hlinkClick')}")
                rid = link.get(_R_ID) if link is not None else None
                target = rels[rid].target_ref if rid and rid in rels else None
                if pieces and target and pieces[-1][1] == target:
                    pieces[-1] = (pieces[-1][0] + text, target)
                else:
                    pieces.append((text, target))
        text = "".join(f"[{piece}]({target})" if target else piece for piece, target in pieces)
        if text.strip():
            out.append(text)
    return out
