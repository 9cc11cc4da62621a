"""Train the sentence check-worthiness model on ClaimBuster; write claims/suggest/data/checkworthiness.json.

    .venv/bin/python benchmarks/train_checkworthiness.py [DATA] [--out PATH]

A logistic regression over binary features (words, word pairs, word prefixes, rule cues), fitted
with numpy by full-batch Adam on the L2-regularised log loss. Prints the 5-fold cross-validated
figures as JSON before writing the weights trained on all the data.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from claims.suggest.checkworthiness import CheckworthinessModel, sentence_features
from claims.suggest.engine import sentence_cues

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "claimbuster" / "train.json"
DEFAULT_OUT = REPO / "claims" / "suggest" / "data" / "checkworthiness.json"

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Settings:
    """The training choices; the defaults are what the shipped weights were trained with."""

    l2: float = 0.25  # penalty on the sum of squared weights, against the summed (not mean) log loss
    min_count: int = 3  # a feature must occur in this many training sentences to get a weight
    positive_weight: float = 2.0  # ClaimBuster is 29% check-worthy; this moves the F1 optimum near 0.5
    iterations: int = 1500
    learning_rate: float = 0.1
    prune_below: float = 0.02  # drop near-zero weights from the shipped file


def load_examples(path: Path) -> tuple[list[str], list[int]]:
    records = json.loads(path.read_text(encoding="utf-8"))
    return [str(r["text"]) for r in records], [int(r["label"]) for r in records]


def featurise(texts: Sequence[str]) -> list[dict[str, float]]:
    """Each sentence's features exactly as the shipped suggester computes them."""
    return [sentence_features(text, sentence_cues(text)) for text in texts]


def train_model(
    feature_sets: Sequence[dict[str, float]], labels: Sequence[int], settings: Settings = Settings()
) -> CheckworthinessModel:
    counts = Counter(feature for features in feature_sets for feature in features)
    vocabulary = {
        name: i for i, name in enumerate(sorted(f for f, c in counts.items() if c >= settings.min_count))
    }
    indptr, indices, values = _sparse_rows(feature_sets, vocabulary)
    targets = np.asarray(labels, dtype=np.float64)
    bias, weights = _fit_logistic(indptr, indices, values, targets, len(vocabulary), settings)
    names = sorted(vocabulary, key=vocabulary.__getitem__)
    kept = {name: float(w) for name, w in zip(names, weights, strict=True) if abs(w) >= settings.prune_below}
    return CheckworthinessModel(bias=float(bias), weights=kept)


def _sparse_rows(
    feature_sets: Sequence[dict[str, float]], vocabulary: dict[str, int]
) -> tuple[IntArray, IntArray, FloatArray]:
    """The rows as compressed sparse rows: row i holds indices[indptr[i]:indptr[i+1]] and their values."""
    rows = [[(vocabulary[f], v) for f, v in features.items() if f in vocabulary] for features in feature_sets]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(row) for row in rows])
    count = int(indptr[-1])
    indices = np.fromiter((i for row in rows for i, _ in row), dtype=np.int64, count=count)
    values = np.fromiter((v for row in rows for _, v in row), dtype=np.float64, count=count)
    return indptr, indices, values


def _fit_logistic(
    indptr: IntArray,
    indices: IntArray,
    values: FloatArray,
    labels: FloatArray,
    n_features: int,
    settings: Settings,
) -> tuple[float, FloatArray]:
    """Minimise sum_i c_i * logloss_i + l2/2 * |w|^2 by full-batch Adam (the bias is not penalised)."""
    n_rows = len(labels)
    row_of = np.repeat(np.arange(n_rows), np.diff(indptr))
    sample_weight = np.where(labels > 0, settings.positive_weight, 1.0)
    params = np.zeros(n_features + 1)
    first_moment = np.zeros_like(params)
    second_moment = np.zeros_like(params)
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    for step in range(1, settings.iterations + 1):
        weights, bias = params[:-1], params[-1]
        logits = np.bincount(row_of, weights=weights[indices] * values, minlength=n_rows) + bias
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        residual = sample_weight * (probabilities - labels)
        gradient = np.empty_like(params)
        gradient[:-1] = np.bincount(indices, weights=residual[row_of] * values, minlength=n_features)
        gradient[:-1] += settings.l2 * weights
        gradient[-1] = residual.sum()
        gradient /= n_rows
        first_moment = beta1 * first_moment + (1 - beta1) * gradient
        second_moment = beta2 * second_moment + (1 - beta2) * gradient**2
        corrected = first_moment / (1 - beta1**step)
        scale = np.sqrt(second_moment / (1 - beta2**step)) + epsilon
        params -= settings.learning_rate * corrected / scale
    return float(params[-1]), params[:-1]


def fold_of(count: int, folds: int = 5, seed: int = 13) -> IntArray:
    """A fixed random fold number for each example, shared by the trainer and the eval."""
    order = np.random.default_rng(seed).permutation(count)
    assignment = np.empty(count, dtype=np.int64)
    assignment[order] = np.arange(count) % folds
    return assignment


def scores_and_figures(
    labels: Sequence[int], scores: Sequence[float], threshold: float = 0.5
) -> dict[str, float]:
    """Precision, recall and F1 at a threshold, and average precision of the ranking."""
    truth = np.asarray(labels, dtype=bool)
    score = np.asarray(scores, dtype=np.float64)
    predicted = score >= threshold
    true_positive = float(np.sum(predicted & truth))
    precision = true_positive / max(float(predicted.sum()), 1.0)
    recall = true_positive / max(float(truth.sum()), 1.0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "average_precision": round(average_precision(truth, score), 4),
    }


def average_precision(truth: npt.NDArray[np.bool_], score: FloatArray) -> float:
    """Sum over score thresholds of (gain in recall) x precision, tied scores taken together.

    The same definition as scikit-learn's average_precision_score, so a 0/1 rule is scored fairly.
    """
    positives = int(truth.sum())
    if positives == 0:
        return 0.0
    order = np.argsort(-score, kind="stable")
    sorted_score, hits = score[order], truth[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(sorted_score)), len(sorted_score) - 1]
    true_positives = np.cumsum(hits)[last_of_tie]
    precision = true_positives / (last_of_tie + 1)
    recall_gain = np.diff(np.r_[0, true_positives]) / positives
    return float(np.sum(recall_gain * precision))


def cross_validated_probabilities(
    feature_sets: Sequence[dict[str, float]], labels: Sequence[int], settings: Settings, folds: int = 5
) -> FloatArray:
    """Each sentence's model probability from the model trained on the other folds."""
    assignment = fold_of(len(labels), folds)
    out = np.zeros(len(labels))
    for fold in range(folds):
        train = [i for i in range(len(labels)) if assignment[i] != fold]
        model = train_model([feature_sets[i] for i in train], [labels[i] for i in train], settings)
        for i in np.flatnonzero(assignment == fold):
            out[i] = model.probability_of_features(feature_sets[i])
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--l2", type=float, default=Settings.l2)
    parser.add_argument("--positive-weight", type=float, default=Settings.positive_weight)
    parser.add_argument("--min-count", type=int, default=Settings.min_count)
    parser.add_argument("--no-write", action="store_true", help="print the CV figures only")
    args = parser.parse_args(argv)
    settings = Settings(l2=args.l2, positive_weight=args.positive_weight, min_count=args.min_count)
    texts, labels = load_examples(args.data)
    feature_sets = featurise(texts)
    probabilities = cross_validated_probabilities(feature_sets, labels, settings)
    report = {"settings": settings.__dict__, "cv_sentence_model": scores_and_figures(labels, probabilities)}
    if not args.no_write:
        model = train_model(feature_sets, labels, settings)
        model.save(args.out)
        report["weights"] = {
            "path": str(args.out),
            "features": len(model.weights),
            "bytes": args.out.stat().st_size,
        }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
