"""Tagged PDF (PDF/UA-1): the structure recorded while the brief is drawn, and written into the file after.

While the brief is drawn, every piece of real content is wrapped in a marked-content sequence with an MCID
(`/P <</MCID 3>> BDC ... EMC`) and everything else (backgrounds, rules, underlines, footers and page
numbers) in `/Artifact`; `_Tags` records which structure element each MCID belongs to, in the order drawn,
which is the brief's order. Once reportlab has written the file, `tag` adds what reportlab cannot write,
with pikepdf (qpdf), imported only here: the structure tree (Document -> H1, P, H2, H3, L/LI/Lbl/LBody,
Link with its annotation, Span with /Lang, Figure with /Alt), the ParentTree, /StructParents on pages,
/StructParent and /Contents on link annotations, /MarkInfo, XMP metadata with the PDF/UA identification,
and /Tabs /S on pages. Writing the tree after, rather than through reportlab's own objects, keeps
reportlab's internals to what backend.py already uses, and qpdf writes thousands of small objects far
faster than reportlab's Python serialiser.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from ...text.scripts import EAST_ASIAN_SCRIPTS, KANA, language_for, language_script, letter_script, same_script

if TYPE_CHECKING:
    from datetime import datetime

    from ...text.shaping import Line, Run


class _Element:
    """A structure element: its kind (a standard structure type), its kids in order (elements, the
    (page, MCID) of marked content, or ("annot", page, index) of a link annotation), and its attributes."""

    __slots__ = ("alt", "contents", "kids", "kind", "lang")

    def __init__(self, kind: str, lang: str | None = None, alt: str | None = None) -> None:
        self.kind, self.lang, self.alt = kind, lang, alt
        self.kids: list[_Element | tuple[int, int] | tuple[str, int, int]] = []
        self.contents: list[str] = []  # a Link's text, for its annotation's /Contents

    def add(self, kind: str, lang: str | None = None, alt: str | None = None) -> _Element:
        """A new element of `kind`, the last of this one's kids."""
        kid = _Element(kind, lang, alt)
        self.kids.append(kid)
        return kid


class _Tags:
    """The structure of one brief, recorded as it is drawn: the page being drawn, the element each MCID of
    each page belongs to, and each page's link annotations in the order made."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.script = language_script(language)
        self.root = _Element("Document")
        self.parents: list[list[_Element]] = [[]]  # per page: MCID -> element
        self.links: list[list[_Element]] = [[]]  # per page: the Link element of each annotation, in order
        self.list: _Element | None = None  # the list the last paragraph drawn is an item of

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
        return f"/{element.kind} <</MCID {mcid}{properties}>> BDC"

    def annotation(self, link: _Element) -> None:
        """The next link annotation made on the current page belongs to `link`."""
        page = len(self.links) - 1
        link.kids.append(("annot", page, len(self.links[page])))
        self.links[page].append(link)

    def figure(self, alt: str) -> _Element:
        """A Figure with its alternative text, next in the document."""
        self.list = None
        return self.root.add("Figure", alt=alt)

    def paragraph(self, role: str, text: str) -> _Paragraph:
        """The structure of a paragraph next in the document: `role` "LI" is an item of the list the
        paragraph before is in, or of a new one."""
        lang = self.lang_of(text)
        if lang == self.language:
            lang = None  # the catalog's /Lang says it
        if role != "LI":
            self.list = None
            return _Paragraph(self, self.root.add(role, lang), None)
        if self.list is None:
            self.list = self.root.add("L")
        item = self.list.add("LI")
        label = item.add("Lbl")
        return _Paragraph(self, item.add("LBody", lang), label)

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
    text goes in (P, H1-H3, or an item's LBody), the item's label, and the element the last run drawn
    went in, so that a link or a run in another language broken over two lines stays one element."""

    def __init__(self, tags: _Tags, element: _Element, label: _Element | None) -> None:
        self.tags, self.element, self.label = tags, element, label
        self.last: tuple[str | None, str | None, _Element] | None = None

    def bullet(self, line: Line) -> list[str | None]:
        """The operators opening the marked content of each run of the bullet (see line)."""
        target = self.label if self.label is not None else self.element
        begins: list[str | None] = [self.tags.begin(target)]
        return begins + [None] * (len(line.runs) - 1)

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
        within = self.element.lang or self.tags.language
        lang = self.tags.lang_of(run.text, within)
        if lang == within:
            lang = None  # the paragraph's
        key = (run.link, lang)
        last = self.last
        if last is not None and last[:2] == key and (run.link or lang):
            element = last[2]
        elif run.link:
            element = self.element.add("Link", lang)
        elif lang:
            element = self.element.add("Span", lang)
        else:
            element = self.element
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
    PDF/UA-1 asks for; reproducible (same input, same bytes: the /ID is left for backend._stamp_id)."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name

    pdf = pikepdf.open(io.BytesIO(data))
    pages = [page.obj for page in pdf.pages]
    annots = [list(page.get("/Annots", ())) for page in pages]
    nums: list[Any] = []
    tree_root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    made: dict[int, Any] = {}  # id(element) -> its object

    def make(element: _Element, parent: Any) -> Any:
        obj = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + element.kind), P=parent))
        made[id(element)] = obj
        on = {kid[0] for kid in element.kids if isinstance(kid, tuple) and len(kid) == 2}
        one_page = len(on) == 1
        if one_page:
            obj.Pg = pages[next(iter(on))]
        kids: list[Any] = []
        for kid in element.kids:
            if isinstance(kid, _Element):
                kids.append(make(kid, obj))
            elif len(kid) == 2:
                page, mcid = kid
                kids.append(mcid if one_page else Dictionary(Type=Name.MCR, Pg=pages[page], MCID=mcid))
            else:
                _, page, index = kid
                kids.append(Dictionary(Type=Name.OBJR, Pg=pages[page], Obj=annots[page][index]))
        if kids:
            obj.K = kids[0] if len(kids) == 1 else Array(kids)
        if element.lang:
            obj.Lang = pikepdf.String(element.lang)
        if element.alt is not None:
            obj.Alt = pikepdf.String(element.alt)
        return obj

    document = make(tags.root, tree_root)
    for number, (page_obj, parents) in enumerate(zip(pages, tags.parents, strict=False)):
        page_obj.StructParents = number
        page_obj.Tabs = Name.S
        nums += [number, Array([made[id(element)] for element in parents])]
    key = len(pages)
    for number, links in enumerate(tags.links[: len(pages)]):
        for index, link in enumerate(links):
            annot = annots[number][index]
            annot.StructParent = key
            annot.Contents = pikepdf.String("".join(link.contents).strip())
            nums += [key, made[id(link)]]
            key += 1
    tree_root.K = document
    tree_root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
    tree_root.ParentTreeNextKey = key
    catalog = pdf.Root
    catalog.StructTreeRoot = tree_root
    catalog.MarkInfo = Dictionary(Marked=True)
    catalog.Lang = pikepdf.String(tags.language)
    catalog.ViewerPreferences = Dictionary(DisplayDocTitle=True)
    xmp = pikepdf.Stream(pdf, _xmp(title, author, subject, tags.language, when))
    xmp.Type, xmp.Subtype = Name.Metadata, Name.XML
    catalog.Metadata = pdf.make_indirect(xmp)
    out = io.BytesIO()
    pdf.save(out, static_id=True, fix_metadata_version=False, compress_streams=True)
    return out.getvalue()


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
