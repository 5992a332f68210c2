"""The texts of an event a translator translates, each at a stable path, and the event with translations in place.

A text's path is its msgctxt in the PO file: "event/title", "day-2/title", "day-1/a/title", "day-1/a/outcomes/3"
(outcomes counted from 1, sessions named by their ids, as `reportgen list` prints them). Names (moderators,
rapporteurs), session codes, the language, the theme and the source's own labels are not translated: an
edition uses its language's built-in labels.

A translation is checked by the same rules as the source's text (loader.from_data on a one-field model of
the field's type: a title stays one line, markup must hold allowed links) and must keep the source's number
of links and leave no markup unparsed; a refused one is reported and the source text used instead.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterator, Mapping
from dataclasses import replace
from types import UnionType
from typing import Annotated, Any, NamedTuple, Union

from ..markup import Rich
from ..model import Day, Event, EventInfo, Session

NOT_TRANSLATED = frozenset({"code", "moderator", "rapporteur", "language", "theme", "labels"})
"""Fields that keep the source's value in every edition: names, codes, and settings."""

_UNPARSED = ("**", "__", "`", "](", "<http", "<mailto")
"""Markup left as literal text when a translation's markup does not parse (an unclosed "**", say)."""


class Text(NamedTuple):
    """One translatable text of an event."""

    path: str  # "day-1/a/outcomes/3": the PO entry's msgctxt
    where: tuple[str | int, ...]  # its place in the YAML: ("days", 0, "sessions", 0, "outcomes", 2)
    source: str  # the text as written, markup included: the PO entry's msgid
    hint: Any  # the type of one such text (Line, Inline, InlineBlock), to check a translation by
    context: str  # for the translator: the session it belongs to, what it is


def _text_hint(hint: Any) -> tuple[Any, bool] | None:
    """(the hint of one text, whether the field holds a list of them) for a text field; None for another."""
    if typing.get_origin(hint) in (Union, UnionType):
        args: list[Any] = [a for a in typing.get_args(hint) if a is not type(None)]
        hint = args[0] if len(args) == 1 else hint
    base = hint.__origin__ if typing.get_origin(hint) is Annotated else hint
    if base is str:
        return hint, False
    if typing.get_origin(base) is tuple:
        items = typing.get_args(base)
        if len(items) == 2 and items[1] is Ellipsis:
            item = items[0]
            inner = item.__origin__ if typing.get_origin(item) is Annotated else item
            if inner is str:
                return item, True
    return None


_FIELDS: dict[type, tuple[tuple[str, str, Any, bool], ...]] = {}


def _text_fields(model: type) -> tuple[tuple[str, str, Any, bool], ...]:
    """A model's translatable fields: (attribute, YAML key, hint of one text, a list of them); cached."""
    if model in _FIELDS:
        return _FIELDS[model]
    hints = typing.get_type_hints(model, include_extras=True)
    found = []
    for f in dataclasses.fields(model):
        if f.name in NOT_TRANSLATED or f.name.startswith("_"):
            continue
        kind = _text_hint(hints[f.name])
        if kind is not None:
            found.append((f.name, f.metadata.get("key", f.name), *kind))
    _FIELDS[model] = tuple(found)
    return _FIELDS[model]


def _source(value: str) -> str:
    return value.source if isinstance(value, Rich) else str(value)


def _of(node: object, prefix: str, where: tuple[str | int, ...], context: str) -> Iterator[Text]:
    for name, key, hint, many in _text_fields(type(node)):
        value = getattr(node, name)
        if value is None:
            continue
        if many:
            for i, item in enumerate(value):
                what = f"{context} · {key[:-1] if key.endswith('s') else key} {i + 1} of {len(value)}"
                yield Text(f"{prefix}/{key}/{i + 1}", (*where, key, i), _source(item), hint, what)
        else:
            yield Text(f"{prefix}/{key}", (*where, key), _source(value), hint, f"{context} · {key}")


def texts(event: Event) -> list[Text]:
    """Every translatable text of `event`, in document order."""
    found = list(_of(event.meta, "event", ("event",), "The event"))
    sessions = event.session_ids()
    by_day: dict[int, list[tuple[str, int]]] = {}
    for sid, (d, s) in sessions.items():
        by_day.setdefault(d, []).append((sid, s))
    for d, day in enumerate(event.days):
        found.extend(_of(day, f"day-{d + 1}", ("days", d), f"Day {d + 1}"))
        for sid, s in by_day.get(d, []):
            session = day.sessions[s]
            context = f"{day.title} › {session.heading}"
            found.extend(_of(session, sid, ("days", d, "sessions", s), context))
    return found


def _replaced(node: Any, prefix: str, values: Mapping[str, object]) -> Any:
    changes: dict[str, object] = {}
    for name, key, _, many in _text_fields(type(node)):
        value = getattr(node, name)
        if value is None:
            continue
        if many:
            paths = [f"{prefix}/{key}/{i + 1}" for i in range(len(value))]
            if any(path in values for path in paths):
                changes[name] = tuple(values.get(path, item) for path, item in zip(paths, value, strict=True))
        elif f"{prefix}/{key}" in values:
            changes[name] = values[f"{prefix}/{key}"]
    return replace(node, **changes) if changes else node


def translated(event: Event, values: Mapping[str, object], language: str) -> Event:
    """`event` with the texts at the paths of `values` replaced by them (checked values: see check), in
    `language`, with the language's own labels (the source's labels are words of the source's language)."""
    meta: EventInfo = _replaced(event.meta, "event", values)
    meta = replace(meta, language=language, labels=None)
    ids = {(d, s): sid for sid, (d, s) in event.session_ids().items()}
    days: list[Day] = []
    for d, day in enumerate(event.days):
        sessions: list[Session] = [_replaced(s, ids[(d, i)], values) for i, s in enumerate(day.sessions)]
        days.append(replace(_replaced(day, f"day-{d + 1}", values), sessions=tuple(sessions)))
    return replace(event, meta=meta, days=tuple(days))


_ONE: dict[Any, type] = {}


def _one(hint: Any) -> type:
    """A one-field model holding a text of type `hint`, for the loader to check a translation with; one per
    hint."""
    if hint not in _ONE:
        _ONE[hint] = dataclasses.make_dataclass("Translation", [("value", hint)], frozen=True)
    return _ONE[hint]


def check(text: Text, translation: str) -> tuple[object, str | None]:
    """The translation as the field holds it (a Rich for text with markup), and None; or (None, why it is
    refused): by the field's own rules, or a different number of links, or markup left unparsed."""
    from ..errors import SourceInvalid
    from ..loader import from_data

    try:
        value: object = from_data(_one(text.hint), {"value": translation}).value
    except SourceInvalid as refused:
        return None, "; ".join(d.message for d in refused.diagnostics)
    if isinstance(value, Rich):
        original = text.source
        from ..markup import parse

        source = parse(original)
        if len(value.links) != len(source.links):
            return None, f"has {_links(len(value.links))} where the source has {len(source.links)}"
        for mark in _UNPARSED:
            if mark in value and mark not in source:
                return None, f"has markup that does not parse: {mark!r} would print as it is"
    return value, None


def _links(n: int) -> str:
    return f"{n} link" if n == 1 else f"{n} links"
