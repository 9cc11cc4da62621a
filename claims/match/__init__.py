"""Has this been checked before? Matching a text against known fact-checks and the desk's rated claims."""

from claims.match.index import MatchIndex
from claims.match.model import MatchModel, shipped_model
from claims.match.text import normalise_query

__all__ = ["MatchIndex", "MatchModel", "normalise_query", "shipped_model"]
