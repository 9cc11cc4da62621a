"""How check-worthy a sentence looks: a logistic model over words and rule cues, scored in pure Python.

The weights ship in claims/suggest/data/checkworthiness.json, written by benchmarks/train_checkworthiness.py
(which calls claims.suggest.training).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

WEIGHTS_FILE = "checkworthiness.json"
FORMAT_VERSION = 2

_WORD_CASED = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+(?:[.,]\d+)*|[%$£€?]")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def word_tokens(text: str) -> list[str]:
    """Lower-cased words, with numbers folded to <year> and <num> and names to <name>.

    No single figure or person is learned: the debates the model is trained on name a few
    candidates over and over, and news names others.
    """
    tokens = []
    for position, match in enumerate(_WORD_CASED.finditer(text)):
        word = match.group().replace("’", "'")
        if word[0].isdigit():
            word = "<year>" if _YEAR.fullmatch(word) else "<num>"
        elif word in "$£€":
            word = "<money>"
        elif position > 0 and word[0].isupper() and word != "I" and not word.startswith("I'"):
            word = "<name>"
        tokens.append(word.lower())
    return tokens


def sentence_features(text: str, cues: Iterable[str]) -> dict[str, float]:
    """The features of a sentence: its words, word pairs, word prefixes and rule cues.

    Word features share a unit of weight (each is 1/sqrt(count)), so a long news sentence does
    not look more check-worthy merely for having more words than a short debate line.
    """
    tokens = word_tokens(text)
    words = {f"w={token}" for token in tokens}
    padded = ["<s>", *tokens, "</s>"]
    words.update(f"b={first} {second}" for first, second in zip(padded, padded[1:], strict=False))
    words.update(f"p={token[:5]}" for token in tokens if len(token) > 5)
    share = 1.0 / math.sqrt(len(words)) if words else 0.0
    features = dict.fromkeys(words, share)
    features.update(dict.fromkeys((f"r={cue}" for cue in cues), 1.0))
    # Length in bands of 8 words, the last open (24 and more): news runs longer than debates do.
    features[f"n={min(len(tokens) // 8, 3)}"] = 1.0
    return features


@dataclass(frozen=True, slots=True)
class CheckworthinessModel:
    """A logistic model, calibrated: P(check-worthy) = sigmoid(scale * logit + shift), where the logit is
    the bias plus the weights of the features present and (scale, shift) come from Platt scaling."""

    bias: float
    weights: Mapping[str, float]
    scale: float = 1.0
    shift: float = 0.0

    def probability(self, text: str, cues: Iterable[str]) -> float:
        return self.probability_of_features(sentence_features(text, cues))

    def logit_of_features(self, features: Mapping[str, float]) -> float:
        weights = self.weights
        return self.bias + sum(weights.get(name, 0.0) * value for name, value in features.items())

    def probability_of_features(self, features: Mapping[str, float]) -> float:
        return sigmoid(self.scale * self.logit_of_features(features) + self.shift)

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "bias": round(self.bias, 5),
            "calibration": {"scale": round(self.scale, 5), "shift": round(self.shift, 5)},
            "weights": {name: round(value, 4) for name, value in sorted(self.weights.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CheckworthinessModel:
        if data.get("format_version") not in {1, FORMAT_VERSION}:
            raise ValueError(f"check-worthiness weights have format {data.get('format_version')!r}")
        weights = {str(name): float(value) for name, value in data["weights"].items()}
        calibration = data.get("calibration", {})  # format 1 had none
        return cls(
            bias=float(data["bias"]),
            weights=weights,
            scale=float(calibration.get("scale", 1.0)),
            shift=float(calibration.get("shift", 0.0)),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), separators=(",", ":"), sort_keys=True) + "\n")


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


@cache
def shipped_model() -> CheckworthinessModel:
    """The model trained on the ClaimBuster debates, loaded once and shared (it is immutable)."""
    with (
        resources.files("claims.suggest").joinpath("data", WEIGHTS_FILE).open("r", encoding="utf-8") as handle
    ):
        return CheckworthinessModel.from_json(json.load(handle))
