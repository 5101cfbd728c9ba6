using Microsoft.Data.Sqlite;
using OrgGraph.Model;
using OrgGraph.Traversal;
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
        await using var connection = await OpenAsync(cancellationToken);
        await using var snapshot = connection.BeginTransaction(deferred: true);
        return await IndexAsync(connection, snapshot, cancellationToken);
    }

    /// <summary>The index of the graph as <paramref name="snapshot"/> sees it.</summary>
    private async Task<GraphIndex> IndexAsync(SqliteConnection connection, SqliteTransaction snapshot, CancellationToken cancellationToken)
    {
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

            var index = await BuildIndexAsync(connection, snapshot, cancellationToken);
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
        await using var connection = await OpenAsync(cancellationToken);
        await using var snapshot = connection.BeginTransaction(deferred: true);
        var g = await IndexAsync(connection, snapshot, cancellationToken);
        var paths = traverse(g);
        if (paths.Count == 0)
        {
            return [];
        }

        var relationships = await GetRelationshipsByKeyAsync(connection, snapshot,
            paths.SelectMany(p => p.Edges).Select(e => g.EdgeKey[e]).Distinct().ToList(), cancellationToken);
        return [.. paths.Select(p => new GraphPath
        {
            Nodes = [.. p.Nodes.Select(n => g.Ids[n])],
            Steps = [.. p.Edges.Select((e, i) => new PathStep
            {
                Relationship = relationships[g.EdgeKey[e]],
                From = g.Ids[p.Nodes[i]],
                To = g.Ids[p.Nodes[i + 1]],
                Direction = g.EdgeFrom[e] == p.Nodes[i] ? Direction.Outgoing : Direction.Incoming,
                ControlKind = Traversals.ControlKindOf(g, e, query.IncludeBids),
                InfluenceOnly = Traversals.InfluenceOnly(g, e),
            })],
            Period = new Period(GraphIndex.FromDay(p.Start), GraphIndex.FromDay(p.End)),
            FirstPrivateIndex = p.FirstPrivate,
        })];
    }

    private static async Task<Dictionary<long, Relationship>> GetRelationshipsByKeyAsync(SqliteConnection connection, SqliteTransaction snapshot,
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
    /// Reads nodes and relationships in one read transaction (one snapshot) into a new index. PAID relationships
    /// (tens of thousands of monthly totals) stay out: no traversal walks them, and spend roll-ups read the payments table.
    /// </summary>
    private static async Task<GraphIndex> BuildIndexAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        int nodeCount, edgeCount;
        await using (var count = Command(connection, "SELECT (SELECT count(*) FROM nodes), (SELECT count(*) FROM relationships WHERE type <> 'PAID')", transaction))
        await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (nodeCount, edgeCount) = (reader.GetInt32(0), reader.GetInt32(1));
        }

        var builder = new GraphIndex.Builder(nodeCount, edgeCount);
        await using (var nodes = Command(connection, "SELECT id, kind, sector, valid_from, valid_to FROM nodes", transaction))
        await using (var reader = await nodes.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                builder.AddNode(reader.GetString(0), EnumNames.Parse<OrgKind>(reader.GetString(1)), EnumNames.Parse<Sector>(reader.GetString(2)),
                    StartDay(reader.GetString(3)), EndDay(reader.GetString(4)));
            }
        }

        const string Edges = """
            SELECT key, type, from_id, to_id, valid_from, valid_to,
                   CASE WHEN type = 'OWNED_BY' THEN json_extract(properties, '$.share') END
            FROM relationships WHERE type <> 'PAID'
            """;
        await using (var edges = Command(connection, Edges, transaction))
        await using (var reader = await edges.ExecuteReaderAsync(cancellationToken))
        {
            var types = new Dictionary<string, RelationshipType>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                var typeName = reader.GetString(1);
                if (!types.TryGetValue(typeName, out var type))
                {
                    types[typeName] = type = EnumNames.Parse<RelationshipType>(typeName);
                }

                builder.AddEdge(reader.GetInt64(0), type, reader.GetString(2), reader.GetString(3), StartDay(reader.GetString(4)), EndDay(reader.GetString(5)),
                    reader.IsDBNull(6) ? float.NaN : (float)reader.GetDouble(6));
            }
        }

        return builder.Build();
    }

    private static int StartDay(string text) => text == SqliteSchema.OpenStart ? GraphIndex.OpenStart : DayOf(text);

    private static int EndDay(string text) => text == SqliteSchema.OpenEnd ? GraphIndex.OpenEnd : DayOf(text);

    /// <summary>Day number of an ISO date as the store writes it (yyyy-mm-dd), without a general parser.</summary>
    private static int DayOf(string text) =>
        new DateOnly(
            ((text[0] - '0') * 1000) + ((text[1] - '0') * 100) + ((text[2] - '0') * 10) + (text[3] - '0'),
            ((text[5] - '0') * 10) + (text[6] - '0'),
            ((text[8] - '0') * 10) + (text[9] - '0')).DayNumber;
}
