"""The JSON Schema of the source format, generated from the loader's own rules, for editors and CI.

Types are written as YAML writes them: the loader keeps every scalar as the text it was written as, so a
text field also accepts what an editor's YAML reads as a number or a boolean (`code: 1`, `title: 1.10`,
`code: NO`). Every field carries a description and examples; the checks a pattern can say (one line, no
control characters, a language tag) are patterns; the rest (inline markup, label placeholders, codes unique
within a day) only the loader checks, and the descriptions say so.
"""

from __future__ import annotations

import inspect
import typing
from datetime import date
from typing import Annotated, Any, Literal

from . import model as m
from .model import Check, Event, MaxLength, MinLength, Range
from .validation import hint_parts, model_spec, optional

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"

SCALAR = ["string", "number", "boolean"]
"""What a text field may look like to a YAML reader: `1`, `1.10`, `yes` and `NO` are all text to reportgen."""

# A character no document can hold: C0 and C1 controls but tab (and, within a block, the line break), the
# bidi embeddings, overrides and isolates, and the Hangul fillers (model._BIDI_CONTROLS, model._FILLERS).
_REFUSED = r"\u202a-\u202e\u2066-\u2069\u115f\u1160\u3164\uffa0"
_LINE_CHARS = rf"[^\u0000-\u0008\u000a-\u001f\u007f-\u009f{_REFUSED}]"
_BLOCK_CHARS = rf"[^\u0000-\u0008\u000b-\u001f\u007f-\u009f{_REFUSED}]"
PATTERNS: dict[Any, str] = {
    # One line: surrounding white space (a folded block's last line break) is stripped; nothing else breaks.
    m._check_line: rf"^\s*{_LINE_CHARS}*\s*$",
    m._check_block: rf"^{_BLOCK_CHARS}*$",
    m._check_language: r"^\s*[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*\s*$",
    m._check_sdg: r"^\s*(1[0-7]|[1-9])\.([1-9]|1[0-9]|[a-dA-D])\s*$",  # the shape; which exist, reportgen checks
}
# Some character that draws: not white space, a format character, a filler or a variation selector
# (text.scripts.ignorable); text of only such characters prints as nothing.
NOT_BLANK = (
    r"[^\s\u00ad\u034f\u0600-\u0605\u061c\u06dd\u070f\u115f\u1160\u180b-\u180f\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\ufff9-\ufffb\uffa0]"
)
TEXT_ONLY = {m._check_language}
"""Checks that no number or boolean's text passes: their fields are strings only."""

_MARKUP = " Inline markup: **bold**, *italic*, `code`, [links](https://example.org) (checked by reportgen)."
_LABEL = " Replaces the language's own word; optional."

FIELDS: dict[str, tuple[str, list[Any]]] = {
    "Event.event": ("The event's title block: what it is, when, where and by whom.", [{"title": "Global Forum 2026"}]),
    "Event.meta": ("Another name for `event` (write one of the two).", [{"title": "Global Forum 2026"}]),
    "Event.days": (
        "The days of the event, in order; each lists its sessions.",
        [
            [
                {
                    "title": "Day 1",
                    "sessions": [{"code": "A", "title": "Opening", "outcomes": ["We agreed on three priorities."]}],
                }
            ]
        ],
    ),
    "Event.theme": (
        "The look of all three documents: a built-in theme (see `reportgen themes`) or a theme folder, relative "
        "to this file. `--theme` overrides it.",
        ["default", "high-contrast", "print", "themes/acme"],
    ),
    "EventInfo.title": (
        "The event's name, on the cover, the title slide and every footer.",
        ["Global Forum on Child Labour in Supply Chains"],
    ),
    "EventInfo.subtitle": ("A line under the title.", ["Key outcomes of the breakout sessions"]),
    "EventInfo.date": ("When the event took place, as it should be printed.", ["24–25 June 2026", "2026-06-24"]),
    "EventInfo.venue": ("Where the event took place.", ["World Conference Centre, The Hague"]),
    "EventInfo.organiser": ("Who organised the event.", ["Alliance 8.7 Secretariat"]),
    "EventInfo.language": (
        "The language of the text (a BCP 47 tag): chooses the added words, hyphenation and fonts.",
        ["en", "fr", "pt-BR", "zh"],
    ),
    "EventInfo.labels": (
        "Words to use instead of the language's own, for what the documents add.",
        [{"moderator": "Chair", "agenda": "Programme"}],
    ),
    "Labels.moderator": ("Before a session's moderator's name." + _LABEL, ["Chair"]),
    "Labels.rapporteur": ("Before a session's rapporteur's name." + _LABEL, ["Reporter"]),
    "Labels.agenda": ("The title of the deck's agenda slide." + _LABEL, ["Programme"]),
    "Labels.page": ("The page footer, with {page} and {pages} once each." + _LABEL, ["Page {page} of {pages}"]),
    "Labels.continued": ("A slide or agenda day carried over, with {title} once." + _LABEL, ["{title} (continued)"]),
    "Labels.continued_of": (
        "The third and later of such slides, with {title}, {page} and {pages} once each." + _LABEL,
        ["{title} (continued, {page} of {pages})"],
    ),
    "Labels.sessions": (
        "A day's number of sessions: the language's plural forms separated by '|', each with {n}." + _LABEL,
        ["{n} session|{n} sessions"],
    ),
    "Labels.outcomes": (
        "A day's number of key outcomes: the language's plural forms separated by '|', each with {n}." + _LABEL,
        ["{n} key outcome|{n} key outcomes"],
    ),
    "EventInfo.key_messages": (
        "The event's key messages, one to seven lines, after the title (Word, PDF) and on the deck's second "
        "slide." + _MARKUP,
        [["Every buyer commits to one remediation budget line by June."]],
    ),
    "Session.actions": (
        "The actions the session agreed: who does what by when. Each session's table, the 'All actions' annex "
        "and the deck's 'Next steps' list them; `reportgen actions` exports them.",
        [[{"action": "Publish the reference price for every origin", "owner": "Secretariat", "due": "2027-06-30"}]],
    ),
    "Action.action": ("What is to be done, one line." + _MARKUP, ["Publish the reference price for every origin"]),
    "Action.owner": ("Who does it.", ["Alliance 8.7 Secretariat", "ILO"]),
    "Action.due": (
        "By when, as an ISO date YYYY-MM-DD (write it unquoted or quoted). An action past it that is neither done "
        "nor dropped is marked overdue as of the build date.",
        ["2027-06-30"],
    ),
    "Action.status": (
        "Where the action stands: open (the default), in progress, done or dropped.",
        ["open", "in progress", "done", "dropped"],
    ),
    "Action.id": (
        "A name for the action, unique in the source (checked by reportgen): `build --since` matches actions "
        "across meetings by it, else by their text.",
        ["price-ref"],
    ),
    "Action.sdg": (
        "The SDG targets the action serves, each a code of the 169 targets (checked by reportgen).",
        [["8.7", "12.6"]],
    ),
    "Day.title": ("The day's heading.", ["Day 1 – Tuesday 24 June"]),
    "Day.sessions": (
        "The day's sessions, in order.",
        [[{"code": "A", "title": "Opening", "outcomes": ["We agreed."]}]],
    ),
    "Session.code": (
        "The session's short code, unique within its day; with the day it makes the id for --only (day-1/a).",
        ["A", "B2", 1],
    ),
    "Session.title": ("The session's title, after its code.", ["Transparency & Traceability", 1.1]),
    "Session.outcomes": (
        "The key outcomes, one line each, in order." + _MARKUP,
        [["Create trust among value chain partners.", "Share data on a **need to know** basis."]],
    ),
    "Session.notes": (
        "Speaker notes for the session's slides, over several lines if needed." + _MARKUP,
        ["Open with the two company examples from the panel.\nAsk the room who has mapped beyond tier 1."],
    ),
    "Session.moderator": ("Who moderated the session.", ["Dr Amélie Lefèvre, OECD"]),
    "Session.rapporteur": ("Who reported the session's outcomes.", ["João Gonçalves"]),
}


def json_schema(model: type = Event) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `model` with its YAML keys, made from the validator's own specs:
    one entry under "$defs" per nested class, required keys in field order, lengths, ranges, choices,
    patterns, and a description and examples for every field."""
    defs: dict[str, Any] = {}

    def of_class(cls: type) -> dict[str, Any]:
        spec = model_spec(cls)
        properties = {}
        for f in spec.fields:
            node = of_hint(f.hint)
            names = [f.key] if f.key == f.name else [f.key, f.name]  # Event's meta: stands in for event:
            for name in names:
                properties[name] = _documented(dict(node), cls.__name__, name, f.name, f.required, f.default)
        node = {"additionalProperties": False, "properties": properties, "title": cls.__name__, "type": "object"}
        if cls.__doc__:
            node["description"] = inspect.cleandoc(cls.__doc__)
        required = [f.key for f in spec.fields if f.required and f.key == f.name]
        if required:
            node["required"] = required
        aliased = [f for f in spec.fields if f.key != f.name]
        if aliased:
            node["allOf"] = [
                {"oneOf": [{"required": [f.key]}, {"required": [f.name]}]}
                if f.required
                else {"not": {"required": [f.key, f.name]}}
                for f in aliased
            ]
        return node

    def of_hint(hint: Any) -> dict[str, Any]:
        base, markers = hint_parts(hint)
        inner = optional(base)
        if inner is not None:
            # An empty value (`key:` or `~`) is no value: the loader treats it as the key left out.
            return {"anyOf": [of_hint(Annotated[(inner, *markers)] if markers else inner), {"type": "null"}]}
        node: dict[str, Any]
        if base is str:
            checks = {c.function for c in markers if isinstance(c, Check)}
            node = {"type": ["string"] if checks & TEXT_ONLY else list(SCALAR)}
            patterns = [PATTERNS[c.function] for c in markers if isinstance(c, Check) and c.function in PATTERNS]
            if any(isinstance(c, MinLength) and c.value > 0 for c in markers):
                patterns.append(NOT_BLANK)
            if len(patterns) == 1:
                node["pattern"] = patterns[0]
            elif patterns:
                node["allOf"] = [{"pattern": p} for p in patterns]
        elif base in (float, int):
            # A number may be written as text too ("12"), which the loader reads as a number.
            node = {"type": ["number" if base is float else "integer", "string"]}
        elif typing.get_origin(base) is Literal:
            node = {"enum": list(typing.get_args(base))}
        elif base is date:
            # Written unquoted, a YAML reader may take it for a timestamp; reportgen reads the text.
            node = {"format": "date", "pattern": r"^\s*\d{4}-\d{2}-\d{2}\s*$", "type": "string"}
        elif typing.get_origin(base) is tuple:
            node = {"items": of_hint(typing.get_args(base)[0]), "type": "array"}
        else:
            if base.__name__ not in defs:
                defs[base.__name__] = {}  # a placeholder first, so a class that holds itself ends
                defs[base.__name__] = of_class(base)
            return {"$ref": f"#/$defs/{base.__name__}"}
        array = node.get("type") == "array"
        for marker in markers:
            if isinstance(marker, MinLength) and array:
                node["minItems"] = marker.value
            elif isinstance(marker, MaxLength):
                node["maxItems" if array else "maxLength"] = marker.value
            elif isinstance(marker, Range):
                node.update({k: v for k, v in (("minimum", marker.ge), ("maximum", marker.le)) if v is not None})
        return node

    document = of_class(model)
    if defs:
        document["$defs"] = dict(sorted(defs.items()))
    document["$schema"] = SCHEMA_URI
    document["title"] = "reportgen source"
    ordered: dict[str, Any] = _sorted(document)
    return ordered


def _documented(node: dict[str, Any], owner: str, key: str, name: str, required: bool, default: Any) -> dict[str, Any]:
    description, examples = FIELDS[f"{owner}.{key}"]
    wrapped: dict[str, Any] = (
        {"allOf": [node]} if "$ref" in node else node
    )  # keywords beside a $ref: kept apart for old readers
    wrapped.update(description=description, examples=examples, title=name.replace("_", " ").title())
    if not required:
        wrapped["default"] = _plain(default)
    return wrapped


def _plain(value: Any) -> Any:
    """A default as JSON sees it: tuples become lists."""
    return [_plain(v) for v in value] if isinstance(value, tuple) else value


def _sorted(node: Any) -> Any:
    """Schema keys in alphabetical order, except the properties, which keep the fields' order."""
    if isinstance(node, list):
        return [_sorted(v) for v in node]
    if not isinstance(node, dict):
        return node
    return {
        k: (v if k in ("default", "examples") else _sorted(v))
        if k != "properties"
        else {p: _sorted(s) for p, s in v.items()}
        for k, v in sorted(node.items())
    }
