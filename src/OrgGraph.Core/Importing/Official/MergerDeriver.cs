using System.Text.Json;
using OrgGraph.Model;

namespace OrgGraph.Importing.Official;

/// <summary>
/// Derives SUCCEEDED_BY edges, since no ODS successor file (succ.csv) is available:
/// <list type="bullet">
/// <item>from small-area (LSOA) lookups of consecutive years: a CCG that disappears is succeeded by the CCGs
/// that hold its areas next year, with the share of its areas each took;</item>
/// <item>from practice registrations where no LSOA lookup covers the change (April 2020): a closed CCG is succeeded
/// by the CCG that opened the next day and holds its practices later;</item>
/// <item>on 2022-07-01, each CCG by the ICB that took over its statutory functions (its area continued as a
/// sub-ICB location with the same code).</item>
/// </list>
/// Every derived edge says how it was derived in its <c>basis</c> property, and cites the files it came from.
/// </summary>
internal static class MergerDeriver
{
    private static readonly DateOnly IcbDay = new(2022, 7, 1);

    public static IReadOnlyList<Relationship> Derive(Observations observations, GraphBatch batch)
    {
        var nodes = batch.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        var result = new List<Relationship>();
        result.AddRange(FromAreas(observations, nodes));
        result.AddRange(FromPractices(observations, nodes, result));
        result.AddRange(IntoIcbs(batch, nodes));
        ReportUnexplainedClosures(observations.Report, nodes, result);
        return result;
    }

    private static IEnumerable<Relationship> FromAreas(Observations observations, Dictionary<string, Node> nodes)
    {
        var snapshots = observations.AreaSnapshots().ToList();
        for (var i = 0; i + 1 < snapshots.Count; i++)
        {
            var (before, beforeSource, beforeAreas) = snapshots[i];
            var (after, afterSource, afterAreas) = snapshots[i + 1];
            var continuing = afterAreas.Values.ToHashSet(StringComparer.Ordinal);
            foreach (var gone in beforeAreas.GroupBy(a => a.Value).Where(g => !continuing.Contains(g.Key)))
            {
                var total = gone.Count();
                foreach (var successor in gone.Where(a => afterAreas.ContainsKey(a.Key)).GroupBy(a => afterAreas[a.Key]).OrderByDescending(g => g.Count()))
                {
                    var share = (double)successor.Count() / total;
                    var closed = nodes.GetValueOrDefault(gone.Key)?.ValidTo;
                    if (closed is { } c && c.AddDays(1) != after)
                    {
                        observations.Report.Note($"{gone.Key} is absent from the {after:yyyy-MM-dd} area lookup but its ODS close date is {c:yyyy-MM-dd}");
                    }

                    yield return Succession(gone.Key, successor.Key, closed?.AddDays(1) ?? after, [beforeSource, afterSource], new
                    {
                        basis = $"small-area (LSOA 2011) overlap: {successor.Count()} of {total} areas of {gone.Key} on {before:yyyy-MM-dd} were in {successor.Key} on {after:yyyy-MM-dd}",
                        areaShare = Math.Round(share, 4),
                    });
                }
            }
        }
    }

    private static IEnumerable<Relationship> FromPractices(Observations observations, Dictionary<string, Node> nodes, List<Relationship> fromAreas)
    {
        var seen = observations.EdgesSeen(Series.PracticeCommissioner, RelationshipType.CommissionedBy).ToList();
        var dates = seen.Select(s => s.Date).Distinct().Order().ToList();
        var covered = fromAreas.Select(r => r.From).ToHashSet(StringComparer.Ordinal);
        var predecessors = fromAreas.ToLookup(r => r.To, r => r.From);
        for (var i = 0; i + 1 < dates.Count; i++)
        {
            var earlier = seen.Where(s => s.Date == dates[i]).ToList();
            var later = seen.Where(s => s.Date == dates[i + 1]).GroupBy(s => s.From).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (var ccg in earlier.GroupBy(s => s.To))
            {
                if (covered.Contains(ccg.Key) || nodes.GetValueOrDefault(ccg.Key)?.ValidTo is not { } closed || closed < dates[i] || closed >= dates[i + 1])
                {
                    continue;
                }

                var nextDay = closed.AddDays(1);
                var moves = ccg.Where(p => later.ContainsKey(p.From)).Select(p => (Practice: p, Later: later[p.From])).ToList();
                // The practice may have moved on again (a 2020 merger followed by a 2021 one): walk back to the CCG that opened the next day.
                var successors = moves
                    .Select(m => (m.Practice, m.Later, Successor: OpenedOn(nextDay, m.Later.To, predecessors, nodes)))
                    .Where(m => m.Successor is not null)
                    .GroupBy(m => m.Successor!)
                    .ToList();
                if (successors.Count == 0)
                {
                    observations.Report.Note($"{ccg.Key} closed {closed:yyyy-MM-dd}; none of its {ccg.Count()} practices of {dates[i]:yyyy-MM-dd} is later with a CCG that opened {nextDay:yyyy-MM-dd}: successor not derived");
                    continue;
                }

                foreach (var successor in successors)
                {
                    var sources = successor.SelectMany(m => m.Practice.Sources.Concat(m.Later.Sources)).Distinct().ToList();
                    yield return Succession(ccg.Key, successor.Key, nextDay, sources, new
                    {
                        basis = $"practice registrations: {successor.Count()} of the {ccg.Count()} practices {ccg.Key} commissioned on {dates[i]:yyyy-MM-dd} are with {successor.Key} (or its successor) on {dates[i + 1]:yyyy-MM-dd}, and {successor.Key} opened {nextDay:yyyy-MM-dd}",
                        practiceShare = Math.Round((double)successor.Count() / ccg.Count(), 4),
                    });
                }
            }
        }
    }

    private static string? OpenedOn(DateOnly day, string ccg, ILookup<string, string> predecessors, Dictionary<string, Node> nodes)
    {
        if (nodes.GetValueOrDefault(ccg)?.ValidFrom == day)
        {
            return ccg;
        }

        return predecessors[ccg].FirstOrDefault(p => nodes.GetValueOrDefault(p)?.ValidFrom == day);
    }

    private static IEnumerable<Relationship> IntoIcbs(GraphBatch batch, Dictionary<string, Node> nodes)
    {
        var ccgRoleEnded = batch.NodeFacts
            .Where(f => f.Kind == NodeFactKind.Role && f.Value.Value == "CCG" && f.Value.ValidTo == IcbDay.AddDays(-1))
            .Select(f => f.NodeId).ToHashSet(StringComparer.Ordinal);
        return batch.Relationships
            .Where(r => r.Type == RelationshipType.PartOf && r.ValidFrom <= IcbDay && (r.ValidTo is null || r.ValidTo >= IcbDay) && ccgRoleEnded.Contains(r.From) && nodes.GetValueOrDefault(r.To)?.Kind == OrgKind.Ics)
            .Select(r => Succession(r.From, r.To, IcbDay, r.SourceIds, new
            {
                basis = $"on {IcbDay:yyyy-MM-dd} the ICB took over the CCG's statutory functions; {r.From} continued as a sub-ICB location of {r.To}",
            }));
    }

    private static void ReportUnexplainedClosures(ImportReport report, Dictionary<string, Node> nodes, List<Relationship> derived)
    {
        var succeeded = derived.Select(r => r.From).ToHashSet(StringComparer.Ordinal);
        foreach (var year in nodes.Values
            .Where(n => n.Kind == OrgKind.Ccg && n.ValidTo is not null && !succeeded.Contains(n.Id))
            .GroupBy(n => n.ValidTo!.Value))
        {
            report.Note($"{year.Count()} CCGs closed {year.Key:yyyy-MM-dd} with no successor derivable from these files (no area lookup or practice file spans that date): {string.Join(", ", year.Select(n => n.Id).Order())}");
        }
    }

    private static Relationship Succession(string from, string to, DateOnly date, IEnumerable<string> sources, object properties) => new()
    {
        Type = RelationshipType.SucceededBy,
        From = from,
        To = to,
        ValidFrom = date,
        SourceIds = [.. sources.Distinct().Order()],
        Properties = JsonSerializer.Serialize(properties),
    };

}
