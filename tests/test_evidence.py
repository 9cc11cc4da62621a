"""Evidence and sources as editors type them: the line format, independent sources, bare source URLs."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.errors import InvalidClaim
from claims.evidence import (
    format_evidence,
    independent_sources,
    parse_evidence,
    parse_evidence_line,
    site_of,
    source_from,
)
from claims.models import Evidence, Source, Stance

# A field as an editor types it on one line: no "|", no character that ends a line, no white space at
# either end (the parser strips it).
FIELD = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="|"), max_size=40
).map(str.strip)
URL = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}{path}",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.from_regex(r"[a-z0-9-]{1,12}(\.[a-z]{2,6}){1,2}", fullmatch=True),
    st.from_regex(r"(/[A-Za-z0-9._~%?=&#-]{0,15}){0,3}", fullmatch=True),
)
ITEMS = st.builds(
    Evidence,
    url=URL,
    title=FIELD,
    publisher=FIELD,
    accessed=st.none() | st.dates(),
    note=FIELD,
    stance=st.sampled_from(Stance),
)


@given(items=st.lists(ITEMS, max_size=6))
def test_evidence_with_a_web_address_reads_back_as_it_was_written(items: list[Evidence]) -> None:
    assert parse_evidence(format_evidence(items)) == items


def test_a_line_reads_every_field_and_trailing_fields_may_be_left_out() -> None:
    line = "https://reuters.example/a | Port budget | Reuters | refutes | accessed 2026-11-30 | p. 4"
    with pytest.raises(InvalidClaim, match="accessed is a date"):
        parse_evidence_line(line)
    item = parse_evidence_line(
        "https://reuters.example/a | Port budget | Reuters | REFUTES | 2026-11-30 | p. 4"
    )
    assert item == Evidence(
        url="https://reuters.example/a", title="Port budget", publisher="Reuters", stance=Stance.REFUTES,
        accessed=dt.date(2026, 11, 30), note="p. 4",
    )  # fmt: skip
    assert parse_evidence_line("https://ap.example") == Evidence(url="https://ap.example")


def test_a_line_without_a_web_address_is_a_note() -> None:
    assert parse_evidence("\n  called the harbour master | twice  \n\n") == [
        Evidence(note="called the harbour master | twice")
    ]
    assert (
        format_evidence([Evidence(title="Phone call", note="harbour master")])
        == "Phone call | harbour master"
    )


def test_a_bad_stance_names_the_line_and_the_words_allowed() -> None:
    with pytest.raises(InvalidClaim, match="evidence line 2.*supports, refutes, context"):
        parse_evidence("https://a.example\nhttps://b.example | t | p | maybe")


@pytest.mark.parametrize(
    ("evidence", "count"),
    [
        ([], 0),
        ([Evidence(note="a phone call")], 0),
        ([Evidence(url="https://www.Reuters.example/a"), Evidence(url="https://reuters.example/b")], 1),
        ([Evidence(url="https://r.example/a", publisher="AP"), Evidence(url="https://r.example/b")], 2),
        ([Evidence(publisher="Reuters"), Evidence(publisher=" REUTERS "), Evidence(publisher="AP")], 2),
        ([Evidence(url="https://a.ex"), Evidence(url="https://b.ex"), Evidence(url="http://c.ex")], 3),
    ],
    ids=["none", "note-only", "same-site", "publisher-beats-site", "same-publisher", "three-sites"],
)  # fmt: skip
def test_independent_sources_count_publishers_else_sites(evidence: list[Evidence], count: int) -> None:
    assert independent_sources(evidence) == count


def test_a_site_is_its_host_without_www() -> None:
    assert site_of("https://WWW.Reuters.com/world?x=1") == "reuters.com"
    assert site_of("http://news.example:8080/a") == "news.example"
    assert site_of(None) == site_of("") == ""


def test_a_bare_source_address_is_named_after_its_site() -> None:
    assert source_from("", "https://www.reuters.com/world") == Source(
        name="reuters.com", url="https://www.reuters.com/world"
    )
    assert source_from(" Reuters ", None) == Source(name="Reuters")
    assert source_from("Reuters", " https://reuters.com ") == Source(
        name="Reuters", url="https://reuters.com"
    )
    assert source_from("  ", None) is None and source_from(None, "") is None


@pytest.mark.parametrize(("name", "url"), [(None, "reuters.com"), ("Reuters", "ftp://reuters.com/a")])
def test_a_source_address_that_is_not_a_web_address_is_refused(name: str | None, url: str) -> None:
    with pytest.raises(InvalidClaim, match="source_url") as raised:
        source_from(name, url)
    assert "http" in str(raised.value)
