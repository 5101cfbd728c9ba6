using System.Globalization;
using System.Text.Json.Nodes;

namespace OrgGraph.Model;

/// <summary>The money on path steps: a PAID step's months as one relationship, and an award's value.</summary>
public static class PathMoney
{
    /// <summary>
    /// An AWARDED_TO relationship's value in pounds: its <c>amount</c> property when <c>currency</c> is GBP (the property
    /// contract of award notices; the embedded store's index reads the same two properties in SQL). Null otherwise.
    /// </summary>
    public static decimal? AwardValue(Relationship relationship)
    {
        if (relationship.Type != RelationshipType.AwardedTo || JsonNode.Parse(relationship.Properties) is not JsonObject properties)
        {
            return null;
        }

        return properties["currency"] is JsonValue currency && currency.TryGetValue<string>(out var code) && code == "GBP" &&
            properties["amount"] is JsonValue amount && amount.TryGetValue<decimal>(out var pounds) ? pounds : null;
    }

    /// <summary>
    /// One PAID relationship from <paramref name="from"/> to <paramref name="to"/> standing for <paramref name="months"/>
    /// (stored PAID relationships, one a month): their period from the first one's start to the last one's end, the
    /// union of their sources, and properties <c>total</c> (pounds), <c>count</c>, <c>months</c> (yyyy-MM) and
    /// <c>granularities</c>. It is not stored, so it has no key.
    /// </summary>
    public static Relationship Aggregate(string from, string to, IReadOnlyList<Relationship> months, long pence)
    {
        var ordered = months.OrderBy(m => m.ValidFrom).ToList();
        var properties = ordered.Select(m => JsonNode.Parse(m.Properties)?.AsObject() ?? []).ToList();
        return new Relationship
        {
            Type = RelationshipType.Paid,
            From = from,
            To = to,
            ValidFrom = ordered.Min(m => m.ValidFrom),
            ValidTo = ordered.Max(m => m.ValidTo),
            Confidence = ordered.Max(m => m.Confidence),
            SourceIds = [.. ordered.SelectMany(m => m.SourceIds).Distinct().Order(StringComparer.Ordinal)],
            Properties = new JsonObject
            {
                ["total"] = pence / 100m,
                ["count"] = properties.Sum(p => p["count"]?.GetValue<int>() ?? 0),
                ["months"] = new JsonArray([.. ordered.Select(m => JsonValue.Create(m.ValidFrom?.ToString("yyyy-MM", CultureInfo.InvariantCulture)))]),
                ["granularities"] = new JsonArray([.. properties
                    .SelectMany(p => (p["granularity"]?.GetValue<string>() ?? "").Split(", ", StringSplitOptions.RemoveEmptyEntries))
                    .Distinct().Order(StringComparer.Ordinal).Select(v => JsonValue.Create(v))]),
            }.ToJsonString(),
        };
    }
}
