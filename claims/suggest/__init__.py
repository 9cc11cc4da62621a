"""Proposed claims: rules that find spans, a model that rates sentences, and editors' decisions on them."""
