"""The deck's search for the largest body size: each way of searching gives the answer a walk over every
size gives, whatever the threshold, and the measurements it spares are what make long lists cheap."""

from __future__ import annotations

import itertools

from reportgen.renderers.pptx.frames import sizes
from reportgen.renderers.pptx.plan import _largest


def _walk(candidates: list[float], fits: object) -> float | None:
    return next((size for size in candidates if fits(size)), None)  # type: ignore[operator]


def test_every_search_finds_the_largest_size_that_fits() -> None:
    for count in (1, 2, 3, 5, 17):
        candidates = list(sizes(23.0 + count, 24.0))[:count] if count > 1 else [24.0]
        for threshold in [None, *candidates]:  # None: nothing fits

            def fits(size: float, threshold: float | None = threshold) -> bool:
                return threshold is not None and size <= threshold

            expected = _walk(candidates, fits)
            assert _largest(candidates, fits) == expected
            assert _largest(candidates, fits, from_smallest=True) == expected
            for guess in (candidates[0], candidates[-1], candidates[len(candidates) // 2], 100.0, 1.0):
                assert _largest(candidates, fits, guess) == expected


def test_long_content_costs_one_or_two_measurements_from_the_smallest() -> None:
    candidates = list(sizes(40.0, 24.0))
    asked: list[float] = []

    def fits(size: float) -> bool:
        asked.append(size)
        return size <= 24.0

    assert _largest(candidates, fits, from_smallest=True) == 24.0
    assert asked == [24.0, 25.0]


def test_nothing_fits_is_known_from_one_measurement() -> None:
    candidates = list(sizes(40.0, 24.0))
    for kwargs in ({"guess": 30.0}, {"from_smallest": True}, {}):
        asked: list[float] = []

        def never(size: float, asked: list[float] = asked) -> bool:
            asked.append(size)
            return False

        assert _largest(candidates, never, **kwargs) is None
        assert asked == [24.0]


def test_the_search_orders_agree_on_every_monotone_answer() -> None:
    candidates = list(sizes(40.0, 24.0))
    for cut in itertools.chain([None], candidates):

        def fits(size: float, cut: float | None = cut) -> bool:
            return cut is not None and size <= cut

        assert _largest(candidates, fits, from_smallest=True) == _largest(candidates, fits)
