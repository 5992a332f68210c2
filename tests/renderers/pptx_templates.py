"""Corporate PowerPoint templates made with python-pptx for the deck tests: renamed, localised, 4:3, .potx,
with a slide of their own that must not survive, and one without any layout that has a title."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Inches

TITLE_FONT = "Cambria"  # the brand's heading font, set on the master's title style
BODY_FONT = "Arial"  # its text font, set on the master's body style
TITLE_COLOUR = "7A1F3D"
BODY_COLOUR = "2E2E2E"
BACKGROUND = "F4F1EA"  # the master's background
COVER_BACKGROUND = "7A1F3D"  # the title slide layout's own background
TITLE_SIZE, BODY_SIZE = 36, 24
OLD_SLIDE_TEXT = "Confidential draft slide from the template"

GERMAN = {
    "Title Slide": "Titelfolie",
    "Title Only": "Nur Titel",
    "Section Header": "Abschnittsüberschrift",
    "Title and Content": "Titel und Inhalt",
    "Blank": "Leer",
}
FRENCH = {
    "Title Slide": "Diapositive de titre",
    "Title Only": "Titre seul",
    "Section Header": "En-tête de section",
    "Title and Content": "Titre et contenu",
    "Blank": "Vide",
}
RENAMED = {  # a designer's own names, which say nothing: the layouts are found by their placeholders
    "Title Slide": "Acme Opener",
    "Title Only": "Acme Heading",
    "Section Header": "Acme Divider",
    "Title and Content": "Acme Text Page",
    "Blank": "Acme Empty",
}


@dataclass(frozen=True)
class Made:
    """A template's bytes and its slide size in EMU."""

    data: bytes
    width: int
    height: int


def _rgb(value: str) -> Any:
    return RGBColor.from_string(value)  # type: ignore[no-untyped-call]  # unannotated in python-pptx 1.0


def _set_text_style(level: Any, font: str, colour: str, size: int) -> None:
    """Make the a:lvl1pPr's default run properties name the font, colour and size."""
    props = level.find(qn("a:defRPr"))
    for child in list(props):
        if child.tag in (qn("a:solidFill"), qn("a:latin")):
            props.remove(child)
    props.set("sz", str(size * 100))
    props.insert(0, parse_xml(f'<a:solidFill {nsdecls("a")}><a:srgbClr val="{colour}"/></a:solidFill>'))
    latin = parse_xml(f'<a:latin {nsdecls("a")} typeface="{font}"/>')
    ea = props.find(qn("a:ea"))
    if ea is not None:
        ea.addprevious(latin)
    else:
        props.append(latin)


def make_template(
    names: dict[str, str] | None = None,
    *,
    size: str = "16:9",
    potx: bool = False,
    keep_types: bool = True,
    drop: tuple[str, ...] = (),
    without_titles: bool = False,
    old_slide: bool = True,
) -> Made:
    """A branded template: the master's title and body styles in TITLE_FONT/BODY_FONT and their colours,
    a cream background and a wine-red title slide layout, layouts renamed by `names` (their `type`
    attribute removed unless `keep_types`), layouts in `drop` deleted, and a slide of its own with notes
    and a picture. `without_titles` removes every title placeholder."""
    prs = Presentation()
    if size == "16:9":
        prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
        for owner in (prs.slide_master, *prs.slide_layouts):
            for shape in owner.placeholders:
                if shape._element.xfrm is not None:
                    shape.left, shape.width = Emu(round(shape.left * 4 / 3)), Emu(round(shape.width * 4 / 3))
    master = prs.slide_master
    styles = master._element.find(qn("p:txStyles"))
    _set_text_style(styles.find(f"{qn('p:titleStyle')}/{qn('a:lvl1pPr')}"), TITLE_FONT, TITLE_COLOUR, TITLE_SIZE)
    _set_text_style(styles.find(f"{qn('p:bodyStyle')}/{qn('a:lvl1pPr')}"), BODY_FONT, BODY_COLOUR, BODY_SIZE)
    master.background.fill.solid()
    master.background.fill.fore_color.rgb = _rgb(BACKGROUND)
    by_name: dict[str, Any] = {layout.name: layout for layout in prs.slide_layouts}
    cover = by_name["Title Slide"]
    cover.background.fill.solid()
    cover.background.fill.fore_color.rgb = _rgb(COVER_BACKGROUND)
    # The cover's title is white on its wine-red ground, set on the layout's own placeholder.
    title_ph = next(p for p in cover.placeholders if p.placeholder_format.idx == 0)
    title_ph._element.get_or_add_txBody()
    lst = title_ph._element.txBody.find(qn("a:lstStyle"))
    lst.append(
        parse_xml(
            f'<a:lvl1pPr {nsdecls("a")}><a:defRPr sz="4000" b="1"><a:solidFill><a:srgbClr val="FFFFFF"/>'
            "</a:solidFill></a:defRPr></a:lvl1pPr>"
        )
    )
    subtitle = next(p for p in cover.placeholders if p.placeholder_format.idx == 1)
    level = subtitle._element.txBody.find(f"{qn('a:lstStyle')}/{qn('a:lvl1pPr')}")
    props = level.find(qn("a:defRPr"))
    for old in props.findall(qn("a:solidFill")):
        props.remove(old)
    props.insert(0, parse_xml(f'<a:solidFill {nsdecls("a")}><a:srgbClr val="{BACKGROUND}"/></a:solidFill>'))
    if old_slide:
        slide = prs.slides.add_slide(by_name["Title and Content"])
        slide.shapes.title.text = OLD_SLIDE_TEXT
        slide.notes_slide.notes_text_frame.text = "Speaker notes of the draft: " + OLD_SLIDE_TEXT
        picture = io.BytesIO()
        from PIL import Image

        Image.new("RGB", (40, 30), (200, 30, 30)).save(picture, format="PNG")
        slide.shapes.add_picture(io.BytesIO(picture.getvalue()), Inches(1), Inches(3), Inches(2))
        # PowerPoint's sections name the slide by id: they must go with it.
        extension = parse_xml(
            f'<p:ext {nsdecls("p")} uri="{{521415D9-36F7-43E2-AB2F-B90AF26B5E84}}">'
            '<p14:sectionLst xmlns:p14="http://schemas.microsoft.com/office/powerpoint/2010/main">'
            '<p14:section name="Draft" id="{2B6D2B4B-6C1A-4C55-9A0E-0D9D3A3E6B11}"><p14:sldIdLst>'
            f'<p14:sldId id="{slide.slide_id}"/></p14:sldIdLst></p14:section></p14:sectionLst></p:ext>'
        )
        ext_list = prs.part._element.find(qn("p:extLst"))
        if ext_list is None:
            ext_list = parse_xml(f"<p:extLst {nsdecls('p')}/>")
            prs.part._element.append(ext_list)
        ext_list.append(extension)
    layouts = prs.slide_layouts
    for name in drop:
        layouts.remove(by_name[name])
    if without_titles:
        for layout in list(prs.slide_layouts):
            for shape in list(layout.placeholders):
                if shape.placeholder_format.idx == 0:
                    shape._element.getparent().remove(shape._element)
    layouts_now: list[Any] = list(prs.slide_layouts)
    for layout in layouts_now:
        if not keep_types:
            layout._element.attrib.pop("type", None)
        if names and layout.name in names:
            layout._element.cSld.set("name", names[layout.name])
    out = io.BytesIO()
    prs.save(out)
    data = out.getvalue()
    if potx:
        data = as_potx(data)
    return Made(data, int(prs.slide_width or 0), int(prs.slide_height or 0))


def as_potx(data: bytes) -> bytes:
    """The package saved as a template: the same parts, its main part typed as a template's."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            blob = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                blob = blob.replace(b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
            target.writestr(item, blob)
    return out.getvalue()
