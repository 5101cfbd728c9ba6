using System.Globalization;
using OrgGraph.Model;
using OrgGraph.Storage.Sqlite;

namespace OrgGraph.Bench;

/// <summary>Times the hand-written CTEs and the store on the same inputs, and reports the ratio CTE / index.</summary>
public static class CteRun
{
    public static async Task RunAsync(SqliteGraphStore store, SeedInputs inputs, Options options)
    {
        var ct = CancellationToken.None;
        using var sql = new CteBench.Runner(options.SeedDatabase, options.CteLimit);
        var day = SeedInputs.AsOfText;
        var rows = new List<(LatencyStats Cte, LatencyStats Index, string Note)>();
        var budget = options.Budget;
        const int MaxHops = 8;

        async Task Compare<T>(string name, IReadOnlyList<T> items, Func<T, int> cte, Func<T, Task<int>> index, string note, int warmup = 1)
        {
            var before = sql.TimedOut;
            var c = await Measure.RunAsync("CTE " + name, items, x => Task.FromResult(cte(x)), minSamples: 500, budget: budget, warmupPasses: warmup);
            var timedOut = sql.TimedOut - before;
            var i = await Measure.RunAsync("index " + name, items, index, minSamples: 500, budget: budget);
            rows.Add((c with { Name = name }, i with { Name = name },
                note + (timedOut > 0 ? string.Create(CultureInfo.InvariantCulture, $"; {timedOut} CTE statements hit the {options.CteLimit.TotalSeconds:0.#} s limit (counted at the limit)") : "")));
        }

        foreach (var dated in new[] { true, false })
        {
            var suffix = dated ? ", asOf" : "";
            var query = new TraversalQuery { AsOf = dated ? SeedInputs.AsOf : null, MaxHops = MaxHops, First = 25 };
            var privatisation = CteBench.PrivatisationPaths(dated);
            await Compare($"privatisationPaths(ICS{suffix})", inputs.Systems,
                id => sql.Run(privatisation, ("$id", id), ("$day", day), ("$max", MaxHops), ("$first", 25)),
                async id => (await store.PrivatisationPathsAsync(id, query, ct)).Count,
                "CTE: phases down to the first private organisation, then up controlling owners; depth <= 8");
            var control = CteBench.WhoControls(dated);
            await Compare($"whoControls(practice/trust{suffix})", inputs.Controlled,
                id => sql.Run(control, ("$id", id), ("$day", day), ("$max", MaxHops)),
                id => SeedBench.Guarded(async () => (await store.WhoControlsAsync(id, query with { First = 100 }, ct)).Count),
                "CTE: controller edges walked upwards, chains not extended; depth <= 8");
        }

        // Connections: the CTE explores every simple path up to its depth cap unless the target is found, so it
        // runs on the first 60 pairs only, with its depth capped; the index answers the same question (maxHops = the cap).
        var pairs = inputs.Pairs.Take(60).ToList();
        var datedPairs = inputs.PairsOnDate.Take(60).ToList();
        foreach (var first in new[] { 10, 1 })
        {
            foreach (var dated in new[] { true, false })
            {
                var connections = CteBench.Connections(dated);
                var query = new TraversalQuery { AsOf = dated ? SeedInputs.AsOf : null, MaxHops = options.CteDepth, First = first };
                await Compare($"connections(first {first}{(dated ? ", asOf" : "")}, maxHops {options.CteDepth})", dated ? datedPairs : pairs,
                    p => sql.Run(connections, ("$from", p.From), ("$to", p.To), ("$day", day), ("$max", options.CteDepth), ("$first", first)),
                    async p => (await store.ConnectionsAsync(p.From, p.To, query, ct)).Count,
                    $"60 random pairs; CTE depth <= {options.CteDepth}, index maxHops {options.CteDepth}", warmup: 0);
            }
        }

        Report.Line("| query | CTE p50 ms | CTE p95 ms | CTE max ms | CTE n | index p50 ms | index p95 ms | ratio p50 (CTE / index) | ratio p95 | notes |");
        Report.Line("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var (c, i, note) in rows)
        {
            Report.Line(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Name} | {Report.F(c.P50)} | {Report.F(c.P95)} | {Report.F(c.Max)} | {c.Count} | {Report.F(i.P50)} | {Report.F(i.P95)} | {c.P50 / i.P50:0.#}x | {c.P95 / i.P95:0.#}x | {note}. CTE rows: {c.Note}; index: {i.Note} |"));
        }
    }
}
