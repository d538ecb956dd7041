"""A strict, safe YAML reader for scenario files.

YAML 1.1 (PyYAML's default) turns ``NO`` into ``False``, ``010`` into 8 and ``12:30`` into 750. Scenario
files must never be read like that, so this reader resolves only YAML 1.2 core scalars: ``true``/``false``,
``null``/``~``, decimal integers without leading zeros (``1_000`` allowed) and decimal floats; everything
else stays a string and the typed schema rejects it where a number or a boolean is expected. It also
refuses duplicate keys, anchors and aliases (no alias bombs; use ``extends:`` to reuse a file) and
records the line of every key so errors can point at it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

Path_ = tuple[str, ...]

_INT = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?((0|[1-9][0-9_]*)(\.[0-9_]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULL = {"null", "Null", "NULL", "~", ""}


class YamlProblem(Exception):
    """A problem found while reading YAML: message and 1-based line (or None)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


PLAIN = "fedsim:plain"
STR = "tag:yaml.org,2002:str"
_DEFAULT_TAGS = {STR, PLAIN, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


def _check_tag(node: yaml.Node) -> None:
    if node.tag not in _DEFAULT_TAGS:
        raise YamlProblem(f"explicit YAML tags such as {node.tag} are not allowed", node.start_mark.line + 1)


def _scalar(node: yaml.ScalarNode) -> Any:
    _check_tag(node)
    text = node.value
    if node.tag == STR:
        return text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if _INT.match(text):
        return int(text.replace("_", ""))
    if _FLOAT.match(text) and any(c.isdigit() for c in text):
        return float(text.replace("_", ""))
    return text


def _build(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    _check_tag(node)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        out_list = []
        for i, item in enumerate(node.value):
            lines[path + (str(i),)] = item.start_mark.line + 1
            out_list.append(_build(item, path + (str(i),), lines))
        return out_list
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("mapping keys must be plain scalars", line)
            if key_node.value == "<<":
                raise YamlProblem("YAML merge keys ('<<') are not allowed; use extends:", line)
            key = _scalar(key_node)
            if key in out:
                where = ".".join(path + (str(key),))
                raise YamlProblem(f"duplicate key '{where}' (first given on line {lines.get(path + (str(key),))})", line)
            lines[path + (str(key),)] = line
            out[key] = _build(value_node, path + (str(key),), lines)
        return out
    raise YamlProblem(f"unsupported YAML node {type(node).__name__}")


class _NoAliasComposer(yaml.SafeLoader):
    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:  # noqa: D102 - PyYAML hook
        if kind is yaml.ScalarNode and implicit[0]:
            return PLAIN
        return super().resolve(kind, value, implicit)

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem("YAML aliases (*name) are not allowed in scenario files", event.start_mark.line + 1)
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlProblem("YAML anchors (&name) are not allowed in scenario files", event.start_mark.line + 1)
        return super().compose_node(parent, index)


def parse(text: str) -> tuple[Any, dict[Path_, int]]:
    """Parse one YAML document; return the data and a map of key path -> 1-based line."""
    loader = _NoAliasComposer(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else None
            raise YamlProblem(f"not valid YAML: {exc.problem or exc}", line) from None
        except yaml.YAMLError as exc:
            raise YamlProblem(f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: dict[Path_, int] = {}
    if node is None:
        return None, lines
    return _build(node, (), lines), lines


def parse_scalar(text: str) -> Any:
    """Parse the value of a ``--set path=value`` override with the same strict rules."""
    data, _ = parse(text) if text.strip() else ("", {})
    return data
