"""Claim retrieval on CLEF CheckThat! 2020 task 2 (English tweets against Snopes fact-checks); prints JSON.

    .venv/bin/python benchmarks/eval_matching.py [DATA] [--write-model]

Every setting (BM25's k1 and b, the fusion weights, the regression) is chosen on train/ only, by
claims.match.training.train_model; dev/ is only scored. MAP@5 is reported for BM25 alone, the embeddings
alone, their z-score fusion, and the shipped scorer (fusion re-scored with number and name features).
--write-model saves the fitted model as claims/match/data/matching_model.json.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from claims.match.checkthat import load_documents, load_split
from claims.match.embedding import shared_embedder
from claims.match.index import MatchIndex
from claims.match.model import CALIBRATED_BY, MatchModel, shipped_model_path
from claims.match.training import (
    MemoEmbedder,
    first_stage_rankings,
    mean_average_precision,
    model_rankings,
    train_model,
)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "checkthat2020_claim_retrieval"


def evaluate(model: MatchModel, documents: dict[str, str], queries: dict[str, str],
             relevant: dict[str, set[str]], memo: MemoEmbedder) -> dict[str, float]:  # fmt: skip
    def first_stage(variant: MatchModel) -> float:
        index = MatchIndex(documents, model=variant, embedder=memo)
        return mean_average_precision(first_stage_rankings(index, queries), relevant)

    index = MatchIndex(documents, model=model, embedder=memo)
    return {
        "map5_bm25": first_stage(replace(model, lexical_weight=1.0, embedding_weight=0.0)),
        "map5_embeddings": first_stage(replace(model, lexical_weight=0.0, embedding_weight=1.0)),
        "map5_fused": first_stage(model),
        "map5_model": mean_average_precision(model_rankings(index, queries), relevant),
        "queries": len(relevant),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--write-model", action="store_true", help="Save the fitted model in the package.")
    args = parser.parse_args()
    documents = load_documents(args.data)
    train_queries, train_relevant = load_split(args.data / "train")
    dev_queries, dev_relevant = load_split(args.data / "dev")
    memo = MemoEmbedder(shared_embedder())
    started = time.perf_counter()
    model, train_figures = train_model(
        documents,
        train_queries,
        train_relevant,
        embedder=memo,
        trained_on="CLEF CheckThat! 2020 task 2 (English), train split",
    )
    training_seconds = time.perf_counter() - started
    if args.write_model:
        model.save(shipped_model_path())
    dev = evaluate(model, documents, dev_queries, dev_relevant, memo)
    print(
        json.dumps(
            {
                "data": "CLEF CheckThat! 2020 task 2 (English)",
                "documents": len(documents),
                "train": {**train_figures, "queries": len(train_relevant)},
                "dev": dev,
                "settings": {
                    "k1": model.k1,
                    "b": model.b,
                    "lexical_weight": model.lexical_weight,
                    "embedding_weight": model.embedding_weight,
                    "candidates": model.candidates,
                    "weights": dict(zip(model.features, np.round(model.weights, 3).tolist(), strict=True)),
                    "calibration": dict(
                        zip(CALIBRATED_BY, np.round(model.calibration, 3).tolist(), strict=True)
                    ),
                    "bias": round(model.bias, 3),
                },
                "training_seconds": round(training_seconds, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
