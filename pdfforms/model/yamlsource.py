"""YAML loading that remembers where every value came from.

Definition errors must name the file and line (pyxform's users complain when
they don't), so the loader keeps PyYAML's node marks instead of throwing them
away. It also refuses YAML 1.1's surprises: `no`, `yes`, `on` and `off` stay
strings, because `equals: no` on a yes/no question, or an option value `no`,
must mean the word and not a boolean.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .messages import text as msg

_TRUE_FALSE = {"true": True, "false": False}
# libyaml's parser, where PyYAML was built with it: the same nodes, tags and lines
# (the shipped definitions compare equal node by node), in a twelfth of the time
# (84 ms against 7 ms for the five shipped definitions, in every reader process).
# A text it refuses is parsed again by PyYAML's own, whose words the error gives;
# so is a text with a tab, the one place found where the two differ (libyaml takes
# a tab before a value, `a:\t1`, that PyYAML refuses).
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)


class LDict(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LList(list):
    """A sequence that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list

    def line_of_item(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


@dataclass(frozen=True)
class YamlFault:
    line: int
    message: str


_constructor = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.ScalarNode):
    if node.tag == "tag:yaml.org,2002:bool":
        lowered = node.value.lower()
        if lowered in _TRUE_FALSE:
            return _TRUE_FALSE[lowered]
        return node.value  # yes/no/on/off stay words
    if node.tag in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary"):
        return node.value  # dates stay strings: the model parses them itself
    return _constructor.construct_object(node, deep=True)


def _convert(node: yaml.Node, faults: list[YamlFault]):
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = LDict()
        out.line = line
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, faults)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                faults.append(YamlFault(key_node.start_mark.line + 1, msg("yaml.key_word")))
                continue
            key = str(key) if not isinstance(key, str) else key
            key_line = key_node.start_mark.line + 1
            if key in out:
                faults.append(
                    YamlFault(key_line, msg("yaml.key_twice", key=key, line=out.key_lines[key]))
                )
                continue
            out[key] = _convert(value_node, faults)
            out.key_lines[key] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        out_list = LList(_convert(item, faults) for item in node.value)
        out_list.line = line
        out_list.item_lines = [item.start_mark.line + 1 for item in node.value]
        return out_list
    return _scalar(node)


def load_yaml(text: str, path: Path | str = "<text>") -> tuple[object, list[YamlFault]]:
    """Parse YAML text into LDict/LList/scalars, collecting faults instead of raising.

    A syntax error is returned as a single fault with its line; the caller
    reports it like any other definition fault.
    """
    faults: list[YamlFault] = []
    node = None
    try:
        if _FAST_LOADER is not None and "\t" not in text:
            node = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        node = None
    try:
        if node is None:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = exc.problem or str(exc)
        return None, [YamlFault(line, msg("yaml.syntax", problem=problem))]
    except yaml.YAMLError as exc:
        return None, [YamlFault(1, msg("yaml.error", problem=exc))]
    if node is None:
        return None, [YamlFault(1, msg("yaml.empty"))]
    return _convert(node, faults), faults
