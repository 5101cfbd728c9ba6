using System.Diagnostics;
using Microsoft.Data.Sqlite;
using OrgGraph.Importing;
using OrgGraph.Model;
using OrgGraph.Storage.Sqlite;

namespace OrgGraph.Bench;

/// <summary>
/// Follow the money: the full seed import (spend files included) into a fresh database, timed as reading and writing,
/// and spend roll-ups by ultimate owner for one ICB over one financial year, in-process.
/// </summary>
public static class MoneyBench
{
    public static async Task RunAsync(Options options)
    {
        var seed = options.SeedDirectory ?? SeedInputs.FindSeedDirectory();
        var path = Path.Combine(Path.GetTempPath(), $"bench-money-{Environment.ProcessId}.db");
        var ct = CancellationToken.None;
        var imports = new List<string>();
        for (var run = 1; run <= 2; run++)
        {
            Delete(path);
            var store = new SqliteGraphStore(new SqliteOptions { Path = path });
            await store.InitializeAsync(ct);
            var importer = new GraphImporter(store, new CsvImporter(store));
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var (batch, _) = await importer.ReadAsync(seed, ct);
            var read = clock.Elapsed;
            var counts = await store.UpsertAsync(batch, ct);
            var total = clock.Elapsed;
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            imports.Add($"| {run} | {read.TotalSeconds:0.0} | {(total - read).TotalSeconds:0.0} | {total.TotalSeconds:0.0} | {used.TotalSeconds:0.0} | {batch.Payments.Count:N0} | {counts.Relationships:N0} |");
            Console.WriteLine(imports[^1]);
        }

        Report.Heading("### Full seed import with the spend files (fresh database, in-process)");
        Report.Line("| run | read and resolve (s) | write, one transaction (s) | total (s) | CPU, all threads (s) | payment lines | relationships |");
        Report.Line("|---|---|---|---|---|---|---|");
        foreach (var line in imports)
        {
            Report.Line(line);
        }

        var bench = new SqliteGraphStore(new SqliteOptions { Path = path });
        string[] icbs = ["QR1", "QSL"];
        var inputs = new List<SpendQuery>();
        foreach (var icb in icbs)
        {
            var all = await bench.SpendAsync(new SpendQuery { Within = icb, GroupBy = SpendGrouping.Supplier }, ct);
            var years = all.Coverage.Bodies.SelectMany(b => b.Months).Select(m => int.Parse(m[..4]) - (int.Parse(m[5..]) < 4 ? 1 : 0)).Distinct().Order();
            inputs.AddRange(years.Select(y => new SpendQuery { Within = icb, From = new DateOnly(y, 4, 1), To = new DateOnly(y + 1, 3, 31), GroupBy = SpendGrouping.UltimateOwner }));
        }

        var rows = new List<LatencyStats>();
        foreach (var grouping in new[] { SpendGrouping.UltimateOwner, SpendGrouping.Sector, SpendGrouping.Supplier })
        {
            rows.Add(await Measure.RunAsync($"spend(ICB, one financial year, {EnumNames.ToWire(grouping)})", inputs,
                async q => (await bench.SpendAsync(q with { GroupBy = grouping }, ct)).Groups.Count, budget: options.Budget));
        }

        Report.Heading($"### Spend roll-ups, in-process ({inputs.Count} ICB-years: {string.Join(", ", icbs)})");
        Report.Table(rows, new Dictionary<string, double> { ["spend(ICB, one financial year, ULTIMATE_OWNER)"] = 50 });
        SqliteConnection.ClearAllPools();
        Delete(path);
    }

    private static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
