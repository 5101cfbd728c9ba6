using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrgGraph.Model;

namespace OrgGraph.Exporting;

/// <summary>How values are written in every format, so the formats agree with each other and with the Neo4j backend.</summary>
internal static class ExportValues
{
    /// <summary>Open ends in the Neo4j formats, as the Neo4j backend stores them ("valid on D" is two string comparisons).</summary>
    public const string OpenStart = "0001-01-01";
    public const string OpenEnd = "9999-12-31";

    /// <summary>The Neo4j label of every organisation; a second label names its kind (<see cref="KindLabel"/>).</summary>
    public const string OrganisationLabel = "Organisation";
    public const string SourceLabel = "Source";
    public const string FactLabel = "Fact";
    public const string HasFact = "HAS_FACT";

    /// <summary>UTF-8 without a byte order mark (Neo4j, cypher-shell and XML readers all expect none).</summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static string StartOrOpen(DateOnly? date) => Date(date) ?? OpenStart;

    public static string EndOrOpen(DateOnly? date) => Date(date) ?? OpenEnd;

    public static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Wire<T>(T value) where T : struct, Enum => EnumNames.ToWire(value);

    /// <summary>The kind as a Neo4j label: the enum member's name (<c>Trust</c>, <c>GpPractice</c>, <c>Ics</c>).</summary>
    public static string KindLabel(OrgKind kind) => kind.ToString();

    /// <summary>The facts of a node with their kind, in the order the store gives them (names, roles, aliases).</summary>
    public static IEnumerable<(NodeFactKind Kind, DatedValue Value)> Facts(Node node) =>
        node.Names.Select(v => (NodeFactKind.Name, v))
            .Concat(node.Roles.Select(v => (NodeFactKind.Role, v)))
            .Concat(node.Aliases.Select(v => (NodeFactKind.Alias, v)));

    /// <summary>Every source id a node cites, its names, roles and aliases included.</summary>
    public static IEnumerable<string> CitedBy(Node node) => node.SourceIds.Concat(Facts(node).SelectMany(f => f.Value.SourceIds));

    /// <summary>
    /// Dated values as a JSON array of <c>{value, scheme?, validFrom, validTo, sources}</c> (open ends null), for the
    /// formats without nested values (GraphML, GEXF).
    /// </summary>
    public static string FactsJson(IReadOnlyList<DatedValue> values) => JsonSerializer.Serialize(
        values.Select(v => new FactJson(v.Value, v.Scheme is { } s ? Wire(s) : null, Date(v.ValidFrom), Date(v.ValidTo), v.SourceIds)),
        JsonOptions);

    /// <summary>The ownership share of a relationship (<c>{"share": 100}</c>), which the Neo4j backend keeps as its own property.</summary>
    public static double? Share(string properties)
    {
        try
        {
            using var json = JsonDocument.Parse(properties);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("share", out var share) && share.ValueKind == JsonValueKind.Number
                ? share.GetDouble()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Source ids as one string, <c>;</c>-separated (ids never contain <c>;</c>: it separates them in the CSV format).</summary>
    public static string Ids(IEnumerable<string> ids) => string.Join(';', ids);

    /// <summary>The URLs of the cited sources, space-separated (a URL has no spaces), in citation order.</summary>
    public static string Urls(IEnumerable<string> sourceIds, IReadOnlyDictionary<string, Source> sources) =>
        string.Join(' ', sourceIds.Select(id => sources.GetValueOrDefault(id)?.Url).Where(u => !string.IsNullOrEmpty(u)).Distinct(StringComparer.Ordinal));

    private sealed record FactJson(string Value, string? Scheme, string? ValidFrom, string? ValidTo, IReadOnlyList<string> Sources);
}
