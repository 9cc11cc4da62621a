"""`claims load` reads an export as this tool writes it in batches, and gets exactly what reading it whole
gets: the same records, or the same message, whatever the file holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import claims.formats.loading
from claims.annotations import new_claim
from claims.errors import ExportFormatError
from claims.formats.articles import make_article
from claims.formats.export import export_bytes
from claims.formats.loading import LoadableExport, read_export_file, read_loadable_file
from claims.models import ClaimDraft
from claims.store.memory import MemoryRepository
from claims.suggest.engine import suggest_claims
from claims.suggest.review import reject_suggestions

BODIES = [
    "The navy said as many as 12,000 sailors took part. Officials said costs rose by 40 percent.",
    "Le maire a dit que «\u00a0tout\u00a0» était prêt. The council spent 4 million euros on 3 piers.",
    "Kowalski added that 1,200 jobs were lost. Nobody denied it. Prices fell by a third since 2019.",
]


def filled_export() -> bytes:
    """A store's JSON export: three articles, seven claims, a decision and a deletion."""
    repo = MemoryRepository()
    for number, body in enumerate(BODIES):
        article = make_article(body, title=f"Article {number}", url=f"https://news.example/{number}")
        repo.add_article(article)
        for sentence in article.sentences:
            draft = ClaimDraft(article_id=article.id, start=sentence.start, end=sentence.end, notes="n")
            repo.add_claim(new_claim(article, draft, by="ana"))
        if number == 0:
            reject_suggestions(repo, article, suggest_claims(article.text)[:1], by="ana")
            claim = repo.list_claims(article.id)[0]
            repo.delete_claim(article.id, claim.id, by="ben")
    return export_bytes(repo, "json")


EXPORT = filled_export()


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two records a batch, so that these small files are read in several batches too."""
    monkeypatch.setattr(claims.formats.loading, "_BATCH", 2)


def outcome(read: object, path: Path) -> tuple[str, object]:
    """("records", what a store would take, every field and which fields were given) or ("error", message)."""
    try:
        export = read(path)  # type: ignore[operator]
    except ExportFormatError as error:
        return ("error", str(error))
    assert isinstance(export, LoadableExport)
    return (
        "records",
        [
            [(model.model_dump(mode="json"), sorted(model.model_fields_set)) for model in models]
            for models in (export.articles, export.claims, export.decisions, export.deletions)
        ]
        + [[sorted(s.model_fields_set) for a in export.articles for s in a.sentences]],
    )


def whole(path: Path) -> LoadableExport:
    return LoadableExport.of(read_export_file(path))


def test_an_export_read_in_batches_holds_exactly_the_records_of_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(EXPORT)
    batched = outcome(read_loadable_file, path)
    assert batched == outcome(whole, path)
    assert batched[0] == "records"
    written = json.loads(EXPORT)
    counts = [len(written[key]) for key in ("articles", "claims", "decisions", "deletions")]
    assert [len(part) for part in batched[1]][:4] == counts == [3, len(written["claims"]), 1, 1]  # type: ignore[index]


def test_a_batch_of_records_is_only_read_once_the_file_is_known_to_be_an_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[int] = []
    batches = claims.formats.loading._batches

    def counted(*args: object) -> object:
        read.append(1)
        return batches(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(claims.formats.loading, "_batches", counted)
    path = tmp_path / "export.json"
    path.write_bytes(EXPORT)
    read_loadable_file(path)
    assert read == [1, 1]  # articles, claims: the file was read in batches
    path.write_bytes(json.dumps(json.loads(EXPORT)).encode())  # compact: read whole
    read.clear()
    read_loadable_file(path)
    assert read == []


def reshaped(data: bytes) -> dict[str, bytes]:
    """The export written other ways: every one must read as the same records."""
    value = json.loads(data)
    nested = dict(value, extra={"claims": value["claims"]})  # a deeper "claims" list, indented alike
    return {
        "compact": json.dumps(value).encode(),
        "indent 4": json.dumps(value, indent=4, ensure_ascii=False).encode(),
        "byte order mark": b"\xef\xbb\xbf" + data,
        "crlf": data.replace(b"\n", b"\r\n"),
        "no articles": json.dumps(dict(value, articles=[]), indent=2).encode(),
        "no claims": json.dumps(dict(value, claims=[]), indent=2).encode(),
        "a nested claims list": json.dumps(nested, indent=2)
        .encode()
        .replace(b'\n    "claims"', b'\n  "claims"'),
        "claims twice": data.replace(b'\n  "decisions"', b'\n  "claims": [],\n  "decisions"'),
        "articles after claims": json.dumps(
            {key: value[key] for key in ("schema_version", "exported_at", "claims", "articles")}, indent=2
        ).encode(),
    }


@pytest.mark.parametrize("name", list(reshaped(EXPORT)))
def test_an_export_written_another_way_reads_as_it_does_whole(name: str, tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(reshaped(EXPORT)[name])
    assert outcome(read_loadable_file, path) == outcome(whole, path)


# Bytes that change what JSON means: brackets, quotes, escapes, separators, line breaks, bad UTF-8.
MEANINGFUL = [
    b"{",
    b"}",
    b"[",
    b"]",
    b",",
    b":",
    b'"',
    b"\\",
    b"\n",
    b" ",
    b"0",
    b"-",
    b"x",
    b"\xff",
    b"\\ud800",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(EXPORT) - 1), st.integers(0, 3), st.sampled_from(MEANINGFUL)),
        min_size=1,
        max_size=3,
    )
)
def test_a_damaged_export_gives_the_records_or_the_message_of_reading_it_whole(
    edits: list[tuple[int, int, bytes]], tmp_path: Path
) -> None:
    data = EXPORT
    for at, removed, inserted in edits:
        data = data[:at] + inserted + data[at + removed :]
    path = tmp_path / "export.json"
    path.write_bytes(data)
    assert outcome(read_loadable_file, path) == outcome(whole, path)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.data())
def test_an_export_with_lines_dropped_or_repeated_reads_as_it_does_whole(
    lines: st.DataObject, tmp_path: Path
) -> None:
    text = EXPORT.split(b"\n")
    first = lines.draw(st.integers(0, len(text) - 1))
    last = lines.draw(st.integers(first, min(len(text), first + 40)))
    repeat = lines.draw(st.booleans())
    changed = text[:last] + text[first:] if repeat else text[:first] + text[last:]
    path = tmp_path / "export.json"
    path.write_bytes(b"\n".join(changed))
    assert outcome(read_loadable_file, path) == outcome(whole, path)


def test_an_oversized_file_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(claims.formats.loading, "MAX_EXPORT_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_bytes(EXPORT)
    with pytest.raises(ExportFormatError, match="big.json: the file is .* over the limit of 0 MB"):
        read_loadable_file(path)


def test_an_empty_file_gets_the_message_of_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    assert outcome(read_loadable_file, path) == ("error", "empty.json: the file is empty")
