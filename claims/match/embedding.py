"""Sentence embeddings that work offline: WordLlama's static 256-dimension token vectors, shipped in its
wheel, mean-pooled and normalised, so a cosine is one dot product."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

DIMENSIONS = 256
_TOKENIZER = "l2_supercat_tokenizer_config.json"

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> Vectors:
        """One unit-length float32 row per text (a zero row for a text without known words)."""
        ...


def model_cache_dir() -> Path:
    """Where WordLlama is pointed at its tokenizer file: $CLAIMS_CACHE_DIR, else ~/.cache/claim-annotator,
    else (no writable home) a temporary folder."""
    configured = os.environ.get("CLAIMS_CACHE_DIR", "").strip()
    if configured:
        return Path(configured).expanduser() / "wordllama"
    home_cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return home_cache / "claim-annotator" / "wordllama"


def _prepared(cache_dir: Path) -> Path:
    """A cache folder holding the wheel's tokenizer file where WordLlama's loader looks for it (it looks in
    `tokenizer/`, the wheel ships `tokenizers/`, and it would download the file otherwise)."""
    target = cache_dir / "tokenizers" / _TOKENIZER
    if not target.exists():
        shipped = files("wordllama").joinpath("tokenizers", _TOKENIZER)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copied under a temporary name and renamed: two processes preparing at once never see half a file.
        with tempfile.NamedTemporaryFile("wb", dir=target.parent, delete=False, suffix=".part") as part:
            with shipped.open("rb") as source:
                shutil.copyfileobj(source, part)
        os.replace(part.name, target)
    return cache_dir


class WordLlamaEmbedder:
    """WordLlama's l2_supercat model at 256 dimensions, loaded from the installed wheel, never downloaded."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        from wordllama import WordLlama

        chosen = cache_dir or model_cache_dir()
        try:
            folder = _prepared(chosen)
        except OSError:
            folder = _prepared(Path(tempfile.gettempdir()) / f"claim-annotator-{os.getuid()}" / "wordllama")
        self._model: Any = WordLlama.load(cache_dir=folder, dim=DIMENSIONS, disable_download=True)

    def embed(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # A text without known words pools to a zero vector; normalising it divides 0 by 0.
        with np.errstate(invalid="ignore", divide="ignore"):
            vectors = np.asarray(self._model.embed(texts, norm=True), dtype=np.float32)
        return np.nan_to_num(vectors, copy=False)


_shared: WordLlamaEmbedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> WordLlamaEmbedder:
    """One embedder per process (loading takes a fraction of a second and 16 MB)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = WordLlamaEmbedder()
        return _shared
