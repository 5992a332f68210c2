"""`reportgen check`: files broken on purpose -- an untagged PDF, a light colour, a missing slide title, a
picture without alt text -- are reported at their place; what reportgen builds passes the Word and
PowerPoint rules; findings as text or JSON, exit 1 on errors."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from reportgen.check import Finding, check
from reportgen.cli import main
from reportgen.errors import Reporter
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers import get
from reportgen.theme import Theme, load_theme

from ..conftest import png_bytes


def _render(event: Event, options: RenderOptions, kind: str, folder: Path, name: str = "") -> Path:
    path = folder / f"{name or 'out'}.{kind}"
    path.write_bytes(get(kind).render(event, options, Reporter()))
    return path


def _edit(path: Path, part: str, change: Callable[[str], str]) -> Path:
    """Rewrite one part of a zip package in place with `change`."""
    with zipfile.ZipFile(path) as package:
        items = [(info, package.read(info)) for info in package.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info, data in items:
            package.writestr(info, change(data.decode()).encode() if info.filename == part else data)
    path.write_bytes(out.getvalue())
    return path


def _places(findings: list[Finding], rule: str) -> list[str]:
    return [f.place for f in findings if f.rule == rule]


def untagged_pdf() -> bytes:
    """A one-page PDF that paints a line of text with no tags, no language and no metadata."""
    content = b"BT /F1 12 Tf 72 720 Td (Untagged) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# -- broken on purpose --------------------------------------------------------------------------------


def test_an_untagged_pdf_fails_pdf_ua_at_its_page_and_in_its_catalog(tmp_path: Path) -> None:
    path = tmp_path / "untagged.pdf"
    path.write_bytes(untagged_pdf())
    findings = check([path])
    assert _places(findings, "PDFUA1-STRUCT-TREE-ROOT-001") == ["document"]
    assert _places(findings, "PDFUA1-TAGGED-DOCUMENT-001") == ["document"]
    assert "page 1" in _places(findings, "PDFUA1-CONTENT-TAGGING-001")
    assert all(f.severity == "error" and f.file == str(path) and f.hint for f in findings)


def test_a_light_text_colour_in_word_is_reported_at_its_paragraph(
    seed_event: Event, options: RenderOptions, tmp_path: Path
) -> None:
    light = replace(options.theme, muted="#B0B0B0")  # subtitle, moderator lines, footer: 2.2:1
    path = _render(seed_event, replace(options, theme=light), "docx", tmp_path)
    findings = [f for f in check([path]) if f.rule == "DOCX-CONTRAST-001"]
    assert findings and all("#B0B0B0 on #FFFFFF has contrast 2.2:1" in f.hint for f in findings)
    paragraphs = docx.Document(str(path)).paragraphs
    first = int(findings[0].place.removeprefix("paragraph "))
    assert paragraphs[first - 1].style.name == "Subtitle"  # the first muted text, at its place


def test_a_light_text_colour_on_a_slide_is_reported_on_that_slide(
    seed_event: Event, options: RenderOptions, tmp_path: Path
) -> None:
    light = replace(options.theme, muted="#B0B0B0")  # the footer of content slides
    path = _render(seed_event, replace(options, theme=light), "pptx", tmp_path)
    places = _places(check([path]), "PPTX-CONTRAST-001")
    assert "slide 1" not in places and "slide 2" in places  # the title slide has no footer


def test_a_missing_slide_title_is_reported_on_its_slide(
    seed_event: Event, options: RenderOptions, tmp_path: Path
) -> None:
    path = _render(seed_event, options, "pptx", tmp_path)
    assert check([path]) == []

    def drop_title(xml: str) -> str:
        return re.sub(r'<p:sp><p:nvSpPr><p:cNvPr id="\d+" name="Title"/>.*?</p:sp>', "", xml, count=1)

    _edit(path, "ppt/slides/slide3.xml", drop_title)
    assert [(f.place, f.rule, f.severity) for f in check([path])] == [("slide 3", "PPTX-TITLE-001", "error")]


@pytest.fixture
def logo_theme(make_theme: Callable[..., Theme]) -> Theme:
    return make_theme(files={"logo.png": png_bytes()}, logo="logo.png", logo_alt="Alliance 8.7")


def test_a_picture_without_alt_text_is_reported_in_word_and_on_slides(
    seed_event: Event, logo_theme: Theme, tmp_path: Path
) -> None:
    options = RenderOptions(theme=logo_theme)
    word = _render(seed_event, options, "docx", tmp_path)
    deck = _render(seed_event, options, "pptx", tmp_path)
    assert check([word, deck]) == []

    def no_alt(xml: str) -> str:
        return xml.replace('descr="Alliance 8.7"', 'descr=""')

    _edit(word, "word/document.xml", no_alt)
    _edit(deck, "ppt/slides/slide1.xml", no_alt)
    assert [(f.place, f.rule) for f in check([word])] == [("paragraph 1", "DOCX-ALT-001")]
    assert [(f.place, f.rule) for f in check([deck])] == [("slide 1", "PPTX-ALT-001")]


def test_heading_gaps_tables_without_header_rows_and_empty_spacing_are_reported(tmp_path: Path) -> None:
    document = docx.Document()
    document.core_properties.title = "Made by hand"
    document.core_properties.language = "en-GB"
    document.add_heading("Day one", level=1)
    document.add_heading("A session", level=3)
    document.add_paragraph("")
    document.add_paragraph("")
    document.add_paragraph("After two empty paragraphs.")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "Header?"
    path = tmp_path / "hand.docx"
    document.save(str(path))
    found = {(f.rule, f.place, f.severity) for f in check([path])}
    assert found == {
        # python-docx's own Heading 3 is #4F81BD: 3.9:1 on white, for 12 pt bold (not large) text.
        ("DOCX-CONTRAST-001", "paragraph 2", "error"),
        ("DOCX-HEADING-001", "paragraph 2", "warning"),
        ("DOCX-EMPTY-001", "paragraph 3", "warning"),
        ("DOCX-TABLE-001", "paragraph 6", "error"),
    }


def test_a_word_file_without_title_or_language_is_reported(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Text.")
    path = tmp_path / "bare.docx"
    document.save(str(path))
    rules = {f.rule for f in check([path])}
    assert "DOCX-TITLE-001" in rules


# -- what reportgen builds ------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["default", "high-contrast", "print"])
def test_word_and_deck_from_every_example_pass_every_rule(example_event: Event, theme: str, tmp_path: Path) -> None:
    options = RenderOptions(theme=load_theme(theme))
    paths = [_render(example_event, options, kind, tmp_path) for kind in ("docx", "pptx")]
    assert [str(f) for f in check(paths)] == []


# -- the command line -----------------------------------------------------------------------------------


def test_check_prints_located_findings_and_exits_1_on_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "untagged.pdf"
    path.write_bytes(untagged_pdf())
    with pytest.raises(SystemExit) as exit_:
        main(["check", str(path)])
    assert exit_.value.code == 1
    out, err = capsys.readouterr()
    assert f"{path}: document: error: PDFUA1-STRUCT-TREE-ROOT-001: " in out
    assert "1 file checked: " in err


def test_check_json_lists_every_finding_with_its_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("not a document")
    with pytest.raises(SystemExit):
        main(["check", "--json", str(bad)])
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {
            "file": str(bad),
            "place": "file",
            "rule": "CHECK-KIND-001",
            "hint": "not a PDF, Word (.docx) or PowerPoint (.pptx) file",
            "severity": "error",
        }
    ]


def test_a_clean_file_exits_0(seed_event: Event, options: RenderOptions, tmp_path: Path) -> None:
    path = _render(seed_event, options, "docx", tmp_path)
    main(["check", str(path)])  # no SystemExit


def test_build_check_checks_what_was_just_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = Path(__file__).resolve().parents[2] / "data" / "key-outcomes.yaml"
    main(["build", str(seed), "-o", str(tmp_path), "-f", "docx,pptx", "-q", "--check"])
    assert "2 files checked: 0 errors, 0 warnings" in capsys.readouterr().out
