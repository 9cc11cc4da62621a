-- Schema 1: every record as the JSON its model dumps (`record`, kept as written), beside the columns that
-- listing and merging need. Identifiers compare by code point (COLLATE "C"), as Python compares strings.

-- One row: the store's revision, bumped by every writing transaction, and locked first by each of them
-- (writes are serialised, reads never wait).
CREATE TABLE store_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    revision bigint NOT NULL
);
INSERT INTO store_state (revision) VALUES (0);

-- Listing order: articles and claims list in the order they were added.
CREATE SEQUENCE article_order;
CREATE SEQUENCE claim_order;

CREATE TABLE articles (
    id text COLLATE "C" PRIMARY KEY,
    seq bigint NOT NULL UNIQUE,
    title text,
    imported_at timestamptz NOT NULL,
    sentence_count integer NOT NULL,
    summary json NOT NULL,
    record json NOT NULL
);

CREATE TABLE claims (
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    id text COLLATE "C" NOT NULL,
    seq bigint NOT NULL,
    article_seq bigint NOT NULL,
    version integer NOT NULL,
    status text NOT NULL,
    verdict text NOT NULL,
    claim_type text NOT NULL,
    claimant text COLLATE "C",
    start integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text COLLATE "C" NOT NULL,
    record json NOT NULL,
    PRIMARY KEY (article_id, id)
);

CREATE TABLE decisions (
    article_id text COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    seq bigserial PRIMARY KEY,
    claim_type text NOT NULL,
    decision text NOT NULL,
    record json NOT NULL
);
CREATE INDEX decisions_of_article ON decisions (article_id, seq);

-- Deletions outlive what they record: no foreign key. `digest` (of the record's JSON) keeps a record
-- merged twice stored once.
CREATE TABLE deletions (
    seq bigserial PRIMARY KEY,
    digest text NOT NULL UNIQUE,
    kind text NOT NULL,
    id text COLLATE "C" NOT NULL,
    article_id text COLLATE "C" NOT NULL,
    at timestamptz NOT NULL,
    record json NOT NULL
);
