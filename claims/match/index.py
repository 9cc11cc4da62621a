"""`MatchIndex`: documents by key, searched by BM25 and embeddings fused, the candidates re-scored by the
matching model. Kept in step one document at a time: only new or changed texts are tokenised and embedded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from claims.match.embedding import DIMENSIONS, Embedder, Vectors, shared_embedder
from claims.match.lexical import Floats, Ints, LexicalIndex
from claims.match.model import MatchModel, shipped_model
from claims.match.text import canonical, names, normalise_query, numbers, tokenize

# Removed documents leave their slot empty until this share of slots is empty; then the index is compacted.
_EMPTY_SHARE = 0.25
# Queries whose cosines are computed in one matrix product (64 x 100,000 float32 is 25 MB).
_BATCH = 64


@dataclass(frozen=True)
class Candidates:
    """The first stage's candidates for one text, with the features the model scores them by."""

    keys: list[str]
    features: npt.NDArray[np.float64]  # one row per key, columns as claims.match.model.FEATURES


def _z_scores(
    values: Floats, alive: npt.NDArray[np.bool_], prior: tuple[float, float, int] | None = None
) -> Floats:
    """(value - mean) / standard deviation over the live documents; with a prior (mean, deviation,
    weight in documents), the index's own statistics are pooled with it."""
    live = values[alive]
    count = len(live)
    mean = float(live.mean()) if count else 0.0
    variance = float(live.var()) if count else 0.0
    if prior is not None and prior[1] > 0:
        prior_mean, prior_spread, weight = prior
        pooled = (count * mean + weight * prior_mean) / (count + weight)
        variance = (
            count * (variance + (mean - pooled) ** 2)
            + weight * (prior_spread**2 + (prior_mean - pooled) ** 2)
        ) / (count + weight)
        mean = pooled
    elif count < 2:
        return np.zeros_like(values)
    if variance < 1e-18:
        return np.zeros_like(values)
    z: Floats = (values - mean) / variance**0.5
    return z


def _share(found: frozenset[str], wanted: frozenset[str]) -> float:
    return len(found & wanted) / len(wanted) if wanted else 0.0


class MatchIndex:
    """Documents (a fact-check's claim and title, say) by key, to find the ones a text repeats.

    `search` returns (key, score) best first, the score calibrated to 0..1 by the model. Not thread-safe
    on its own: callers that share one (claims.match.desk) hold a lock.
    """

    def __init__(
        self,
        documents: Mapping[str, str] | None = None,
        *,
        model: MatchModel | None = None,
        embedder: Embedder | None = None,
    ) -> None:
        self.model = model or shipped_model()
        self._embedder = embedder
        self._lexical = LexicalIndex(self.model.k1, self.model.b)
        self._vectors: Vectors = np.zeros((0, DIMENSIONS), dtype=np.float32)
        self._keys: list[str | None] = []  # per slot; None once removed
        self._texts: list[str] = []
        self._facts: dict[int, tuple[frozenset[str], frozenset[str]]] = {}  # slot -> (numbers, names)
        self._alive = np.zeros(0, dtype=bool)
        self._slot: dict[str, int] = {}
        if documents:
            self.update(documents)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = shared_embedder()
        return self._embedder

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, key: object) -> bool:
        return key in self._slot

    def keys(self) -> list[str]:
        return list(self._slot)

    def text(self, key: str) -> str:
        return self._texts[self._slot[key]]

    # -- keeping in step

    def update(self, documents: Mapping[str, str]) -> None:
        """Add documents by key, replacing the text of a key already there; an unchanged text is left as
        it is (not tokenised or embedded again)."""
        changed = {
            key: text for key, text in documents.items() if key not in self._slot or self.text(key) != text
        }
        if not changed:
            return
        self.remove([key for key in changed if key in self._slot])
        texts = list(changed.values())
        first = len(self._keys)
        read = [canonical(text) for text in texts]
        self._lexical.append([tokenize(text) for text in read])
        vectors = self.embedder.embed(read)
        self._grow(len(texts))
        self._vectors[first : first + len(texts)] = vectors
        self._keys.extend(changed)
        self._texts.extend(texts)
        self._alive = np.concatenate([self._alive, np.ones(len(texts), dtype=bool)])
        self._slot.update({key: first + offset for offset, key in enumerate(changed)})

    def _grow(self, more: int) -> None:
        needed = len(self._keys) + more
        if needed > len(self._vectors):
            grown = np.zeros((max(needed, 2 * len(self._vectors), 64), DIMENSIONS), dtype=np.float32)
            grown[: len(self._keys)] = self._vectors[: len(self._keys)]
            self._vectors = grown

    def remove(self, keys: Iterable[str]) -> None:
        """Take documents out by key (a key not in the index is ignored)."""
        for key in keys:
            slot = self._slot.pop(key, None)
            if slot is None:
                continue
            self._lexical.remove(slot)
            self._alive[slot] = False
            self._keys[slot] = None
            self._texts[slot] = ""
            self._facts.pop(slot, None)
        if len(self._keys) > 64 and len(self._slot) < (1 - _EMPTY_SHARE) * len(self._keys):
            self._compact()

    def _compact(self) -> None:
        kept: Ints = np.flatnonzero(self._alive).astype(np.int64)
        self._lexical = self._lexical.kept(kept)
        self._vectors = np.ascontiguousarray(self._vectors[kept])
        self._keys = [self._keys[slot] for slot in kept]
        self._texts = [self._texts[slot] for slot in kept]
        self._facts = {}
        self._alive = np.ones(len(kept), dtype=bool)
        self._slot = {key: slot for slot, key in enumerate(self._keys) if key is not None}

    # -- searching

    def search(self, text: str, top: int = 5) -> list[tuple[str, float]]:
        """The `top` documents that best match `text`, best first, each with its calibrated score."""
        return self.search_many([text], top)[0]

    def search_many(self, texts: list[str], top: int = 5) -> list[list[tuple[str, float]]]:
        """`search` for many texts at once (their embeddings in one matrix product)."""
        return [self._ranked(found, top) for found in self.candidates_many(texts, max(top, 1))]

    def _ranked(self, found: Candidates, top: int) -> list[tuple[str, float]]:
        if not found.keys or top < 1:
            return []
        scores = self.model.probabilities(found.features)
        order = sorted(range(len(found.keys)), key=lambda i: (-scores[i], found.keys[i]))
        return [(found.keys[i], float(scores[i])) for i in order[:top]]

    def candidates_many(self, texts: list[str], at_least: int = 0) -> list[Candidates]:
        """The first stage for each text: its best `model.candidates` documents (at least `at_least`) by
        fused score, with their features. Used by `search` and by training."""
        queries = [normalise_query(text) for text in texts]
        found: list[Candidates] = []
        for start in range(0, len(queries), _BATCH):
            batch = queries[start : start + _BATCH]
            vectors = self.embedder.embed(batch)
            cosines = self._vectors[: len(self._keys)] @ vectors.T if self._slot else None
            for offset, query in enumerate(batch):
                column = None if cosines is None else cosines[:, offset].astype(np.float64)
                found.append(self._candidates(query, column, vectors[offset], at_least))
        return found

    def _candidates(self, query: str, cosines: Floats | None, vector: Vectors, at_least: int) -> Candidates:
        empty = Candidates([], np.zeros((0, len(self.model.features))))
        words = tokenize(query)
        terms = self._lexical.query_terms(words)
        if cosines is None or not words:
            return empty
        lexical = self._lexical.scores(terms)
        lexical_z = _z_scores(lexical, self._alive)
        model = self.model
        embedding_z = _z_scores(
            cosines, self._alive, (model.cosine_mean, model.cosine_std, model.prior_documents)
        )
        fused = self.model.lexical_weight * lexical_z + self.model.embedding_weight * embedding_z
        fused[~self._alive] = -np.inf
        depth = min(max(self.model.candidates, at_least), len(self._slot))
        chosen = np.argpartition(-fused, depth - 1)[:depth] if depth < len(fused) else np.arange(len(fused))
        chosen = chosen[self._alive[chosen]]
        query_facts = (numbers(query), names(query))
        lexical_share = lexical / max(self._lexical.self_score(words), 1e-9)
        rows = [
            self._features(int(slot), terms, query_facts, (lexical_z, embedding_z, cosines, lexical_share))
            for slot in chosen
        ]
        keys = [self._keys[int(slot)] or "" for slot in chosen]
        return Candidates(keys, np.array(rows, dtype=np.float64).reshape(len(keys), len(self.model.features)))

    def _features(
        self,
        slot: int,
        terms: Ints,
        query_facts: tuple[frozenset[str], frozenset[str]],
        scores: tuple[Floats, Floats, Floats, Floats],
    ) -> list[float]:
        facts = self._facts.get(slot)
        if facts is None:
            facts = self._facts[slot] = (numbers(self._texts[slot]), names(self._texts[slot]))
        doc_numbers, doc_names = facts
        query_numbers, query_names = query_facts
        return [
            *(float(values[slot]) for values in scores),
            self._lexical.coverage(terms, slot),
            _share(query_numbers, doc_numbers),
            float(bool(doc_numbers and query_numbers and not doc_numbers & query_numbers)),
            _share(query_names, doc_names),
            float(bool(doc_names and not doc_names & query_names)),
        ]
