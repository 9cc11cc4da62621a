"""The matcher's fitted parameters: BM25's k1 and b, the fusion weights of the first stage, the weights
that rank the candidates by their features, and the logistic calibration that turns that ranking score
into a 0..1 score. Shipped as
`claims/match/data/matching_model.json`, written by `claims.match.training.train_model`."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import expit

MODEL_FILE = "matching_model.json"
# What each candidate is described by, in the order of the regression's weights.
FEATURES = (
    "lexical_z",  # BM25, z-scored over the index
    "embedding_z",  # cosine of the embeddings, z-scored over the index
    "cosine",  # the cosine itself (comparable across indexes of any size)
    "lexical_share",  # BM25 over the most the text's own terms could score
    "coverage",  # share of the fact-check's terms (idf-weighted) that the text has
    "numbers_shared",  # share of the fact-check's numbers that the text states
    "numbers_conflict",  # both state numbers, none in common
    "names_shared",  # share of the fact-check's names that the text mentions
    "names_missing",  # the fact-check names someone or something, the text none of them
)


# The calibration reads the ranking score and these absolute features (comparable across indexes).
CALIBRATED_BY = ("ranking", "cosine", "lexical_share")


@dataclass(frozen=True)
class MatchModel:
    """How candidates are found (BM25 and embeddings fused by z-score), ranked (a linear score over
    FEATURES, fitted as a conditional logit: the right fact-check against the other candidates) and scored
    (a logistic calibration over CALIBRATED_BY, so that 0.5 and above means "probably the same claim")."""

    k1: float = 1.2
    b: float = 0.75
    lexical_weight: float = 0.5
    embedding_weight: float = 0.5
    candidates: int = 30
    features: tuple[str, ...] = FEATURES
    weights: tuple[float, ...] = field(default=(0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0))
    calibration: tuple[float, ...] = field(default=(1.0, 0.0, 0.0))
    bias: float = -6.0
    # The cosines' spread over a large collection: a small index's z-scores lean on it (as if it held
    # `prior_documents` more documents like those), so that a desk with twenty fact-checks scores a
    # rewording as one with 100,000 does.
    cosine_mean: float = 0.0
    cosine_std: float = 0.0
    prior_documents: int = 1000
    trained_on: str = ""

    def __post_init__(self) -> None:
        if self.features != FEATURES or len(self.weights) != len(FEATURES):
            raise ValueError(f"a matching model needs one weight for each of {', '.join(FEATURES)}")
        if len(self.calibration) != len(CALIBRATED_BY):
            raise ValueError(f"a matching model needs one calibration weight for each of {CALIBRATED_BY}")

    def ranking(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The ranking score of each row of candidate features."""
        ranking: npt.NDArray[np.float64] = features @ np.asarray(self.weights, dtype=np.float64)
        return ranking

    def calibration_inputs(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        absolute = [features[:, FEATURES.index(name)] for name in CALIBRATED_BY[1:]]
        return np.column_stack([self.ranking(features), *absolute])

    def probabilities(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The calibrated score of each row of candidate features."""
        linear = self.calibration_inputs(features) @ np.asarray(self.calibration, dtype=np.float64)
        probabilities: npt.NDArray[np.float64] = expit(linear + self.bias)
        return probabilities

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> MatchModel:
        data: dict[str, Any] = json.loads(text)
        data["features"] = tuple(data["features"])
        data["weights"] = tuple(float(weight) for weight in data["weights"])
        data["calibration"] = tuple(float(weight) for weight in data["calibration"])
        model = cls(**data)
        numbers = (
            *model.weights,
            *model.calibration,
            model.bias,
            model.k1,
            model.b,
            model.cosine_mean,
            model.cosine_std,
        )
        if not all(math.isfinite(value) for value in numbers):
            raise ValueError("a matching model's parameters must be finite numbers")
        return model

    def save(self, path: Path) -> None:
        path.write_text(self.to_json(), encoding="utf-8")


@lru_cache(maxsize=1)
def shipped_model() -> MatchModel:
    """The model fitted on CLEF CheckThat! 2020 (task 2, English) train, shipped with the package."""
    return MatchModel.from_json(files("claims.match").joinpath("data", MODEL_FILE).read_text("utf-8"))


def shipped_model_path() -> Path:
    return Path(str(files("claims.match").joinpath("data", MODEL_FILE)))
