using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OrgGraph.Storage.Sqlite;

namespace OrgGraph.Bench;

/// <summary>
/// Writes a random graph into a SQLite file with the project's schema: nodes G0000000…, a tree backbone (each
/// node PART_OF a random earlier node) and random cross relationships of every type, each with a random period.
/// Rows use the store's formats (wire-name enums, sentinel dates, '[]' sources, '{}' or a share for OWNED_BY).
/// The full-text search table is left empty: traversals do not use it.
/// </summary>
public static class GeneratedGraph
{
    private static readonly (string Kind, string Sector, int Weight)[] s_kinds =
    [
        ("GP_PRACTICE", "PUBLIC", 35), ("PCN", "PUBLIC", 8), ("TRUST", "PUBLIC", 6), ("CCG", "PUBLIC", 4), ("ICS", "PUBLIC", 1),
        ("LOCAL_AUTHORITY", "PUBLIC", 4), ("CSU", "PUBLIC", 1), ("REGION", "PUBLIC", 1), ("COMPANY", "PRIVATE", 22),
        ("CHARITY", "THIRD_SECTOR", 6), ("CONTRACT", "PUBLIC", 6), ("FRAMEWORK", "PUBLIC", 1), ("OTHER", "PUBLIC", 5),
    ];

    private static readonly string[] s_crossTypes =
        ["PART_OF", "MEMBER_OF", "COMMISSIONED_BY", "OPERATED_BY", "OWNED_BY", "SUCCEEDED_BY", "ACCOUNTABLE_TO", "SUPPLIER_ON", "RUNS", "AWARDED_TO", "BID_FOR"];

    public static string Id(int i) => "G" + i.ToString("D7", CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="path"/> already holds a graph of this size.</summary>
    public static async Task<bool> ExistsAsync(string path, int nodes, int relationships)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        var counts = await new SqliteGraphStore(new SqliteOptions { Path = path }).CountAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();
        return counts.Nodes == nodes && counts.Relationships == relationships;
    }

    public static async Task GenerateAsync(string path, int nodeCount, int relationshipCount, int seed = 2024)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            File.Delete(file);
        }

        var store = new SqliteGraphStore(new SqliteOptions { Path = path });
        await store.InitializeAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();

        var random = new Random(seed);
        var total = Stopwatch.StartNew();
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            // A bulk load, not the store's write path: no journal, no fsync, a big page cache; the two secondary
            // indexes are dropped and rebuilt afterwards by InitializeAsync (the same CREATE INDEX statements). Nodes go first:
            // the schema's triggers give each relationship its ends' node keys as it is inserted (SqliteSchema.NodeKeyTriggers).
            Execute(connection, "PRAGMA journal_mode = DELETE; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000; " +
                "DROP INDEX relationships_from; DROP INDEX relationships_to; DROP INDEX nodes_kind;");
            using var transaction = connection.BeginTransaction();
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO nodes (id, name, kind, sector, valid_from, valid_to, confidence, sources, properties) " +
                    "VALUES ($id, $name, $kind, $sector, $from, $to, 'OFFICIAL', '[]', '{}')";
                var (id, name, kind, sector, from, to) = (insert.Parameters.Add("$id", SqliteType.Text), insert.Parameters.Add("$name", SqliteType.Text),
                    insert.Parameters.Add("$kind", SqliteType.Text), insert.Parameters.Add("$sector", SqliteType.Text),
                    insert.Parameters.Add("$from", SqliteType.Text), insert.Parameters.Add("$to", SqliteType.Text));
                insert.Prepare();
                var weights = s_kinds.Sum(k => k.Weight);
                for (var i = 0; i < nodeCount; i++)
                {
                    var pick = random.Next(weights);
                    var k = 0;
                    while (pick >= s_kinds[k].Weight)
                    {
                        pick -= s_kinds[k++].Weight;
                    }

                    var (start, end) = random.Next(100) < 85 ? (SqliteOpenStart, SqliteOpenEnd) : Period(random);
                    (id.Value, name.Value, kind.Value, sector.Value, from.Value, to.Value) =
                        (Id(i), "Generated organisation " + i.ToString(CultureInfo.InvariantCulture), s_kinds[k].Kind, s_kinds[k].Sector, start, end);
                    insert.ExecuteNonQuery();
                }
            }

            Console.WriteLine($"  {nodeCount} nodes in {total.Elapsed.TotalSeconds:0.0} s");
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT OR IGNORE INTO relationships (type, from_id, to_id, valid_from, valid_to, confidence, sources, properties) " +
                    "VALUES ($type, $from, $to, $vf, $vt, 'OFFICIAL', '[]', $props)";
                var (type, from, to, vf, vt, props) = (insert.Parameters.Add("$type", SqliteType.Text), insert.Parameters.Add("$from", SqliteType.Text),
                    insert.Parameters.Add("$to", SqliteType.Text), insert.Parameters.Add("$vf", SqliteType.Text),
                    insert.Parameters.Add("$vt", SqliteType.Text), insert.Parameters.Add("$props", SqliteType.Text));
                insert.Prepare();
                var written = 0;
                for (var i = 1; i < nodeCount && written < relationshipCount; i++)
                {
                    var (start, end) = EdgePeriod(random);
                    (type.Value, from.Value, to.Value, vf.Value, vt.Value, props.Value) = ("PART_OF", Id(i), Id(random.Next(i)), start, end, "{}");
                    written += insert.ExecuteNonQuery();
                }

                while (written < relationshipCount)
                {
                    var a = random.Next(nodeCount);
                    var b = random.Next(nodeCount - 1);
                    b += b >= a ? 1 : 0;
                    var t = s_crossTypes[random.Next(s_crossTypes.Length)];
                    var (start, end) = EdgePeriod(random);
                    (type.Value, from.Value, to.Value, vf.Value, vt.Value) = (t, Id(a), Id(b), start, end);
                    props.Value = t == "OWNED_BY" && random.Next(2) == 0 ? "{\"share\":" + random.Next(1, 101).ToString(CultureInfo.InvariantCulture) + "}" : "{}";
                    written += insert.ExecuteNonQuery();
                }
            }

            transaction.Commit();
            Console.WriteLine($"  {relationshipCount} relationships written after {total.Elapsed.TotalSeconds:0.0} s");
            Execute(connection, "PRAGMA journal_mode = WAL;");
        }

        await store.InitializeAsync(CancellationToken.None);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            connection.Open();
            Execute(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        }

        SqliteConnection.ClearAllPools();
        Console.WriteLine($"  indexes rebuilt after {total.Elapsed.TotalSeconds:0.0} s");
    }

    private const string SqliteOpenStart = "0001-01-01";
    private const string SqliteOpenEnd = "9999-12-31";
    private static readonly int s_first = new DateOnly(1995, 1, 1).DayNumber;
    private static readonly int s_last = new DateOnly(2025, 12, 31).DayNumber;

    private static string Date(int day) => DateOnly.FromDayNumber(day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A closed period somewhere in 1995–2025 (or open at one end).</summary>
    private static (string, string) Period(Random random)
    {
        var start = random.Next(s_first, s_last);
        var end = start + random.Next(30, 6000);
        return random.Next(4) switch
        {
            0 => (SqliteOpenStart, Date(end)),
            1 => (Date(start), SqliteOpenEnd),
            _ => (Date(start), Date(end)),
        };
    }

    /// <summary>A relationship's period: a quarter open at the start, 60% still valid, the rest 30 days to 11 years.</summary>
    private static (string, string) EdgePeriod(Random random)
    {
        var start = random.Next(s_first, s_last);
        var from = random.Next(4) == 0 ? SqliteOpenStart : Date(start);
        var to = random.Next(10) < 6 ? SqliteOpenEnd : Date(start + random.Next(30, 4000));
        return (from, to);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        do
        {
            while (reader.Read())
            {
            }
        }
        while (reader.NextResult());
    }
}
