"""The subset of JSONPath that data model mappings use: `$`, `.name`, `['name']`,
`[n]`, `[*]`, `.*` and recursive descent `..name`."""

import re
from collections.abc import Mapping

_NAME = re.compile(r"[^.\[\]]+")
_BRACKET = re.compile(r"\[\s*(?:(\*)|(-?\d+)|'([^']*)'|\"([^\"]*)\")\s*\]")


class JsonPathError(ValueError):
    pass


def _lookup(mapping, key):
    if key in mapping:
        return True, mapping[key]
    # Event keys are case-insensitive everywhere else, so paths are too.
    folded = key.casefold()
    for original, value in mapping.items():
        if isinstance(original, str) and original.casefold() == folded:
            return True, value
    return False, None


def _children(node):
    if isinstance(node, Mapping):
        return list(node.values())
    if isinstance(node, list):
        return list(node)
    return []


def _descendants(node):
    out = [node]
    stack = [node]
    while stack:
        current = stack.pop()
        for child in _children(current):
            out.append(child)
            stack.append(child)
    return out


def _apply(step, nodes):
    kind, arg = step
    out = []
    for node in nodes:
        if kind == "key":
            if isinstance(node, Mapping):
                ok, value = _lookup(node, arg)
                if ok:
                    out.append(value)
        elif kind == "index":
            if isinstance(node, list) and -len(node) <= arg < len(node):
                out.append(node[arg])
        elif kind == "wild":
            out.extend(_children(node))
    return out


class JsonPath:
    def __init__(self, text):
        self.text = text
        self.steps = self._parse(text)

    @staticmethod
    def _parse(text):
        if not text.startswith("$"):
            raise JsonPathError(f"JSONPath must start with '$': {text!r}")
        steps = []
        i = 1
        while i < len(text):
            recursive = False
            if text.startswith("..", i):
                recursive = True
                i += 2
            elif text[i] == ".":
                i += 1
            if i < len(text) and text[i] == "[":
                match = _BRACKET.match(text, i)
                if not match:
                    raise JsonPathError(f"bad bracket at offset {i} in {text!r}")
                wild, index, single, double = match.groups()
                if wild:
                    step = ("wild", None)
                elif index is not None:
                    step = ("index", int(index))
                else:
                    step = ("key", single if single is not None else double)
                i = match.end()
            elif i < len(text) and text[i] == "*":
                step = ("wild", None)
                i += 1
            else:
                match = _NAME.match(text, i)
                if not match:
                    raise JsonPathError(f"expected a name at offset {i} in {text!r}")
                step = ("key", match.group(0).strip())
                i = match.end()
            steps.append((recursive, step))
        return steps

    def find(self, data):
        nodes = [data]
        for recursive, step in self.steps:
            if recursive:
                nodes = [d for node in nodes for d in _descendants(node)]
            nodes = _apply(step, nodes)
        return nodes


_CACHE = {}


def compile_path(text):
    path = _CACHE.get(text)
    if path is None:
        path = _CACHE[text] = JsonPath(text)
    return path


__all__ = ["JsonPath", "JsonPathError", "compile_path"]
