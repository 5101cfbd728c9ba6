using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using OrgGraph.Model;
using SQLitePCL;
using static OrgGraph.Storage.Sqlite.SqliteRows;

namespace OrgGraph.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Reads open a pooled connection each; writes are
/// serialised and each batch is one transaction. Sets of keys travel as one JSON-array parameter
/// (<c>json_each</c>), so a batch of any size is one statement and no value is ever spliced into SQL.
/// </summary>
public sealed partial class SqliteGraphStore : IGraphStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private long _calls;

    public SqliteGraphStore(SqliteOptions options)
    {
        var path = Path.GetFullPath(options.Path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        (_path, _busyTimeout) = (path, options.BusyTimeout);
        // DefaultTimeout: how long a statement retries while another process holds the write lock (whole seconds).
        var timeout = (int)Math.Max(1, Math.Ceiling(options.BusyTimeout.TotalSeconds));
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = timeout }.ToString();
    }

    /// <summary>How many store operations have run; lets tests prove that loaders batch.</summary>
    internal long Calls => Interlocked.Read(ref _calls);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, SqliteSchema.Create, cancellationToken);
        if (!await HasNodeKeysAsync(connection, null, cancellationToken))
        {
            // A store created before relationships carried node keys: add them, once. Immediate, so a second process
            // starting at the same time waits here and then finds them added.
            await using var transaction = connection.BeginTransaction();
            if (!await HasNodeKeysAsync(connection, transaction, cancellationToken))
            {
                await ExecuteAsync(connection, transaction, SqliteSchema.AddNodeKeys, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await ExecuteAsync(connection, null, SqliteSchema.NodeKeyTriggers, cancellationToken);
    }

    private static async Task<bool> HasNodeKeysAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, SqliteSchema.HasNodeKeys, transaction);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    public async Task<GraphCounts> CountAsync(CancellationToken cancellationToken)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        await using var command = Command(lease.Connection, "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM nodes), (SELECT count(*) FROM relationships)", lease.Transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new GraphCounts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    public async Task<ImportCounts> UpsertAsync(GraphBatch batch, CancellationToken cancellationToken)
    {
        if (!InWrite)
        {
            // One write transaction of its own (SqliteGraphStore.Scopes.cs), in which the call below writes.
            return await InWriteTransactionAsync(() => UpsertAsync(batch, cancellationToken), cancellationToken);
        }

        await using var lease = await LeaseAsync(cancellationToken);
        _scope.Value!.Wrote = true;
        var connection = lease.Connection;
        await UpsertSourcesAsync(connection, batch.Sources, cancellationToken);
        await UpsertNodesAsync(connection, batch.Nodes, cancellationToken);
        await UpsertFactsAsync(connection, batch.NodeFacts, cancellationToken);
        UpsertRelationships(connection, batch.Relationships, cancellationToken);
        await UpsertPaymentsAsync(connection, batch.Payments, cancellationToken);
        await UpsertSupplierMatchesAsync(connection, batch.SupplierMatches, cancellationToken);
        await UpsertCompanyEvidenceAsync(connection, batch.CompanyEvidence, cancellationToken);
        var touched = batch.Nodes.Select(n => n.Id).Concat(batch.NodeFacts.Select(f => f.NodeId)).Distinct().ToList();
        await RefreshSearchAsync(connection, touched, cancellationToken);
        await InsertChangesAsync(connection, batch.Changes, cancellationToken);
        return new ImportCounts(batch.Sources.Count, batch.Nodes.Count, batch.NodeFacts.Count, batch.Relationships.Count);
    }

    public async Task<IReadOnlyDictionary<string, Node>> GetNodesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, Node>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        await EnterCallAsync(cancellationToken);
        var cache = UsableReadCache();
        var missing = new List<string>();
        foreach (var id in ids)
        {
            if (cache is not null && cache.Nodes.TryGetValue(id, out var node))
            {
                result[id] = node;
            }
            else
            {
                missing.Add(id);
            }
        }

        if (missing.Count == 0)
        {
            return result;
        }

        await using var lease = await OpenLeaseAsync(cancellationToken);
        var nodes = await ReadNodesAsync(lease.Connection, lease.Transaction, $"SELECT {NodeColumns} FROM nodes n WHERE n.id IN (SELECT value FROM json_each($ids))",
            c => c.Parameters.AddWithValue("$ids", Json(missing)), cancellationToken);
        var keep = cache is not null && lease.Shows(cache);
        foreach (var node in nodes)
        {
            result[node.Id] = node;
            if (keep)
            {
                cache!.Nodes[node.Id] = node;
            }
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyCollection<string> idsOrAliases, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (idsOrAliases.Count == 0)
        {
            return result;
        }

        await EnterCallAsync(cancellationToken);
        var cache = UsableReadCache();
        var missing = new List<string>();
        foreach (var key in idsOrAliases)
        {
            if (cache is null || !cache.Resolved.TryGetValue(key, out var id))
            {
                missing.Add(key);
            }
            else if (id is not null)
            {
                result[key] = id;
            }
        }

        if (missing.Count == 0)
        {
            return result;
        }

        await using var lease = await OpenLeaseAsync(cancellationToken);
        var resolved = await ResolveAsync(lease.Connection, lease.Transaction, missing, cancellationToken);
        var keep = cache is not null && lease.Shows(cache);
        foreach (var key in missing)
        {
            var id = resolved.GetValueOrDefault(key);
            if (keep)
            {
                cache!.Resolved[key] = id;
            }

            if (id is not null)
            {
                result[key] = id;
            }
        }

        return result;
    }

    private static async Task<Dictionary<string, string>> ResolveAsync(SqliteConnection connection, SqliteTransaction? transaction,
        IReadOnlyCollection<string> idsOrAliases, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        // An exact id (rank 0) beats an alias; among aliases the most recent one wins.
        await using var command = Command(connection, $"""
            SELECT k.value, n.id, 0 AS rank, '' AS recency FROM json_each($keys) k JOIN nodes n ON n.id = k.value
            UNION ALL
            SELECT k.value, f.node_id, 1, f.valid_to FROM json_each($keys) k JOIN node_facts f ON f.value = k.value AND f.fact = '{FactName(NodeFactKind.Alias)}'
            ORDER BY 1, 3, 4 DESC
            """, transaction);
        command.Parameters.AddWithValue("$keys", Json(idsOrAliases));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.TryAdd(reader.GetString(0), reader.GetString(1));
        }

        return result;
    }

    public async Task<IReadOnlyDictionary<string, Source>> GetSourcesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, Source>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        await using var lease = await LeaseAsync(cancellationToken);
        await using var command = Command(lease.Connection,
            "SELECT id, title, publisher, url, published, retrieved, licence FROM sources WHERE id IN (SELECT value FROM json_each($ids))", lease.Transaction);
        command.Parameters.AddWithValue("$ids", Json(ids));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var source = new Source
            {
                Id = reader.GetString(0),
                Title = reader.GetString(1),
                Publisher = Text(2),
                Url = Text(3),
                Published = ParseDate(Text(4)),
                Retrieved = ParseDate(Text(5)),
                Licence = Text(6),
            };
            result[source.Id] = source;
        }

        return result;
    }

    public async Task<NodePage> FindNodesAsync(NodeQuery query, CancellationToken cancellationToken)
    {
        var where = new List<string> { "1 = 1" };
        var prefix = "";
        if (query.Within is not null)
        {
            // Everything transitively PART_OF the node; UNION (not UNION ALL) stops on cycles.
            prefix = """
                WITH RECURSIVE within(id) AS (
                    SELECT $within
                    UNION
                    SELECT r.from_id FROM relationships r JOIN within w ON r.to_id = w.id
                    WHERE r.type = 'PART_OF' AND ($asOf IS NULL OR (r.valid_from <= $asOf AND $asOf <= r.valid_to))
                )
                """;
            where.Add("n.id IN (SELECT id FROM within) AND n.id <> $within");
        }

        if (query.Kinds is { Count: > 0 })
        {
            where.Add("n.kind IN (SELECT value FROM json_each($kinds))");
        }

        if (query.Sector is not null)
        {
            where.Add("n.sector = $sector");
        }

        if (query.AsOf is not null)
        {
            where.Add("n.valid_from <= $asOf AND $asOf <= n.valid_to");
        }

        if (!string.IsNullOrEmpty(query.NameContains))
        {
            where.Add("instr(lower(n.name), lower($name)) > 0");
        }

        void Bind(SqliteCommand c)
        {
            c.Parameters.AddWithValue("$within", (object?)query.Within ?? DBNull.Value);
            c.Parameters.AddWithValue("$asOf", Date(query.AsOf));
            c.Parameters.AddWithValue("$kinds", Json(query.Kinds?.Select(EnumNames.ToWire) ?? []));
            c.Parameters.AddWithValue("$sector", query.Sector is { } s ? EnumNames.ToWire(s) : DBNull.Value);
            c.Parameters.AddWithValue("$name", (object?)query.NameContains ?? DBNull.Value);
            c.Parameters.AddWithValue("$after", (object?)query.AfterId ?? DBNull.Value);
            c.Parameters.AddWithValue("$limit", query.First + 1);
        }

        var filter = string.Join(" AND ", where);
        await using var lease = await LeaseAsync(cancellationToken);
        var (connection, snapshot) = (lease.Connection, lease.Transaction);
        await using var count = Command(connection, $"{prefix} SELECT count(*) FROM nodes n WHERE {filter}", snapshot);
        Bind(count);
        var total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken));

        var nodes = await ReadNodesAsync(connection, snapshot,
            $"{prefix} SELECT {NodeColumns} FROM nodes n WHERE {filter} AND ($after IS NULL OR n.id > $after) ORDER BY n.id LIMIT $limit",
            Bind, cancellationToken);
        var hasNext = nodes.Count > query.First;
        return new NodePage(hasNext ? nodes.Take(query.First).ToList() : nodes, total, hasNext);
    }

    public async Task<IReadOnlyList<Node>> SearchAsync(string text, int first, CancellationToken cancellationToken)
    {
        // Each word becomes a quoted prefix term, so user text can never be read as FTS5 query syntax.
        var terms = WordPattern().Matches(text).Select(m => $"\"{m.Value}\"*").ToList();
        if (terms.Count == 0 || first <= 0)
        {
            return [];
        }

        await using var lease = await LeaseAsync(cancellationToken);
        var (connection, snapshot) = (lease.Connection, lease.Transaction);
        var exact = await ResolveAsync(connection, snapshot, [text.Trim()], cancellationToken);
        var matches = await ReadNodesAsync(connection, snapshot, $"""
            SELECT {NodeColumns} FROM search s JOIN nodes n ON n.rowid = s.rowid
            WHERE search MATCH $match ORDER BY bm25(search, 10.0, 2.0), n.id LIMIT $limit
            """,
            c =>
            {
                c.Parameters.AddWithValue("$match", string.Join(" ", terms));
                c.Parameters.AddWithValue("$limit", first + exact.Count);
            },
            cancellationToken);

        var exactNodes = exact.Count == 0 ? [] : await ReadNodesAsync(connection, snapshot, $"SELECT {NodeColumns} FROM nodes n WHERE n.id IN (SELECT value FROM json_each($ids))",
            c => c.Parameters.AddWithValue("$ids", Json(exact.Values)), cancellationToken);
        return exactNodes.Concat(matches).DistinctBy(n => n.Id).Take(first).ToList();
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<Relationship>>> GetRelationshipsAsync(
        IReadOnlyCollection<string> nodeIds, RelationshipFilter filter, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, IReadOnlyList<Relationship>>(StringComparer.Ordinal);
        if (nodeIds.Count == 0)
        {
            return result;
        }

        const string Conditions = """
            ($types IS NULL OR r.type IN (SELECT value FROM json_each($types)))
            AND ($asOf IS NULL OR (r.valid_from <= $asOf AND $asOf <= r.valid_to))
            """;
        var parts = new List<string>();
        if (filter.Direction is Direction.Outgoing or Direction.Both)
        {
            parts.Add($"SELECT k.value, r.to_id AS other, {RelationshipColumns} FROM json_each($ids) k JOIN relationships r ON r.from_id = k.value WHERE {Conditions}");
        }

        if (filter.Direction is Direction.Incoming or Direction.Both)
        {
            parts.Add($"SELECT k.value, r.from_id AS other, {RelationshipColumns} FROM json_each($ids) k JOIN relationships r ON r.to_id = k.value WHERE {Conditions}");
        }

        await using var lease = await LeaseAsync(cancellationToken);
        await using var command = Command(lease.Connection, string.Join(" UNION ALL ", parts) + " ORDER BY 1, 4, 7, 2", lease.Transaction);
        command.Parameters.AddWithValue("$ids", Json(nodeIds));
        command.Parameters.AddWithValue("$types", filter.Types is { Count: > 0 } types ? Json(types.Select(EnumNames.ToWire)) : DBNull.Value);
        command.Parameters.AddWithValue("$asOf", Date(filter.AsOf));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lists = new Dictionary<string, List<Relationship>>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetString(0);
            if (!lists.TryGetValue(key, out var list))
            {
                lists[key] = list = [];
            }

            list.Add(ToRelationship(ReadRelationship(reader, 2)));
        }

        foreach (var (key, list) in lists)
        {
            result[key] = list;
        }

        return result;
    }

    private static async Task<List<Node>> ReadNodesAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, Action<SqliteCommand> bind,
        CancellationToken cancellationToken)
    {
        var rows = new List<NodeRow>();
        await using (var command = Command(connection, sql, transaction))
        {
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(ReadNode(reader));
            }
        }

        if (rows.Count == 0)
        {
            return [];
        }

        var facts = new List<FactRow>();
        await using (var command = Command(connection, """
            SELECT node_id, fact, value, scheme, valid_from, valid_to, sources FROM node_facts
            WHERE node_id IN (SELECT value FROM json_each($ids)) ORDER BY node_id, fact, valid_from, value
            """, transaction))
        {
            command.Parameters.AddWithValue("$ids", Json(rows.Select(r => r.Id)));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                facts.Add(new FactRow(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6)));
            }
        }

        var byNode = facts.ToLookup(f => f.NodeId);
        return rows.Select(r => ToNode(r, byNode[r.Id])).ToList();
    }

    private static async Task UpsertSourcesAsync(SqliteConnection connection, IReadOnlyList<Source> sources, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, """
            INSERT INTO sources (id, title, publisher, url, published, retrieved, licence)
            VALUES ($id, $title, $publisher, $url, $published, $retrieved, $licence)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, publisher = excluded.publisher, url = excluded.url,
                published = excluded.published, retrieved = excluded.retrieved, licence = excluded.licence
            """, null);
        foreach (var s in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Set(command, ("$id", s.Id), ("$title", s.Title), ("$publisher", s.Publisher), ("$url", s.Url),
                ("$published", Date(s.Published)), ("$retrieved", Date(s.Retrieved)), ("$licence", s.Licence));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task UpsertNodesAsync(SqliteConnection connection, IReadOnlyList<Node> nodes, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, """
            INSERT INTO nodes (id, name, kind, sector, valid_from, valid_to, confidence, sources, properties)
            VALUES ($id, $name, $kind, $sector, $from, $to, $confidence, $sources, $properties)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, sector = excluded.sector,
                valid_from = excluded.valid_from, valid_to = excluded.valid_to, confidence = excluded.confidence,
                sources = excluded.sources, properties = excluded.properties
            """, null);
        foreach (var n in nodes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Set(command, ("$id", n.Id), ("$name", n.Name), ("$kind", EnumNames.ToWire(n.Kind)), ("$sector", EnumNames.ToWire(n.Sector)),
                ("$from", Start(n.ValidFrom)), ("$to", End(n.ValidTo)), ("$confidence", EnumNames.ToWire(n.Confidence)),
                ("$sources", Json(n.SourceIds)), ("$properties", n.Properties));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task UpsertFactsAsync(SqliteConnection connection,
        IReadOnlyList<(string NodeId, NodeFactKind Kind, DatedValue Value)> facts, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, """
            INSERT INTO node_facts (node_id, fact, value, scheme, valid_from, valid_to, sources)
            VALUES ($node, $fact, $value, $scheme, $from, $to, $sources)
            ON CONFLICT (node_id, fact, value, valid_from) DO UPDATE SET scheme = excluded.scheme,
                valid_to = excluded.valid_to, sources = excluded.sources
            """, null);
        foreach (var (nodeId, kind, v) in facts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Set(command, ("$node", nodeId), ("$fact", FactName(kind)), ("$value", v.Value),
                ("$scheme", v.Scheme is { } s ? EnumNames.ToWire(s) : null), ("$from", Start(v.ValidFrom)), ("$to", End(v.ValidTo)),
                ("$sources", Json(v.SourceIds)));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>One statement per relationship, through <see cref="WriteRows"/>: an import writes tens of thousands (49,000 PAID from the seed's spend files).</summary>
    private static void UpsertRelationships(SqliteConnection connection, IReadOnlyList<Relationship> relationships, CancellationToken cancellationToken) =>
        WriteRows(connection, """
            INSERT INTO relationships (type, from_id, to_id, valid_from, valid_to, confidence, sources, properties)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT (type, from_id, to_id, valid_from) DO UPDATE SET valid_to = excluded.valid_to,
                confidence = excluded.confidence, sources = excluded.sources, properties = excluded.properties
            """, relationships,
            (statement, r) => BindText(statement, 1, EnumNames.ToWire(r.Type), r.From, r.To, Start(r.ValidFrom), End(r.ValidTo),
                EnumNames.ToWire(r.Confidence), Json(r.SourceIds), r.Properties),
            cancellationToken);

    private static async Task RefreshSearchAsync(SqliteConnection connection, IReadOnlyList<string> nodeIds, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"""
            DELETE FROM search WHERE rowid IN (SELECT rowid FROM nodes WHERE id IN (SELECT value FROM json_each($ids)));
            INSERT INTO search (rowid, main, other)
            SELECT n.rowid, n.id || ' ' || n.name,
                   (SELECT group_concat(f.value, ' ') FROM node_facts f WHERE f.node_id = n.id AND f.fact IN ('{FactName(NodeFactKind.Name)}', '{FactName(NodeFactKind.Alias)}'))
            FROM nodes n WHERE n.id IN (SELECT value FROM json_each($ids));
            """, null);
        command.Parameters.AddWithValue("$ids", Json(nodeIds));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction = null) =>
        new(sql, connection, transaction);

    /// <summary>
    /// Runs <paramref name="sql"/> once per row on the connection (in its open transaction) through SQLite's own API, prepared
    /// once, with the row's values bound by position (?1, ?2, ...). For an import's bulk writes: a <see cref="SqliteCommand"/>
    /// execution looks each parameter up by name and costs several microseconds a row before SQLite does any work.
    /// </summary>
    private static void WriteRows<T>(SqliteConnection connection, string sql, IReadOnlyList<T> rows, Action<sqlite3_stmt, T> bind,
        CancellationToken cancellationToken)
    {
        var db = connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        using (statement)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                if (i % 16_384 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                bind(statement, rows[i]);
                if (raw.sqlite3_step(statement) is var rc && rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, db);
                }

                raw.sqlite3_reset(statement);
            }
        }
    }

    /// <summary>Binds text values (null as NULL) to the parameters from <paramref name="first"/> on, in order.</summary>
    private static void BindText(sqlite3_stmt statement, int first, params ReadOnlySpan<string?> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { } value)
            {
                raw.sqlite3_bind_text(statement, first + i, value);
            }
            else
            {
                raw.sqlite3_bind_null(statement, first + i);
            }
        }
    }

    private static void Set(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        if (command.Parameters.Count == 0)
        {
            foreach (var (name, _) in values)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }
        }

        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
