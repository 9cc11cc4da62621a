"""JSON that is safe to put inside an HTML `<script>` element (as JSON-LD is), like Django's json_script."""

from __future__ import annotations

from typing import Any

import pydantic_core

# Each of these can only occur inside a JSON string, where its \u escape means the same character:
# `<` could close the script element (`</script>`) or open a comment (`<!--`), `>` and `&` matter to
# HTML parsers and XHTML, and U+2028/U+2029 end a line inside a JavaScript string in older engines.
# Replacing them in the encoded bytes is safe because no UTF-8 multi-byte sequence contains the byte
# of `<`, `>` or `&`, and U+2028/U+2029 are whole sequences.
_ESCAPES = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def script_safe_json(data: Any, *, indent: int | None = None) -> bytes:
    """UTF-8 JSON of `data` with no `<`, `>`, `&`, U+2028 or U+2029 left: it parses as the same value,
    and embedding it in `<script type="application/ld+json">` cannot end the element or run anything."""
    encoded = pydantic_core.to_json(data, indent=indent)
    for raw, escaped in _ESCAPES:
        encoded = encoded.replace(raw, escaped)
    return encoded
