"""Golden text: for every example and the rich-text case, in every format, what a reader sees is committed
under tests/golden/; a change that alters it fails here and shows the diff in review.

To accept a change on purpose: REPORTGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py, then review
and commit the changed files with the change that caused them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reportgen.building import build

from .conftest import CASES, EXAMPLES
from .golden import dump

GOLDEN = Path(__file__).resolve().parent / "golden"
SOURCES = [*EXAMPLES, CASES / "rich" / "every-construct.yaml"]
FORMATS = ("docx", "pdf", "pptx")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("golden")
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    report = build([str(s) for s in SOURCES], out, list(FORMATS), jobs=1)
    assert not report.failed, [r.error for r in report.failed]
    return out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_what_a_reader_sees_is_the_golden_text(built: Path, source: Path, fmt: str) -> None:
    text = dump(built / f"{source.stem}.{fmt}")
    golden = GOLDEN / f"{source.stem}.{fmt}.txt"
    if os.environ.get("REPORTGEN_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden text yet: run with REPORTGEN_UPDATE_GOLDEN=1 and review {golden}"
    assert text == golden.read_text(encoding="utf-8")
