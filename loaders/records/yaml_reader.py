"""Reading one records file: YAML with the line of every value, exact numbers, and the limits
that keep a hostile file from pinning a CPU or exhausting memory (size, depth, aliases, values)."""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from maillage.loaders.records.errors import RecordError

# Limits of one records file (README, "What is guaranteed"): the biggest bundled file is 53 KB;
# a 5 MB file took 37 s and 1.2 GB, and a 505-byte file of nested aliases grew to 1.5 GB.
MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 64           # nesting of lists and mappings (libyaml's composer recurses in C)
MAX_ALIASES = 16         # *alias references in one file (records need none)
MAX_NODES = 500_000      # values once aliases are expanded



class Located:
    """Python data built from a YAML node tree, with the line of every path."""

    def __init__(self, data: Any, lines: dict[tuple, int]):
        self.data = data
        self.lines = lines

    def line_of(self, path: tuple) -> int:
        # The deepest known prefix: a missing key is reported at its parent mapping.
        for cut in range(len(path), -1, -1):
            if path[:cut] in self.lines:
                return self.lines[path[:cut]]
        return 1


# libyaml's parser when PyYAML was built with it (about 8× faster on the records; the marks,
# hence the file:line of every error, are the same)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TooBig(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SPECIAL = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}


def _scalar(node: yaml.ScalarNode, construct) -> Any:
    # A number with a dot stays the exact decimal written (PyYAML would make it a float, and
    # 12345678901234567.89 a different number); a date stays its text, checked by the model
    # (PyYAML's constructor raises a bare ValueError on 2023-13-45).
    if node.tag == _FLOAT:
        text = node.value.replace("_", "")
        special = _SPECIAL.get(text.lower())
        try:
            return Decimal(special or text)
        except ArithmeticError:
            pass
    if node.tag == _TIMESTAMP:
        return node.value
    return construct(node, deep=True)


def _build(node: yaml.Node, path: tuple, lines: dict, dupes: list, construct=None, budget=None) -> Any:
    if construct is None:  # one constructor per file, not one per scalar
        construct = yaml.constructor.SafeConstructor().construct_object
        budget = [MAX_NODES]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig(node.start_mark.line + 1, f"more than {MAX_NODES:,} values once aliases are expanded")
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in out:
                dupes.append((key_node.start_mark.line + 1, f"key '{key}' appears twice"))
            out[key] = _build(value_node, path + (key,), lines, dupes, construct, budget)
            lines[path + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), lines, dupes, construct, budget) for i, item in enumerate(node.value)]
    return _scalar(node, construct)


def _check_shape(text: str) -> None:
    """Depth and aliases counted on the event stream, before anything is built: a deep flow
    list crashes libyaml's composer (a segmentation fault at 100,000 '['), and aliases of
    aliases grow exponentially when expanded."""
    depth = aliases = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooBig(event.start_mark.line + 1, f"lists and mappings nested more than {MAX_DEPTH} deep")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _TooBig(event.start_mark.line + 1, f"more than {MAX_ALIASES} aliases (*name): "
                                                         "write the values out")


def path_problem(path: Path, limit: int, what: str = "a records file") -> str | None:
    """Why ``path`` cannot be read as a text file of at most ``limit`` bytes (None if it can):
    missing, a folder, a link loop, a device, a pipe or a socket, or too big."""
    try:
        info = os.stat(path)
    except OSError as exc:
        return f"cannot read it: {exc.strerror or exc}"
    if stat.S_ISDIR(info.st_mode):
        return f"is a folder, not {what}"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a device, a pipe or a socket)"
    if info.st_size > limit:
        return f"is {info.st_size:,} bytes, more than the limit of {limit:,} bytes"
    return None


def read_text_file(path: Path, display: str, limit: int, what: str = "a records file") -> tuple[str | None, str | None]:
    """(the UTF-8 text, None) or (None, why not): a folder, a link loop, a device or a pipe, a
    file over ``limit`` bytes or not UTF-8 is refused before it is read whole. ``what`` names
    the file expected, for the message."""
    why = path_problem(path, limit, what)
    if why:
        return None, why
    try:
        with open(path, "rb") as f:
            raw = f.read(limit + 1)
    except OSError as exc:
        return None, f"cannot read it: {exc.strerror or exc}"
    if len(raw) > limit:
        return None, f"is more than the limit of {limit:,} bytes"
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"


def parse_yaml(text: str) -> Any:
    """Plain data from YAML text with the records' limits (depth, aliases, expanded size) and
    exact numbers; raises yaml.YAMLError, or ValueError with the line for a limit. For drafts
    and other YAML a user hands in."""
    try:
        _check_shape(text)
        node = yaml.compose(text, Loader=_LOADER)
        return None if node is None else _build(node, (), {}, [])
    except _TooBig as exc:
        raise ValueError(f"{exc.line}: {exc.message}") from None


def read_yaml(path: Path, display: str) -> tuple[Located | None, list[RecordError]]:
    text, why = read_text_file(path, display, MAX_FILE_BYTES)
    if text is None:
        return None, [RecordError(display, 1, why)]
    try:
        _check_shape(text)
        node = yaml.compose(text, Loader=_LOADER)
    except _TooBig as exc:
        return None, [RecordError(display, exc.line, exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [RecordError(display, line, f"malformed YAML: {exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return None, [RecordError(display, 1, f"malformed YAML: {exc}")]
    if node is None:
        return Located({}, {(): 1}), []
    lines: dict = {}
    dupes: list = []
    try:
        data = _build(node, (), lines, dupes)
    except _TooBig as exc:
        return None, [RecordError(display, exc.line, exc.message)]
    except (yaml.YAMLError, ValueError) as exc:  # e.g. a bad scalar
        mark = getattr(exc, "problem_mark", None)
        return None, [RecordError(display, mark.line + 1 if mark else 1, f"malformed value: {exc}")]
    errors = [RecordError(display, line, msg) for line, msg in dupes]
    if not isinstance(data, dict):
        errors.append(RecordError(display, 1, "the file must be a mapping (document:, organisations:, …)"))
        return None, errors
    return Located(data, lines), errors
