using System.Diagnostics;
using OrgGraph.Model;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Traversal;

namespace OrgGraph.Bench;

/// <summary>
/// Privatisation paths with payments (PAID steps) ranked by money, in-process on the full seed with its spend files, and the
/// index load with the PAID months in it.
/// </summary>
public static class PathMoneyBench
{
    public static async Task RunAsync(Options options)
    {
        var ct = CancellationToken.None;
        await SeedInputs.EnsureSeedDatabaseAsync(options.MoneyDatabase, options.SeedDirectory ?? SeedInputs.FindSeedDirectory());

        // A fresh store each time: the first IndexAsync builds the index from the file.
        var loads = new List<double>();
        GraphIndex g = null!;
        for (var run = 0; run < 5; run++)
        {
            var fresh = new SqliteGraphStore(new SqliteOptions { Path = options.MoneyDatabase });
            var clock = Stopwatch.StartNew();
            g = await fresh.IndexAsync(ct);
            loads.Add(clock.Elapsed.TotalMilliseconds);
        }

        Report.Heading("### Index load with payments (seed with its spend files)");
        Report.Line($"{g.NodeCount:N0} nodes, {g.EdgeCount:N0} relationships in the adjacency, {g.PaidPairCount:N0} PAID (body, supplier) pairs holding {g.MonthStart.Length:N0} PAID months; " +
            $"index built in {string.Join(", ", loads.Select(l => $"{l:0}"))} ms (5 fresh stores; {Report.Load()}).");

        var store = new SqliteGraphStore(new SqliteOptions { Path = options.MoneyDatabase });
        var inputs = SeedInputs.Choose(g);
        var regions = Enumerable.Range(0, g.NodeCount).Where(i => g.Kinds[i] == OrgKind.Region && g.NodeEnd[i] == GraphIndex.OpenEnd).Select(i => g.Ids[i]).ToList();
        var years = Enumerable.Range(2022, 4).Select(y => (From: new DateOnly(y, 4, 1), To: new DateOnly(y + 1, 3, 31))).ToList();
        var money = new TraversalQuery { IncludePayments = true, Order = PathOrder.Money, First = 25 };
        var budget = options.Budget;
        // Four inputs: the default three warm-up passes would leave the JIT's first tier running into the measurement.
        const int Warmup = 30;
        var rows = new List<LatencyStats>
        {
            await Measure.RunAsync("privatisationPaths(ICS), no payments", inputs.Systems,
                async id => (await store.PrivatisationPathsAsync(id, new TraversalQuery { First = 25 }, ct)).Count, budget: budget),
            await Measure.RunAsync("privatisationPaths(QR1, payments, MONEY, one financial year)", years,
                async y => (await store.PrivatisationPathsAsync("QR1", money with { PaidFrom = y.From, PaidTo = y.To }, ct)).Count, budget: budget, warmupPasses: Warmup),
            await Measure.RunAsync("privatisationPaths(QR1, payments, MONEY, one financial year), index only", years,
                y => Task.FromResult(Traversals.PrivatisationPaths(g, g.IndexOf("QR1")!.Value, money with { PaidFrom = y.From, PaidTo = y.To }, ct).Count), budget: budget, warmupPasses: Warmup),
            await Measure.RunAsync("privatisationPaths(QR1, payments, MONEY, one financial year, asOf its end)", years,
                async y => (await store.PrivatisationPathsAsync("QR1", money with { PaidFrom = y.From, PaidTo = y.To, AsOf = y.To }, ct)).Count, budget: budget, warmupPasses: Warmup),
            await Measure.RunAsync("privatisationPaths(ICS, payments, MONEY)", inputs.Systems,
                async id => (await store.PrivatisationPathsAsync(id, money, ct)).Count, budget: budget),
            await Measure.RunAsync("privatisationPaths(region, payments, MONEY)", regions,
                async id => (await store.PrivatisationPathsAsync(id, money, ct)).Count, budget: budget),
            await Measure.RunAsync("privatisationPaths(region, payments, MONEY, asOf)", regions,
                async id => (await store.PrivatisationPathsAsync(id, money with { AsOf = SeedInputs.AsOf }, ct)).Count, budget: budget),
            // The widest question: from the top of the oversight tree, every body below it and every payment they made.
            await Measure.RunAsync("privatisationPaths(NHS England, payments, MONEY)", ["nhs-england"],
                async id => (await store.PrivatisationPathsAsync(id, money, ct)).Count, budget: budget, warmupPasses: Warmup),
        };

        Report.Heading($"### Privatisation paths with payments, in-process ({inputs.Systems.Count} ICSs, {regions.Count} regions, QR1 over {years.Count} financial years)");
        Report.Table(rows, new Dictionary<string, double>
        {
            ["privatisationPaths(QR1, payments, MONEY, one financial year)"] = 50,
            ["privatisationPaths(ICS, payments, MONEY)"] = 50,
            ["privatisationPaths(region, payments, MONEY)"] = 50,
        });
    }
}
