"""The JSON Schema of the source format, made from the loader's own validation specs."""

from __future__ import annotations

import inspect
import typing
from typing import Annotated, Any, Literal

from .loader import _optional, _spec, _split
from .model import MaxLength, MinLength, Range


def json_schema(model: type) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `model` with its YAML keys, made from the validator's own specs:
    one entry under "$defs" per nested class, required keys in field order, lengths, ranges and choices."""
    defs: dict[str, Any] = {}

    def of_class(cls: type) -> dict[str, Any]:
        spec = _spec(cls)
        properties = {}
        for f in spec.fields:
            node = of_hint(f.hint)
            if "$ref" not in node:
                node["title"] = f.name.replace("_", " ").title()
            if not f.required:
                node["default"] = _plain(f.default)
            properties[f.key] = node
        node = {"additionalProperties": False, "properties": properties, "title": cls.__name__, "type": "object"}
        if cls.__doc__:
            node["description"] = inspect.cleandoc(cls.__doc__)
        if required := [f.key for f in spec.fields if f.required]:
            node["required"] = required
        return node

    def of_hint(hint: Any) -> dict[str, Any]:
        base, markers = _split(hint)
        inner = _optional(base)
        if inner is not None:
            return {"anyOf": [of_hint(Annotated[(inner, *markers)] if markers else inner), {"type": "null"}]}
        node: dict[str, Any]
        if base is str:
            node = {"type": "string"}
        elif base in (float, int):
            node = {"type": "number" if base is float else "integer"}
        elif typing.get_origin(base) is Literal:
            choices = list(typing.get_args(base))
            node = {"enum": choices}
            if all(isinstance(c, str) for c in choices):
                node["type"] = "string"
        elif typing.get_origin(base) is tuple:
            node = {"items": of_hint(typing.get_args(base)[0]), "type": "array"}
        else:
            if base.__name__ not in defs:
                defs[base.__name__] = {}  # a placeholder first, so a class that holds itself ends
                defs[base.__name__] = of_class(base)
            return {"$ref": f"#/$defs/{base.__name__}"}
        length = ("minItems", "maxItems") if node.get("type") == "array" else ("minLength", "maxLength")
        for marker in markers:
            if isinstance(marker, MinLength):
                node[length[0]] = marker.value
            elif isinstance(marker, MaxLength):
                node[length[1]] = marker.value
            elif isinstance(marker, Range):
                node.update({k: v for k, v in (("minimum", marker.ge), ("maximum", marker.le)) if v is not None})
        return node

    document = of_class(model)
    if defs:
        document["$defs"] = dict(sorted(defs.items()))
    ordered: dict[str, Any] = _sorted(document)
    return ordered


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
        k: (v if k == "default" else _sorted(v)) if k != "properties" else {p: _sorted(s) for p, s in v.items()}
        for k, v in sorted(node.items())
    }
