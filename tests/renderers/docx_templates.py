"""Corporate Word templates for the docx tests, made with python-docx the way a brand team would make one.

The template styles its Title, headings, body text and bullets in its own fonts and colours, has a
letterhead header and a footer, and holds sample body text, a table and a comment that must not reach a
summary built on it. Variants rename the styles as a German or French Word shows them, hide the headings
behind outline levels, drop or break a style, or relabel the package as a .dotx or macro-enabled template.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

import docx
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

BODY_TEXT = ("TEMPLATE BODY: replace this paragraph", "TEMPLATE TABLE CELL", "TEMPLATE HEADING")
"""Text in the template's body; none of it may appear in a summary."""

COMMENT_TEXT = "TEMPLATE COMMENT: reviewed by legal"
HEADER_TEXT = "ACME Alliance · Letterhead"
FOOTER_TEXT = "TEMPLATE FOOTER: page numbers go here"

# Role -> (font, size in points, colour) of the brand, so tests can compare against them.
BRAND = {
    "Normal": ("Georgia", 10.5, "2B2B2B"),
    "Title": ("Trebuchet MS", 30, "7A1F5C"),
    "Subtitle": ("Trebuchet MS", 15, "0E7C7B"),
    "Heading 1": ("Trebuchet MS", 17, "7A1F5C"),
    "Heading 2": ("Trebuchet MS", 12.5, "0E7C7B"),
    "List Bullet": ("Georgia", 10.5, "2B2B2B"),
}

# How Word shows the built-in styles in a German and a French installation: (style id, name).
LOCALISED = {
    "de": {
        "Normal": ("Standard", "Standard"),
        "Title": ("Titel", "Titel"),
        "Subtitle": ("Untertitel", "Untertitel"),
        "Heading 1": ("berschrift1", "Überschrift 1"),
        "Heading 2": ("berschrift2", "Überschrift 2"),
        "List Bullet": ("Aufzhlungszeichen", "Aufzählungszeichen"),
        "List Paragraph": ("Listenabsatz", "Listenabsatz"),
        "Footer": ("Fuzeile", "Fußzeile"),
    },
    "fr": {
        "Normal": ("Normal", "Normal"),
        "Title": ("Titre", "Titre"),
        "Subtitle": ("Sous-titre", "Sous-titre"),
        "Heading 1": ("Titre1", "Titre 1"),
        "Heading 2": ("Titre2", "Titre 2"),
        "List Bullet": ("Listepuces", "Liste à puces"),
        "List Paragraph": ("Paragraphedeliste", "Paragraphe de liste"),
        "Footer": ("Pieddepage", "Pied de page"),
    },
}

_REFERENCES = ("w:basedOn", "w:next", "w:link", "w:pStyle", "w:rStyle")
_TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_MACRO_TEMPLATE_MAIN = b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
_DOCUMENT_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def corporate_template(
    *,
    language: str | None = None,
    outline_only: bool = False,
    drop: Iterable[str] = (),
    unnumbered_bullets: bool = False,
    kind: str = "docx",
) -> bytes:
    """The bytes of a corporate template.

    language: "de" or "fr" renames the styles (ids and names) as Word shows them there.
    outline_only: the headings are renamed "Corp Head A"/"Corp Head B" (ids "CorpA"/"CorpB") and are
        known only by their outline levels.
    drop: built-in style names ("Heading 2", "List Bullet", ...) to remove from the template.
    unnumbered_bullets: List Bullet keeps its look but loses its numbering.
    kind: "docx", "dotx" (template content type) or "dotm" (macro-enabled template with a macro part).
    """
    document = docx.Document()
    styles = document.styles
    for name, (font, size, colour) in BRAND.items():
        style = styles[name]
        rPr = style.element.get_or_add_rPr()
        fonts = rPr.find(qn("w:rFonts"))
        if fonts is not None:
            rPr.remove(fonts)
        style.font.name = font  # ascii and hAnsi
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string(colour)
    styles["Title"].font.bold = True
    # python-docx's Subtitle carries a list level without a list; a real template would not.
    subtitle_pPr = styles["Subtitle"].element.pPr
    subtitle_pPr.remove(subtitle_pPr.find(qn("w:numPr")))
    if unnumbered_bullets:
        bullet_pPr = styles["List Bullet"].element.pPr
        bullet_pPr.remove(bullet_pPr.find(qn("w:numPr")))

    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER_TEXT
    section.footer.paragraphs[0].text = FOOTER_TEXT
    body, cell, heading = BODY_TEXT
    paragraph = document.add_paragraph(body)
    document.add_comment(paragraph.runs, text=COMMENT_TEXT, author="Legal")
    document.add_table(rows=1, cols=1).cell(0, 0).text = cell
    document.add_heading(heading, 1)

    for name in drop:
        element = styles[name].element
        element.getparent().remove(element)
    if outline_only:
        _rename(document, {"Heading 1": ("CorpA", "Corp Head A"), "Heading 2": ("CorpB", "Corp Head B")})
    if language is not None:
        _rename(document, {k: v for k, v in LOCALISED[language].items() if k not in drop})

    stream = io.BytesIO()
    document.save(stream)
    data = stream.getvalue()
    if kind == "dotx":
        data = _relabel(data, _TEMPLATE_MAIN)
    elif kind == "dotm":
        data = _with_macros(_relabel(data, _MACRO_TEMPLATE_MAIN))
    return data


def _rename(document: docx.document.Document, renames: dict[str, tuple[str, str]]) -> None:
    """Give styles new ids and names, and point every reference to an old id (styles, numbering, body) at
    the new one."""
    styles = document.styles
    new_ids: dict[str, str] = {}
    for name, (style_id, new_name) in renames.items():
        style = styles[name]
        new_ids[style.style_id] = style_id
        style.element.set(qn("w:styleId"), style_id)
        style.element.find(qn("w:name")).set(qn("w:val"), new_name)
    roots = [styles.element, document.part.numbering_part.element, document.element]
    for root in roots:
        for tag in _REFERENCES:
            for element in root.iter(qn(tag)):
                old = element.get(qn("w:val"))
                if old in new_ids:
                    element.set(qn("w:val"), new_ids[old])


def _relabel(data: bytes, content_type: bytes) -> bytes:
    return rewrite(data, {"[Content_Types].xml": lambda xml: xml.replace(_DOCUMENT_MAIN, content_type)})


def _with_macros(data: bytes) -> bytes:
    """Add a (fake) VBA project part and its relationship, as a macro-enabled template has."""
    rel = (
        b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
        b'Target="vbaProject.bin"/></Relationships>'
    )
    override = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
    return rewrite(
        data,
        {
            "word/_rels/document.xml.rels": lambda xml: xml.replace(b"</Relationships>", rel),
            "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", override),
        },
        add={"word/vbaProject.bin": b"MACROS: Sub AutoOpen()"},
    )


def rewrite(data: bytes, changes: dict[str, object], add: dict[str, bytes] | None = None) -> bytes:
    """A copy of the zip package with entry contents passed through `changes` (name -> bytes -> bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            change = changes.get(item.filename)
            target.writestr(item, change(content) if callable(change) else content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()
