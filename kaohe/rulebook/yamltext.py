"""The strict YAML reader of rulebooks and scenario files: the safe loader, refusing what a rule
file never needs and could only mislead with (keys given twice, aliases, merge keys)."""

from __future__ import annotations

import yaml

from kaohe.core.i18n import N_, _
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


# PyYAML's syntax errors by kind: (words in its context or problem, what a user reads, whether the
# line is where the construct opens (an unclosed bracket or quote) rather than where parsing stopped)
_KINDS = (
    ("flow sequence", N_("a [ is not closed with ] (or a comma is missing between the values)"), True),
    ("flow mapping", N_("a { is not closed with } (or a comma is missing between the entries)"), True),
    ("quoted scalar", N_("a quotation mark is not closed"), True),
    ("tab character", N_("a tab is used for indenting: indent with spaces"), False),
    ("mapping values are not allowed", N_("a colon where none can be: check the indentation, or put "
                                          "a value holding ': ' in quotation marks"), False),
    ("block mapping", N_("the indentation does not match the lines above"), False),
    ("block collection", N_("the indentation does not match the lines above"), False),
    ("cannot start any token", N_("a value cannot begin with this character: put the value in "
                                  "quotation marks"), False),
    ("could not determine a constructor", N_("a tag (!!name) is not accepted: write the value plainly"), False),
)


def yaml_problem(e: yaml.YAMLError) -> str:
    """``line 3, column 5: what is wrong`` of a YAML error: a syntax error in the user's language
    (PyYAML's English only as a short detail of a kind not recognized), at the line where the
    unclosed construct opens."""
    mark = getattr(e, "problem_mark", None)
    context, problem = getattr(e, "context", None), getattr(e, "problem", None)
    if isinstance(e, yaml.constructor.ConstructorError) and context is None and problem and mark is not None \
            and "could not determine a constructor" not in problem:  # the strict loader's own words
        return _("line {line}, column {column}: {problem}").format(
            line=mark.line + 1, column=mark.column + 1, problem=problem)
    what = " ".join(x for x in (context, problem) if x)
    kind = next(((msg, opens) for words, msg, opens in _KINDS if words in what), None)
    if kind is None:
        text = _("YAML syntax error ({detail})").format(detail=(what or str(e).replace("\n", " "))[:120])
    else:
        text = _("YAML syntax error: {kind}").format(kind=_(kind[0]))
        if kind[1] and getattr(e, "context_mark", None) is not None:
            mark = e.context_mark
    if mark is None:
        return text
    return _("line {line}, column {column}: {problem}").format(
        line=mark.line + 1, column=mark.column + 1, problem=text)
