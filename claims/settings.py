"""The desk's settings (who publishes its ClaimReviews), in a TOML file beside the store.

For a TinyDB store at `data/claims.json` the file is `data/claims.settings.toml`; for a PostgreSQL URL or
":memory:" it is `claims.settings.toml` in the current folder. $CLAIMS_SETTINGS names another file. A
missing file means the defaults (nothing configured); the file is only written by `save_settings`, whole
and atomically, so a reader never sees half of it.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import tomli_w
from pydantic import ValidationError

from claims.errors import SettingsError
from claims.models import DeskSettings
from claims.store import MEMORY, is_server_url
from claims.store.atomic_files import write_atomically

SETTINGS_ENV = "CLAIMS_SETTINGS"
SERVER_SETTINGS = "claims.settings.toml"


def settings_path(location: str) -> Path:
    """Where the settings of the store at `location` are kept (see the module's docstring)."""
    configured = os.environ.get(SETTINGS_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    if location == MEMORY or is_server_url(location):
        return Path.cwd() / SERVER_SETTINGS
    store = Path(location).expanduser()
    return store.with_name(f"{store.stem}.settings.toml")


def load_settings(location: str) -> DeskSettings:
    """The settings of the store at `location`; the defaults when there is no file. SettingsError names
    the file and the key when the file cannot be read or holds an unusable value."""
    path = settings_path(location)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return DeskSettings()
    except OSError as error:
        raise SettingsError(f"{path}: cannot be read ({error.strerror or error})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsError(f"{path}: not a TOML file ({error})") from None
    try:
        return DeskSettings.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "settings"
        raise SettingsError(f"{path}: {key}: {first['msg']}") from None


def save_settings(location: str, settings: DeskSettings) -> Path:
    """Write the settings of the store at `location` (whole, atomically); returns the file written."""
    path = settings_path(location)
    data = settings.model_dump(mode="json", exclude_none=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, tomli_w.dumps(data).encode("utf-8"))
    except OSError as error:
        raise SettingsError(
            f"{path}: cannot be written ({error.strerror or error}); kept as it was"
        ) from None
    return path
