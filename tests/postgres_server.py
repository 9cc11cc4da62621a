"""Run a command beside a throw-away PostgreSQL server: `python tests/postgres_server.py pytest ...`.

`--durable` keeps PostgreSQL's crash-safe defaults (fsync, synchronous commit), for benchmarks whose
save latencies should be those of a real server; tests run without them, faster.

The server lives in a new temporary folder (data and unix socket, no TCP port), is told to the command as
CLAIMS_TEST_POSTGRES=postgresql://... and is stopped and removed when the command ends, fails or is
interrupted. Without PostgreSQL binaries the command runs without the variable (its PostgreSQL tests skip,
or fail under CI=true). As root, initdb and the server run as the `postgres` user, which they require.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import quote

ENV_VARIABLE = "CLAIMS_TEST_POSTGRES"
BINARIES = Path("/usr/lib/postgresql")
PORT = 5432  # only names the socket file inside the private folder; nothing listens on TCP
SETTINGS = {"listen_addresses": "", "max_connections": "200"}
# For tests: durability traded for speed (the data is thrown away anyway).
FAST = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "shared_buffers": "256MB"}
# For benchmarks: a server set up as a desk's would be (a quarter of a small server's memory for its cache).
DURABLE = {"shared_buffers": "1GB"}


def find_binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder (Debian's layout), or one holding `pg_ctl` on PATH."""
    versions = sorted(
        (path for path in BINARIES.glob("*/bin") if (path / "pg_ctl").exists()),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    if versions:
        return versions[-1]
    found = shutil.which("pg_ctl")
    return Path(found).parent if found else None


def _as_server_user(command: Sequence[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return list(command)


@contextlib.contextmanager
def running_server(binaries: Path, durable: bool = False) -> Iterator[str]:
    """Start a server in a new temporary folder; yields its URL; stops it and removes the folder after."""
    folder = Path(tempfile.mkdtemp(prefix="claims-pg-"))
    data, socket = folder / "data", folder / "socket"
    socket.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(socket, "postgres")
    started = False
    try:
        subprocess.run(
            _as_server_user(
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),  # fmt: skip
            check=True,
            stdout=subprocess.DEVNULL,
        )
        settings = {**SETTINGS, **(DURABLE if durable else FAST)}
        options = " ".join(f"-c {name}={value!r}" for name, value in settings.items())
        options += f" -k {socket} -p {PORT}"
        subprocess.run(
            _as_server_user(
                [
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(folder / "server.log"),
                    "-w",
                    "-s",
                    "start",
                ]
            ),  # fmt: skip
            check=True,
        )
        started = True
        yield f"postgresql://postgres@/postgres?host={quote(str(socket))}&port={PORT}"
    finally:
        if started:
            subprocess.run(
                _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-s", "stop"]),
                check=False,
            )
        shutil.rmtree(folder, ignore_errors=True)


def main(arguments: list[str]) -> int:
    durable = arguments[:1] == ["--durable"]
    command = arguments[1:] if durable else arguments
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    binaries = find_binaries()
    if binaries is None:
        print(
            "PostgreSQL is not installed (no pg_ctl): its tests are skipped (and fail under CI=true). "
            "Install it with 'sudo apt-get install postgresql'.",
            file=sys.stderr,
        )
        return subprocess.call(command)
    # Stop the server on SIGTERM too, not only on Ctrl-C: the handler turns it into a normal exit.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    with running_server(binaries, durable) as url:
        child = subprocess.Popen(command, env={**os.environ, ENV_VARIABLE: url})
        try:
            return child.wait()
        except BaseException:
            child.terminate()
            child.wait()
            raise


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
