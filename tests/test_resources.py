"""The app opens the store CLAIMS_DB names: a file path made absolute, a server URL exactly as given."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator import resources


def test_a_server_url_in_claims_db_is_the_location_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "postgresql://ana@db.desk.example:5433/claims?sslmode=require"
    monkeypatch.setenv("CLAIMS_DB", url)
    assert resources._location() == url


def test_a_relative_path_in_claims_db_names_the_file_under_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMS_DB", "desk/claims.json")
    assert resources._location() == str(tmp_path.resolve() / "desk" / "claims.json")


def test_memory_in_claims_db_is_a_throw_away_store_not_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMS_DB", ":memory:")
    assert resources._location() == ":memory:"
