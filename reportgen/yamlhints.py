"""Hints for the YAML mistakes people make most: PyYAML's words turned into what to do, at the right line.

An unquoted ": " inside a value, a tab, a line indented to the wrong column, a quote never closed, a list item
without its "-": each is recognised from the parser's error and the source lines around it.
"""

from __future__ import annotations

from typing import NamedTuple


class Hint(NamedTuple):
    """Where a syntax error is best shown (1-based line and column) and the message for the user."""

    line: int
    column: int
    message: str


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_column(line: str) -> int:
    """0-based column where a line's key or value starts, past its indentation and any "- " markers."""
    column = _indent(line)
    while line[column : column + 2] == "- ":
        column += 2
        column += _indent(line[column:])
    return column


def _previous(lines: list[str], index: int) -> int | None:
    """Index of the nearest line above `index` holding something other than a comment; None at the top."""
    for i in range(index - 1, -1, -1):
        text = lines[i].strip()
        if text and not text.startswith("#"):
            return i
    return None


def _quoted(value: str) -> str:
    value = value.strip()
    if '"' not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def hint(
    text: str, problem: str, line: int, column: int, context: str = "", context_at: tuple[int, int] | None = None
) -> Hint | None:
    """The hint for a syntax error PyYAML reported as `problem` (and `context`) at 0-based `line`, `column`,
    or None when it is none of the common mistakes. `context_at` is the 0-based place of the context."""
    lines = text.splitlines()
    here = lines[line] if line < len(lines) else ""
    if "\t" in here[: max(column, _indent(here)) + 1] or "tab" in problem:
        at = here.index("\t") if "\t" in here else column
        return Hint(
            line + 1, at + 1, "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces"
        )
    if "quoted scalar" in context and context_at is not None:
        qline, qcolumn = context_at
        mark = lines[qline][qcolumn] if qline < len(lines) and qcolumn < len(lines[qline]) else '"'
        return Hint(
            qline + 1,
            qcolumn + 1,
            f"the quote {mark} that starts here is never closed: end the value with {mark} on this line "
            "(or remove the opening quote)",
        )
    if "mapping values are not allowed" in problem:
        before = here[:column]
        if ": " in before.lstrip(" -"):  # key: value: more -- the value holds ": "
            key, _, value = here.lstrip(" ").partition(": ")
            return Hint(
                line + 1,
                column + 1,
                f"a ': ' inside a value starts a new key: put the whole value in quotes, e.g. {key}: {_quoted(value)}",
            )
        return _indentation(lines, line, column)
    if "expected '-' indicator" in problem and context_at is not None and column == context_at[1]:
        return Hint(
            line + 1,
            column + 1,
            f"this line stands where the items of the list that starts at line {context_at[0] + 1} do, but "
            "without their '-': begin it with '- ' to make it an item, or indent it further to continue the item above",
        )
    if "expected '-' indicator" in problem or "did not find expected key" in problem:
        return _indentation(lines, line, column)
    if "could not find expected ':'" in problem and context_at is not None:
        start = context_at[0]
        above = _previous(lines, start)
        if (
            above is not None
            and lines[above].lstrip(" ").startswith("- ")
            and _indent(lines[above]) == _indent(lines[start])
        ):
            return Hint(
                start + 1,
                _indent(lines[start]) + 1,
                "this line follows a list item but has no '-': begin it with '- ' to make it an item of that list",
            )
        return Hint(
            start + 1,
            _indent(lines[start]) + 1 if start < len(lines) else 1,
            "this line is neither 'key: value' nor a list item ('- ...'): add the key and ': ', or '- ', "
            "or indent it further to continue the value above",
        )
    return None


def _indentation(lines: list[str], line: int, column: int) -> Hint:
    here = lines[line] if line < len(lines) else ""
    above = _previous(lines, line)
    start = _indent(here)
    if above is None:
        return Hint(line + 1, start + 1, "this line is indented wrongly: line up each key of a mapping in one column")
    expected = _content_column(lines[above])
    where = "more" if start > expected else "less"
    return Hint(
        line + 1,
        start + 1,
        f"this line is indented {where} than line {above + 1} (column {start + 1}, not {expected + 1}): keys of one "
        "mapping start in the same column, a key's own keys further right; indent with spaces to match",
    )


def colon_in_text(key: str, rest: object) -> str:
    """Advice for text that YAML read as a one-key mapping because it holds ": " ("We agreed: all of it")."""
    text = f"{key}: {rest}" if isinstance(rest, str) else f"{key}: ..."
    return f"a ': ' inside text makes it a key: put the whole text in quotes, e.g. {_quoted(text)}"
