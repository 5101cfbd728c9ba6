using Microsoft.Data.Sqlite;
using OrgGraph.Model;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Tests.Support;
using OrgGraph.Traversal;

namespace OrgGraph.Tests.Storage;

/// <summary>
/// The traversal index reads a relationship's ends as node rowids (<c>relationships.from_key</c>, <c>to_key</c>, kept by
/// triggers) and its columns as bytes. Checked against the nodes and relationships read directly from the file, joined
/// by id: on the seed as the importer wrote it, on the seed in a store from before the keys (migrated at start), and
/// after writes that name a node before it exists or that do not go through the store.
/// </summary>
public sealed class NodeKeyTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly string _work = Directory.CreateTempSubdirectory("orggraph-node-keys-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task Index_OfTheSeed_HoldsTheNodesAndTheRelationshipsBetweenThemAsTheFileDoes()
    {
        var path = await CopyOfSeedAsync();

        var index = await (await InitializedStoreAsync(path)).IndexAsync(Ct);

        var expected = await FileEdgesAsync(path);
        Assert.True(expected.Count > 1000, $"only {expected.Count} relationships in the seed");
        Assert.Equal(expected, IndexEdges(index));
        Assert.Equal(await FileNodesAsync(path), IndexNodes(index));
    }

    [Fact]
    public async Task Index_OfAStoreFromBeforeNodeKeys_IsTheSameOnceTheStoreHasStarted()
    {
        var path = await CopyOfSeedAsync();
        await ExecuteAsync(path, """
            DROP TRIGGER relationships_node_keys; DROP TRIGGER relationships_node_keys_update;
            DROP TRIGGER nodes_insert_node_keys; DROP TRIGGER nodes_delete_node_keys;
            ALTER TABLE relationships DROP COLUMN from_key; ALTER TABLE relationships DROP COLUMN to_key;
            """);
        Assert.Equal(0L, await ScalarAsync(path, "SELECT count(*) FROM pragma_table_info('relationships') WHERE name LIKE '%_key'"));

        var store = await InitializedStoreAsync(path);
        var index = await store.IndexAsync(Ct);

        Assert.Equal(await FileEdgesAsync(path), IndexEdges(index));
        await store.InitializeAsync(Ct); // as every start does: this one finds the store migrated
        Assert.Equal(2L, await ScalarAsync(path, "SELECT count(*) FROM pragma_table_info('relationships') WHERE name LIKE '%_key'"));
        Assert.Equal(4L, await ScalarAsync(path, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%node_keys%'"));
    }

    [Fact]
    public async Task ARelationshipWrittenBeforeItsEnd_IsInTheIndexOnceTheNodeIsWritten()
    {
        var path = Path.Combine(_work, "store.db");
        var store = await InitializedStoreAsync(path);
        var owner = new Relationship { Type = RelationshipType.OwnedBy, From = "COMPANY-A", To = "COMPANY-B", Properties = """{"share":60}""" };
        await store.UpsertAsync(new GraphBatch { Nodes = [Company("COMPANY-A")], Relationships = [owner] }, Ct);

        Assert.Equal(0, (await store.IndexAsync(Ct)).EdgeCount);

        await store.UpsertAsync(new GraphBatch { Nodes = [Company("COMPANY-B")] }, Ct);
        var index = await store.IndexAsync(Ct);

        Assert.Equal(1, index.EdgeCount);
        Assert.Equal(await FileEdgesAsync(path), IndexEdges(index));
        Assert.Equal(60f, index.EdgeShare[0]);
    }

    [Fact]
    public async Task RowsWrittenWithoutTheStore_GetTheirNodeKeysFromTheTriggers()
    {
        // As a bulk load (the benchmark's generator) or an older version of the program writes: plain INSERTs, no keys.
        var path = Path.Combine(_work, "store.db");
        var store = await InitializedStoreAsync(path);
        await store.UpsertAsync(new GraphBatch { Nodes = [Company("COMPANY-A")] }, Ct);
        await ExecuteAsync(path, """
            INSERT INTO relationships (type, from_id, to_id, valid_from, valid_to, confidence, sources, properties)
            VALUES ('PART_OF', 'COMPANY-C', 'COMPANY-A', '2019-04-01', '9999-12-31', 'OFFICIAL', '[]', '{}');
            INSERT INTO nodes (id, name, kind, sector, valid_from, valid_to, confidence, sources, properties)
            VALUES ('COMPANY-C', 'C', 'CHARITY', 'THIRD_SECTOR', '0001-01-01', '2023-03-31', 'OFFICIAL', '[]', '{}');
            INSERT INTO relationships (type, from_id, to_id, valid_from, valid_to, confidence, sources, properties)
            VALUES ('RUNS', 'COMPANY-A', 'COMPANY-C', '0001-01-01', '2020-12-31', 'REPORTED', '[]', '{}');
            """);

        var index = await store.IndexAsync(Ct);

        Assert.Equal(2, index.EdgeCount);
        Assert.Equal(await FileEdgesAsync(path), IndexEdges(index));
        Assert.Equal(await FileNodesAsync(path), IndexNodes(index));
    }

    private static Node Company(string id) => new() { Id = id, Name = id, Kind = OrgKind.Company, Sector = Sector.Private };

    private async Task<string> CopyOfSeedAsync()
    {
        var path = Path.Combine(_work, "seed.db");
        File.Copy(await SeededApp.TemplateAsync(), path);
        return path;
    }

    private static async Task<SqliteGraphStore> InitializedStoreAsync(string path)
    {
        var store = new SqliteGraphStore(new SqliteOptions { Path = path });
        await store.InitializeAsync(Ct);
        return store;
    }

    /// <summary>Relationships between nodes, their ends joined by id, as the file holds them; PAID stays out of the index by design.</summary>
    private static async Task<List<string>> FileEdgesAsync(string path) => await RowsAsync(path, """
        SELECT r.key, r.type, r.from_id, r.to_id, r.valid_from, r.valid_to, CASE WHEN r.type = 'OWNED_BY' THEN json_extract(r.properties, '$.share') END
        FROM relationships r JOIN nodes f ON f.id = r.from_id JOIN nodes t ON t.id = r.to_id
        WHERE r.type <> 'PAID'
        """);

    private static async Task<List<string>> FileNodesAsync(string path) =>
        await RowsAsync(path, "SELECT id, kind, sector, valid_from, valid_to FROM nodes");

    private static List<string> IndexEdges(GraphIndex g) => Sorted(Enumerable.Range(0, g.EdgeCount).Select(e => Row(
        g.EdgeKey[e], EnumNames.ToWire(g.EdgeType[e]), g.Ids[g.EdgeFrom[e]], g.Ids[g.EdgeTo[e]], Start(g.EdgeStart[e]), End(g.EdgeEnd[e]),
        float.IsNaN(g.EdgeShare[e]) ? null : g.EdgeShare[e])));

    private static List<string> IndexNodes(GraphIndex g) => Sorted(Enumerable.Range(0, g.NodeCount).Select(i => Row(
        g.Ids[i], EnumNames.ToWire(g.Kinds[i]), EnumNames.ToWire(g.Sectors[i]), Start(g.NodeStart[i]), End(g.NodeEnd[i]))));

    private static string Start(int day) => GraphIndex.FromDay(day)?.ToString("yyyy-MM-dd") ?? "0001-01-01";

    private static string End(int day) => GraphIndex.FromDay(day)?.ToString("yyyy-MM-dd") ?? "9999-12-31";

    private static string Row(params object?[] values) =>
        string.Join(" | ", values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "null"));

    private static List<string> Sorted(IEnumerable<string> rows) => [.. rows.Order(StringComparer.Ordinal)];

    private static async Task<List<string>> RowsAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(Row([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetFieldType(i) == typeof(double) ? (float)reader.GetDouble(i) : reader.GetValue(i))]));
        }

        return Sorted(rows);
    }

    private static async Task ExecuteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
