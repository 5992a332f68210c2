"""What must be unique across a source, checked on its plain data: session codes within a day, action ids."""

from __future__ import annotations

from typing import Any

from .errors import Diagnostic
from .loader import YamlPath, format_path

Position = tuple[int, int]


def duplicates(data: Any, where: dict[YamlPath, Position], file: str) -> list[Diagnostic]:
    """Each session code used twice in one day (compared case-insensitively: they become ids) and each action
    id used twice in the source, at the second use and naming the line of the first; [] when none is."""
    problems: list[Diagnostic] = []
    if not isinstance(data, dict) or not isinstance(data.get("days"), list):
        return problems
    ids: dict[str, int] = {}

    def repeated(path: YamlPath, seen: dict[str, int], key: str, message: str) -> None:
        line, column = where[path]
        if key in seen:
            message += f" (first used at line {seen[key]})"
            problems.append(Diagnostic(file, line, column, format_path(path), message))
        else:
            seen[key] = line

    for d, day in enumerate(data["days"]):
        if not isinstance(day, dict) or not isinstance(day.get("sessions"), list):
            continue
        codes: dict[str, int] = {}
        for s, session in enumerate(day["sessions"]):
            if not isinstance(session, dict):
                continue
            code = session.get("code")
            if isinstance(code, str) and code.strip():
                path: YamlPath = ("days", d, "sessions", s, "code")
                repeated(path, codes, code.strip().casefold(), f"duplicate session code {code.strip()!r} in this day")
            actions = session.get("actions")
            for a, action in enumerate(actions if isinstance(actions, list) else ()):
                name = action.get("id") if isinstance(action, dict) else None
                if isinstance(name, str) and name.strip():
                    path = ("days", d, "sessions", s, "actions", a, "id")
                    repeated(path, ids, name.strip(), f"duplicate action id {name.strip()!r}")
    return problems
