"""Ids as file names: one name per id, inside the store's folder, valid on Linux, macOS and Windows."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import quote

# Device names Windows reserves whatever follows them after a dot ("CON", "con.txt", "COM1.json"), plus
# the superscript digits it treats like 1-3.
_WINDOWS_RESERVED = re.compile(
    r"(?i:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9\u00b9\u00b2\u00b3]|LPT[0-9\u00b9\u00b2\u00b3])(?:\.|$)"
)
# Longer names fail on many file systems (255 bytes), and a suffix still has to fit.
_LONGEST = 200
# Ids that quoting leaves as they are (uuids, hashes): their names need no work, which counts when a
# listing checks 100,000 claim files against their ids.
_PLAIN = re.compile(r"[A-Za-z0-9_-]{1,200}")


def safe_name(identifier: str) -> str:
    """A name that maps back to exactly one id: readable, no path separators, never hidden, never a
    Windows device name, at most 200 characters.

    Percent-quoting is injective and leaves only letters, digits and `_.-~%`; the two rewrites below
    produce names quoting never does (`%2E` or `%XX` for a letter at the start, `#` anywhere), so they
    cannot collide with another id's name.
    """
    if _PLAIN.fullmatch(identifier) and not _WINDOWS_RESERVED.match(identifier):
        return identifier
    name = quote(identifier, safe="")
    if name.startswith("."):
        name = "%2E" + name[1:]
    elif _WINDOWS_RESERVED.match(name) or _WINDOWS_RESERVED.match(identifier):
        name = f"%{ord(name[0]):02X}" + name[1:]
    if len(name) > _LONGEST:
        name = "#" + hashlib.sha256(identifier.encode("utf-8")).hexdigest()
    return name or "%"
