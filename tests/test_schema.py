"""The JSON Schema agrees with the loader: every example and every invalid case gets the same verdict from a
real JSON Schema validator (reading YAML as an editor does, YAML 1.2) as from reportgen."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from reportgen.errors import SourceInvalid
from reportgen.loader import parse_model
from reportgen.model import Event
from reportgen.schema import FIELDS, json_schema

from .conftest import CASES, DATA

jsonschema = pytest.importorskip("jsonschema")

SCHEMA = json_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


class Yaml12(yaml.SafeLoader):
    """YAML as yaml-language-server reads it (the 1.2 core schema): `NO` and `yes` stay text, dates are text,
    `1` and `1.10` are numbers, `true`/`false` booleans."""


FLOAT = r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$"
Yaml12.yaml_implicit_resolvers = {}
for tag, pattern, first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", FLOAT, "-+0123456789."),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):  # fmt: skip
    Yaml12.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", re.compile(pattern), list(first))


def schema_accepts(text: str) -> bool:
    return VALIDATOR.is_valid(yaml.load(text, Loader=Yaml12))


def loader_accepts(text: str) -> bool:
    try:
        parse_model(text, Event, "case.yaml")
    except SourceInvalid:
        return False
    return True


MINIMAL: dict[str, Any] = {
    "event": {"title": "Forum"},
    "days": [{"title": "Day 1", "sessions": [{"code": "A", "title": "Opening", "outcomes": ["We agreed."]}]}],
}
WHERE = {  # where each class's fields live in MINIMAL
    "Event": (),
    "EventInfo": ("event",),
    "Labels": ("event", "labels"),
    "Day": ("days", 0),
    "Session": ("days", 0, "sessions", 0),
    "Action": ("days", 0, "sessions", 0, "actions", 0),
}


def with_field(key: str, value: Any) -> dict[str, Any]:
    owner, name = key.split(".")
    data = copy.deepcopy(MINIMAL)
    if owner == "Labels":
        data["event"]["labels"] = {}
    if owner == "Action":
        data["days"][0]["sessions"][0]["actions"] = [{"action": "Publish the price", "owner": "ILO"}]
    node: Any = data
    for part in WHERE[owner]:
        node = node[part]
    if key == "Event.meta":
        data.pop("event")
    node[name] = value
    return data


def as_yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_every_field_has_a_description_and_examples() -> None:
    classes = {"": SCHEMA, **SCHEMA["$defs"]}
    seen = set()
    for name, node in classes.items():
        for key, field in node["properties"].items():
            assert field["description"] and field["examples"], f"{name}.{key}"
            seen.add(f"{name or 'Event'}.{key}")
    assert seen == set(FIELDS)


@pytest.mark.parametrize(("key", "example"), [(k, e) for k, (_, es) in FIELDS.items() for e in es])
def test_every_example_is_valid_to_the_schema_and_the_loader(key: str, example: Any) -> None:
    text = as_yaml(with_field(key, example))
    assert schema_accepts(text), text
    assert loader_accepts(text), text


SOURCES = sorted(DATA.glob("*.yaml")) + sorted(CASES.glob("valid/*.yaml")) + sorted(CASES.glob("rich/*.yaml"))
SOURCES += sorted(CASES.glob("invalid/*.yaml"))
BEYOND_THE_SCHEMA = {
    # What only the loader can see: YAML's structure, not its data, or a rule across fields.
    "duplicate_key.yaml": "a YAML reader keeps the last of two equal keys",
    "duplicate_code.yaml": "codes unique within a day is a rule across items",
    "unused_anchor.yaml": "a YAML reader resolves anchors; reportgen refuses every one",
}


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_schema_and_the_loader_agree_on_every_example_and_invalid_case(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    verdict = loader_accepts(text)
    try:
        data = yaml.load(text, Loader=Yaml12)
    except yaml.YAMLError:  # not YAML at all: the schema has nothing to judge
        assert not verdict
        return
    if path.name in BEYOND_THE_SCHEMA:
        assert not verdict and VALIDATOR.is_valid(data)
        return
    assert VALIDATOR.is_valid(data) == verdict, [e.message for e in VALIDATOR.iter_errors(data)]


INVALID = {
    "a list for a title": with_field("Session.title", ["not", "text"]),
    "an empty title": with_field("Session.title", "   "),
    "no value": with_field("Session.title", None),
    "two lines": with_field("Day.title", "Day 1\nand 2"),
    "a control character": with_field("Session.outcomes", ["We \x07 agreed."]),
    "no outcomes": with_field("Session.outcomes", []),
    "no days": with_field("Event.days", []),
    "an unknown key": with_field("Session.outcome", ["x"]),
    "not a language tag": with_field("EventInfo.language", "English"),
    "a number for a language": with_field("EventInfo.language", 12),
    "both event and meta": {**MINIMAL, "meta": {"title": "Forum"}},
    "a mapping for an outcome": with_field("Session.outcomes", [{"We agreed": "all of it"}]),
}
VALID = {
    "numbers and booleans as text": with_field("Session.code", 1) | {"theme": "default"},
    "a title of 1.10": with_field("Day.title", 1.10),
    "true": with_field("Session.title", True),
    "meta instead of event": with_field("Event.meta", {"title": "Forum"}),
    "a folded last line break": with_field("Session.title", "Opening\n"),
    "notes over lines": with_field("Session.notes", "One.\nTwo."),
    "an empty optional": with_field("Session.notes", None),
}


@pytest.mark.parametrize("name", INVALID)
def test_invalid_data_is_refused_by_both(name: str) -> None:
    text = as_yaml(INVALID[name])
    assert (schema_accepts(text), loader_accepts(text)) == (False, False)


@pytest.mark.parametrize("name", VALID)
def test_valid_data_is_accepted_by_both(name: str) -> None:
    text = as_yaml(VALID[name])
    assert (schema_accepts(text), loader_accepts(text)) == (True, True)


def test_text_fields_accept_what_yaml_reads_as_numbers() -> None:
    session = SCHEMA["$defs"]["Session"]["properties"]
    assert session["code"]["type"] == ["string", "number", "boolean"]
    assert VALIDATOR.is_valid(
        yaml.load(
            "event: {title: 2026}\ndays: [{title: 1.10, sessions: [{code: 1, title: 1.10, outcomes: [1]}]}]",
            Loader=Yaml12,
        )
    )
