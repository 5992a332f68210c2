"""Shared fixtures: the example events and options pinned to a fixed build time."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportgen.errors import Reporter
from reportgen.loader import load_event
from reportgen.model import Event
from reportgen.options import RenderOptions
from reportgen.theme import Theme, load_theme

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CASES = Path(__file__).resolve().parent / "cases"
EXAMPLES = sorted(DATA.glob("*.yaml"))
FOLLOW_UP = [DATA / "follow-up.yaml", DATA / "follow-up-previous.yaml"]
"""The examples with key messages and actions, whose documents add the follow-up (tests/test_follow_up.py)."""
PLAIN_EXAMPLES = [p for p in EXAMPLES if p not in FOLLOW_UP]


def pytest_configure(config: pytest.Config) -> None:
    # The tests keep the parsed-font cache to themselves, starting empty, and never write to the home folder.
    config.reportgen_cache = tempfile.mkdtemp(prefix="reportgen-test-cache-")  # type: ignore[attr-defined]
    os.environ["REPORTGEN_CACHE_DIR"] = config.reportgen_cache  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(getattr(config, "reportgen_cache", ""), ignore_errors=True)


def visible(folder: Path) -> list[str]:
    """Names of the files a user sees in a folder (not the hidden build manifest), sorted."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


@pytest.fixture(scope="session")
def seed_event() -> Event:
    """The seed conference: 2 days, 8 sessions, 22 outcomes."""
    return load_event(DATA / "key-outcomes.yaml")


@pytest.fixture(scope="session")
def full_event() -> Event:
    """The example that uses every optional field."""
    return load_event(DATA / "child-labour-forum-2026.yaml")


@pytest.fixture(params=PLAIN_EXAMPLES, ids=lambda p: p.stem, scope="session")
def example_event(request: pytest.FixtureRequest) -> Event:
    """Each example source under data/ without the follow-up: the documents' structure is its own (days,
    sessions, outcomes and nothing else), as these tests specify it; test_follow_up.py the rest."""
    return load_event(request.param)


def png_bytes(width: int = 240, height: int = 80, colour: tuple[int, int, int] = (27, 58, 92)) -> bytes:
    """A real PNG image (a coloured band), for logo tests."""
    import io

    from PIL import Image as PILImage

    out = io.BytesIO()
    PILImage.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def make_theme(tmp_path: Path) -> Callable[..., Theme]:
    """Write a theme folder (theme.yaml with the given keys, plus files) and load it as a user's would be.

    make_theme(files={"logo.png": png_bytes()}, logo="logo.png", logo_alt="Acme", accent="#00AA00")
    """
    import yaml

    counter = iter(range(1_000_000))

    def make(files: dict[str, bytes] | None = None, **settings: object) -> Theme:
        folder = tmp_path / f"theme-{next(counter)}"
        folder.mkdir()
        for name, data in (files or {}).items():
            (folder / name).write_bytes(data)
        settings.setdefault("name", folder.name)
        (folder / "theme.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True))
        return load_theme(str(folder))

    return make


@pytest.fixture
def options() -> RenderOptions:
    return RenderOptions(build_time=datetime(2026, 6, 25, 17, 30, tzinfo=UTC))


@pytest.fixture
def reporter() -> Reporter:
    return Reporter()
