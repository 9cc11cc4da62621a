-- Schema 5: known fact-checks (other organisations' published fact-checks, imported from files), which
-- claims are matched against. Each is its model's JSON keyed by its id, with the columns that queries
-- filter, sort and count on beside it (rows.py computes them, as claims/store/queries.py does).
CREATE TABLE factchecks (
    id text COLLATE "C" PRIMARY KEY,
    record jsonb NOT NULL,
    publisher text COLLATE "C" NOT NULL,
    source_file text COLLATE "C" NOT NULL,
    rating text COLLATE "C" NOT NULL,
    date date,
    search text COLLATE "C" NOT NULL
);

-- The listing order: newest first, undated last, then by id (claims.store.queries.factcheck_order).
CREATE INDEX factchecks_order ON factchecks ((date IS NULL), date DESC, id);
CREATE INDEX factchecks_publisher ON factchecks (publisher, (date IS NULL), date DESC, id);

-- The fact-checks' own revision, bumped by every import that changes one, so a matching index over them
-- is rebuilt only when they changed (claim edits bump only `revision`).
ALTER TABLE store_state ADD COLUMN factcheck_revision bigint NOT NULL DEFAULT 0;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX factchecks_search_trigrams ON factchecks USING gin (search gin_trgm_ops)';
    END IF;
END
$$;
