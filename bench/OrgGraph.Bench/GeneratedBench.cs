using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using OrgGraph.Model;
using OrgGraph.Storage.Sqlite;
using OrgGraph.Traversal;

namespace OrgGraph.Bench;

/// <summary>The generated graph: generation (once), index load time and memory, connections between random pairs, and a plain BFS floor.</summary>
public static class GeneratedBench
{
    private static readonly DateOnly s_asOf = new(2022, 6, 1);

    public static async Task RunAsync(Options options)
    {
        var path = options.GeneratedDatabase;
        if (await GeneratedGraph.ExistsAsync(path, options.GeneratedNodes, options.GeneratedRelationships))
        {
            Report.Line($"Generated database {path} reused ({options.GeneratedNodes} nodes, {options.GeneratedRelationships} relationships; {Report.Mb(new FileInfo(path).Length)}).");
        }
        else
        {
            Console.WriteLine($"Generating {options.GeneratedNodes} nodes and {options.GeneratedRelationships} relationships into {path}...");
            var generation = Stopwatch.StartNew();
            await GeneratedGraph.GenerateAsync(path, options.GeneratedNodes, options.GeneratedRelationships);
            Report.Line($"Generated {path} in {generation.Elapsed.TotalSeconds:0.0} s ({Report.Mb(new FileInfo(path).Length)}).");
        }

        // As the application does at start; a store from before relationships carried node keys is migrated here, once.
        var initialize = Stopwatch.StartNew();
        await new SqliteGraphStore(new SqliteOptions { Path = path }).InitializeAsync(CancellationToken.None);
        SqliteConnection.ClearAllPools();
        Report.Line($"Schema initialised (and migrated if needed) in {initialize.Elapsed.TotalSeconds:0.0} s.");

        using var process = Process.GetCurrentProcess();
        ForceGc();
        process.Refresh();
        var (managedBefore, workingSetBefore) = (GC.GetTotalMemory(true), process.WorkingSet64);

        var store = new SqliteGraphStore(new SqliteOptions { Path = path });
        var cpu = process.TotalProcessorTime;
        var load = Stopwatch.StartNew();
        var g = await store.IndexAsync(CancellationToken.None);
        var loadTime = load.Elapsed;
        process.Refresh();
        var loadCpu = process.TotalProcessorTime - cpu;
        ForceGc();
        process.Refresh();
        var managed = GC.GetTotalMemory(true);
        var workingSet = process.WorkingSet64;
        var peak = process.PeakWorkingSet64;

        Report.Line();
        Report.Line("| measure | value | target | met |");
        Report.Line("|---|---:|---|---|");
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"| index load (`SqliteGraphStore.IndexAsync` on a fresh store, first in the process), wall clock | {loadTime.TotalSeconds:0.00} s | < 10 s | {Met(loadTime.TotalSeconds < 10)} |"));
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"| the same load, CPU time of the process (all threads, including the GC) | {loadCpu.TotalSeconds:0.00} s | | |"));
        Report.Line($"| index size | {g.NodeCount} nodes, {g.EdgeCount} relationships | | |");
        Report.Line($"| managed heap after load (`GC.GetTotalMemory(true)`) | {Report.Mb(managed)} (before load {Report.Mb(managedBefore)}) | | |");
        Report.Line($"| process working set after load (`Process.WorkingSet64`) | {Report.Mb(workingSet)} (before load {Report.Mb(workingSetBefore)}) | < 1.5 GB | {Met(workingSet < 1.5 * 1024 * 1024 * 1024)} |");
        Report.Line($"| peak working set during load (`Process.PeakWorkingSet64`) | {Report.Mb(peak)} | | |");

        var random = new Random(11);
        var day = s_asOf.DayNumber;
        var valid = Enumerable.Range(0, g.NodeCount).Where(i => g.NodeValid(i, day)).ToArray();
        var pairs = Enumerable.Range(0, 200).Select(_ => (random.Next(g.NodeCount), random.Next(g.NodeCount))).ToList();
        var datedPairs = Enumerable.Range(0, 200).Select(_ => (valid[random.Next(valid.Length)], valid[random.Next(valid.Length)])).ToList();
        var ct = CancellationToken.None;
        var results = new List<LatencyStats>();
        var targets = new Dictionary<string, double>();
        Console.WriteLine("Connections on the generated graph:");
        foreach (var first in new[] { 1, 10 })
        {
            foreach (var dated in new[] { false, true })
            {
                var name = $"connections(random pair, maxHops 8, first {first}{(dated ? ", asOf" : "")})";
                var query = new TraversalQuery { AsOf = dated ? s_asOf : null, MaxHops = 8, First = first };
                results.Add(await Measure.RunAsync(name, dated ? datedPairs : pairs,
                    async p => (await store.ConnectionsAsync(g.Ids[p.Item1], g.Ids[p.Item2], query, ct)).Count, minSamples: 1_000, budget: options.Budget));
                targets[name] = 50;
            }
        }

        foreach (var dated in new[] { false, true })
        {
            var name = $"index only: Traversals.Connections, first 10{(dated ? ", asOf" : "")}";
            var query = new TraversalQuery { AsOf = dated ? s_asOf : null, MaxHops = 8, First = 10 };
            results.Add(await Measure.RunAsync(name, dated ? datedPairs : pairs,
                p => Task.FromResult(Traversals.Connections(g, p.Item1, p.Item2, query, ct).Count), minSamples: 1_000, budget: options.Budget));
        }

        var bfs = new BidirectionalBfs(g);
        foreach (var dated in new[] { false, true })
        {
            int? date = dated ? day : null;
            results.Add(await Measure.RunAsync($"floor: bidirectional BFS, distance only{(dated ? ", asOf" : "")}", dated ? datedPairs : pairs,
                p => Task.FromResult(bfs.Distance(p.Item1, p.Item2, 8, date) is { } d ? d : 0), minSamples: 1_000, budget: options.Budget,
                describe: sizes => string.Create(CultureInfo.InvariantCulture,
                    $"{100.0 * sizes.Count(s => s > 0) / sizes.Count:0}% within 8 hops, mean distance {sizes.Where(s => s > 0).DefaultIfEmpty().Average():0.0}")));
        }

        Report.Line();
        Report.Table(results, targets);

        // A second load with the code already JIT-compiled and the file in the page cache.
        SqliteConnection.ClearAllPools();
        store = null;
        g = null;
        ForceGc();
        var again = new SqliteGraphStore(new SqliteOptions { Path = path });
        process.Refresh();
        cpu = process.TotalProcessorTime;
        load.Restart();
        _ = await again.IndexAsync(CancellationToken.None);
        process.Refresh();
        Report.Line();
        Report.Line(string.Create(CultureInfo.InvariantCulture,
            $"Second index load in the same process (JIT warm, file in the page cache): {load.Elapsed.TotalSeconds:0.00} s wall clock, {(process.TotalProcessorTime - cpu).TotalSeconds:0.00} s CPU; {Report.Load()}."));
    }

    private static string Met(bool met) => met ? "yes" : "**no**";

    private static void ForceGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
    }

    /// <summary>
    /// The floor: a bidirectional BFS over the index's CSR arrays that computes the distance only (no paths, no
    /// period intersection), expanding the smaller frontier a whole layer at a time, with stamped arrays reused.
    /// </summary>
    private sealed class BidirectionalBfs(GraphIndex g)
    {
        private readonly int[] _stampS = new int[g.NodeCount];
        private readonly int[] _stampT = new int[g.NodeCount];
        private readonly int[] _distS = new int[g.NodeCount];
        private readonly int[] _distT = new int[g.NodeCount];
        private List<int> _a = [], _b = [], _next = [];
        private int _generation;

        public int? Distance(int source, int target, int maxHops, int? day)
        {
            if (source == target)
            {
                return 0;
            }

            var gen = ++_generation;
            _stampS[source] = gen;
            _distS[source] = 0;
            _stampT[target] = gen;
            _distT[target] = 0;
            _a.Clear();
            _a.Add(source);
            _b.Clear();
            _b.Add(target);
            int depthS = 0, depthT = 0;
            while (_a.Count > 0 && _b.Count > 0 && depthS + depthT < maxHops)
            {
                var fromSource = _a.Count <= _b.Count;
                var frontier = fromSource ? _a : _b;
                var (stamp, dist, otherStamp, otherDist) = fromSource ? (_stampS, _distS, _stampT, _distT) : (_stampT, _distT, _stampS, _distS);
                var depth = fromSource ? depthS : depthT;
                int? best = null;
                _next.Clear();
                foreach (var node in frontier)
                {
                    for (var pass = 0; pass < 2; pass++)
                    {
                        var (start, list, ends) = pass == 0 ? (g.OutStart, g.OutEdges, g.EdgeTo) : (g.InStart, g.InEdges, g.EdgeFrom);
                        for (var i = start[node]; i < start[node + 1]; i++)
                        {
                            var edge = list[i];
                            var other = ends[edge];
                            if (stamp[other] == gen || (day is { } d && !(g.EdgeValid(edge, d) && g.NodeValid(other, d))))
                            {
                                continue;
                            }

                            stamp[other] = gen;
                            dist[other] = depth + 1;
                            _next.Add(other);
                            if (otherStamp[other] == gen && (best is null || depth + 1 + otherDist[other] < best))
                            {
                                best = depth + 1 + otherDist[other];
                            }
                        }
                    }
                }

                if (best is { } found)
                {
                    return found <= maxHops ? found : null;
                }

                if (fromSource)
                {
                    (_a, _next) = (_next, _a);
                    depthS++;
                }
                else
                {
                    (_b, _next) = (_next, _b);
                    depthT++;
                }
            }

            return null;
        }
    }
}
