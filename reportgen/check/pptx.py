"""Accessibility rules for PowerPoint files: title and language, a unique title on every slide, reading
order, alt text or the decorative mark, body text in placeholders, and text contrast on every slide kind;
read with the standard library."""

from __future__ import annotations

import colorsys
from collections import Counter
from xml.etree.ElementTree import Element

from . import Finding
from .ooxml import NS, Colour, Package, excerpt, hex_colour, is_large, q

_TITLES = ("title", "ctrTitle")
_BODY_LINES = 2  # a free text box with this many paragraphs of text holds body text


def check(name: str, data: bytes) -> list[Finding]:
    """The findings for the PowerPoint file `name` whose bytes are `data`, slide by slide."""
    package = Package(data)
    presentation = package.part("ppt/presentation.xml")
    if presentation is None:
        return [Finding(name, "document", "PPTX-READ-001", "ppt/presentation.xml is missing or not XML")]
    found: list[Finding] = []
    if not package.core("dc:title"):
        found.append(
            Finding(name, "document", "PPTX-TITLE-003", "no presentation title: set File > Properties > Title")
        )
    if not (package.core("dc:language") or _any_language(presentation)):
        found.append(Finding(name, "document", "PPTX-LANG-001", "no presentation language: set the text's language"))
    targets = package.relationships("ppt/presentation.xml")
    ids = [s.get(q("r:id"), "") for s in presentation.iterfind("p:sldIdLst/p:sldId", NS)]
    titles: Counter[str] = Counter()
    for number, rid in enumerate(ids, 1):
        part = targets.get(rid, "")
        slide = package.part(part)
        if slide is None:
            continue
        found += _slide(name, f"slide {number}", package, part, slide, titles)
    return found


def _any_language(presentation: Element) -> bool:
    return any(e.get("lang") for e in presentation.iter(q("a:defRPr")))


def _shapes(tree: Element) -> list[Element]:
    """The shapes of a shape tree in drawing (and reading) order, groups opened."""
    found = []
    for child in tree:
        if child.tag == q("p:grpSp"):
            found.append(child)
            found += _shapes(child)
        elif child.tag in (q("p:sp"), q("p:pic"), q("p:graphicFrame"), q("p:cxnSp")):
            found.append(child)
    return found


def _placeholder(shape: Element) -> Element | None:
    return shape.find("./*/p:nvPr/p:ph", NS)


def _text(shape: Element) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(q("a:t"))) for p in shape.iterfind("p:txBody/a:p", NS))


def _slide(name: str, place: str, package: Package, part: str, slide: Element, titles: Counter[str]) -> list[Finding]:
    found: list[Finding] = []
    tree = slide.find("p:cSld/p:spTree", NS)
    shapes = _shapes(tree) if tree is not None else []
    title = ""
    first_text = None
    for shape in shapes:
        text = _text(shape).strip()
        ph = _placeholder(shape)
        kind = ph.get("type", "obj") if ph is not None else ""
        if text and first_text is None:
            first_text = (shape, kind)
        if kind in _TITLES and text and not title:
            title = " ".join(text.split())
    if not title:
        found.append(Finding(name, place, "PPTX-TITLE-001", "the slide has no title: put one in its title placeholder"))
    else:
        titles[title] += 1
        if titles[title] > 1:
            hint = f"title {excerpt(title)} is also an earlier slide's: make each slide's title unique"
            found.append(Finding(name, place, "PPTX-TITLE-002", hint, "warning"))
        if first_text is not None and first_text[1] not in _TITLES:
            hint = f"{_name(first_text[0])!r} is read before the title: move the title first in the reading order"
            found.append(Finding(name, place, "PPTX-ORDER-001", hint, "warning"))
    for shape in shapes:
        text = _text(shape).strip()
        ph = _placeholder(shape)
        if not text and ph is None and shape.tag != q("p:grpSp") and not _described(shape):
            hint = f"{_name(shape)!r} has no alt text: describe it, or mark it decorative"
            found.append(Finding(name, place, "PPTX-ALT-001", hint))
        lines = [line for line in text.split("\n") if line.strip()]
        if ph is None and len(lines) >= _BODY_LINES:
            hint = (
                f"{_name(shape)!r} holds {len(lines)} paragraphs in a free text box: put body text in the layout's "
                "body placeholder so Outline view and screen readers see it"
            )
            found.append(Finding(name, place, "PPTX-BODY-001", hint, "warning"))
    found += _contrast(name, place, package, part, slide, shapes)
    return found


def _name(shape: Element) -> str:
    properties = shape.find("./*/p:cNvPr", NS)
    return properties.get("name", "") if properties is not None else ""


def _described(shape: Element) -> bool:
    properties = shape.find("./*/p:cNvPr", NS)
    if properties is None:
        return False
    decorative = any(e.get("val") in ("1", "true") for e in properties.iter(q("adec:decorative")))
    return decorative or bool((properties.get("descr") or "").strip())


# -- colours ----------------------------------------------------------------------------------------------


class _Scheme:
    """The colours of a slide's master theme, through the master's colour map (bg1 -> lt1, tx1 -> dk1...)."""

    def __init__(self, package: Package, master: str) -> None:
        self.colours: dict[str, str] = {}
        self.mapping: dict[str, str] = {}
        root = package.part(master)
        if root is None:
            return
        colour_map = root.find("p:clrMap", NS)
        if colour_map is not None:
            self.mapping = dict(colour_map.attrib)
        theme = next((t for t in package.relationships(master).values() if "/theme/" in t), "")
        theme_root = package.part(theme)
        scheme = theme_root.find("a:themeElements/a:clrScheme", NS) if theme_root is not None else None
        for entry in scheme if scheme is not None else ():
            key = entry.tag.rpartition("}")[2]
            srgb = entry.find("a:srgbClr", NS)
            system = entry.find("a:sysClr", NS)
            value = srgb.get("val") if srgb is not None else system.get("lastClr") if system is not None else None
            colour = hex_colour(value)
            if colour:
                self.colours[key] = colour

    def resolve(self, fill: Element | None) -> str | None:
        """The colour of an a:solidFill (srgbClr or schemeClr, with lumMod/lumOff); None when unknown."""
        if fill is None:
            return None
        srgb = fill.find("a:srgbClr", NS)
        if srgb is not None:
            base, modifiers = hex_colour(srgb.get("val")), srgb
        else:
            scheme = fill.find("a:schemeClr", NS)
            if scheme is None:
                return None
            key = scheme.get("val", "")
            base, modifiers = self.colours.get(self.mapping.get(key, key)), scheme
        if base is None:
            return None
        return _modified(base, modifiers)


def _modified(colour: str, element: Element) -> str:
    """A colour with its lumMod and lumOff applied, as PowerPoint's lighter and darker swatches are."""
    mod = element.find("a:lumMod", NS)
    off = element.find("a:lumOff", NS)
    if mod is None and off is None:
        return colour
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    h, light, s = colorsys.rgb_to_hls(r, g, b)
    light = light * (int(mod.get("val", "100000")) / 100000 if mod is not None else 1)
    light = min(1.0, light + (int(off.get("val", "0")) / 100000 if off is not None else 0))
    return "#{:02X}{:02X}{:02X}".format(*(round(c * 255) for c in colorsys.hls_to_rgb(h, light, s)))


def _background(package: Package, chain: list[str], scheme: _Scheme) -> str:
    """The slide's ground: a plain fill of the slide, else its layout's, else its master's; else white."""
    for part in chain:
        root = package.part(part)
        fill = root.find("p:cSld/p:bg/p:bgPr/a:solidFill", NS) if root is not None else None
        colour = scheme.resolve(fill)
        if colour:
            return colour
        reference = root.find("p:cSld/p:bg/p:bgRef", NS) if root is not None else None
        if reference is not None:
            colour = scheme.resolve(reference)
            if colour:
                return colour
    return "#FFFFFF"


def _contrast(
    name: str, place: str, package: Package, part: str, slide: Element, shapes: list[Element]
) -> list[Finding]:
    layout = next((t for t in package.relationships(part).values() if "slideLayouts/" in t), "")
    master = next((t for t in package.relationships(layout).values() if "slideMasters/" in t), "") if layout else ""
    scheme = _Scheme(package, master)
    ground = _background(package, [part, layout, master], scheme)
    seen: dict[Colour, str] = {}
    for shape in shapes:
        own = scheme.resolve(shape.find("p:spPr/a:solidFill", NS)) or ground
        for run in shape.iterfind("p:txBody/a:p/*", NS):
            if run.tag not in (q("a:r"), q("a:fld")):
                continue
            text = "".join(t.text or "" for t in run.iter(q("a:t")))
            properties = run.find("a:rPr", NS)
            if not text.strip() or properties is None:
                continue
            colour = scheme.resolve(properties.find("a:solidFill", NS))
            if colour is None:
                continue  # inherited from the placeholder or the master: not resolved here
            size = properties.get("sz", "")
            points = int(size) / 100 if size.isdigit() else 10.0  # unknown: judged as small text
            pair = Colour(colour, own, is_large(points, properties.get("b") in ("1", "true")))
            if pair.fails and pair not in seen:
                seen[pair] = text
    return [Finding(name, place, "PPTX-CONTRAST-001", pair.hint(excerpt(text))) for pair, text in seen.items()]
