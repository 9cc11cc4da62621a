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
The store holds 20 claims to an article (bench_store's articles), each made new; `--workflow` gives each
the footprint of the desk's workflow (schema 3): six history events, two comments, two evidence items with
publisher and stance, what is checked, and the review stamps of an approved claim.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
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

from bench_store import CLAIMS_PER_ARTICLE, MERGE_BATCH, make_article  # noqa: E402

from claims.annotations import new_claim  # noqa: E402
from claims.models import (  # noqa: E402
    Article,
    Claim,
    ClaimDraft,
    ClaimEvent,
    ClaimStatus,
    ClaimType,
    Comment,
    Evidence,
    Stance,
    ValueChange,
    Verdict,
)
from claims.store import open_repository  # noqa: E402

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


def build_store(path: Path, n_claims: int, workflow: bool, seed: int = 1) -> None:
    """A TinyDB store at `path` holding `n_claims` claims, 20 to an article, written with `merge`."""
    rng = random.Random(seed)
    repo = open_repository(path)
    n_articles = max(1, n_claims // CLAIMS_PER_ARTICLE)
    for first in range(0, n_articles, MERGE_BATCH):
        articles = [make_article(i, rng) for i in range(first, min(first + MERGE_BATCH, n_articles))]
        claims = [_claim(a, rng, workflow) for a in articles for _ in range(CLAIMS_PER_ARTICLE)]
        repo.merge(articles, claims)


def _claim(article: Article, rng: random.Random, workflow: bool) -> Claim:
    sentence = rng.choice(article.sentences)
    start = sentence.start + rng.randrange(0, max(1, len(sentence.text) // 2))
    while article.text[start].isspace():
        start += 1
    draft = ClaimDraft(
        article_id=article.id, start=start, end=sentence.end, claim_type=rng.choice(list(ClaimType)),
        claimant="The council", notes="Checked against the published budget; figures match the annex.",
    )  # fmt: skip
    claim = new_claim(article, draft, by="bench")
    if not workflow:
        return claim
    at = claim.created_at
    steps = [("status", "new", "in_progress"), ("verdict", "unrated", "mostly_true"), ("evidence", [], "..."),
             ("status", "in_progress", "needs_review"), ("status", "needs_review", "approved")]  # fmt: skip
    history = [*claim.history] + [
        ClaimEvent(version=n + 2, by="ana" if n < 4 else "ben", at=at + dt.timedelta(minutes=n + 1),
                   changes=[ValueChange(field=field, old=old, new=new)], comment="Ready." if n == 3 else None)
        for n, (field, old, new) in enumerate(steps)
    ]  # fmt: skip
    comments = [
        Comment(
            id=f"{claim.id}-{n}", by=by, at=at + dt.timedelta(minutes=n + 2), text=text, mentions=mentions
        )
        for n, (by, text, mentions) in enumerate(
            [("ben", "@ana which budget line?", ["ana"]), ("ana", "Annex 3, line 14.", [])]
        )
    ]
    evidence = [
        Evidence(url="https://budget.example/2021", title="Budget 2021", publisher="City of Harbour",
                 accessed=dt.date(2024, 3, 2), note="Annex 3, line 14", stance=Stance.SUPPORTS),
        Evidence(url="https://audit.example/report", title="Audit report", publisher="Court of Audit",
                 accessed=dt.date(2024, 3, 2), note="Confirms the total", stance=Stance.SUPPORTS),
    ]  # fmt: skip
    done = at + dt.timedelta(minutes=6)
    return claim.model_copy(
        update={
            "status": ClaimStatus.APPROVED, "verdict": Verdict.MOSTLY_TRUE, "evidence": evidence,
            "claim_reviewed": "The council spent 4 million euros on the harbour wall.",
            "conclusion": "The budget and the audit agree.", "version": 6, "history": history,
            "comments": comments, "rated_by": "ana", "rated_at": at + dt.timedelta(minutes=2),
            "approved_by": "ben", "approved_at": done, "status_since": done, "updated_by": "ben",
            "updated_at": done,
        }
    )  # fmt: skip


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


def measure(code: Path, store: Path, work: Path, round_: int) -> dict[str, dict[str, float]]:
    """One round of each measurement with the code of `code`: export, the export command, and the load of
    the file that command wrote (with its size)."""
    exported = json.loads(_run(code, ["-c", _EXPORT, str(store)], work)[1])
    written = work / "e.json"
    to_file, _ = _run(code, ["-c", _CLI, "export", "--db", str(store), "-o", str(written)], work)
    # Each code loads its own export: an older one refuses a newer schema.
    target = work / f"load_{round_}" / "claims.json"
    loaded, _ = _run(code, ["-c", _CLI, "load", str(written), "--db", str(target)], work)
    loaded["export_megabytes"] = written.stat().st_size / 1e6
    written.unlink()
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
    parser.add_argument("--workflow", action="store_true", help="claims carry history, comments, evidence")
    args = parser.parse_args()
    figures: dict[str, Any] = {
        "claims": args.claims, "rounds": args.rounds, "cores": os.cpu_count(), "workflow": args.workflow,
    }  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="bench_export_load_") as folder:
        work = Path(folder)
        store = work / "store" / "claims.json"
        started = time.perf_counter()
        build_store(store, args.claims, args.workflow)
        figures["build_seconds"] = round(time.perf_counter() - started, 1)
        export_file = work / "export.json"
        _run(ROOT, ["-c", _CLI, "export", "--db", str(store), "-o", str(export_file)], work)
        figures["export_megabytes"] = round(export_file.stat().st_size / 1e6, 1)
        figures["load_average_1min_at_start"] = round(os.getloadavg()[0], 2)
        codes = {"this": ROOT} | ({"baseline": args.baseline.resolve()} if args.baseline else {})
        runs: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in codes}
        for round_ in range(args.rounds if args.only != "migrate" else 0):
            for name, code in codes.items():
                runs[name].append(measure(code, store, work / name, round_))
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
