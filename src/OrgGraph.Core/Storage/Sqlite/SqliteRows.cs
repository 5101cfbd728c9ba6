using System.Globalization;
using System.Text.Json;
using Mapster;
using Microsoft.Data.Sqlite;
using OrgGraph.Model;

namespace OrgGraph.Storage.Sqlite;

// Rows as SQLite holds them (wire-name enums, ISO-text dates with sentinels, JSON arrays of source ids);
// Mapster maps them to the domain records.
internal sealed record NodeRow(string Id, string Name, string Kind, string Sector, string ValidFrom, string ValidTo,
    string Confidence, string Sources, string Properties);

internal sealed record FactRow(string NodeId, string Fact, string Value, string? Scheme, string ValidFrom, string ValidTo, string Sources);

internal sealed record RelationshipRow(long Key, string Type, string From, string To, string ValidFrom, string ValidTo,
    string Confidence, string Sources, string Properties);

internal static class SqliteRows
{
    public const string NodeColumns = "n.id, n.name, n.kind, n.sector, n.valid_from, n.valid_to, n.confidence, n.sources, n.properties";
    public const string RelationshipColumns = "r.key, r.type, r.from_id, r.to_id, r.valid_from, r.valid_to, r.confidence, r.sources, r.properties";

    private static readonly TypeAdapterConfig Config = CreateConfig();

    public static NodeRow ReadNode(SqliteDataReader r, int o = 0) => new(r.GetString(o), r.GetString(o + 1), r.GetString(o + 2),
        r.GetString(o + 3), r.GetString(o + 4), r.GetString(o + 5), r.GetString(o + 6), r.GetString(o + 7), r.GetString(o + 8));

    public static RelationshipRow ReadRelationship(SqliteDataReader r, int o = 0) => new(r.GetInt64(o), r.GetString(o + 1),
        r.GetString(o + 2), r.GetString(o + 3), r.GetString(o + 4), r.GetString(o + 5), r.GetString(o + 6), r.GetString(o + 7), r.GetString(o + 8));

    public static Node ToNode(NodeRow row, IEnumerable<FactRow> facts)
    {
        var node = row.Adapt<Node>(Config);
        var byKind = facts.ToLookup(f => f.Fact);
        return node with
        {
            Names = byKind[FactName(NodeFactKind.Name)].Select(f => f.Adapt<DatedValue>(Config)).ToList(),
            Roles = byKind[FactName(NodeFactKind.Role)].Select(f => f.Adapt<DatedValue>(Config)).ToList(),
            Aliases = byKind[FactName(NodeFactKind.Alias)].Select(f => f.Adapt<DatedValue>(Config)).ToList(),
        };
    }

    public static Relationship ToRelationship(RelationshipRow row) => row.Adapt<Relationship>(Config);

    public static string FactName(NodeFactKind kind) => EnumNames.ToWire(kind);

    public static string Start(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? SqliteSchema.OpenStart;

    public static string End(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? SqliteSchema.OpenEnd;

    public static object Date(DateOnly? date) => (object?)date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? DBNull.Value;

    public static DateOnly? ParseDate(string? text) =>
        text is null or SqliteSchema.OpenStart or SqliteSchema.OpenEnd ? null : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Json(IEnumerable<string> values) => JsonSerializer.Serialize(values);

    private static IReadOnlyList<string> ParseIds(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static TypeAdapterConfig CreateConfig()
    {
        var config = new TypeAdapterConfig();
        config.NewConfig<NodeRow, Node>()
            .Map(d => d.Kind, s => EnumNames.Parse<OrgKind>(s.Kind))
            .Map(d => d.Sector, s => EnumNames.Parse<Sector>(s.Sector))
            .Map(d => d.Confidence, s => EnumNames.Parse<Confidence>(s.Confidence))
            .Map(d => d.ValidFrom, s => ParseDate(s.ValidFrom))
            .Map(d => d.ValidTo, s => ParseDate(s.ValidTo))
            .Map(d => d.SourceIds, s => ParseIds(s.Sources))
            .Ignore(d => d.Names, d => d.Roles, d => d.Aliases);
        config.NewConfig<FactRow, DatedValue>()
            .Map(d => d.Scheme, s => s.Scheme == null ? (AliasScheme?)null : EnumNames.Parse<AliasScheme>(s.Scheme))
            .Map(d => d.ValidFrom, s => ParseDate(s.ValidFrom))
            .Map(d => d.ValidTo, s => ParseDate(s.ValidTo))
            .Map(d => d.SourceIds, s => ParseIds(s.Sources));
        config.NewConfig<RelationshipRow, Relationship>()
            .Map(d => d.Type, s => EnumNames.Parse<RelationshipType>(s.Type))
            .Map(d => d.Confidence, s => EnumNames.Parse<Confidence>(s.Confidence))
            .Map(d => d.ValidFrom, s => ParseDate(s.ValidFrom))
            .Map(d => d.ValidTo, s => ParseDate(s.ValidTo))
            .Map(d => d.SourceIds, s => ParseIds(s.Sources));
        config.Compile();
        return config;
    }
}
