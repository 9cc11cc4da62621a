-- Schema 3: trigram indexes, so a text filter (LIKE '%words%') reads the claims holding those letters
-- instead of every claim. pg_trgm ships with PostgreSQL and is a trusted extension (the database's owner
-- may create it); where it cannot be created, text filters still work, scanning every claim.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
    RAISE NOTICE 'pg_trgm is not available (%): text filters will scan every claim', SQLERRM;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX claims_search ON claims USING gin (search gin_trgm_ops)';
        EXECUTE 'CREATE INDEX articles_search ON articles USING gin (search gin_trgm_ops)';
    END IF;
END
$$;
