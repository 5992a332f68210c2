"""Plain data -> model: each value checked against its field's type hint and markers (MinLength, Range,
Check...), every problem collected with its path as a Problem for the loader to place and word.

The validator of each dataclass is compiled once from its type hints, so a source of 8,000 sessions is
checked without reflection per value.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import typing
from collections.abc import Callable
from datetime import date
from types import UnionType
from typing import Annotated, Any, Literal, NamedTuple, Union

from .model import Check, Invalid, MaxLength, MinLength, Range

YamlPath = tuple[str | int, ...]


def describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return "text"


# ---------------------------------------------------------------------------------------------------------------
# Plain data -> frozen dataclasses. Each class's type hints and Annotated markers are read once into a _Spec;
# the validator walks the data against it, records every problem with its path, and builds instances only
# where nothing below them failed. The JSON Schema is generated from the same specs.

_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
"""Unicode White_Space: what text loses at both ends (str.strip() would also take U+001C..U+001F, which the
character checks must see)."""

_FAIL: Any = object()
"""Returned by a field validator whose value was refused; its errors are already recorded."""


class Problem(NamedTuple):
    """One validation problem: where (path in the data), what kind, the value refused, and a default message."""

    loc: YamlPath
    kind: str
    value: Any
    message: str
    offset: int | None = None  # where in the text a check found the problem, when it knows


_Validate = Callable[[Any, YamlPath, list[Problem]], Any]


class _Field(NamedTuple):
    name: str  # the attribute
    key: str  # the YAML key (the name unless the field's metadata says "key")
    required: bool
    default: Any
    hint: Any
    validate: _Validate


class _Spec(NamedTuple):
    model: type
    fields: tuple[_Field, ...]
    by_key: dict[str, _Field]
    by_name: dict[str, _Field]  # fields whose attribute name differs from their YAML key
    given: str | None  # the init field that receives the keys the data named (metadata "given")


_SPECS: dict[type, _Spec] = {}


def model_spec(model: type) -> _Spec:
    """The validation plan of a dataclass, built from its type hints on first use and cached."""
    spec = _SPECS.get(model)
    if spec is None:
        hints = typing.get_type_hints(model, include_extras=True)
        built: list[_Field] = []
        given = None
        for f in dataclasses.fields(model):
            if f.metadata.get("given"):
                given = f.name
            if f.name.startswith("_") or not f.init:
                continue
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            default = f.default if f.default_factory is dataclasses.MISSING else f.default_factory()
            hint = hints[f.name]
            built.append(_Field(f.name, f.metadata.get("key", f.name), required, default, hint, _compile(hint)))
        by_key = {f.key: f for f in built}
        by_name = {f.name: f for f in built if f.name != f.key}
        spec = _SPECS[model] = _Spec(model, tuple(built), by_key, by_name, given)
    return spec


def hint_parts(hint: Any) -> tuple[Any, tuple[Any, ...]]:
    """A hint and its Annotated markers: Annotated[str, MinLength(1)] -> (str, (MinLength(1),))."""
    if typing.get_origin(hint) is Annotated:
        return hint.__origin__, hint.__metadata__
    return hint, ()


def optional(hint: Any) -> Any | None:
    """X for X | None (or Optional[X]); None for any other hint."""
    if typing.get_origin(hint) in (Union, UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(hint)) == 2:
            return args[0]
    return None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _compile(hint: Any) -> _Validate:
    """A function (value, path, errors) -> validated value or _FAIL, for one type hint."""
    base, markers = hint_parts(hint)
    inner = optional(base)
    if inner is not None:
        check_inner = _compile(Annotated[(inner, *markers)] if markers else inner)

        def nullable(value: Any, loc: YamlPath, errors: list[Problem]) -> Any:
            return None if value is None else check_inner(value, loc, errors)

        return nullable
    low = next((m.value for m in markers if isinstance(m, MinLength)), None)
    high = next((m.value for m in markers if isinstance(m, MaxLength)), None)
    bounds = [m for m in markers if isinstance(m, Range)]
    checks = tuple(m.function for m in markers if isinstance(m, Check))
    origin = typing.get_origin(base)
    if base is str:
        typed = _text(low, high)
    elif base in (float, int):
        typed = _number(base, bounds[0] if bounds else Range())
    elif origin is Literal:
        typed = _literal(typing.get_args(base))
    elif base is date:
        typed = _date
    elif origin is tuple and len(typing.get_args(base)) == 2 and typing.get_args(base)[1] is Ellipsis:
        typed = _items(_compile(typing.get_args(base)[0]), low, high)
    elif dataclasses.is_dataclass(base) and isinstance(base, type):
        model = base

        def typed(value: Any, loc: YamlPath, errors: list[Problem]) -> Any:
            return build(model, value, loc, errors)

    else:
        raise TypeError(f"the model validator does not support the type {hint!r}")
    if not checks:
        return typed

    def checked(value: Any, loc: YamlPath, errors: list[Problem]) -> Any:
        value = typed(value, loc, errors)
        if value is _FAIL:
            return _FAIL
        for check in checks:
            try:
                value = check(value)
            except Invalid as refused:
                errors.append(Problem(loc, "check", value, str(refused), refused.offset))
                return _FAIL
        return value

    return checked


def _text(low: int | None, high: int | None) -> _Validate:
    def text(value: Any, loc: YamlPath, errors: list[Problem]) -> Any:
        if not isinstance(value, str):
            errors.append(Problem(loc, "string_type", value, "Input should be a valid string"))
            return _FAIL
        value = value.strip(_WHITESPACE)
        if low is not None and len(value) < low:
            errors.append(
                Problem(loc, "string_too_short", value, f"String should have at least {_plural(low, 'character')}")
            )
            return _FAIL
        if high is not None and len(value) > high:
            errors.append(
                Problem(loc, "string_too_long", value, f"String should have at most {_plural(high, 'character')}")
            )
            return _FAIL
        return value

    return text


def _number(kind: type, bounds: Range) -> _Validate:
    noun = "number" if kind is float else "integer"
    unparsable = (
        f"Input should be a valid {noun}, unable to parse string as {'a number' if kind is float else 'an integer'}"
    )

    def number(value: Any, loc: YamlPath, errors: list[Problem]) -> Any:
        if isinstance(value, str):
            text = value.strip()
            try:
                if not text.isascii():  # float() would also read other scripts' digits ("٣٣")
                    raise ValueError(text)
                result = kind(text)
            except ValueError:
                errors.append(
                    Problem(
                        loc,
                        f"{noun}_parsing",
                        value,
                        unparsable,
                    )
                )
                return _FAIL
        elif (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and (kind is float or isinstance(value, int))
        ):
            result = kind(value)
        else:
            errors.append(Problem(loc, f"{noun}_type", value, f"Input should be a valid {noun}"))
            return _FAIL
        # Upper bound first, so NaN (outside both) reads as too large.
        if bounds.le is not None and not result <= bounds.le:
            errors.append(Problem(loc, "less_than_equal", value, f"Input should be less than or equal to {bounds.le}"))
            return _FAIL
        if bounds.ge is not None and not result >= bounds.ge:
            errors.append(
                Problem(loc, "greater_than_equal", value, f"Input should be greater than or equal to {bounds.ge}")
            )
            return _FAIL
        return result

    return number


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _date(value: Any, loc: YamlPath, errors: list[Problem]) -> Any:
    """A date written YYYY-MM-DD (the loader keeps it as the text written, so it is read here)."""
    text = value.strip(_WHITESPACE) if isinstance(value, str) else None
    found = _ISO_DATE.match(text) if text else None
    if found is not None:
        try:
            return date(*map(int, found.groups()))
        except ValueError:
            errors.append(Problem(loc, "check", value, f"{text!r} is not a day of the calendar"))
            return _FAIL
    written = "empty" if value is None else f"{text!r}" if text else describe(value)
    errors.append(Problem(loc, "check", value, f"must be a date written YYYY-MM-DD, such as 2027-06-30, not {written}"))
    return _FAIL


SYNONYMS: dict[str, str] = {
    "finished": "done",
    "complete": "done",
    "completed": "done",
    "closed": "done",
    "achieved": "done",
    "cancelled": "dropped",
    "canceled": "dropped",
    "abandoned": "dropped",
    "ongoing": "in progress",
    "in-progress": "in progress",
    "in_progress": "in progress",
    "started": "in progress",
    "underway": "in progress",
    "new": "open",
    "todo": "open",
    "pending": "open",
    "not started": "open",
}
"""Words a source may write for a choice, and the choice it means: offered as "did you mean ...?"."""


def _literal(choices: tuple[Any, ...]) -> _Validate:
    names = [repr(c) for c in choices]
    expected = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"

    def literal(value: Any, loc: YamlPath, errors: list[Problem]) -> Any:
        for choice in choices:
            if type(value) is type(choice) and value == choice:
                return choice
        message = f"Input should be {expected}"
        if isinstance(value, str) and set(choices) <= set(SYNONYMS.values()):  # a choice of words (a status)
            folded = value.strip().casefold()
            texts = [c for c in choices if isinstance(c, str)]
            close = difflib.get_close_matches(folded, texts, n=1)
            if SYNONYMS.get(folded) in texts:
                close = [SYNONYMS[folded]]
            if close:
                message = f"{value.strip()!r} is not one of {expected} (did you mean {close[0]!r}?)"
        errors.append(Problem(loc, "literal_error", value, message))
        return _FAIL

    return literal


def _items(item: _Validate, low: int | None, high: int | None) -> _Validate:
    def items(value: Any, loc: YamlPath, errors: list[Problem]) -> Any:
        if not isinstance(value, (list, tuple)):
            errors.append(Problem(loc, "tuple_type", value, "Input should be a valid tuple"))
            return _FAIL
        result = tuple([item(v, (*loc, i), errors) for i, v in enumerate(value)])
        if low is not None and len(value) < low:
            errors.append(Problem(loc, "too_short", value, f"Tuple should have at least {_plural(low, 'item')}"))
            return _FAIL
        if high is not None and len(value) > high:
            errors.append(Problem(loc, "too_long", value, f"Tuple should have at most {_plural(high, 'item')}"))
            return _FAIL
        return _FAIL if _FAIL in result else result

    return items


def build(model: type, value: Any, loc: YamlPath, errors: list[Problem]) -> Any:
    """Validate a mapping into `model`; _FAIL (with the problems recorded) when any part is refused."""
    if isinstance(value, model):
        return value
    if not isinstance(value, dict):
        errors.append(
            Problem(loc, "model_type", value, f"Input should be a mapping or an instance of {model.__name__}")
        )
        return _FAIL
    spec = model_spec(model)
    before = len(errors)
    values: dict[str, Any] = {}
    named: set[str] = set()
    for f in spec.fields:
        key = f.key
        if key not in value and f.name != key and f.name in value:
            key = f.name  # the attribute's own name stands in for its YAML key (Event's meta: for event:)
        if key in value:
            named.add(f.name)
            result = f.validate(value[key], (*loc, key), errors)
            if result is not _FAIL:
                values[f.name] = result
        elif f.required:
            errors.append(Problem((*loc, key), "missing", value, "Field required"))
    for key in value:
        if key in spec.by_key or (key in spec.by_name and spec.by_name[key].key not in value):
            continue  # a field's YAML key, or its attribute name standing in for it (taken above)
        errors.append(Problem((*loc, key), "extra_forbidden", value[key], "Extra inputs are not permitted"))
    if len(errors) > before:
        return _FAIL
    if spec.given:
        values[spec.given] = frozenset(named)
    try:
        return model(**values)
    except Invalid as refused:  # the class's own checks across fields (its __post_init__)
        errors.append(Problem(loc, "check", value, str(refused)))
        return _FAIL


def _inner_model(hint: Any) -> type | None:
    """The dataclass a field's hint holds (itself, or inside Annotated, X | None or tuple[X, ...]); else None."""
    if isinstance(hint, type):
        return hint if dataclasses.is_dataclass(hint) else None
    for arg in typing.get_args(hint):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def field_names(model: type, loc: YamlPath) -> list[str]:
    """The keys allowed where `loc` points (the YAML names)."""
    current: type | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = model_spec(current).by_key.get(part) if current else None
        current = _inner_model(field.hint) if field else None
        if current is None:
            return []
    return [f.key for f in model_spec(current).fields] if current else []
