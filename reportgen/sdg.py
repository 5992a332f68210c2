"""The 169 targets of the Sustainable Development Goals, as data: which codes an action's `sdg` may name.

The UN's list (A/RES/70/1, as kept by the Global Indicator Framework): each goal has numbered outcome
targets (1.1, 1.2, ...) and lettered means-of-implementation targets (1.a, 1.b, ...); Goal 17 has only
numbered ones. A code is written as the UN writes it: "8.7", "12.6", "17.a" is not one, "16.b" is.
"""

from __future__ import annotations

import functools

# goal -> (how many numbered targets, the letters of its lettered targets)
_GOALS: dict[int, tuple[int, str]] = {
    1: (5, "ab"),
    2: (5, "abc"),
    3: (9, "abcd"),
    4: (7, "abc"),
    5: (6, "abc"),
    6: (6, "ab"),
    7: (3, "ab"),
    8: (10, "ab"),
    9: (5, "abc"),
    10: (7, "abc"),
    11: (7, "abc"),
    12: (8, "abc"),
    13: (3, "ab"),
    14: (7, "abc"),
    15: (9, "abc"),
    16: (10, "ab"),
    17: (19, ""),
}


@functools.cache
def targets() -> tuple[str, ...]:
    """Every SDG target code in the UN's order: ("1.1", ..., "1.5", "1.a", "1.b", "2.1", ..., "17.19")."""
    codes: list[str] = []
    for goal, (numbered, letters) in _GOALS.items():
        codes += [f"{goal}.{n}" for n in range(1, numbered + 1)]
        codes += [f"{goal}.{letter}" for letter in letters]
    return tuple(codes)


def check(code: str) -> str:
    """`code` if it is an SDG target (written "8.7" or "8.a"; an upper-case letter is lowered); else
    raise model.Invalid saying what goal's targets are."""
    from .model import Invalid

    normal = code.strip().lower()
    if normal in _known():
        return normal
    goal = normal.split(".")[0]
    if goal.isdigit() and int(goal) in _GOALS:
        numbered, letters = _GOALS[int(goal)]
        lettered = f", {goal}.{letters[0]}–{goal}.{letters[-1]}" if letters else ""
        raise Invalid(f"{code!r} is not an SDG target (goal {goal} has {goal}.1–{goal}.{numbered}{lettered})")
    raise Invalid(f"{code!r} is not an SDG target; write a target such as '8.7' or '12.6' (goals 1 to 17)")


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(targets())
