"""Strict JSON for outside input: record files, request bodies, FHIR files.

:func:`loads` reads JSON as the standard library does, and refuses what the
standard library lets through silently (rule 6 of the package: outside input
is hostile until checked):

* a **duplicate key** (``{"pregnant": true, "pregnant": false}``), which the
  standard library resolves by keeping the last value;
* a **number beyond float**: an integer or a decimal number whose magnitude
  is above the largest float (about 1.8e308, e.g. ``1e400`` or an integer of
  400 digits), which would become ``inf`` or break later conversions, and an
  integer of more than 4,300 digits, which Python refuses to convert;
* the literals ``NaN``, ``Infinity`` and ``-Infinity``, which are not JSON;
* text with an unpaired surrogate (``"\\ud800"``), which is not Unicode;
* nesting deeper than :data:`MAX_DEPTH` levels.

Each is a :class:`JsonError` naming the JSON path of the value
(``exclusions.pregnant: duplicate key``,
``entry[3].resource.valueQuantity.value: number beyond float``).

Cost: the common case is the standard library's C parser with a Python hook
per JSON object (to see duplicate keys), plus two scans of the text at C
speed.  Only a text the scans find suspicious (a run of 200 digits, an
exponent of three digits, a surrogate escape) is parsed a second time, in
Python, to find the paths of its problems.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from itertools import accumulate
from typing import Any, Final

from clinscores._core import InputError

__all__ = ["MAX_DEPTH", "JsonError", "loads"]

#: Deepest nesting of arrays and objects accepted (a patient record needs 4,
#: a FHIR Bundle about 10).
MAX_DEPTH: Final = 100
#: Problems listed one by one in a :class:`JsonError` (then a count).
MAX_LISTED: Final = 20

# The scan for text that may hold a number beyond float (a run of 200 digits,
# an exponent of three digits or more) or an unpaired surrogate: digits are
# made 0, "E" is made "e" and "+" is dropped, so that plain substring searches
# (C speed) find them.  Such text is parsed again, slowly, to find the exact
# problems and their paths.
_SCAN: Final = bytes.maketrans(b"123456789E", b"000000000e")
_LONG_RUN: Final = b"0" * 200
_BIG_EXPONENT: Final = re.compile(rb"e000")
_SURROGATE_ESCAPE: Final = re.compile(rb"\\u[dD][89a-fA-F]")
_STRINGS: Final = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SURROGATE: Final = re.compile(r"[\ud800-\udfff]")
_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NOT_BRACKETS: Final = bytes(b for b in range(256) if b not in b"[]{}")


class JsonError(InputError):
    """Outside JSON that is malformed or ambiguous.

    Attributes
    ----------
    what : str
        What was read (a file name, ``"request body"``); may be empty.
    problems : tuple of (str or None, str)
        Each problem as (JSON path, message); the path is None for a problem
        of the whole text (malformed JSON, not UTF-8, nested too deeply).
    detail : str
        The problems as one line, without *what*.
    """

    def __init__(self, what: str, problems: list[tuple[str | None, str]], total: int = 0) -> None:
        self.what = what
        self.problems = tuple(problems)
        parts = [m if p is None else f"{p or '(top level)'}: {m}" for p, m in self.problems]
        if total > len(parts):
            parts.append(f"and {total - len(parts)} more")
        self.detail = "; ".join(parts)
        super().__init__(f"{what}: {self.detail}" if what else self.detail)


class _Found(Exception):
    """The fast parse saw a problem: parse again to find where."""


class _Pairs(list):  # type: ignore[type-arg]
    """A JSON object as its (key, value) pairs, in order (the slow parse)."""


class _Bad:
    """A value the slow parse refuses: its text and the problem."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


_KEY_SURROGATE: Final = "a key with an unpaired surrogate (not Unicode text)"
_TEXT_SURROGATE: Final = "text with an unpaired surrogate (not Unicode text)"
_BEYOND: Final = "a number beyond float (the largest float is about 1.8e308)"


def _fast_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        raise _Found
    return obj


def _fast_constant(text: str) -> Any:
    raise _Found


def _shown(text: str) -> str:
    """A number's text, shortened beyond 24 characters."""
    if len(text) <= 24:
        return text
    digits = text.lstrip("-")
    size = f"{len(digits)} digits" if digits.isdigit() else f"{len(text)} characters"
    return f"{text[:8]}...{text[-8:]} ({size})"


def _slow_int(text: str) -> Any:
    if math.isinf(float(text)):  # float() of a long digit string gives inf, never raises
        return _Bad(f"{_shown(text)} is {_BEYOND}")
    return int(text)


def _slow_float(text: str) -> Any:
    x = float(text)
    if math.isinf(x):
        return _Bad(f"{_shown(text)} is {_BEYOND}")
    return x


def _slow_constant(text: str) -> Any:
    return _Bad(f"{text} is not a JSON number (write null for a missing value)")


def _key_path(prefix: str, key: str) -> str:
    if _NAME.match(key):
        return f"{prefix}.{key}" if prefix else key
    return f"{prefix}[{json.dumps(key)}]"


def _unpaired(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def _problems(tree: Any) -> tuple[list[tuple[str | None, str]], int]:
    """Every problem of a slow-parsed tree with its path (the first few), and their number."""
    found: list[tuple[str | None, str]] = []
    total = 0

    def add(path: str, message: str) -> None:
        nonlocal total
        total += 1
        if len(found) < MAX_LISTED:
            found.append((path, message))

    stack: list[tuple[Any, str]] = [(tree, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, _Pairs):
            seen: set[str] = set()
            twice: set[str] = set()
            children: list[tuple[Any, str]] = []  # in document order, problems as _Bad
            for key, item in value:
                where = _key_path(path, key)
                if _unpaired(key):
                    children.append((_Bad(_KEY_SURROGATE), where))
                if key in seen:
                    if key not in twice:
                        children.append((_Bad("duplicate key"), where))
                        twice.add(key)
                    continue
                seen.add(key)
                children.append((item, where))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{i}]") for i, item in reversed(list(enumerate(value))))
        elif isinstance(value, _Bad):
            add(path, value.message)
        elif isinstance(value, str) and _unpaired(value):
            add(path, _TEXT_SURROGATE)
    return found, total


def _suspect(raw: bytes, text: str) -> bool:
    """Whether JSON *text* (*raw* in UTF-8) may hold a number beyond float or a surrogate."""
    scanned = raw.translate(_SCAN, b"+")
    return (
        _LONG_RUN in scanned
        or _BIG_EXPONENT.search(scanned) is not None
        or (raw.find(b"\\") >= 0 and _SURROGATE_ESCAPE.search(raw) is not None)
        or (not text.isascii() and _SURROGATE.search(text) is not None)
    )


def _depth(raw: bytes) -> int:
    """Deepest nesting of arrays and objects in JSON *raw* (brackets inside strings not counted)."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return 0  # cannot be deeper (and a long text of numbers is not scanned)
    brackets = _STRINGS.sub(b"", raw).translate(None, _NOT_BRACKETS)
    return max(accumulate(1 if c in b"[{" else -1 for c in brackets), default=0)


def loads(data: str | bytes | bytearray, *, what: str) -> Any:
    """Parse outside JSON strictly.

    Parameters
    ----------
    data : str or bytes
        JSON text; bytes in UTF-8 (or UTF-16/32 with their byte order, as
        :func:`json.loads` detects it).
    what : str
        What is read, for the message (``"ra.json"``, ``"request body"``);
        may be empty.

    Returns
    -------
    Any
        The value: dicts, lists, str, int, float, bool, None (as
        :func:`json.loads`).

    Raises
    ------
    JsonError
        Malformed JSON, text that is not UTF-8, a duplicate key, a number
        beyond float (magnitude above about 1.8e308), ``NaN`` or
        ``Infinity``, an unpaired surrogate, nesting deeper than
        :data:`MAX_DEPTH`; each problem with its JSON path.

    Examples
    --------
    >>> loads('{"exclusions": {"pregnant": true, "pregnant": false}}', what="a.json")
    Traceback (most recent call last):
    ...
    clinscores._json.JsonError: a.json: exclusions.pregnant: duplicate key
    >>> try:
    ...     loads('{"weight_kg": 1e400, "w": NaN}', what="")
    ... except JsonError as exc:
    ...     print(exc.problems[0][1])
    1e400 is a number beyond float (the largest float is about 1.8e308)
    """
    if isinstance(data, (bytes, bytearray)):
        encoding = json.detect_encoding(data)
        try:
            text = bytes(data).decode(encoding)
        except UnicodeDecodeError as exc:
            name = "UTF-8" if encoding == "utf-8" else encoding.upper()
            raise JsonError(what, [(None, f"not {name} text (byte {exc.start})")]) from None
        raw = bytes(data) if encoding.startswith("utf-8") else text.encode("utf-8")
    else:
        text = data
        raw = text.encode("utf-8", "surrogatepass")
    try:
        if _depth(raw) > MAX_DEPTH:
            raise JsonError(what, [(None, f"nested deeper than {MAX_DEPTH} levels")])
        if not _suspect(raw, text):
            with contextlib.suppress(_Found):  # a problem seen: the slow parse finds where
                return json.loads(
                    text, object_pairs_hook=_fast_object, parse_constant=_fast_constant
                )
        tree = json.loads(
            text,
            object_pairs_hook=_Pairs,
            parse_int=_slow_int,
            parse_float=_slow_float,
            parse_constant=_slow_constant,
        )
    except json.JSONDecodeError as exc:
        raise JsonError(what, [(None, f"malformed JSON: {exc}")]) from None
    except RecursionError:
        raise JsonError(what, [(None, f"nested deeper than {MAX_DEPTH} levels")]) from None
    found, total = _problems(tree)
    if found:
        raise JsonError(what, found, total)
    # a false alarm of the scan (e.g. a long number inside a string): the plain parse
    return json.loads(text)
