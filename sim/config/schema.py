"""The scenario format as JSON Schema (`fedsim schema`): every field with its meaning, unit and allowed range.

`scenario_schema()` is pydantic's schema of `Scenario` with each property's description taken from the field
(``Field(description=...)``) or from `sim.config.field_docs.FIELD_DOCS`, followed by the allowed range read
off the schema's own constraints (so the text cannot disagree with validation), and the valid state codes
listed as an enum wherever a state code is expected.

`field_words(dotted)` is a parameter in words for charts (the sensitivity tornado's bars), from the same
descriptions: cut to the first clause, led by the section it sits in, with the key of a mapping parameter
(``platform.search.service_time.mean_s`` -> "Search: mean service time").
"""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel

from sim.config.field_docs import FIELD_DOCS
from sim.config.scenario import Scenario
from sim.geo.states import STATE_CODES

STATE_CODE_FIELDS = (("Policy", "state_laws"), ("World", "states"), ("Where", "state"))


def _bound(prop: dict[str, Any]) -> str:
    """The numeric range of one schema branch, e.g. '0 to 1', '> 0', '1 to 3650'."""
    lo = ("> ", prop["exclusiveMinimum"]) if "exclusiveMinimum" in prop else ((">= ", prop["minimum"])
                                                                           if "minimum" in prop else None)
    hi = ("< ", prop["exclusiveMaximum"]) if "exclusiveMaximum" in prop else (("<= ", prop["maximum"])
                                                                           if "maximum" in prop else None)
    if lo and hi:
        return f"{lo[1]:g} to {hi[1]:g}" if lo[0] == ">= " and hi[0] == "<= " else f"{lo[0]}{lo[1]:g} and {hi[0]}{hi[1]:g}"
    if lo or hi:
        op, value = lo or hi  # type: ignore[misc]
        return f"{op}{value:g}"
    return ""


def range_text(prop: dict[str, Any]) -> str:
    """Allowed values of a property in words ('' for a section, a list or a mapping described in its text)."""
    branches = prop.get("anyOf", [prop])
    parts = []
    for b in branches:
        kind = b.get("type")
        if "enum" in b:
            parts.append("one of " + ", ".join(map(str, b["enum"])))
        elif "const" in b:
            parts.append(repr(b["const"]))
        elif kind == "boolean":
            parts.append("true or false")
        elif kind in ("integer", "number"):
            if kind == "integer" and "exclusiveMinimum" in b:  # > 0 for a whole number reads better as >= 1
                b = {k: v for k, v in b.items() if k != "exclusiveMinimum"} | {"minimum": b["exclusiveMinimum"] + 1}
            bound = _bound(b)
            word = "a whole number" if kind == "integer" else "a number"
            parts.append(f"{word} {bound}" if bound else word)
        elif kind == "null":
            parts.append("null")
        elif kind == "array":
            parts.append("a list")
        elif kind == "object":
            parts.append("a mapping")
        elif kind == "string":
            parts.append("text")
    return "allowed: " + " or ".join(parts) if parts else ""


def scenario_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema()
    models = [("Scenario", schema), *schema.get("$defs", {}).items()]
    for name, model in models:
        for field, prop in model.get("properties", {}).items():
            text = prop.get("description") or FIELD_DOCS.get(f"{name}.{field}")
            if text is None:
                continue  # tests/sim/config/test_schema.py names it
            allowed = range_text(prop)
            prop["description"] = f"{text}; {allowed}" if allowed else text
    defs = schema.get("$defs", {})
    for name, field in STATE_CODE_FIELDS:
        prop = defs.get(name, {}).get("properties", {}).get(field)
        if prop is None:
            continue
        for branch in prop.get("anyOf", [prop]):
            if branch.get("type") == "array":
                branch["items"] = {"type": "string", "enum": list(STATE_CODES)}
        prop["description"] = prop.get("description", "") + "; valid codes: " + ", ".join(STATE_CODES)
    return schema


SECTION_WORDS = {"alpr": "ALPR", "optin": "Opt-in", "private": "Private networks"}


def _field_text(model: type[BaseModel], field: str) -> str | None:
    info = model.model_fields.get(field)
    return None if info is None else info.description or FIELD_DOCS.get(f"{model.__name__}.{field}")


def field_words(dotted: str) -> str | None:
    """A dotted scenario path in words (None when the path names no documented field): the description up to its
    first ';', ' (' or ',' (no unit, range or aside), after the section (the path's second key), and for one key
    of a mapping parameter that key (``behavior.incidents.per_agency_per_day.local_police`` -> "Incidents:
    incidents per agency per day, local police")."""
    keys = dotted.split(".")
    model: type[BaseModel] | None = Scenario
    text, key = None, ""
    for i, k in enumerate(keys):
        if model is None:  # a key of a mapping parameter
            key = ".".join(keys[i:]).replace("_", " ")
            break
        text = _field_text(model, k)
        if text is None:
            return None
        annotation = model.model_fields[k].annotation
        model = next((a for a in (annotation, *typing.get_args(annotation))
                      if isinstance(a, type) and issubclass(a, BaseModel)), None)
    if text is None:
        return None
    short = re.split(r";| \(|, ", text.split(" -> ", 1)[-1], maxsplit=1)[0].strip()
    section = SECTION_WORDS.get(keys[1], keys[1].replace("_", " ").capitalize()) if len(keys) > 2 else ""
    words = f"{section}: {short}" if section else short[:1].upper() + short[1:]
    return f"{words}, {key}" if key else words
