"""The desk's settings file: where it lives, what a missing or damaged one means, and a round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.errors import SettingsError
from claims.models import DeskSettings, PublisherSettings
from claims.settings import SETTINGS_ENV, load_settings, save_settings, settings_path

PUBLISHER = PublisherSettings(
    name="Fact Desk Ghent",
    url="https://desk.example",
    logo="https://desk.example/logo.png",
    review_url="https://desk.example/checks/{id}",
)


@pytest.fixture(autouse=True)
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SETTINGS_ENV, raising=False)


@pytest.fixture
def store(tmp_path: Path) -> str:
    return str(tmp_path / "data" / "claims.json")


def test_settings_are_kept_beside_the_store_and_read_back_as_saved(store: str) -> None:
    written = save_settings(store, DeskSettings(publisher=PUBLISHER))
    assert written == Path(store).with_name("claims.settings.toml")
    assert load_settings(store) == DeskSettings(publisher=PUBLISHER)
    assert 'review_url = "https://desk.example/checks/{id}"' in written.read_text(encoding="utf-8")


def test_a_missing_file_means_the_defaults(store: str) -> None:
    assert load_settings(store) == DeskSettings()
    assert not settings_path(store).exists()


def test_a_server_or_memory_store_keeps_its_settings_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert settings_path("postgresql://desk@db.example/claims") == tmp_path / "claims.settings.toml"
    assert settings_path(":memory:") == tmp_path / "claims.settings.toml"


def test_claims_settings_names_another_file(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "shared" / "desk.toml"
    monkeypatch.setenv(SETTINGS_ENV, str(elsewhere))
    assert save_settings(store, DeskSettings(publisher=PUBLISHER)) == elsewhere
    assert load_settings(store).publisher == PUBLISHER
    assert not Path(store).with_name("claims.settings.toml").exists()


def test_a_file_that_is_not_toml_is_refused_naming_it(store: str) -> None:
    path = settings_path(store)
    path.parent.mkdir(parents=True)
    path.write_text("[publisher\nname = 'x'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=f"{path}: not a TOML file"):
        load_settings(store)


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ('[publisher]\nurl = "ftp://desk.example"\n', "publisher.url"),
        ("[publisher]\nname = 3\n", "publisher.name"),
        ('[publisher]\ncolour = "red"\n', "publisher.colour"),
        ('theme = "dark"\n', "theme"),
    ],
)
def test_a_bad_value_is_refused_naming_the_file_and_the_key(store: str, content: str, key: str) -> None:
    path = settings_path(store)
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError, match=f"{path}: {key}: "):
        load_settings(store)


def test_a_review_url_without_its_id_placeholder_is_refused(store: str) -> None:
    with pytest.raises(ValueError, match=r"review_url must hold \{id\}"):
        PublisherSettings(review_url="https://desk.example/checks/")
    path = settings_path(store)
    path.parent.mkdir(parents=True)
    path.write_text('[publisher]\nreview_url = "https://desk.example/checks/"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match=r"publisher: .*review_url must hold \{id\}"):
        load_settings(store)


def test_an_unwritable_place_is_refused_and_nothing_is_kept(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(SettingsError, match="cannot be written"):
        save_settings(str(blocker / "claims.json"), DeskSettings(publisher=PUBLISHER))
