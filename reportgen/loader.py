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
from pydantic import BaseModel, ValidationError
from yaml.composer import Composer
from yaml.resolver import Resolver

from .errors import Diagnostic, SourceInvalid
from .model import Event

MAX_SOURCE_BYTES = 16 * 1024 * 1024
"""Largest source accepted; 8,000 sessions take about 2 MB."""

MAX_DEPTH = 32
"""Deepest nesting accepted; a valid source needs 5 levels."""

M = TypeVar("M", bound=BaseModel)
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

    class _Parser(yaml.SafeLoader):  # type: ignore[no-redef]
        """PyYAML's pure-Python safe loader, used for composing only."""


class _Composer(_Parser):
    """A composer that refuses aliases and excessive depth before they are walked; it constructs nothing."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(event.start_mark, "anchors and aliases (*name) are not supported; write the text out")
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


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return "text"


def _field_names(model: type[BaseModel], loc: YamlPath) -> list[str]:
    """The keys allowed where `loc` points (the YAML names, aliases included)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {(f.alias or name): f for name, f in current.model_fields.items()}
        if part not in fields:
            return []
        annotation = fields[part].annotation
        current = _inner_model(annotation)
        if current is None:
            return []
    return [(f.alias or name) for name, f in current.model_fields.items()]


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _is_echo(error: Any, refused: set[YamlPath]) -> bool:
    """True for errors that only repeat another one: below a refused node, or a list "too short" only
    because its invalid items were dropped (pydantic counts items after validation)."""
    loc = tuple(error["loc"])
    if any(loc[: len(r)] == r for r in refused):
        return True
    if error["type"] == "too_short" and isinstance(error.get("input"), list):
        return len(error["input"]) >= error.get("ctx", {}).get("min_length", 1)
    return False


def _message(error: Any, model: type[BaseModel]) -> tuple[YamlPath, str, bool]:
    """Rewrite one pydantic error in the YAML's own words; return (path to report, message, point at key)."""
    loc: YamlPath = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "missing":
        return loc[:-1], f"required key {loc[-1]!r} is missing", False
    if kind == "extra_forbidden":
        choices = _field_names(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), choices, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(choices)})"
        return loc[:-1], f"unknown key {loc[-1]!r}{hint}", True
    if kind == "too_short":
        if isinstance(value, str):
            return loc, "must not be empty", False
        what = {"outcomes": "outcome", "sessions": "session", "days": "day"}.get(str(loc[-1]), "item")
        return loc, f"must list at least one {what}", False
    if kind in ("string_type", "string_too_short") and value is None:
        return loc, "has no value; write the text or remove the key", False
    if kind == "string_type":
        return loc, f"must be text, not {_describe(value)}", False
    if kind in ("tuple_type", "list_type"):
        return loc, f"must be a list (lines starting with '- '), not {_describe(value)}", False
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return loc, f"must be a mapping of keys to values, not {_describe(value)}", False
    return loc, error["msg"], False


def _locate(table: dict[YamlPath, Position], path: YamlPath) -> Position:
    while path not in table and path:
        path = path[:-1]
    return table.get(path, (1, 1))


def _duplicate_codes(data: Any, walker: _Walker) -> None:
    """Session codes must be unique within their day (compared case-insensitively: they become ids)."""
    if not isinstance(data, dict) or not isinstance(data.get("days"), list):
        return
    for d, day in enumerate(data["days"]):
        if not isinstance(day, dict) or not isinstance(day.get("sessions"), list):
            continue
        seen: dict[str, int] = {}
        for s, session in enumerate(day["sessions"]):
            code = session.get("code") if isinstance(session, dict) else None
            if not isinstance(code, str) or not code.strip():
                continue
            path: YamlPath = ("days", d, "sessions", s, "code")
            line, column = walker.values[path]
            folded = code.strip().casefold()
            if folded in seen:
                walker.problems.append(
                    Diagnostic(
                        walker.file,
                        line,
                        column,
                        format_path(path),
                        f"duplicate session code {code.strip()!r} in this day (first used at line {seen[folded]})",
                    )
                )
            else:
                seen[folded] = line


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
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
            message += " (a tab: YAML is indented with spaces only)"
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
        _duplicate_codes(data, walker)
    try:
        result = model.model_validate(data)
    except ValidationError as invalid:
        for error in invalid.errors():
            if _is_echo(error, walker.refused):
                continue
            path, message, at_key = _message(error, model)
            table = walker.keys if at_key and (*path, error["loc"][-1]) in walker.keys else walker.values
            probe = (*path, error["loc"][-1]) if at_key else tuple(error["loc"])
            line, column = _locate(table, probe)
            walker.problems.append(Diagnostic(file, line, column, format_path(path), message))
        raise SourceInvalid(walker.problems) from None
    if walker.problems:
        raise SourceInvalid(walker.problems)
    return result


def read_text(path: Path, label: str | None = None) -> str:
    """Read a source file as UTF-8 (a BOM is allowed); raise SourceInvalid for anything unreadable."""
    name = label or str(path)

    def refuse(message: str) -> SourceInvalid:
        return SourceInvalid([Diagnostic(name, 1, 1, "", message)])

    try:
        if not path.is_file():
            raise refuse("not found or not a regular file")
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise refuse(f"the file is {size:,} bytes; sources are limited to {MAX_SOURCE_BYTES:,} bytes")
        raw = path.read_bytes()
    except OSError as error:
        raise refuse(f"cannot be read: {error.strerror or error}") from None
    return decode(raw, name)


def decode(raw: bytes, name: str) -> str:
    """Decode source bytes as strict UTF-8 (BOM allowed), locating the first bad byte."""
    if len(raw) > MAX_SOURCE_BYTES:
        raise SourceInvalid(
            [
                Diagnostic(
                    name,
                    1,
                    1,
                    "",
                    f"the input is {len(raw):,} bytes; sources are limited to {MAX_SOURCE_BYTES:,}",
                )
            ]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        message = f"is not UTF-8 text (byte 0x{raw[error.start]:02X}); save the file as UTF-8"
        raise SourceInvalid([Diagnostic(name, line, column, "", message)]) from None


def load_event(source: Path | str) -> Event:
    """Load and validate one source file; raise SourceInvalid with every problem located."""
    path = Path(source)
    return parse_model(read_text(path), Event, str(path))
