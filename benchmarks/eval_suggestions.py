"""Sentence-level check-worthiness of the claim suggester on ClaimBuster, cross-validated; prints JSON.

    .venv/bin/python benchmarks/eval_suggestions.py [DATA] [--folds 5]

A sentence counts as check-worthy when one of its suggestions scores 0.5 or more; average
precision ranks sentences by their best suggestion's score (0 when nothing is suggested). The
model is retrained on the other folds for each fold (train_checkworthiness.py's functions), so
every figure is for sentences the model never saw. Throughput is the shipped suggester's.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from train_checkworthiness import (
    DEFAULT_DATA,
    Settings,
    featurise,
    fold_of,
    load_examples,
    scores_and_figures,
    train_model,
)

from claims.suggest.engine import Suggester, default_suggester, suggest_claims

NUMBER_WORD = re.compile(
    r"(?i)\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"sixty|seventy|eighty|ninety|hundred|thousand|million|billion|trillion|percent|half|dozen)\b"
)


def best_scores(suggester: Suggester, texts: Sequence[str]) -> list[float]:
    return [max((s.score for s in suggester.suggest(text)), default=0.0) for text in texts]


def cross_validated_suggester_scores(texts: Sequence[str], labels: Sequence[int], folds: int) -> list[float]:
    feature_sets = featurise(texts)
    assignment = fold_of(len(texts), folds)
    scores = [0.0] * len(texts)
    for fold in range(folds):
        train = np.flatnonzero(assignment != fold)
        held_out = np.flatnonzero(assignment == fold)
        model = train_model([feature_sets[i] for i in train], [labels[i] for i in train], Settings())
        suggester = Suggester(model)
        for i, score in zip(held_out, best_scores(suggester, [texts[i] for i in held_out]), strict=True):
            scores[i] = score
    return scores


def throughput(texts: Sequence[str]) -> dict[str, float]:
    default_suggester()  # load the weights before timing
    started = time.perf_counter()
    suggestions = sum(len(suggest_claims(text)) for text in texts)
    elapsed = time.perf_counter() - started
    return {
        "sentences": len(texts),
        "seconds": round(elapsed, 2),
        "sentences_per_second": round(len(texts) / elapsed, 1),
        "suggestions": suggestions,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    texts, labels = load_examples(args.data)
    scores = cross_validated_suggester_scores(texts, labels, args.folds)
    digit = [1.0 if any(c.isdigit() for c in text) else 0.0 for text in texts]
    number = [1.0 if digit[i] or NUMBER_WORD.search(text) else 0.0 for i, text in enumerate(texts)]
    report = {
        "data": str(args.data),
        "sentences": len(texts),
        "positives": sum(labels),
        "suggester": {f"cv_{args.folds}_fold": scores_and_figures(labels, scores)},
        "baseline_contains_digit": scores_and_figures(labels, digit),
        # The floor the brief quotes (P 0.673, R 0.562) matches digits or number words.
        "baseline_contains_digit_or_number_word": scores_and_figures(labels, number),
        "throughput": throughput(texts),
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
