"""The shipped matching model on CLEF CheckThat! 2020 dev tweets (../shared; skipped without it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claims.match import MatchIndex
from claims.match.checkthat import load_documents, load_split
from claims.match.training import mean_average_precision, model_rankings

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "checkthat2020_claim_retrieval"


@pytest.mark.slow
def test_the_shipped_model_finds_most_dev_tweets_fact_checks_first() -> None:
    if not (DATA / "verified_claims.docs.tsv").exists():
        pytest.skip(f"{DATA} is not here (../shared is absent)")
    queries, relevant = load_split(DATA / "dev")
    index = MatchIndex(load_documents(DATA))
    # The full dev set scores 0.844 (benchmarks/eval_matching.py); a margin for other BLAS builds.
    assert mean_average_precision(model_rankings(index, queries), relevant) >= 0.82


def test_quoted_fields_are_unquoted(tmp_path: Path) -> None:
    (tmp_path / "verified_claims.docs.tsv").write_text(
        '\tvclaim\ttitle\n7\t"He said ""no"" twice."\tDid He Say No?\n8\t"Only opens a quote\tTitle\n',
        encoding="utf-8",
    )
    assert load_documents(tmp_path) == {
        "7": 'He said "no" twice.\nDid He Say No?',
        "8": '"Only opens a quote\nTitle',
    }
