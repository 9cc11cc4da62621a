-- Schema 4: what the workflow's queries filter, sort and count on ("My claims", the waiting sort, the
-- weekly throughput groups; see claims/store/queries.py). The code fills these columns for the claims
-- present right after this file runs, in the same transaction (schema.py, BACKFILLS).
--
-- Mentions as a text[] column rather than a side table: a claim's mentions change only with its comments,
-- are few, and are read only with the claim's other columns; a side table would add a join to "My claims"
-- and a second write to every comment for nothing the array cannot answer.
ALTER TABLE claims
    ADD COLUMN rated_by text COLLATE "C",
    ADD COLUMN rated_at timestamptz,
    ADD COLUMN approved_at timestamptz,
    ADD COLUMN published_at timestamptz,
    ADD COLUMN status_since timestamptz,
    ADD COLUMN mentions text[] COLLATE "C" NOT NULL DEFAULT '{}';

-- The review queue (needs review, longest waiting first) and the waiting sort of one status; like the
-- other indexes of schema 2 it ends in the id, so pages are stable.
CREATE INDEX claims_review_queue ON claims (status, status_since NULLS FIRST, id);
