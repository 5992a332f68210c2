"""Tagged PDF (PDF/UA-1): the structure recorded while the brief is drawn, and written into the file after.

While the brief is drawn, every piece of real content is wrapped in a marked-content sequence with an MCID
(`/P <</MCID 3>> BDC ... EMC`) and everything else (backgrounds, rules, bullets, underlines, footers and
page numbers) in `/Artifact`; `_Tags` records which structure element each MCID and link annotation
belongs to, in the order drawn, which is the brief's order. Once reportlab has written the file, `tag`
adds what reportlab's canvas cannot write: the structure tree (Document -> H1, P, H2, H3, L/LI/LBody, Link
with its annotation, Span with /Lang, Figure with /Alt), the ParentTree, /StructParents and /Tabs on
pages, /StructParent and /Contents on link annotations, /MarkInfo, and XMP metadata with the PDF/UA
identification. pikepdf (imported here alone, when a brief is tagged) reads the file's object numbers
and gives back the catalog, pages and annotations with their new entries; the tree itself is formatted
as PDF text and everything goes in an update appended to the file, which keeps tagging within a tenth
of the PDF's render time (docs/benchmarks.md).
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from ...text.scripts import EAST_ASIAN_SCRIPTS, KANA, language_for, language_script, letter_script, same_script

if TYPE_CHECKING:
    from datetime import datetime

    from ...text.shaping import Line, Run


class _Element:
    """A structure element: its kind (a standard structure type), its number in document order, its
    parent's, its kids in order (elements, the (page, MCID) of marked content, or ("annot", page, index) of
    a link annotation), the page of its first marked content and whether it has some on another page too,
    and its attributes."""

    __slots__ = ("alt", "contents", "kids", "kind", "lang", "number", "page", "parent", "spread")

    def __init__(self, kind: str, number: int, parent: int, lang: str | None, alt: str | None) -> None:
        self.kind, self.number, self.parent, self.lang, self.alt = kind, number, parent, lang, alt
        self.kids: list[_Element | tuple[int, int] | tuple[str, int, int]] = []
        self.page, self.spread = -1, False
        self.contents: list[str] = []  # a Link's text, for its annotation's /Contents


class _Tags:
    """The structure of one brief, recorded as it is drawn: the page being drawn, the element each MCID of
    each page belongs to, and each page's link annotations in the order made."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.script = language_script(language)
        self.latin = self.script == "Latn"
        self.elements: list[_Element] = []  # in document order: the structure tree's preorder
        self.root = self.add(None, "Document")
        self.parents: list[list[_Element]] = [[]]  # per page: MCID -> element
        self.links: list[list[_Element]] = [[]]  # per page: the Link element of each annotation, in order
        self.list: _Element | None = None  # the list the last paragraph drawn is an item of

    def add(self, parent: _Element | None, kind: str, lang: str | None = None, alt: str | None = None) -> _Element:
        """A new element of `kind`, the last of `parent`'s kids (None: the root). Elements are made in
        document order, each after its parent and its earlier siblings' descendants."""
        element = _Element(kind, len(self.elements), -1 if parent is None else parent.number, lang, alt)
        self.elements.append(element)
        if parent is not None:
            parent.kids.append(element)
        return element

    def new_page(self) -> None:
        """The page drawn so far is done; content from now on is on the next."""
        self.parents.append([])
        self.links.append([])

    def begin(self, element: _Element, properties: str = "") -> str:
        """The operator that opens a marked-content sequence of `element` on the current page, with more
        `properties` (" /Key value" pairs) in its property list."""
        page = len(self.parents) - 1
        parents = self.parents[page]
        mcid = len(parents)
        parents.append(element)
        element.kids.append((page, mcid))
        if element.page != page:
            element.spread, element.page = element.page != -1, page if element.page == -1 else element.page
        return f"/{element.kind} <</MCID {mcid}{properties}>> BDC"

    def annotation(self, link: _Element) -> None:
        """The next link annotation made on the current page belongs to `link`."""
        page = len(self.links) - 1
        link.kids.append(("annot", page, len(self.links[page])))
        self.links[page].append(link)

    def figure(self, alt: str, within: _Element | None = None) -> _Element:
        """A Figure with its alternative text, next in the document (in `within`, by default the root)."""
        self.list = None
        return self.add(within or self.root, "Figure", alt=alt)

    def section(self, kind: str = "Sect") -> _Element:
        """A grouping element (Sect, Part) next in the document, for the paragraphs made `within` it."""
        self.list = None
        return self.add(self.root, kind)

    def paragraph(self, role: str, text: str, within: _Element | None = None) -> _Paragraph:
        """The structure of a paragraph next in the document (in `within`, by default the root): `role` "LI"
        is an item of the list the paragraph before is in, or of a new one."""
        lang = None if self.latin and text.isascii() else self.lang_of(text)
        if lang == self.language:
            lang = None  # the catalog's /Lang says it
        if role != "LI":
            self.list = None
            return _Paragraph(self, self.add(within or self.root, role, lang))
        if self.list is None:
            self.list = self.add(within or self.root, "L")
        # The bullet is a decoration (an artifact), so the item has no label (Lbl), only its body.
        return _Paragraph(self, self.add(self.add(self.list, "LI"), "LBody", lang))

    def lang_of(self, text: str, within: str | None = None) -> str | None:
        """The language of `text` by its first letter: the language of the text it is `within` (by default
        the document's) for a letter of its script, else
        the usual language of the letter's script (Arabic in an English brief: "ar-SA"; Han with kana
        after it: Japanese); None for text without letters (digits, punctuation), or in a script with no
        usual language."""
        language = within or self.language
        own = self.script if within is None else language_script(within)
        found = ""
        for ch in text:
            script = letter_script(ch)
            if not script:
                continue
            if same_script(script, own) or (script == "Hani" and own in EAST_ASIAN_SCRIPTS):
                if not found:
                    return language
                break
            if not found:
                found = script
            elif script in KANA and found == "Hani":  # Han with kana is Japanese
                found = script
                break
        if found and same_script(found, self.script):
            return self.language  # the document's own script inside a text in another: its language
        return language_for(found) if found else None


class _Paragraph:
    """The structure elements of one paragraph (shared by its parts on several pages): the element its
    text goes in (P, H1-H3, or an item's LBody), and the element the last run drawn went in, so that a
    link or a run in another language broken over two lines stays one element."""

    def __init__(self, tags: _Tags, element: _Element) -> None:
        self.tags, self.element = tags, element
        self.last: tuple[str | None, str | None, _Element] | None = None

    def line(self, line: Line) -> tuple[list[str | None], list[_Element]]:
        """For each run of the line, left to right: the operator opening its marked-content sequence
        (None: it goes on in the one before), and the element it is in."""
        begins: list[str | None] = []
        elements: list[_Element] = []
        before: _Element | None = None
        for run in line.runs:
            element = self._element(run)
            begins.append(self.tags.begin(element) if element is not before else None)
            elements.append(element)
            before = element
        return begins, elements

    def _element(self, run: Run) -> _Element:
        tags, paragraph = self.tags, self.element
        if paragraph.lang is None and tags.latin and run.text.isascii():
            lang = None  # the common case, told cheaply: ASCII in a brief in a Latin-script language
        else:
            within = paragraph.lang or tags.language
            lang = tags.lang_of(run.text, within)
            if lang == within:
                lang = None  # the paragraph's
        if not run.link and not lang:
            self.last = None
            return paragraph
        key = (run.link, lang)
        last = self.last
        if last is not None and last[:2] == key:
            element = last[2]
        else:
            element = tags.add(paragraph, "Link" if run.link else "Span", lang)
        if run.link:
            element.contents.append(run.text)
        self.last = (run.link, lang, element)
        return element


ARTIFACT = "/Artifact BMC"
"""The operator opening content that is not the document's: rules, underlines, backgrounds."""
PAGINATION = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC"
"""The operator opening a page's running footer and page number."""


def tag(data: bytes, tags: _Tags, title: str, author: str, subject: str, when: datetime) -> bytes:
    """The PDF `data` as reportlab wrote it, with the structure recorded in `tags` and the rest of what
    PDF/UA-1 asks for; reproducible (same input, same bytes: the /ID is left for backend._stamp_id).

    What is added goes in an update appended to the file (ISO 32000-1 7.5.6): the structure tree (thousands
    of small objects for a long brief) written as PDF text, and the catalog, pages and link annotations as
    pikepdf gives them back with their new entries. Neither pikepdf's object calls nor a rewrite of the
    whole file by qpdf would fit the time allowed: each costs more than the rest of tagging together.
    """
    import pikepdf
    from pikepdf import Dictionary, Name

    with pikepdf.open(io.BytesIO(data)) as pdf:
        size = int(pdf.trailer.Size)
        pages = [page.obj for page in pdf.pages]
        annots = [list(page.get("/Annots", ())) for page in pages]
        objects, tree_root, key = _tree(
            tags, [page.objgen[0] for page in pages], [[a.objgen[0] for a in on] for on in annots], size
        )
        changed: dict[int, bytes] = {}
        catalog = pdf.Root
        # References to objects not in the file yet: names in their place, replaced in the text.
        catalog.StructTreeRoot, catalog.Metadata = Name("/RgStructTreeRoot"), Name("/RgMetadata")
        catalog.MarkInfo = Dictionary(Marked=True)
        catalog.Lang = pikepdf.String(tags.language)
        catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        metadata = size + len(objects)
        catalog.Version = Name("/1.7")  # PDF/UA-1 is ISO 32000-1; object streams (below) need 1.5
        text = catalog.unparse(resolved=True)
        text = text.replace(b"/RgStructTreeRoot", b" %d 0 R" % tree_root).replace(b"/RgMetadata", b" %d 0 R" % metadata)
        changed[catalog.objgen[0]] = text
        key = len(pages)
        for number, page in enumerate(pages):
            page.StructParents, page.Tabs = number, Name.S
            changed[page.objgen[0]] = page.unparse(resolved=True)
            for annot, link in zip(annots[number], tags.links[number], strict=True):
                annot.StructParent = key
                annot.Contents = pikepdf.String("".join(link.contents).strip())
                changed[annot.objgen[0]] = annot.unparse(resolved=True)
                key += 1
    changed.update(enumerate(objects, start=size))
    xmp = _xmp(title, author, subject, tags.language, when)
    # The metadata stays a stream of its own, uncompressed, as PDF/A and XMP readers expect.
    plain = {metadata: b"<</Type/Metadata/Subtype/XML/Length %d>>\nstream\n%s\nendstream" % (len(xmp), xmp)}
    return _append(data, changed, plain)


def _tree(tags: _Tags, pages: list[int], annots: list[list[int]], first: int) -> tuple[list[bytes], int, int]:
    """The structure tree as PDF objects numbered from `first` on (`pages` and `annots` give the object
    numbers of the pages and of each page's annotations): the objects, the number of the
    StructTreeRoot, and the ParentTree's next key."""
    tree_root = first + len(tags.elements)
    parent_tree = tree_root + 1
    objects: list[bytes] = []
    for element in tags.elements:
        parent = tree_root if element.parent < 0 else first + element.parent
        one_page = element.page >= 0 and not element.spread
        head = f"<</Type/StructElem/S/{element.kind}/P {parent} 0 R"
        if one_page:
            head += f"/Pg {pages[element.page]} 0 R"
        if element.lang:
            head += f"/Lang{_text(element.lang)}"
        if element.alt is not None:
            head += f"/Alt{_text(element.alt)}"
        if element.kind == "TH":  # every table's header cells head their column (tables._Table)
            head += "/A<</O/Table/Scope/Column>>"
        kids: list[str] = []
        for kid in element.kids:
            if isinstance(kid, _Element):
                kids.append(f"{first + kid.number} 0 R")
            elif len(kid) == 2:
                page, mcid = kid
                kids.append(str(mcid) if one_page else f"<</Type/MCR/Pg {pages[page]} 0 R/MCID {mcid}>>")
            else:
                _, page, index = kid
                kids.append(f"<</Type/OBJR/Pg {pages[page]} 0 R/Obj {annots[page][index]} 0 R>>")
        if len(kids) == 1:
            objects.append(f"{head}/K {kids[0]}>>".encode())
        else:
            objects.append(f"{head}/K[{' '.join(kids)}]>>".encode())
    nums: list[str] = []
    for number, elements in enumerate(tags.parents[: len(pages)]):
        nums.append(f"{number}[" + " ".join([f"{first + element.number} 0 R" for element in elements]) + "]")
    key = len(pages)
    for links in tags.links[: len(pages)]:
        for link in links:
            nums.append(f"{key} {first + link.number} 0 R")
            key += 1
    objects.append(
        f"<</Type/StructTreeRoot/K {first} 0 R/ParentTree {parent_tree} 0 R/ParentTreeNextKey {key}>>".encode()
    )
    objects.append(("<</Nums[" + " ".join(nums) + "]>>").encode())
    return objects, tree_root, key


def _text(value: str) -> str:
    """A PDF text string: UTF-16BE with its byte order mark, in hex."""
    return "<FEFF" + value.encode("utf-16-be").hex().upper() + ">"


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_ENTRY = re.compile(rb"/(?:ID\s*\[[^\]]*\]|Info\s+\d+\s+\d+\s+R|Root\s+\d+\s+\d+\s+R)")
# A cross-reference stream entry's fields, as struct packs them: type (1 byte), offset or object stream (4),
# generation or index in the stream (4); their widths, for /W.
_ROW, _WIDTHS = "BII", (1, 4, 4)
_LEVEL = 1  # zlib's fastest: 6 would take 4 times as long for a file 5% smaller


def _append(data: bytes, packed: dict[int, bytes], plain: dict[int, bytes]) -> bytes:
    """`data` with an update appended (ISO 32000-1 7.5.6): the `packed` objects (number -> text, new or
    replacing one) compressed together in an object stream, the `plain` ones as they are, and a
    cross-reference stream for them all. Packed, the structure tree takes a tenth of the room."""
    found = _STARTXREF.search(data)
    if found is None:
        raise ValueError("reportlab wrote no cross-reference table where expected")
    trailer = data[data.rfind(b"trailer") : found.start()]
    kept = b"".join(_ENTRY.findall(trailer))  # the /ID, /Info and /Root of the file as it was
    size = int(re.search(rb"/Size\s+(\d+)", trailer).group(1))  # type: ignore[union-attr]
    numbers = sorted(packed)
    stream_number = max(size, numbers[-1] + 1, *(n + 1 for n in plain))
    xref_number = stream_number + 1
    # The object stream: "number offset" pairs, then the objects.
    bodies, header, at = [], [], 0
    for number in numbers:
        header.append(b"%d %d" % (number, at))
        bodies.append(packed[number])
        at += len(packed[number]) + 1
    head = b" ".join(header) + b"\n"
    content = zlib.compress(head + b"\n".join(bodies) + b"\n", _LEVEL)
    offsets: dict[int, int] = {}
    parts, position = [data], len(data)

    def put(number: int, text: bytes) -> None:
        nonlocal position
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, text)
        offsets[number] = position
        parts.append(chunk)
        position += len(chunk)

    for number in sorted(plain):
        put(number, plain[number])
    put(
        stream_number,
        b"<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n%s\nendstream"
        % (len(numbers), len(head), len(content), content),
    )
    offsets[xref_number] = position
    # The cross-reference stream: type 1 (offset, 0) for the objects above and itself, type 2 (object stream,
    # index) for the packed ones; a subsection for each run of consecutive numbers.
    entries = {number: (2, stream_number, i) for i, number in enumerate(numbers)}
    entries.update((number, (1, offset, 0)) for number, offset in offsets.items())
    ordered = sorted(entries)
    index: list[bytes] = []
    start = 0
    for i in range(1, len(ordered) + 1):
        if i == len(ordered) or ordered[i] != ordered[i - 1] + 1:
            index.append(b"%d %d" % (ordered[start], i - start))
            start = i
    rows = struct.pack(">" + _ROW * len(ordered), *[value for n in ordered for value in entries[n]])
    table = zlib.compress(rows, _LEVEL)
    parts.append(
        b"%d 0 obj\n<</Type/XRef%s/Size %d/Prev %s/Index[%s]/W[%s]/Filter/FlateDecode/Length %d>>\nstream\n"
        % (
            xref_number,
            kept,
            xref_number + 1,
            found.group(1),
            b" ".join(index),
            b" ".join(b"%d" % w for w in _WIDTHS),
            len(table),
        )
    )
    parts.append(table + b"\nendstream\nendobj\n")
    parts.append(b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number])
    return b"".join(parts)


def _xmp(title: str, author: str, subject: str, language: str, when: datetime) -> bytes:
    """The XMP metadata packet: title, author, subject and language, the dates, and PDF/UA-1's part."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    creator = f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>" if author else ""
    description = (
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(subject)}</rdf:li></rdf:Alt></dc:description>'
        if subject
        else ""
    )
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">'
        "<dc:format>application/pdf</dc:format>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f"{creator}{description}"
        f"<dc:language><rdf:Bag><rdf:li>{escape(language)}</rdf:li></rdf:Bag></dc:language>"
        f"<xmp:CreateDate>{stamp}</xmp:CreateDate><xmp:ModifyDate>{stamp}</xmp:ModifyDate>"
        f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate><xmp:CreatorTool>reportgen</xmp:CreatorTool>"
        "<pdfuaid:part>1</pdfuaid:part>"
        '</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end="w"?>'
    ).encode()
