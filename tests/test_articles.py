"""Reading articles in every format, the errors a fact-checker sees, and importing with dedupe."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.errors import ArticleFormatError
from claims.formats.articles import (
    MAX_FILE_BYTES,
    content_hash,
    make_article,
    read_article_file,
    read_articles,
)
from claims.formats.importing import import_bytes, import_paths
from claims.store.memory import MemoryRepository

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE = REPO_ROOT / "samples" / "harbour_exercise.txt"
SEED = REPO_ROOT.parent / "shared" / "seed" / "000_8886c494cf3526de.txt"

HEADER = "Troops Gather Near the Border\n20211129\nhttps://example.org/news/troops\n"
BODY = "As many as 200,000 troops took part, according to Reuters.\nPutin has denied that claim."


def problem_of(data: bytes, source: str = "troops.txt") -> ArticleFormatError:
    with pytest.raises(ArticleFormatError) as caught:
        read_articles(data, source)
    return caught.value


# -- the header format and plain text


def test_header_file_gives_title_date_url_and_the_body_after_line_3() -> None:
    [article] = read_articles((HEADER + BODY).encode(), "troops.txt")
    assert article.title == "Troops Gather Near the Border"
    assert article.date == dt.date(2021, 11, 29)
    assert article.url == "https://example.org/news/troops"
    assert article.text == BODY
    assert article.source_file == "troops.txt"
    assert [s.paragraph for s in article.sentences] == [0, 1]


def test_sample_article_reads_with_its_header() -> None:
    [article] = read_article_file(SAMPLE)
    assert article.title == "Navy Says Joint Harbour Exercise Will Go Ahead Despite Protests"
    assert article.date == dt.date(2024, 3, 15)
    assert article.text.startswith("The navy will hold a joint exercise")
    assert article.sentence_count == len(article.sentences) == 7


def test_seed_article_reads_with_its_header() -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent (../shared is not mounted)")
    [article] = read_article_file(SEED)
    assert article.date == dt.date(2021, 11, 29)
    assert article.url is not None and article.url.startswith("https://www.newsweek.com/")
    assert article.text.startswith("The drills added to the months of tension")


def test_iso_date_in_the_header_is_accepted() -> None:
    [article] = read_articles(HEADER.replace("20211129", "2021-11-29").encode() + BODY.encode(), "a.txt")
    assert article.date == dt.date(2021, 11, 29)


def test_file_without_a_header_is_plain_text_with_no_metadata() -> None:
    text = "Putin Says Things\nBy Jane Doe\nThe drills involved 200,000 troops."
    [article] = read_articles(text.encode(), "notes.txt")
    assert (article.title, article.date, article.url) == (None, None, None)
    assert article.text == text


def test_crlf_bom_and_trailing_blank_lines_are_normalised_away() -> None:
    data = b"\xef\xbb\xbf" + (HEADER + BODY).replace("\n", "\r\n").encode() + b"\r\n\r\n  \r\n"
    [article] = read_articles(data, "troops.txt")
    assert article.title == "Troops Gather Near the Border"
    assert article.text == BODY


# -- headline and a human date (as Wikinews and many sites print it)

WIKINEWS_LIKE = (
    "Trump nominates Christopher Wray as FBI director\n"
    "{date}\n"
    "United States President Donald Trump has nominated Christopher Wray to lead the FBI.\n"
    "The Senate voted 92 to 5 to confirm him, officials said."
)


@pytest.mark.parametrize(
    "written",
    [
        "Friday, July 21, 2017",
        "21 July 2017",
        "July 21, 2017",
        "2017-07-21",
        "20170721",
        "Fri. 21st of July, 2017",
        "Jul 21 2017",
        "21-Jul-2017",
        "2017/07/21",
        "  FRIDAY 21 JULY 2017  ",
    ],
)
def test_a_headline_and_a_human_date_give_title_date_and_body(written: str) -> None:
    [article] = read_articles(WIKINEWS_LIKE.format(date=written).encode(), "wray.txt")
    assert article.title == "Trump nominates Christopher Wray as FBI director"
    assert (article.date, article.date_text, article.url) == (dt.date(2017, 7, 21), written.strip(), None)
    assert article.text.startswith("United States President Donald Trump")
    assert article.sentence_count == 2


def test_seed_article_with_its_date_written_out_and_no_url_keeps_title_date_and_body() -> None:
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent (../shared is not mounted)")
    headline, _, _, *body = SEED.read_text(encoding="utf-8").split("\n")
    data = "\n".join([headline, "Monday, November 29, 2021", *body]).encode()
    [article] = read_articles(data, SEED.name)
    [original] = read_article_file(SEED)
    assert (article.title, article.date, article.text) == (original.title, original.date, original.text)


def test_a_human_date_in_the_full_header_is_read_too() -> None:
    data = b"Headline\nMonday, November 29, 2021\nhttps://example.org/a\nBody."
    [article] = read_articles(data, "a.txt")
    assert (article.date, article.date_text, article.url) == (
        dt.date(2021, 11, 29),
        "Monday, November 29, 2021",
        "https://example.org/a",
    )


@pytest.mark.parametrize(
    "written",
    ["21/07/2017", "07/21/2017", "05/07/2017", "20171332", "Saturday, July 21, 2017", "July 2017", "2017"],
)
def test_a_date_we_cannot_read_without_a_url_makes_the_file_plain_text(written: str) -> None:
    text = WIKINEWS_LIKE.format(date=written)
    [article] = read_articles(text.encode(), "wray.txt")
    assert (article.title, article.date, article.date_text, article.url) == (None, None, None, None)
    assert article.text == text


def test_a_headline_and_a_date_with_no_body_is_plain_text() -> None:
    [article] = read_articles(b"Headline\nJuly 21, 2017\n\n", "a.txt")
    assert (article.title, article.text) == (None, "Headline\nJuly 21, 2017")


@pytest.mark.parametrize(
    ("written", "problem"),
    [
        ("20211332", "'20211332' is not a calendar date (month must be in 1..12)"),
        ("31 November 2021", "'31 November 2021' is not a calendar date (day is out of range for month)"),
        (
            "05/07/2021",
            "'05/07/2021' could be day/month or month/day: write the date year first (2021-MM-DD) "
            "or with the month's name, like 29 November 2021",
        ),
        (
            "Friday, November 29, 2021",
            "'Friday, November 29, 2021' does not add up: 29 November 2021 was a Monday, not a Friday",
        ),
        ("Nov 2021", "'Nov 2021' has no day: write the date like 29 November 2021"),
        ("29 Nov 21", "'29 Nov 21' needs a day and a four-digit year, like 29 November 2021"),
    ],
)
def test_a_bad_date_before_a_url_is_refused_with_what_is_wrong(written: str, problem: str) -> None:
    error = problem_of(f"Headline\n{written}\nhttps://example.org/a\nBody.".encode())
    assert str(error) == f"line 2 of troops.txt: {problem}"


def test_json_dates_may_be_written_out_and_keep_their_text() -> None:
    record = {"text": "Body.", "date": "Friday, July 21, 2017"}
    [article] = read_articles(json.dumps(record).encode(), "a.json")
    assert (article.date, article.date_text) == (dt.date(2017, 7, 21), "Friday, July 21, 2017")


DATE_FORMS = [
    "%Y%m%d",
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d %B %Y",
    "%B %d, %Y",
    "%A, %B %d, %Y",
    "%a %d %b %Y",
    "%b. %d, %Y",
    "%d-%b-%Y",
]
MONTHS = "January February March April May June July August September October November December".split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def english(date: dt.date, form: str) -> str:
    """strftime in English whatever the locale."""
    month, weekday = MONTHS[date.month - 1], WEEKDAYS[date.weekday()]
    form = (
        form.replace("%B", month).replace("%b", month[:3]).replace("%A", weekday).replace("%a", weekday[:3])
    )
    return date.strftime(form)


@given(st.dates(min_value=dt.date(1000, 1, 1)), st.sampled_from(DATE_FORMS))
def test_every_date_written_in_a_common_form_reads_back_as_itself(date: dt.date, form: str) -> None:
    written = english(date, form)
    [article] = read_articles(f"Headline\n{written}\nBody.".encode(), "a.txt")
    assert (article.date, article.date_text) == (date, written)


# -- JSON and JSON Lines


def test_json_object_gives_one_article() -> None:
    record = {"title": "T", "url": "https://example.org/a", "date": "2021-11-29", "text": BODY}
    [article] = read_articles(json.dumps(record).encode(), "troops.json")
    assert (article.title, article.url, article.date) == ("T", "https://example.org/a", dt.date(2021, 11, 29))
    assert article.text == BODY


def test_json_lines_give_one_article_per_line_with_compact_dates() -> None:
    lines = [{"title": "One", "date": "20211129", "text": "First body."}, {"text": "Second body."}]
    data = "\n".join(json.dumps(line) for line in lines).encode()
    articles = read_articles(data, "batch.jsonl")
    assert [(a.title, a.date, a.text) for a in articles] == [
        ("One", dt.date(2021, 11, 29), "First body."),
        (None, None, "Second body."),
    ]


def test_json_lines_are_detected_by_content_whatever_the_name() -> None:
    data = b'{"text": "First body."}\n{"text": "Second body."}\n'
    assert len(read_articles(data, "batch.json")) == 2
    assert len(read_articles(data, "upload")) == 2


def test_text_that_merely_starts_with_a_bracket_stays_plain_text() -> None:
    [article] = read_articles(b"[Updated] The vote was delayed.", "note.txt")
    assert article.text == "[Updated] The vote was delayed."


# -- dedupe


def test_same_body_gets_the_same_id_and_hash_whatever_the_line_endings() -> None:
    first = make_article("One.\nTwo.\n")
    second = make_article("\n\nOne.\r\nTwo.  \r\n", title="Another title")
    assert first.id == second.id == first.content_hash[:16]
    assert first.content_hash == content_hash("One.\nTwo.")


def test_importing_the_same_body_twice_reports_already_present() -> None:
    repo = MemoryRepository()
    data = (HEADER + BODY).encode()
    [first] = import_bytes(repo, data, "troops.txt", by="ana")
    [second] = import_bytes(repo, data.replace(b"\n", b"\r\n"), "copy.txt", by="ana")
    assert (first.status, second.status) == ("imported", "already_present")
    assert first.article_id == second.article_id
    assert first.title == "Troops Gather Near the Border"
    assert len(repo.list_articles()) == 1
    assert repo.get_article(first.article_id or "").imported_by == "ana"


# -- what a fact-checker reads when a file cannot be used


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "troops.txt: the file is empty"),
        (b" \n\t\r\n", "troops.txt: the file holds only white space"),
    ],
)
def test_empty_file_is_refused(data: bytes, expected: str) -> None:
    assert str(problem_of(data)) == expected


def test_binary_file_is_refused() -> None:
    error = problem_of(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.txt")
    assert str(error).startswith("photo.txt: this is not a text file (it contains NUL bytes")


def test_invalid_utf8_names_the_line_and_byte() -> None:
    error = problem_of("Headline\nThe caf\xe9 was shut.\n".encode("latin-1"))
    assert error.line == 2
    assert str(error).startswith("line 2 of troops.txt: not valid UTF-8: byte 0xE9 (byte 8 of the line")


def test_header_with_the_url_where_the_date_belongs_says_the_date_is_missing() -> None:
    error = problem_of(b"Headline\nhttps://example.org/a\nBody.")
    assert str(error).startswith("line 2 of troops.txt: the date is missing")


def test_header_with_a_date_in_the_wrong_form_shows_what_it_got() -> None:
    error = problem_of(b"Headline\n29 Nov\nhttps://example.org/a\nBody.")
    assert str(error) == "line 2 of troops.txt: '29 Nov' has no year: write the date like 29 November 2021"


def test_header_with_an_impossible_date_says_it_is_not_a_calendar_date() -> None:
    error = problem_of(b"Headline\n20211399\nhttps://example.org/a\nBody.")
    assert str(error) == "line 2 of troops.txt: '20211399' is not a calendar date (month must be in 1..12)"


@pytest.mark.parametrize("url", ["www.example.org/a", "http//example.org/a", "https://exa mple.org"])
def test_header_with_a_malformed_url_names_line_3(url: str) -> None:
    error = problem_of(f"Headline\n20211129\n{url}\nBody.".encode())
    assert str(error) == (
        f"line 3 of troops.txt: expected the article's URL as a web address starting with "
        f"http:// or https://, got {url!r}"
    )


def test_header_with_no_body_is_refused() -> None:
    error = problem_of(HEADER.encode() + b"\n  \n")
    assert str(error) == (
        "troops.txt: the headline, date and URL are not followed by any article text "
        "(the body starts on line 4)"
    )


def test_invalid_json_names_the_line_and_column() -> None:
    error = problem_of(b'{\n  "title": "T",\n  "text": "Body."\n  "url": null\n}', "troops.json")
    assert error.line == 4
    assert str(error) == "line 4 of troops.json: not valid JSON: Expecting ',' delimiter at column 3"


def test_invalid_json_line_names_its_line() -> None:
    error = problem_of(b'{"text": "One."}\n{"text": "Two."\n', "batch.jsonl")
    assert str(error).startswith("line 2 of batch.jsonl: not valid JSON:")


def test_json_record_without_text_names_the_record_and_the_fields_found() -> None:
    error = problem_of(b'{"text": "One."}\n{"title": "Two", "body": "Two."}\n', "batch.jsonl")
    assert str(error) == (
        'line 2 of batch.jsonl: this record has no "text" field (the article body); fields found: body, title'
    )


def test_json_record_with_a_wrong_type_names_the_field_and_what_it_got() -> None:
    error = problem_of(b'{"title": "T", "text": 42}', "troops.json")
    assert str(error) == 'troops.json: "text" of the article must be a string, got a number (42)'
    error = problem_of(b'[{"text": "One."}, {"text": "Two.", "date": 20211129}]', "list.json")
    assert str(error) == 'list.json: "date" of record 2 of the list must be a string, got a number (20211129)'


def test_json_record_with_a_bad_date_or_url_names_the_field() -> None:
    error = problem_of(b'{"text": "One.", "date": "29/11/2021"}', "a.json")
    assert str(error) == (
        "a.json: \"date\" of the article: '29/11/2021' could be day/month or month/day: write the date "
        "year first (2021-MM-DD) or with the month's name, like 29 November 2021"
    )
    error = problem_of(b'{"text": "One.", "url": "ftp://example.org"}', "a.json")
    assert 'a.json: expected "url" as a web address starting with http:// or https://' in str(error)


def test_export_of_this_tool_points_to_claims_load() -> None:
    export = {"schema_version": 1, "exported_at": "2024-01-01T00:00:00Z", "articles": [], "claims": []}
    error = problem_of(json.dumps(export).encode(), "export.json")
    assert str(error) == (
        "export.json: this is an export of claims from this tool; "
        "load it with `claims load export.json` instead"
    )


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: its size is known without writing 20 MB
    with pytest.raises(ArticleFormatError) as caught:
        read_article_file(path)
    assert str(caught.value) == (
        "huge.txt: the file is 20.0 MB (20,971,521 bytes), over the limit of 20 MB (20,971,520 bytes) "
        "per file; split it into smaller files"
    )
    assert "over the limit of 20 MB" in str(problem_of(b"x" * (MAX_FILE_BYTES + 1), "upload.txt"))


# -- importing files and folders


def test_folder_import_stores_good_files_and_reports_bad_ones(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    (folder / "a_troops.txt").write_text(HEADER + BODY, encoding="utf-8")
    (folder / "b_bad_date.txt").write_text("Headline\n29 Nov\nhttps://example.org/a\nBody.", encoding="utf-8")
    (folder / "nested" / "c_batch.jsonl").write_text('{"text": "One."}\n{"text": "Two."}\n', encoding="utf-8")
    (folder / "d_half_bad.jsonl").write_text('{"text": "Three."}\n{"title": "no text"}\n', encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    (folder / ".hidden.txt").write_text("Hidden body.", encoding="utf-8")
    repo = MemoryRepository()

    results = import_paths(repo, [folder], by="ana")

    assert [(r.source, r.status) for r in results] == [
        ("inbox/a_troops.txt", "imported"),
        ("inbox/b_bad_date.txt", "failed"),
        ("inbox/d_half_bad.jsonl", "failed"),
        ("inbox/nested/c_batch.jsonl", "imported"),
        ("inbox/nested/c_batch.jsonl", "imported"),
    ]
    assert results[1].message.startswith("line 2 of inbox/b_bad_date.txt: '29 Nov' has no year")
    assert results[2].message.startswith('line 2 of inbox/d_half_bad.jsonl: this record has no "text" field')
    stored = sorted(repo.get_article(summary.id).text for summary in repo.list_articles())
    assert stored == sorted([BODY, "One.", "Two."])  # nothing from the failed files, not even "Three."


def test_importing_files_and_a_missing_path_keeps_going(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    repo = MemoryRepository()
    results = import_paths(repo, [tmp_path / "missing.txt", good, good])
    assert [r.status for r in results] == ["failed", "imported", "already_present"]
    assert results[0].message.startswith("missing.txt: cannot read the file")


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    [result] = import_paths(MemoryRepository(), [tmp_path])
    assert result.status == "failed"
    assert "no .txt, .json, .jsonl files in this folder" in result.message


def test_upload_that_fails_stores_nothing() -> None:
    repo = MemoryRepository()
    [result] = import_bytes(repo, b'{"text": "One."}\n{"text": 5}\n', "upload.jsonl", by="ana")
    assert (result.status, result.source) == ("failed", "upload.jsonl")
    assert result.message.startswith('line 2 of upload.jsonl: "text" of this record must be a string')
    assert repo.list_articles() == []


@given(st.text(min_size=1).filter(lambda text: text.strip() != ""))
def test_make_article_sentences_rebuild_its_text(body: str) -> None:
    article = make_article(body)
    assert article.sentence_count == len(article.sentences)
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
    assert "\r" not in article.text and article.text == article.text.rstrip()
