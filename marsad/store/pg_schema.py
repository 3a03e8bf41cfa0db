"""The PostgreSQL schema of the store, as ordered migration steps applied on open.

Each `Migration` is a version number, a name and its statements. `migrate` runs, under an advisory lock (two
processes opening the same database at once do not both migrate), every step whose version is not yet in the
``schema_migrations`` table, each in its own transaction together with the row recording it: a step is
applied whole or not at all, and exactly once. Opening an up-to-date database changes nothing. A later schema
change is a new step appended to `MIGRATIONS`; a step already released is never edited.

The tables mirror the SQLite ones (`marsad.store.schema`) with these differences:

- ``articles.tsv`` is a generated ``tsvector`` of the folded search text (`marsad.store.search.index_text`,
  computed in Python exactly as for SQLite) under the ``simple`` configuration, the title with weight A and
  the body with weight B, behind a GIN index; ``marsad_near`` checks the proximity of a phrase's words in it
  (FTS5's ``NEAR``), within one weight (one column);
- ``entities`` keeps each entity's text and canonical name normalized (``norm_text``, ``norm_canonical``) and
  its number of mentions (``mention_count``), computed in Python (`marsad.store.rows`) as for SQLite;
- text columns that are compared or sorted use the ``"C"`` collation, so ordering and the ``'\\uffff'`` upper
  date bound behave as in SQLite whatever the database's locale.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsad.arabic import SEARCH_LETTERS
from marsad.errors import StoreError

LOCK_CLASS = 0x6D617273  # "mars": the advisory-lock namespace of marsad migrations (schema hashed in)


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def _ddl(sql: str) -> str:
    return sql.replace("CTEXT", 'TEXT COLLATE "C"')


_TABLES = tuple(_ddl(s) for s in (
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    "INSERT INTO meta (key, value) VALUES ('writes', '0')",
    """CREATE TABLE articles (
        pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id CTEXT NOT NULL UNIQUE,
        content_hash CTEXT NOT NULL UNIQUE,
        source_file TEXT,
        title TEXT,
        published CTEXT,
        published_raw TEXT,
        source CTEXT,
        author TEXT,
        section TEXT,
        language TEXT,
        text TEXT NOT NULL DEFAULT '',
        url TEXT,
        kind TEXT,
        near_dup_group CTEXT,
        ingested_at TEXT NOT NULL,
        record TEXT NOT NULL,
        search_title TEXT NOT NULL DEFAULT '',
        search_body TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX articles_published ON articles (published)",
    "CREATE INDEX articles_source ON articles (source)",
    "CREATE INDEX articles_near_dup ON articles (near_dup_group)",
    """CREATE TABLE minhash (
        article_id CTEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE ON UPDATE CASCADE,
        signature BYTEA NOT NULL
    )""",
    """CREATE TABLE entities (
        article_id CTEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE ON UPDATE CASCADE,
        entity_id CTEXT NOT NULL,
        type CTEXT NOT NULL,
        text CTEXT NOT NULL,
        canonical CTEXT,
        name_en CTEXT,
        kb_id CTEXT,
        role CTEXT,
        affiliation CTEXT,
        lat DOUBLE PRECISION,
        lon DOUBLE PRECISION,
        norm_text CTEXT,
        norm_canonical CTEXT
    )""",
    "CREATE INDEX entities_article ON entities (article_id, entity_id)",
    "CREATE INDEX entities_type ON entities (type)",
    "CREATE INDEX entities_kb_id ON entities (kb_id)",
    "CREATE INDEX entities_canonical ON entities (canonical)",
    "CREATE INDEX entities_norm_canonical ON entities (norm_canonical)",
    "CREATE INDEX entities_norm_text ON entities (norm_text)",
    """CREATE TABLE mentions (
        article_id CTEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE ON UPDATE CASCADE,
        entity_id CTEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL
    )""",
    "CREATE INDEX mentions_article ON mentions (article_id, entity_id)",
    """CREATE TABLE quotes (
        article_id CTEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE ON UPDATE CASCADE,
        n INTEGER NOT NULL,
        speaker_name CTEXT,
        speaker_entity CTEXT,
        text TEXT NOT NULL,
        span_start INTEGER,
        span_end INTEGER,
        PRIMARY KEY (article_id, n)
    )""",
    "CREATE INDEX quotes_speaker ON quotes (speaker_name)",
    """CREATE TABLE refs (
        article_id CTEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE ON UPDATE CASCADE,
        n INTEGER NOT NULL,
        kind CTEXT NOT NULL,
        ref_id CTEXT NOT NULL,
        text TEXT,
        mentions TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (article_id, n)
    )""",
    "CREATE INDEX refs_kind_id ON refs (kind, ref_id)",
    """CREATE TABLE events (
        article_id CTEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE ON UPDATE CASCADE,
        n INTEGER NOT NULL,
        type CTEXT NOT NULL,
        mode CTEXT,
        cameo CTEXT,
        source TEXT NOT NULL DEFAULT '[]',
        target TEXT NOT NULL DEFAULT '[]',
        source_name CTEXT,
        target_name CTEXT,
        date CTEXT,
        place CTEXT,
        place_entity CTEXT,
        sentence TEXT,
        span_start INTEGER,
        span_end INTEGER,
        negated INTEGER NOT NULL DEFAULT 0,
        confidence DOUBLE PRECISION,
        source_key CTEXT,
        target_key CTEXT,
        group_key CTEXT,
        PRIMARY KEY (article_id, n)
    )""",
    "CREATE INDEX events_group ON events (group_key)",
    "CREATE INDEX events_type ON events (type)",
    "CREATE INDEX events_date ON events (date)",
    "CREATE INDEX events_source_key ON events (source_key)",
    "CREATE INDEX events_target_key ON events (target_key)",
))

# marsad_near(doc, words, gap): whether some occurrence of every word (its first lexeme under 'simple') lies
# within gap + 1 positions of the others, all in one weight (title A or body B): FTS5's NEAR(w1 w2 ..., gap).
# One pass over the words' positions in order, keeping the last position of each word.
_NEAR = """CREATE FUNCTION marsad_near(doc tsvector, words text[], gap integer) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    lex text[];
    last integer[];
    cur text := NULL;
    r record;
BEGIN
    lex := ARRAY(SELECT DISTINCT coalesce((SELECT u.lexeme FROM unnest(to_tsvector('simple', w)) u
                                            ORDER BY u.positions[1] LIMIT 1), w)
                 FROM unnest(words) w);
    IF cardinality(lex) = 0 THEN
        RETURN false;
    END IF;
    FOR r IN SELECT x.wt, x.pos, array_position(lex, u.lexeme) AS i
             FROM unnest(doc) u, unnest(u.positions, u.weights) AS x(pos, wt)
             WHERE u.lexeme = ANY (lex) ORDER BY x.wt, x.pos LOOP
        IF r.wt IS DISTINCT FROM cur THEN
            last := array_fill(-1000000, ARRAY[cardinality(lex)]);
            cur := r.wt;
        END IF;
        last[r.i] := r.pos;
        IF r.pos - (SELECT min(v) FROM unnest(last) v) <= gap + 1 THEN
            RETURN true;
        END IF;
    END LOOP;
    RETURN false;
END
$fn$"""

# PostgreSQL's parser keeps "9.5" or "2,254" whole where FTS5 splits them: split them for it too (and the query
# words likewise, `marsad.store.pg_search.DIGIT_SEPARATOR`), so that "9" finds "9.5" as in SQLite.
_SPLIT = "regexp_replace({}, '([0-9])[.,\u066b](?=[0-9])', '\\1 ', 'g')"
TSV_EXPR = (f"setweight(to_tsvector('simple'::regconfig, {_SPLIT.format('search_title')}), 'A') "
            f"|| setweight(to_tsvector('simple'::regconfig, {_SPLIT.format('search_body')}), 'B')")

_SEARCH = (
    f"ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS ({TSV_EXPR}) STORED",
    "CREATE INDEX articles_tsv ON articles USING gin (tsv) WITH (fastupdate = off)",
    _NEAR,
)

_LEDGER = ("CREATE TABLE ingest_ledger (key TEXT PRIMARY KEY, value TEXT NOT NULL)",)

# Actors counted by a plain GROUP BY (no per-row join to mentions), and the LSH index in the database: the
# band keys of each signature (filled from the stored signatures by the first write, `marsad.store.dedup`).
_ACTORS_AND_BANDS = tuple(_ddl(s) for s in (
    "ALTER TABLE entities ADD COLUMN mention_count INTEGER NOT NULL DEFAULT 0",
    "UPDATE entities e SET mention_count = m.n FROM (SELECT article_id, entity_id, count(*) AS n FROM mentions "
    "GROUP BY 1, 2) m WHERE m.article_id = e.article_id AND m.entity_id = e.entity_id",
    "CREATE INDEX entities_actor ON entities (type, (coalesce(kb_id, type || ':' || norm_canonical)))",
    """CREATE TABLE minhash_bands (
        band BIGINT NOT NULL,
        article_id CTEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE ON UPDATE CASCADE
    )""",
    "CREATE INDEX minhash_bands_band ON minhash_bands (band)",
    "CREATE INDEX minhash_bands_article ON minhash_bands (article_id)",
))


def _search_letters() -> tuple[str, ...]:
    """Search text written before `marsad.arabic.fold_for_search` kept Latin accents (PostgreSQL's 'simple'
    configuration lowers letters but does not unaccent them), while queries now come folded: fold the rows
    that hold such a letter as new rows are. One character for one, so translate() does it in the database;
    ``tsv`` follows, being generated from these columns."""
    table = SEARCH_LETTERS.table
    src, dst, letters = "".join(table), "".join(table.values()), "[" + "".join(table) + "]"
    return (f"UPDATE articles SET search_title = translate(search_title, '{src}', '{dst}'), "
            f"search_body = translate(search_body, '{src}', '{dst}') "
            f"WHERE search_title ~ '{letters}' OR search_body ~ '{letters}'",)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, annotation tables, minhash signatures", _TABLES),
    Migration(2, "full-text search: tsvector column, GIN index, marsad_near", _SEARCH),
    Migration(3, "incremental-ingest ledger", _LEDGER),
    Migration(4, "entity mention counts, LSH band keys", _ACTORS_AND_BANDS),
    Migration(5, "search text folded for search (Latin letters without accents)", _search_letters()),
)

_BOOKKEEPING = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
)"""


def applied(conn: Any) -> list[int]:
    """The versions recorded in ``schema_migrations`` (empty when the table does not exist)."""
    if conn.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
        return []
    return [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]


def _check_not_newer(done: list[int], migrations: tuple[Migration, ...], where: str) -> None:
    known = {m.version for m in migrations}
    unknown = [v for v in done if v not in known]
    if unknown:
        raise StoreError(f"{where}: the database schema has migration {max(unknown)}, newer than this marsad "
                         f"knows (up to {max(known)}): upgrade marsad")


def migrate(conn: Any, where: str, migrations: tuple[Migration, ...] = MIGRATIONS) -> list[int]:
    """Apply the pending steps of ``migrations`` in version order; return the versions applied now.
    ``conn`` is an autocommit psycopg connection; ``where`` names the database in errors."""
    steps = sorted(migrations, key=lambda m: m.version)
    done_now: list[int] = []
    for step in steps:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))", (LOCK_CLASS,))
            conn.execute(_BOOKKEEPING)
            done = applied(conn)
            _check_not_newer(done, migrations, where)
            if step.version in done:
                continue
            for stmt in step.statements:
                conn.execute(stmt)
            conn.execute("INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                         (step.version, step.name))
            done_now.append(step.version)
    return done_now


def check_current(conn: Any, where: str, migrations: tuple[Migration, ...] = MIGRATIONS) -> None:
    """For a read-only open: the schema must exist and be up to date (nothing can be migrated)."""
    done = applied(conn)
    if not done:
        raise StoreError(f"{where}: not a marsad database (no schema_migrations table)")
    _check_not_newer(done, migrations, where)
    missing = sorted({m.version for m in migrations} - set(done))
    if missing:
        raise StoreError(f"{where}: the database schema lacks migrations {missing}: open it once for writing "
                         "(e.g. marsad ingest) to upgrade it")
