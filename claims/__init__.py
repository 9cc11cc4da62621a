"""Claims in news articles: reading, splitting, labelling, storing and exporting them.

The public API for notebooks and other tools; the CLI (`python -m claims`) and the Streamlit
annotator are two doors onto these same functions.
"""

from claims.annotations import apply_changes, locate_quote, new_claim
from claims.errors import ClaimsError
from claims.formats.articles import make_article, read_article_file, read_articles
from claims.formats.export import export_bytes, export_document
from claims.formats.importing import import_bytes, import_paths
from claims.formats.loading import load_export, read_export
from claims.models import (
    Article,
    ArticleSummary,
    Claim,
    ClaimChanges,
    ClaimDraft,
    ClaimStatus,
    ClaimType,
    Sentence,
    Suggestion,
    Verdict,
)
from claims.segmentation import split_sentences
from claims.stats import store_stats
from claims.store import MemoryRepository, Repository, open_repository
from claims.suggest.engine import suggest_claims

__all__ = [
    "Article",
    "ArticleSummary",
    "Claim",
    "ClaimChanges",
    "ClaimDraft",
    "ClaimStatus",
    "ClaimType",
    "ClaimsError",
    "MemoryRepository",
    "Repository",
    "Sentence",
    "Suggestion",
    "Verdict",
    "apply_changes",
    "export_bytes",
    "export_document",
    "import_bytes",
    "import_paths",
    "load_export",
    "locate_quote",
    "make_article",
    "new_claim",
    "open_repository",
    "read_article_file",
    "read_articles",
    "read_export",
    "split_sentences",
    "store_stats",
    "suggest_claims",
]
