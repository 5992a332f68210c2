"""What every registered renderer promises, whatever its format: bytes, silence, and the same bytes twice."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from reportgen import renderers
from reportgen.errors import Reporter
from reportgen.model import Event
from reportgen.options import RenderOptions

MAGIC = {"docx": b"PK\x03\x04", "pptx": b"PK\x03\x04", "pdf": b"%PDF-", "handout": b"%PDF-"}


@pytest.fixture(params=renderers.available())
def renderer(request: pytest.FixtureRequest) -> renderers.Renderer:
    return renderers.get(request.param)


def test_it_returns_a_complete_document_and_prints_nothing(
    renderer: renderers.Renderer,
    example_event: Event,
    options: RenderOptions,
    capfd: pytest.CaptureFixture[str],
) -> None:
    data = renderer.render(example_event, options, Reporter())
    assert data.startswith(MAGIC[renderer.name])
    assert capfd.readouterr() == ("", "")


def test_the_same_event_and_options_give_the_same_bytes(
    renderer: renderers.Renderer, seed_event: Event, options: RenderOptions
) -> None:
    assert renderer.render(seed_event, options, Reporter()) == renderer.render(seed_event, options, Reporter())


def test_the_build_time_is_the_only_clock_it_reads(
    renderer: renderers.Renderer, seed_event: Event, options: RenderOptions
) -> None:
    later = replace(options, build_time=datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert renderer.render(seed_event, options, Reporter()) != renderer.render(seed_event, later, Reporter())


def test_source_date_epoch_is_honoured_when_no_build_time_is_given(
    renderer: renderers.Renderer, seed_event: Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1782345600")
    first = renderer.render(seed_event, RenderOptions(), Reporter())
    pinned = RenderOptions(build_time=datetime.fromtimestamp(1782345600, tz=UTC))
    assert first == renderer.render(seed_event, pinned, Reporter())
