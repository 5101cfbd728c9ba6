namespace OrgGraph.Storage.Sqlite;

/// <summary>
/// The embedded store's schema. Open period ends are stored as sentinels ('0001-01-01', '9999-12-31')
/// rather than NULL so that "valid on D" is two index-friendly comparisons and so that (type, from, to,
/// valid_from) can be a real unique key.
/// </summary>
internal static class SqliteSchema
{
    public const string OpenStart = "0001-01-01";
    public const string OpenEnd = "9999-12-31";

    /// <summary>Covering indexes of the payment lines (a roll-up reads only the index); dropped and rebuilt around a bulk import.</summary>
    public const string PaymentIndexes = """
        CREATE INDEX IF NOT EXISTS payments_body ON payments (body_id, paid_on, supplier_id, granularity, amount);
        CREATE INDEX IF NOT EXISTS payments_supplier ON payments (supplier_id, paid_on);
        """;

    public const string Create = $$"""
        PRAGMA journal_mode = WAL;

        CREATE TABLE IF NOT EXISTS sources (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            publisher TEXT,
            url TEXT,
            published TEXT,
            retrieved TEXT,
            licence TEXT
        );

        CREATE TABLE IF NOT EXISTS nodes (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            sector TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            valid_to TEXT NOT NULL,
            confidence TEXT NOT NULL,
            sources TEXT NOT NULL,
            properties TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS nodes_kind ON nodes (kind, id);

        -- names over time, roles and aliases: dated values of a node
        CREATE TABLE IF NOT EXISTS node_facts (
            node_id TEXT NOT NULL,
            fact TEXT NOT NULL,
            value TEXT NOT NULL,
            scheme TEXT,
            valid_from TEXT NOT NULL,
            valid_to TEXT NOT NULL,
            sources TEXT NOT NULL,
            PRIMARY KEY (node_id, fact, value, valid_from)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS node_facts_value ON node_facts (value, fact);

        CREATE TABLE IF NOT EXISTS relationships (
            key INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            from_id TEXT NOT NULL,
            to_id TEXT NOT NULL,
            valid_from TEXT NOT NULL,
            valid_to TEXT NOT NULL,
            confidence TEXT NOT NULL,
            sources TEXT NOT NULL,
            properties TEXT NOT NULL,
            from_key INTEGER,
            to_key INTEGER,
            UNIQUE (type, from_id, to_id, valid_from)
        );
        CREATE INDEX IF NOT EXISTS relationships_from ON relationships (from_id, type);
        CREATE INDEX IF NOT EXISTS relationships_to ON relationships (to_id, type);

        -- spend lines as published (amount in pence), each with its source and line; PAID relationships hold the monthly
        -- totals. Importing a source replaces all its lines, so the table needs no unique key.
        CREATE TABLE IF NOT EXISTS payments (
            source_id TEXT NOT NULL,
            line INTEGER NOT NULL,
            body_id TEXT NOT NULL,
            supplier_id TEXT NOT NULL,
            supplier TEXT,
            paid_on TEXT NOT NULL,
            amount INTEGER NOT NULL,
            expense_type TEXT,
            expense_area TEXT,
            transaction_number TEXT,
            granularity TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS payment_files (source_id TEXT PRIMARY KEY, file TEXT NOT NULL) WITHOUT ROWID;
        -- the lines summed per body, day, supplier and granularity (a tenth of the rows): what spend roll-ups read
        CREATE TABLE IF NOT EXISTS payment_totals (
            body_id TEXT NOT NULL,
            paid_on TEXT NOT NULL,
            supplier_id TEXT NOT NULL,
            granularity TEXT NOT NULL,
            amount INTEGER NOT NULL,
            lines INTEGER NOT NULL,
            PRIMARY KEY (body_id, paid_on, supplier_id, granularity)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS payments_source ON payments (source_id, line);
        {{PaymentIndexes}}

        -- the supplier resolution report: how each supplier name was matched, by what method and score
        CREATE TABLE IF NOT EXISTS supplier_matches (
            supplier_key TEXT PRIMARY KEY,
            example TEXT,
            node_id TEXT NOT NULL,
            method TEXT NOT NULL,
            score REAL NOT NULL,
            candidate_id TEXT,
            evidence TEXT,
            lines INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- company numbers the imports' evidence ties supplier names to (reconciliation tables, awards, ownership statements)
        CREATE TABLE IF NOT EXISTS supplier_evidence (
            supplier_key TEXT PRIMARY KEY,
            company_number TEXT NOT NULL,
            company_name TEXT NOT NULL,
            community_interest INTEGER NOT NULL,
            source_id TEXT NOT NULL,
            file TEXT NOT NULL,
            line INTEGER NOT NULL
        ) WITHOUT ROWID;

        -- audited writes through the API (who, when, what, sources, before/after as JSON); append-only
        CREATE TABLE IF NOT EXISTS changes (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            at TEXT NOT NULL,
            key_id TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            nodes TEXT NOT NULL,
            sources TEXT NOT NULL,
            before TEXT,
            after TEXT
        );
        CREATE TRIGGER IF NOT EXISTS changes_no_update BEFORE UPDATE ON changes BEGIN SELECT RAISE(ABORT, 'changes are append-only'); END;
        CREATE TRIGGER IF NOT EXISTS changes_no_delete BEFORE DELETE ON changes BEGIN SELECT RAISE(ABORT, 'changes are append-only'); END;

        -- 'generation': bumped by every write transaction, so readers in any process can tell that the
        -- in-memory traversal index is stale and build one from the snapshot they read (SqliteGraphStore.Consistency.cs)
        CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;

        -- rowid = nodes.rowid; 'main' holds id and current name, 'other' former names and aliases
        CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5 (main, other, tokenize = 'unicode61 remove_diacritics 2');
        """;

    /// <summary>Whether a store has the relationship columns <c>from_key</c>, <c>to_key</c> (stores created before them do not).</summary>
    public const string HasNodeKeys = "SELECT count(*) FROM pragma_table_info('relationships') WHERE name = 'from_key'";

    /// <summary>Adds <c>from_key</c>, <c>to_key</c> to a store created before them and fills them in (once; a write transaction).</summary>
    public const string AddNodeKeys = """
        ALTER TABLE relationships ADD COLUMN from_key INTEGER;
        ALTER TABLE relationships ADD COLUMN to_key INTEGER;
        UPDATE relationships SET from_key = (SELECT rowid FROM nodes WHERE id = from_id), to_key = (SELECT rowid FROM nodes WHERE id = to_id);
        """;

    /// <summary>
    /// relationships.from_key and to_key are the nodes.rowid of from_id and to_id (NULL while there is no such node), so the
    /// traversal index maps a relationship's ends through an array instead of looking up two ids. These triggers keep them
    /// whoever writes (the store, a bulk load, an older version of this program): on inserting a relationship or changing its
    /// ends, and on inserting or deleting a node (the store never deletes one, nor changes an id, the nodes' primary key).
    /// Run after <see cref="AddNodeKeys"/>: a trigger naming a missing column fails only when it fires.
    /// </summary>
    public const string NodeKeyTriggers = """
        CREATE TRIGGER IF NOT EXISTS relationships_node_keys AFTER INSERT ON relationships BEGIN
            UPDATE relationships SET from_key = (SELECT rowid FROM nodes WHERE id = NEW.from_id), to_key = (SELECT rowid FROM nodes WHERE id = NEW.to_id)
            WHERE key = NEW.key;
        END;
        CREATE TRIGGER IF NOT EXISTS relationships_node_keys_update AFTER UPDATE OF from_id, to_id ON relationships BEGIN
            UPDATE relationships SET from_key = (SELECT rowid FROM nodes WHERE id = NEW.from_id), to_key = (SELECT rowid FROM nodes WHERE id = NEW.to_id)
            WHERE key = NEW.key;
        END;
        CREATE TRIGGER IF NOT EXISTS nodes_insert_node_keys AFTER INSERT ON nodes BEGIN
            UPDATE relationships SET from_key = NEW.rowid WHERE from_id = NEW.id;
            UPDATE relationships SET to_key = NEW.rowid WHERE to_id = NEW.id;
        END;
        CREATE TRIGGER IF NOT EXISTS nodes_delete_node_keys AFTER DELETE ON nodes BEGIN
            UPDATE relationships SET from_key = NULL WHERE from_id = OLD.id;
            UPDATE relationships SET to_key = NULL WHERE to_id = OLD.id;
        END;
        """;
}
