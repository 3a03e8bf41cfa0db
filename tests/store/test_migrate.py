"""A database written before entity rows held their mention counts and before the LSH band table opens,
is upgraded on the first writable open, and answers as before: same actors, same near-duplicate groups."""
from __future__ import annotations

import sqlite3

import pytest

from marsad.store import StoreError, open_store

from .conftest import annotated, art, page
from .test_dedup import OTHER, A, B, band_rows


def downgrade(backend: str, url: str) -> None:
    """Turn a current database into one of the schema before (SQLite version 1, PostgreSQL migration 3)."""
    if backend == "sqlite":
        conn = sqlite3.connect(url)
        for index in ("entities_norm_text", "entities_norm_canonical", "entities_actor"):
            conn.execute(f"DROP INDEX {index}")
        conn.execute("DROP TABLE minhash_bands")
        for trigger in ("article_dates_ai", "article_dates_ad", "article_dates_au"):
            conn.execute(f"DROP TRIGGER {trigger}")
        conn.execute("DROP TABLE article_dates")
        for column in ("norm_text", "norm_canonical", "mention_count"):
            conn.execute(f"ALTER TABLE entities DROP COLUMN {column}")
        conn.execute("DELETE FROM meta WHERE key = 'lsh_layout'")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        conn.commit()
        conn.close()
        return
    with open_store(url) as s:
        for stmt in ("DROP TABLE minhash_bands", "DROP INDEX entities_actor",
                     "ALTER TABLE entities DROP COLUMN mention_count",
                     "DELETE FROM schema_migrations WHERE version = 4", "DELETE FROM meta WHERE key = 'lsh_layout'"):
            s._conn.execute(stmt)


def test_older_database_is_upgraded_on_open(backend, store_url):
    with open_store(store_url) as s:
        s.add_articles([annotated(), page(A)] + [page(n) for n in OTHER])
        actors, signatures = s.actors(), s._conn.execute("SELECT count(*) FROM minhash").fetchone()[0]
    downgrade(backend, store_url)
    with pytest.raises(StoreError, match="open it once for writing"):
        open_store(store_url, readonly=True)
    with open_store(store_url) as s:
        assert s.actors() == actors and actors[0]["mentions"] == 2  # counts filled from the mentions rows
        r = s.add_articles([page(B)])  # the first write fills the band table from the stored signatures
        assert r.near_duplicate == 1 and s.near_duplicates(page(B).id) == [page(A).id]
        assert band_rows(s) == 14 * (signatures + 1)
        assert s.verify() == []  # SQLite: article_dates filled from the published dates
        everything = sorted(h.id for h in s.search("القامشلي OR سوريا"))
        assert len(everything) >= 2 and sorted(h.id for h in s.search("القامشلي OR سوريا", since="2000")) == everything
    with open_store(store_url, readonly=True) as s:
        assert s.actors()[0] == actors[0]


def test_newer_sqlite_database_is_refused(tmp_path):
    path = str(tmp_path / "m.db")
    open_store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    for readonly in (False, True):
        with pytest.raises(StoreError, match="schema version 99 is newer than this marsad"):
            open_store(path, readonly=readonly)


def test_postgres_search_text_written_with_accents_is_folded(pg_url):
    """Rows indexed before the search fold (Latin accents kept) are folded by migration 5, so that the
    folded queries find them; rows without such letters are not rewritten."""
    with open_store(pg_url) as s:
        s.add_articles([art("latin", "وصل Éric ZEMMOUR إلى Genève أمس"), art("plain", "وصل الوفد إلى جنيف أمس")])
        s._conn.execute("UPDATE articles SET search_title = 'genève', search_body = 'وصل éric zemmour الي genève' "
                        "WHERE id = 'latin'")
        s._conn.execute("DELETE FROM schema_migrations WHERE version = 5")
        assert [h.id for h in s.search("geneve")] == []
        before = s._conn.execute("SELECT xmin::text FROM articles WHERE id = 'plain'").fetchone()
    with open_store(pg_url) as s:
        assert [h.id for h in s.search("geneve")] == ["latin"] and [h.id for h in s.search("ÉRIC")] == ["latin"]
        assert s._conn.execute("SELECT search_title FROM articles WHERE id = 'latin'").fetchone() == ("geneve",)
        assert s._conn.execute("SELECT xmin::text FROM articles WHERE id = 'plain'").fetchone() == before
