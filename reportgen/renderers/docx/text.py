"""Runs of text with the font slots, languages and direction their scripts need (Word's w:rFonts, w:lang, w:rtl)."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, NamedTuple

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from ...markup import Rich
from ...text import scripts
from .inline import _hyperlink
from .styles import _BIDI_SUCCESSORS, _StyleIds

if TYPE_CHECKING:
    from pathlib import Path

    from ...errors import Reporter
    from ...markup import Run
    from ...theme import Theme
    from .inline import Role, _Inline


def _plain(text: str) -> bool:
    """True for text Word sets with the paragraph's own fonts, left to right: nothing per run to add."""
    return scripts.latin_ltr(text)


def _rtl(text: str) -> bool:
    """True when `text` runs right to left (scripts.is_rtl), answered at once for text that cannot."""
    return not scripts.latin_ltr(text) and scripts.is_rtl(text)


class _Segment:
    """A stretch of one run's text that can share one set of run properties."""

    __slots__ = ("complex", "complex_face", "east_asian", "east_asian_face", "latin_letters", "rtl", "script", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.script: str | None = None  # the complex script it holds (ISO 15924: "Arab", "Deva", ...)
        self.rtl: bool | None = None  # True: must be a right-to-left run; False: must not be; None: either
        self.east_asian = ""  # its east-asian characters
        self.complex = ""  # its complex-script characters
        self.east_asian_face: Path | None = None  # the face text.fallback sets its east-asian characters in
        self.complex_face: Path | None = None  # and its complex-script characters
        self.latin_letters = False


class _RunKey(NamedTuple):
    """Everything a run's w:rPr says here; runs that agree share one prototype."""

    char_style: str | None
    latin: str | None
    east_asian: str | None
    complex: str | None
    hint: bool
    rtl: bool
    east_asian_language: str | None
    complex_language: str | None
    bold: bool = False  # direct w:b, w:bCs: bold where the character style is not Strong
    italic: bool = False  # direct w:i, w:iCs: italic where the character style is not Emphasis


def _run_properties(key: _RunKey, language: str) -> Any:
    """The w:rPr for `key`, children in the schema's order (rStyle, rFonts, b, i, rtl, lang); empty if it says
    nothing."""
    rPr = OxmlElement("w:rPr")
    if key.char_style is not None:
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), key.char_style)
        rPr.append(style)
    if key.latin or key.east_asian or key.complex:
        fonts = OxmlElement("w:rFonts")
        for attribute, value in (
            ("w:ascii", key.latin),
            ("w:hAnsi", key.latin),
            ("w:eastAsia", key.east_asian),
            ("w:cs", key.complex),
            ("w:hint", "eastAsia" if key.hint else None),
        ):
            if value:
                fonts.set(qn(attribute), value)
        rPr.append(fonts)
    for flag, tags in ((key.bold, ("w:b", "w:bCs")), (key.italic, ("w:i", "w:iCs"))):
        if flag:
            rPr.extend(OxmlElement(tag) for tag in tags)
    if key.rtl:
        rPr.append(OxmlElement("w:rtl"))
    if key.east_asian_language or key.complex_language:
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), language)
        if key.east_asian_language:
            lang.set(qn("w:eastAsia"), key.east_asian_language)
        if key.complex_language:
            lang.set(qn("w:bidi"), key.complex_language)
        rPr.append(lang)
    return rPr


class _Text:
    """Makes w:p elements holding plain text, with the font slots, languages and direction scripts need.

    Text that needs nothing special (almost all of it) is made by copying one prototype paragraph per style
    and run layout: building each paragraph through python-docx's element API costs a schema-order search
    per child, and a deep copy of a finished prototype is an order of magnitude faster for thousands of
    paragraphs. Only text with east-asian or complex-script characters, or paragraphs that run right to
    left, is split into runs here.
    """

    def __init__(self, styles: _StyleIds, theme: Theme, language: str, inline: _Inline | None = None) -> None:
        self._inline = inline
        self._code_font = theme.code_font
        # A template's code style may name a font of its own: only our own documents name the theme's.
        self._code_latin = theme.code_font if styles.fonts else None
        self._fonts = styles.fonts
        self._families = theme.font_families
        self._language = language
        self._prototypes: dict[tuple[str, tuple[str | None, ...]], Any] = {}
        self._stack: tuple[Path, ...] | None = None  # the theme's installed families, as text.fallback takes them
        self._family_of: dict[Path, str] = {}
        self._uncovered: set[str] = set()
        self._classes: dict[str, tuple[str, str | None, bool | None]] = {}
        self._run_properties: dict[_RunKey, Any] = {}

    def paragraph(
        self, style_id: str, *texts: str, char_styles: tuple[str | None, ...] = (), direction: str | None = None
    ) -> Any:
        """Return a new paragraph in style `style_id`, one run per text (never interpreted as markup).

        Its base direction is that of `direction` (default: all its text); a right-to-left paragraph gets
        w:bidi, which also aligns it to the right, the side it starts from.
        """
        layout = char_styles or (None,) * len(texts)
        for text in texts:
            if not (text.isascii() or _plain(text)):
                break
        else:  # the common case, kept cheap: no text needs anything of its own, so none runs right to left
            prototype = self._prototypes.get((style_id, layout))
            p = copy.deepcopy(prototype if prototype is not None else self._prototype(style_id, layout))
            for t, text in zip(p.iter(_T), texts, strict=True):
                t.text = text
                # Word drops leading, trailing and repeated spaces unless told to keep them.
                if text != text.strip() or "  " in text:
                    t.set(_XML_SPACE, "preserve")
            return p
        rtl = _rtl("".join(texts) if direction is None else direction)
        p = copy.deepcopy(self._prototype(style_id, ()))
        if rtl:
            _set_bidi(p.get_or_add_pPr())
        for text, char_style in zip(texts, layout, strict=True):
            self.add_runs(p, text, char_style, style_id, rtl)
        return p

    def rich_paragraph(self, style_id: str, text: str) -> Any:
        """Return a new paragraph in style `style_id` holding `text` with its markup: bold, italic and code
        runs in their character styles, links as w:hyperlink to external relationships. Text without markup
        is made as `paragraph` makes it (a plain str too)."""
        if not (isinstance(text, Rich) and text.has_markup):
            return self.paragraph(style_id, text)
        inline = self._inline
        if inline is None:
            raise ValueError("a paragraph with markup needs the document's character styles")
        rtl = _rtl(text)
        p = copy.deepcopy(self._prototype(style_id, ()))
        if rtl:
            _set_bidi(p.get_or_add_pPr())
        link: str | None = None
        parent = p
        for run in text.runs:
            if run.link != link:
                link = run.link
                parent = p
                if link is not None:
                    parent = _hyperlink(inline.link(link))
                    p.append(parent)
            # One character style per run, the role a reader sees first; the others are direct formatting.
            role = _role(run)
            self.add_runs(
                parent,
                run.text,
                None if role is None else inline.style(role),
                style_id,
                rtl,
                bold=run.bold and role != "strong",
                italic=run.italic and role != "emphasis",
                code=run.code,
                code_direct=run.code and role != "code",
            )
        return p

    def add_runs(
        self,
        p: Any,
        text: str,
        char_style: str | None,
        style_id: str,
        rtl: bool,
        *,
        bold: bool = False,
        italic: bool = False,
        code: bool = False,
        code_direct: bool = False,
    ) -> None:
        """Append `text` to `p` (a paragraph or hyperlink) as one run, or as several where scripts need
        different properties; `bold` and `italic` are direct formatting, `code` says the run is code (in the
        code font, directly when `code_direct`, else through its character style)."""
        code_font = self._code_font if code_direct else None
        if _plain(text) and not rtl:
            if not (bold or italic or code_font):
                _append_run(p, text, char_style)
                return
            segments = [_Segment(text)]
        else:
            segments = self._segments(text)
        east_asian_language = ""
        for segment in segments:
            east_asian = self._family_of.get(segment.east_asian_face) if segment.east_asian_face else None
            complex_ = self._family_of.get(segment.complex_face) if segment.complex_face else None
            if segment.east_asian and not east_asian_language:
                found = {scripts.letter_script(ch) for ch in text}
                east_asian_language = scripts.east_asian_language(found, self._language)
            script = segment.script
            complex_language = scripts.script_language(script, self._language) if script else None
            latin = code_font
            if east_asian or complex_:
                # Naming the other slots names the Latin one too: code keeps the code font there.
                latin = code_font or (self._code_latin if code else None) or self._fonts.get(style_id)
            key = _RunKey(
                char_style=char_style,
                latin=latin,
                east_asian=east_asian,
                complex=complex_,
                # Punctuation shared by both (quotes, middle dots) then takes the east-asian font too.
                hint=bool(segment.east_asian) and not segment.latin_letters,
                rtl=bool(segment.rtl or (segment.rtl is None and rtl)),
                east_asian_language=east_asian_language if segment.east_asian else None,
                complex_language=complex_language,
                bold=bold,
                italic=italic,
            )
            rPr = self._run_properties.get(key)
            if rPr is None:
                rPr = self._run_properties[key] = _run_properties(key, self._language)
            r = _append_run(p, segment.text, None)
            if len(rPr):
                r.insert(0, copy.deepcopy(rPr))

    def report_uncovered(self, report: Reporter) -> None:
        """Warn once about characters no font of the theme has (Word will pick a font of its own for them)."""
        if self._uncovered:
            listed = ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in sorted(self._uncovered)[:12])
            more = f" and {len(self._uncovered) - 12} more" if len(self._uncovered) > 12 else ""
            report.warning(
                f"no font of the theme ({', '.join(self._families)}) has the characters {listed}{more}; "
                "Word will substitute a font of its own: add one that has them to fallback_fonts"
            )

    # -- internals

    def _prototype(self, style_id: str, layout: tuple[str | None, ...]) -> Any:
        prototype = self._prototypes.get((style_id, layout))
        if prototype is None:
            prototype = self._prototypes[(style_id, layout)] = _prototype(style_id, layout)
        return prototype

    def _segments(self, text: str) -> list[_Segment]:
        """Split text where one run cannot hold both sides: a different complex script, a change between
        characters that must run right to left and those that must not, or a different face for the
        characters of one slot (text.fallback's rule, the PDF's). Spaces, digits and punctuation stay with
        the run before them."""
        segments: list[_Segment] = []
        current: _Segment | None = None
        chars: list[str] = []
        classes = self._classes
        faces = self._faces(text)
        for ch, face in zip(text, faces, strict=True):
            known = classes.get(ch)
            if known is None:
                known = classes[ch] = scripts.run_class(ch)
            slot, script, rtl = known
            held = None  # the face the current run has for this character's slot
            if current is not None:
                held = (
                    current.east_asian_face
                    if slot == "east_asian"
                    else current.complex_face
                    if slot == "complex"
                    else None
                )
            if current is not None and (
                (script is not None and current.script is not None and script != current.script)
                or (rtl is not None and current.rtl is not None and rtl != current.rtl)
                or (face is not None and held is not None and face != held)
            ):
                current.text = "".join(chars)
                segments.append(current)
                current = None
            if current is None:
                current = _Segment("")
                chars = []
            chars.append(ch)
            if script is not None:
                current.script = script
            if rtl is not None:
                current.rtl = rtl
            if slot == "east_asian":
                current.east_asian += ch
                current.east_asian_face = current.east_asian_face or face
            elif slot == "complex":
                current.complex += ch
                current.complex_face = current.complex_face or face
            elif rtl is False and slot == "latin":  # a letter: only letters are strongly left to right
                current.latin_letters = True
        if current is not None:
            current.text = "".join(chars)
            segments.append(current)
        return segments

    def _faces(self, text: str) -> list[Path | None]:
        """The face of each character of `text` in the theme's stack (text.fallback, the rule the PDF and
        the deck follow); characters of the east-asian and complex slots that no face has are noted."""
        from ...text import fallback
        from ...text.fonts import font_stack

        if self._stack is None:
            found = font_stack(self._families)
            self._stack = tuple(path for _, path in found)
            self._family_of = {path: family for family, path in reversed(found)}
        if not self._stack:
            return [None] * len(text)
        faces = fallback.faces_of(text, [self._stack] * len(text))
        self._uncovered.update(
            ch for ch, face in zip(text, faces, strict=True) if face is None and scripts.slot(ch) != "latin"
        )
        return faces


def _role(run: Run) -> Role | None:
    """The character style a run of markup takes: its link, else its code, else its bold, else its italic."""
    if run.link:
        return "hyperlink"
    if run.code:
        return "code"
    if run.bold:
        return "strong"
    return "emphasis" if run.italic else None


_T = qn("w:t")
_XML_SPACE = qn("xml:space")


def _prototype(style_id: str, char_styles: tuple[str | None, ...]) -> Any:
    p = OxmlElement("w:p")
    p.style = style_id
    for char_style in char_styles:
        r = p.add_r()
        if char_style is not None:
            r.style = char_style
        r.add_t("")
    return p


_RUN_PROTOTYPES: dict[str | None, Any] = {}


def _append_run(p: Any, text: str, char_style: str | None) -> Any:
    """Append a run holding `text` (spaces kept) to `p` and return it. The run is copied from one made once
    per character style: python-docx's `r.style` looks for its place among every successor name each time."""
    prototype = _RUN_PROTOTYPES.get(char_style)
    if prototype is None:
        prototype = OxmlElement("w:r")
        if char_style is not None:
            prototype.style = char_style
        prototype.append(OxmlElement("w:t"))
        _RUN_PROTOTYPES[char_style] = prototype
    r = copy.deepcopy(prototype)
    t = r[-1]
    t.text = text
    if text != text.strip() or "  " in text:
        t.set(_XML_SPACE, "preserve")
    p.append(r)
    return r


_KEEP_NEXT, _P_STYLE = qn("w:keepNext"), qn("w:pStyle")


def keep_with_next(p: Any) -> None:
    """Make paragraph `p` keep with the next (w:keepNext, right after its w:pStyle where the schema puts
    it): python-docx's keepNext_val searches every successor name for its place, per paragraph."""
    pPr = p.get_or_add_pPr()
    if pPr.find(_KEEP_NEXT) is None:
        pPr.insert(1 if len(pPr) and pPr[0].tag == _P_STYLE else 0, OxmlElement("w:keepNext"))


def _set_bidi(pPr: Any) -> None:
    """Mark paragraph properties `pPr` right-to-left (w:bidi), in its place in the schema's order."""
    if pPr.find(qn("w:bidi")) is None:
        pPr.insert_element_before(OxmlElement("w:bidi"), *_BIDI_SUCCESSORS)
