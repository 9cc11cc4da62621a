"""Backups and restores: a backup is whole and verified, a restore checks first and never destroys a store,
and the app keeps a rolling set of automatic backups."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from claims.annotations import apply_changes, new_claim
from claims.backup import (
    BackupSchedule,
    RollingBackups,
    backups_in,
    read_backup,
    restore_backup,
    verify_backup,
    write_backup,
)
from claims.cli import cli
from claims.errors import BackupError, ClaimsError, StoreError
from claims.formats.articles import make_article
from claims.models import Article, Claim, ClaimChanges, ClaimDraft, ClaimStatus
from claims.store import TinyDBRepository, open_repository
from claims.store.contract import Repository
from claims.suggest.engine import suggest_claims
from claims.suggest.review import reject_suggestions

HARBOUR = (
    "The council spent 4 million euros on the new harbour wall.\n"
    "Mayor Jan Peeters said the work was finished on time. The opposition denied that any tender was held."
)
FERRY = "The ferry service will resume on Monday, the operator said. Tickets cost 12 euros."


def claim_on(article: Article, quote: str, by: str = "ana") -> Claim:
    start = article.text.index(quote)
    return new_claim(article, ClaimDraft(article_id=article.id, start=start, end=start + len(quote)), by=by)


def contents(repo: Repository) -> tuple[object, ...]:
    return (repo.list_articles(), sorted(repo.list_claims(), key=lambda c: c.id), repo.list_decisions())


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "claims.json"


@pytest.fixture
def repo(db: Path) -> TinyDBRepository:
    """A real store of two imported articles and three claims, one of them edited."""
    store = open_repository(db)
    assert isinstance(store, TinyDBRepository)
    harbour, ferry = make_article(HARBOUR, title="Harbour"), make_article(FERRY, title="Ferry")
    store.add_article(harbour)
    store.add_article(ferry)
    first = claim_on(harbour, "4 million euros")
    store.add_claim(first)
    store.add_claim(claim_on(harbour, "finished on time"))
    store.add_claim(claim_on(ferry, "12 euros"))
    store.update_claim(harbour.id, first.id, apply_changes(ClaimChanges(notes="checked"), 1, by="bo"))
    return store


# -- backups


def test_a_backup_restored_into_an_empty_store_gives_back_every_record(
    repo: Repository, tmp_path: Path
) -> None:
    report = write_backup(repo, tmp_path / "backup.json")

    assert report.counts == {"articles": 2, "claims": 3, "decisions": 0, "deletions": 0, "factchecks": 0}
    restored = restore_backup(tmp_path / "backup.json", tmp_path / "restored" / "claims.json")

    assert restored.merge.claims.added == 3 and restored.previous_store is None
    assert contents(open_repository(tmp_path / "restored" / "claims.json")) == contents(repo)


def test_a_backup_into_a_folder_is_named_by_time_and_revision(repo: Repository, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    report = write_backup(repo, folder, now=dt.datetime(2026, 3, 2, 9, 30, 1, 5, tzinfo=dt.UTC))
    path = Path(report.path)
    assert path.parent == folder
    assert path.name.startswith("claims-backup-20260302T093001000005Z-") and path.suffix == ".json"
    assert backups_in(folder) == [path]


def test_a_backup_keeps_suggestion_decisions_and_deletions_through_a_restore(
    repo: Repository, tmp_path: Path
) -> None:
    harbour = make_article(HARBOUR, title="Harbour")
    [suggestion, *_] = suggest_claims(harbour.text, harbour.sentences, min_score=0.0)
    reject_suggestions(repo, harbour, [suggestion], by="ana")
    doomed = claim_on(harbour, "any tender was held")
    repo.add_claim(doomed)
    repo.delete_claim(harbour.id, doomed.id, by="bo")

    write_backup(repo, tmp_path / "backup.json")
    restored = open_repository(tmp_path / "restored" / "claims.json")
    restore_backup(tmp_path / "backup.json", tmp_path / "restored" / "claims.json")

    assert restored.list_decisions() == repo.list_decisions() != []
    assert restored.list_deletions() == repo.list_deletions() != []
    assert [d.by for d in restored.list_deletions()] == ["bo"]


def test_the_backup_command_makes_a_folder_given_with_a_trailing_slash(
    repo: Repository, tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, ["backup", f"{tmp_path / 'new'}/", "--db", repo.location])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert Path(report["path"]).parent == tmp_path / "new"
    assert report["counts"] == {"articles": 2, "claims": 3, "decisions": 0, "deletions": 0, "factchecks": 0}


def test_a_backup_of_a_missing_store_says_so_and_creates_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["backup", str(tmp_path / "b.json"), "--db", str(tmp_path / "typo.json")]
    )
    assert result.exit_code == 1 and "no store at" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_failed_backup_write_keeps_the_previous_backup_and_leaves_no_temporary_file(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "backup.json"
    write_backup(repo, target)
    before = files_under(tmp_path)

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(
        BackupError, match="backup.json: the backup cannot be written .No space left on device"
    ):
        write_backup(repo, target)
    monkeypatch.undo()

    assert files_under(tmp_path) == before
    assert verify_backup(target).counts == {
        "articles": 2,
        "claims": 3,
        "decisions": 0,
        "deletions": 0,
        "factchecks": 0,
    }


def test_a_backup_that_does_not_load_back_never_replaces_the_previous_one(
    repo: Repository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "backup.json"
    write_backup(repo, target)
    before = files_under(tmp_path)
    monkeypatch.setattr(
        "claims.backup.export_chunks", lambda repo, fmt: iter([b'{"schema_version": 1, "articles": []}'])
    )

    with pytest.raises(ClaimsError, match="backup.json"):
        write_backup(repo, target)

    assert files_under(tmp_path) == before


def test_a_backup_that_reads_back_differently_is_refused(repo: Repository, tmp_path: Path) -> None:
    report = write_backup(repo, tmp_path / "backup.json")
    (tmp_path / "backup.json").write_text((tmp_path / "backup.json").read_text().replace("ana", "eve"))
    with pytest.raises(BackupError, match="reads back different"):
        verify_backup(tmp_path / "backup.json", report.sha256)


def test_a_backup_taken_while_editors_keep_saving_is_consistent(repo: Repository, tmp_path: Path) -> None:
    ferry = make_article(FERRY)
    stop = threading.Event()
    saved: list[str] = []

    def keep_saving() -> None:
        while not stop.is_set():
            claim = claim_on(ferry, "Tickets cost", by="editor")
            repo.add_claim(claim)
            saved.append(claim.id)

    editor = threading.Thread(target=keep_saving)
    editor.start()
    try:
        deadline = time.monotonic() + 30
        while not saved and time.monotonic() < deadline:  # the editor is at work before backups begin
            time.sleep(0.01)
        reports = [write_backup(repo, tmp_path / f"backup{i}.json") for i in range(5)]
    finally:
        stop.set()
        editor.join()

    claims = [report.counts["claims"] for report in reports]
    assert claims == sorted(claims) and claims[-1] > 3  # each a later snapshot, taken while saves went on
    for report in reports:
        assert read_backup(Path(report.path))  # every claim of every backup checks against its article


# -- restores


def test_a_damaged_backup_is_refused_naming_it_and_nothing_is_written(
    repo: Repository, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    write_backup(repo, backup)
    backup.write_text(backup.read_text().replace('"quote": "4 million euros"', '"quote": "5 million euros"'))
    target = tmp_path / "restored" / "claims.json"

    with pytest.raises(BackupError) as refused:
        restore_backup(backup, target)

    assert str(backup) in str(refused.value) and "'5 million euros'" in str(refused.value)
    assert not target.exists()


def test_a_restore_into_a_store_holding_articles_is_refused(
    repo: Repository, db: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    write_backup(repo, backup)
    before = files_under(db.parent)

    result = CliRunner().invoke(cli, ["restore", str(backup), "--db", str(db)])

    assert result.exit_code == 1
    assert "already holds 2 articles" in result.output and "--replace" in result.output
    assert files_under(db.parent) == before


def test_replace_swaps_in_the_backup_and_keeps_the_current_store_whole_beside_it(
    repo: TinyDBRepository, db: Path, tmp_path: Path
) -> None:
    """A desk lead undoes an editor's bad bulk change."""
    backup = tmp_path / "backup.json"
    write_backup(repo, backup)
    good = contents(repo)
    for claim in repo.list_claims():  # the bad bulk change
        edit = apply_changes(ClaimChanges(status=ClaimStatus.DROPPED), claim.version, by="intern")
        repo.update_claim(claim.article_id, claim.id, edit)
    bad = contents(repo)
    revision = repo.revision()

    result = CliRunner().invoke(cli, ["restore", str(backup), "--db", str(db), "--replace"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["mode"] == "replace"
    assert contents(repo) == good  # the open instance (e.g. the app's) reads the restored store
    assert repo.revision() != revision  # so the app's caches are refreshed
    assert contents(open_repository(report["previous_store"])) == bad
    assert not list(db.parent.glob(".*restoring*"))


def test_replace_with_a_damaged_backup_changes_nothing(repo: Repository, db: Path, tmp_path: Path) -> None:
    backup = tmp_path / "backup.json"
    write_backup(repo, backup)
    backup.write_text(backup.read_text().replace('"quote": "12 euros"', '"quote": "13 euros"'))
    before = files_under(db.parent)

    result = CliRunner().invoke(cli, ["restore", str(backup), "--db", str(db), "--replace"])

    assert result.exit_code == 1 and str(backup) in result.output
    assert files_under(db.parent) == before


def test_a_swap_failing_part_way_puts_the_current_store_back(
    repo: Repository, db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "backup.json"
    write_backup(repo, backup)
    repo.delete_article(make_article(FERRY).id, by="tester")
    before = files_under(db.parent)
    real_replace = os.replace

    def replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        # The staged article folder moving into place: the second half of the swap.
        if ".restoring-" in str(source) and Path(target) == db.with_name("claims.json.d"):
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(
        StoreError, match="could not be swapped in .Input/output error.; nothing was replaced"
    ):
        restore_backup(backup, db, "replace")
    monkeypatch.undo()

    assert files_under(db.parent) == before
    assert len(repo.list_articles()) == 1


def test_a_file_that_is_not_a_backup_is_refused_naming_it(tmp_path: Path) -> None:
    source = tmp_path / "notes.json"
    source.write_text('{"hello": 1}')
    with pytest.raises(ClaimsError, match="notes.json"):
        restore_backup(source, tmp_path / "restored" / "claims.json")


def test_restore_as_a_real_subprocess(repo: Repository, tmp_path: Path) -> None:
    import subprocess
    import sys

    backup = tmp_path / "backup.json"
    write_backup(repo, backup)
    target = tmp_path / "restored" / "claims.json"
    result = subprocess.run(
        [sys.executable, "-m", "claims", "restore", str(backup), "--db", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["counts"] == {"articles": 2, "claims": 3}
    assert contents(open_repository(target)) == contents(repo)


# -- rolling automatic backups


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC).timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, minutes: float) -> None:
        self.now += minutes * 60


def add_one_claim(repo: Repository, n: int) -> None:
    ferry = make_article(FERRY)
    repo.add_claim(claim_on(ferry, "Tickets cost", by=f"editor{n}"))


def run(backups: RollingBackups, repo: Repository) -> Path | None:
    """What one rerun of the app does, waiting for the background backup to finish."""
    before = set(backups_in(backups.schedule.folder))
    thread = backups.maybe_start(repo)
    if thread is None:
        return None
    thread.join()
    assert backups.last_error is None
    [new] = set(backups_in(backups.schedule.folder)) - before
    return new


def test_rolling_backups_keep_only_the_newest(repo: Repository, tmp_path: Path) -> None:
    clock = Clock()
    backups = RollingBackups(
        BackupSchedule(tmp_path / "auto", keep=3, interval=dt.timedelta(minutes=30)), clock
    )
    written = []
    for n in range(5):
        add_one_claim(repo, n)
        path = run(backups, repo)
        assert path is not None
        written.append(path)
        clock.advance(31)

    assert backups_in(tmp_path / "auto") == written[-3:]
    assert verify_backup(written[-1]).counts["claims"] == 3 + 5


def test_rolling_backups_can_be_written_by_a_child_process(
    repo: Repository, db: Path, tmp_path: Path
) -> None:
    """What the app does: the export's memory goes with the child, the server keeps none of it."""
    clock = Clock()
    schedule = BackupSchedule(tmp_path / "auto", interval=dt.timedelta(minutes=30))
    backups = RollingBackups(schedule, clock, in_child_for=str(db))
    first = run(backups, repo)
    assert first is not None and verify_backup(first).counts["claims"] == 3
    add_one_claim(repo, 1)
    clock.advance(31)
    second = run(backups, repo)
    assert second is not None and verify_backup(second).counts["claims"] == 4


def test_a_child_backup_that_fails_says_why(repo: Repository, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "claims.json"
    backups = RollingBackups(BackupSchedule(tmp_path / "auto"), Clock(), in_child_for=str(missing))
    thread = backups.maybe_start(repo)
    assert thread is not None
    thread.join()
    assert backups.last_error is not None and f"no store at {missing}" in backups.last_error
    assert backups_in(tmp_path / "auto") == []


def test_no_backup_when_nothing_changed(repo: Repository, tmp_path: Path) -> None:
    clock = Clock()
    backups = RollingBackups(BackupSchedule(tmp_path / "auto", interval=dt.timedelta(minutes=30)), clock)
    assert run(backups, repo) is not None
    clock.advance(120)
    assert run(backups, repo) is None
    # Nor after a restart of the app: the newest backup's name says which revision it holds.
    assert run(RollingBackups(backups.schedule, clock), repo) is None
    assert len(backups_in(tmp_path / "auto")) == 1


def test_no_backup_before_the_interval_has_passed(repo: Repository, tmp_path: Path) -> None:
    clock = Clock()
    backups = RollingBackups(BackupSchedule(tmp_path / "auto", interval=dt.timedelta(minutes=30)), clock)
    assert run(backups, repo) is not None
    add_one_claim(repo, 1)
    clock.advance(29)
    assert run(backups, repo) is None
    clock.advance(2)
    assert run(backups, repo) is not None


def test_sessions_rerunning_at_once_start_one_backup(repo: Repository, tmp_path: Path) -> None:
    backups = RollingBackups(BackupSchedule(tmp_path / "auto", interval=dt.timedelta(0)))
    started: list[threading.Thread] = []
    barrier = threading.Barrier(8)

    def rerun() -> None:
        barrier.wait()
        thread = backups.maybe_start(repo)
        if thread is not None:
            started.append(thread)

    sessions = [threading.Thread(target=rerun) for _ in range(8)]
    for session in sessions:
        session.start()
    for session in sessions:
        session.join()
    for thread in started:
        thread.join()

    assert len(started) == 1
    assert len(backups_in(tmp_path / "auto")) == 1


def test_a_failing_backup_is_reported_and_retried_after_the_interval(
    repo: Repository, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    clock = Clock()
    backups = RollingBackups(BackupSchedule(blocker, interval=dt.timedelta(minutes=30)), clock)
    blocker.write_text("a file where the backups folder should be")

    thread = backups.maybe_start(repo)
    assert thread is not None
    thread.join()
    assert backups.last_error is not None and "not-a-folder" in backups.last_error
    assert backups.maybe_start(repo) is None  # not again on the next rerun
    clock.advance(31)
    assert backups.maybe_start(repo) is not None


def test_the_schedule_comes_from_the_environment(tmp_path: Path) -> None:
    store = str(tmp_path / "claims.json")
    assert BackupSchedule.from_environment(store, {}) == BackupSchedule(
        Path(f"{store}.backups"), 10, dt.timedelta(minutes=30)
    )
    configured = {
        "CLAIMS_BACKUPS": str(tmp_path / "b"),
        "CLAIMS_BACKUP_KEEP": "3",
        "CLAIMS_BACKUP_INTERVAL": "0.5",
    }
    assert BackupSchedule.from_environment(store, configured) == BackupSchedule(
        tmp_path / "b", 3, dt.timedelta(seconds=30)
    )
    assert BackupSchedule.from_environment(":memory:", {}) is None


def test_a_server_store_is_backed_up_only_into_a_folder_named_for_it(tmp_path: Path) -> None:
    server = "postgresql://desk:secret@db.example/claims"
    # Never a folder named after the URL (with its password) in the current directory.
    assert BackupSchedule.from_environment(server, {}) is None
    chosen = {"CLAIMS_BACKUPS": str(tmp_path / "desk-backups")}
    assert BackupSchedule.from_environment(server, chosen) == BackupSchedule(
        tmp_path / "desk-backups", 10, dt.timedelta(minutes=30)
    )


@pytest.mark.parametrize(
    "name, value",
    [("CLAIMS_BACKUP_KEEP", "0"), ("CLAIMS_BACKUP_KEEP", "ten"), ("CLAIMS_BACKUP_INTERVAL", "-1"),
     ("CLAIMS_BACKUP_INTERVAL", "nan")],
)  # fmt: skip
def test_a_wrong_setting_is_refused_naming_it(name: str, value: str) -> None:
    with pytest.raises(ClaimsError, match=f"{name}='{value}'"):
        BackupSchedule.from_environment("claims.json", {name: value})


def test_the_app_writes_a_backup_in_the_background(
    app_script: str, stored_sample: Article, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    folder = tmp_path / "app-backups"
    monkeypatch.setenv("CLAIMS_BACKUPS", str(folder))
    monkeypatch.setenv("CLAIMS_BACKUP_INTERVAL", "0")
    at = AppTest.from_file(app_script, default_timeout=60)
    at.session_state["editor"] = "ana"
    at.run()
    assert not at.exception

    deadline = time.monotonic() + 30
    while not backups_in(folder) and time.monotonic() < deadline:
        time.sleep(0.05)
    [backup] = backups_in(folder)  # renamed into place whole, so readable as soon as it is listed
    assert [article.id for article in read_backup(backup).articles] == [stored_sample.id]
    at.run()
    assert not at.exception and len(backups_in(folder)) == 1  # nothing changed since


def test_a_wrong_backup_setting_shows_in_the_sidebar_and_the_app_goes_on(
    app_script: str, stored_sample: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIMS_BACKUP_KEEP", "none")
    at = AppTest.from_file(app_script, default_timeout=60)
    at.session_state["editor"] = "ana"
    at.run()
    assert not at.exception
    assert any("CLAIMS_BACKUP_KEEP='none'" in warning.value for warning in at.sidebar.warning)
    assert at.title or at.dataframe or at.markdown  # the Articles page is drawn
