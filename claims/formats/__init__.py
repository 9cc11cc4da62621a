"""What goes in and out of a store: article readers, imports, exports, loads and ClaimReview."""
