using System.Diagnostics;
using System.Globalization;

namespace OrgGraph.Bench;

/// <summary>Latency percentiles of one operation over many inputs, in milliseconds.</summary>
public sealed record LatencyStats(string Name, int Count, double P50, double P95, double P99, double Max, double Mean, string Note)
{
    public static LatencyStats From(string name, List<double> millis, string note = "")
    {
        if (millis.Count == 0)
        {
            return new LatencyStats(name, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, note);
        }

        var sorted = millis.Order().ToArray();
        return new LatencyStats(name, sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99), sorted[^1], sorted.Average(), note);
    }

    /// <summary>Nearest-rank percentile of a sorted sample.</summary>
    public static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>
/// Times an operation once per input: a warm-up pass over every input (JIT, caches, the index), then measured
/// passes over the inputs (shuffled each pass) until enough samples or the time budget is spent.
/// </summary>
public static class Measure
{
    public static async Task<LatencyStats> RunAsync<T>(string name, IReadOnlyList<T> inputs, Func<T, Task<int>> operation,
        int minSamples = 2_000, TimeSpan? budget = null, int warmupPasses = 3, Func<List<int>, string>? describe = null)
    {
        var limit = budget ?? TimeSpan.FromSeconds(15);
        for (var pass = 0; pass < warmupPasses; pass++)
        {
            var warm = Stopwatch.StartNew();
            foreach (var input in inputs)
            {
                await operation(input);
                if (warm.Elapsed > limit)
                {
                    break;
                }
            }
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var random = new Random(7);
        var order = inputs.ToArray();
        var millis = new List<double>(minSamples);
        var sizes = new List<int>(minSamples);
        var total = Stopwatch.StartNew();
        while (millis.Count < minSamples && total.Elapsed < limit)
        {
            random.Shuffle(order);
            foreach (var input in order)
            {
                var start = Stopwatch.GetTimestamp();
                var size = await operation(input);
                millis.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                sizes.Add(size);
                if (total.Elapsed >= limit)
                {
                    break;
                }
            }
        }

        var stats = LatencyStats.From(name, millis, describe?.Invoke(sizes) ?? DescribeSizes(sizes, inputs.Count));
        Console.WriteLine(Report.Row(stats));
        return stats;
    }

    /// <summary>Result sizes: how many answers were non-empty, and the mean size.</summary>
    public static string DescribeSizes(List<int> sizes, int inputs) => sizes.Count == 0
        ? ""
        : string.Create(CultureInfo.InvariantCulture, $"{inputs} inputs; {100.0 * sizes.Count(s => s > 0) / sizes.Count:0}% non-empty, mean {sizes.Average():0.#} results");
}
