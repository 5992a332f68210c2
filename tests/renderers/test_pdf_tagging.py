"""The tagged PDF: PDF/UA-1 with 0 failed rules in page-validation, and a structure tree in the brief's order.

Runs everywhere, never skipped: page-validation (a Rust wheel, no Java) and pikepdf are dependencies.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import page
import pikepdf
import pytest

from reportgen import words as composed
from reportgen.errors import Reporter
from reportgen.loader import from_data, load_event
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.renderers import kept_outcomes
from reportgen.renderers.pdf import RENDERER
from reportgen.theme import load_theme

from ..conftest import CASES, EXAMPLES, png_bytes

THEMES = ["default", "high-contrast", "print"]
SOURCES = [*EXAMPLES, CASES / "rich" / "every-construct.yaml"]

# Latin, Greek, Cyrillic, Chinese, Japanese, Devanagari and Arabic, in paragraphs of their own and mixed in
# one, in a brief in English, with a link.
MIXED = {
    "event": {"title": "Scripts of the world", "subtitle": "Ελληνικά · Русский · 中文 · 日本語 · हिन्दी · العربية"},
    "days": [
        {
            "title": "Day 1",
            "sessions": [
                {
                    "code": "A",
                    "title": "Every script in one paragraph",
                    "outcomes": [
                        "English, then Ελληνικά, Русский, 中文, 日本語のテキスト, हिन्दी and العربية in one line.",
                        "Δημιουργία εμπιστοσύνης μεταξύ των εταίρων.",
                        "Сосредоточиться на общинах и местном бизнесе.",
                        "加强价值链伙伴之间的信任。",
                        "サプライチェーン全体で児童労働の根本原因に取り組む。",
                        "मानसिकता बदलने के लिए समुदायों पर ध्यान केंद्रित करें।",
                        "إقامة تحالفات مع الشركات في القطاع الرسمي.",
                        "See [the report](https://example.org/report) for more.",
                    ],
                },
                {"code": "Β", "title": "Διαφάνεια και ιχνηλασιμότητα", "outcomes": ["Ναι."]},
            ],
        }
    ],
}


def render(event: Event, options: RenderOptions) -> bytes:
    return RENDERER.render(event, options, Reporter())


def failures(data: bytes) -> list[str]:
    report = page.validate_pdf_bytes(data, profile="ua1")
    found = [f"{failure.rule_id}: {failure.message}" for failure in report.failures]
    assert report.is_compliant == (not found)
    return found


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_every_example_in_every_built_in_theme_passes_pdf_ua_1(
    source: Path, theme: str, options: RenderOptions
) -> None:
    data = render(load_event(source), replace(options, theme=load_theme(theme)))
    assert failures(data) == []


def test_a_brief_mixing_seven_scripts_passes_pdf_ua_1_with_each_language_tagged(options: RenderOptions) -> None:
    data = render(from_data(Event, MIXED), options)
    assert failures(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.Root.Lang) == "en"
        langs = {str(element.Lang) for element in elements(pdf) if "/Lang" in element}
    assert {"el-GR", "ru-RU", "zh-CN", "ja-JP", "hi-IN", "ar-SA"} <= langs


def test_a_logo_is_a_figure_with_its_alt_text_and_passes(options: RenderOptions, make_theme: Any) -> None:
    theme = make_theme(files={"logo.png": png_bytes()}, logo="logo.png", logo_alt="Alliance 8.7")
    data = render(load_event(EXAMPLES[0]), replace(options, theme=theme))
    assert failures(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        first = pdf.Root.StructTreeRoot.K.K[0]
        assert (str(first.S), str(first.Alt)) == ("/Figure", "Alliance 8.7")


def test_the_catalog_pages_and_links_carry_what_pdf_ua_asks_for(options: RenderOptions) -> None:
    event = load_event(CASES / "rich" / "every-construct.yaml")
    data = render(event, options)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        assert root.MarkInfo.Marked is True
        assert root.ViewerPreferences.DisplayDocTitle is True
        assert str(root.Lang) == event.meta.language
        assert "/Outlines" in root
        xmp = root.Metadata.read_bytes().decode()
        assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
        assert f'<rdf:li xml:lang="x-default">{event.meta.title}</rdf:li>' in xmp
        assert "<xmp:CreateDate>2026-06-25T17:30:00Z</xmp:CreateDate>" in xmp
        annotations = [annot for p in pdf.pages for annot in p.obj.get("/Annots", ())]
        assert annotations
        for p in pdf.pages:
            assert p.obj.Tabs == pikepdf.Name.S
        links = [element for element in elements(pdf) if str(element.S) == "/Link"]
        objrs = [kid.Obj for link in links for kid in kids(link) if isinstance(kid, pikepdf.Dictionary)]
        assert sorted(a.objgen for a in objrs) == sorted(a.objgen for a in annotations)
        for annot in annotations:
            assert str(annot.Contents).strip()
            assert "/StructParent" in annot


# -- reading order ----------------------------------------------------------------------------------


def kids(element: Any) -> list[Any]:
    k = element.get("/K")
    return [] if k is None else list(k) if isinstance(k, pikepdf.Array) else [k]


def elements(pdf: pikepdf.Pdf) -> list[Any]:
    """Every structure element, in tree order."""
    found: list[Any] = []

    def walk(element: Any) -> None:
        found.append(element)
        for kid in kids(element):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                walk(kid)

    walk(pdf.Root.StructTreeRoot.K)
    return found


def marked_texts(pdf: pikepdf.Pdf) -> dict[tuple[Any, int], str]:
    """(page objgen, MCID) -> the text drawn in that marked-content sequence, read through the fonts'
    ToUnicode maps."""
    texts: dict[tuple[Any, int], str] = {}
    for p in pdf.pages:
        fonts = p.obj.Resources.Font
        maps = {str(name): to_unicode(fonts[name]) for name in fonts.keys()}  # noqa: SIM118 (a pikepdf Dictionary)
        stack: list[int | None] = []
        font = ""
        for operands, operator in pikepdf.parse_content_stream(p):
            op = str(operator)
            if op == "BDC":
                props = operands[1]
                stack.append(int(props.MCID) if isinstance(props, pikepdf.Dictionary) and "/MCID" in props else None)
            elif op == "BMC":
                stack.append(None)
            elif op == "EMC":
                stack.pop()
            elif op == "Tf":
                font = str(operands[0])
            elif op in ("TJ", "Tj") and stack and stack[-1] is not None:
                items = operands[0] if op == "TJ" else [operands[0]]
                text = "".join(
                    maps[font].get(code, "")
                    for item in items
                    if isinstance(item, pikepdf.String)
                    for code in bytes(item)
                )
                key = (p.obj.objgen, stack[-1])
                texts[key] = texts.get(key, "") + text
    return texts


def to_unicode(font: Any) -> dict[int, str]:
    data = font.ToUnicode.read_bytes().decode("latin-1")
    pairs = re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]+)>", data.split("beginbfchar", 1)[1])
    return {int(code, 16): bytes.fromhex(value).decode("utf-16-be") for code, value in pairs}


def reading_order(data: bytes) -> list[tuple[str, str]]:
    """(structure type, text) of each block-level element (headings, paragraphs, list items, figures) in
    tree order: the text a screen reader reads, element by element; whitespace dropped, since a line
    break is not drawn."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        texts = marked_texts(pdf)

        def text_of(element: Any) -> str:
            page_ = element.get("/Pg")
            out = []
            for kid in kids(element):
                if isinstance(kid, int):
                    out.append(texts.get((page_.objgen, kid), ""))
                elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    out.append(text_of(kid))
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == pikepdf.Name.MCR:
                    out.append(texts.get((kid.Pg.objgen, int(kid.MCID)), ""))
            return "".join(out)

        order = []
        for element in elements(pdf):
            kind = str(element.S)[1:]
            if kind == "Figure" and "/Alt" in element:
                order.append((kind, "".join(str(element.Alt).split())))
            elif kind in ("H1", "H2", "H3", "P", "LI", "TH", "TD"):
                order.append((kind, "".join(text_of(element).split())))
        return order


def story_order(event: Event, today: date = date(2026, 6, 25)) -> list[tuple[str, str]]:
    """(structure type, text) of the brief's blocks in the order story.py yields them, table cells row by row
    (a header row once, however many pages the table crosses), a chart by its alternative text."""
    meta = event.meta
    words = meta.words.follow_up
    expected = [("H1", meta.title)]
    if meta.subtitle:
        expected.append(("P", meta.subtitle))
    if details := composed.details(meta):
        expected.append(("P", details))
    if meta.key_messages:
        expected += [("H2", words.key_messages), *(("LI", m) for m in meta.key_messages)]

    def cells(action: Any) -> list[tuple[str, str]]:
        status = words.status_of(action.status)
        return [("TD", action.action), ("TD", action.owner), ("TD", composed.due(action, today, words)), ("TD", status)]

    for day in event.days:
        expected.append(("H2", day.title))
        for session in day.sessions:
            expected.append(("H3", session.heading))
            if roles := composed.roles(session, meta.words):
                expected.append(("P", roles))
            expected += [("LI", outcome) for outcome, _ in kept_outcomes(session.outcomes)]
            if session.actions:
                expected += [("TH", w) for w in (words.action, words.owner, words.due, words.status)]
                expected += [cell for action in session.actions for cell in cells(action)]
    if event.actions:
        expected += [("H2", words.all_actions)]
        expected += [("TH", w) for w in (words.session, words.action, words.owner, words.due, words.status)]
        for d, s, action in composed.by_due_date(event):
            expected += [("TD", composed.place(d, s)), *cells(action)]
        expected += [("H3", words.by_status), ("Figure", composed.chart_description(event, words))]
    return [(kind, "".join(str(text).split())) for kind, text in expected]


@pytest.mark.parametrize(
    "source",
    [*(p for p in EXAMPLES if p.stem != "multilingual"), CASES / "rich" / "every-construct.yaml"],
    ids=lambda p: p.stem,
)
def test_the_structure_trees_reading_order_is_the_briefs_order(source: Path, options: RenderOptions) -> None:
    event = load_event(source)
    assert reading_order(render(event, options)) == story_order(event)


def test_a_paragraph_broken_across_pages_is_one_element_in_order(options: RenderOptions) -> None:
    long = " ".join(f"Sentence {i} of a long outcome that must break across two pages." for i in range(120))
    event = from_data(
        Event,
        {
            "event": {"title": "Long"},
            "days": [{"title": "Day 1", "sessions": [{"code": "A", "title": "T", "outcomes": [long, "After."]}]}],
        },
    )
    data = render(event, options)
    assert len(pikepdf.open(io.BytesIO(data)).pages) >= 2
    assert reading_order(data) == story_order(event)
    assert failures(data) == []


def test_the_follow_up_with_since_passes_and_its_tables_are_scoped_header_cells(options: RenderOptions) -> None:
    new, old = (EXAMPLES[0].parent / name for name in ("follow-up.yaml", "follow-up-previous.yaml"))
    data = render(load_event(new), replace(options, previous=load_event(old)))
    assert failures(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        found = elements(pdf)
        kinds = [str(element.S) for element in found]
        assert {"/Table", "/TR", "/TH", "/TD", "/Figure"} <= set(kinds)
        headers = [element for element in found if str(element.S) == "/TH"]
        assert all(str(h.A.Scope) == "/Column" for h in headers)
        figure = next(element for element in found if str(element.S) == "/Figure")
        assert str(figure.Alt).startswith("Actions by status. Day 1 · A: 1 open, 1 in progress.")
