using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OrgGraph.Importing;
using OrgGraph.Storage.Sqlite;

namespace OrgGraph.Bench;

/// <summary>
/// What importing the spend files costs (docs/benchmarks.md, "Spend import"). The import always reads a whole seed
/// directory (the paying bodies must be there to resolve against), so the spend files' part is measured as a
/// difference: the seed as shipped, against the same seed with the manifest's <c>spend</c> rows left out (everything
/// else identical: the same files, reconciliation table and ownership statements). Each is imported cold (into a new
/// database: the first start) and again onto the database it made (every source replaced: what "drop in next month's
/// file and run import" costs), in one process, alternating, for several rounds; wall clock and the process's CPU time,
/// each split into reading (read, check, resolve) and writing (the one transaction).
/// </summary>
public static class SpendImportBench
{
    private sealed record Timing(string Seed, string Kind, int Round, TimeSpan ReadWall, TimeSpan Wall, TimeSpan Cpu, int Payments, int Relationships);

    public static async Task RunAsync(Options options)
    {
        var seed = options.SeedDirectory ?? SeedInputs.FindSeedDirectory();
        var withoutSpend = WithoutSpendFiles(seed);
        var path = Path.Combine(Path.GetTempPath(), $"bench-spend-import-{Environment.ProcessId}.db");
        var timings = new List<Timing>();
        try
        {
            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var (name, directory) in new[] { ("without spend", withoutSpend), ("full", seed) })
                {
                    Delete(path);
                    timings.Add(await ImportAsync(name, "cold", round, directory, path));
                    timings.Add(await ImportAsync(name, "re-import", round, directory, path));
                    Console.WriteLine($"round {round}, {name}: {Row(timings[^2])} / {Row(timings[^1])} ({Report.Load()})");
                }
            }
        }
        finally
        {
            Delete(path);
            Directory.Delete(withoutSpend, recursive: true);
        }

        Report.Heading($"### Spend import: the seed with and without its {CountSpendRows(seed)} spend files ({options.Rounds} rounds, in-process)");
        Report.Line("| seed | import | round | read, check, resolve (s) | write, one transaction (s) | total wall (s) | CPU, all threads (s) | payment lines | relationships |");
        Report.Line("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var t in timings.OrderBy(t => t.Kind).ThenBy(t => t.Seed).ThenBy(t => t.Round))
        {
            Report.Line(string.Create(CultureInfo.InvariantCulture,
                $"| {t.Seed} | {t.Kind} | {t.Round} | {S(t.ReadWall)} | {S(t.Wall - t.ReadWall)} | {S(t.Wall)} | {S(t.Cpu)} | {t.Payments:N0} | {t.Relationships:N0} |"));
        }

        // Round 1 pays for JIT compilation and a cold disk cache, which a later round in the same process does not.
        var from = options.Rounds > 1 ? 2 : 1;
        Report.Line();
        Report.Line($"Medians over rounds {from}–{options.Rounds}; the spend files' part is full minus without spend:");
        Report.Line();
        Report.Line("| import | full: wall / CPU (s) | without spend: wall / CPU (s) | **spend files: wall / CPU (s)** | spend files: read / write wall (s) |");
        Report.Line("|---|---:|---:|---:|---:|");
        foreach (var kind in new[] { "cold", "re-import" })
        {
            double Median(string seedName, Func<Timing, TimeSpan> value) =>
                MedianOf(timings.Where(t => t.Kind == kind && t.Seed == seedName && t.Round >= from).Select(t => value(t).TotalSeconds));
            var (fullWall, fullCpu) = (Median("full", t => t.Wall), Median("full", t => t.Cpu));
            var (baseWall, baseCpu) = (Median("without spend", t => t.Wall), Median("without spend", t => t.Cpu));
            var read = Median("full", t => t.ReadWall) - Median("without spend", t => t.ReadWall);
            var write = Median("full", t => t.Wall - t.ReadWall) - Median("without spend", t => t.Wall - t.ReadWall);
            Report.Line(string.Create(CultureInfo.InvariantCulture,
                $"| {kind} | {fullWall:0.00} / {fullCpu:0.00} | {baseWall:0.00} / {baseCpu:0.00} | **{fullWall - baseWall:0.00} / {fullCpu - baseCpu:0.00}** | {read:0.00} / {write:0.00} |"));
        }
    }

    private static async Task<Timing> ImportAsync(string name, string kind, int round, string directory, string path)
    {
        var ct = CancellationToken.None;
        var store = new SqliteGraphStore(new SqliteOptions { Path = path });
        await store.InitializeAsync(ct);
        var importer = new GraphImporter(store, new CsvImporter(store));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var (batch, _) = await importer.ReadAsync(directory, ct);
        var read = clock.Elapsed;
        var counts = await store.UpsertAsync(batch, ct);
        var wall = clock.Elapsed;
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        SqliteConnection.ClearAllPools();
        return new Timing(name, kind, round, read, wall, used, batch.Payments.Count, counts.Relationships);
    }

    /// <summary>
    /// A directory that is the seed minus its spend files: the manifest without its <c>spend</c> rows, everything else
    /// linked to the seed's own files and directories.
    /// </summary>
    private static string WithoutSpendFiles(string seed)
    {
        var directory = Directory.CreateTempSubdirectory("bench-seed-without-spend-").FullName;
        foreach (var entry in Directory.EnumerateFileSystemEntries(seed).Where(e => Path.GetFileName(e) != Manifest))
        {
            File.CreateSymbolicLink(Path.Combine(directory, Path.GetFileName(entry)), Path.GetFullPath(entry));
        }

        var lines = File.ReadAllLines(Path.Combine(seed, Manifest));
        File.WriteAllLines(Path.Combine(directory, Manifest), lines.Where(l => !IsSpendRow(l)));
        return directory;
    }

    /// <summary>The manifest's first two columns are the file (a path without commas or quotes in this seed) and the format.</summary>
    private static bool IsSpendRow(string line)
    {
        if (line.StartsWith('"'))
        {
            throw new InvalidOperationException($"the bench reads the manifest's file column unquoted: {line}");
        }

        return line.Split(',', 3) is [_, "spend", _];
    }

    private static int CountSpendRows(string seed) => File.ReadAllLines(Path.Combine(seed, Manifest)).Count(IsSpendRow);

    private const string Manifest = "manifest.csv";

    private static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string S(TimeSpan t) => t.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Row(Timing t) => $"{t.Kind} {S(t.Wall)} s wall ({S(t.ReadWall)} reading), {S(t.Cpu)} s CPU";

    private static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
