"""Training and measuring the check-worthiness model: the data sets, the logistic fit, calibration, CV.

benchmarks/train_checkworthiness.py and benchmarks/eval_suggestions.py only call these. Every
sentence's features come from `document_features`, the function the suggester serves with, so
training sees what serving sees (a transcript is read as one document, as an article is).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy import sparse

from claims.models import Sentence
from claims.suggest.checkworthiness import CheckworthinessModel
from claims.suggest.engine import document_features

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Features = dict[str, float]


@dataclass(frozen=True)
class Settings:
    """The training choices; the defaults are what the shipped weights were trained with."""

    l2: float = 0.25  # penalty on the sum of squared weights, against the summed (not mean) log loss
    min_count: int = 3  # a feature must occur in this many training sentences to get a weight
    positive_weight: float = 2.0  # ClaimBuster is 29% check-worthy; this moves the F1 optimum near 0.5
    # A CheckThat sentence counts this much: its labels say what one organisation chose to check
    # (2.7% of sentences), not everything worth checking, so its negatives are weak evidence. Chosen by
    # ClaimBuster 5-fold CV (AP 0.861 at 0.3 and 3.0, 0.870 here) with the CheckThat grouped-CV MAP
    # of the model alone unchanged (0.243, 0.241).
    checkthat_weight: float = 0.05
    checkthat_positive_weight: float = 6.0
    iterations: int = 1500
    learning_rate: float = 0.1
    prune_below: float = 0.02  # drop near-zero weights from the shipped file


@dataclass(frozen=True)
class Transcript:
    """One CheckThat debate or speech: its lines (one sentence each, names left as they are) and labels."""

    name: str
    lines: list[str]
    labels: list[int]

    def as_document(self) -> tuple[str, list[Sentence]]:
        """The transcript as one text, a line a sentence, as an article body is read."""
        sentences: list[Sentence] = []
        position = 0
        for index, line in enumerate(self.lines):
            sentences.append(
                Sentence(index=index, paragraph=index, start=position, end=position + len(line), text=line)
            )
            position += len(line) + 1
        return "\n".join(self.lines), sentences


def load_claimbuster(path: Path) -> tuple[list[str], list[int]]:
    records = json.loads(path.read_text(encoding="utf-8"))
    return [str(r["text"]) for r in records], [int(r["label"]) for r in records]


def load_checkthat(directory: Path) -> list[Transcript]:
    """The transcripts of `line_no<TAB>speaker<TAB>text<TAB>label` files, by file name."""
    transcripts = []
    for path in sorted(directory.glob("*.tsv")):
        lines, labels = [], []
        for row in path.read_text(encoding="utf-8").splitlines():
            fields = row.split("\t")
            if len(fields) >= 4 and fields[2].strip():
                lines.append(" ".join(fields[2].split()))
                labels.append(int(fields[3]))
        transcripts.append(Transcript(path.stem, lines, labels))
    return transcripts


def featurise_sentences(texts: Sequence[str]) -> list[Features]:
    """Features of sentences that stand alone (ClaimBuster's), each read as a one-sentence document."""
    return [document_features(text, [_whole(text)])[0] for text in texts]


def featurise_transcript(transcript: Transcript) -> list[Features]:
    text, sentences = transcript.as_document()
    return document_features(text, sentences)


def _whole(text: str) -> Sentence:
    return Sentence(index=0, paragraph=0, start=0, end=len(text), text=text)


# --- the fit -------------------------------------------------------------------------------------------


def train_model(
    feature_sets: Sequence[Features],
    labels: Sequence[int],
    settings: Settings = Settings(),
    weights: Sequence[float] | None = None,
) -> CheckworthinessModel:
    """A logistic model over the features, fitted by full-batch Adam on the L2-regularised log loss.

    `weights` weigh each example (1 when not given); positives are weighed `positive_weight` more.
    """
    counts = Counter(feature for features in feature_sets for feature in features)
    vocabulary = {
        name: i for i, name in enumerate(sorted(f for f, c in counts.items() if c >= settings.min_count))
    }
    indptr, indices, values = _sparse_rows(feature_sets, vocabulary)
    targets = np.asarray(labels, dtype=np.float64)
    example_weight = np.ones(len(targets)) if weights is None else np.asarray(weights, dtype=np.float64)
    example_weight = example_weight * np.where(targets > 0, settings.positive_weight, 1.0)
    bias, fitted = _fit_logistic(indptr, indices, values, targets, example_weight, len(vocabulary), settings)
    names = sorted(vocabulary, key=vocabulary.__getitem__)
    kept = {name: float(w) for name, w in zip(names, fitted, strict=True) if abs(w) >= settings.prune_below}
    return CheckworthinessModel(bias=float(bias), weights=kept)


def _sparse_rows(
    feature_sets: Sequence[Features], vocabulary: dict[str, int]
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
    sample_weight: FloatArray,
    n_features: int,
    settings: Settings,
) -> tuple[float, FloatArray]:
    """Minimise sum_i c_i * logloss_i + l2/2 * |w|^2 by full-batch Adam (the bias is not penalised)."""
    n_rows = len(labels)
    matrix = sparse.csr_matrix((values, indices, indptr), shape=(n_rows, n_features))
    transposed = matrix.T.tocsr()
    params = np.zeros(n_features + 1)
    first_moment = np.zeros_like(params)
    second_moment = np.zeros_like(params)
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    for step in range(1, settings.iterations + 1):
        weights, bias = params[:-1], params[-1]
        logits = matrix @ weights + bias
        probabilities = 1.0 / (1.0 + np.exp(-logits))
        residual = sample_weight * (probabilities - labels)
        gradient = np.empty_like(params)
        gradient[:-1] = transposed @ residual
        gradient[:-1] += settings.l2 * weights
        gradient[-1] = residual.sum()
        gradient /= n_rows
        first_moment = beta1 * first_moment + (1 - beta1) * gradient
        second_moment = beta2 * second_moment + (1 - beta2) * gradient**2
        corrected = first_moment / (1 - beta1**step)
        scale = np.sqrt(second_moment / (1 - beta2**step)) + epsilon
        params -= settings.learning_rate * corrected / scale
    return float(params[-1]), params[:-1]


def fit_platt(logits: Sequence[float], labels: Sequence[int], iterations: int = 50) -> tuple[float, float]:
    """Platt scaling: the (scale, shift) making sigmoid(scale * logit + shift) a calibrated probability,
    fitted by Newton's method on the log loss with Platt's smoothed targets."""
    x = np.asarray(logits, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    positives, negatives = float(y.sum()), float(len(y) - y.sum())
    target = np.where(y > 0, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    scale, shift = 1.0, 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(scale * x + shift)))
        residual = p - target
        curvature = np.maximum(p * (1 - p), 1e-12)
        gradient = np.array([np.sum(residual * x), np.sum(residual)])
        hessian = np.array(
            [[np.sum(curvature * x * x), np.sum(curvature * x)], [np.sum(curvature * x), np.sum(curvature)]]
        )
        step = np.linalg.solve(hessian + 1e-9 * np.eye(2), gradient)
        scale, shift = scale - float(step[0]), shift - float(step[1])
        if np.max(np.abs(step)) < 1e-9:
            break
    return scale, shift


def calibrated(model: CheckworthinessModel, scale: float, shift: float) -> CheckworthinessModel:
    return replace(model, scale=scale, shift=shift)


# --- cross-validation ----------------------------------------------------------------------------------


def fold_of(count: int, folds: int = 5, seed: int = 13) -> IntArray:
    """A fixed random fold number for each example, shared by the trainer and the eval."""
    order = np.random.default_rng(seed).permutation(count)
    assignment = np.empty(count, dtype=np.int64)
    assignment[order] = np.arange(count) % folds
    return assignment


@dataclass(frozen=True)
class TrainingData:
    """Both data sets, featurised once: ClaimBuster sentences and CheckThat transcripts."""

    claimbuster: list[Features]
    claimbuster_labels: list[int]
    transcripts: list[Transcript]
    transcript_features: list[list[Features]]

    @classmethod
    def load(cls, claimbuster: Path, checkthat: Path | None) -> TrainingData:
        texts, labels = load_claimbuster(claimbuster)
        transcripts = load_checkthat(checkthat) if checkthat is not None and checkthat.is_dir() else []
        return cls(
            featurise_sentences(texts), labels, transcripts, [featurise_transcript(t) for t in transcripts]
        )

    def fit(
        self,
        settings: Settings,
        claimbuster_rows: Sequence[int] | None = None,
        transcript_rows: Sequence[int] | None = None,
    ) -> CheckworthinessModel:
        """A model trained on these ClaimBuster sentences and transcripts (all when not given)."""
        rows = range(len(self.claimbuster)) if claimbuster_rows is None else claimbuster_rows
        kept = range(len(self.transcripts)) if transcript_rows is None else transcript_rows
        features = [self.claimbuster[i] for i in rows]
        labels = [self.claimbuster_labels[i] for i in rows]
        weights = [1.0] * len(features)
        for t in kept:
            for row, label in zip(self.transcript_features[t], self.transcripts[t].labels, strict=True):
                features.append(row)
                labels.append(label)
                factor = settings.checkthat_positive_weight if label else 1.0
                weights.append(settings.checkthat_weight * factor)
        return train_model(features, labels, settings, weights)


def claimbuster_out_of_fold_logits(data: TrainingData, settings: Settings, folds: int = 5) -> FloatArray:
    """Each ClaimBuster sentence's logit from a model trained on the other folds (and every transcript)."""
    assignment = fold_of(len(data.claimbuster), folds)
    out = np.zeros(len(data.claimbuster))
    for fold in range(folds):
        train = np.flatnonzero(assignment != fold)
        model = data.fit(settings, [int(i) for i in train])
        for i in np.flatnonzero(assignment == fold):
            out[i] = model.logit_of_features(data.claimbuster[i])
    return out


def checkthat_grouped_logits(data: TrainingData, settings: Settings, folds: int = 5) -> list[FloatArray]:
    """Each transcript's sentence logits from a model trained on ClaimBuster and the transcripts of the
    other groups (grouped k-fold: a transcript is never split)."""
    out: list[FloatArray] = [np.zeros(0)] * len(data.transcripts)
    for fold in range(folds):
        held = [t for t in range(len(data.transcripts)) if t % folds == fold]
        model = data.fit(settings, None, [t for t in range(len(data.transcripts)) if t % folds != fold])
        for t in held:
            out[t] = np.asarray([model.logit_of_features(row) for row in data.transcript_features[t]])
    return out


# --- figures -------------------------------------------------------------------------------------------


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


def mean_average_precision(labels: Sequence[Sequence[int]], scores: Sequence[Sequence[float]]) -> float:
    """The mean over groups (transcripts) of each group's average precision, groups without positives
    left out (as CheckThat's scorer does)."""
    precisions = [
        average_precision(np.asarray(truth, dtype=bool), np.asarray(score, dtype=np.float64))
        for truth, score in zip(labels, scores, strict=True)
        if any(truth)
    ]
    return sum(precisions) / len(precisions) if precisions else math.nan
