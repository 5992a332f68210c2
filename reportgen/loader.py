"""YAML text -> model: every problem reported at once as FILE:LINE:COL: path: message.

The YAML is composed into nodes (never constructed into Python objects by PyYAML), so no tag can run code,
YAML 1.1's implicit conversions never touch user text (``NO`` stays "NO", ``1.10`` stays "1.10"), duplicate
keys are caught with both lines, and aliases are refused where they stand instead of being expanded.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from yaml.composer import Composer
from yaml.resolver import Resolver

from .errors import Diagnostic, SourceInvalid
from .model import Event
from .safefile import Unreadable, read_regular
from .validation import Problem, build, describe, field_names

MAX_SOURCE_BYTES = 16 * 1024 * 1024
"""Largest source accepted; 8,000 sessions take about 2 MB."""

MAX_DEPTH = 32
"""Deepest nesting accepted; a valid source needs 5 levels."""

M = TypeVar("M")
YamlPath = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column

_NULLS = {"", "~", "null", "Null", "NULL"}
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}


_NO_ANCHORS = "anchors (&name) and aliases (*name) are not supported; write the text out"


class _Refused(Exception):
    """A structural problem found while composing; stops composing at once."""

    def __init__(self, mark: yaml.Mark, message: str) -> None:
        self.mark = mark
        self.message = message


try:  # libyaml's parser, when PyYAML was built with it, reads about 3x faster than the pure-Python one
    from yaml._yaml import CParser

    class _Parser(Composer, CParser, Resolver):  # type: ignore[misc]
        """libyaml's event parser under PyYAML's Python composer and resolver: nodes only, no objects."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            Composer.__init__(self)
            Resolver.__init__(self)

except ImportError:  # pragma: no cover - PyYAML without libyaml

    class _Parser(yaml.SafeLoader):  # type: ignore[no-redef,misc]
        """PyYAML's pure-Python safe loader, used for composing only."""


class _Composer(_Parser):
    """A composer that refuses aliases and excessive depth before they are walked; it constructs nothing."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        # An anchor is refused even when nothing refers to it, as documented: the first &name or *name stops.
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(event.start_mark, _NO_ANCHORS)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(self.peek_event().start_mark, f"nested deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def format_path(path: Iterable[str | int]) -> str:
    """Return a YAML path as text: ("days", 0, "title") -> "days[0].title"; () -> ""."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class _Walker:
    """Turns a node tree into plain data (strings, lists, dicts) and records where every path stands."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[YamlPath, Position] = {}
        self.spans: dict[YamlPath, tuple[int, int]] = {}  # a scalar's first and last character in the text
        self.keys: dict[YamlPath, Position] = {}
        self.problems: list[Diagnostic] = []
        self.refused: set[YamlPath] = set()

    def problem(self, mark: yaml.Mark, path: YamlPath, message: str) -> None:
        self.problems.append(Diagnostic(self.file, mark.line + 1, mark.column + 1, format_path(path), message))

    def walk(self, node: yaml.Node, path: YamlPath) -> Any:
        self.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if node.tag not in _STANDARD_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problem(node.start_mark, path, f"the tag {tag} is not allowed; sources hold plain text")
            self.refused.add(path)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(item, (*path, i)) for i, item in enumerate(node.value)]
        # A scalar: text exactly as written. Only an unquoted empty/null scalar means "no value".
        self.spans[path] = (node.start_mark.index, node.end_mark.index)
        if not node.style and node.value in _NULLS:  # plain style is None in PyYAML, '' in libyaml
            return None
        return node.value

    def _mapping(self, node: yaml.MappingNode, path: YamlPath) -> dict[str, Any]:
        data: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
                self.problem(key_node.start_mark, path, "keys must be plain names (merge keys are not supported)")
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_line:
                self.problem(
                    key_node.start_mark,
                    path,
                    f"duplicate key {key!r} (first at line {first_line[key]}, again at line {line})",
                )
                continue
            first_line[key] = line
            self.keys[(*path, key)] = (line, key_node.start_mark.column + 1)
            data[key] = self.walk(value_node, (*path, key))
        return data


def _is_echo(error: Problem, refused: set[YamlPath]) -> bool:
    """True for errors that only repeat another one: at or below a node already refused (a tag), which the
    walker turned into None."""
    return any(error.loc[: len(r)] == r for r in refused)


def _message(error: Problem, model: type) -> tuple[YamlPath, str, bool]:
    """Rewrite one error in the YAML's own words; return (path to report, message, point at key)."""
    loc, kind, value = error.loc, error.kind, error.value
    if kind == "missing":
        return loc[:-1], f"required key {loc[-1]!r} is missing", False
    if kind == "extra_forbidden":
        choices = field_names(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), choices, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(choices)})"
        return loc[:-1], f"unknown key {loc[-1]!r}{hint}", True
    if kind == "too_short":
        what = {"outcomes": "outcome", "sessions": "session", "days": "day"}.get(str(loc[-1]), "item")
        return loc, f"must list at least one {what}", False
    if kind == "too_long":  # "Tuple should have at most 7 items"
        return loc, error.message.replace("Tuple should have", "must list"), False
    if kind in ("string_type", "string_too_short") and value is None:
        return loc, "has no value; write the text or remove the key", False
    if kind == "string_type" and isinstance(value, dict) and len(value) == 1:  # "- We agreed: all of it"
        return loc, f"must be text, not a mapping; {_colon_advice(value)}", False
    if kind == "string_type":
        return loc, f"must be text, not {describe(value)}", False
    if kind == "tuple_type":
        return loc, f"must be a list (lines starting with '- '), not {describe(value)}", False
    if kind == "model_type":
        return loc, f"must be a mapping of keys to values, not {describe(value)}", False
    return loc, error.message, False


def _colon_advice(value: dict[str, Any]) -> str:
    from .yamlhints import colon_in_text

    ((key, rest),) = value.items()
    return colon_in_text(str(key), rest)


def _locate(table: dict[YamlPath, Position], path: YamlPath) -> Position:
    while path not in table and path:
        path = path[:-1]
    return table.get(path, (1, 1))


def _within(text: str, span: tuple[int, int], value: str, offset: int) -> Position | None:
    """The line and column in `text` of the character at `offset` in a scalar's value, found by looking for
    the value's next few characters inside the scalar as written (so quoting and block styles do not matter);
    None when they are not written there verbatim (an escape sequence in the way)."""
    needle = value[offset : offset + 24].split("\n")[0]
    start, end = span
    at = text.find(needle, start, end) if needle else -1
    if at < 0:
        return None
    before = text[:at]
    return before.count("\n") + 1, at - (before.rfind("\n") + 1) + 1


def parse_model(text: str, model: type[M], file: str) -> M:
    """Validate YAML text into `model`; raise SourceInvalid listing every problem, located and sorted."""
    walker = _Walker(file)
    try:
        root = yaml.compose(text, Loader=_Composer)
    except _Refused as refused:
        walker.problem(refused.mark, (), refused.message)
        raise SourceInvalid(walker.problems) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(p for p in (error.context, error.problem) if p) or "not valid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        found = _syntax_hint(text, error)
        if found is not None:  # a common mistake: say what to do, at the line to change; PyYAML's words follow
            line, column, message = found.line, found.column, f"{found.message} (YAML: {message})"
        raise SourceInvalid([Diagnostic(file, line, column, "", f"YAML syntax error: {message}")]) from None
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        line, column = before.count("\n") + 1, error.position - (before.rfind("\n") + 1) + 1
        message = f"contains the control character U+{error.character:04X}, which sources cannot hold"
        if isinstance(error.character, bytes):
            message = "contains bytes that are not text"
        raise SourceInvalid([Diagnostic(file, line, column, "", message)]) from None
    except yaml.YAMLError as error:
        raise SourceInvalid([Diagnostic(file, 1, 1, "", f"YAML error: {error}")]) from None
    if root is None:
        raise SourceInvalid([Diagnostic(file, 1, 1, "", "the file is empty; a source needs 'event:' and 'days:'")])
    data = walker.walk(root, ())
    if model is Event:
        from .uniqueness import duplicates

        walker.problems += duplicates(data, walker.values, file)
    errors: list[Problem] = []
    result: M = build(model, data, (), errors)
    for problem in errors:
        if _is_echo(problem, walker.refused):
            continue
        path, message, at_key = _message(problem, model)
        table = walker.keys if at_key and (*path, problem.loc[-1]) in walker.keys else walker.values
        probe = (*path, problem.loc[-1]) if at_key else problem.loc
        line, column = _locate(table, probe)
        if problem.offset is not None and problem.loc in walker.spans:
            line, column = _within(text, walker.spans[problem.loc], problem.value, problem.offset) or (line, column)
        walker.problems.append(Diagnostic(file, line, column, format_path(path), message))
    if walker.problems:
        raise SourceInvalid(walker.problems)
    return result


def find_characters(text: str, file: str, wanted: Iterable[str]) -> dict[str, Diagnostic]:
    """Where each of the `wanted` characters first stands in a source's text values: character -> a
    Diagnostic at its line and column, with the field's path and an empty message (the caller writes it).

    For checks that need more than the source to decide, such as whether the theme's fonts can draw a
    character: they run on the model, and only when one fails is the source composed again to place it.
    A character found in no value (or in a source that no longer parses) is left out.
    """
    spans = _scalar_spans(text, file)
    found: dict[str, Diagnostic] = {}
    left = set(wanted)
    for path, span in spans:
        value = text[span[0] : span[1]]
        for ch in sorted(left & set(value)):
            at = value.index(ch)
            before = text[: span[0] + at]
            line, column = before.count("\n") + 1, span[0] + at - (before.rfind("\n") + 1) + 1
            found[ch] = Diagnostic(file, line, column, format_path(path), "")
            left.discard(ch)
        if not left:
            break
    return found


def find_value(text: str, file: str, value: str) -> Diagnostic | None:
    """Where a text value the model holds stands in its source: a Diagnostic (empty message) at the first
    scalar whose value, as the model keeps it, is or contains `value`; None when none does. For a renderer's
    refusal of a valid text (a title too long for any slide), so that it too is reported at its place."""
    walker = _Walker(file)
    try:
        root = yaml.compose(text, Loader=_Composer)
    except (yaml.YAMLError, _Refused):
        return None
    if root is None:
        return None
    data = walker.walk(root, ())
    for path, _span in sorted(walker.spans.items(), key=lambda item: item[1]):
        scalar: Any = data
        for part in path:
            scalar = scalar[part]
        if isinstance(scalar, str) and value and value in " ".join(scalar.split()):
            line, column = walker.values[path]
            return Diagnostic(file, line, column, format_path(path), "")
    return None


def _scalar_spans(text: str, file: str) -> list[tuple[YamlPath, tuple[int, int]]]:
    """Every scalar's path and its first and last character in `text`, in the order they are written; []
    for text that does not parse."""
    walker = _Walker(file)
    try:
        root = yaml.compose(text, Loader=_Composer)
    except (yaml.YAMLError, _Refused):
        return []
    if root is None:
        return []
    walker.walk(root, ())
    return sorted(walker.spans.items(), key=lambda item: item[1])


def _syntax_hint(text: str, error: yaml.MarkedYAMLError) -> Any:
    from .yamlhints import hint

    mark, context = error.problem_mark or error.context_mark, error.context_mark
    if mark is None:
        return None
    where = (context.line, context.column) if context is not None else None
    return hint(text, error.problem or "", mark.line, mark.column, error.context or "", where)


def from_data(model: type[M], data: Any, file: str = "<data>") -> M:
    """Validate plain data (dicts, lists, text, numbers, None) into `model`, as a source's would be; raise
    SourceInvalid listing every problem (at 1:1, since plain data has no lines) in the YAML's words."""
    errors: list[Problem] = []
    result: M = build(model, data, (), errors)
    if errors:
        problems = []
        for error in errors:
            path, message, _ = _message(error, model)
            problems.append(Diagnostic(file, 1, 1, format_path(path), message))
        raise SourceInvalid(problems)
    return result


def read_text(path: Path, label: str | None = None) -> str:
    """Read a source file as UTF-8 (a BOM is allowed); raise SourceInvalid for anything unreadable."""
    name = label or str(path)

    def refuse(message: str) -> SourceInvalid:
        return SourceInvalid([Diagnostic(name, 1, 1, "", message)])

    try:  # a FIFO cannot hang the build, nor /dev/zero fill the memory: only regular files, size checked first
        raw = read_regular(path, MAX_SOURCE_BYTES)
    except Unreadable as why:
        raise refuse(str(why)) from None
    return decode(raw, name)


def decode(
    raw: bytes,
    name: str,
    encoding: str | None = None,
    advice: str = "save the file as UTF-8",
    limit: int = MAX_SOURCE_BYTES,
) -> str:
    """Decode source bytes as strict UTF-8 (BOM allowed), or in `encoding` when given; a bad byte is a
    located SourceInvalid whose message ends with `advice` (none when empty). More than `limit` bytes are
    refused."""
    if len(raw) > limit:
        raise SourceInvalid(
            [
                Diagnostic(
                    name,
                    1,
                    1,
                    "",
                    f"the input is {len(raw):,} bytes; sources are limited to {limit:,}",
                )
            ]
        )
    try:
        return raw.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        message = f"is not {encoding or 'UTF-8'} text (byte 0x{raw[error.start]:02X})" + (
            f"; {advice}" if advice else ""
        )
        raise SourceInvalid([Diagnostic(name, line, column, "", message)]) from None


def load_event(source: Path | str) -> Event:
    """Load and validate one source file; raise SourceInvalid with every problem located."""
    path = Path(source)
    return parse_model(read_text(path), Event, str(path))
