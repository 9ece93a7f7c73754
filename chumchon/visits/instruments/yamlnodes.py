"""Read YAML (and JSON, which is YAML) into plain data while remembering the line of every node.

``read(text)`` returns ``(data, lines, problems)``: ``lines`` maps a path such as
``("groups", 0, "items", 2, "type")`` to its 1-based line. Booleans are only ``true``/``false``
(YAML 1.2), so an option value ``no`` or ``yes`` stays a string.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.utils.translation import gettext as _

Path = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    pass


# YAML 1.1 reads yes/no/on/off as booleans; a definition means the words.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def read(text: str) -> tuple[Any, dict[Path, int], list[tuple[int, str]]]:
    lines: dict[Path, int] = {}
    problems: list[tuple[int, str]] = []
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        problems.append((line, _("The file cannot be read here: %(problem)s.") % {"problem": exc.problem or exc}))
        return None, lines, problems
    except yaml.YAMLError as exc:
        problems.append((0, _("The file cannot be read: %(problem)s.") % {"problem": exc}))
        return None, lines, problems
    finally:
        loader.dispose()
    if node is None:
        problems.append((1, _("The file is empty.")))
        return None, lines, problems
    data = _convert(loader, node, (), lines, problems)
    return data, lines, problems


def _convert(loader: _Loader, node: yaml.Node, path: Path, lines: dict[Path, int],
             problems: list[tuple[int, str]]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                problems.append((key_node.start_mark.line + 1, _("A key must be a word.")))
                continue
            if key in out:
                problems.append((key_node.start_mark.line + 1, _("The key “%(key)s” is given twice.") % {"key": key}))
                continue
            out[key] = _convert(loader, value_node, (*path, key), lines, problems)
            # A key's own line is more useful than its value's when the value is a block below.
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(loader, child, (*path, index), lines, problems) for index, child in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problems.append((node.start_mark.line + 1, _("Cannot read this value: %(problem)s.") % {"problem": exc}))
        return None


def line_of(lines: dict[Path, int], path: Path) -> int:
    """The line of ``path`` or of its nearest parent that has one."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return lines.get((), 0)
