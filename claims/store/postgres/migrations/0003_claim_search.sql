-- Schema 3: each claim's text-filter key in a narrow table of its own, so that the edits that do not
-- touch a claim's text (status, verdict, assignee: most saves and every bulk status change) leave it,
-- and its trigram index, alone. The code fills it for the claims present right after this file runs
-- (schema.py, BACKFILLS).
CREATE TABLE claim_search (
    article_id text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    search text COLLATE "C" NOT NULL,
    PRIMARY KEY (article_id, id),
    FOREIGN KEY (article_id, id) REFERENCES claims (article_id, id) ON DELETE CASCADE
);

-- Trigram indexes, so a text filter (LIKE '%words%') reads the claims holding those letters instead of
-- every key. pg_trgm ships with PostgreSQL and is a trusted extension (the database's owner may create
-- it); where it cannot be created, text filters still work, scanning the narrow keys.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
    RAISE NOTICE 'pg_trgm is not available (%): text filters will scan every key', SQLERRM;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX claim_search_trigrams ON claim_search USING gin (search gin_trgm_ops)';
        EXECUTE 'CREATE INDEX articles_search_trigrams ON articles USING gin (search gin_trgm_ops)';
    END IF;
END
$$;
