"""Emitting the deck: the plan drawn with python-pptx on the theme's corporate template or python-pptx's
default presentation, each slide's DrawingML written out whole, with notes, the logo and document properties."""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from datetime import UTC
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.parts.image import ImagePart
from pptx.util import Emu

from ...errors import RenderError
from ...markup import Rich
from ...text.breaking import opportunities
from ...text.scripts import is_rtl
from .._ooxml import normalize_zip
from .ink import logo_ink
from .measure import Run, Typesetter
from .spec import (
    CONTENT_LAYOUT,
    MUTED,
    Box,
    Role,
    SlideKind,
    SlideSpec,
    Style,
    TextSpec,
    canvas_for,
    emu,
    runs_of,
    url_ranges,
)
from .template import Template, placeholder_of, placeholder_type

if TYPE_CHECKING:
    from ...errors import Reporter
    from ...markup import Run as Inline
    from ...model import EventInfo
    from ...options import RenderOptions
    from ...theme import Image, Theme

__all__ = ["Base", "emit", "logo_ink"]

# Slides are built once, so fixed ids make the file reproducible; PowerPoint itself reuses one id for
# every slide-number field that comes from the same layout.
_SLIDE_NUMBER_FIELD_ID = "{6B5E4C1F-2D47-4C8A-9E3B-1A2F5D7C9E04}"


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


_DECORATIVE = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
    "</a:ext></a:extLst>"
)
_MUTED_FILL = (  # the template's text colour at two thirds strength, as PowerPoint's "lighter 35%" swatch
    '<a:solidFill><a:schemeClr val="tx1"><a:lumMod val="65000"/><a:lumOff val="35000"/></a:schemeClr></a:solidFill>'
)


class Base:
    """The presentation a deck is built on: the theme's corporate template (its slides removed), or
    python-pptx's default one sized to the theme's slide size; and the layout each kind of slide uses."""

    def __init__(self, theme: Theme) -> None:
        data = theme.reference("pptx")
        self.template: Template | None = None
        if data is not None:
            self.template = Template(data, theme)
            self.prs = self.template.prs
            self.layouts: dict[SlideKind, Any] = self.template.layouts
            self.canvas = self.template.canvas()
            self.format = "Custom"
            return
        self.prs = Presentation()
        self.canvas = canvas_for(theme)
        old_width = self.prs.slide_width
        self.prs.slide_width, self.prs.slide_height = Emu(emu(self.canvas.width)), Emu(emu(self.canvas.height))
        _widen_template(self.prs, self.prs.slide_width / old_width)
        by_name = {layout.name: layout for layout in self.prs.slide_layouts}
        self.layouts = dict.fromkeys(SlideKind, by_name["Title Only"])
        # Content slides fill the layout's body placeholder with their outcomes or agenda (spec.CONTENT_LAYOUT).
        self.layouts[SlideKind.AGENDA] = self.layouts[SlideKind.SESSION] = by_name[CONTENT_LAYOUT]
        self.format = "Widescreen" if theme.slide_size == "16:9" else "On-screen Show (4:3)"
        _set_link_colours(self.prs, theme.link_colour)


def _set_link_colours(prs: Any, colour: str) -> None:
    """The presentation theme's hyperlink colours (a:hlink, a:folHlink) set to the theme's link colour:
    PowerPoint draws a link in them whatever colour its run names, and python-pptx's default template says
    pure blue, which would give the deck other links than the Word summary and the PDF brief."""
    theme_part = prs.slide_master.part.part_related_by(RT.THEME)
    xml = theme_part.blob.decode("utf-8")
    for tag in ("hlink", "folHlink"):
        xml = re.sub(
            rf"(<a:{tag}>)\s*<a:(?:srgbClr|sysClr)[^>]*?/>",
            rf'\g<1><a:srgbClr val="{_hex(colour)}"/>',
            xml,
            count=1,
        )
    theme_part._blob = xml.encode("utf-8")


class _Deck:
    """Adds slides, notes pages and the logo to a presentation in constant time each.

    python-pptx's own `slides.add_slide` scans every relationship of the presentation part (twice),
    `slide.notes_slide` walks the whole package graph to find a free part name, and `add_picture` walks it
    again to find an image already there, so building a deck took time proportional to the square of its
    length. Slides are added in order, so part names and ids are simply counted; each slide's XML is
    written out whole and parsed once.
    """

    def __init__(self, prs: Any) -> None:
        self._prs = prs
        self._package = prs.part.package
        self._slide_ids = prs.slides._sldIdLst
        if len(self._slide_ids):
            raise RenderError("the deck template must not contain slides")  # pragma: no cover
        self._notes_master = prs.part.notes_master_part
        self._notes_placeholders = self._notes_shapes()
        self._image: Any = None
        self.slides = 0
        self.notes = 0

    def new_slide(self, layout: Any) -> Any:
        """Add an empty slide part on `layout` (its XML comes with set_xml); return the part."""
        self.slides += 1
        name = PackURI(f"/ppt/slides/slide{self.slides}.xml")
        part = Part(name, CT.PML_SLIDE, self._package)
        part.relate_to(layout.part, RT.SLIDE_LAYOUT)
        # A new part cannot already be related, so get_or_add's scan for an existing relationship is skipped.
        rid = self._prs.part.rels._add_relationship(RT.SLIDE, part)
        self._slide_ids._add_sldId(id=255 + self.slides, rId=rid)
        return part

    @staticmethod
    def set_xml(part: Any, xml: str) -> None:
        """Give a slide or notes part its content: the markup parsed (so it is checked) and serialized at
        once, as python-pptx would when saving. Parts keep bytes, not element trees, which take ten times
        the memory: a deck of 10,000 slides no longer holds 10,000 trees until it is saved."""
        part._blob = serialize_part_xml(parse_xml(xml))

    def image_rid(self, slide: Any, image: Image) -> str:
        """Relate the slide part to the logo's image part (added to the package once); return the rId."""
        if self._image is None:
            extension = "png" if image.kind == "png" else "jpeg"
            name = self._package.next_image_partname(extension)
            self._image = ImagePart(name, f"image/{image.kind}", self._package, image.data)
        return str(slide.relate_to(self._image, RT.IMAGE))

    def _notes_shapes(self) -> str:
        """The slide-image and notes placeholders of a notes page, as the notes master defines them."""
        attributes: dict[str, str] = {}
        for sp in self._notes_master.notes_master._element.cSld.spTree.iterchildren(qn("p:sp")):
            ph = placeholder_of(sp)
            if ph is not None and placeholder_type(ph) in ("sldImg", "body"):
                attributes.setdefault(placeholder_type(ph), f'type="{placeholder_type(ph)}" idx="{ph.get("idx", "0")}"')
        image = attributes.get("sldImg", 'type="sldImg" idx="2"')
        body = attributes.get("body", 'type="body" idx="3"')
        return (
            '<p:sp><p:nvSpPr><p:cNvPr id="2" name="Slide Image Placeholder 1"/><p:cNvSpPr><a:spLocks noGrp="1" '
            f'noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph {image}/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
            '<p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
            f"</p:cNvSpPr><p:nvPr><p:ph {body}/></p:nvPr></p:nvSpPr><p:spPr/>"
        )

    @staticmethod
    def link_rid(part: Any, url: str) -> str:
        """Relate a slide or notes part to an external hyperlink; return the rId (one per address)."""
        return str(part.relate_to(url, RT.HYPERLINK, is_external=True))

    def add_notes(self, slide: Any, paragraphs: Callable[[Callable[[str], str]], str]) -> None:
        """Add a notes page to the slide part whose notes placeholder holds `paragraphs(link)` (a:p markup,
        `link(url)` giving the rId of a hyperlink of the notes page)."""
        self.notes += 1
        name = PackURI(f"/ppt/notesSlides/notesSlide{self.notes}.xml")
        part = Part(name, CT.PML_NOTES_SLIDE, self._package)
        body = paragraphs(lambda url: self.link_rid(part, url))
        xml = (
            f"<p:notes {nsdecls('a', 'p', 'r')}><p:cSld><p:spTree>{_GROUP_PROPERTIES}{self._notes_placeholders}"
            f"<p:txBody><a:bodyPr/><a:lstStyle/>{body}</p:txBody></p:sp></p:spTree></p:cSld>"
            "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
        )
        self.set_xml(part, xml)
        part.relate_to(self._notes_master, RT.NOTES_MASTER)
        part.relate_to(slide, RT.SLIDE)
        slide.relate_to(part, RT.NOTES_SLIDE)


_SHAPES_END = "</p:spTree></p:cSld>"


def _append_shapes(xml: str, shapes: str) -> str:
    """Slide markup with `shapes` added last to its shape tree (drawn on top)."""
    head, tail = xml.rsplit(_SHAPES_END, 1)
    return head + shapes + _SHAPES_END + tail


_GROUP_PROPERTIES = (
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
    '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
    '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
)


def emit(
    plan: Sequence[SlideSpec],
    meta: EventInfo,
    options: RenderOptions,
    report: Reporter | None = None,
    *,
    base: Base | None = None,
    typesetter: Typesetter | None = None,
) -> bytes:
    """Return the .pptx bytes of `plan`, reproducibly: on the theme's corporate template when it names one
    (its layouts, placeholders, fonts and colours), else on slides of the theme's size, colours and fonts.

    `base` is the presentation the plan was made for (its canvas), used up by this call; `typesetter` the
    one the plan was measured with, so its font stacks are built once (else a new one reporting to `report`).
    """
    theme = options.theme
    base = base or Base(theme)
    typesetter = typesetter or Typesetter(theme, meta.language, report)
    writer = _SlideWriter(theme, typesetter, meta.language, base.template is not None)
    deck = _Deck(base.prs)
    notes_style = Style(tuple(dict.fromkeys((theme.body_font, *theme.font_families))))
    for spec in plan:
        slide = deck.new_slide(base.layouts[spec.kind])
        xml = writer.slide(spec, functools.partial(deck.link_rid, slide))
        if spec.pictures and theme.logo_image is not None:
            pictures = writer.pictures(spec, deck.image_rid(slide, theme.logo_image))
            xml = _append_shapes(xml, pictures)
        if spec.chart is not None:  # the follow-up's chart of actions by status
            from .charts import chart_frame

            frame = chart_frame(base.prs.part.package, slide, spec.chart, 900, options.timestamp)
            xml = _append_shapes(xml, frame)
        deck.set_xml(slide, xml)
        if spec.notes:
            deck.add_notes(slide, functools.partial(writer.notes, spec.notes, notes_style))
    typesetter.report_coverage()
    _set_properties(base.prs, meta, options, deck, base.format)
    out = io.BytesIO()
    base.prs.save(out)
    return normalize_zip(out.getvalue(), options.timestamp)


def _url_pieces(address: str) -> list[str]:
    """An address shown in a link cut wherever the URL rule lets a line break (after / . - ? & =), each
    piece its own run of the same link: LibreOffice makes a link one unbreakable field and would cut a
    long address anywhere, not where the deck measured its lines."""
    cuts = opportunities(address, ((0, len(address)),))
    return [address[a:b] for a, b in zip([0, *cuts], [*cuts, len(address)], strict=True)]


def _no_links(url: str) -> str:
    raise AssertionError(f"a link ({url}) where no hyperlink can be related")  # pragma: no cover


class _SlideWriter:
    """Writes the DrawingML of slides: shapes, text bodies with their runs, languages and fonts.

    Building the elements of a slide through python-pptx's proxies costs far more than the rest of the
    deck together; the markup is simple, so each slide is written out and parsed once.
    """

    def __init__(self, theme: Theme, typesetter: Typesetter, language: str, template: bool) -> None:
        self.theme = theme
        self.typesetter = typesetter
        self.language = language
        self.template = template
        self._ids = 0
        self._link: Callable[[str], str] = _no_links
        # Links on the theme's own slides: the theme's one link colour (as in Word and the PDF), always
        # underlined. A template's links take its hlink colour.
        self.link_colour = theme.link_colour

    def _id(self) -> int:
        self._ids += 1
        return self._ids

    def slide(self, spec: SlideSpec, link: Callable[[str], str] = _no_links) -> str:
        """The p:sld markup of a slide: background, accent bars, then text (title first); pictures follow.
        `link(url)` relates the slide to a hyperlink and gives its rId."""
        self._ids = 1
        self._link = link
        parts = [f"<p:sld {nsdecls('a', 'p', 'r')}><p:cSld>"]
        if spec.background:
            parts.append(
                f'<p:bg><p:bgPr><a:solidFill><a:srgbClr val="{_hex(spec.background)}"/>'
                "</a:solidFill><a:effectLst/></p:bgPr></p:bg>"
            )
        parts.append(f"<p:spTree>{_GROUP_PROPERTIES}")
        for bar in spec.bars:
            parts.append(self._rectangle("Accent Bar", bar.box, bar.colour))
        for text in spec.texts:
            parts.append(self._text_shape(text))
        parts.append("</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>")
        return "".join(parts)

    def pictures(self, spec: SlideSpec, rid: str) -> str:
        """The p:pic markup of the slide's logo (alt text in descr), each on its plate when it has one."""
        image = self.theme.logo_image
        assert image is not None
        parts = []
        for picture in spec.pictures:
            if picture.plate is not None:
                parts.append(self._rectangle("Logo Plate", picture.plate, picture.plate_colour, 0.12))
            box = picture.box
            parts.append(
                f'<p:pic><p:nvPicPr><p:cNvPr id="{self._id()}" name={quoteattr(picture.name)} '
                f'descr={quoteattr(image.alt)}/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr>'
                f'<p:nvPr/></p:nvPicPr><p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch>'
                f"</p:blipFill><p:spPr>{_xfrm(box)}"
                '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
            )
        return "".join(parts)

    def _rectangle(self, name: str, box: Box, colour: str, rounding: float = 0.0) -> str:
        """A flat block of colour, no outline or shadow, marked decorative for screen readers."""
        geometry = (
            f'<a:prstGeom prst="roundRect"><a:avLst><a:gd name="adj" fmla="val {round(rounding * 100000)}"/>'
            "</a:avLst></a:prstGeom>"
            if rounding
            else '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        )
        return (
            f'<p:sp><p:nvSpPr><p:cNvPr id="{self._id()}" name={quoteattr(name)}>{_DECORATIVE}</p:cNvPr>'
            f"<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(box)}{geometry}"
            f'<a:solidFill><a:srgbClr val="{_hex(colour)}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>'
        )

    def _text_shape(self, text: TextSpec) -> str:
        if text.placeholder:
            head = (
                f'<p:nvSpPr><p:cNvPr id="{self._id()}" name={quoteattr(text.name)}/><p:cNvSpPr>'
                f'<a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph {text.placeholder}/></p:nvPr></p:nvSpPr>'
                f"<p:spPr>{_xfrm(text.shape)}</p:spPr>"
            )
        else:
            head = (
                f'<p:nvSpPr><p:cNvPr id="{self._id()}" name={quoteattr(text.name)}/><p:cNvSpPr txBox="1"/>'
                f'<p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(text.shape)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
                "<a:noFill/></p:spPr>"
            )
        return f"<p:sp>{head}{self._text_body(text)}</p:sp>"

    def _text_body(self, text: TextSpec) -> str:
        """The p:txBody of `text`: sizes, spacing, indents, direction, languages and fonts set explicitly;
        colours, bullets and anchoring too, unless it fills a template placeholder that gives them."""
        theme = self.theme
        left, top, right, bottom = (emu(v) for v in text.insets)
        # Exactly the geometry that was measured: these insets, no autofit, wrapping on, one column.
        anchor = "" if text.inherit else ' anchor="t"'
        parts = [
            f'<p:txBody><a:bodyPr vert="horz" wrap="square" lIns="{left}" tIns="{top}" rIns="{right}" '
            f'bIns="{bottom}" numCol="1"{anchor}><a:noAutofit/></a:bodyPr><a:lstStyle/>'
        ]
        size = round(text.size * 100)
        indent = emu(text.indent)
        for para in text.paras:
            style = para.style or text.style
            marl = indent if para.role in (Role.BULLET, Role.ENTRY, Role.CONTINUATION) else 0
            hanging = -indent if para.role in (Role.BULLET, Role.ENTRY) else 0
            rtl = para.rtl
            align = "r" if rtl or text.align_right else ("" if text.inherit else "l")
            parts.append(
                f'<a:p><a:pPr marL="{marl}" indent="{hanging}"{f" algn={quoteattr(align)}" if align else ""} '
                f'rtl="{int(rtl)}"><a:lnSpc><a:spcPts val="{round(text.leading * 100)}"/></a:lnSpc>'
                f'<a:spcBef><a:spcPts val="{round(para.space_before * 100)}"/></a:spcBef>'
                '<a:spcAft><a:spcPts val="0"/></a:spcAft>'
            )
            if para.role is Role.BULLET:
                # A real bullet: readers and editors see a list, not a typed "•". On a template whose
                # body has bullets of its own, those are kept.
                if not self.template:
                    parts.append(f'<a:buClr><a:srgbClr val="{_hex(theme.accent)}"/></a:buClr><a:buSzPct val="100000"/>')
                if not text.inherit or text.own_bullets:
                    parts.append(f'<a:buFont typeface={quoteattr(style.family)}/><a:buChar char="\u2022"/>')
            else:
                parts.append("<a:buNone/>")
            if para.role is Role.ENTRY:
                # The tab after the session code lands exactly where the title's wrapped lines start.
                parts.append(f'<a:tabLst><a:tab pos="{indent}" algn="l"/></a:tabLst>')
            parts.append("</a:pPr>")
            if para.label:
                parts.append(self._runs(para.label, para.label_style or style._replace(bold=True), size, text.inherit))
                parts.append(self._runs("\t" if para.role is Role.ENTRY else " ", style, size, text.inherit))
            # The slide number is a field, so it stays right when slides are moved in PowerPoint.
            if para.rich:
                at = 0
                urls = url_ranges(para.text)
                for inline in para.runs:
                    own = self.typesetter.run_style(style, inline)
                    address = (at, at + len(inline.text)) in urls
                    for piece in _url_pieces(inline.text) if address else [inline.text]:
                        parts.append(self._runs(piece, own, size, text.inherit, inline=inline, base=style))
                    at += len(inline.text)
            else:
                field = para.role is Role.SLIDE_NUMBER
                parts.append(self._runs(para.text, style, size, text.inherit, field=field))
            parts.append("</a:p>")
        parts.append("</p:txBody>")
        return "".join(parts)

    def _runs(
        self,
        text: str,
        style: Style,
        size: int,
        inherit: bool,
        field: bool = False,
        inline: Inline | None = None,
        base: Style | None = None,
    ) -> str:
        """The a:r (or slide-number a:fld) elements of `text` in `style`: one per language and font run.
        `inline` is the markup run it comes from (its link), `base` the paragraph's style, whose own Latin
        typeface a template gives (a code run names its font even there)."""
        stack = self.typesetter.stack(style)
        if field:
            runs = [Run(text, self.language, {"latin": style.family})]
        else:
            self.typesetter.check_coverage(style, text)
            runs = stack.runs(text)
        if style.colour.startswith("#"):
            fill = f'<a:solidFill><a:srgbClr val="{_hex(style.colour)}"/></a:solidFill>'
        else:
            fill = _MUTED_FILL if style.colour == MUTED else ""
        link = ""
        if inline is not None and inline.link:
            link = self._link(inline.link)
            if style.colour.startswith("#"):
                fill = f'<a:solidFill><a:srgbClr val="{_hex(self.link_colour)}"/></a:solidFill>'
        out = []
        for run in runs:
            start, end = (
                (f'<a:fld id="{_SLIDE_NUMBER_FIELD_ID}" type="slidenum">', "</a:fld>") if field else ("<a:r>", "</a:r>")
            )
            properties = _run_properties(run, self.language, size, style, fill, inherit, link, base)
            out.append(f"{start}{properties}<a:t>{escape(run.text)}</a:t>{end}")
        return "".join(out)

    def notes(self, notes: str, style: Style, link: Callable[[str], str] = _no_links) -> str:
        """Speaker notes as a:p markup, one paragraph per line, each run tagged with its language; bold,
        italic, code and links as in the slide (`link(url)` relates the notes page to a hyperlink)."""
        paragraphs = []
        lines: list[str]
        if isinstance(notes, Rich) and notes.has_markup:
            lines = list(notes.lines())
            while lines and not lines[-1]:
                lines.pop()
        else:
            lines = notes.splitlines()
        for line in lines:
            runs = []
            for inline in runs_of(line):
                own = self.typesetter.run_style(style, inline)
                rid = link(inline.link) if inline.link else ""
                runs += [
                    f"<a:r>{_run_properties(run, self.language, None, own, '', True, rid, style)}"
                    f"<a:t>{escape(run.text)}</a:t></a:r>"
                    for run in self.typesetter.stack(own).runs(inline.text)
                ]
            direction = '<a:pPr algn="r" rtl="1"/>' if is_rtl(line) else ""
            paragraphs.append(f"<a:p>{direction}{''.join(runs)}</a:p>")
        return "".join(paragraphs) or "<a:p/>"


def _run_properties(
    run: Run,
    language: str,
    size: int | None,
    style: Style,
    fill: str,
    inherit: bool,
    link: str = "",
    base: Style | None = None,
) -> str:
    """The a:rPr of a run: its language (and the event's as the alternative), size, weight, slant, colour,
    the typeface of each slot it uses (on a template the paragraph's own Latin typeface is left to the
    template) and its hyperlink (`link`, an rId; underlined)."""
    attributes = f"lang={quoteattr(run.language)}"
    if run.language != language:
        attributes += f" altLang={quoteattr(language)}"
    if size is not None:
        attributes += f' sz="{size}" b="{int(style.bold)}"'
    elif style.bold:
        attributes += ' b="1"'
    if style.italic:
        attributes += ' i="1"'
    if link:
        attributes += ' u="sng"'
    fonts = []
    own = (base or style).family
    latin = run.fonts.get("latin", style.family)
    if not (inherit and latin == own):
        fonts.append(f"<a:latin typeface={quoteattr(latin)}/>")
    for where, tag in (("east_asian", "ea"), ("complex", "cs")):
        if where in run.fonts:
            fonts.append(f"<a:{tag} typeface={quoteattr(run.fonts[where])}/>")
    click = f'<a:hlinkClick r:id="{link}"/>' if link else ""
    return f'<a:rPr {attributes} dirty="0">{fill}{"".join(fonts)}{click}</a:rPr>'


def _xfrm(box: Box) -> str:
    return f'<a:xfrm><a:off x="{emu(box.x)}" y="{emu(box.y)}"/><a:ext cx="{emu(box.w)}" cy="{emu(box.h)}"/></a:xfrm>'


def _widen_template(prs: Any, factor: float) -> None:
    """Stretch the master's and layouts' placeholders to the wide slide, for slides users add later."""
    for owner in (prs.slide_master, *prs.slide_layouts):
        for shape in owner.placeholders:
            # Only positions written on the shape itself; the others are inherited, already stretched.
            if shape._element.xfrm is not None:
                shape.left, shape.width = Emu(round(shape.left * factor)), Emu(round(shape.width * factor))


def _set_properties(prs: Any, meta: EventInfo, options: RenderOptions, deck: _Deck, presentation_format: str) -> None:
    """Fill the document properties from the event, stamped with the build time, never the clock."""
    when = options.timestamp.astimezone(UTC).replace(tzinfo=None)
    props = prs.core_properties
    props.title = meta.title
    props.subject = meta.subtitle or ""
    props.author = meta.organiser or ""
    props.language = meta.language
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.content_status = ""
    props.identifier = ""
    props.version = ""
    props.created = props.modified = props.last_printed = when
    props.revision = 1
    props.last_modified_by = "reportgen"
    package = prs.part.package
    # A template's app.xml and thumbnail describe the template (its slide titles, its first slide); say
    # what this file is instead.
    for rel in list(package._rels.values()):
        if rel.reltype == RT.THUMBNAIL:
            package.drop_rel(rel.rId)
    blob = _APP_XML.format(slides=deck.slides, notes=deck.notes, format=escape(presentation_format)).encode()
    try:
        package.part_related_by(RT.EXTENDED_PROPERTIES).blob = blob
    except KeyError:
        app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, package, blob)
        package.relate_to(app, RT.EXTENDED_PROPERTIES)


_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>reportgen</Application><PresentationFormat>{format}</PresentationFormat>"
    "<Slides>{slides}</Slides><Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides>"
    "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)
