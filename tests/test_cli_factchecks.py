"""`claims factchecks import|list|stats`, and known fact-checks and `checked_before` links carried by
export, load, migrate, backup and restore, and cited by ClaimReview."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from records_support import at_status

from claims.annotations import new_claim, parse_draft
from claims.backup import restore_backup, write_backup
from claims.cli import cli
from claims.formats.articles import make_article
from claims.formats.claimreview import check_claimreview, claim_reviews
from claims.formats.export import CSV_COLUMNS, export_bytes, export_records
from claims.formats.loading import merge_export, read_loadable_file
from claims.models import (
    ClaimStatus,
    FactCheckLink,
    FactCheckSource,
    KnownFactCheck,
    PublisherSettings,
)
from claims.store import open_repository
from claims.store.contract import Repository
from claims.store.memory import MemoryRepository

CHECKTHAT = Path(__file__).resolve().parents[2] / "shared" / "data" / "checkthat2020_claim_retrieval"
REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": "https://fullfact.example/crime",
    "claimReviewed": "Crime doubled in 2023",
    "author": {"@type": "Organization", "name": "Full Fact"},
    "reviewRating": {"alternateName": "False"},
    "datePublished": "2024-01-14",
}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "claims.json"


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    """Two good files and two bad ones (and a file of another kind, left alone)."""
    folder = tmp_path / "checks"
    folder.mkdir()
    (folder / "a_review.json").write_text(json.dumps(REVIEW))
    (folder / "b_table.csv").write_text(
        "id,claim,publisher,rating,date\nafp-1,Vaccines contain chips,AFP,False,2021-03-04\n"
        "afp-2,The bridge cost 4bn,AFP,Mostly true,\n"
    )
    (folder / "c_broken.json").write_text('{"@type": "ClaimReview",')
    (folder / "d_no_claim.csv").write_text("id,title\n1,Something\n")
    (folder / "notes.md").write_text("not a fact-check file")
    return folder


def test_importing_a_folder_prints_a_line_per_file_stores_the_good_ones_and_exits_1(
    db: Path, mixed_folder: Path
) -> None:
    result = run("factchecks", "import", mixed_folder, "--db", db)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "imported 1 (1 added, 0 updated, 0 unchanged)  checks/a_review.json",
        "imported 2 (2 added, 0 updated, 0 unchanged)  checks/b_table.csv",
        "failed    line 1 of checks/c_broken.json: not valid JSON: Expecting property name enclosed in "
        "double quotes at column 25",
        "failed    line 1 of checks/d_no_claim.csv: no 'claim' column (its header names 'id', 'title'); "
        "expected columns id, claim, title and optionally rating, url, publisher, date",
    ]
    stored = open_repository(str(db)).list_factchecks()
    assert [check.id for check in stored] == ["afp-1", "afp-2", "https://fullfact.example/crime"]
    assert {check.source_file for check in stored} == {"a_review.json", "b_table.csv"}


def test_importing_the_same_files_again_changes_nothing(db: Path, mixed_folder: Path) -> None:
    run("factchecks", "import", mixed_folder, "--db", db)
    revision = open_repository(str(db)).factcheck_revision()
    again = run(
        "factchecks", "import", mixed_folder / "a_review.json", mixed_folder / "b_table.csv", "--db", db
    )
    assert again.exit_code == 0
    assert again.output.splitlines() == [
        "imported 1 (0 added, 0 updated, 1 unchanged)  a_review.json",
        "imported 2 (0 added, 0 updated, 2 unchanged)  b_table.csv",
    ]
    assert open_repository(str(db)).factcheck_revision() == revision


def test_a_missing_file_fails_alone(db: Path, mixed_folder: Path) -> None:
    result = run(
        "factchecks", "import", db.parent / "nowhere.csv", mixed_folder / "a_review.json", "--db", db
    )
    assert result.exit_code == 1
    assert result.output.startswith(
        "failed    nowhere.csv: cannot read the file (No such file or directory)\n"
    )
    assert result.output.splitlines()[1].startswith("imported 1 ")


def test_list_prints_a_page_as_json_lines_and_the_count_on_stderr(db: Path, mixed_folder: Path) -> None:
    run("factchecks", "import", mixed_folder, "--db", db)
    result = run("factchecks", "list", "--publisher", "AFP", "--limit", "1", "--db", db)
    assert result.exit_code == 0
    [line] = result.stdout.splitlines()
    assert json.loads(line) == {
        "id": "afp-1", "claim": "Vaccines contain chips", "title": "", "rating": "False", "url": None,
        "publisher": "AFP", "date": "2021-03-04", "source_file": "b_table.csv",
    }  # fmt: skip
    assert result.stderr == "1 of 2 matching fact-checks\n"
    found = run("factchecks", "list", "--text", "CRIME", "--offset", "0", "--db", db)
    assert [json.loads(line)["id"] for line in found.stdout.splitlines()] == [
        "https://fullfact.example/crime"
    ]


def test_stats_counts_by_publisher_file_and_rating(db: Path, mixed_folder: Path) -> None:
    run("factchecks", "import", mixed_folder, "--db", db)
    result = run("factchecks", "stats", "--db", db)
    assert json.loads(result.stdout) == {
        "factchecks": 3,
        "by_publisher": {"AFP": 2, "Full Fact": 1},
        "by_source_file": {"a_review.json": 1, "b_table.csv": 2},
        "by_rating": {"False": 2, "Mostly true": 1},
    }


def test_the_commands_run_as_a_real_process(db: Path, mixed_folder: Path) -> None:
    env = os.environ | {"CLAIMS_DB": str(db)}
    imported = subprocess.run(
        [sys.executable, "-m", "claims", "factchecks", "import", str(mixed_folder / "b_table.csv")],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout == "imported 2 (2 added, 0 updated, 0 unchanged)  b_table.csv\n"
    stats = subprocess.run([sys.executable, "-m", "claims", "factchecks", "stats"],
                           capture_output=True, text=True, env=env, check=False)  # fmt: skip
    assert json.loads(stats.stdout)["factchecks"] == 2


@pytest.mark.skipif(not CHECKTHAT.exists(), reason="../shared/data is absent")
def test_the_checkthat_verified_claims_file_imports_whole(db: Path) -> None:
    path = CHECKTHAT / "verified_claims.docs.tsv"
    result = run("factchecks", "import", path, "--db", db)
    assert result.exit_code == 0, result.output
    # 10,375 rows (ids 0 to 10374; some claims span several lines inside quotes), as pandas also reads it.
    assert result.output == "imported 10375 (10375 added, 0 updated, 0 unchanged)  verified_claims.docs.tsv\n"
    stats = json.loads(run("factchecks", "stats", "--db", db).stdout)
    assert stats["by_source_file"] == {"verified_claims.docs.tsv": 10375}


# -- fact-checks and checked_before through export, load, migrate, backup, restore

LINK = FactCheckLink(
    factcheck_id="https://fullfact.example/crime",
    claim="Crime doubled in 2023",
    title="No, crime did not double",
    rating="False",
    url="https://fullfact.example/crime",
    publisher="Full Fact",
    date=dt.date(2024, 1, 14),
    linked_by="ana",
    linked_at=dt.datetime(2024, 3, 2, 10, 0, tzinfo=dt.UTC),
)
KNOWN = [
    KnownFactCheck(id="afp-1", claim="Vaccines contain chips", publisher="AFP", source_file="b.csv"),
    KnownFactCheck(id=LINK.factcheck_id, claim=LINK.claim, url=LINK.url, publisher="Full Fact"),
]


def linked_store(repo: Repository) -> Repository:
    """An article, an approved claim linked to two earlier fact-checks (one without a URL), and KNOWN."""
    article = make_article(
        "Crime doubled in 2023, the minister said. Police figures say otherwise.",
        title="Crime",
        url="https://news.example/crime",
        date=dt.date(2024, 3, 1),
    )
    repo.add_article(article)
    draft = parse_draft(
        {"article_id": article.id, "start": 0, "end": 21, "claimant": "The minister", "verdict": "false"}
    )
    unlinked = LINK.model_copy(update={"factcheck_id": "own-1", "url": None, "source": FactCheckSource.STORE})
    claim = new_claim(article, draft, by="ana").model_copy(
        update={"checked_before": [LINK, unlinked], "approved_by": "ben", "approved_at": LINK.linked_at}
    )
    repo.add_claim(at_status(claim, ClaimStatus.APPROVED))
    repo.add_factchecks(KNOWN)
    return repo


def test_an_export_carries_the_fact_checks_and_links_and_loads_into_an_empty_store(
    repo: Repository, tmp_path: Path
) -> None:
    source = linked_store(MemoryRepository())
    document = json.loads(export_bytes(source, "json"))
    assert document["schema_version"] == 4
    assert document["factchecks"] == [check.model_dump(mode="json") for check in KNOWN]
    assert document["claims"][0]["checked_before"][0]["factcheck_id"] == LINK.factcheck_id
    path = tmp_path / "export.json"
    path.write_bytes(export_bytes(source, "json"))

    report = merge_export(repo, read_loadable_file(path), path.name)
    assert report.factchecks.model_dump() == {"added": 2, "updated": 0, "unchanged": 0}
    assert repo.list_factchecks() == KNOWN
    [claim] = repo.list_claims()
    assert claim.checked_before == source.list_claims()[0].checked_before
    again = merge_export(repo, read_loadable_file(path), path.name)
    assert again.factchecks.model_dump() == {"added": 0, "updated": 0, "unchanged": 2}


def test_a_schema_3_export_still_loads_with_no_fact_checks(repo: Repository) -> None:
    fixture = Path(__file__).resolve().parent / "data" / "export_v3.json"
    report = merge_export(repo, read_loadable_file(fixture), fixture.name)
    assert (report.articles.added, report.claims.added, report.factchecks.added) == (1, 2, 0)
    assert all(claim.checked_before == [] for claim in repo.list_claims())
    assert repo.list_factchecks() == []


def test_migrate_copies_the_fact_checks_and_compares_them(tmp_path: Path) -> None:
    source = linked_store(open_repository(str(tmp_path / "source" / "claims.json")))
    result = run("migrate", source.location, tmp_path / "copy" / "claims.json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["equal"] is True and report["copy_fingerprint"]["factchecks"]["count"] == 2
    assert report["merge"]["factchecks"] == {"added": 2, "updated": 0, "unchanged": 0}
    assert open_repository(str(tmp_path / "copy" / "claims.json")).list_factchecks() == KNOWN


def test_a_backup_and_its_restore_carry_the_fact_checks(tmp_path: Path) -> None:
    source = linked_store(open_repository(str(tmp_path / "source" / "claims.json")))
    backup = write_backup(source, tmp_path / "backup.json")
    assert backup.counts["factchecks"] == 2
    restored = restore_backup(Path(backup.path), str(tmp_path / "restored" / "claims.json"))
    assert restored.merge.factchecks.added == 2
    assert open_repository(str(tmp_path / "restored" / "claims.json")).list_factchecks() == KNOWN


def test_csv_has_the_links_as_json_in_a_checked_before_column() -> None:
    records = export_records(linked_store(MemoryRepository()))
    data = export_bytes(linked_store(MemoryRepository()), "csv").decode()
    header = data.splitlines()[0].replace('"', "").split(",")
    assert header == list(CSV_COLUMNS) and "checked_before" in header
    [row] = list(csv.DictReader(io.StringIO(data)))
    assert json.loads(row["checked_before"]) == records.claims[0]["checked_before"]


def test_claimreview_cites_each_earlier_fact_check_that_has_a_url() -> None:
    records = export_records(linked_store(MemoryRepository()))
    desk = PublisherSettings(name="Harbour Desk", review_url="https://desk.example/checks/{id}")
    [review] = claim_reviews(records.claims, desk)
    assert review["citation"] == [
        {
            "@type": "ClaimReview",
            "url": "https://fullfact.example/crime",
            "name": "No, crime did not double",
            "datePublished": "2024-01-14",
            "reviewRating": {"@type": "Rating", "alternateName": "False"},
            "author": {"@type": "Organization", "name": "Full Fact"},
        }
    ]
    assert check_claimreview(review) == []


def test_link_and_unlink_record_an_earlier_fact_check_on_a_claim_from_the_command_line(db: Path) -> None:
    repo = open_repository(db)
    article = make_article("The mayor said crime doubled in 2023. Nobody denied it.", title="Crime")
    repo.add_article(article)
    quote = "crime doubled in 2023"
    start = article.text.index(quote)
    claim = new_claim(
        article, parse_draft({"article_id": article.id, "start": start, "end": start + 21}), "ana"
    )
    repo.add_claim(claim)
    review = json.dumps(REVIEW)
    (db.parent / "fullfact.json").write_text(review, encoding="utf-8")
    assert run("factchecks", "import", db.parent / "fullfact.json", "--db", db).exit_code == 0
    [check] = repo.list_factchecks()

    linked = run("factchecks", "link", claim.id, check.id, "--by", "ben", "--db", db)
    assert linked.exit_code == 0, linked.output
    [link] = json.loads(linked.output)["checked_before"]
    assert (link["factcheck_id"], link["rating"], link["publisher"], link["linked_by"]) == (
        check.id,
        "False",
        "Full Fact",
        "ben",
    )
    again = run("factchecks", "link", claim.id, check.id, "--by", "ben", "--db", db)
    assert len(json.loads(again.output)["checked_before"]) == 1  # linking twice changes nothing
    assert repo.get_claim(article.id, claim.id).version == 2

    missing = CliRunner().invoke(
        cli, ["factchecks", "link", claim.id, "nope", "--by", "ben", "--db", str(db)]
    )
    assert missing.exit_code == 1
    assert "no known fact-check with id 'nope'" in missing.output

    unlinked = run("factchecks", "unlink", claim.id, check.id, "--by", "ben", "--db", db)
    assert json.loads(unlinked.output)["checked_before"] == []
    history = run("history", claim.id, "--db", db)
    assert '"field": "checked_before"' in history.output


def test_linking_the_desks_own_claim_needs_a_verdict_and_never_the_claim_itself(db: Path) -> None:
    repo = open_repository(db)
    article = make_article("The mayor said crime doubled in 2023. The police said it fell.", title="Crime")
    repo.add_article(article)
    claims = []
    for quote in ("crime doubled in 2023", "it fell"):
        start = article.text.index(quote)
        draft = parse_draft({"article_id": article.id, "start": start, "end": start + len(quote)})
        claims.append(new_claim(article, draft, "ana"))
        repo.add_claim(claims[-1])
    first, second = claims
    unrated = CliRunner().invoke(
        cli, ["factchecks", "link", first.id, second.id, "--own", "--by", "ben", "--db", str(db)]
    )
    assert unrated.exit_code == 1 and "no verdict yet" in unrated.output
    assert (
        run("update", second.id, "--status", "in_progress", "--verdict", "false", "--db", db).exit_code == 0
    )
    linked = run("factchecks", "link", first.id, second.id, "--own", "--by", "ben", "--db", db)
    [link] = json.loads(linked.output)["checked_before"]
    assert (link["factcheck_id"], link["source"], link["rating"]) == (second.id, "store", "false")
    itself = CliRunner().invoke(
        cli, ["factchecks", "link", second.id, second.id, "--own", "--by", "ben", "--db", str(db)]
    )
    assert itself.exit_code == 1 and "its own earlier check" in itself.output
