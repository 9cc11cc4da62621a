"""`export -o FILE` replaces the file all at once: a failed write keeps the previous export intact."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from claims.cli import cli
from claims.errors import OutputWriteError
from claims.formats.articles import make_article
from claims.formats.output import write_output
from claims.store import open_repository

OLD_EXPORT = b'{"schema_version": 1, "the": "previous export"}\n' * 2000  # about 100 kB


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_an_export_file_is_replaced_with_the_new_bytes(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(OLD_EXPORT)
    write_output(target, b"new")
    assert target.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


def test_a_failing_write_keeps_the_old_file_and_removes_the_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(OLD_EXPORT)

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OutputWriteError, match="No space left on device; the file there before"):
        write_output(target, b"new export")
    assert target.read_bytes() == OLD_EXPORT
    assert leftovers(tmp_path) == []


def test_a_failing_rename_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(OLD_EXPORT)

    def refuse(source: str | os.PathLike[str], destination: str | os.PathLike[str]) -> None:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputWriteError, match=str(target)):
        write_output(target, b"new export")
    assert target.read_bytes() == OLD_EXPORT
    assert leftovers(tmp_path) == []


def test_the_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(OLD_EXPORT)
    target.chmod(0o600)
    write_output(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_symbolic_link_keeps_pointing_at_the_replaced_file(tmp_path: Path) -> None:
    real = tmp_path / "exports" / "latest.json"
    real.parent.mkdir()
    real.write_bytes(OLD_EXPORT)
    link = tmp_path / "export.json"
    link.symlink_to(real)
    write_output(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert leftovers(real.parent) == [] and leftovers(tmp_path) == []


def test_a_pipe_is_written_to_rather_than_replaced(tmp_path: Path) -> None:
    pipe = tmp_path / "export.fifo"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    write_output(pipe, b"streamed")
    reader.join(timeout=10)
    assert received == [b"streamed"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file")
def test_a_read_only_export_is_not_replaced(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    target.write_bytes(OLD_EXPORT)
    target.chmod(0o444)
    with pytest.raises(OutputWriteError, match="read-only"):
        write_output(target, b"new")
    assert target.read_bytes() == OLD_EXPORT


def test_a_missing_folder_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(OutputWriteError, match="cannot write .*missing/export.json: No such file"):
        write_output(tmp_path / "missing" / "export.json", b"new")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs, mounted for the test (needs root and a kernel that lets us mount)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small tmpfs needs root")
    folder = tmp_path / "small-disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_export_to_a_full_disk_keeps_the_previous_export(tmp_path: Path, small_disk: Path) -> None:
    db = tmp_path / "store" / "claims.json"
    repo = open_repository(db)
    sentence = "The council said the harbour wall cost 4 million euros, more than planned. "
    repo.add_article(make_article(sentence * 8000, title="Harbour"))  # a 600 kB text: a 1.3 MB export
    target = small_disk / "export.json"
    target.write_bytes(OLD_EXPORT)
    result = CliRunner().invoke(cli, ["export", "-o", str(target), "--db", str(db)])
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert target.read_bytes() == OLD_EXPORT
    assert leftovers(small_disk) == []


def test_chunks_are_written_in_turn_and_a_failing_chunk_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    write_output(target, iter([b"first ", b"second"]))
    assert target.read_bytes() == b"first second"

    def failing() -> Iterator[bytes]:
        yield b"half of an export"
        raise ValueError("the store could not be read")

    with pytest.raises(ValueError, match="could not be read"):
        write_output(target, failing())
    assert target.read_bytes() == b"first second"
    assert leftovers(tmp_path) == []
