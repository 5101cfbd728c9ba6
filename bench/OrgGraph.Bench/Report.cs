using System.Globalization;

namespace OrgGraph.Bench;

/// <summary>Markdown output: tables of latencies and lines of facts, echoed to the console and kept for the results file.</summary>
public static class Report
{
    private static readonly List<string> s_lines = [];

    public static IReadOnlyList<string> Lines => s_lines;

    public static void Line(string text = "")
    {
        Console.WriteLine(text);
        s_lines.Add(text);
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), to show how busy the machine was.</summary>
    public static string Load() => File.Exists("/proc/loadavg") ? "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "load average unknown";

    public static void Heading(string text)
    {
        Line();
        Line(text);
        Line();
        Line($"({Load()} when the section's measurements were printed; {Environment.ProcessorCount} cores)");
        Line();
    }

    public static void Table(IEnumerable<LatencyStats> rows, IReadOnlyDictionary<string, double>? targets = null)
    {
        Line("| query | n | p50 ms | p95 ms | p99 ms | max ms | target p95 | met | notes |");
        Line("|---|---:|---:|---:|---:|---:|---|---|---|");
        foreach (var row in rows)
        {
            var target = targets is not null && targets.TryGetValue(row.Name, out var t) ? t : (double?)null;
            var met = target is { } limit ? (row.P95 < limit ? "yes" : "**no**") : "";
            Line(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Name} | {row.Count} | {F(row.P50)} | {F(row.P95)} | {F(row.P99)} | {F(row.Max)} | {(target is { } x ? $"< {x:0.##} ms" : "")} | {met} | {row.Note} |"));
        }
    }

    public static string Row(LatencyStats s) => string.Create(CultureInfo.InvariantCulture,
        $"  {s.Name,-62} n={s.Count,6} p50={F(s.P50),8} p95={F(s.P95),8} p99={F(s.P99),8} max={F(s.Max),9} ms  {s.Note}");

    public static string F(double value) => double.IsNaN(value) ? "-" : value.ToString(value < 10 ? "0.000" : value < 100 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " MB";
}
