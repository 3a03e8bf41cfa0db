"""The SQLite schema of the store, as data: one statement per list item, applied in order on open.

``articles`` holds one row per stored article: the SCHEMA.md scalars as columns (for filters), the record
as JSON but for the text, a column already (``get`` puts the two together: `marsad.store.rows.stored_article`;
rows written before this hold a second copy of the text in the record, which reads the same), and two columns
of folded search text computed in Python (``search_title``, ``search_body``: every token's
`marsad.arabic.search_forms`). ``articles_fts`` is an external-content FTS5 table over those two columns, kept
in sync by triggers, so a rolled-back batch can never leave the index and the table disagreeing. Its tokenizer
is FTS5's ``ascii``: the columns are already folded and hold only words (`marsad.arabic.fold_for_search`
lowers and unaccents Latin letters and lowers Greek and Cyrillic ones, as ``unicode61`` did), so all it has to
do is split on spaces; ``unicode61`` looked every character up in Unicode tables for the same tokens and made
storing an article ~0.08 ms (10%) dearer. Databases made before keep
their ``unicode61`` index, which finds the same words in the same folded text (but for a number written with
the Arabic decimal separator ``٫``: one token here, two there, for the query as for the text).

The annotation tables (entities, mentions, refs, quotes, events) are filled from the article's lists and
deleted with it (``ON DELETE CASCADE``); an entity row also holds its text and canonical name normalized
(``norm_text``, ``norm_canonical``, computed in Python as PostgreSQL's) and its number of mentions
(``mention_count``), so that actors are counted by a plain GROUP BY. ``minhash`` persists the
near-duplicate signatures and ``minhash_bands`` their LSH band keys (`marsad.store.dedup`: the LSH index is
queried in the database, never held in memory); ``meta`` records the schema version, the MinHash parameters
the signatures were made with and the band layout of ``minhash_bands``. ``article_dates`` repeats each dated
article's ``published`` under its ``pk``, kept by triggers: a table of a few bytes a row, where full-text
search checks a date range match by match (`marsad.store.search.dates_per_match`) without reading the wide
articles rows.

A database of an older schema version is upgraded on open for writing (`UPGRADES`, each step in the
transaction that records the new version); a read-only open of one asks for that first.
"""
from __future__ import annotations

SCHEMA_VERSION = 3

ACTOR_KEY = "coalesce(kb_id, type || ':' || norm_canonical)"
"""Who an entity is across articles: its knowledge-base id, else its type and normalized canonical name."""

ARTICLE_DATES = """CREATE TABLE IF NOT EXISTS article_dates (
        pk INTEGER PRIMARY KEY,
        published TEXT NOT NULL
    )"""

TABLES: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS articles (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL UNIQUE,
        source_file TEXT,
        title TEXT,
        published TEXT,
        published_raw TEXT,
        source TEXT,
        author TEXT,
        section TEXT,
        language TEXT,
        text TEXT NOT NULL DEFAULT '',
        url TEXT,
        kind TEXT,
        near_dup_group TEXT,
        ingested_at TEXT NOT NULL,
        record TEXT NOT NULL,
        search_title TEXT NOT NULL DEFAULT '',
        search_body TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX IF NOT EXISTS articles_published ON articles(published)",
    "CREATE INDEX IF NOT EXISTS articles_source ON articles(source)",
    "CREATE INDEX IF NOT EXISTS articles_near_dup ON articles(near_dup_group)",
    """CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
        search_title, search_body,
        content='articles', content_rowid='pk',
        tokenize='ascii'
    )""",
    """CREATE TRIGGER IF NOT EXISTS articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, search_title, search_body)
        VALUES (new.pk, new.search_title, new.search_body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, search_title, search_body)
        VALUES ('delete', old.pk, old.search_title, old.search_body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS articles_au AFTER UPDATE OF search_title, search_body ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, search_title, search_body)
        VALUES ('delete', old.pk, old.search_title, old.search_body);
        INSERT INTO articles_fts(rowid, search_title, search_body)
        VALUES (new.pk, new.search_title, new.search_body);
    END""",
    ARTICLE_DATES,
    """CREATE TRIGGER IF NOT EXISTS article_dates_ai AFTER INSERT ON articles WHEN new.published IS NOT NULL BEGIN
        INSERT INTO article_dates (pk, published) VALUES (new.pk, new.published);
    END""",
    """CREATE TRIGGER IF NOT EXISTS article_dates_ad AFTER DELETE ON articles BEGIN
        DELETE FROM article_dates WHERE pk = old.pk;
    END""",
    """CREATE TRIGGER IF NOT EXISTS article_dates_au AFTER UPDATE OF published ON articles BEGIN
        DELETE FROM article_dates WHERE pk = old.pk;
        INSERT INTO article_dates (pk, published) SELECT new.pk, new.published WHERE new.published IS NOT NULL;
    END""",
    """CREATE TABLE IF NOT EXISTS minhash (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE ON UPDATE CASCADE,
        signature BLOB NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS minhash_bands (
        band INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE ON UPDATE CASCADE
    )""",
    "CREATE INDEX IF NOT EXISTS minhash_bands_band ON minhash_bands(band)",
    "CREATE INDEX IF NOT EXISTS minhash_bands_article ON minhash_bands(article_id)",
    """CREATE TABLE IF NOT EXISTS entities (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE ON UPDATE CASCADE,
        entity_id TEXT NOT NULL,
        type TEXT NOT NULL,
        text TEXT NOT NULL,
        canonical TEXT,
        name_en TEXT,
        kb_id TEXT,
        role TEXT,
        affiliation TEXT,
        lat REAL,
        lon REAL,
        norm_text TEXT,
        norm_canonical TEXT,
        mention_count INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX IF NOT EXISTS entities_article ON entities(article_id, entity_id)",
    "CREATE INDEX IF NOT EXISTS entities_type ON entities(type)",
    "CREATE INDEX IF NOT EXISTS entities_kb_id ON entities(kb_id)",
    "CREATE INDEX IF NOT EXISTS entities_canonical ON entities(canonical)",
    "CREATE INDEX IF NOT EXISTS entities_norm_text ON entities(norm_text)",
    "CREATE INDEX IF NOT EXISTS entities_norm_canonical ON entities(norm_canonical)",
    f"CREATE INDEX IF NOT EXISTS entities_actor ON entities(type, {ACTOR_KEY})",
    """CREATE TABLE IF NOT EXISTS mentions (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE ON UPDATE CASCADE,
        entity_id TEXT NOT NULL,
        span_start INTEGER NOT NULL,
        span_end INTEGER NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS mentions_article ON mentions(article_id, entity_id)",
    """CREATE TABLE IF NOT EXISTS quotes (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE ON UPDATE CASCADE,
        n INTEGER NOT NULL,
        speaker_name TEXT,
        speaker_entity TEXT,
        text TEXT NOT NULL,
        span_start INTEGER,
        span_end INTEGER,
        PRIMARY KEY (article_id, n)
    )""",
    "CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_name)",
    """CREATE TABLE IF NOT EXISTS refs (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE ON UPDATE CASCADE,
        n INTEGER NOT NULL,
        kind TEXT NOT NULL,
        ref_id TEXT NOT NULL,
        text TEXT,
        mentions TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (article_id, n)
    )""",
    "CREATE INDEX IF NOT EXISTS refs_kind_id ON refs(kind, ref_id)",
    """CREATE TABLE IF NOT EXISTS events (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE ON UPDATE CASCADE,
        n INTEGER NOT NULL,
        type TEXT NOT NULL,
        mode TEXT,
        cameo TEXT,
        source TEXT NOT NULL DEFAULT '[]',
        target TEXT NOT NULL DEFAULT '[]',
        source_name TEXT,
        target_name TEXT,
        date TEXT,
        place TEXT,
        place_entity TEXT,
        sentence TEXT,
        span_start INTEGER,
        span_end INTEGER,
        negated INTEGER NOT NULL DEFAULT 0,
        confidence REAL,
        source_key TEXT,
        target_key TEXT,
        group_key TEXT,
        PRIMARY KEY (article_id, n)
    )""",
    "CREATE INDEX IF NOT EXISTS events_group ON events(group_key)",
    "CREATE INDEX IF NOT EXISTS events_type ON events(type)",
    "CREATE INDEX IF NOT EXISTS events_date ON events(date)",
    "CREATE INDEX IF NOT EXISTS events_source_name ON events(source_name)",
    "CREATE INDEX IF NOT EXISTS events_target_name ON events(target_name)",
)

CHILD_TABLES: tuple[str, ...] = ("entities", "mentions", "quotes", "refs", "events")

UPGRADES: dict[int, tuple[str, ...]] = {
    2: ("ALTER TABLE entities ADD COLUMN norm_text TEXT",
        "ALTER TABLE entities ADD COLUMN norm_canonical TEXT",
        "ALTER TABLE entities ADD COLUMN mention_count INTEGER NOT NULL DEFAULT 0",
        "UPDATE entities SET norm_text = marsad_norm(text), norm_canonical = marsad_norm(canonical), "
        "mention_count = (SELECT count(*) FROM mentions m WHERE m.article_id = entities.article_id "
        "AND m.entity_id = entities.entity_id)"),
    3: (ARTICLE_DATES,  # filled from the published index (pk and date), without reading the articles rows
        "INSERT INTO article_dates (pk, published) SELECT pk, published FROM articles INDEXED BY articles_published "
        "WHERE published IS NOT NULL"),
}
"""The statements bringing a database from the version before each key to that version (run before `TABLES`,
which then adds the new tables and indexes)."""
