"""BM25 over term-count matrices that take documents in and out without rebuilding: statistics (document
frequencies, lengths) are kept as counts and applied at query time, so scores always equal a fresh index's."""

from __future__ import annotations

from collections import Counter

import numpy as np
import numpy.typing as npt
from scipy import sparse

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

# Documents added since the last rebuild wait in small matrices; past this many the slices are merged.
_MAX_SEGMENTS = 16


class LexicalIndex:
    """BM25 (Lucene's idf, k1, b) over documents held in numbered slots. A removed slot scores nothing."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b
        self.vocabulary: dict[str, int] = {}
        self._df = np.zeros(0, dtype=np.int64)
        self._length = np.zeros(0, dtype=np.float64)
        self._terms: list[tuple[Ints, Floats]] = []  # per slot: term ids and their counts
        self._alive = np.zeros(0, dtype=bool)
        self._segments: list[tuple[int, sparse.csc_matrix]] = []  # (first slot, counts: slots x terms)
        self._pending_from = 0
        self._documents = 0
        self._total_length = 0.0

    @property
    def slots(self) -> int:
        return len(self._terms)

    def _term_ids(self, terms: list[str], grow: bool) -> list[int]:
        if grow:
            return [self.vocabulary.setdefault(term, len(self.vocabulary)) for term in terms]
        return [self.vocabulary[term] for term in terms if term in self.vocabulary]

    def append(self, documents: list[list[str]]) -> None:
        """Add documents (as terms) in the next slots."""
        for terms in documents:
            counts = Counter(self._term_ids(terms, grow=True))
            ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            self._terms.append((ids, tf))
            self._documents += 1
            self._total_length += float(len(terms))
        if len(self._df) < len(self.vocabulary):
            self._df = np.concatenate([self._df, np.zeros(len(self.vocabulary) - len(self._df), np.int64)])
        new = self._terms[self._pending_from :]
        self._alive = np.concatenate([self._alive, np.ones(len(new), dtype=bool)])
        for ids, _ in new:
            self._df[ids] += 1
        self._length = np.concatenate([self._length, np.array([tf.sum() for _, tf in new], dtype=np.float64)])
        if new:
            self._segments.append((self._pending_from, self._matrix(new)))
            self._pending_from = len(self._terms)
        if len(self._segments) > _MAX_SEGMENTS:
            self._segments = [(0, self._matrix(self._terms))]

    def _matrix(self, documents: list[tuple[Ints, Floats]]) -> sparse.csc_matrix:
        rows = np.repeat(np.arange(len(documents)), [len(ids) for ids, _ in documents])
        columns = np.concatenate([ids for ids, _ in documents]) if documents else np.zeros(0, np.int64)
        counts = np.concatenate([tf for _, tf in documents]) if documents else np.zeros(0)
        return sparse.csc_matrix((counts, (rows, columns)), shape=(len(documents), len(self.vocabulary)))

    def kept(self, slots: Ints) -> LexicalIndex:
        """A copy holding only these slots, renumbered 0.. in this order (the terms are not re-read)."""
        copy = LexicalIndex(self.k1, self.b)
        copy.vocabulary = dict(self.vocabulary)
        copy._df = self._df.copy()
        copy._terms = [self._terms[slot] for slot in slots]
        copy._alive = np.ones(len(slots), dtype=bool)
        copy._length = self._length[slots]
        copy._pending_from = len(slots)
        copy._documents = self._documents
        copy._total_length = self._total_length
        copy._segments = [(0, copy._matrix(copy._terms))]
        return copy

    def remove(self, slot: int) -> None:
        """Take a document out: it scores nothing and no longer counts in the statistics."""
        if not self._alive[slot]:
            return
        ids, tf = self._terms[slot]
        self._df[ids] -= 1
        self._alive[slot] = False
        self._documents -= 1
        self._total_length -= float(tf.sum())

    def idf(self, term_ids: Ints) -> Floats:
        df = self._df[term_ids].astype(np.float64)
        idf: Floats = np.log1p((self._documents - df + 0.5) / (df + 0.5))
        return idf

    def query_terms(self, terms: list[str]) -> Ints:
        return np.unique(np.array(self._term_ids(terms, grow=False), dtype=np.int64))

    def scores(self, term_ids: Ints) -> Floats:
        """BM25 of every slot for a query's distinct known terms (0 for removed slots)."""
        scores = np.zeros(self.slots, dtype=np.float64)
        if not len(term_ids) or not self._documents:
            return scores
        idf = self.idf(term_ids)
        average = self._total_length / self._documents if self._total_length else 1.0
        for first, matrix in self._segments:
            known = term_ids < matrix.shape[1]
            chosen = matrix[:, term_ids[known]]
            if not chosen.nnz:
                continue
            slot = chosen.indices.astype(np.int64) + first
            column = np.repeat(np.arange(chosen.shape[1]), np.diff(chosen.indptr))
            tf = chosen.data
            norm = self.k1 * (1.0 - self.b + self.b * self._length[slot] / average)
            weight = idf[known][column] * tf * (self.k1 + 1.0) / (tf + norm)
            scores += np.bincount(slot, weights=weight, minlength=self.slots)
        scores[~self._alive] = 0.0
        return scores

    def self_score(self, terms: list[str]) -> float:
        """What BM25 would give the query's own text as a document: the most it can score, so that a
        document's score over it is comparable across queries and indexes."""
        # Terms no stored document has (any more) count for nothing, as in an index built afresh.
        counts = Counter(term for term in self._term_ids(terms, grow=False) if self._df[term] > 0)
        if not counts or not self._documents:
            return 0.0
        ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        average = self._total_length / self._documents if self._total_length else 1.0
        norm = self.k1 * (1.0 - self.b + self.b * len(terms) / average)
        return float((self.idf(ids) * tf * (self.k1 + 1.0) / (tf + norm)).sum())

    def coverage(self, term_ids: Ints, slot: int) -> float:
        """The share of a document's term weight (idf) that the query's terms cover."""
        ids, _ = self._terms[slot]
        if not len(ids):
            return 0.0
        idf = self.idf(ids)
        total = float(idf.sum())
        return float(idf[np.isin(ids, term_ids)].sum()) / total if total > 0 else 0.0

    def document_terms(self, slot: int) -> tuple[Ints, Floats]:
        return self._terms[slot]
