using System.Text;
using Microsoft.Data.Sqlite;
using OrgGraph.Model;
using OrgGraph.Traversal;
using SQLitePCL;
using static OrgGraph.Storage.Sqlite.SqliteRows;

namespace OrgGraph.Storage.Sqlite;

/// <summary>
/// Traversals on the embedded store run over an in-memory <see cref="GraphIndex"/> of the graph's topology,
/// built from one read snapshot and kept with the store generation it shows. Each traversal opens one read
/// transaction, reads the generation there, uses the index only if it is of that generation (building it from
/// this same snapshot otherwise, so a write by another process is seen too), and reads the evidence of the
/// relationships its answer uses in the same transaction: an answer never mixes two states of the graph.
/// </summary>
public sealed partial class SqliteGraphStore
{
    private readonly SemaphoreSlim _indexLock = new(1, 1);
    private IndexedGeneration? _index;

    /// <summary>The topology index of the current graph, built if a write has made the last one stale.</summary>
    public async Task<GraphIndex> IndexAsync(CancellationToken cancellationToken)
    {
        await using var lease = await LeaseAsync(cancellationToken);
        var (connection, snapshot) = (lease.Connection, lease.Transaction);
        return await IndexAsync(connection, snapshot, cancellationToken);
    }

    /// <summary>The index of the graph as <paramref name="snapshot"/> sees it.</summary>
    private async Task<GraphIndex> IndexAsync(SqliteConnection connection, SqliteTransaction? snapshot, CancellationToken cancellationToken)
    {
        if (InWrite)
        {
            // Uncommitted rows: never cached as the index of a generation.
            return BuildIndex(connection, cancellationToken);
        }

        var generation = await ReadGenerationAsync(connection, snapshot, cancellationToken);
        if (Volatile.Read(ref _index) is { } cached && cached.Generation == generation)
        {
            return cached.Index;
        }

        await _indexLock.WaitAsync(cancellationToken);
        try
        {
            if (Volatile.Read(ref _index) is { } built && built.Generation == generation)
            {
                return built.Index;
            }

            var index = BuildIndex(connection, cancellationToken);
            // Generations only grow; a reader on an older snapshot must not replace a newer index.
            if (Volatile.Read(ref _index) is not { } current || current.Generation < generation)
            {
                Volatile.Write(ref _index, new IndexedGeneration(generation, index));
            }

            return index;
        }
        finally
        {
            _indexLock.Release();
        }
    }

    private sealed record IndexedGeneration(long Generation, GraphIndex Index);

    public Task<IReadOnlyList<GraphPath>> WhoControlsAsync(string id, TraversalQuery query, CancellationToken cancellationToken) =>
        TraverseAsync(query, g => g.IndexOf(id) is { } i ? Traversals.WhoControls(g, i, query, cancellationToken) : [], cancellationToken);

    public Task<IReadOnlyList<GraphPath>> ControlledByAsync(string id, TraversalQuery query, CancellationToken cancellationToken) =>
        TraverseAsync(query, g => g.IndexOf(id) is { } i ? Traversals.ControlledBy(g, i, query, cancellationToken) : [], cancellationToken);

    public Task<IReadOnlyList<GraphPath>> PrivatisationPathsAsync(string id, TraversalQuery query, CancellationToken cancellationToken) =>
        TraverseAsync(query, g => g.IndexOf(id) is { } i ? Traversals.PrivatisationPaths(g, i, query, cancellationToken) : [], cancellationToken);

    public Task<IReadOnlyList<GraphPath>> ConnectionsAsync(string from, string to, TraversalQuery query, CancellationToken cancellationToken) =>
        TraverseAsync(query, g => g.IndexOf(from) is { } a && g.IndexOf(to) is { } b ? Traversals.Connections(g, a, b, query, cancellationToken) : [], cancellationToken);

    public async Task<Lineage> LineageAsync(string id, CancellationToken cancellationToken)
    {
        var g = await IndexAsync(cancellationToken);
        if (g.IndexOf(id) is not { } node)
        {
            return new Lineage([], []);
        }

        var (predecessors, successors) = Traversals.Lineage(g, node, cancellationToken);
        static List<LineageEntry> Entries(GraphIndex g, List<(int Node, int Day, int Depth)> list) =>
            [.. list.Select(e => new LineageEntry(g.Ids[e.Node], GraphIndex.FromDay(e.Day), e.Depth))];
        return new Lineage(Entries(g, predecessors), Entries(g, successors));
    }

    public async Task<GraphStats> StatsAsync(string? within, DateOnly? asOf, CancellationToken cancellationToken)
    {
        var g = await IndexAsync(cancellationToken);
        return Traversals.Stats(g, within is null ? null : g.IndexOf(within) ?? throw new ArgumentException($"unknown node '{within}'", nameof(within)), asOf, cancellationToken);
    }

    private async Task<IReadOnlyList<GraphPath>> TraverseAsync(TraversalQuery query, Func<GraphIndex, List<IndexPath>> traverse, CancellationToken cancellationToken)
    {
        // One snapshot for the index and the evidence (see the class summary).
        await using var lease = await LeaseAsync(cancellationToken);
        var (connection, snapshot) = (lease.Connection, lease.Transaction);
        var g = await IndexAsync(connection, snapshot, cancellationToken);
        var paths = traverse(g);
        if (paths.Count == 0)
        {
            return [];
        }

        // A PAID step is a (body, supplier) pair: its evidence is that of its months in the window.
        var window = Traversals.Window(query);
        var months = paths.SelectMany(p => p.Edges).Where(g.IsPaidPair).Distinct()
            .ToDictionary(e => e, e => g.PaidMonths(e, window.From, window.To).ToList());
        var relationships = await GetRelationshipsByKeyAsync(connection, snapshot,
            [.. paths.SelectMany(p => p.Edges).Where(e => !g.IsPaidPair(e)).Select(e => g.EdgeKey[e])
                .Concat(months.Values.SelectMany(m => m).Select(m => g.MonthKey[m])).Distinct()], cancellationToken);
        var paid = months.ToDictionary(m => m.Key, m => PathMoney.Aggregate(g.Ids[g.EdgeFrom[m.Key]], g.Ids[g.EdgeTo[m.Key]],
            [.. m.Value.Select(i => relationships[g.MonthKey[i]])], g.PaidIn(m.Key, window.From, window.To).Pence));
        return [.. paths.Select(p => new GraphPath
        {
            Nodes = [.. p.Nodes.Select(n => g.Ids[n])],
            Steps = [.. p.Edges.Select((e, i) =>
            {
                var amount = Traversals.StepAmount(g, e, query);
                return new PathStep
                {
                    Relationship = g.IsPaidPair(e) ? paid[e] : relationships[g.EdgeKey[e]],
                    From = g.Ids[p.Nodes[i]],
                    To = g.Ids[p.Nodes[i + 1]],
                    Direction = g.EdgeFrom[e] == p.Nodes[i] ? Direction.Outgoing : Direction.Incoming,
                    ControlKind = Traversals.ControlKindOf(g, e, query.IncludeBids),
                    InfluenceOnly = Traversals.InfluenceOnly(g, e),
                    Amount = amount?.Pence / 100m,
                    AmountKind = amount?.Kind,
                };
            })],
            Period = new Period(GraphIndex.FromDay(p.Start), GraphIndex.FromDay(p.End)),
            FirstPrivateIndex = p.FirstPrivate,
        })];
    }

    private static async Task<Dictionary<long, Relationship>> GetRelationshipsByKeyAsync(SqliteConnection connection, SqliteTransaction? snapshot,
        IReadOnlyCollection<long> keys, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"SELECT {RelationshipColumns} FROM json_each($keys) k JOIN relationships r ON r.key = k.value", snapshot);
        command.Parameters.AddWithValue("$keys", System.Text.Json.JsonSerializer.Serialize(keys));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new Dictionary<long, Relationship>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var relationship = ToRelationship(ReadRelationship(reader));
            result[relationship.Key] = relationship;
        }

        return result;
    }

    /// <summary>
    /// Reads nodes and relationships in the snapshot of <paramref name="connection"/>'s read transaction into a new index.
    /// Relationships name their ends by node rowid (<c>from_key</c>, <c>to_key</c>, see <see cref="SqliteSchema.NodeKeyTriggers"/>),
    /// mapped to node indexes through an array. Two id look-ups per relationship, a string for every column and
    /// <see cref="SqliteDataReader"/>'s cost per column were most of the load of a large graph (docs/benchmarks.md), so the rows
    /// are read with SQLite's own API and the columns as bytes. PAID relationships (tens of thousands of monthly totals) stay
    /// out of the adjacency: they are read after the others, as months of (body, supplier) pairs that only a privatisation
    /// path asking for payments walks (<see cref="GraphIndex"/>); spend roll-ups read the payments table.
    /// </summary>
    private static GraphIndex BuildIndex(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var (nodeCount, edgeCount, maxRowid) = (0, 0, 0L);
        ForEachRow(connection, "SELECT (SELECT count(*) FROM nodes), (SELECT count(*) FROM relationships WHERE type <> 'PAID'), (SELECT coalesce(max(rowid), 0) FROM nodes)",
            row => (nodeCount, edgeCount, maxRowid) = (raw.sqlite3_column_int(row, 0), raw.sqlite3_column_int(row, 1), raw.sqlite3_column_int64(row, 2)),
            cancellationToken);

        var builder = new GraphIndex.Builder(nodeCount, edgeCount);
        var indexOfRowid = new int[maxRowid + 1];
        Array.Fill(indexOfRowid, -1);
        var (kinds, sectors, types) = (new WireNames<OrgKind>(), new WireNames<Sector>(), new WireNames<RelationshipType>());
        ForEachRow(connection, "SELECT rowid, id, kind, sector, valid_from, valid_to FROM nodes",
            row => indexOfRowid[raw.sqlite3_column_int64(row, 0)] = builder.AddNode(Encoding.UTF8.GetString(Text(row, 1)),
                kinds.Parse(Text(row, 2)), sectors.Parse(Text(row, 3)), StartDay(Text(row, 4)), EndDay(Text(row, 5))),
            cancellationToken);

        // A relationship whose end is not (yet) a node has no key for it and is left out, as the traversals need.
        // The last column is an OWNED_BY share, or an AWARDED_TO amount in GBP (the property contract of award notices).
        const string Edges = """
            SELECT key, type, from_key, to_key, valid_from, valid_to,
                   CASE type WHEN 'OWNED_BY' THEN json_extract(properties, '$.share')
                             WHEN 'AWARDED_TO' THEN CASE WHEN json_extract(properties, '$.currency') = 'GBP' AND json_type(properties, '$.amount') IN ('integer', 'real')
                                                         THEN json_extract(properties, '$.amount') END END
            FROM relationships WHERE from_key IS NOT NULL AND to_key IS NOT NULL AND type <> 'PAID'
            """;
        ForEachRow(connection, Edges,
            row =>
            {
                var type = types.Parse(Text(row, 1));
                var value = raw.sqlite3_column_type(row, 6) == raw.SQLITE_NULL ? (double?)null : raw.sqlite3_column_double(row, 6);
                var edge = builder.AddEdge(raw.sqlite3_column_int64(row, 0), type,
                    indexOfRowid[raw.sqlite3_column_int64(row, 2)], indexOfRowid[raw.sqlite3_column_int64(row, 3)],
                    StartDay(Text(row, 4)), EndDay(Text(row, 5)),
                    type == RelationshipType.OwnedBy && value is { } share ? (float)share : float.NaN);
                if (type == RelationshipType.AwardedTo && value is { } amount)
                {
                    builder.AddAward(edge, Pence(amount));
                }
            },
            cancellationToken);

        // The unique key (type, from_id, to_id, valid_from) finds them without a scan (a graph with none pays nothing) and gives
        // each pair's months together, earliest first, as the builder takes them without sorting.
        const string Payments = """
            SELECT key, from_key, to_key, valid_from, valid_to, json_extract(properties, '$.total'), json_extract(properties, '$.count')
            FROM relationships WHERE type = 'PAID' AND from_key IS NOT NULL AND to_key IS NOT NULL ORDER BY from_id, to_id, valid_from
            """;
        ForEachRow(connection, Payments,
            row => builder.AddPayment(raw.sqlite3_column_int64(row, 0),
                indexOfRowid[raw.sqlite3_column_int64(row, 1)], indexOfRowid[raw.sqlite3_column_int64(row, 2)],
                StartDay(Text(row, 3)), EndDay(Text(row, 4)), Pence(raw.sqlite3_column_double(row, 5)), raw.sqlite3_column_int(row, 6)),
            cancellationToken);

        return builder.Build();
    }

    /// <summary>Pounds (a JSON number, at most two decimals as stored) to pence.</summary>
    private static long Pence(double pounds) => (long)Math.Round(pounds * 100, MidpointRounding.AwayFromZero);

    /// <summary>Runs <paramref name="sql"/> on the connection (in its open transaction) and calls <paramref name="row"/> for each row.</summary>
    private static void ForEachRow(SqliteConnection connection, string sql, Action<sqlite3_stmt> row, CancellationToken cancellationToken)
    {
        var db = connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        using (statement)
        {
            int rc;
            for (var n = 1; (rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW; n++)
            {
                if (n % 65_536 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                row(statement);
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }
    }

    /// <summary>A text column's UTF-8 bytes, valid until the next step.</summary>
    private static ReadOnlySpan<byte> Text(sqlite3_stmt row, int column) => raw.sqlite3_column_blob(row, column);

    /// <summary>Enum values from their wire names in UTF-8, without making a string of each.</summary>
    private sealed class WireNames<T> where T : struct, Enum
    {
        private readonly (byte[] Name, T Value)[] _names = [.. Enum.GetValues<T>().Select(v => (Encoding.UTF8.GetBytes(EnumNames.ToWire(v)), v))];

        public T Parse(ReadOnlySpan<byte> utf8)
        {
            foreach (var (name, value) in _names)
            {
                if (utf8.SequenceEqual(name))
                {
                    return value;
                }
            }

            return EnumNames.Parse<T>(Encoding.UTF8.GetString(utf8)); // not a wire name: throws, naming the expected ones
        }
    }

    private static int StartDay(ReadOnlySpan<byte> text) => text.SequenceEqual(OpenStartUtf8) ? GraphIndex.OpenStart : DayOf(text);

    private static int EndDay(ReadOnlySpan<byte> text) => text.SequenceEqual(OpenEndUtf8) ? GraphIndex.OpenEnd : DayOf(text);

    private static readonly byte[] OpenStartUtf8 = Encoding.UTF8.GetBytes(SqliteSchema.OpenStart), OpenEndUtf8 = Encoding.UTF8.GetBytes(SqliteSchema.OpenEnd);

    /// <summary>Day number of an ISO date as the store writes it (yyyy-mm-dd), without a general parser.</summary>
    private static int DayOf(ReadOnlySpan<byte> text) =>
        new DateOnly(
            ((text[0] - '0') * 1000) + ((text[1] - '0') * 100) + ((text[2] - '0') * 10) + (text[3] - '0'),
            ((text[5] - '0') * 10) + (text[6] - '0'),
            ((text[8] - '0') * 10) + (text[9] - '0')).DayNumber;
}
