"""Hostile and broken input: every reader ends in an article, a document or one ClaimsError naming the
file; a batch goes on past a bad file; no printed name can forge a line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.annotations import new_claim, parse_draft
from claims.cli import cli
from claims.errors import ArticleFormatError, ClaimsError, ExportFormatError, printable
from claims.formats.articles import make_article, read_article_file, read_articles
from claims.formats.export import export_bytes
from claims.formats.importing import import_bytes, import_paths
from claims.formats.json_input import UnreadableJson, parse_json
from claims.formats.loading import read_export
from claims.store import open_repository
from claims.store.memory import MemoryRepository

DEEP_LISTS = "[" * 5000
DEEP_OBJECTS = '{"a":' * 5000
DEEP_CLOSED = "[" * 5000 + "]" * 5000
LONE_IN_TEXT = '{"title": "T", "text": "Troops \\ud800 gathered."}'
LONE_IN_TITLE = '{"title": "T \\udfff", "text": "Troops gathered."}'
LONE_IN_KEY = '{"text": "Troops gathered.", "\\ud800": 1}'
HUGE_NUMBER = '{"text": "Troops gathered.", "views": ' + "9" * 5000 + "}"

HOSTILE_ARTICLES = {
    "deep lists": DEEP_LISTS,
    "deep objects": DEEP_OBJECTS,
    "deep but closed": DEEP_CLOSED,
    "deep objects, closed": '{"a":' * 5000 + "1" + "}" * 5000,
    "lone surrogate in text": LONE_IN_TEXT,
    "lone surrogate in title": LONE_IN_TITLE,
    "lone surrogate in a field name": LONE_IN_KEY,
    "a 5,000-digit number": HUGE_NUMBER,
}
# Which of them a .txt name still reads as JSON: those starting with "{" (a "[" is plain text's right).
TEXT_READ_AS_JSON = {name for name, content in HOSTILE_ARTICLES.items() if content.startswith("{")}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def refusal(data: bytes, source: str) -> ArticleFormatError:
    with pytest.raises(ArticleFormatError) as caught:
        read_articles(data, source)
    return caught.value


def names_the_file(message: str, source: str) -> bool:
    return message.startswith((f"{source}: ", f"line 1 of {source}: "))


# -- hostile JSON: one typed error naming the file


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".txt"])
@pytest.mark.parametrize("name", sorted(HOSTILE_ARTICLES))
def test_hostile_json_is_refused_with_one_message_naming_the_file(name: str, suffix: str) -> None:
    source = f"hostile{suffix}"
    data = HOSTILE_ARTICLES[name].encode()
    if suffix == ".txt" and name not in TEXT_READ_AS_JSON:
        [article] = read_articles(data, source)  # brackets in a .txt are a (strange) plain-text article
        assert article.text == HOSTILE_ARTICLES[name]
        return
    error = refusal(data, source)
    assert names_the_file(str(error), source), str(error)
    assert "\n" not in str(error) and "unexpected" not in str(error)


def test_deep_nesting_says_it_is_nested_too_deeply() -> None:
    assert "nested too deeply" in str(refusal(DEEP_OBJECTS.encode(), "a.txt"))


def test_a_lone_surrogate_is_named_with_its_line_and_column() -> None:
    assert str(refusal(("{}\n" + LONE_IN_TITLE).encode(), "a.jsonl")) == (
        "line 2 of a.jsonl: the JSON escape \\udfff at column 14 is half of a UTF-16 surrogate pair with no "
        "other half, which is not a character; remove it or complete the pair"
    )


# Pieces of a JSON string: escapes of both halves, escaped backslashes that make the next "u" text.
STRING_PIECES = st.sampled_from(
    ["\\ud83d", "\\ude00", "\\uD800", "\\uDFFF", "\\\\", "\\n", "u", "d800", "a", "\\u00e9", "\\"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(STRING_PIECES, max_size=8))
def test_parse_json_refuses_exactly_the_strings_that_would_hold_a_lone_surrogate(pieces: list[str]) -> None:
    text = '["' + "".join(pieces) + '"]'
    try:
        decoded = json.loads(text)
    except json.JSONDecodeError:
        return  # a dangling backslash: not JSON at all
    holds_lone = any(0xD800 <= ord(char) <= 0xDFFF for char in decoded[0])
    try:
        assert parse_json(text) == decoded and not holds_lone
    except UnreadableJson as error:
        assert holds_lone and "surrogate" in error.problem


def test_a_surrogate_pair_is_one_character_and_reads() -> None:
    [article] = read_articles(b'{"text": "Smile \\ud83d\\ude00 now."}', "a.json")
    assert article.text == "Smile \U0001f600 now."


def test_an_article_built_in_code_with_a_lone_surrogate_is_refused_before_hashing() -> None:
    with pytest.raises(ArticleFormatError, match="the title holds \\\\ud800"):
        make_article("Body.", title="T\ud800", source_file="pasted")


def test_json_lines_may_hold_line_separators_inside_strings() -> None:
    records = [{"text": "First\u2028line and\x85more."}, {"text": "Second."}]
    data = "\n".join(json.dumps(record, ensure_ascii=False) for record in records).encode()
    articles = read_articles(data, "batch.jsonl")
    assert [article.text for article in articles] == ["First\u2028line and\x85more.", "Second."]


# -- exports loaded back


def sample_export(fmt: str) -> str:
    repo = MemoryRepository()
    article = make_article("Troops gathered near the border, officials said. Nobody denied it.", title="T")
    repo.add_article(article)
    quote = "Troops gathered"
    draft = parse_draft({"article_id": article.id, "start": 0, "end": len(quote), "claimant": "officials"})
    repo.add_claim(new_claim(article, draft, by="ana"))
    return export_bytes(repo, "json" if fmt == "json" else "jsonl").decode()


EXPORTS = {fmt: sample_export(fmt) for fmt in ("json", "jsonl")}


def with_lone_surrogate_id(export: str) -> str:
    """The export with its article's id (and the claim's article_id) a lone surrogate escape."""
    article_id = json.loads(export)["articles"][0]["id"]
    return export.replace(f'"{article_id}"', '"\\ud800"')


HOSTILE_EXPORTS = {
    **HOSTILE_ARTICLES,
    "deep claims": '{"schema_version": 1, "claims": ' + DEEP_LISTS,
    "deep evidence": '{"schema_version": 1, "exported_at": "2024-01-01T00:00:00Z", "articles": [], '
    '"claims": [{"evidence": ' + "[" * 900 + "]" * 900 + "}]}",
    "lone surrogate in an article id": with_lone_surrogate_id(EXPORTS["json"]),
    "claim lines, the second deep": '{"id": "a"}\n' + DEEP_OBJECTS,
}


@pytest.mark.parametrize("name", sorted(HOSTILE_EXPORTS))
def test_hostile_export_is_refused_with_one_message_naming_the_file(name: str) -> None:
    with pytest.raises(ExportFormatError) as caught:
        read_export(HOSTILE_EXPORTS[name].encode(), "export.json")
    assert "export.json" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("name", ["deep lists", "deep objects", "lone surrogate in an article id"])
def test_claims_load_of_hostile_json_fails_with_one_line(name: str, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(HOSTILE_EXPORTS[name], encoding="utf-8")
    result = run("load", path, "--db", tmp_path / "store" / "claims.json")
    assert result.exit_code == 1
    [line] = result.output.splitlines()
    assert line.startswith("Error: ") and "export.json" in line and "unexpected" not in line


# -- batches go on past a bad file


def write_batch(folder: Path, bad_index: int, bad: str) -> list[Path]:
    folder.mkdir()
    paths = []
    for index in range(10):
        path = folder / f"{index:02d}.json"
        content = bad if index == bad_index else json.dumps({"text": f"Article number {index} is here."})
        path.write_text(content, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("bad", [DEEP_OBJECTS, LONE_IN_TEXT, LONE_IN_TITLE, HUGE_NUMBER], ids=str.__len__)
def test_cli_batch_of_ten_with_the_fifth_bad_imports_nine_and_prints_one_failure(
    tmp_path: Path, bad: str
) -> None:
    paths = write_batch(tmp_path / "in", 4, bad)
    result = run("import", *paths, "--db", tmp_path / "store" / "claims.json")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 10
    assert [line.split()[0] for line in lines] == ["imported"] * 4 + ["failed"] + ["imported"] * 5
    assert "04.json: " in lines[4] and lines[4].startswith("failed")


def test_cli_batch_goes_on_past_a_missing_file(tmp_path: Path) -> None:
    [first, *_, last] = write_batch(tmp_path / "in", -1, "")
    result = run("import", first, tmp_path / "missing.txt", last, "--db", tmp_path / "store" / "claims.json")
    assert result.exit_code == 1
    assert [line.split()[0] for line in result.output.splitlines()] == ["imported", "failed", "imported"]
    assert "missing.txt: cannot read the file" in result.output


@pytest.mark.parametrize("bad", [DEEP_OBJECTS, LONE_IN_TEXT, LONE_IN_TITLE, HUGE_NUMBER], ids=str.__len__)
def test_upload_batch_with_the_fifth_bad_stores_nine_and_reports_one_failure(bad: str) -> None:
    repo = MemoryRepository()
    results = []
    for index in range(10):  # as the Articles page does: import_bytes for each uploaded file
        data = bad if index == 4 else json.dumps({"text": f"Article number {index} is here."})
        results.extend(import_bytes(repo, data.encode(), f"{index:02d}.json", by="ana"))
    assert [result.status for result in results] == ["imported"] * 4 + ["failed"] + ["imported"] * 5
    assert names_the_file(results[4].message, "04.json")
    assert len(repo.list_articles()) == 9


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    [result] = import_paths(MemoryRepository(), [pipe])
    assert result.message == "pipe.txt: this is not a regular file (a device, pipe or socket)"


def test_a_file_whose_name_is_not_utf8_is_imported_into_a_real_store(tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"caf\xe9.txt")  # a Latin-1 name: Python holds \xe9 as "\udce9"
    path.write_text("Troops gathered near the border.", encoding="utf-8")
    repo = open_repository(tmp_path / "store" / "claims.json")
    [result] = import_paths(repo, [path])
    assert (result.status, result.source) == ("imported", "caf\\udce9.txt")
    assert repo.get_article(result.article_id or "").source_file == "caf\ufffd.txt"


def test_a_path_with_a_nul_fails_with_a_message() -> None:
    [result] = import_paths(MemoryRepository(), [Path("a\x00b.txt")])
    assert result.message == "a\\x00b.txt: cannot read the file (embedded null byte)"


# -- no printed name can forge a line


FORGED = "evil\nimported         0000000000000000  forged.txt"


def test_a_file_name_with_a_newline_prints_as_one_escaped_line(tmp_path: Path) -> None:
    path = tmp_path / FORGED
    path.write_text("Troops gathered near the border.", encoding="utf-8")
    result = run("import", path, "--db", tmp_path / "store" / "claims.json")
    assert result.exit_code == 0
    [line] = result.output.splitlines()
    assert line.startswith("imported") and line.endswith(
        "evil\\nimported         0000000000000000  forged.txt"
    )


def test_a_bad_file_with_a_newline_in_its_name_fails_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / (FORGED + "\x1b[2K\r")
    path.write_text(DEEP_OBJECTS, encoding="utf-8")
    result = run("import", path, "--db", tmp_path / "store" / "claims.json")
    [line] = result.output.splitlines()
    assert line.startswith("failed") and "evil\\nimported" in line and "\\x1b[2K\\r" in line


def test_a_title_with_control_characters_prints_escaped(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"title": "T\nimported x\u202e", "text": "Body."}), encoding="utf-8")
    [line] = run("import", path, "--db", tmp_path / "store" / "claims.json").output.splitlines()
    assert line.endswith("t.json  T\\nimported x\\u202e")


def test_upload_results_name_the_file_printably() -> None:
    repo = MemoryRepository()
    [good] = import_bytes(repo, b"Troops gathered.", FORGED, by="ana")
    [bad] = import_bytes(repo, DEEP_OBJECTS.encode(), FORGED, by="ana")
    assert good.source == bad.source == printable(FORGED)
    assert "\n" not in bad.message and bad.message.startswith(printable(FORGED) + ": ")


@pytest.mark.parametrize("char", ["\n", "\r", "\x1b", "\x00", "\x85", "\u2028", "\u202e", "\ud800"])
def test_every_error_message_is_one_printable_line(char: str) -> None:
    error = ArticleFormatError(f"a{char}b.txt", f"problem{char}here")
    assert char not in str(error) and str(error).isprintable()


def test_the_installed_command_prints_a_forged_name_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / FORGED
    path.write_text(DEEP_LISTS, encoding="utf-8")  # a .txt of brackets: a plain-text article
    bad = tmp_path / "bad.json"
    bad.write_text(DEEP_OBJECTS, encoding="utf-8")
    process = subprocess.run(
        [sys.executable, "-m", "claims", "import", str(path), str(bad), "--db", str(tmp_path / "db.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.returncode == 1, process.stderr
    assert [line.split()[0] for line in process.stdout.splitlines()] == ["imported", "failed"]
    assert process.stderr == ""


# -- fuzzing: success or a ClaimsError, nothing else

SOURCES = st.sampled_from(["a.txt", "a.json", "a.jsonl", "upload", "A.JSON"])
# CLAIMS_FUZZ_EXAMPLES=5000 searches harder (a few minutes) than the default run does.
FUZZ = settings(
    max_examples=int(os.environ.get("CLAIMS_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def succeeds_or_refuses(read: Callable[[], object]) -> None:
    try:
        read()
    except ClaimsError as error:
        assert str(error) and "\n" not in str(error)


@FUZZ
@given(data=st.binary(max_size=400), source=SOURCES)
def test_reading_arbitrary_bytes_gives_articles_or_a_claims_error(data: bytes, source: str) -> None:
    succeeds_or_refuses(lambda: read_articles(data, source))


@FUZZ
@given(data=st.binary(max_size=400))
def test_loading_arbitrary_bytes_gives_a_document_or_a_claims_error(data: bytes) -> None:
    succeeds_or_refuses(lambda: read_export(data, "export.json"))


@FUZZ
@given(data=st.binary(max_size=400), source=SOURCES)
def test_uploading_arbitrary_bytes_gives_results_never_an_exception(data: bytes, source: str) -> None:
    results = import_bytes(MemoryRepository(), data, source, by="ana")
    assert results and all(result.status in ("imported", "already_present", "failed") for result in results)


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".json", ".jsonl"]))
def test_reading_arbitrary_files_gives_articles_or_a_claims_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"article{suffix}"
    path.write_bytes(data)
    succeeds_or_refuses(lambda: read_article_file(path))


# Near-valid documents: a valid one with one mutation.

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)
SURROGATE_ESCAPES = st.integers(0xD800, 0xDFFF).map(lambda code: f"\\u{code:04x}")


def valid_article_records() -> st.SearchStrategy[Any]:
    record = st.fixed_dictionaries(
        {"text": st.just("Troops gathered near the border, officials said. Nobody denied it.")},
        optional={
            "title": st.just("Troops gather"),
            "url": st.just("https://example.org/troops"),
            "date": st.sampled_from(["20211129", "2021-11-29", "Monday, November 29, 2021"]),
        },
    )
    return record | st.lists(record, min_size=1, max_size=3)


def mutated(text: str, draw: st.DrawFn, record: Any, targets: list[dict[str, Any]]) -> str:
    """`text` (the JSON of `record`) with one of: truncation, nesting, a surrogate escape inside a string,
    inserted text, or a field of one of `targets` (objects inside `record`) given a value of any type."""
    kind = draw(st.sampled_from(["truncate", "nest", "surrogate", "wrong type", "insert"]))
    if kind == "truncate":
        return text[: draw(st.integers(0, max(len(text) - 1, 0)))]
    if kind == "nest":
        depth = draw(st.integers(1, 3000))
        opener = draw(st.sampled_from(["[", '{"a": ']))
        closer = "]" if opener == "[" else "}"
        return opener * depth + text + closer * draw(st.sampled_from([0, depth]))
    if kind == "surrogate":
        quotes = [index for index, char in enumerate(text) if char == '"']
        at = draw(st.sampled_from(quotes)) + 1 if quotes else 0
        return text[:at] + draw(SURROGATE_ESCAPES) + text[at:]
    if kind == "insert":
        at = draw(st.integers(0, len(text)))
        return text[:at] + draw(st.text(max_size=5)) + text[at:]
    target = draw(st.sampled_from(targets))
    target[draw(st.sampled_from(sorted(target)))] = draw(JSON_VALUES)
    return json.dumps(record)


@st.composite
def near_valid_articles(draw: st.DrawFn) -> tuple[bytes, str]:
    record = draw(valid_article_records())
    source = draw(st.sampled_from(["a.json", "a.txt", "a.jsonl", "upload"]))
    if source == "a.jsonl":
        records = record if isinstance(record, list) else [record]
        text = "\n".join(json.dumps(item) for item in records)
    else:
        text = json.dumps(record)
    targets = record if isinstance(record, list) else [record]
    return mutated(text, draw, record, targets).encode("utf-8", "surrogatepass"), source


@FUZZ
@given(near_valid_articles())
def test_near_valid_article_files_give_articles_or_a_claims_error(case: tuple[bytes, str]) -> None:
    data, source = case
    succeeds_or_refuses(lambda: read_articles(data, source))
    results = import_bytes(MemoryRepository(), data, source, by="ana")
    assert results and all(result.status in ("imported", "already_present", "failed") for result in results)


@st.composite
def near_valid_exports(draw: st.DrawFn) -> bytes:
    fmt = draw(st.sampled_from(sorted(EXPORTS)))
    text = EXPORTS[fmt]
    if fmt == "jsonl":
        record = json.loads(text.splitlines()[0])
        targets = [record, record["sentences"][0]]
    else:
        record = json.loads(text)
        targets = [record, record["claims"][0], record["articles"][0], record["articles"][0]["sentences"][0]]
    return mutated(text, draw, record, targets).encode("utf-8", "surrogatepass")


@FUZZ
@given(near_valid_exports())
def test_near_valid_exports_give_a_document_or_a_claims_error(data: bytes) -> None:
    succeeds_or_refuses(lambda: read_export(data, "export.json"))
