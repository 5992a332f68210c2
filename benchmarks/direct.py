"""The baseline: the simplest direct script over the same three libraries reportgen uses.

What a capable engineer writes in an afternoon without reportgen: yaml.safe_load the source, then one
library call per item, the way each library's documentation shows it. No validation, no theme, no
pagination, no reproducibility, no optimisation.

    python benchmarks/direct.py SOURCE.yaml [-o DIR] [-f docx,pdf,pptx]

writes DIR/<stem>.docx, .pdf and .pptx (default DIR: output/).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml

FORMATS = ("docx", "pdf", "pptx")


def roles_line(session: dict[str, Any]) -> str:
    """ "Moderator: …  ·  Rapporteur: …", or "" when the session names neither."""
    labels = (("moderator", "Moderator"), ("rapporteur", "Rapporteur"))
    return "  ·  ".join(f"{label}: {session[key]}" for key, label in labels if session.get(key))


def details_line(meta: dict[str, Any]) -> str:
    return " · ".join(str(meta[k]) for k in ("date", "venue", "organiser") if meta.get(k))


def write_docx(data: dict[str, Any], path: Path) -> None:
    import docx

    meta = data["event"]
    doc = docx.Document()
    doc.add_heading(meta["title"], 0)
    if meta.get("subtitle"):
        doc.add_paragraph(meta["subtitle"], style="Subtitle")
    if details := details_line(meta):
        doc.add_paragraph(details)
    for day in data["days"]:
        doc.add_heading(day["title"], 1)
        for session in day["sessions"]:
            doc.add_heading(f"{session['code']}: {session['title']}", 2)
            if roles := roles_line(session):
                doc.add_paragraph(roles)
            for outcome in session["outcomes"]:
                doc.add_paragraph(outcome, style="List Bullet")
    doc.save(path)


def write_pptx(data: dict[str, Any], path: Path) -> None:
    from pptx import Presentation

    meta = data["event"]
    prs = Presentation()
    title_layout, content_layout, section_layout = prs.slide_layouts[0], prs.slide_layouts[1], prs.slide_layouts[2]
    slide = prs.slides.add_slide(title_layout)
    slide.shapes.title.text = meta["title"]
    slide.placeholders[1].text = meta.get("subtitle") or ""
    for day in data["days"]:
        slide = prs.slides.add_slide(section_layout)
        slide.shapes.title.text = day["title"]
        slide.placeholders[1].text = f"{len(day['sessions'])} sessions"
        for session in day["sessions"]:
            slide = prs.slides.add_slide(content_layout)
            slide.shapes.title.text = f"{session['code']}: {session['title']}"
            body = slide.placeholders[1].text_frame
            for n, outcome in enumerate(session["outcomes"]):
                paragraph = body.paragraphs[0] if n == 0 else body.add_paragraph()
                paragraph.text = outcome
    prs.save(path)


def write_pdf(data: dict[str, Any], path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    meta = data["event"]
    styles = getSampleStyleSheet()
    # Paragraph reads its text as markup, so & and < must be escaped or the build fails.
    story = [Paragraph(escape(meta["title"]), styles["Title"])]
    if meta.get("subtitle"):
        story.append(Paragraph(escape(meta["subtitle"]), styles["Heading2"]))
    if details := details_line(meta):
        story.append(Paragraph(escape(details), styles["Normal"]))
    for day in data["days"]:
        story.append(Paragraph(escape(day["title"]), styles["Heading1"]))
        for session in day["sessions"]:
            story.append(Paragraph(escape(f"{session['code']}: {session['title']}"), styles["Heading2"]))
            if roles := roles_line(session):
                story.append(Paragraph(escape(roles), styles["Italic"]))
            for outcome in session["outcomes"]:
                story.append(Paragraph(escape(outcome), styles["Bullet"], bulletText="•"))
    SimpleDocTemplate(str(path), pagesize=A4, title=meta["title"]).build(story)


WRITERS = {"docx": write_docx, "pdf": write_pdf, "pptx": write_pptx}


def main() -> None:
    parser = argparse.ArgumentParser(description="The baseline: YAML -> docx, pdf, pptx, one call per item.")
    parser.add_argument("source", type=Path)
    parser.add_argument("-o", "--out", type=Path, default=Path("output"))
    parser.add_argument("-f", "--formats", default=",".join(FORMATS))
    args = parser.parse_args()
    with args.source.open(encoding="utf-8") as stream:
        data = yaml.safe_load(stream)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.formats.split(","):
        WRITERS[name](data, args.out / f"{args.source.stem}.{name}")


if __name__ == "__main__":
    main()
