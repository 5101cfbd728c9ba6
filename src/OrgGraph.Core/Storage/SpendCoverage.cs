using OrgGraph.Model;

namespace OrgGraph.Storage;

/// <summary>
/// Builds the <see cref="Coverage"/> of a total from the (body, month, granularity, lines) cells it adds up, and says
/// when the total adds series that are not comparable: different granularities, or bodies with different months.
/// </summary>
public static class SpendCoverage
{
    public static Coverage From(IEnumerable<(string Body, string Month, SpendGranularity Granularity, int Lines)> cells)
    {
        var bodies = cells.GroupBy(c => c.Body, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new BodyCoverage(g.Key,
                [.. g.Select(c => c.Month).Distinct().Order(StringComparer.Ordinal)],
                [.. g.Select(c => c.Granularity).Distinct().Order()],
                g.Sum(c => c.Lines)))
            .ToList();
        var granularities = bodies.SelectMany(b => b.Granularities).Distinct().Order().ToList();
        var warnings = new List<string>();
        if (granularities.Count > 1)
        {
            warnings.Add($"adds series of different granularity ({string.Join(", ", granularities.Select(EnumNames.ToWire))}): " +
                string.Join("; ", bodies.Select(b => $"{b.BodyId} {string.Join("+", b.Granularities.Select(EnumNames.ToWire))}")) +
                "; monthly aggregates, £25k transactions and invoice lines do not add up to comparable totals");
        }

        foreach (var body in bodies)
        {
            var gaps = Gaps(body.Months);
            if (gaps.Count > 0)
            {
                warnings.Add($"{body.BodyId} has no lines for {string.Join(", ", gaps)} between its first and last month");
            }
        }

        if (bodies.Select(b => string.Join(',', b.Months)).Distinct().Count() > 1)
        {
            warnings.Add("the bodies cover different months: " + string.Join("; ", bodies.Select(b => $"{b.BodyId} {b.Months.Count} month(s) {b.Months[0]}..{b.Months[^1]}")));
        }

        return new Coverage(bodies, granularities, granularities.Count <= 1, warnings);
    }

    /// <summary>Missing months between the first and last (yyyy-MM), as ranges.</summary>
    private static List<string> Gaps(IReadOnlyList<string> months)
    {
        var gaps = new List<string>();
        for (var i = 1; i < months.Count; i++)
        {
            var previous = DateOnly.ParseExact(months[i - 1] + "-01", "yyyy-MM-dd");
            var current = DateOnly.ParseExact(months[i] + "-01", "yyyy-MM-dd");
            if (previous.AddMonths(1) < current)
            {
                var first = previous.AddMonths(1);
                var last = current.AddMonths(-1);
                gaps.Add(first == last ? $"{first:yyyy-MM}" : $"{first:yyyy-MM}..{last:yyyy-MM}");
            }
        }

        return gaps;
    }
}
