"""Fitting the matching model on queries with known answers (CLEF CheckThat! claim retrieval): BM25's
k1 and b and the fusion weights chosen by MAP@5, ranking weights over the candidates' features (a
conditional logit: the right fact-check against the other candidates), then a logistic calibration of
the best few candidates' scores."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize
from scipy.special import expit, log_expit, logsumexp

from claims.match.embedding import Embedder, Vectors, shared_embedder
from claims.match.index import MatchIndex
from claims.match.model import FEATURES, MatchModel
from claims.match.text import canonical, normalise_query

K1_GRID = (0.8, 1.2, 1.6, 2.0)
B_GRID = (0.5, 0.75, 0.9)
LEXICAL_SHARE_GRID = tuple(round(share * 0.1, 1) for share in range(11))
# L2 penalties (on the summed log-losses) of the ranking weights and the calibration's weights.
RANKING_PENALTIES = (1.0, 10.0, 100.0)
_CALIBRATION_PENALTY = 0.01
_CALIBRATED_DEPTH = 5


class MemoEmbedder:
    """Remembers each text's embedding: training builds many indexes over the same documents."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._known: dict[str, Vectors] = {}

    def embed(self, texts: list[str]) -> Vectors:
        missing = list(dict.fromkeys(text for text in texts if text not in self._known))
        if missing:
            self._known.update(zip(missing, self._embedder.embed(missing), strict=True))
        if not texts:
            return self._embedder.embed([])
        return np.stack([self._known[text] for text in texts])


def average_precision(ranked: list[str], relevant: set[str], depth: int = 5) -> float:
    """AP@depth: precision at each rank (up to depth) holding a relevant key, over the relevant keys."""
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for rank, key in enumerate(ranked[:depth], start=1):
        if key in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), depth)


def mean_average_precision(
    rankings: Mapping[str, list[str]], relevant: Mapping[str, set[str]], depth: int = 5
) -> float:
    """MAP@depth over the queries that have relevant keys."""
    scored = [average_precision(rankings.get(query, []), keys, depth) for query, keys in relevant.items()]
    return float(np.mean(scored)) if scored else 0.0


def first_stage_rankings(
    index: MatchIndex, queries: Mapping[str, str], depth: int = 5
) -> dict[str, list[str]]:
    """Each query's keys by fused score alone (BM25 and embeddings, as the model weighs them)."""
    found = index.candidates_many(list(queries.values()), depth)
    weights = np.array([index.model.lexical_weight, index.model.embedding_weight])
    rankings = {}
    for query_id, candidates in zip(queries, found, strict=True):
        fused = candidates.features[:, :2] @ weights
        order = sorted(range(len(candidates.keys)), key=lambda i: (-fused[i], candidates.keys[i]))
        rankings[query_id] = [candidates.keys[i] for i in order[:depth]]
    return rankings


def model_rankings(index: MatchIndex, queries: Mapping[str, str], depth: int = 5) -> dict[str, list[str]]:
    """Each query's keys as `MatchIndex.search` ranks them (by the model's calibrated score)."""
    found = index.search_many(list(queries.values()), depth)
    return {query_id: [key for key, _ in matches] for query_id, matches in zip(queries, found, strict=True)}


Matrix = npt.NDArray[np.float64]


def fit_logistic(features: Matrix, labels: Matrix, penalty: float) -> tuple[tuple[float, ...], float]:
    """Weights and bias of an L2-penalised logistic regression (L-BFGS on the summed log-loss)."""
    columns = features.shape[1]

    def loss(parameters: Matrix) -> tuple[float, Matrix]:
        weights, bias = parameters[:columns], parameters[columns]
        linear = features @ weights + bias
        value = -np.sum(labels * log_expit(linear) + (1 - labels) * log_expit(-linear))
        error = expit(linear) - labels
        gradient = np.append(features.T @ error + penalty * weights, error.sum())
        return float(value + penalty * float(weights @ weights) / 2), gradient

    result = minimize(loss, np.zeros(columns + 1), jac=True, method="L-BFGS-B")
    return tuple(float(weight) for weight in result.x[:columns]), float(result.x[columns])


def fit_conditional_logit(groups: list[tuple[Matrix, Matrix]], penalty: float) -> tuple[float, ...]:
    """Ranking weights: for each query (its candidates' features, which are right), the softmax of the
    linear scores over its candidates puts as much weight on the right ones as it can (L2-penalised)."""
    columns = groups[0][0].shape[1]

    def loss(weights: Matrix) -> tuple[float, Matrix]:
        value = penalty * float(weights @ weights) / 2
        gradient = penalty * weights
        for features, right in groups:
            scores = features @ weights
            normaliser = logsumexp(scores)
            value += normaliser - float(right @ scores) / right.sum()
            gradient = gradient + features.T @ np.exp(scores - normaliser) - features.T @ right / right.sum()
        return float(value), gradient

    result = minimize(loss, np.zeros(columns), jac=True, method="L-BFGS-B")
    return tuple(float(weight) for weight in result.x)


def _choose(
    candidates: Iterable[MatchModel],
    score: Callable[[MatchModel], float],
    report: dict[str, float],
    name: str,
) -> MatchModel:
    best: tuple[float, MatchModel] | None = None
    for model in candidates:
        value = score(model)
        if best is None or value > best[0]:
            best = (value, model)
    assert best is not None
    report[name] = best[0]
    return best[1]


def train_model(
    documents: Mapping[str, str],
    queries: Mapping[str, str],
    relevant: Mapping[str, set[str]],
    *,
    embedder: Embedder | None = None,
    trained_on: str = "",
) -> tuple[MatchModel, dict[str, float]]:
    """Fit the matching model on `queries` (by id) whose `relevant` document keys are known; returns it
    with its MAP@5 on these queries at each step (BM25 alone, embeddings alone, fused, re-scored)."""
    memo = MemoEmbedder(embedder or shared_embedder())
    report: dict[str, float] = {}
    cosines = (
        memo.embed([normalise_query(text) for text in queries.values()])
        @ memo.embed([canonical(text) for text in documents.values()]).T
    )

    def first_stage(model: MatchModel) -> float:
        index = MatchIndex(documents, model=model, embedder=memo)
        return mean_average_precision(first_stage_rankings(index, queries), relevant)

    lexical = MatchModel(
        lexical_weight=1.0,
        embedding_weight=0.0,
        cosine_mean=float(cosines.mean()),
        cosine_std=float(cosines.std()),
    )
    lexical = _choose(
        (replace(lexical, k1=k1, b=b) for k1 in K1_GRID for b in B_GRID), first_stage, report, "map5_bm25"
    )
    report["map5_embeddings"] = first_stage(replace(lexical, lexical_weight=0.0, embedding_weight=1.0))
    fused = _choose(
        (replace(lexical, lexical_weight=share, embedding_weight=1 - share) for share in LEXICAL_SHARE_GRID),
        first_stage,
        report,
        "map5_fused",
    )
    index = MatchIndex(documents, model=fused, embedder=memo)
    groups = []
    for query_id, found in zip(queries, index.candidates_many(list(queries.values())), strict=True):
        right = np.array([float(key in relevant.get(query_id, set())) for key in found.keys])
        if right.any():
            groups.append((found.features, right))
    # The fused score itself is one candidate ranking; the fitted ones must beat it on these queries.
    fusion_only = tuple(
        {"lexical_z": fused.lexical_weight, "embedding_z": fused.embedding_weight}.get(name, 0.0)
        for name in FEATURES
    )
    rankings = [fusion_only, *(fit_conditional_logit(groups, penalty) for penalty in RANKING_PENALTIES)]

    def reranked(model: MatchModel) -> float:
        index.model = model
        return mean_average_precision(model_rankings(index, queries), relevant)

    ranked = _choose(
        (replace(fused, features=FEATURES, weights=weights) for weights in rankings),
        reranked,
        report,
        "map5_reranked",
    )
    # Calibrated on the candidates a reader sees (the best few by ranking score), not on the long tail.
    shown = [
        (features[order], right[order])
        for features, right in groups
        for order in [np.argsort(-ranked.ranking(features), kind="stable")[:_CALIBRATED_DEPTH]]
    ]
    # Calibrated by the ranking score and the absolute similarities too: z-scores alone read the same
    # rewording lower in a desk of twenty fact-checks than in one of 100,000, the absolute ones do not.
    calibration, bias = fit_logistic(
        np.vstack([ranked.calibration_inputs(features) for features, _ in shown]),
        np.concatenate([right for _, right in shown]),
        _CALIBRATION_PENALTY,
    )
    model = replace(ranked, calibration=calibration, bias=bias)
    report["map5_model"] = reranked(model)
    return replace(model, trained_on=trained_on), report
