"""The SDG targets shipped as data: 169 of them, each goal's numbered then lettered, and the check's words."""

from __future__ import annotations

import pytest

from reportgen import sdg
from reportgen.model import Invalid


def test_there_are_169_targets_in_the_uns_order() -> None:
    targets = sdg.targets()
    assert len(targets) == len(set(targets)) == 169
    assert targets[:7] == ("1.1", "1.2", "1.3", "1.4", "1.5", "1.a", "1.b")
    assert targets[-1] == "17.19"
    assert {"8.7", "12.6", "16.2", "16.b", "8.10"} <= set(targets)


@pytest.mark.parametrize("code", ["8.7", "12.6", "16.2", "16.B", " 8.10 "])
def test_a_target_is_accepted_as_the_un_writes_it(code: str) -> None:
    assert sdg.check(code) == code.strip().lower()


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("8.11", "'8.11' is not an SDG target (goal 8 has 8.1–8.10, 8.a–8.b)"),
        ("17.a", "'17.a' is not an SDG target (goal 17 has 17.1–17.19)"),
        ("18.1", "'18.1' is not an SDG target; write a target such as '8.7' or '12.6' (goals 1 to 17)"),
    ],
)
def test_a_code_that_is_no_target_is_refused_with_what_the_goal_has(code: str, message: str) -> None:
    with pytest.raises(Invalid, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        sdg.check(code)
