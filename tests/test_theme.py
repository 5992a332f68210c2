"""Themes: built-in and user folders, strict colours, located errors, and files that cannot escape their folder."""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path

import pytest

from reportgen.building import build
from reportgen.errors import SourceInvalid
from reportgen.model import Invalid
from reportgen.theme import (
    DEFAULT_THEME,
    MAX_IMAGE_BYTES,
    Theme,
    builtin_themes,
    contrast_ratio,
    image_size,
    load_theme,
)

from .conftest import DATA, png_bytes, visible
from .test_cli import run


def _problems(callable_: Callable[[], object]) -> list[str]:
    with pytest.raises(SourceInvalid) as caught:
        callable_()
    return [d.without_file() for d in caught.value.diagnostics]


def test_three_built_in_themes_load_without_warnings() -> None:
    assert builtin_themes() == ["default", "high-contrast", "print"]
    for name in builtin_themes():
        theme = load_theme(name)
        assert theme.name == name and theme.description and theme.warnings() == []


def test_the_default_theme_file_states_the_defaults_of_the_code() -> None:
    def settings(theme: Theme) -> dict[str, object]:
        return {f.name: getattr(theme, f.name) for f in fields(Theme) if f.name[0] != "_" and f.name not in skip}

    skip = {"name", "description"}
    assert settings(load_theme("default")) == settings(DEFAULT_THEME)


def test_colours_are_strict_and_three_digits_expand(make_theme: Callable[..., Theme]) -> None:
    assert make_theme(accent="#fFf").accent == "#FFFFFF"
    assert make_theme(primary="#1f4e79").primary == "#1F4E79"


@pytest.mark.parametrize("bad", ["red", "#12345", "1F4E79", "#GGGGGG", "#1F4E79FF"])
def test_anything_else_is_a_located_colour_error(bad: str, tmp_path: Path) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "theme.yaml").write_text(f'name: brand\naccent: "{bad}"\n')
    assert _problems(lambda: load_theme(str(folder))) == [
        f'2:9: accent: must be a colour written "#RRGGBB" or "#RGB", not \'{bad}\''
    ]


def test_theme_files_get_the_same_located_errors_as_sources(tmp_path: Path) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "theme.yaml").write_text("name: brand\nbody_fnt: Arial\npage_size: A5\nbody_size: many\n")
    assert _problems(lambda: load_theme(str(folder))) == [
        "2:1: unknown key 'body_fnt' (did you mean 'body_font'?)",
        "3:12: page_size: Input should be 'A4' or 'Letter'",
        "4:12: body_size: Input should be a valid number, unable to parse string as a number",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("body_size: 3", "2:12: body_size: Input should be greater than or equal to 4"),
        ("body_size: 201", "2:12: body_size: Input should be less than or equal to 200"),
        ("body_size: nan", "2:12: body_size: Input should be less than or equal to 200"),
        ("body_size: [11]", "2:12: body_size: Input should be a valid number"),
        ("body_size: ٣٣", "2:12: body_size: Input should be a valid number, unable to parse string as a number"),
        ("margin_mm: 4", "2:12: margin_mm: Input should be greater than or equal to 5"),
        ("slide_min_body_size: 61", "2:22: slide_min_body_size: Input should be less than or equal to 60"),
        ("slide_min_body_size: 30", "1:1: 'slide_min_body_size' must not be larger than 'slide_body_size'"),
        ("slide_size: 16:10", "2:13: slide_size: Input should be '16:9' or '4:3'"),
        ("heading_font: ''", "2:15: heading_font: String should have at least 1 character"),
        (f"heading_font: {'x' * 201}", "2:15: heading_font: String should have at most 200 characters"),
        ("fallback_fonts: Arial", "2:17: fallback_fonts: must be a list (lines starting with '- '), not text"),
    ],
)
def test_numbers_choices_and_lengths_are_checked_with_the_same_words(tmp_path: Path, line: str, message: str) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "theme.yaml").write_text(f"name: brand\n{line}\n")
    assert _problems(lambda: load_theme(str(folder))) == [message]


def test_numbers_are_read_from_text_and_text_is_stripped(make_theme: Callable[..., Theme]) -> None:
    theme = make_theme(body_size="10.5", margin_mm=" 25 ", heading_font="  Arial ", fallback_fonts=["A", " B "])
    assert (theme.body_size, theme.margin_mm, theme.heading_font) == (10.5, 25.0, "Arial")
    assert theme.fallback_fonts == ("A", "B")


def test_the_settings_a_theme_states_are_known_even_at_their_default(make_theme: Callable[..., Theme]) -> None:
    assert DEFAULT_THEME.explicit == frozenset()
    assert make_theme(accent="#E07A2F").explicit == {"name", "accent"}  # the default accent, named
    assert replace(DEFAULT_THEME, page_size="Letter").explicit == {"page_size"}
    assert {"accent", "page_size", "margin_mm"} <= load_theme("default").explicit


def test_a_theme_made_in_code_is_checked_across_settings() -> None:
    with pytest.raises(Invalid, match="logo_alt"):
        Theme(logo="logo.png")
    with pytest.raises(Invalid, match="must not be larger"):
        replace(DEFAULT_THEME, slide_min_body_size=30)


def test_the_fingerprint_changes_with_every_setting_and_survives_a_copy() -> None:
    changed = {
        "name": "x", "accent": "#000000", "fallback_fonts": ("DejaVu Sans",), "body_size": 12, "page_size": "Letter",
        "footer_text": "f", "reference_docx": "r.docx",
    }  # fmt: skip
    prints = {replace(DEFAULT_THEME, **{key: value}).fingerprint() for key, value in changed.items()}
    assert len(prints | {DEFAULT_THEME.fingerprint()}) == len(changed) + 1
    assert replace(DEFAULT_THEME).fingerprint() == DEFAULT_THEME.fingerprint()


def test_an_unknown_theme_lists_the_built_in_ones() -> None:
    assert _problems(lambda: load_theme("corporate-blue")) == [
        "1:1: no theme 'corporate-blue': not a theme folder or file, "
        "nor a built-in theme (default, high-contrast, print)"
    ]


def test_contrast_is_measured_as_wcag_does() -> None:
    assert round(contrast_ratio("#000000", "#FFFFFF"), 1) == 21.0
    assert round(contrast_ratio("#777777", "#FFFFFF"), 2) == 4.48


def test_low_contrast_colours_are_warned_about(make_theme: Callable[..., Theme]) -> None:
    theme = make_theme(text="#AAAAAA")
    assert theme.warnings() == [
        f"theme {theme.name!r}: text #AAAAAA on #FFFFFF (outcomes and body text) has contrast 2.3:1, "
        "below WCAG AA's 4.5:1"
    ]


def test_every_text_colour_is_checked_on_its_ground_naming_the_pair(make_theme: Callable[..., Theme]) -> None:
    theme = make_theme(muted="#999999", primary="#8FB3D9")
    roles = [w.split(": ", 1)[1].split(" #")[0] for w in theme.warnings()]
    # A light primary fails as heading text and as the ground of the cover's white text.
    assert roles == ["primary", "muted", "background on primary"]
    assert "(titles and headings) has contrast 2.2:1" in theme.warnings()[0]


def test_a_light_accent_is_darkened_for_text_only_as_far_as_aa_needs() -> None:
    from reportgen.theme import DEFAULT_THEME, readable

    assert round(contrast_ratio("#E07A2F", "#FFFFFF"), 1) == 3.0  # the default accent: too light for text
    shade = DEFAULT_THEME.accent_text
    assert shade != "#E07A2F" and 4.5 <= contrast_ratio(shade, "#FFFFFF") < 4.6
    assert readable("#1B3A5C", "#FFFFFF") == "#1B3A5C"  # dark enough already: unchanged
    lighter = readable("#1B3A5C", "#101010")  # on a dark page the shade is lighter
    assert contrast_ratio(lighter, "#101010") >= 4.5 and lighter != "#1B3A5C"


def test_the_three_built_in_themes_pass_aa_for_every_text_pair() -> None:
    for name in builtin_themes():
        theme = load_theme(name)
        for pair in theme.text_pairs():
            assert contrast_ratio(pair.colour, pair.ground) >= pair.needed, (name, pair)


def test_a_logo_is_read_once_with_its_size_and_alt_text(make_theme: Callable[..., Theme]) -> None:
    theme = make_theme(files={"logo.png": png_bytes(300, 100)}, logo="logo.png", logo_alt="Acme logo")
    image = theme.logo_image
    assert image is not None and (image.kind, image.width, image.height, image.alt) == ("png", 300, 100, "Acme logo")


def test_a_logo_needs_alt_text(tmp_path: Path) -> None:
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "logo.png").write_bytes(png_bytes())
    (folder / "theme.yaml").write_text("logo: logo.png\n")
    assert _problems(lambda: load_theme(str(folder))) == [
        "1:1: a logo needs 'logo_alt': the text a screen reader says for it"
    ]


def _theme_with_logo(tmp_path: Path, logo: str) -> Path:
    folder = tmp_path / "brand"
    folder.mkdir(exist_ok=True)
    (folder / "theme.yaml").write_text(f'logo: "{logo}"\nlogo_alt: Logo\n')
    return folder


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ("../secret.png", "must be a path inside the theme's folder (no absolute paths or '..')"),
        ("/etc/passwd", "must be a path inside the theme's folder (no absolute paths or '..')"),
        ("missing.png", "cannot be opened: No such file or directory"),
    ],
)
def test_logo_paths_cannot_leave_the_theme_folder(tmp_path: Path, logo: str, message: str) -> None:
    (tmp_path / "secret.png").write_bytes(png_bytes())
    folder = _theme_with_logo(tmp_path, logo)
    assert _problems(lambda: load_theme(str(folder))) == [f"1:1: {logo!r}: {message}"]


def test_a_symbolic_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(png_bytes())
    folder = _theme_with_logo(tmp_path, "logo.png")
    (folder / "logo.png").symlink_to(tmp_path / "secret.png")
    assert _problems(lambda: load_theme(str(folder))) == [
        "1:1: 'logo.png': is a symbolic link; copy the file into the theme's folder instead"
    ]


def test_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    folder = _theme_with_logo(tmp_path, "logo.png")
    os.mkfifo(folder / "logo.png")
    assert _problems(lambda: load_theme(str(folder))) == ["1:1: 'logo.png': is not a regular file"]


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    folder = _theme_with_logo(tmp_path, "logo.png")
    with (folder / "logo.png").open("wb") as out:
        out.truncate(MAX_IMAGE_BYTES + 1)
    assert _problems(lambda: load_theme(str(folder))) == [
        f"1:1: 'logo.png': is {MAX_IMAGE_BYTES + 1:,} bytes; the limit is {MAX_IMAGE_BYTES:,}"
    ]


def _png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk


def test_a_decompression_bomb_is_refused_by_its_header_before_decoding(tmp_path: Path) -> None:
    folder = _theme_with_logo(tmp_path, "logo.png")
    (folder / "logo.png").write_bytes(_png_header(100_000, 100_000))
    assert _problems(lambda: load_theme(str(folder))) == [
        "1:1: 'logo.png': is 100000x100000 pixels; images are limited to 40,000,000 pixels"
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"/>',
            "SVG logos are not supported; export the logo as PNG",
        ),
        ("logo.png", b"GIF89a....", "is not a PNG or JPEG image"),
    ],
)
def test_other_images_are_refused_clearly(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    folder = _theme_with_logo(tmp_path, name)
    (folder / name).write_bytes(data)
    assert _problems(lambda: load_theme(str(folder))) == [f"1:1: {name!r}: {message}"]


def test_jpeg_size_is_read_from_its_header() -> None:
    import io

    from PIL import Image as PILImage

    out = io.BytesIO()
    PILImage.new("RGB", (123, 45), (200, 10, 10)).save(out, format="JPEG")
    assert image_size(out.getvalue()) == ("jpeg", 123, 45)


def test_a_source_names_its_theme_relative_to_its_own_folder(tmp_path: Path) -> None:
    shutil.copytree(Path(load_theme("print").folder or ""), tmp_path / "brand")
    source = tmp_path / "event.yaml"
    source.write_text((DATA / "key-outcomes.yaml").read_text() + "theme: brand\n")
    report = build([str(source)], tmp_path / "out", ["docx"])
    used = report.results[0].theme
    assert report.results[0].ok and used is not None
    assert used[0] == str(tmp_path / "brand") and len(used[1]) == 64

    from docx import Document

    assert Document(str(tmp_path / "out" / "event.docx")).styles["Normal"].font.name == "Cambria"


def test_changing_a_theme_file_rebuilds_the_sources_that_use_it(tmp_path: Path) -> None:
    shutil.copytree(Path(load_theme("print").folder or ""), tmp_path / "brand")
    source = tmp_path / "event.yaml"
    source.write_text((DATA / "key-outcomes.yaml").read_text() + "theme: brand\n")
    out = tmp_path / "out"
    build([str(source)], out, ["docx"])
    assert build([str(source)], out, ["docx"]).results[0].status == "up to date"
    theme_file = tmp_path / "brand" / "theme.yaml"
    theme_file.write_text(theme_file.read_text().replace('accent: "#6B6B6B"', 'accent: "#000000"'))
    from reportgen.building import cached_theme

    cached_theme.cache_clear()
    assert build([str(source)], out, ["docx"]).results[0].status == "built"


def test_the_cli_theme_option_overrides_the_source_and_a_bad_one_stops_the_build(tmp_path: Path) -> None:
    ok = run("build", str(DATA / "key-outcomes.yaml"), "-t", "high-contrast", "-f", "docx", "-o", str(tmp_path))
    assert ok.returncode == 0, ok.stderr
    bad = run("build", str(DATA / "key-outcomes.yaml"), "-t", "nope", "-o", str(tmp_path / "x"))
    assert bad.returncode == 1 and "no theme 'nope'" in bad.stderr
    assert not (tmp_path / "x").exists()


def test_themes_lists_and_theme_init_copies_a_starting_point(tmp_path: Path) -> None:
    listed = run("themes")
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == ["default", "high-contrast", "print"]
    created = run("theme", "init", "acme", "--from", "print", cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    assert load_theme(str(tmp_path / "acme")).name == "acme"
    assert visible(tmp_path / "acme") == ["theme.yaml"]
    again = run("theme", "init", "acme", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_a_reference_document_that_is_not_a_package_or_is_a_zip_bomb_is_refused(tmp_path: Path) -> None:
    import io
    import zipfile

    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "theme.yaml").write_text("reference_docx: corporate.docx\n")
    (folder / "corporate.docx").write_bytes(b"not a zip")
    problems = _problems(lambda: load_theme(str(folder)))
    assert problems == ["1:1: 'corporate.docx': is not a Word or PowerPoint document (File is not a zip file)"]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"\0" * (201 * 1024 * 1024))
    (folder / "corporate.docx").write_bytes(bomb.getvalue())
    (problem,) = _problems(lambda: load_theme(str(folder)))
    assert problem.startswith("1:1: 'corporate.docx': unpacks to 210,763,") and "templates are limited to" in problem


def test_a_theme_file_that_is_a_symbolic_link_out_of_its_folder_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "secrets.yaml").write_text("api_token: hunter2\n")
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "theme.yaml").symlink_to(tmp_path / "secrets.yaml")
    problems = _problems(lambda: load_theme(str(folder)))
    assert problems == ["1:1: 'theme.yaml': is a symbolic link; copy the file into the theme's folder instead"]
    assert "hunter2" not in str(problems) and "api_token" not in str(problems)


def _damaged(data: bytes) -> bytes:
    """The image with its pixel data scrambled past its header: still a PNG or JPEG by its first bytes."""
    middle = len(data) // 2
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle : middle + 64]) + data[middle + 64 :]


@pytest.mark.parametrize("kind", ["png", "jpeg", "truncated"])
def test_a_logo_with_a_valid_header_and_damaged_data_fails_the_theme(kind: str, tmp_path: Path) -> None:
    import io

    from PIL import Image as PILImage

    picture = PILImage.effect_noise((240, 80), 60).convert("RGB")  # noise: data that does not compress away
    out = io.BytesIO()
    picture.save(out, format="JPEG" if kind == "jpeg" else "PNG")
    data = out.getvalue()
    data = data[: len(data) // 2] if kind == "truncated" else _damaged(data)
    folder = _theme_with_logo(tmp_path, "logo.png")
    (folder / "logo.png").write_bytes(data)
    (problem,) = _problems(lambda: load_theme(str(folder)))
    assert problem.startswith(f"1:1: 'logo.png': is a damaged {'JPEG' if kind == 'jpeg' else 'PNG'} image (")
    assert problem.endswith("); export it again")
