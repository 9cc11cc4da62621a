"""A page showing only the span selector over a fixed article, for test_span_selector.py.

It prints every event the component returns as JSON in a code block, counted, so a test can wait
for the n-th event and read it exactly. `?sentences=200` shows a long generated article instead.
The test imports it for the article's exact text.
"""

import json

import streamlit as st

from annotator.components.span_selector import Highlight, span_selector
from claims.models import Sentence

PARAGRAPHS = [
    [
        "Officials said as many as 200,000 troops were massed near the border.",
        "Locals greeted them with 👍🏽 and cafe\u0301 au lait, about 3,000 cups a day.",
    ],
    [
        'A caption read <script>window.__xss = 1</script> and <img src=x onerror="window.__xss = 2"> '
        "next to **bold** and [a link](javascript:alert(1)).",
        "The ministry denied that 40% of the budget was cut.",
    ],
]


def build_article(paragraphs: list[list[str]]) -> tuple[str, list[Sentence]]:
    """Sentences joined by spaces and paragraphs by blank lines, with their offsets."""
    text, sentences = "", []
    for paragraph_index, paragraph in enumerate(paragraphs):
        if text:
            text += "\n\n"
        for position, sentence in enumerate(paragraph):
            if position:
                text += " "
            end = len(text) + len(sentence)
            sentences.append(
                Sentence(
                    index=len(sentences), paragraph=paragraph_index, start=len(text), end=end, text=sentence
                )
            )
            text += sentence
    return text, sentences


def highlight(text: str, id: str, quote: str, kind: str, color: str, label: str) -> Highlight:
    start = text.index(quote)
    return Highlight(id, start, start + len(quote), kind, color, label)  # type: ignore[arg-type]


def fixed_article() -> tuple[str, list[Sentence], list[Highlight]]:
    text, sentences = build_article(PARAGRAPHS)
    highlights = [
        highlight(
            text, "claim-troops", "as many as 200,000 troops were massed", "claim", "#ffe08a", "Troops"
        ),
        highlight(text, "suggestion-number", "200,000 troops", "suggestion", "#d6336c", "A number"),
        highlight(text, "claim-budget", "40% of the budget was cut", "claim", "#b2f2bb", "Budget"),
        highlight(
            text, "suggestion-denial", "The ministry denied that 40%", "suggestion", "#1971c2", "Denial"
        ),
    ]
    return text, sentences, highlights


def long_article(size: int) -> tuple[str, list[Sentence], list[Highlight]]:
    """`size` sentences in paragraphs of five; every other sentence highlighted, some overlapping."""
    lines = [
        f"Report {i} says {i * 1000:,} troops moved near town {i} on day {i % 28 + 1}." for i in range(size)
    ]
    text, sentences = build_article([lines[i : i + 5] for i in range(0, size, 5)])
    highlights = []
    for sentence in sentences[::2]:
        number = sentence.text.split(" says ")[1].split(" moved")[0]
        start = sentence.start + sentence.text.index(number)
        if sentence.index % 4 == 0:
            highlights.append(
                Highlight(f"c{sentence.index}", start, sentence.end, "claim", "#ffe08a", "Claim")
            )
        else:
            highlights.append(
                Highlight(f"s{sentence.index}", start, start + len(number), "suggestion", "#d6336c")
            )
    return text, sentences, highlights


def main() -> None:
    size = int(st.query_params.get("sentences", 0))
    text, sentences, highlights = long_article(size) if size else fixed_article()
    st.title("Span selector")
    event = span_selector(text, sentences, highlights, key="article")
    events = st.session_state.setdefault("events", [])
    if event is not None:
        events.append(event)
    st.session_state.runs = st.session_state.get("runs", 0) + 1
    shown = {"count": len(events), "last": events[-1] if events else None, "runs": st.session_state.runs}
    st.code(json.dumps(shown), language="json")
    st.button("Rerun")


# Streamlit runs the script as __main__; the test imports it for the article's exact text.
if __name__ == "__main__":
    main()
