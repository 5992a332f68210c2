"""Reading a corporate PowerPoint template: its slide size, the layouts chosen for each kind of slide and the
text style of their placeholders, described for the planner; its own slides removed so the deck starts empty."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pptx import Presentation
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn

from ...errors import RenderError
from .._ooxml import complaint
from .spec import EMU_PER_POINT, Box, Canvas, LayoutFrame, Layouts, Region, SlideKind

if TYPE_CHECKING:
    from ...theme import Theme

# Layout names as PowerPoint writes them in English, German, French, Spanish, Italian, Dutch and
# Portuguese; a name PowerPoint numbered when the layout was copied ("1_Title Slide") counts too.
_LAYOUT_NAMES: dict[str, tuple[str, ...]] = {
    "title": (
        "title slide",
        "titelfolie",
        "diapositive de titre",
        "diapositiva de título",
        "diapositiva titolo",
        "titeldia",
        "slide de título",
    ),
    "section": (
        "section header",
        "section title",
        "abschnittsüberschrift",
        "en-tête de section",
        "encabezado de sección",
        "intestazione sezione",
        "sectiekop",
        "cabeçalho da seção",
    ),
    "content": (
        "title and content",
        "titel und inhalt",
        "titre et contenu",
        "título y objetos",
        "titolo e contenuto",
        "titel en object",
        "título e conteúdo",
    ),
    "title only": ("title only", "nur titel", "titre seul", "solo el título", "solo titolo", "alleen titel"),
    "blank": ("blank", "leer", "vide", "en blanco", "vuota", "leeg", "em branco"),
}
# The layout type PowerPoint records whatever the layout is called.
_LAYOUT_TYPES = {
    "title": ("title",),
    "section": ("secHead",),
    "content": ("obj", "tx"),
    "title only": ("titleOnly",),
    "blank": ("blank",),
}
_TITLE_TYPES = ("title", "ctrTitle")
_ALTERNATIVE_MAIN_TYPES = (
    CT.PML_TEMPLATE_MAIN,
    CT.PML_SLIDESHOW_MAIN,
    CT.PML_PRES_MACRO_MAIN,
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
)
_SECTIONS_EXTENSION = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"  # p14:sectionLst, which lists slide ids
_VBA_PROJECT = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"


def _layout_key(name: str) -> str:
    """A layout name compared loosely: case, spacing, Unicode form and a "1_" copy prefix do not count."""
    text = " ".join(unicodedata.normalize("NFC", name).casefold().split())
    head, _, rest = text.partition("_")
    return rest if head.isdigit() and rest else text


def _as_presentation(data: bytes, what: str) -> bytes:
    """The package with its main part typed as a presentation (a .potx, .ppsx or macro-enabled file is
    otherwise the same thing); rewritten in memory, the template's file is left alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            types = package.read("[Content_Types].xml")
            if not any(t.encode() in types for t in _ALTERNATIVE_MAIN_TYPES):
                return data
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for item in package.infolist():
                    blob = package.read(item.filename)
                    if item.filename == "[Content_Types].xml":
                        for alternative in _ALTERNATIVE_MAIN_TYPES:
                            blob = blob.replace(alternative.encode(), CT.PML_PRESENTATION_MAIN.encode())
                    target.writestr(item, blob)
            return out.getvalue()
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise RenderError(f"{what} is not a PowerPoint file (.pptx or .potx): {error}") from None


def _points(value: str | None, default: float) -> float:
    return int(value) / EMU_PER_POINT if value is not None else default


def placeholder_of(sp: Any) -> Any:
    """The p:ph element of a shape; None for a shape that is not a placeholder."""
    return sp.find(f"./*/{qn('p:nvPr')}/{qn('p:ph')}")


def placeholder_type(ph: Any) -> str:
    return str(ph.get("type", "obj"))


def _box_of(element: Any) -> Box | None:
    """The rectangle of a shape, picture, group or graphic frame from its a:xfrm / p:xfrm; None without one."""
    xfrm = next(
        (
            found
            for path in (f"{qn('p:spPr')}/{qn('a:xfrm')}", f"{qn('p:grpSpPr')}/{qn('a:xfrm')}", qn("p:xfrm"))
            if (found := element.find(path)) is not None
        ),
        None,
    )
    if xfrm is None:
        return None
    off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
    if off is None or ext is None:
        return None
    return Box(_points(off.get("x"), 0), _points(off.get("y"), 0), _points(ext.get("cx"), 0), _points(ext.get("cy"), 0))


class Template:
    """A corporate template opened as the deck's base: its slides removed, its layouts chosen for the
    deck's kinds of slide, and their placeholders described for the planner."""

    def __init__(self, data: bytes, theme: Theme) -> None:
        what = f"the theme's PowerPoint template {theme.reference_pptx!r}"
        try:
            self.prs = Presentation(io.BytesIO(_as_presentation(data, what)))
        except RenderError:
            raise
        except Exception as error:  # python-pptx raises whatever its parts raise on a broken package
            raise RenderError(f"{what} cannot be read: {complaint(error, theme.reference_pptx or '')}") from None
        self.what = what
        _remove_slides(self.prs)
        self.width = int(self.prs.slide_width or 0) / EMU_PER_POINT
        self.height = int(self.prs.slide_height or 0) / EMU_PER_POINT
        if self.width <= 0 or self.height <= 0:
            raise RenderError(f"{what} has no slide size")
        self._defaults = self.prs.part._element.find(f"{qn('p:defaultTextStyle')}/{qn('a:lvl1pPr')}")
        self._theme_fonts: dict[int, tuple[str, str]] = {}
        layouts = [layout for master in self.prs.slide_masters for layout in master.slide_layouts]
        with_title = [layout for layout in layouts if self._placeholders(layout, _TITLE_TYPES)]
        if not with_title:
            names = ", ".join(repr(layout.name) for layout in layouts) or "none"
            raise RenderError(
                f"{what} has no slide layout with a title placeholder, which every slide needs "
                f"(its layouts: {names}); add one such as 'Title Only' or 'Title and Content'"
            )

        def named(role: str, candidates: Sequence[Any]) -> Any | None:
            return next(
                (lay for lay in candidates if _layout_key(lay.name) in _LAYOUT_NAMES[role]),
                next((lay for lay in candidates if lay._element.get("type") in _LAYOUT_TYPES[role]), None),
            )

        content_bodies = ("body", "obj")
        with_body = [lay for lay in with_title if self._body(lay, content_bodies) is not None]
        # Unnamed, the content layout is the one with the largest body that is no title or section layout.
        unnamed = [
            lay
            for lay in with_body
            if lay._element.get("type") not in ("title", "secHead") and not self._placeholders(lay, ("ctrTitle",))
        ]
        content = (
            named("content", with_body)
            or max(unnamed, key=lambda lay: self._area(lay, self._body(lay, content_bodies)), default=None)
            or named("title only", with_title)
            or next((lay for lay in with_title if lay._element.get("type") not in ("title", "secHead")), None)
            or with_title[0]
        )
        cover = named("title", with_title) or next(
            (lay for lay in with_title if self._placeholders(lay, ("ctrTitle",))), None
        )
        section = named("section", with_title)
        cover = cover or section or named("title only", with_title) or content
        section = section or cover
        self.layouts = {SlideKind.TITLE: cover, SlideKind.SECTION: section, SlideKind.CLOSING: cover}
        self.layouts[SlideKind.AGENDA] = self.layouts[SlideKind.SESSION] = content
        master_body = self._master_style(content, "body")
        self.frames = Layouts(
            self._frame(cover, ("subTitle", "body", "obj")),
            self._frame(section, ("body", "subTitle", "obj")),
            self._frame(content, content_bodies),
            self._font(content, self._first(master_body, "latin"), "body"),
            self._size(master_body),
        )

    def canvas(self) -> Canvas:
        """The planner's view of the template."""
        return Canvas(self.width, self.height, self.frames)

    # -- placeholders and their inherited properties ----------------------------------------------------

    @staticmethod
    def _placeholders(layout: Any, types: Sequence[str]) -> list[Any]:
        found = []
        for sp in layout._element.cSld.spTree.iterchildren(qn("p:sp")):
            ph = placeholder_of(sp)
            if ph is not None and placeholder_type(ph) in types:
                found.append(sp)
        return found

    def _body(self, layout: Any, types: Sequence[str]) -> Any | None:
        """The layout's largest horizontal text placeholder of the given types; None when it has none."""
        candidates = []
        for sp in self._placeholders(layout, types):
            if any(p is not None and p.get("vert", "horz") != "horz" for p in self._body_props(layout, sp)):
                continue  # vertical text: not where outcomes go
            box = self._box(layout, sp)
            candidates.append((-(box.w * box.h) if box else 0.0, int(placeholder_of(sp).get("idx", "0")), sp))
        return min(candidates, key=lambda c: c[:2])[2] if candidates else None

    def _area(self, layout: Any, sp: Any) -> float:
        box = self._box(layout, sp)
        return box.w * box.h if box else 0.0

    @staticmethod
    def _base_type(ph_type: str) -> str:
        if ph_type in _TITLE_TYPES:
            return "title"
        return ph_type if ph_type in ("ftr", "sldNum", "dt") else "body"

    def _master_sp(self, layout: Any, sp: Any) -> Any | None:
        base = self._base_type(placeholder_type(placeholder_of(sp)))
        for candidate in layout.slide_master._element.cSld.spTree.iterchildren(qn("p:sp")):
            ph = placeholder_of(candidate)
            if ph is not None and placeholder_type(ph) == base:
                return candidate
        return None

    def _master_style(self, layout: Any, base: str) -> Any | None:
        tag = {"title": "p:titleStyle", "body": "p:bodyStyle"}.get(base, "p:otherStyle")
        return layout.slide_master._element.find(f"{qn('p:txStyles')}/{qn(tag)}/{qn('a:lvl1pPr')}")

    def _levels(self, layout: Any, sp: Any) -> list[Any]:
        """The a:lvl1pPr that the placeholder's first level inherits from, nearest first."""
        path = f"{qn('p:txBody')}/{qn('a:lstStyle')}/{qn('a:lvl1pPr')}"
        master_sp = self._master_sp(layout, sp)
        chain = [sp.find(path), master_sp.find(path) if master_sp is not None else None]
        chain += [self._master_style(layout, self._base_type(placeholder_type(placeholder_of(sp)))), self._defaults]
        return [level for level in chain if level is not None]

    def _body_props(self, layout: Any, sp: Any) -> list[Any]:
        master_sp = self._master_sp(layout, sp)
        return [s.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}") for s in (sp, master_sp) if s is not None]

    def _box(self, layout: Any, sp: Any) -> Box | None:
        master_sp = self._master_sp(layout, sp)
        return _box_of(sp) or (_box_of(master_sp) if master_sp is not None else None)

    @staticmethod
    def _first(levels: Any, what: str) -> str | None:
        """The nearest level's value: "sz", "b" (from a:defRPr), "latin" (its typeface) or "bullet"."""
        for level in [levels] if not isinstance(levels, list) else levels:
            if level is None:
                continue
            if what == "bullet":
                for child in level:
                    name = child.tag.rsplit("}", 1)[-1]
                    if name in ("buNone", "buChar", "buAutoNum", "buBlip"):
                        return str(name)
                continue
            props = level.find(qn("a:defRPr"))
            if props is None:
                continue
            value = props.get(what) if what != "latin" else None
            if what == "latin" and (latin := props.find(qn("a:latin"))) is not None:
                value = latin.get("typeface")
            if value:
                return str(value)
        return None

    @staticmethod
    def _size(levels: Any) -> float:
        size = Template._first(levels, "sz")
        return int(size) / 100 if size else 18.0

    def _font(self, layout: Any, typeface: str | None, base: str) -> str:
        """A typeface with the theme's font references (+mj-lt, +mn-lt) resolved to family names."""
        major, minor = self._fonts(layout)
        if not typeface or typeface.startswith("+"):
            pick = major if (typeface or "").startswith("+mj") or (not typeface and base == "title") else minor
            return pick or "Calibri"
        return typeface

    def _fonts(self, layout: Any) -> tuple[str, str]:
        """The major (headings) and minor (body) Latin fonts of the layout's master's theme."""
        master = layout.slide_master
        key = id(master)
        if key not in self._theme_fonts:
            major = minor = ""
            try:
                theme = parse_xml(master.part.part_related_by(RT.THEME).blob)
            except (KeyError, ValueError):  # pragma: no cover - every master has a theme
                theme = None
            if theme is not None:
                scheme = theme.find(f"{qn('a:themeElements')}/{qn('a:fontScheme')}")
                if scheme is not None:
                    for tag in ("a:majorFont", "a:minorFont"):
                        latin = scheme.find(f"{qn(tag)}/{qn('a:latin')}")
                        value = latin.get("typeface", "") if latin is not None else ""
                        major, minor = (value, minor) if tag == "a:majorFont" else (major, value)
            self._theme_fonts[key] = (major, minor)
        return self._theme_fonts[key]

    def _region(self, layout: Any, sp: Any, fallback: Box) -> Region:
        ph = placeholder_of(sp)
        kind = placeholder_type(ph)
        levels = self._levels(layout, sp)
        insets: list[float] = []
        for attribute, default in (("lIns", 7.2), ("tIns", 3.6), ("rIns", 7.2), ("bIns", 3.6)):
            values = [p.get(attribute) for p in self._body_props(layout, sp) if p is not None]
            insets.append(_points(next((v for v in values if v is not None), None), default))
        attributes = ([f'type="{kind}"'] if kind != "obj" else []) + (
            [f'idx="{ph.get("idx")}"'] if ph.get("idx", "0") != "0" else []
        )
        box = self._box(layout, sp) or fallback
        return Region(
            box,
            (insets[0], insets[1], insets[2], insets[3]),
            self._size(levels),
            self._font(layout, self._first(levels, "latin"), self._base_type(kind)),
            self._first(levels, "b") in ("1", "true"),
            self._first(levels, "bullet") not in (None, "buNone"),
            " ".join(attributes),
            self._first(levels, "cap") in ("all", "small"),
            max(0.0, int(self._first(levels, "spc") or 0) / 100),
        )

    def _frame(self, layout: Any, body_types: Sequence[str]) -> LayoutFrame:
        width, height = self.width, self.height
        title_sp = self._placeholders(layout, _TITLE_TYPES)[0]
        title = self._region(layout, title_sp, Box(0.05 * width, 0.05 * height, 0.9 * width, 0.15 * height))
        body_sp = self._body(layout, body_types)
        body = (
            self._region(layout, body_sp, Box(0.05 * width, 0.25 * height, 0.9 * width, 0.6 * height))
            if (body_sp is not None)
            else None
        )
        extras = []
        for kind in ("ftr", "sldNum"):
            found = self._placeholders(layout, (kind,))
            region = self._region(layout, found[0], Box(0, 0, 0, 0)) if found else None
            extras.append(region if region is not None and region.box.w > 0 and region.box.h > 0 else None)
        return LayoutFrame(
            layout.name, title, body, extras[0], extras[1], self._graphics(layout), self._background(layout)
        )

    @staticmethod
    def _background(layout: Any) -> str:
        """The plain colour behind slides of the layout, "#RRGGBB"; "" when it is not a plain RGB colour."""
        for owner in (layout, layout.slide_master):
            background = owner._element.cSld.find(qn("p:bg"))
            if background is not None:
                colour = background.find(f"{qn('p:bgPr')}/{qn('a:solidFill')}/{qn('a:srgbClr')}")
                return f"#{colour.get('val').upper()}" if colour is not None else ""
        return ""

    def _graphics(self, layout: Any) -> tuple[Box, ...]:
        """The rectangles of the template's own pictures and shapes on slides of this layout (backgrounds
        that fill half the slide or more left out)."""
        owners = [layout._element]
        if layout._element.get("showMasterSp", "1") not in ("0", "false"):
            owners.append(layout.slide_master._element)
        boxes = []
        for owner in owners:
            for child in owner.cSld.spTree.iterchildren():
                if child.tag not in (qn("p:sp"), qn("p:pic"), qn("p:grpSp"), qn("p:graphicFrame"), qn("p:cxnSp")):
                    continue
                if child.tag == qn("p:sp") and placeholder_of(child) is not None:
                    continue
                box = _box_of(child)
                if box is not None and box.w * box.h < 0.5 * self.width * self.height:
                    boxes.append(box)
        return tuple(boxes)


def _remove_slides(prs: Any) -> None:
    """Delete the template's slides: their ids, and the relationships that reach them, so that none of their
    parts (notes, pictures, charts) is written; and the section and custom-show lists that name them."""
    part = prs.part
    ids = prs.slides._sldIdLst
    for sld_id in list(ids):
        part.rels.pop(sld_id.rId)
        ids.remove(sld_id)
    presentation = part._element
    for shows in presentation.findall(qn("p:custShowLst")):
        presentation.remove(shows)
    for extensions in presentation.findall(qn("p:extLst")):
        for extension in extensions.findall(qn("p:ext")):
            if extension.get("uri") == _SECTIONS_EXTENSION:
                extensions.remove(extension)
        if not len(extensions):
            presentation.remove(extensions)
    for rel in list(part.rels.values()):
        if rel.reltype == _VBA_PROJECT:  # a macro-enabled template's code; the deck is a plain .pptx
            part.rels.pop(rel.rId)
        elif rel.reltype == RT.VIEW_PROPS and not rel.is_external:
            _forget_slides(rel.target_part)


def _forget_slides(view_props: Any) -> None:
    """Drop the outline view's list of slides (and its links to them) from the view properties part."""
    slide_rels = [rel for rel in view_props.rels.values() if rel.reltype == RT.SLIDE]
    if not slide_rels:
        return
    for rel in slide_rels:
        view_props.rels.pop(rel.rId)
    element = parse_xml(view_props.blob)
    for listing in list(element.iter(qn("p:sldLst"))):
        listing.getparent().remove(listing)
    view_props.blob = serialize_part_xml(element)
