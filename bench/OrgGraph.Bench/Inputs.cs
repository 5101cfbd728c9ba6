using Microsoft.Data.Sqlite;
using OrgGraph.Importing;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Traversal;

namespace OrgGraph.Bench;

/// <summary>The seeded database and the realistic inputs every seed benchmark (in-process, CTE, HTTP) uses.</summary>
public sealed record SeedInputs(
    IReadOnlyList<string> Systems,
    IReadOnlyList<string> Controlled,
    IReadOnlyList<(string From, string To)> Pairs,
    IReadOnlyList<(string From, string To)> PairsOnDate)
{
    public static readonly DateOnly AsOf = new(2022, 6, 1);

    public const string AsOfText = "2022-06-01";

    /// <summary>Imports the full seed into <paramref name="path"/> unless it already holds a graph.</summary>
    public static async Task EnsureSeedDatabaseAsync(string path, string seedDirectory)
    {
        if (File.Exists(path))
        {
            var existing = new SqliteGraphStore(new SqliteOptions { Path = path });
            await existing.InitializeAsync(CancellationToken.None);
            var counts = await existing.CountAsync(CancellationToken.None);
            if (counts.Nodes > 0)
            {
                Report.Line($"Seed database {path}: {counts.Nodes} nodes, {counts.Relationships} relationships, {counts.Sources} sources (reused).");
                return;
            }
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var store = new SqliteGraphStore(new SqliteOptions { Path = path });
        await store.InitializeAsync(CancellationToken.None);
        var result = await new GraphImporter(store, new CsvImporter(store)).ImportAsync(seedDirectory, CancellationToken.None);
        Report.Line($"Imported {seedDirectory} into {path} in {started.Elapsed.TotalSeconds:0.0} s: {result.Counts.Nodes} nodes, {result.Counts.Relationships} relationships.");
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// The 42 current ICSs; 150 GP practices and 50 trusts drawn at random (fixed seed); 300 random pairs of nodes, and
    /// 300 random pairs of nodes valid on <see cref="AsOf"/> for the dated connection queries.
    /// </summary>
    public static SeedInputs Choose(GraphIndex g)
    {
        var random = new Random(42);
        List<int> OfKind(Model.OrgKind kind) => [.. Enumerable.Range(0, g.NodeCount).Where(i => g.Kinds[i] == kind).OrderBy(i => g.Ids[i], StringComparer.Ordinal)];
        List<string> Sample(List<int> from, int count)
        {
            var copy = from.ToArray();
            random.Shuffle(copy);
            return [.. copy.Take(count).Select(i => g.Ids[i])];
        }

        // The 42 current ICSs (the seed also holds two STPs that closed in 2020).
        var systems = OfKind(Model.OrgKind.Ics).Where(i => g.NodeEnd[i] == GraphIndex.OpenEnd).Select(i => g.Ids[i]).ToList();
        var controlled = Sample(OfKind(Model.OrgKind.GpPractice), 150).Concat(Sample(OfKind(Model.OrgKind.Trust), 50)).ToList();
        var day = AsOf.DayNumber;
        var valid = Enumerable.Range(0, g.NodeCount).Where(i => g.NodeValid(i, day)).ToArray();
        List<(string, string)> Pairs(int[] nodes, int count) =>
            [.. Enumerable.Range(0, count).Select(_ => (g.Ids[nodes[random.Next(nodes.Length)]], g.Ids[nodes[random.Next(nodes.Length)]]))];
        return new SeedInputs(systems, controlled, Pairs([.. Enumerable.Range(0, g.NodeCount)], 300), Pairs(valid, 300));
    }

    /// <summary>The directory holding <c>seed/manifest.csv</c>, searched upwards from the working directory.</summary>
    public static string FindSeedDirectory()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "seed", "manifest.csv")))
            {
                return Path.Combine(dir.FullName, "seed");
            }
        }

        throw new DirectoryNotFoundException("seed/manifest.csv not found above the working directory; run from the repository or pass --seed-dir");
    }
}
