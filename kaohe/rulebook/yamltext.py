"""The strict YAML reader of rulebooks and scenario files: the safe loader, refusing what a rule
file never needs and could only mislead with (keys given twice, aliases, merge keys)."""

from __future__ import annotations

import yaml

from kaohe.core.i18n import _
from kaohe.rulebook.rules import shown

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: 5× faster


class StrictLoader(_Loader):
    """The safe loader, refusing what a rule file never needs and could only mislead with:
    a key given twice (YAML would silently keep the last) and aliases (``*name``: an alias
    bomb expands a small file to gigabytes)."""

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, _("an alias (*name) repeats an anchored value: write the value out"),
                node.start_mark)
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as e:  # e.g. an int of more than 4300 digits
            raise yaml.constructor.ConstructorError(
                None, None, _("a value that cannot be read ({reason})").format(reason=str(e)[:80]),
                node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, _("expected a mapping"), node.start_mark)
        mapping = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, _("a merge key (<<) is not accepted: write the keys out"),
                    key_node.start_mark)
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, _("a key must be a name or a number"), key_node.start_mark) from None
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, _("the key {key} is given twice (line {a} and line {b}): keep one").format(
                        key=shown(key), a=self._first_line.get((id(node), key), "?"),
                        b=key_node.start_mark.line + 1), key_node.start_mark)
            self._first_line[(id(node), key)] = key_node.start_mark.line + 1
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping

    def __init__(self, stream):
        super().__init__(stream)
        self._first_line: dict = {}


def strict_yaml(text: str):
    """Parse YAML with :class:`StrictLoader` (raises yaml.YAMLError)."""
    loader = StrictLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def yaml_problem(e: yaml.YAMLError) -> str:
    """``line 3, column 5: what is wrong`` of a YAML error."""
    mark = getattr(e, "problem_mark", None)
    what = " ".join(x for x in (getattr(e, "context", None), getattr(e, "problem", None)) if x)
    if mark is None or not what:
        return str(e).replace("\n", " ")
    return _("line {line}, column {column}: {problem}").format(
        line=mark.line + 1, column=mark.column + 1, problem=what)
