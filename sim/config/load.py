"""Read, merge, override and validate scenario files into one typed `Scenario`.

`load_scenario(path, overrides)` reads the file (at most 1 MiB, strict YAML), follows ``extends:``
(a base file relative to the extending file; mappings deep-merged, lists replaced; cycles refused),
applies ``--set path=value`` overrides and validates against the schema. A layer (an extending file or a
``--set``) that gives part of a mapping field the layers below do not spell out (``--set
behavior.searches.reasons.immigration=0.1``) changes those entries of the field's default mapping and keeps
the others (`mapping_default`), as it would had the base file written the default out; a file without ``extends:``
does the same over the defaults. A ``--set`` (or a sweep value) whose value is a whole mapping merges into
the mapping below it as an extending file's would: ``--set policy.state_rules={TX: {...}}`` adds Texas's rule
and keeps California's, ``--set behavior.searches.per_agency_30d_median={sheriff: 90}`` keeps the other
agency types; only a mix of weights (``reasons``, one type's ``scope_mix``) given whole replaces the mix
(`is_mix`). A key renamed since older files were written is read as its new name, layer by layer, with a
warning (`sim.config.renamed`). Any problem raises `ScenarioError` whose lines name the file, line, dotted path,
value and what is allowed.
"""

from __future__ import annotations

import copy
import difflib
import os
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from sim.config.base import check_weights
from sim.config.errors import Problem, ScenarioError
from sim.config.renamed import rename_dotted, rename_keys
from sim.config.scenario import Scenario
from sim.config.yaml_strict import YamlProblem, parse, parse_scalar

MAX_BYTES = 1024 * 1024
MAX_EXTENDS_DEPTH = 8
Origin = dict[tuple[str, ...], tuple[str, int | None]]
# Values that name a file relative to the scenario file that set them.
FILE_PATHS = {("platform", "calibration"), ("world", "sharing", "source"), ("world", "flock", "data")}
SPECIAL_SOURCES = {"synthetic", "private_eyes", "shipped"}
TYPE_MESSAGES = {
    "int_type": "must be a whole number written without quotes or leading zeros (e.g. 30)",
    "float_type": "must be a number (e.g. 0.5)",
    "bool_type": "must be true or false (YES/NO/on/off are not read as booleans)",
    "string_type": "must be text",
    "dict_type": "must be a mapping of keys to values",
    "list_type": "must be a list",
    "model_type": "must be a mapping of keys to values",
}


def _read(path: Path) -> tuple[dict[str, Any], Origin]:
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ScenarioError([Problem(name, "", f"cannot read scenario file: {exc.strerror}")]) from None
    if size > MAX_BYTES:
        raise ScenarioError([Problem(name, "", f"file is {size} bytes; scenario files are limited to 1 MiB")])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ScenarioError([Problem(name, "", "file is not UTF-8 text")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(name, "", f"cannot read scenario file: {exc.strerror}")]) from None
    try:
        data, lines = parse(text)
    except YamlProblem as exc:
        raise ScenarioError([Problem(name, "", exc.message, exc.line)]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError([Problem(name, "", "a scenario file must be a mapping of sections (name:, world:, ...)")])
    origin = {p: (name, line) for p, line in lines.items()}
    _anchor_file_paths(data, origin, path.parent)
    return data, origin


def _anchor_file_paths(data: dict[str, Any], origin: Origin, base_dir: Path) -> None:
    for path in FILE_PATHS:
        node: Any = data
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            continue
        value = node.get(path[-1])
        if isinstance(value, str) and value not in SPECIAL_SOURCES and not os.path.isabs(value):
            node[path[-1]] = str((base_dir / value).resolve())


def mapping_default(path: tuple[Any, ...]) -> dict[Any, Any] | None:
    """A copy of the default of the mapping field at `path` (such as behavior.searches.reasons), else None."""
    parent = _unwrap(_annotation_at(path[:-1])) if path else None
    if not (isinstance(parent, type) and issubclass(parent, BaseModel)):
        return None
    field = parent.model_fields.get(str(path[-1]))
    default = field.get_default(call_default_factory=True) if field is not None else None
    if not isinstance(default, dict):
        return None
    return {k: v.model_dump() if isinstance(v, BaseModel) else copy.deepcopy(v) for k, v in default.items()}


def _annotation_at(path: tuple[Any, ...]) -> Any:
    """The type of the value at `path` (model fields, then a mapping's value type), None when not known.

    A field's own ``Annotated`` metadata (a `Weights` field) comes back as ``Annotated[type, *metadata]``."""
    annotation: Any = Scenario
    for part in path:
        inner = get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation
        if get_origin(inner) is dict:  # a mapping (of numbers, mixes or models): the type of its values
            annotation = get_args(inner)[1]
            continue
        model = _unwrap(annotation)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        annotation = Annotated[(field.annotation, *field.metadata)] if field.metadata else field.annotation
    return annotation


def is_mix(path: tuple[Any, ...]) -> bool:
    """Whether the value at `path` is a mix of weights (`Weights`, `DayWeights`): one value, replaced whole."""
    annotation = _annotation_at(path)
    if get_origin(annotation) is not Annotated:
        return False
    return any(getattr(m, "func", None) is check_weights for m in annotation.__metadata__)


def _key(node: dict[Any, Any], key: str) -> Any:
    """`key` as the mapping spells its keys: a dotted path gives "7", a mapping of days has 7."""
    if key.isdigit() and any(isinstance(k, int) for k in node):
        return int(key)
    return key


def _merge(base: dict[str, Any], top: dict[str, Any], path: tuple[Any, ...] = (), mixes_whole: bool = False,
           ) -> dict[str, Any]:
    """`top` over `base`, mappings key by key; an empty mapping ({}: none) replaces, and with `mixes_whole` (a
    --set) so does a mix."""
    out = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, dict) and value and not (mixes_whole and is_mix(path + (key,))):
            below = out.get(key)
            if not isinstance(below, dict):
                below = mapping_default(path + (key,)) or {}
            out[key] = _merge(below, value, path + (key,), mixes_whole)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _read_with_extends(path: Path, chain: tuple[Path, ...] = (),
                       notes: list[str] | None = None) -> tuple[dict[str, Any], Origin]:
    """The file at `path` merged over the files it extends; `notes` gets a line per renamed key read."""
    path = path.resolve()
    if path in chain:
        cycle = " -> ".join(str(p) for p in chain + (path,))
        raise ScenarioError([Problem(str(chain[-1]), "extends", f"extends forms a cycle: {cycle}")])
    if len(chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError([Problem(str(path), "extends", f"extends is nested more than {MAX_EXTENDS_DEPTH} deep")])
    data, origin = _read(path)
    found = rename_keys(data, (), str(path), origin)
    if notes is not None:
        notes += found
    base_ref = data.pop("extends", None)
    if base_ref is None:  # the defaults are the layer below: a partial mapping keeps their other entries
        return _merge({}, data), origin
    if not isinstance(base_ref, str):
        line = origin.get(("extends",), (str(path), None))[1]
        raise ScenarioError([Problem(str(path), "extends", "must be a file path (string)", line, base_ref, True)])
    base_path = (path.parent / base_ref) if not os.path.isabs(base_ref) else Path(base_ref)
    if not base_path.is_file():
        line = origin.get(("extends",), (str(path), None))[1]
        raise ScenarioError(
            [Problem(str(path), "extends", f"base scenario {base_path} does not exist", line, base_ref, True)]
        )
    base, base_origin = _read_with_extends(base_path, chain + (path,), notes)
    merged_origin = dict(base_origin)
    merged_origin.update(origin)
    return _merge(base, data), merged_origin


def set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``a.b.c`` in nested dicts, creating mappings on the way (a mapping field from its default)."""
    keys = dotted.split(".")
    node = data
    path: tuple[Any, ...] = ()
    for key in keys[:-1]:
        key = _key(node, key)
        path += (key,)
        nxt = node.get(key)
        if not isinstance(nxt, dict):
            nxt = mapping_default(path) or {}
            node[key] = nxt
        node = nxt
    key = _key(node, keys[-1])
    path += (key,)
    below = node.get(key)
    if below is None and isinstance(value, dict):
        below = mapping_default(path)
    if isinstance(value, dict) and value and isinstance(below, dict) and not is_mix(path):
        value = _merge(below, value, path, mixes_whole=True)  # as an extending file's mapping would
    node[key] = value


def parse_override(text: str) -> tuple[str, Any]:
    """Split ``path=value`` and parse the value with the strict YAML rules."""
    if "=" not in text:
        raise ScenarioError([Problem("--set", text, "an override must look like path=value, e.g. policy.alpr_retention_days=7")])
    path, raw = text.split("=", 1)
    path = path.strip()
    if not path or any(not part for part in path.split(".")):
        raise ScenarioError([Problem("--set", path, "the path must be dotted keys such as policy.federal_firewall")])
    try:
        return path, parse_scalar(raw)
    except YamlProblem as exc:
        raise ScenarioError([Problem("--set", path, exc.message, None, raw, True)]) from None


def _field_names(loc: tuple[Any, ...]) -> list[str]:
    """Valid keys of the model at `loc` (for 'did you mean')."""
    model: Any = Scenario
    for part in loc:
        if str(part).isdigit():  # a list index (policy.overrides.0.set): the list's item model
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(str(part))
        if field is None:
            return []
        model = _unwrap(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _field_names_at(loc: tuple[str, ...]) -> list[str]:
    """Keys of the model whose value belongs at `loc` (policy.state_rules.TX: a StateRule's), else []."""
    model = _unwrap(_annotation_at(tuple(p for p in loc if not p.isdigit())))
    return list(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []


def _unwrap(annotation: Any) -> Any:
    for arg in (annotation, *get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    if get_origin(annotation) is not None:
        for arg in get_args(annotation):
            found = _unwrap(arg)
            if found is not None and isinstance(found, type):
                return found
    return annotation


def _as_percent(err: Any) -> float | None:
    """A share (0..1) given as a whole percent (2..100): the share it probably meant, else None (1.5 is no percent)."""
    ctx = err.get("ctx") or {}
    value = err.get("input")
    if err["type"] != "less_than_equal" or ctx.get("le") != 1.0 or not isinstance(value, int | float):
        return None
    whole = not isinstance(value, bool) and float(value).is_integer()
    return value / 100 if whole and 2 <= value <= 100 else None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _problems(exc: ValidationError, origin: Origin, default_source: str) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = tuple(str(p) for p in err["loc"] if not str(p).startswith("function-"))
        # Union branches add type names to the location (e.g. 'list[str]'); drop them.
        loc = tuple(p for p in loc if "[" not in p and p not in {"literal['all']", "int", "str"})
        dotted = ".".join(loc)
        # where the value was given: its own key's line, else the nearest enclosing key's (a list item, a key of a
        # mapping that a --set replaced whole)
        known = next((loc[:i] for i in range(len(loc), 0, -1) if loc[:i] in origin), None)
        source, line = origin[known] if known is not None else (default_source, None)
        if source != "--set" and any(k[: len(loc)] == loc and len(k) > len(loc) and v[0] == "--set"
                                     for k, v in origin.items()):
            # a --set below this field made it wrong (--set policy.alpr_retention_days.x=1 turned a number into a
            # mapping): the file's line that set the field is not to blame
            source, line = "--set", None
        msg = TYPE_MESSAGES.get(err["type"], err["msg"].removeprefix("Value error, "))
        keys = _field_names_at(loc) if err["type"] == "model_type" else []
        if keys:  # policy.state_rules.TX=false: say which keys the mapping takes
            msg = f"must be a mapping with keys {', '.join(keys)}"
        percent = _as_percent(err)
        if percent is not None:
            msg = f"shares are 0..1: did you mean {percent:g}?"
        # the Literal's numeric values ("2024, 2025 or 2026": not the word "or", nor a quoted text value)
        value, expected = err.get("input"), str(err.get("ctx", {}).get("expected", "")).replace(",", " ").split()
        allowed = [t for t in expected if _is_number(t)]
        if err["type"] == "literal_error" and isinstance(value, str) and value in allowed:  # period: "2025"
            msg += " (a number: write it without quotes)"
        if err["type"] == "extra_forbidden":
            valid = _field_names(loc[:-1])
            close = difflib.get_close_matches(loc[-1], valid, n=1, cutoff=0.5)
            msg = f"unknown key '{loc[-1]}'"
            msg += f"; did you mean '{close[0]}'?" if close else ""
            msg += f" Allowed here: {', '.join(valid)}" if valid else ""
            if ":" in loc[-1] and loc[-1].split(":", 1)[0] in valid:  # {state:TX} is YAML for the key 'state:TX'
                msg += f". YAML reads '{loc[-1]}' as one key: write a space after the colon ({{{loc[-1].replace(':', ': ', 1)}}})"
            problems.append(Problem(source, dotted, msg, line))
            continue
        if err["type"] == "missing":
            problems.append(Problem(source, dotted, "is required", line))
            continue
        problems.append(Problem(source, dotted, msg, line, _as_written(err.get("input"), loc, origin), "input" in err))
    return problems


def _as_written(value: Any, loc: tuple[str, ...], origin: Origin) -> Any:
    """`value` as the scenario's files wrote it: a mapping merged over its defaults (placement_radius_m: {cops: 5})
    keeps only the keys a file gave, so "(got ...)" shows what the user wrote, not the merged defaults; a mapping
    no file wrote a key of (a --set's, the defaults') is shown whole."""
    if not isinstance(value, dict):
        return value
    given = {tuple(str(p) for p in key) for key in origin}
    written = {k: v for k, v in value.items() if (*loc, str(k)) in given}
    return written or value


def validate_dict(data: dict[str, Any], origin: Origin | None = None, source: str = "<scenario>",
                  renamed: list[str] | None = None) -> Scenario:
    """Validate an already merged mapping into a `Scenario`; a renamed key left in it (a folder's older resolved
    scenario) is read as its new name. `renamed`: the notes of keys renamed in its layers, kept on the scenario
    (`Scenario.renamed_keys`) for its warnings."""
    notes = [*(renamed or []), *rename_keys(data, (), source, origin)]
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_problems(exc, origin or {}, source)) from None
    scenario.renamed_keys = notes
    return scenario


def load_scenario(path: str | os.PathLike[str], overrides: list[str] | None = None) -> Scenario:
    """Load and validate one scenario file, following extends and applying ``path=value`` overrides."""
    path = Path(path)
    notes: list[str] = []
    data, origin = _read_with_extends(path, notes=notes)
    for text in overrides or []:
        dotted, value, found = rename_dotted(*parse_override(text), "--set")
        notes += found
        set_dotted(data, dotted, value)
        key = tuple(dotted.split("."))
        for below in [k for k in origin if k[: len(key)] == key]:  # the value set replaces what the file had there
            del origin[below]
        origin[key] = ("--set", None)
        if isinstance(value, dict):  # the keys it gave (merged over defaults: `_as_written` shows only these)
            origin.update({(*key, str(k)): ("--set", None) for k in value})
    return validate_dict(data, origin, str(path), notes)


def origin_of(path: str | os.PathLike[str], overrides: list[str] | None, dotted: str) -> tuple[str, int | None]:
    """Where the scenario at `path` (with its ``--set`` `overrides`) gave the field `dotted`: (file, line), ("--set",
    None), or (`path`, None) when no file wrote it; for checks made after loading (`fedsim validate`'s world names)."""
    key = tuple(dotted.split("."))
    for text in overrides or []:
        given = tuple(rename_dotted(*parse_override(text), "--set")[0].split("."))
        if key[: len(given)] == given:
            return "--set", None
    _, origin = _read_with_extends(Path(path))
    known = next((key[:i] for i in range(len(key), 0, -1) if key[:i] in origin), None)
    return origin[known] if known is not None else (str(path), None)


def with_overrides(scenario: Scenario, values: dict[str, Any], source: str = "sweep") -> Scenario:
    """A copy of `scenario` with dotted-path values set, validated the same way as a file."""
    data = scenario.model_dump(mode="python", exclude={"sweep"})
    origin: Origin = {}
    notes: list[str] = []
    for dotted, value in values.items():
        dotted, value, found = rename_dotted(dotted, value, source)
        notes += found
        set_dotted(data, dotted, value)
        origin[tuple(dotted.split("."))] = (source, None)
    return validate_dict(data, origin, source, notes)
