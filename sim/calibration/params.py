"""Every leaf parameter of the scenario schema, for the parameter table of docs/MODEL.md.

`leaves()` walks `sim.config.Scenario.model_fields` recursively: a field whose type is a section (a
`StrictModel`, possibly optional as ``sweep``) is descended into; anything else (numbers, strings,
booleans, lists, mappings) is a leaf, named by its dotted path (``platform.search.service_time.mean_s``).
Defaults are the effective ones of a scenario that gives nothing but its name. `default_text` renders a
leaf's default the way the table shows it. `python -m sim.calibration.params` prints a skeleton table
(path | default) for new parameters; tests/sim/test_calibration_params.py fails when a leaf is missing
from docs/MODEL.md or its scalar default there differs from the schema's.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from sim.config.scenario import Scenario


@dataclass(frozen=True)
class Leaf:
    path: str
    default: Any  # PydanticUndefined for a required field
    annotation: Any


def _section(annotation: Any) -> type[BaseModel] | None:
    """The model class of a section field (``X`` or ``X | None``), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        models = [a for a in typing.get_args(annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        return models[0] if len(models) == 1 else None
    return None


def _default(field: Any) -> Any:
    return field.get_default(call_default_factory=True) if field.default_factory else field.default


def leaves(model: type[BaseModel] = Scenario, prefix: str = "", instance: BaseModel | None = None) -> list[Leaf]:
    """Leaves of `model`; defaults are those of `instance` (the enclosing section's default) when given,
    so ``platform.packaging.service_time.mean_s`` is 20 (Packaging's default), not ServiceTime's own 1."""
    out: list[Leaf] = []
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        default = getattr(instance, name) if instance is not None else _default(field)
        section = _section(field.annotation)
        if section is not None:
            sub = default if isinstance(default, section) else None
            out.extend(leaves(section, path + ".", sub))
            continue
        out.append(Leaf(path, default, field.annotation))
    return out


def default_text(value: Any) -> str:
    """A default as the table writes it: ``required``, ``null``, numbers as Python prints them."""
    if value is PydanticUndefined:
        return "required"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value or '""'
    return repr(value)


def is_scalar(value: Any) -> bool:
    return value is None or value is PydanticUndefined or isinstance(value, bool | int | float | str)


def main() -> None:
    print("| parameter | unit | default | source or assumption |")
    print("|---|---|---|---|")
    for leaf in leaves():
        shown = default_text(leaf.default) if is_scalar(leaf.default) else "see below"
        print(f"| `{leaf.path}` |  | {shown} |  |")


if __name__ == "__main__":
    main()
