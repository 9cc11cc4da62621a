"""Parsing JSON from files we did not write: every way it can fail becomes one `UnreadableJson`.

`json.loads` alone lets RecursionError (`[` nested thousands deep), ValueError (an integer of more
than 4,300 digits) and lone surrogates (`"\\ud800"`, valid JSON syntax but not a character, which
fails later when the text is hashed or stored) escape. The readers of articles and of exports call
`parse_json` instead, and turn its one error into their own message naming the file.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import pydantic_core

# A \uD800-\uDBFF escape not followed by a \uDC00-\uDFFF one, or a \uDC00-\uDFFF escape not preceded by
# a \uD800-\uDBFF one: how a lone surrogate reaches a str decoded from strict UTF-8.
_HIGH, _LOW = r"\\u[dD][89abAB][0-9a-fA-F]{2}", r"\\u[dD][c-fC-F][0-9a-fA-F]{2}"
_LONE_SURROGATE_ESCAPE = re.compile(f"{_HIGH}(?!{_LOW})|(?<!{_HIGH}){_LOW}")
_SURROGATE = re.compile("[\ud800-\udfff]")


class UnreadableJson(ValueError):
    """Why a JSON text cannot be used, as a whole phrase ("not valid JSON: ..."), and where (1-based line and
    column, when the parser knows)."""

    def __init__(
        self, problem: str, line: int | None = None, column: int | None = None, *, syntax: bool = False
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.column = column
        self.syntax = syntax  # True: not JSON at all; False: whole JSON that cannot be used


def parse_json(text: str) -> Any:
    """The value `text` holds, with every string a sequence of real characters; else UnreadableJson."""
    try:
        # pydantic-core's parser reads what json.loads reads, into the same value, about twice as fast, and
        # refuses every lone surrogate (escaped or not) and nesting past 200 levels itself: what it accepts
        # needs no more checks. What it refuses goes the slow way below, for json.loads' exact diagnosis.
        return pydantic_core.from_json(text)
    except (ValueError, TypeError):
        pass
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableJson(
            f"not valid JSON: {error.msg} at column {error.colno}", error.lineno, error.colno, syntax=True
        ) from None
    except RecursionError:
        raise UnreadableJson(
            "the JSON is nested too deeply to read (lists or objects hundreds of levels inside each other)"
        ) from None
    except ValueError:  # the only other failure: int() refuses numbers longer than this limit
        raise UnreadableJson(
            f"the JSON holds a number too long to read (at most {sys.get_int_max_str_digits():,} digits)"
        ) from None
    _refuse_lone_surrogates(text)
    return value


def _refuse_lone_surrogates(text: str) -> None:
    """Find, in the JSON text itself (a few passes in C, however large or deep the value), a surrogate
    escape that is not a high half directly followed by a low half: json.loads keeps such an escape as a
    lone surrogate in the string it returns, which is not a character.

    Runs on text json.loads accepted, where every backslash starts an escape; once the escaped
    backslashes ("\\\\", read left to right as the parser does) are blanked out, every "\\u" left is a
    real escape, and the blanking keeps every other character where it was (for the column).
    """
    raw = _SURROGATE.search(text)  # only in a str built by a program: decoded files cannot hold one
    found = _LONE_SURROGATE_ESCAPE.search(text.replace("\\\\", "  ")) if "\\" in text else None
    at = min(match.start() for match in (raw, found) if match) if raw or found else None
    if at is None:
        return
    line = text.count("\n", 0, at) + 1
    column = at - text.rfind("\n", 0, at)
    shown = text[at : at + 6] if text[at] == "\\" else f"\\u{ord(text[at]):04x}"
    raise UnreadableJson(
        f"the JSON escape {shown} at column {column} is half of a UTF-16 surrogate pair with no other "
        "half, which is not a character; remove it or complete the pair",
        line,
        column,
    )
