"""Reading known fact-checks from ClaimReview JSON-LD, HTML pages, Google Fact Check API responses and
CSV/TSV tables, and the message naming the file and line of each bad one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from claims.errors import FactCheckFileError
from claims.formats.dates import DateProblem
from claims.formats.factchecks import read_factcheck_date, read_factcheck_file, read_factchecks
from claims.models import KnownFactCheck

REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://fullfact.example/crime",
    "claimReviewed": "Crime doubled in 2023",
    "name": "No, crime did not double",
    "datePublished": "2024-01-14T09:30:00+00:00",
    "author": {"@type": "Organization", "name": "Full Fact"},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "alternateName": "False"},
}
CRIME = KnownFactCheck(
    id="https://fullfact.example/crime",
    claim="Crime doubled in 2023",
    title="No, crime did not double",
    rating="False",
    url="https://fullfact.example/crime",
    publisher="Full Fact",
    date=dt.date(2024, 1, 14),
    source_file="checks.json",
)


def write(tmp_path: Path, name: str, content: str | bytes | object) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


# -- schema.org ClaimReview


def test_one_claim_review_object_is_one_fact_check(tmp_path: Path) -> None:
    assert read_factcheck_file(write(tmp_path, "checks.json", REVIEW)) == [CRIME]


def test_a_list_and_a_graph_of_claim_reviews_are_read_and_other_objects_passed_over(tmp_path: Path) -> None:
    second = REVIEW | {
        "url": "https://afp.example/2",
        "identifier": "afp-2",
        "headline": "Chips",
        "name": None,
    }
    graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebPage"}, REVIEW, second]}
    for content in ([REVIEW, second], graph):
        checks = read_factcheck_file(write(tmp_path, "checks.json", content))
        assert [check.id for check in checks] == [CRIME.id, "afp-2"]
        assert checks[1].title == "Chips"


def test_a_rating_without_a_name_is_written_as_its_value_out_of_the_best() -> None:
    review = REVIEW | {"reviewRating": {"ratingValue": "2", "bestRating": "5"}}
    [check] = read_factchecks(json.dumps(review).encode(), "r.jsonld")
    assert check.rating == "2/5"


def test_the_id_is_the_identifier_else_the_at_id_else_the_url() -> None:
    read = lambda review: read_factchecks(json.dumps(review).encode(), "r.json")[0].id  # noqa: E731
    assert read(REVIEW | {"identifier": "ff-1", "@id": "https://x.example/#r"}) == "ff-1"
    assert read(REVIEW | {"@id": "https://x.example/#r"}) == "https://x.example/#r"
    assert read(REVIEW) == REVIEW["url"]


def test_a_file_that_is_not_json_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(FactCheckFileError, match=r"^line 2 of broken.json: not valid JSON"):
        read_factcheck_file(write(tmp_path, "broken.json", '{"@type": "ClaimReview",\n oops}'))


def test_json_without_a_claim_review_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FactCheckFileError, match=r"^page.json: no schema.org ClaimReview in it"):
        read_factcheck_file(write(tmp_path, "page.json", {"@type": "NewsArticle", "headline": "x"}))


def test_a_claim_review_without_claim_reviewed_is_refused(tmp_path: Path) -> None:
    reviews = [REVIEW, {k: v for k, v in REVIEW.items() if k != "claimReviewed"}]
    with pytest.raises(FactCheckFileError, match=r"^c.json: ClaimReview 2 has no claimReviewed"):
        read_factcheck_file(write(tmp_path, "c.json", reviews))


def test_a_claim_review_with_a_bad_url_is_refused_naming_the_field(tmp_path: Path) -> None:
    with pytest.raises(FactCheckFileError, match=r"^c.json: ClaimReview 1: url: "):
        read_factcheck_file(write(tmp_path, "c.json", REVIEW | {"url": "javascript:alert(1)"}))


# -- HTML pages

PAGE = """<!doctype html>
<html><head><title>Crime</title>
<script type="application/ld+json">{"@type": "BreadcrumbList", "itemListElement": []}</script>
<script type="application/ld+json">
REVIEW
</script>
<script>var notJson = {</script>
</head><body><p>Crime did not double.</p></body></html>
"""


def test_an_html_page_gives_the_claim_reviews_of_its_ld_json_blocks(tmp_path: Path) -> None:
    page = PAGE.replace("REVIEW", json.dumps(REVIEW))
    assert read_factcheck_file(write(tmp_path, "crime.html", page)) == [
        CRIME.model_copy(update={"source_file": "crime.html"})
    ]


def test_an_html_page_with_a_broken_ld_json_block_is_refused_naming_its_line(tmp_path: Path) -> None:
    # Decided: the whole page is refused (the broken block may be the one holding a fact-check).
    page = PAGE.replace("REVIEW", json.dumps(REVIEW)[:-5])
    with pytest.raises(FactCheckFileError, match=r"^line 4 of crime.html: its ld\+json block is not JSON"):
        read_factcheck_file(write(tmp_path, "crime.html", page))


def test_an_html_page_without_ld_json_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FactCheckFileError, match=r'no <script type="application/ld\+json"> block'):
        read_factcheck_file(write(tmp_path, "plain.htm", "<html><body><p>Hello</p></body></html>"))


# -- Google Fact Check Tools API

GOOGLE = {
    "claims": [
        {
            "text": "Vaccines contain microchips",
            "claimant": "Social media users",
            "claimDate": "2021-03-01T00:00:00Z",
            "claimReview": [
                {
                    "publisher": {"name": "AFP Fact Check", "site": "factcheck.afp.com"},
                    "url": "https://factcheck.afp.example/chips",
                    "title": "No microchips in vaccines",
                    "reviewDate": "2021-03-04T10:00:00Z",
                    "textualRating": "False",
                    "languageCode": "en",
                },
                {
                    "publisher": {"site": "politifact.com"},
                    "url": "https://pf.example/chips",
                    "textualRating": "Pants",
                },
            ],
        }
    ],
    "nextPageToken": "abc",
}


def test_each_claim_review_of_a_google_response_is_one_fact_check(tmp_path: Path) -> None:
    afp, politifact = read_factcheck_file(write(tmp_path, "google.json", GOOGLE))
    assert afp == KnownFactCheck(
        id="https://factcheck.afp.example/chips",
        claim="Vaccines contain microchips",
        title="No microchips in vaccines",
        rating="False",
        url="https://factcheck.afp.example/chips",
        publisher="AFP Fact Check",
        date=dt.date(2021, 3, 4),
        source_file="google.json",
    )
    assert (politifact.publisher, politifact.rating, politifact.date) == (
        "politifact.com",
        "Pants",
        dt.date(2021, 3, 1),
    )


def test_a_google_response_missing_fields_is_refused_naming_the_entry(tmp_path: Path) -> None:
    no_text = {"claims": [{"claimReview": GOOGLE["claims"][0]["claimReview"]}]}
    with pytest.raises(FactCheckFileError, match=r"^g.json: claims\[0\] has no text"):
        read_factcheck_file(write(tmp_path, "g.json", no_text))
    no_url = {"claims": [{"text": "x", "claimReview": [{"title": "t"}]}]}
    with pytest.raises(FactCheckFileError, match=r"^g.json: claims\[0\].claimReview\[0\] has no url"):
        read_factcheck_file(write(tmp_path, "g.json", no_url))
    with pytest.raises(FactCheckFileError, match=r"^g.json: its claims list is empty"):
        read_factcheck_file(write(tmp_path, "g.json", {"claims": []}))


# -- CSV and TSV


def test_a_csv_with_every_column_is_read(tmp_path: Path) -> None:
    table = (
        "id,claim,title,rating,url,publisher,date\n"
        'ff-1,"Crime doubled, they said",No,False,https://ff.example/1,Full Fact,2024-01-14\n'
        "ff-2,Bridge cost 4bn,,Mostly true,,Full Fact,14 January 2024\n"
    )
    first, second = read_factcheck_file(write(tmp_path, "checks.csv", table))
    assert (first.claim, first.url, first.date) == (
        "Crime doubled, they said",
        "https://ff.example/1",
        dt.date(2024, 1, 14),
    )
    assert (second.title, second.url, second.date, second.source_file) == (
        "",
        None,
        dt.date(2024, 1, 14),
        "checks.csv",
    )


def test_a_tsv_like_checkthat_with_an_unnamed_id_column_and_vclaim_is_read(tmp_path: Path) -> None:
    table = "\tvclaim\ttitle\n0\tCrime doubled\tNo it did not\n1\tBridge cost 4bn\tIt cost 2bn\n"
    checks = read_factcheck_file(write(tmp_path, "verified.tsv", table))
    assert [(check.id, check.claim, check.title) for check in checks] == [
        ("0", "Crime doubled", "No it did not"),
        ("1", "Bridge cost 4bn", "It cost 2bn"),
    ]


def test_a_semicolon_table_is_sniffed() -> None:
    [check] = read_factchecks(b"id;claim;publisher\nx1;Crime doubled;AFP\n", "checks.csv")
    assert (check.id, check.publisher) == ("x1", "AFP")


def test_a_table_without_a_claim_column_is_refused_naming_its_columns(tmp_path: Path) -> None:
    with pytest.raises(
        FactCheckFileError, match=r"^line 1 of t.csv: no 'claim' column \(its header names 'id', 'text2'"
    ):
        read_factcheck_file(write(tmp_path, "t.csv", "id,text2,title\n1,a,b\n"))


def test_a_bad_date_names_its_line(tmp_path: Path) -> None:
    rows = [f"fc{n},Claim {n},2024-01-0{n}" for n in range(1, 6)]
    rows.append("fc6,Claim six,05/07/2024")  # on line 7: day/month or month/day?
    table = "\n".join(["id,claim,date", *rows]) + "\n"
    with pytest.raises(
        FactCheckFileError, match=r"^line 7 of dated.csv: this row: '05/07/2024' could be day/month"
    ):
        read_factcheck_file(write(tmp_path, "dated.csv", table))


def test_a_row_without_a_claim_names_its_line_even_after_a_quoted_line_break(tmp_path: Path) -> None:
    table = 'id,claim\n1,"two\nlines"\n2,\n'
    with pytest.raises(FactCheckFileError, match=r"^line 4 of t.csv: this row has no claim"):
        read_factcheck_file(write(tmp_path, "t.csv", table))


def test_an_empty_or_unreadable_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FactCheckFileError, match=r"^e.csv: the file is empty"):
        read_factcheck_file(write(tmp_path, "e.csv", ""))
    with pytest.raises(FactCheckFileError, match=r"^line 2 of b.csv: not UTF-8 text"):
        read_factcheck_file(write(tmp_path, "b.csv", b"id,claim\n1,\xff\n"))
    with pytest.raises(FactCheckFileError, match=r"^missing.csv: cannot read the file"):
        read_factcheck_file(tmp_path / "missing.csv")
    with pytest.raises(FactCheckFileError, match="is a folder"):
        read_factcheck_file(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-01-14", dt.date(2020, 1, 14)),
        ("2020-01-14T23:30:00-05:00", dt.date(2020, 1, 14)),
        ("2020-01-14 10:00", dt.date(2020, 1, 14)),
        ("14 January 2020", dt.date(2020, 1, 14)),
        ("January 14, 2020", dt.date(2020, 1, 14)),
        ("20200114", dt.date(2020, 1, 14)),
        ("Tue, 14 Jan 2020 10:00:00 GMT", dt.date(2020, 1, 14)),
    ],
)
def test_dates_are_read_in_the_forms_fact_checks_write_them(text: str, expected: dt.date) -> None:
    assert read_factcheck_date(text) == expected


@pytest.mark.parametrize("text", ["2020-02-30", "yesterday", "05/07/2020"])
def test_dates_that_are_not_one_date_are_refused(text: str) -> None:
    with pytest.raises(DateProblem):
        read_factcheck_date(text)
