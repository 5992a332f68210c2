"""LibreOffice for the tests that check what a reader sees: finding it (a failure in CI, a skip elsewhere)
and converting documents to PDF in one run, with a private profile so that a LibreOffice already running, or
a test running beside, cannot swallow the job."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def soffice() -> str:
    """The LibreOffice command; fails the test in CI (which installs it), skips it elsewhere."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI to check how documents are drawn")
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def to_pdf(documents: dict[str, bytes], suffix: str, folder: Path) -> dict[str, Path]:
    """Write each document as NAME + `suffix` in `folder`, convert them all to PDF in one LibreOffice run,
    and return each one's PDF by name."""
    sources = []
    for name, data in documents.items():
        sources.append(folder / f"{name}{suffix}")
        sources[-1].write_bytes(data)
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return {name: folder / f"{name}.pdf" for name in documents}
