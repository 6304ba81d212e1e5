"""The subset of JSONPath that data model mappings use: `$`, `.name`, `['name']`,
`[n]`, `[*]`, `.*`, recursive descent `..name` and filters
`[?(@.name == 'ROLE_NAME')]`; a path without `$` starts at the root too
(`actor.name`).

Keys match exactly (data models see the decoded JSON, not the case-insensitive
view), and every match carries its full path as Panther prints it
(`actor.name`, `items.[0].id`), which `udm_path` hands to detections."""

import re
from collections.abc import Mapping

_NAME = re.compile(r"[^.\[\]]+")
_BRACKET = re.compile(r"\[\s*(?:(\*)|(-?\d+)|'([^']*)'|\"([^\"]*)\")\s*\]")


class JsonPathError(ValueError):
    pass


# Filter operators, longest first so that `<=` is not read as `<`.
_OPERATORS = ("==", "!=", "<=", ">=", "=~", "=", "<", ">")
_COMPARE = {
    "==": lambda a, b: a == b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "=~": lambda a, b: re.search(b, a) is not None,
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?$")


def _outside_quotes(text, start=0):
    """(index, char) of each character of `text` not inside a quoted string."""
    quote = None
    for i in range(start, len(text)):
        char = text[i]
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        else:
            yield i, char


def _literal(text):
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if _NUMBER.match(text):
        return float(text) if "." in text else int(text)
    raise JsonPathError(f"filter value must be a quoted string or a number, got {text!r}")


class _Condition:
    """One `@.path op value` (or `@.path` alone: the path exists) of a filter.
    Like Panther's JSONPath, a number compared converts the event's value to
    int first, and a value that does not convert never matches."""

    __slots__ = ("target", "op", "value")

    def __init__(self, text):
        for i, _ in _outside_quotes(text):
            op = next((o for o in _OPERATORS if text.startswith(o, i)), None)
            if op is not None:
                self.target = _relative_path(text[:i])
                self.op = op
                self.value = _literal(text[i + len(op):])
                return
        self.target = _relative_path(text)
        self.op = None
        self.value = None

    def holds(self, item):
        found = self.target.find(item)
        if self.op is None:
            return bool(found)
        for match in found:
            value = match.value
            if isinstance(self.value, int):
                # Only text that is not a number is skipped; int() of a list or
                # a mapping raises, and does in Panther's JSONPath too.
                try:
                    value = int(value)
                except ValueError:
                    continue
            if _COMPARE[self.op](value, self.value):
                return True
        return False


def _relative_path(text):
    text = text.strip()
    if text.startswith("@"):
        text = text[1:]
    if not text:
        # `@` alone: the element itself (`[?(@ == 'x')]` over a list of strings).
        return JsonPath("$")
    return JsonPath("$" + (text if text.startswith((".", "[")) else "." + text))


def _filter_step(text, start):
    """(("filter", conditions), end) for the `[?...]` at `start`."""
    for i, char in _outside_quotes(text, start + 2):
        if char == "]":
            body = text[start + 2:i].strip()
            if body.startswith("(") and body.endswith(")"):
                body = body[1:-1]
            parts, last = [], 0
            for j, c in _outside_quotes(body):
                if c == "&":
                    parts.append(body[last:j])
                    last = j + 1
            parts.append(body[last:])
            return ("filter", [_Condition(part) for part in parts]), i + 1
    raise JsonPathError(f"unclosed filter at offset {start} in {text!r}")


class Match:
    __slots__ = ("value", "full_path")

    def __init__(self, value, full_path):
        self.value = value
        # The steps from the root, each a key or an "[n]" index.
        self.full_path = full_path

    @property
    def path_text(self):
        return ".".join(self.full_path) if self.full_path else "$"


def _wild_key(node):
    if isinstance(node, Mapping):
        return [(key, value) for key, value in node.items()]
    return []


def _children(node):
    if isinstance(node, Mapping):
        return [(str(key), value) for key, value in node.items()]
    if isinstance(node, list):
        return [(f"[{i}]", value) for i, value in enumerate(node)]
    return []


def _apply(step, path, node):
    """[(steps, value)] that one step reaches from `node` at `path`."""
    kind, arg = step
    if kind == "key":
        if isinstance(node, Mapping) and arg in node:
            return [(path + (arg,), node[arg])]
        return []
    if kind == "star":
        # `.*` names the keys of a mapping; a list has none.
        return [(path + (str(key),), value) for key, value in _wild_key(node)]
    if kind == "index":
        # Panther's JSONPath indexes whatever is there when it is non-empty and
        # long enough: a string gives a character, a mapping fails with
        # KeyError, a number or a bool with TypeError; an index too negative
        # fails with IndexError. Content sees those failures, so they are kept.
        if not node or not len(node) > arg:
            return []
        return [(path + (f"[{arg}]",), node[arg])]
    if kind == "filter":
        # A mapping is filtered over its values, as a list of them.
        items = list(node.values()) if isinstance(node, Mapping) else node
        if not isinstance(items, list):
            return []
        # Every condition is evaluated, as in Panther's JSONPath: one that raises
        # does so even after another was false.
        return [(path + (f"[{i}]",), item) for i, item in enumerate(items) if all([c.holds(item) for c in arg])]
    # "[*]": the items of a list; any other non-empty value counts as a list of itself.
    if isinstance(node, list):
        return [(path + (f"[{i}]",), value) for i, value in enumerate(node)]
    if node:
        return [(path + ("[0]",), node)]
    return []


def _recursive(step, path, node):
    # The step applied at the node, then at each descendant, depth first.
    out = _apply(step, path, node)
    for name, child in _children(node):
        out.extend(_recursive(step, path + (name,), child))
    return out


class JsonPath:
    def __init__(self, text):
        self.text = text
        self.rooted = isinstance(text, str) and text.strip().startswith("$")
        self.steps = self._parse(text)

    def __str__(self):
        # As Panther prints a path in its errors: `$.items.[*].id`.
        parts = []
        for recursive, (kind, arg) in self.steps:
            if kind == "key":
                part = arg
            elif kind == "index":
                part = f"[{arg}]"
            elif kind == "all":
                part = "[*]"
            elif kind == "filter":
                part = "[?(...)]"
            else:
                part = "*"
            parts.append((".." if recursive else ".") + part)
        if self.rooted:
            return "$" + "".join(parts)
        return "".join(parts)[1:] if parts else ""

    @staticmethod
    def _parse(text):
        if not isinstance(text, str) or not text.strip():
            raise JsonPathError(f"empty JSONPath: {text!r}")
        text = text.strip()
        steps = []
        i = 0
        if text.startswith("$"):
            i = 1
        elif not text.startswith((".", "[")):
            text = "." + text
        while i < len(text):
            recursive = False
            if text.startswith("..", i):
                recursive = True
                i += 2
            elif text[i] == ".":
                i += 1
            if text.startswith("[?", i):
                step, i = _filter_step(text, i)
            elif i < len(text) and text[i] == "[":
                match = _BRACKET.match(text, i)
                if not match:
                    raise JsonPathError(f"bad bracket at offset {i} in {text!r}")
                wild, index, single, double = match.groups()
                if wild:
                    step = ("all", None)
                elif index is not None:
                    step = ("index", int(index))
                else:
                    step = ("key", single if single is not None else double)
                i = match.end()
            elif i < len(text) and text[i] == "*":
                step = ("star", None)
                i += 1
            else:
                match = _NAME.match(text, i)
                if not match:
                    raise JsonPathError(f"expected a name at offset {i} in {text!r}")
                name = match.group(0).strip()
                if len(name) >= 2 and name[0] == name[-1] and name[0] in "'\"":
                    name = name[1:-1]
                step = ("key", name)
                i = match.end()
            steps.append((recursive, step))
        return steps

    def find(self, data):
        """Every match, in document order, as Match(value, full_path)."""
        nodes = [((), data)]
        for recursive, step in self.steps:
            reached = []
            for path, node in nodes:
                reached.extend(_recursive(step, path, node) if recursive else _apply(step, path, node))
            nodes = reached
        return [Match(value, path) for path, value in nodes]


_CACHE = {}


def compile_path(text):
    path = _CACHE.get(text)
    if path is None:
        path = _CACHE[text] = JsonPath(text)
    return path


__all__ = ["JsonPath", "JsonPathError", "Match", "compile_path"]
