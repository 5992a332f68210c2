"""Accessibility checks of built files: .pdf through page-validation, .docx and .pptx by rules written here.

`check(paths)` returns located findings (file, page or slide, rule id, one-line hint, severity) for any
file of the three kinds, ours or anyone's; the command line prints them, or writes them as JSON. Each
format's module is imported only when a file of that kind is checked. docs/accessibility.md lists the
rules and what is left to a human.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Finding(NamedTuple):
    """One problem found in a file: where (\"page 2\", \"slide 3\", \"paragraph 14\", \"document\"), the rule
    broken, a one-line hint, and whether it is an error (the file fails) or a warning."""

    file: str
    place: str
    rule: str
    hint: str
    severity: Severity = "error"

    def __str__(self) -> str:
        return f"{self.file}: {self.place}: {self.severity}: {self.rule}: {self.hint}"

    def to_json(self) -> dict[str, str]:
        """The finding as a JSON object (the keys are the field names)."""
        return dict(self._asdict())


def kind_of(path: Path, data: bytes) -> str | None:
    """ "pdf", "docx" or "pptx" from a file's bytes (its name only breaks no ties); None for anything else."""
    if data[:5] == b"%PDF-":
        return "pdf"
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "ppt/presentation.xml" in names:
            return "pptx"
    return None


def check_file(path: Path) -> list[Finding]:
    """The findings for one file; a file that cannot be read or is of no known kind is one error finding."""
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        return [Finding(name, "file", "CHECK-READ-001", f"cannot be read: {error.strerror or error}")]
    kind = kind_of(path, data)
    if kind == "pdf":
        from . import pdf

        return pdf.check(name, data)
    if kind == "docx":
        from . import docx

        return docx.check(name, data)
    if kind == "pptx":
        from . import pptx

        return pptx.check(name, data)
    return [Finding(name, "file", "CHECK-KIND-001", "not a PDF, Word (.docx) or PowerPoint (.pptx) file")]


def check(paths: Iterable[Path]) -> list[Finding]:
    """The findings for every file, in the order given; each file's in document order."""
    found: list[Finding] = []
    for path in paths:
        found.extend(check_file(path))
    return found


def summary(files: int, findings: list[Finding]) -> str:
    """One line: how many files were checked, with how many errors and warnings."""
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    plural = "" if files == 1 else "s"
    return (
        f"{files} file{plural} checked: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
    )
