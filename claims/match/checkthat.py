"""Reading CLEF CheckThat! 2020 claim retrieval data (task 2): the fact-checks, and tweets with the
fact-checks that answer them; what `claims.match.training.train_model` is fitted on."""

from __future__ import annotations

from pathlib import Path


def _unquoted(field: str) -> str:
    """A field as the file meant it: some are CSV-quoted ("a ""b"" c"), most are not, and a few only
    start with a quote, so each line is split on tabs and a fully quoted field unquoted."""
    if len(field) > 1 and field[0] == field[-1] == '"':
        return field[1:-1].replace('""', '"')
    return field


def read_rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [[_unquoted(field) for field in line.split("\t")] for line in lines if line.strip()]


def load_documents(folder: Path) -> dict[str, str]:
    """Fact-check id -> its claim and title, the document matched against."""
    rows = read_rows(folder / "verified_claims.docs.tsv")[1:]
    return {row[0]: f"{row[1]}\n{row[2] if len(row) > 2 else ''}".strip() for row in rows}


def load_split(folder: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Tweet id -> text, and tweet id -> the fact-check ids that answer it."""
    queries = {row[0]: row[1] for row in read_rows(folder / "tweets.queries.tsv")[1:] if len(row) > 1}
    relevant: dict[str, set[str]] = {}
    for row in read_rows(folder / "tweet-vclaim-pairs.qrels"):
        fields = row[0].split() if len(row) == 1 else row
        if len(fields) == 4 and fields[3] != "0":
            relevant.setdefault(fields[0], set()).add(fields[2])
    return queries, relevant
