-- Schema 2: what the query contract filters and sorts on. The columns derived from a record's text
-- (casefolded names, search keys) are computed by the code, which fills them for the rows present right
-- after this file runs, in the same transaction (see schema.py, BACKFILLS).

ALTER TABLE claims
    ADD COLUMN assignee text COLLATE "C",
    ADD COLUMN status_rank smallint,
    ADD COLUMN claimant_key text COLLATE "C";

-- Kept in step by every transaction that writes claims: what the Articles page sorts and shows.
ALTER TABLE articles
    ADD COLUMN title_key text COLLATE "C",
    ADD COLUMN search text COLLATE "C",
    ADD COLUMN claim_count integer NOT NULL DEFAULT 0,
    ADD COLUMN last_updated_at timestamptz,
    ADD COLUMN last_updated_by text;

UPDATE articles AS a
SET claim_count = s.claims, last_updated_at = s.updated_at, last_updated_by = s.updated_by
FROM (
    SELECT DISTINCT ON (article_id) article_id, count(*) OVER (PARTITION BY article_id) AS claims,
        updated_at, updated_by
    FROM claims
    ORDER BY article_id, updated_at DESC, seq
) AS s
WHERE s.article_id = a.id;

-- Claims: the sorts of the query contract that pages open with (see claims/store/queries.py, the
-- reference), each ending in the claim id so pages are stable, and the status filter with the default
-- sort. Few on purpose: a save changes indexed columns (status, updated_at), so it writes a new entry
-- in every index of the table; the rarer sorts and low-selectivity filters sort or scan instead.
CREATE INDEX claims_updated ON claims (updated_at DESC, id);
CREATE INDEX claims_created ON claims (created_at DESC, id);
CREATE INDEX claims_article_order ON claims (article_seq, start, id);
CREATE INDEX claims_status_order ON claims (status_rank, updated_at DESC, id);
CREATE INDEX claims_claimant_order ON claims (claimant_key, updated_at DESC, id);
CREATE INDEX claims_status_updated ON claims (status, updated_at DESC, id);
CREATE INDEX claims_assignee ON claims (assignee);
-- Table saves choose their claims by id.
CREATE INDEX claims_id ON claims (id);

-- Articles: each sort of ArticleQuery.
CREATE INDEX articles_imported ON articles (imported_at DESC, id DESC);
CREATE INDEX articles_title ON articles (title_key, id);
CREATE INDEX articles_claims ON articles (claim_count DESC, imported_at DESC, id DESC);
CREATE INDEX articles_updated ON articles (last_updated_at DESC NULLS LAST, imported_at DESC, id DESC);
