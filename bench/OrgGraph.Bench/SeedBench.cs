using OrgGraph.Model;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Traversal;

namespace OrgGraph.Bench;

/// <summary>The store's traversal methods in-process on the full seed, and the same traversals over the index alone.</summary>
public static class SeedBench
{
    public static async Task<(List<LatencyStats> Store, List<LatencyStats> IndexOnly)> RunAsync(SqliteGraphStore store, SeedInputs inputs, Options options)
    {
        var ct = CancellationToken.None;
        var g = await store.IndexAsync(ct);
        var dated = new TraversalQuery { AsOf = SeedInputs.AsOf, First = 25 };
        var undated = new TraversalQuery { First = 25 };
        var results = new List<LatencyStats>();
        var budget = options.Budget;

        Console.WriteLine("In-process store methods (traversal + evidence fetch from SQLite + GraphPath construction):");
        results.Add(await Measure.RunAsync("privatisationPaths(ICS, asOf)", inputs.Systems,
            async id => (await store.PrivatisationPathsAsync(id, dated, ct)).Count, budget: budget));
        results.Add(await Measure.RunAsync("privatisationPaths(ICS)", inputs.Systems,
            async id => (await store.PrivatisationPathsAsync(id, undated, ct)).Count, budget: budget));
        results.Add(await Measure.RunAsync("whoControls(practice/trust, asOf)", inputs.Controlled,
            id => Guarded(async () => (await store.WhoControlsAsync(id, dated with { First = 100 }, ct)).Count), budget: budget, describe: DescribeGuarded(inputs.Controlled.Count)));
        results.Add(await Measure.RunAsync("whoControls(practice/trust)", inputs.Controlled,
            id => Guarded(async () => (await store.WhoControlsAsync(id, undated with { First = 100 }, ct)).Count), budget: budget, describe: DescribeGuarded(inputs.Controlled.Count)));
        foreach (var first in new[] { 10, 1 })
        {
            results.Add(await Measure.RunAsync($"connections(random pair, maxHops 8, first {first}, asOf)", inputs.PairsOnDate,
                async p => (await store.ConnectionsAsync(p.From, p.To, new TraversalQuery { AsOf = SeedInputs.AsOf, MaxHops = 8, First = first }, ct)).Count, budget: budget));
            results.Add(await Measure.RunAsync($"connections(random pair, maxHops 8, first {first})", inputs.Pairs,
                async p => (await store.ConnectionsAsync(p.From, p.To, new TraversalQuery { MaxHops = 8, First = first }, ct)).Count, budget: budget));
        }

        Console.WriteLine("Index only (Traversals.* over the GraphIndex: no SQLite, no GraphPath):");
        var indexOnly = new List<LatencyStats>
        {
            await Measure.RunAsync("privatisationPaths(ICS, asOf)", inputs.Systems,
                id => Task.FromResult(Traversals.PrivatisationPaths(g, g.IndexOf(id)!.Value, dated, ct).Count), budget: budget),
            await Measure.RunAsync("privatisationPaths(ICS)", inputs.Systems,
                id => Task.FromResult(Traversals.PrivatisationPaths(g, g.IndexOf(id)!.Value, undated, ct).Count), budget: budget),
            await Measure.RunAsync("whoControls(practice/trust, asOf)", inputs.Controlled,
                id => Guarded(() => Task.FromResult(Traversals.WhoControls(g, g.IndexOf(id)!.Value, dated with { First = 100 }, ct).Count)),
                budget: budget, describe: DescribeGuarded(inputs.Controlled.Count)),
            await Measure.RunAsync("whoControls(practice/trust)", inputs.Controlled,
                id => Guarded(() => Task.FromResult(Traversals.WhoControls(g, g.IndexOf(id)!.Value, undated with { First = 100 }, ct).Count)),
                budget: budget, describe: DescribeGuarded(inputs.Controlled.Count)),
            await Measure.RunAsync("connections(random pair, maxHops 8, first 10, asOf)", inputs.PairsOnDate,
                p => Task.FromResult(Traversals.Connections(g, g.IndexOf(p.From)!.Value, g.IndexOf(p.To)!.Value, new TraversalQuery { AsOf = SeedInputs.AsOf, MaxHops = 8, First = 10 }, ct).Count), budget: budget),
            await Measure.RunAsync("connections(random pair, maxHops 8, first 10)", inputs.Pairs,
                p => Task.FromResult(Traversals.Connections(g, g.IndexOf(p.From)!.Value, g.IndexOf(p.To)!.Value, new TraversalQuery { MaxHops = 8, First = 10 }, ct).Count), budget: budget),
        };
        return (results, indexOnly);
    }

    /// <summary>Runs a control query; a limit error (too many chains, chain too long) counts as size -1.</summary>
    public static async Task<int> Guarded(Func<Task<int>> query)
    {
        try
        {
            return await query();
        }
        catch (TraversalLimitException)
        {
            return -1;
        }
    }

    public static Func<List<int>, string> DescribeGuarded(int inputs) => sizes =>
    {
        var limited = sizes.Count(s => s < 0);
        var answered = sizes.Where(s => s >= 0).ToList();
        return Measure.DescribeSizes(answered, inputs) + (limited > 0 ? $"; {100.0 * limited / sizes.Count:0.#}% LIMIT_EXCEEDED" : "");
    };
}
