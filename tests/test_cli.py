"""`python -m claims`: the commands scripts rely on, their JSON shapes, and their failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from claims.cli import cli
from claims.errors import StoreError
from claims.formats.export import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "harbour_exercise.txt"
SEED = ROOT.parent / "shared" / "seed" / "000_8886c494cf3526de.txt"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "claims.json"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def imported_id(db: Path, path: Path = SAMPLE) -> str:
    result = run("import", path, "--db", db)
    assert result.exit_code == 0, result.output
    return result.output.split()[1]


def store_files(db: Path) -> dict[str, bytes]:
    return {
        str(p): p.read_bytes() for p in sorted(db.parent.rglob("*")) if p.is_file() and p.suffix == ".json"
    }


@pytest.mark.parametrize("path", [SAMPLE, SEED], ids=["sample", "seed"])
def test_split_prints_sentences_whose_offsets_rebuild_the_text(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is absent)")
    result = run("split", path)
    assert result.exit_code == 0, result.output
    shaped = json.loads(result.output)
    assert set(shaped) == {"title", "date", "url", "text", "sentences"}
    assert shaped["title"] and shaped["date"] and shaped["url"].startswith("https://")
    assert len(shaped["sentences"]) >= 7
    for sentence in shaped["sentences"]:
        assert set(sentence) == {"index", "paragraph", "start", "end", "text"}
        assert shaped["text"][sentence["start"] : sentence["end"]] == sentence["text"]


def test_import_prints_a_line_per_file_and_says_when_an_article_is_already_present(db: Path) -> None:
    first = run("import", SAMPLE, "--db", db)
    again = run("import", SAMPLE, "--db", db)
    assert first.exit_code == again.exit_code == 0
    assert first.output.startswith("imported") and "harbour_exercise.txt" in first.output
    assert again.output.startswith("already present")
    assert json.loads(run("stats", "--db", db).output)["articles"] == 1


def test_import_of_a_folder_stores_the_good_files_and_exits_1_for_the_bad(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.txt").write_text("Plain text with 3 sentences. Two. Three.", encoding="utf-8")
    (folder / "b.txt").write_bytes(b"")
    (folder / "c.json").write_text('{"title": "C", "text": "Body of C said 40% fell."}', encoding="utf-8")
    result = run("import", folder, "--db", db)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 3
    assert sum(line.startswith("imported") for line in lines) == 2
    assert any(line.startswith("failed") and "b.txt" in line and "empty" in line for line in lines)
    assert json.loads(run("stats", "--db", db).output)["articles"] == 2


def test_add_prints_the_claim_and_stats_count_it(db: Path) -> None:
    article_id = imported_id(db)
    text = json.loads(run("split", SAMPLE).output)["text"]
    start = text.index("as many as 12,000 sailors")
    result = run(
        "add", "--article", article_id, "--start", start, "--end", start + 25, "--type", "statistic",
        "--claimant", "Navy", "--source", "Reuters", "--source-url", "https://www.reuters.com/x",
        "--status", "in_progress", "--by", "ana", "--db", db,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    claim = json.loads(result.output)
    assert claim["quote"] == "as many as 12,000 sailors"
    assert claim["source"] == {"name": "Reuters", "url": "https://www.reuters.com/x"}
    assert (claim["created_by"], claim["version"]) == ("ana", 1)
    stats = json.loads(run("stats", "--db", db).output)
    assert stats["claims"] == 1
    assert stats["by_status"]["in_progress"] == 1 and stats["by_type"]["statistic"] == 1
    assert stats["by_verdict"]["unrated"] == 1 and stats["sentences"] == 7


def test_update_with_a_stale_version_fails_with_one_line_naming_the_editor(db: Path) -> None:
    article_id = imported_id(db)
    claim = json.loads(
        run("add", "--article", article_id, "--start", 0, "--end", 8, "--by", "ana", "--db", db).output
    )
    ok = run("update", claim["id"], "--article", article_id, "--expected-version", 1, "--verdict", "false",
             "--by", "ben", "--db", db)  # fmt: skip
    assert ok.exit_code == 0 and json.loads(ok.output)["version"] == 2
    stale = run("update", claim["id"], "--article", article_id, "--expected-version", 1,
                "--status", "approved", "--by", "cleo", "--db", db)  # fmt: skip
    assert stale.exit_code == 1
    assert "changed by ben" in stale.stderr and "your version 1, now 2" in stale.stderr
    assert len(stale.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "5", "--end", "99999"], "end=99999: outside the article"),
        (["--start", "5", "--end", "2"], "end=2: must be greater than start"),
        (["--start", "0", "--end", "3", "--quote", "Nope"], "quote='Nope': does not match"),
        (
            ["--start", "0", "--end", "3", "--source-url", "not a url", "--source", "X"],
            "source_url='not a url'",
        ),
    ],
)
def test_add_refuses_a_bad_claim_with_one_line_and_stores_nothing(
    db: Path, args: list[str], message: str
) -> None:
    article_id = imported_id(db)
    before = store_files(db)
    result = run("add", "--article", article_id, *args, "--db", db)
    assert result.exit_code != 0
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert store_files(db) == before


def test_add_to_an_unknown_article_says_so(db: Path) -> None:
    imported_id(db)
    result = run("add", "--article", "nope", "--start", 0, "--end", 3, "--db", db)
    assert result.exit_code == 1 and "no article with id 'nope'" in result.stderr


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_export_writes_each_format_to_stdout_or_a_file(db: Path, tmp_path: Path, fmt: str) -> None:
    article_id = imported_id(db)
    run("add", "--article", article_id, "--start", 4, "--end", 8, "--db", db)
    to_stdout = run("export", "--format", fmt, "--db", db)
    out = tmp_path / f"export.{fmt}"
    to_file = run("export", "--format", fmt, "-o", out, "--db", db)
    assert to_stdout.exit_code == to_file.exit_code == 0
    assert out.read_bytes() != b""
    if fmt == "json":
        assert json.loads(out.read_text())["claims"][0]["quote"] == "navy"


def test_load_merges_an_export_and_reports_what_it_did(db: Path, tmp_path: Path) -> None:
    article_id = imported_id(db)
    run("add", "--article", article_id, "--start", 0, "--end", 4, "--db", db)
    export = tmp_path / "export.json"
    run("export", "-o", export, "--db", db)
    fresh = tmp_path / "fresh" / "claims.json"
    first = json.loads(run("load", export, "--db", fresh).output)
    second = json.loads(run("load", export, "--db", fresh).output)
    assert first == {"articles": {"added": 1, "updated": 0, "skipped": 0},
                     "claims": {"added": 1, "updated": 0, "skipped": 0},
                     "decisions": {"added": 0, "updated": 0, "skipped": 0},
                     "deletions": {"added": 0, "updated": 0, "skipped": 0},
                     "factchecks": {"added": 0, "updated": 0, "unchanged": 0},
                     "unanchored": []}  # fmt: skip
    assert second["claims"] == {"added": 0, "updated": 0, "skipped": 1}


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


BAD_ARTICLES = {
    "empty.txt": (b"", "empty.txt: the file is empty"),
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.txt"),
    "latin1.txt": (b"Title\n20211129\nhttps://a.example/x\nCaf\xe9 au lait.", "line 4 of latin1.txt"),
    "nodate.txt": (b"Title\n\nhttps://a.example/x\nBody.", "line 2 of nodate.txt"),
    "baddate.txt": (b"Title\n31 Nov 2021\nhttps://a.example/x\nBody.", "line 2 of baddate.txt"),
    "badurl.txt": (b"Title\n20211129\nhttps//a.example x\nBody.", "line 3 of badurl.txt"),
}


@pytest.mark.parametrize("name", sorted(BAD_ARTICLES))
def test_import_of_a_bad_file_prints_its_own_message_and_leaves_the_store_unchanged(
    db: Path, tmp_path: Path, name: str
) -> None:
    imported_id(db)
    before = store_files(db)
    data, message = BAD_ARTICLES[name]
    result = run("import", _write(tmp_path, name, data), "--db", db)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert store_files(db) == before


def test_each_bad_file_gets_a_different_message(db: Path, tmp_path: Path) -> None:
    messages = {
        run("import", _write(tmp_path, "x.txt", data), "--db", db).output.split(":", 1)[-1]
        for data, _ in BAD_ARTICLES.values()
    }
    assert len(messages) == len(BAD_ARTICLES)


def test_a_50_mb_file_is_refused_without_reading_it_into_the_store(db: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run("import", big, "--db", db)
    assert result.exit_code == 1
    assert "big.txt" in result.output and "MB" in result.output


def test_load_of_an_export_from_a_newer_schema_fails_and_changes_nothing(db: Path, tmp_path: Path) -> None:
    imported_id(db)
    before = store_files(db)
    newer = {"schema_version": SCHEMA_VERSION + 1, "exported_at": "2030-01-01T00:00:00Z", "articles": [],
             "claims": []}  # fmt: skip
    future = _write(tmp_path, "future.json", json.dumps(newer).encode())
    result = run("load", future, "--db", db)
    assert result.exit_code == 1
    assert "future.json: written by a newer version" in result.stderr
    assert store_files(db) == before


def test_the_installed_command_runs_as_a_real_process(db: Path) -> None:
    env = {**os.environ, "CLAIMS_DB": str(db)}
    imported = subprocess.run(
        [sys.executable, "-m", "claims", "import", str(SAMPLE)], capture_output=True, text=True, env=env
    )
    assert imported.returncode == 0, imported.stderr
    broken = subprocess.run(
        [sys.executable, "-m", "claims", "add", "--article", "x", "--start", "0", "--end", "1"],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert broken.returncode == 1
    assert broken.stderr.strip() == "Error: no article with id 'x' in this store"
    stats = subprocess.run([sys.executable, "-m", "claims", "stats"], capture_output=True, text=True, env=env)
    assert json.loads(stats.stdout)["articles"] == 1


def test_suggest_min_score_zero_prints_every_candidate_with_exact_offsets() -> None:
    result = run("suggest", SAMPLE, "--min-score", 0)
    assert result.exit_code == 0, result.output
    shaped = json.loads(result.output)
    assert set(shaped) == {"sentences", "suggestions"}
    text = json.loads(run("split", SAMPLE).output)["text"]
    keys = {"number", "start", "end", "quote", "claim_type", "claimant", "source", "cue", "score", "reason",
            "sentence_index", "in_words"}  # fmt: skip
    positions = [(s["start"], s["end"]) for s in shaped["suggestions"]]
    assert positions == sorted(positions)
    assert [s["number"] for s in shaped["suggestions"]] == list(range(1, len(positions) + 1))
    for suggestion in shaped["suggestions"]:
        assert set(suggestion) == keys
        assert text[suggestion["start"] : suggestion["end"]] == suggestion["quote"]
    assert any(s["quote"] == "as many as 12,000 sailors" for s in shaped["suggestions"])


def test_suggest_by_default_prints_the_best_claims_on_a_third_of_the_sentences() -> None:
    shaped = json.loads(run("suggest", SAMPLE).output)
    every = json.loads(run("suggest", SAMPLE, "--min-score", 0).output)["suggestions"]
    shown = shaped["suggestions"]
    sentences = {s["sentence_index"] for s in shown}
    assert shown and len(sentences) <= round(len(shaped["sentences"]) / 3)
    assert all(s["score"] >= 0.5 for s in shown)
    # Numbered as in the list of every candidate, so `claims suggestions accept` takes them.
    by_number = {s["number"]: s for s in every}
    assert all(by_number[s["number"]] == {**s} for s in shown)
    best = max(s["score"] for s in every)
    assert any(s["score"] == best for s in shown)
    assert {s["in_words"] for s in shown} <= {"likely worth checking", "possibly worth checking"}


def test_suggest_min_score_filters_and_works_on_a_stored_article(db: Path) -> None:
    article_id = imported_id(db)
    every = json.loads(run("suggest", "--article", article_id, "--min-score", 0, "--db", db).output)[
        "suggestions"
    ]
    worth = json.loads(run("suggest", "--article", article_id, "--min-score", 0.9, "--db", db).output)[
        "suggestions"
    ]
    assert worth and len(worth) < len(every)
    assert all(s["score"] >= 0.9 for s in worth)


def test_suggest_all_prints_every_claim_worth_checking_once() -> None:
    default = json.loads(run("suggest", SAMPLE).output)["suggestions"]
    every_claim = json.loads(run("suggest", SAMPLE, "--all").output)["suggestions"]
    assert len(every_claim) > len(default)
    assert all(s in every_claim for s in default)
    assert all(s["score"] >= 0.5 for s in every_claim)
    for first, second in zip(every_claim, every_claim[1:], strict=False):  # one per claim: no duplicates
        assert (first["start"], first["end"]) != (second["start"], second["end"])


def test_suggest_takes_all_or_a_minimum_score_not_both() -> None:
    result = run("suggest", SAMPLE, "--all", "--min-score", 0)
    assert result.exit_code == 2 and "give --all or --min-score, not both" in result.stderr


@pytest.mark.parametrize("args", [[], [str(SAMPLE), "--article", "x"]])
def test_suggest_needs_a_file_or_an_article_but_not_both(args: list[str]) -> None:
    result = run("suggest", *args)
    assert result.exit_code == 2 and "either FILE or --article ID" in result.stderr


SERVER_URL = "postgresql://ana@db.desk.example:5433/claims?sslmode=require"


@pytest.fixture
def unreachable_server(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The PostgreSQL backend replaced by one that records the URL it is given and then fails the way a
    server that does not answer does; returns the URLs given."""
    given: list[str] = []

    class Unreachable:
        def __init__(self, url: str) -> None:
            given.append(url)
            raise StoreError(f"cannot open the PostgreSQL database at {url}: no server answered")

    backend = types.ModuleType("claims.store.postgres")
    backend.PostgresRepository = Unreachable  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "claims.store.postgres", backend)
    return given


@pytest.mark.parametrize(
    "command",
    [["stats"], ["list"], ["export"], ["import", str(SAMPLE)], ["check"], ["backup", "backups/"]],
    ids=["stats", "list", "export", "import", "check", "backup"],
)
def test_a_server_url_given_with_db_reaches_the_store_unchanged(
    command: list[str], unreachable_server: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*command, "--db", SERVER_URL)
    assert unreachable_server == [SERVER_URL]
    assert result.exit_code == 1
    assert f"at {SERVER_URL}: no server answered" in (result.stderr + result.stdout)
    assert not (tmp_path / "postgresql:").exists()  # never taken for a file path


def test_a_server_url_in_claims_db_reaches_the_store_unchanged(
    unreachable_server: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CLAIMS_DB", SERVER_URL)
    result = run("stats")
    assert unreachable_server == [SERVER_URL]
    assert result.exit_code == 1 and SERVER_URL in result.stderr


def test_a_relative_db_path_names_a_store_under_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("import", SAMPLE, "--db", "desk/claims.json").exit_code == 0
    assert (tmp_path / "desk" / "claims.json").is_file()
    assert json.loads(run("stats", "--db", "desk/claims.json").output)["articles"] == 1


def test_an_unanswering_postgresql_server_is_named_in_one_line() -> None:
    pytest.importorskip("psycopg", reason="the PostgreSQL backend is not installed")
    # Port 9 (discard) on this machine: nothing answers a PostgreSQL client there.
    result = run("stats", "--db", "postgresql://nobody@127.0.0.1:9/desk_claims")
    assert result.exit_code == 1
    assert "desk_claims" in result.stderr and "127.0.0.1:9" in result.stderr
    assert "Traceback" not in result.output
