using System.Globalization;
using System.Text.Json.Nodes;
using OrgGraph.Model;

namespace OrgGraph.Api.Writes;

/// <summary>Records as the JSON the audit trail keeps (before and after a write): wire-name enums, ISO dates, properties as an object.</summary>
internal static class Snapshots
{
    public static JsonObject Of(Node n) => new()
    {
        ["id"] = n.Id,
        ["name"] = n.Name,
        ["kind"] = EnumNames.ToWire(n.Kind),
        ["sector"] = EnumNames.ToWire(n.Sector),
        ["validFrom"] = Date(n.ValidFrom),
        ["validTo"] = Date(n.ValidTo),
        ["confidence"] = EnumNames.ToWire(n.Confidence),
        ["sources"] = Strings(n.SourceIds),
        ["properties"] = JsonNode.Parse(n.Properties),
        ["names"] = Facts(n.Names),
        ["roles"] = Facts(n.Roles),
        ["aliases"] = Facts(n.Aliases),
    };

    public static JsonObject Of(Relationship r) => new()
    {
        ["type"] = EnumNames.ToWire(r.Type),
        ["from"] = r.From,
        ["to"] = r.To,
        ["validFrom"] = Date(r.ValidFrom),
        ["validTo"] = Date(r.ValidTo),
        ["confidence"] = EnumNames.ToWire(r.Confidence),
        ["sources"] = Strings(r.SourceIds),
        ["properties"] = JsonNode.Parse(r.Properties),
    };

    public static JsonObject Of(Source s) => new()
    {
        ["id"] = s.Id,
        ["title"] = s.Title,
        ["publisher"] = s.Publisher,
        ["url"] = s.Url,
        ["published"] = Date(s.Published),
        ["retrieved"] = Date(s.Retrieved),
        ["licence"] = s.Licence,
    };

    public static JsonObject Of((string NodeId, NodeFactKind Kind, DatedValue Value) fact)
    {
        var json = Fact(fact.Value);
        json.Insert(0, "nodeId", fact.NodeId);
        json.Insert(1, "fact", EnumNames.ToWire(fact.Kind));
        return json;
    }

    /// <summary>Several kinds of record in one object of arrays, e.g. everything an import replaced.</summary>
    public static JsonObject Batch(IEnumerable<Source> sources, IEnumerable<Node> nodes, IEnumerable<(string, NodeFactKind, DatedValue)> facts, IEnumerable<Relationship> relationships) => new()
    {
        ["sources"] = new JsonArray([.. sources.Select(s => (JsonNode)Of(s))]),
        ["nodes"] = new JsonArray([.. nodes.Select(n => (JsonNode)Of(n))]),
        ["facts"] = new JsonArray([.. facts.Select(f => (JsonNode)Of(f))]),
        ["relationships"] = new JsonArray([.. relationships.Select(r => (JsonNode)Of(r))]),
    };

    private static JsonArray Facts(IEnumerable<DatedValue> values) => new([.. values.Select(v => (JsonNode)Fact(v))]);

    private static JsonObject Fact(DatedValue v) => new()
    {
        ["value"] = v.Value,
        ["scheme"] = v.Scheme is { } scheme ? EnumNames.ToWire(scheme) : null,
        ["validFrom"] = Date(v.ValidFrom),
        ["validTo"] = Date(v.ValidTo),
        ["sources"] = Strings(v.SourceIds),
    };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    private static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
