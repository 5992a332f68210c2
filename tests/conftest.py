"""Shared fixtures: the example events and options pinned to a fixed build time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from reportgen.errors import Reporter
from reportgen.loader import load_event
from reportgen.model import Event
from reportgen.options import RenderOptions

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CASES = Path(__file__).resolve().parent / "cases"
EXAMPLES = sorted(DATA.glob("*.yaml"))


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


@pytest.fixture(params=EXAMPLES, ids=lambda p: p.stem, scope="session")
def example_event(request: pytest.FixtureRequest) -> Event:
    """Each example source under data/."""
    return load_event(request.param)


@pytest.fixture
def options() -> RenderOptions:
    return RenderOptions(build_time=datetime(2026, 6, 25, 17, 30, tzinfo=UTC))


@pytest.fixture
def reporter() -> Reporter:
    return Reporter()
