"""A theme that asks its templates for what they will not give: validate says so in build's own words."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml

from reportgen.templatecheck import template_warnings
from reportgen.theme import Theme

from .conftest import DATA
from .renderers.pptx_templates import make_template
from .test_cli import run


def _theme_folder(tmp_path: Path, template: bytes, **settings: object) -> Path:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "brand.pptx").write_bytes(template)
    (folder / "theme.yaml").write_text(yaml.safe_dump({"name": "brand", "reference_pptx": "brand.pptx", **settings}))
    return folder


def test_a_slide_size_the_template_does_not_have_is_a_warning(make_theme: Callable[..., Theme]) -> None:
    data = make_template(size="16:9").data
    asked = make_theme(files={"brand.pptx": data}, reference_pptx="brand.pptx", slide_size="4:3")
    (warning,) = template_warnings(asked)
    assert "slide_size is 4:3 but its PowerPoint template 'brand.pptx' is 16:9" in warning
    assert 'set slide_size: "16:9" or use a 4:3 template' in warning
    unsaid = make_theme(files={"brand.pptx": data}, reference_pptx="brand.pptx")  # the template decides
    same = make_theme(files={"brand.pptx": data}, reference_pptx="brand.pptx", slide_size="16:9")
    assert template_warnings(unsaid) == template_warnings(same) == []


def test_validate_and_build_print_the_same_warning(tmp_path: Path) -> None:
    folder = _theme_folder(tmp_path, make_template(size="16:9").data, slide_size="4:3")
    seed = str(DATA / "key-outcomes.yaml")
    checked = run("validate", seed, "--theme", str(folder))
    assert checked.returncode == 0, checked.stderr
    warning = next(line for line in checked.stderr.splitlines() if "slide_size is 4:3" in line)
    built = run("build", seed, "--theme", str(folder), "-f", "pptx", "-o", str(tmp_path / "out"))
    assert built.returncode == 0 and warning in built.stderr.splitlines()
    strict = run("validate", seed, "--theme", str(folder), "--strict")
    assert strict.returncode == 1 and warning in strict.stderr.splitlines()


def test_validate_refuses_a_template_build_would_refuse(tmp_path: Path) -> None:
    folder = _theme_folder(tmp_path, make_template(without_titles=True).data)
    seed = str(DATA / "key-outcomes.yaml")
    checked = run("validate", seed, "--theme", str(folder))
    built = run("build", seed, "--theme", str(folder), "-f", "pptx", "-o", str(tmp_path / "out"))
    assert (checked.returncode, built.returncode) == (1, 1)
    message = "has no slide layout with a title placeholder"
    line = next(line for line in checked.stderr.splitlines() if message in line)
    assert line in built.stderr.splitlines()
