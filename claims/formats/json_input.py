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

# A \uD800-\uDFFF escape: the only way a surrogate reaches a str decoded from strict UTF-8.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


class UnreadableJson(ValueError):
    """Why a JSON text cannot be used, as a whole phrase ("not valid JSON: ..."), and where (1-based line and
    column, when the parser knows)."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line
        self.column = column


def parse_json(text: str) -> Any:
    """The value `text` holds, with every string a sequence of real characters; else UnreadableJson."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableJson(
            f"not valid JSON: {error.msg} at column {error.colno}", error.lineno, error.colno
        ) from None
    except RecursionError:
        raise UnreadableJson(
            "the JSON is nested too deeply to read (lists or objects hundreds of levels inside each other)"
        ) from None
    except ValueError:  # the only other failure: int() refuses numbers longer than this limit
        raise UnreadableJson(
            f"the JSON holds a number too long to read (at most {sys.get_int_max_str_digits():,} digits)"
        ) from None
    if _SURROGATE_ESCAPE.search(text):
        _refuse_lone_surrogates(value)
    return value


def _refuse_lone_surrogates(value: Any) -> None:
    """Walk the parsed value without recursion (it may be nested as deeply as the parser allowed)."""
    pending: list[tuple[Any, str]] = [(value, "")]
    while pending:
        item, path = pending.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                where = f" in {path}" if path else ""
                raise UnreadableJson(
                    f"the JSON escape \\u{ord(found.group()):04x}{where} is half of a UTF-16 surrogate pair "
                    "with no other half, which is not a character; remove it or complete the pair"
                )
        elif isinstance(item, dict):
            for key, member in reversed(item.items()):  # reversed, so the first problem is found first
                pending.append((member, f"{path}.{key}" if path else str(key)))
                pending.append((key, f"a field name in {path}" if path else "a field name"))
        elif isinstance(item, list):
            pending.extend((item[index], f"{path}[{index}]") for index in reversed(range(len(item))))
