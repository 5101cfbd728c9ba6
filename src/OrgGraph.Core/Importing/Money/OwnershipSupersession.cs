using System.Text.Json.Nodes;
using OrgGraph.Importing.Official;
using OrgGraph.Model;

namespace OrgGraph.Importing.Money;

/// <summary>
/// A register snapshot (BODS, marked by its <c>retrieved</c> property) leaves a controlling interest open: "still held when
/// retrieved". When another source says a different owner took control of the same company later, the snapshot's interest
/// cannot still be controlling (a company has one majority owner), so it is ended the day before, with the reason in
/// <c>endBasis</c> and in the import report.
/// </summary>
internal static class OwnershipSupersession
{
    public static GraphBatch Apply(GraphBatch batch, ImportReport report)
    {
        var controlling = batch.Relationships.Where(r => r.Type == RelationshipType.OwnedBy && Controls(r)).ToList();
        var replaced = new Dictionary<Relationship, Relationship>(ReferenceEqualityComparer.Instance);
        foreach (var snapshot in controlling.Where(r => r.ValidTo is null && JsonNode.Parse(r.Properties)?["retrieved"] is not null))
        {
            var later = controlling
                .Where(r => r.From == snapshot.From && r.To != snapshot.To && r.ValidFrom > (snapshot.ValidFrom ?? DateOnly.MinValue))
                .MinBy(r => r.ValidFrom);
            if (later is null)
            {
                continue;
            }

            var properties = JsonNode.Parse(snapshot.Properties)!.AsObject();
            var end = later.ValidFrom!.Value.AddDays(-1);
            properties["endBasis"] = $"ended the day before {later.To} took control on {later.ValidFrom:yyyy-MM-dd} ({string.Join(", ", later.SourceIds)}); the register snapshot only says it was held when retrieved";
            replaced[snapshot] = snapshot with { ValidTo = end, Properties = properties.ToJsonString() };
            report.Note($"OWNED_BY {snapshot.From} -> {snapshot.To} (register snapshot, open) ended on {end:yyyy-MM-dd}: {later.To} took control on {later.ValidFrom:yyyy-MM-dd} ({string.Join(", ", later.SourceIds)})");
        }

        return replaced.Count == 0 ? batch : batch with { Relationships = [.. batch.Relationships.Select(r => replaced.GetValueOrDefault(r, r))] };
    }

    /// <summary>Control as DESIGN.md has it: a share over 50%, or no share stated.</summary>
    private static bool Controls(Relationship r) =>
        JsonNode.Parse(r.Properties)?["share"] is not JsonValue share || !share.TryGetValue<double>(out var value) || value > 50;
}
