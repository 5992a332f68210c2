"""The house rules that keep the design simple, checked rather than trusted."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from reportgen import cli, renderers

SRC = Path(renderers.__file__).resolve().parent.parent
# Where each rendering library may be imported, as paths under reportgen/: a file, or (ending in "/") any
# module of a renderer's package. The deck's planner is kept free of python-pptx: only its template reader,
# its emitter and the emitter's chart maker use it.
OWNER: dict[str, tuple[str, ...]] = {
    "docx": ("renderers/docx/",),
    "pptx": ("renderers/pptx/emit.py", "renderers/pptx/template.py", "renderers/pptx/charts.py"),
    "reportlab": ("renderers/pdf/",),
    # The text layer alone shapes and reads fonts.
    "uharfbuzz": ("text/",),
    "fontTools": ("text/",),
    # The tagged PDF's structure is written with pikepdf in one module; the checker reads pages with it.
    "pikepdf": ("renderers/pdf/tagging.py", "check/pdf.py"),
}


def may_import(path: Path, library: str) -> bool:
    """True when the module at `path` is one of the places `library` may be imported."""
    where = path.relative_to(SRC).as_posix()
    return any(where == allowed or (allowed.endswith("/") and where.startswith(allowed)) for allowed in OWNER[library])


def top_level_imports(path: Path) -> set[str]:
    """Top-level package names imported anywhere in a module (absolute imports only)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_rendering_libraries_stay_in_their_renderer(path: Path) -> None:
    for top in top_level_imports(path) & OWNER.keys():
        assert may_import(path, top), f"{path} imports {top}"


def test_the_rule_tells_a_renderers_modules_from_the_rest() -> None:
    renderers_dir = SRC / "renderers"
    assert may_import(renderers_dir / "pptx" / "emit.py", "pptx")
    assert not may_import(renderers_dir / "pptx" / "plan.py", "pptx")
    assert not may_import(renderers_dir / "docx.py", "pptx")
    assert may_import(renderers_dir / "pdf" / "layout.py", "reportlab")
    assert not may_import(renderers_dir / "pdf_extra.py", "reportlab")
    assert not may_import(SRC / "build.py", "docx")


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_yaml_is_only_ever_loaded_safely(path: Path) -> None:
    text = path.read_text()
    for unsafe in (
        "yaml.load(",
        "yaml.unsafe_load",
        "yaml.full_load",
        "UnsafeLoader",
        "yaml.Loader",
        "FullLoader",
    ):
        assert unsafe not in text, f"{path} uses {unsafe}"


def test_the_cli_offers_exactly_the_registered_formats() -> None:
    assert list(cli.FORMATS) == renderers.available()
    assert list(cli.DEFAULT_FORMATS) == renderers.defaults() == ["docx", "pdf", "pptx"]


def test_the_cli_offers_exactly_the_importer_kinds() -> None:
    from reportgen import importer

    assert cli.IMPORT_KINDS == importer.KINDS


def test_every_registered_format_resolves_to_a_renderer_with_its_name() -> None:
    for name in renderers.available():
        renderer = renderers.get(name)
        assert renderer.name == name and renderer.suffix == renderers.suffix(name)
        # A file's suffix ends in its format's file type: .handout.pdf is a PDF.
        assert renderer.suffix.endswith({"handout": ".pdf"}.get(name, f".{name}"))


@pytest.mark.parametrize(
    ("fmt", "libraries"),
    [
        ("docx", ["docx"]),
        ("handout", ["pikepdf", "reportlab"]),  # drawn from the deck's plan: neither python-pptx nor python-docx
    ],
)
def test_building_one_format_imports_only_its_rendering_library(fmt: str, libraries: list[str], tmp_path: Path) -> None:
    seed = str(SRC.parent / "data" / "key-outcomes.yaml")
    code = (
        "import sys\nfrom pathlib import Path\nfrom reportgen.building import build\n"
        f"assert build([{seed!r}], Path({str(tmp_path)!r}), [{fmt!r}], jobs=1).results[0].ok\n"
        "print(sorted({'docx', 'pptx', 'reportlab', 'pikepdf'} & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == repr(libraries)


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_the_model_needs_no_validation_library(path: Path) -> None:
    assert not top_level_imports(path) & {"pydantic", "pydantic_core", "attrs", "msgspec"}, path


def test_loading_building_and_the_schema_import_no_pydantic(tmp_path: Path) -> None:
    seed = str(SRC.parent / "data" / "key-outcomes.yaml")
    code = (
        "import sys\nfrom pathlib import Path\nfrom reportgen.building import build\nfrom reportgen.cli import main\n"
        f"build([{seed!r}], Path({str(tmp_path)!r}), ['docx'], theme='default')\n"
        "try:\n    main(['schema'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_help_does_not_import_the_rendering_libraries_yaml_or_pydantic() -> None:
    code = (
        "import sys\nfrom reportgen.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "heavy = {'docx', 'pptx', 'reportlab', 'yaml', 'pydantic', 'fontTools', 'pikepdf', 'page'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
