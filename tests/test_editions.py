"""Editions in other languages: PO files made and merged by `translate`, read back by `build --language`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from reportgen.building import build, expand_sources, plan
from reportgen.building.editions import edition_of, with_editions
from reportgen.editions.catalogue import languages_beside, update
from reportgen.editions.texts import texts
from reportgen.loader import load_event

from .conftest import DATA, ROOT, visible

NBSP = "\u00a0"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def plain(text: str) -> str:
    """Text as a reader compares it: white space (line breaks, no-break spaces) as single spaces, no markup."""
    text = re.sub(r"\*\*|__|`", "", text)
    return re.sub(r"\s+", " ", text.replace(NBSP, " ").replace("\u00ad", "")).strip()


def fill(po_file: Path, translations: dict[str, str]) -> None:
    po = polib.pofile(str(po_file))
    for entry in po:
        if entry.msgctxt in translations:
            entry.msgstr = translations[entry.msgctxt]
    po.save()


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """The seed source in a folder of its own, without a PO file."""
    source = tmp_path / "key-outcomes.yaml"
    shutil.copy(DATA / "key-outcomes.yaml", source)
    return source


SHIPPED = {e.msgctxt: e.msgstr for e in polib.pofile(str(DATA / "key-outcomes.fr.po"))}


def test_the_shipped_french_po_translates_every_text_of_the_seed() -> None:
    edition = edition_of(str(DATA / "key-outcomes.yaml"), "fr")
    assert edition.problems == ()
    assert edition.total == len(SHIPPED) == len(texts(load_event(DATA / "key-outcomes.yaml")))
    assert all(SHIPPED.values())
    assert not any("fuzzy" in e.flags for e in polib.pofile(str(DATA / "key-outcomes.fr.po")))
    assert "travail des enfants" in SHIPPED["day-1/d/title"]
    assert "diligence raisonnable" in SHIPPED["day-1/a/title"]


def test_translate_makes_one_entry_per_text_with_its_path_context_and_line(seed: Path) -> None:
    result = run("translate", str(seed), "--language", "fr")
    assert result.returncode == 0, result.stderr
    assert "34 texts, 0 translated; 0 changed (fuzzy), 34 new, 0 dropped" in result.stderr
    po = polib.pofile(str(seed.with_name("key-outcomes.fr.po")))
    assert po.metadata["Language"] == "fr"
    entry = next(e for e in po if e.msgctxt == "day-1/a/outcomes/3")
    assert entry.msgid.startswith("Incorporate perspectives of affected stakeholders")
    assert "Doing due diligence: what lessons can be learnt" in entry.comment  # the session's title
    assert entry.occurrences == [("key-outcomes.yaml", "15")]
    assert [e.msgctxt for e in po][:4] == ["event/title", "event/subtitle", "day-1/title", "day-1/a/title"]
    assert not any(e.msgctxt.endswith(("/code", "/moderator")) for e in po)


def test_round_trip_every_translated_text_comes_back_in_every_format(seed: Path, tmp_path: Path) -> None:
    from docx import Document
    from pptx import Presentation
    from pypdf import PdfReader

    update(seed, "fr")
    fill(seed.with_name("key-outcomes.fr.po"), SHIPPED)
    out = tmp_path / "out"
    result = run("build", str(seed), "--language", "fr", "-o", str(out), "--strict")
    assert result.returncode == 0, result.stderr
    assert visible(out) == ["key-outcomes.fr.docx", "key-outcomes.fr.pdf", "key-outcomes.fr.pptx"]
    docx = Document(str(out / "key-outcomes.fr.docx"))
    deck = Presentation(str(out / "key-outcomes.fr.pptx"))
    pdf = PdfReader(str(out / "key-outcomes.fr.pdf"))
    found = {
        "docx": plain(" ".join(p.text for p in docx.paragraphs)),
        "pptx": plain(
            " ".join(
                "".join(run.text for run in paragraph.runs)
                for slide in deck.slides
                for shape in slide.shapes
                if shape.has_text_frame
                for paragraph in shape.text_frame.paragraphs
            )
        ),
        "pdf": plain(" ".join(page.extract_text() for page in pdf.pages)),
    }
    for path, translation in SHIPPED.items():
        for name, text in found.items():
            assert plain(translation) in text, f"{path} is missing from the {name}"
    assert "Key outcomes" not in found["docx"] and "Breakout sessions" not in found["pdf"]
    # French typography: the space the translator typed before : and ? is a no-break space in the edition.
    assert "raisonnable\u00a0: quels enseignements en tirer\u00a0?" in " ".join(p.text for p in docx.paragraphs)
    # The event's language is the edition's: French labels, plural rules, document language, PDF /Lang.
    assert docx.core_properties.language == "fr"
    assert pdf.trailer["/Root"]["/Lang"] == "fr"
    assert "Page 1 sur" in found["pdf"]
    assert "4 sessions · 9 résultats clés" in found["pptx"]
    assert "1 session" not in found["pptx"].replace("1 sessions", "")


def test_a_changed_sentence_comes_back_fuzzy_with_its_old_translation(seed: Path) -> None:
    update(seed, "fr")
    po_file = seed.with_name("key-outcomes.fr.po")
    fill(po_file, SHIPPED)
    text = seed.read_text()
    text = text.replace("Avoid reinventing the wheel.", "Avoid reinventing the wheel twice.")
    text = text.replace("          - Include incentives.\n", "")  # a field gone: day-2/a/outcomes/5
    text = text.replace("Have courage to stay small.", "Have courage to stay small.\n          - Share data.")
    seed.write_text(text)
    merged = update(seed, "fr")
    assert (merged.fuzzy, merged.new, merged.dropped) == (1, 1, 1)
    po = polib.pofile(str(po_file))
    changed = next(e for e in po if e.msgctxt == "day-2/a/outcomes/2")
    assert changed.msgid == "Avoid reinventing the wheel twice."
    assert "fuzzy" in changed.flags
    assert changed.msgstr == "Ne pas réinventer la roue."  # the old translation, as the suggestion
    assert changed.previous_msgid == "Avoid reinventing the wheel."
    assert '#| msgid "Avoid reinventing the wheel."' in po_file.read_text()
    assert next(e for e in po if e.msgctxt == "day-2/d/outcomes/5").msgstr == ""
    assert [e.msgctxt for e in po.obsolete_entries()] == ["day-2/a/outcomes/5"]
    assert "day-2/a/outcomes/5" not in {e.msgctxt for e in po if not e.obsolete}
    assert next(e for e in po if e.msgctxt == "day-1/a/title").msgstr == SHIPPED["day-1/a/title"]
    # The build says so, names the lines, and prints the source's words for them.
    edition = edition_of(str(seed), "fr")
    assert [(p.path, p.status) for p in edition.problems] == [
        ("day-2/a/outcomes/2", "fuzzy"),
        ("day-2/d/outcomes/5", "untranslated"),
    ]
    assert "Avoid reinventing the wheel twice." in edition.event.days[1].sessions[0].outcomes
    # Run again with nothing changed: the file stays as it is.
    assert not update(seed, "fr").written


def test_a_text_put_back_takes_its_translation_from_the_obsolete_entry(seed: Path) -> None:
    original = seed.read_text()
    update(seed, "fr")
    fill(seed.with_name("key-outcomes.fr.po"), SHIPPED)
    seed.write_text(original.replace("          - Include incentives.\n", ""))
    update(seed, "fr")
    seed.write_text(original)
    assert update(seed, "fr").new == 0
    assert edition_of(str(seed), "fr").problems == ()


def test_a_missing_entry_warns_with_its_line_and_fails_under_strict(seed: Path, tmp_path: Path) -> None:
    update(seed, "fr")
    po_file = seed.with_name("key-outcomes.fr.po")
    fill(po_file, {k: v for k, v in SHIPPED.items() if k != "day-1/a/outcomes/3"})
    line = next(e.linenum for e in polib.pofile(str(po_file)) if e.msgctxt == "day-1/a/outcomes/3")
    message = f"{po_file}:{line}: day-1/a/outcomes/3 untranslated; the source text is used"
    lenient = run("build", str(seed), "--language", "fr", "-o", str(tmp_path / "a"), "-f", "docx")
    assert lenient.returncode == 0, lenient.stderr
    assert message in lenient.stderr
    from docx import Document

    words = " ".join(p.text for p in Document(str(tmp_path / "a" / "key-outcomes.fr.docx")).paragraphs)
    assert "Incorporate perspectives of affected stakeholders" in words  # the source's text stands in
    strict = run("build", str(seed), "--language", "all", "-o", str(tmp_path / "b"), "--strict", "-f", "docx")
    assert strict.returncode == 1
    assert message in strict.stderr
    assert "(fr): failed; nothing written" in strict.stderr
    assert visible(tmp_path / "b") == ["key-outcomes.docx"]  # the source's own edition is fine


def test_refused_translations_are_reported_and_the_source_used(tmp_path: Path) -> None:
    source = tmp_path / "links.yaml"
    source.write_text(
        "event:\n  title: Forum\ndays:\n  - title: Day 1\n    sessions:\n      - code: A\n        title: Links\n"
        "        outcomes:\n          - Read [the guide](https://example.org/a) and https://example.org/b.\n"
        "          - Be **bold**.\n          - Stay safe.\n"
    )
    update(source, "fr")
    fill(
        source.with_name("links.fr.po"),
        {
            "event/title": "Forum",
            "day-1/title": "Jour 1\nsuite",  # a title is one line
            "day-1/a/title": "Liens",
            "day-1/a/outcomes/1": "Lire [le guide](https://example.org/a).",  # a link lost
            "day-1/a/outcomes/2": "Être **audacieux.",  # markup that does not parse
            "day-1/a/outcomes/3": "Voir [ceci](javascript:alert(1)).",  # a link refused, as in a source
        },
    )
    edition = edition_of(str(source), "fr")
    found = {p.path: p.detail for p in edition.problems}
    assert found["day-1/title"].startswith("translation refused: must be a single line")
    assert found["day-1/a/outcomes/1"] == "translation refused: has 1 link where the source has 2"
    assert (
        found["day-1/a/outcomes/2"] == "translation refused: has markup that does not parse: '**' would print as it is"
    )
    assert "link scheme 'javascript:' is not allowed" in found["day-1/a/outcomes/3"]
    assert edition.count("refused") == 4
    assert edition.event.days[0].sessions[0].outcomes[1] == "Be bold."  # the source's text, its markup kept
    assert edition.event.days[0].sessions[0].title == "Liens"


def test_language_all_writes_every_edition_also_split(seed: Path, tmp_path: Path) -> None:
    for language in ("fr", "ar"):
        update(seed, language)
    fill(seed.with_name("key-outcomes.fr.po"), SHIPPED)
    assert languages_beside(seed) == ["ar", "fr"]
    result = run("build", str(seed), "--language", "all", "-o", str(tmp_path / "out"), "-f", "docx,pdf")
    assert result.returncode == 0, result.stderr
    assert visible(tmp_path / "out") == [
        "key-outcomes.ar.docx",
        "key-outcomes.ar.pdf",
        "key-outcomes.docx",
        "key-outcomes.fr.docx",
        "key-outcomes.fr.pdf",
        "key-outcomes.pdf",
    ]
    targets = with_editions(plan(expand_sources([str(seed)]), only=["day-2"], split=True), ["fr"])
    assert [t.stem for t in targets] == [f"key-outcomes--day-2-{c}.fr" for c in "abcd"]
    report = build(targets, tmp_path / "split", ["docx"])
    assert not report.failed
    from docx import Document

    words = " ".join(p.text for p in Document(str(tmp_path / "split" / "key-outcomes--day-2-b.fr.docx")).paragraphs)
    assert SHIPPED["day-2/b/outcomes/2"] in words and SHIPPED["day-2/title"] in words


def test_a_po_change_rebuilds_that_edition_only(seed: Path, tmp_path: Path) -> None:
    for language in ("fr", "es"):
        update(seed, language)
    fill(seed.with_name("key-outcomes.fr.po"), SHIPPED)
    targets = with_editions(plan([str(seed)]), ["all"])
    first = build(targets, tmp_path, ["docx"])
    assert [r.status for r in first.results] == ["built"] * 3
    fill(seed.with_name("key-outcomes.es.po"), {"event/title": "Resultados clave"})
    again = build(targets, tmp_path, ["docx"])
    assert {r.target.stem: r.status for r in again.results} == {
        "key-outcomes": "up to date",
        "key-outcomes.es": "built",
        "key-outcomes.fr": "up to date",
    }


def test_validate_reports_every_editions_completeness(seed: Path) -> None:
    update(seed, "fr")
    fill(seed.with_name("key-outcomes.fr.po"), {k: v for k, v in SHIPPED.items() if not k.startswith("day-2/d")})
    result = run("validate", str(seed), "--language", "all")
    assert result.returncode == 0, result.stderr
    assert f"{seed}: fr: 29 of 34 translated (85%), 0 fuzzy, 5 untranslated, 0 refused" in result.stdout
    strict = run("validate", str(seed), "--language", "all", "--strict")
    assert strict.returncode == 1
    assert "day-2/d/outcomes/4 untranslated" in strict.stderr
    missing = run("validate", str(seed), "--language", "de")
    assert missing.returncode == 1
    assert "key-outcomes.de.po:1:1: no translation file" in missing.stderr


def test_an_edition_without_its_po_file_fails_alone(seed: Path, tmp_path: Path) -> None:
    result = run("build", str(seed), "--language", "en", "--language", "de", "-o", str(tmp_path), "-f", "docx")
    assert result.returncode == 1
    assert "the source itself is written in 'en'" in result.stderr
    assert f"key-outcomes.de.po:1:1: no translation file: make it with `reportgen translate {seed} --language de`" in (
        result.stderr
    )
    assert "0 built, 2 failed" in result.stderr
    bad = run("build", str(seed), "--language", "français", "-o", str(tmp_path))
    assert bad.returncode == 1 and "not a language tag" in bad.stderr


ARABIC = {
    "event/title": "منتدى عمل الأطفال",
    "day-1/title": "اليوم الأول",
    "day-1/a/title": "العناية الواجبة",
    "day-1/a/outcomes/1": "معالجة الأسباب الجذرية لعمل الأطفال.",
    "day-1/a/outcomes/2": "اطّلعوا على **الإرشادات** في https://www.ilo.org/childlabour.",
}


def test_an_arabic_edition_of_a_latin_source_runs_right_to_left(tmp_path: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    from pptx import Presentation
    from pypdf import PdfReader

    source = tmp_path / "forum.yaml"
    source.write_text(
        "event:\n  title: Child labour forum\ndays:\n  - title: Day 1\n    sessions:\n      - code: A\n"
        "        title: Due diligence\n        moderator: Ana Ruiz\n        outcomes:\n"
        "          - Tackle the root causes of child labour.\n"
        "          - Read the **guidance** at https://www.ilo.org/childlabour.\n"
    )
    update(source, "ar")
    fill(source.with_name("forum.ar.po"), ARABIC)
    out = tmp_path / "out"
    assert not build(with_editions(plan([str(source)]), ["all"]), out).failed
    document = Document(str(out / "forum.ar.docx"))
    arabic = [p for p in document.paragraphs if re.search("[\u0600-\u06ff]", p.text)]
    assert {plain(p.text) for p in arabic} >= {plain(t) for t in ARABIC.values()} - {"العناية الواجبة"}
    for paragraph in arabic:
        assert paragraph._p.pPr.find(qn("w:bidi")) is not None, paragraph.text
        assert any(r._r.rPr is not None and r._r.rPr.find(qn("w:rtl")) is not None for r in paragraph.runs)
    source_document = Document(str(out / "forum.docx"))
    assert not any(p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None for p in source_document.paragraphs)
    deck = Presentation(str(out / "forum.ar.pptx"))
    rtl = [
        paragraph
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_text_frame
        for paragraph in shape.text_frame.paragraphs
        if ARABIC["day-1/a/outcomes/1"] in "".join(r.text for r in paragraph.runs)
    ]
    assert rtl and all(p._p.pPr.get("rtl") == "1" for p in rtl)
    pdf = PdfReader(str(out / "forum.ar.pdf"))
    text = " ".join(page.extract_text() for page in pdf.pages)
    for path in ("event/title", "day-1/title", "day-1/a/outcomes/1"):
        assert ARABIC[path] in text
    assert pdf.trailer["/Root"]["/Lang"] == "ar"


def test_the_api_loads_and_builds_editions(tmp_path: Path) -> None:
    import reportgen

    event = reportgen.load(DATA / "key-outcomes.yaml", language="fr")
    assert event.meta.language == "fr" and event.title == "Principaux résultats"
    report = reportgen.build(DATA / "key-outcomes.yaml", tmp_path, ["docx"], languages=["fr"])
    assert [r.target.stem for r in report.results] == ["key-outcomes.fr"] and not report.failed


def test_watch_builds_editions_and_a_saved_po_file_rebuilds(seed: Path, tmp_path: Path) -> None:
    from reportgen.options import RenderOptions
    from reportgen.watch import Watcher

    update(seed, "fr")
    watcher = Watcher([str(seed)], tmp_path / "out", ["docx"], RenderOptions(), languages=["all"])
    assert [t.stem for t in watcher.targets()] == ["key-outcomes", "key-outcomes.fr"]
    assert watcher.relevant(str(seed.with_name("key-outcomes.fr.po"))) == "source"
    assert Watcher([str(seed)], tmp_path, ["docx"], RenderOptions()).relevant(str(seed.with_suffix(".fr.po"))) is None


def test_translate_needs_a_language_tag(seed: Path) -> None:
    assert run("translate", str(seed)).returncode == 2
    wrong = run("translate", str(seed), "--language", "fr_FR")
    assert wrong.returncode == 2 and "'fr_FR'" in wrong.stderr
    assert not list(seed.parent.glob("*.po"))


def test_a_po_file_that_is_not_utf8_is_refused_at_the_line_and_column_of_its_bad_byte(tmp_path: Path) -> None:
    from reportgen.editions.catalogue import read
    from reportgen.errors import SourceInvalid

    po = tmp_path / "fr.po"
    po.write_bytes(b'msgid ""\nmsgstr ""\n\nmsgctxt "event.title"\nmsgid "Key outcomes"\nmsgstr "R\xe9sultats"\n')
    with pytest.raises(SourceInvalid) as refused:
        read(po)
    (problem,) = refused.value.diagnostics
    assert (problem.line, problem.column) == (6, 10)
    assert "byte 0xE9" in problem.message and "UTF-8" in problem.message
