"""Export, load and migrate a large store, as JSON figures: medians of several runs, each in a fresh process.

Run: `.venv/bin/python benchmarks/bench_export_load.py [--claims 100000] [--rounds 3]
     [--baseline ../other-checkout] [--postgres postgresql://...]`

- export: `export_bytes(repo, "json")` in a fresh process (reading the store and rendering the document),
  and `claims export -o FILE` (the command, its start-up and the durable write included);
- load: `claims load FILE` of that export into a new TinyDB store: wall-clock and CPU seconds and the
  process's peak resident memory (from wait4, as the kernel counts it);
- migrate: `claims migrate` of the store into a new TinyDB store, and into a new PostgreSQL database when
  `--postgres URL` (a server where databases may be created) or CLAIMS_TEST_POSTGRES gives one.

`--baseline PATH` runs export and load with the code of another checkout too (its `claims` package put
first on the import path), round for round with this one, so load from other programs hits both alike.
The store is built with bench_store.build_store (20 claims to an article).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import build_store  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

_EXPORT = """
import json, sys, time
from claims.formats.export import export_bytes
from claims.store import open_repository
repo = open_repository(sys.argv[1])
started, cpu = time.perf_counter(), time.process_time()
size = len(export_bytes(repo, "json"))
print(json.dumps({"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
                  "megabytes": size / 1e6}))
"""
_CLI = "import sys; from claims.cli import main; sys.argv[0] = 'claims'; main()"


def _run(code: Path, args: list[str], work: Path) -> tuple[dict[str, float], str]:
    """Run `python args...` with `code`'s package first on the import path, in the folder `work`: its
    wall-clock and CPU seconds and peak resident memory (from wait4: the child's own), and its output."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=work) as out, tempfile.TemporaryFile(dir=work) as err:
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, *args], cwd=work, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            problem = err.read().decode(errors="replace")[-2000:]
            raise SystemExit(f"{args[2:]} failed with exit status {child.returncode}: {problem}")
        figures = {
            "seconds": wall,
            "cpu_seconds": usage.ru_utime + usage.ru_stime,
            "user_seconds": usage.ru_utime,
            "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
        }
        return figures, out.read().decode()


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(run[key] for run in runs), 3) for key in runs[0]}


def measure(
    code: Path, store: Path, export_file: Path, work: Path, round_: int
) -> dict[str, dict[str, float]]:
    """One round of each measurement with the code of `code`."""
    exported = json.loads(_run(code, ["-c", _EXPORT, str(store)], work)[1])
    to_file, _ = _run(code, ["-c", _CLI, "export", "--db", str(store), "-o", str(work / "e.json")], work)
    (work / "e.json").unlink()
    target = work / f"load_{round_}" / "claims.json"
    loaded, _ = _run(code, ["-c", _CLI, "load", str(export_file), "--db", str(target)], work)
    return {"export": exported, "export_command": to_file, "load": loaded}


def measure_migrate(source: str, destination: str, work: Path) -> dict[str, Any]:
    """`claims migrate SOURCE DESTINATION`: the process's figures and the steps' seconds it reports."""
    figures, out = _run(ROOT, ["-c", _CLI, "migrate", source, destination], work)
    report = json.loads(out)
    if not report["equal"]:
        raise SystemExit(f"the copy is not equal: {report['differences']}")
    return {**figures, "steps": report["seconds"]}


def postgres_database(server: str) -> tuple[str, Any]:
    """A new database on `server`; its URL and a function that drops it."""
    import psycopg  # the PostgreSQL backend's driver: installed with it

    name = f"claims_bench_{secrets.token_hex(6)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(urlsplit(server)._replace(path="/" + name)), drop


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with, round for round")
    parser.add_argument("--postgres", default=os.environ.get("CLAIMS_TEST_POSTGRES"), help="a server URL")
    parser.add_argument("--only", choices=["export-load", "migrate"], help="measure only this part")
    args = parser.parse_args()
    figures: dict[str, Any] = {"claims": args.claims, "rounds": args.rounds, "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="bench_export_load_") as folder:
        work = Path(folder)
        store = work / "store" / "claims.json"
        started = time.perf_counter()
        build_store(store, args.claims)
        figures["build_seconds"] = round(time.perf_counter() - started, 1)
        export_file = work / "export.json"
        _run(ROOT, ["-c", _CLI, "export", "--db", str(store), "-o", str(export_file)], work)
        figures["export_megabytes"] = round(export_file.stat().st_size / 1e6, 1)
        figures["load_average_1min_at_start"] = round(os.getloadavg()[0], 2)
        codes = {"this": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
        runs: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in codes}
        for round_ in range(args.rounds if args.only != "migrate" else 0):
            for name, code in codes.items():
                runs[name].append(measure(code, store, export_file, work / name, round_))
                # Each round's loaded store goes: only the file system's cache of the export stays warm.
                subprocess.run(["rm", "-rf", str(work / name / f"load_{round_}")], check=True)
        for name, measured in runs.items() if args.only != "migrate" else ():
            figures[name] = {
                part: _median([run[part] for run in measured])
                for part in ("export", "export_command", "load")
            }
        migrations: list[dict[str, Any]] = []
        for round_ in range(args.rounds if args.only != "export-load" else 0):
            destination = work / f"migrated_{round_}" / "claims.json"
            migrations.append(measure_migrate(str(store), str(destination), work))
            subprocess.run(["rm", "-rf", str(destination.parent)], check=True)
        if migrations:
            figures["migrate_tinydb_to_tinydb"] = {
                **_median([{k: v for k, v in run.items() if k != "steps"} for run in migrations]),
                "steps": _median([run["steps"] for run in migrations]),
            }
        if args.postgres and args.only != "export-load":
            url, drop = postgres_database(args.postgres)
            try:
                figures["migrate_tinydb_to_postgresql"] = measure_migrate(str(store), url, work)
                back = work / "back" / "claims.json"
                figures["migrate_postgresql_to_tinydb"] = measure_migrate(url, str(back), work)
            finally:
                drop()
        figures["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
