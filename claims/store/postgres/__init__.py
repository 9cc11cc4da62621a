"""The PostgreSQL backend: one database that several app servers share (psycopg 3 with a connection pool),
its schema migrated by the app at start-up."""

from claims.store.postgres.repository import PostgresRepository

__all__ = ["PostgresRepository"]
