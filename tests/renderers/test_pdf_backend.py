"""Every reportlab internal the PDF backend relies on (listed in its docstring) is still where it was.

A reportlab upgrade that moves or reshapes one fails here, naming it, rather than as a wrong PDF.
"""

from __future__ import annotations

import inspect
import io
from typing import Any

import pytest

from reportgen.renderers.pdf import backend
from reportgen.text import fonts


def has(owner: Any, name: str, where: str) -> Any:
    """owner.name, or a failure naming the reportlab internal that moved."""
    assert hasattr(owner, name), f"reportlab internal {where}.{name} is gone (see renderers/pdf/backend.py)"
    return getattr(owner, name)


def takes(function: Any, where: str, *params: str) -> None:
    """The function takes these positional parameters first (after self)."""
    names = [p for p in inspect.signature(function).parameters if p != "self"]
    assert names[: len(params)] == list(params), (
        f"reportlab internal {where} now takes {names}, not {list(params)} (see renderers/pdf/backend.py)"
    )


def test_the_modules_the_backend_imports_from_still_offer_its_names() -> None:
    import reportlab
    from reportlab import rl_config
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts

    assert isinstance(has(reportlab, "Version", "reportlab"), str)
    has(rl_config, "ttfAsciiReadable", "rl_config")
    assert has(rl_accel, "fp_str", "rl_accel")(1.5, 2) == "1.5 2", "reportlab internal rl_accel.fp_str changed"
    for name in ("TTFont", "TTFontFace", "TTEncoding", "TTFNameBytes"):
        has(ttfonts, name, "ttfonts")
    assert issubclass(ttfonts.TTFNameBytes, bytes), "reportlab internal ttfonts.TTFNameBytes is no longer bytes"
    globs = has(ttfonts, "unShapedFontGlob", "ttfonts")
    assert all(isinstance(glob, str) for glob in globs), "reportlab internal ttfonts.unShapedFontGlob changed"
    for name in ("registerFont", "getRegisteredFontNames", "getFont", "_fonts"):
        has(pdfmetrics, name, "pdfmetrics")
    has(pdfdoc, "PDFZCompress", "pdfdoc")
    takes(has(pdfdoc, "PDFStream", "pdfdoc").__init__, "pdfdoc.PDFStream", "dictionary", "content", "filters")


def test_ttfont_has_the_methods_and_attributes_the_backend_uses() -> None:
    from reportlab.pdfbase.ttfonts import TTFont

    takes(TTFont.__init__, "ttfonts.TTFont.__init__", "name", "filename")
    takes(has(TTFont, "splitString", "ttfonts.TTFont"), "ttfonts.TTFont.splitString", "text", "doc")
    takes(
        has(TTFont, "getSubsetInternalName", "ttfonts.TTFont"), "ttfonts.TTFont.getSubsetInternalName", "subset", "doc"
    )
    takes(has(TTFont, "addObjects", "ttfonts.TTFont"), "ttfonts.TTFont.addObjects", "doc")
    path = fonts.find_font("Carlito")
    assert path is not None
    font = TTFont("probe-backend", str(path))
    # What _Font replicates for a face read back from the cache: TTFont.__init__ must set exactly these.
    assert set(vars(font)) == {"fontName", "encoding", "face", "state", "_asciiReadable", "_shapable"}, (
        f"reportlab internal TTFont.__init__ now sets {sorted(vars(font))} (see _Font.__init__ in backend.py)"
    )
    face = font.face
    for name in (
        "charToGlyph",
        "charWidths",
        "defaultWidth",
        "hmetrics",
        "glyphPos",
        "unitsPerEm",
        "_pdfScale",
        "_ttf_data",
    ):
        has(face, name, "ttfonts.TTFontFace")
    assert isinstance(face.charToGlyph, dict) and isinstance(face.charWidths, dict)
    # _Font._copy lends glyph ids: an outline from glyphPos[id] to glyphPos[id + 1], an (advance, lsb) in hmetrics.
    assert isinstance(face.glyphPos, list) and len(face.glyphPos) == len(face.hmetrics) + 1, (
        "reportlab internal TTFontFace.glyphPos/hmetrics changed shape (see _Font._copy in backend.py)"
    )
    assert all(len(metric) == 2 for metric in face.hmetrics[:5]), "reportlab internal TTFontFace.hmetrics changed"
    assert face._pdfScale(face.unitsPerEm) == pytest.approx(1000), "reportlab internal TTFontFace._pdfScale changed"


def test_the_canvas_and_document_have_what_the_footer_and_the_cmaps_use() -> None:
    from reportlab.pdfgen.canvas import Canvas

    path = fonts.find_font("Carlito")
    assert path is not None
    font = backend._register(path)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(200, 100), invariant=1, initialFontName=font.fontName)
    assert isinstance(has(canvas, "_code", "Canvas"), list)
    assert tuple(has(canvas, "_pagesize", "Canvas")) == (200, 100)
    doc = has(canvas, "_doc", "Canvas")
    canvas.addLiteral(f"BT /F1 10 Tf <{font.splitString('A', doc)[0][1].hex()}> Tj ET")
    state = has(font, "state", "TTFont")[doc]
    assert has(state, "subsets", "TTFont.state[doc]"), "reportlab internal TTFont.state[doc].subsets is empty"
    subset = font.getSubsetInternalName(0, doc)[1:]  # before the document is saved, as _Font.addObjects asks
    canvas.showPage()
    page = has(has(doc, "Pages", "Canvas._doc"), "pages", "Canvas._doc.Pages")[-1]
    for attribute in ("stream", "compression"):
        has(page, attribute, "PDFPage")
    canvas.save()
    basic = has(doc, "idToObject", "Canvas._doc")["BasicFonts"].dict
    to_unicode = has(basic[subset], "ToUnicode", "the font object")
    assert "beginbfchar" in doc.idToObject[to_unicode.name].content
    # The trailer /ID that _stamp_id replaces.
    assert backend._stamp_id(out.getvalue()) != out.getvalue()
