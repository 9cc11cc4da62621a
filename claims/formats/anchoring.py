"""Finding a quoted span again in a text that may have changed: the W3C Web Annotation selectors
(TextQuoteSelector: exact, prefix, suffix; TextPositionSelector: start, end) resolved against a stored body.

The order is the one annotation tools use (Hypothesis's dom-anchor-text-quote): the positions if they
still hold the exact quote; else every occurrence of the quote, the one whose surroundings agree best with
the prefix and suffix (then the one nearest the old position); else a fuzzy search (diff-match-patch's
bitap `match_main`, 32 characters at a time) accepted only when what it finds differs from the quote by
at most FUZZY_THRESHOLD of its length.
"""

from __future__ import annotations

from dataclasses import dataclass

from diff_match_patch import diff_match_patch  # type: ignore[import-untyped]

# Characters of context a TextQuoteSelector carries on each side of the quote.
CONTEXT = 32
# The most of a quote (as a share of its length, in edits) that may differ from the text found for it.
FUZZY_THRESHOLD = 0.25
# The bitap search of diff-match-patch handles patterns of at most this many characters.
_SLICE = 32
# Characters of the prefix and suffix that bound a fuzzy match.
_EDGE = 16
# How much more a character of context that differs counts than one of the quote: an edit usually changes
# the quote and leaves the text around it alone, so a span whose edges do not meet the old context is
# rarely the one (without this, dropping a longer new ending always looks cheaper than keeping it).
_CONTEXT_WEIGHT = 4
# Characters of each end of the quote compared with the text to bound a fuzzy match, and the furthest an
# end is looked for from where the quote's length puts it.
_SIDE = 64


@dataclass(frozen=True)
class QuoteSelector:
    """Where a quote was: its exact text, up to CONTEXT characters before and after it, and its offsets
    (None when the annotation gave none)."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class Anchor:
    """Where a quote is now, and how it was found: "position", "quote" or "fuzzy"."""

    start: int
    end: int
    how: str


def selector_for(text: str, start: int, end: int) -> QuoteSelector:
    """The selectors of the span [start, end) of `text`."""
    return QuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT) : start],
        suffix=text[end : end + CONTEXT],
        start=start,
        end=end,
    )


def anchor(text: str, selector: QuoteSelector) -> Anchor | None:
    """Where the selected quote is in `text` (see the module's docstring), or None if it is nowhere near."""
    exact = selector.exact
    if not exact:
        return None
    start, end = selector.start, selector.end
    if start is not None and end is not None and 0 <= start < end <= len(text) and text[start:end] == exact:
        return Anchor(start, end, "position")
    found = _best_occurrence(text, selector)
    if found is not None:
        return Anchor(found, found + len(exact), "quote")
    return _fuzzy(text, selector)


def _best_occurrence(text: str, selector: QuoteSelector) -> int | None:
    exact = selector.exact
    occurrences = []
    at = text.find(exact)
    while at != -1:
        occurrences.append(at)
        at = text.find(exact, at + 1)
    if not occurrences:
        return None
    hint = selector.start

    def score(at: int) -> tuple[int, int, int]:
        prefix, suffix, after = selector.prefix, selector.suffix, at + len(exact)
        agreement = _common_suffix(text[max(0, at - len(prefix)) : at], prefix)
        agreement += _common_prefix(text[after : after + len(suffix)], suffix)
        # A context shorter than CONTEXT was cut by the start or the end of the text: so should this one's.
        edges = (len(prefix) < CONTEXT and at == len(prefix)) + (
            len(suffix) < CONTEXT and after + len(suffix) == len(text)
        )
        return (agreement, edges, -abs(at - hint) if hint is not None else 0)

    return max(occurrences, key=score)


def _fuzzy(text: str, selector: QuoteSelector) -> Anchor | None:
    """The quote found by bitap search, guided by the prefix or suffix first (as dom-anchor-text-quote
    does), then bounded by aligning the quote with the text there, and checked against FUZZY_THRESHOLD."""
    exact = selector.exact
    dmp = diff_match_patch()
    dmp.Match_Distance = len(text) * 2  # a moved quote may be anywhere: distance barely counts
    loc = min(selector.start or 0, len(text))
    prefix, suffix = selector.prefix[-_SLICE:], selector.suffix[:_SLICE]
    found_prefix = False
    if prefix:
        where = dmp.match_main(text, prefix, max(0, loc - len(prefix)))
        if where != -1:
            loc, found_prefix = where + len(prefix), True
    if suffix and not found_prefix:
        where = dmp.match_main(text, suffix, min(len(text), loc + len(exact)))
        if where != -1:
            loc = max(0, where - len(exact))
    # The first 32-character slice of the quote found near there gives roughly where the quote starts.
    for offset in range(0, len(exact), _SLICE):
        where = dmp.match_main(text, exact[offset : offset + _SLICE], min(loc + offset, len(text)))
        if where != -1:
            near = max(0, where - offset)
            break
    else:
        return None
    start, end = _closest_span(dmp, text, selector, near)
    found = text[start:end]
    if end <= start or not found.strip():
        return None
    if _distance(dmp, exact, found) > FUZZY_THRESHOLD * len(exact):
        return None
    return Anchor(start, end, "fuzzy")


def _closest_span(dmp: diff_match_patch, text: str, selector: QuoteSelector, near: int) -> tuple[int, int]:
    """The span near `near` whose edges, with a few characters of context, differ least from the quote's
    edges with its prefix and suffix: its start first, then its end, looked for near where the quote's last
    32 characters are found (a word replaced by a longer or shorter one moves it); ties go to the span
    nearest where the quote would be unchanged. The context keeps a span from stopping inside the word
    that replaced the quote's last, and comparing edges only keeps the cost flat however long the quote."""
    exact = selector.exact
    before, after = selector.prefix[-_EDGE:], selector.suffix[:_EDGE]
    head, tail = exact[:_SIDE], exact[-_SIDE:]
    reach = min(int(FUZZY_THRESHOLD * len(exact)) + 1, _SIDE)

    def start_cost(s: int) -> tuple[int, int]:
        shown = _distance(dmp, head, text[s : s + len(head)])
        context = _distance(dmp, before, text[max(0, s - len(before)) : s])
        return (shown + _CONTEXT_WEIGHT * context, abs(s - near))

    start = min(range(max(0, near - reach), min(len(text), near + reach) + 1), key=start_cost)
    # Where the quote's length puts its end, and where its last 32 characters are found: both are looked
    # around (a changed ending can make the search find a similar ending elsewhere).
    guesses = [start + len(exact)]
    found = dmp.match_main(text, exact[-_SLICE:], max(0, min(len(text), guesses[0] - _SLICE)))
    if found != -1 and found + min(_SLICE, len(exact)) > start:
        guesses.append(found + min(_SLICE, len(exact)))

    # Every candidate end is compared from one point on, where the quote's tail begins if its length is
    # unchanged, so that a longer ending is measured whole rather than against a window sliding over it.
    base = max(start, guesses[0] - len(tail))

    def end_cost(e: int) -> tuple[int, int]:
        shown = _distance(dmp, tail, text[base:e])
        nearest = min(abs(e - guess) for guess in guesses)
        context = _distance(dmp, after, text[e : e + len(after)])
        return (shown + _CONTEXT_WEIGHT * context, nearest)

    ends = sorted(
        {
            e
            for guess in guesses
            for e in range(max(start + 1, guess - reach), min(len(text), guess + reach) + 1)
        }
    )
    return (start, min(ends, key=end_cost)) if ends else (start, start)


def _distance(dmp: diff_match_patch, a: str, b: str) -> int:
    """How many characters must be inserted, deleted or replaced to turn `a` into `b`."""
    return int(dmp.diff_levenshtein(dmp.diff_main(a, b, False)))


def _common_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
