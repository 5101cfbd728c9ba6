using System.Globalization;
using System.Text.Json;
using GraphQL.Types;
using OrgGraph.Model;
using OrgGraph.Storage;

namespace OrgGraph.Api.GraphQL.Types;

/// <summary>One award: an AWARDED_TO relationship (contract → supplier) with the contract's buyer (COMMISSIONED_BY) and the properties the notice gives.</summary>
internal sealed record AwardView(Relationship Award, string? BuyerId)
{
    private readonly Dictionary<string, JsonElement> _properties = Parse(Award.Properties);

    public string? Text(string key) => _properties.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public decimal? Number(string key) => _properties.TryGetValue(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : null;

    /// <summary>The award date the notice gives, else the start of the relationship (curated awards carry no award date).</summary>
    public DateOnly? Date => Text("awardDate") is { } d && DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : Award.ValidFrom;

    private static Dictionary<string, JsonElement> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>
    /// The awards to a supplier and/or by a buyer whose award date lies between two dates, newest first: read from the
    /// stored relationships (AWARDED_TO and COMMISSIONED_BY of CONTRACT nodes), so every backend answers the same way.
    /// </summary>
    public static async Task<IReadOnlyList<AwardView>> FindAsync(IGraphStore store, string? supplier, string? buyer, DateOnly? from, DateOnly? to, int first, CancellationToken cancellationToken)
    {
        HashSet<string>? contracts = null;
        if (supplier is not null)
        {
            contracts = await FromIdsAsync(store, supplier, RelationshipType.AwardedTo, cancellationToken);
        }

        if (buyer is not null)
        {
            var commissioned = await FromIdsAsync(store, buyer, RelationshipType.CommissionedBy, cancellationToken);
            contracts = contracts is null ? commissioned : [.. contracts.Intersect(commissioned)];
        }

        contracts ??= await AllContractsAsync(store, cancellationToken);
        var edges = await store.GetRelationshipsAsync(contracts, new RelationshipFilter
        {
            Types = [RelationshipType.AwardedTo, RelationshipType.CommissionedBy],
            Direction = Direction.Outgoing,
        }, cancellationToken);
        return edges.Values
            .SelectMany(contract =>
            {
                var buyerId = contract.Where(r => r.Type == RelationshipType.CommissionedBy).Select(r => r.To).Order(StringComparer.Ordinal).FirstOrDefault();
                return contract.Where(r => r.Type == RelationshipType.AwardedTo && (supplier is null || r.To == supplier)).Select(r => new AwardView(r, buyerId));
            })
            .Where(a => buyer is null || a.BuyerId == buyer)
            .Where(a => (from is null || a.Date >= from) && (to is null || a.Date <= to))
            .OrderByDescending(a => a.Date).ThenBy(a => a.Award.From, StringComparer.Ordinal).ThenBy(a => a.Award.To, StringComparer.Ordinal)
            .Take(first)
            .ToList();
    }

    private static async Task<HashSet<string>> FromIdsAsync(IGraphStore store, string id, RelationshipType type, CancellationToken cancellationToken)
    {
        var edges = await store.GetRelationshipsAsync([id], new RelationshipFilter { Types = [type], Direction = Direction.Incoming }, cancellationToken);
        return edges.GetValueOrDefault(id, []).Select(r => r.From).ToHashSet(StringComparer.Ordinal);
    }

    private static async Task<HashSet<string>> AllContractsAsync(IGraphStore store, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var page in store.NodePagesAsync(new NodeQuery { Kinds = [OrgKind.Contract], First = 1000 }, cancellationToken))
        {
            ids.UnionWith(page.Select(n => n.Id));
        }

        return ids;
    }
}

internal sealed class AwardType : ObjectGraphType<AwardView>
{
    public AwardType()
    {
        Name = "Award";
        Description = "A contract awarded to one supplier (contract AWARDED_TO supplier), with the contract's buyer and what the notice says. On a framework award every supplier gets the same value: the ceiling of the whole award, not their share.";
        Field<NonNullGraphType<OrganisationType>>("contract").Description("The contract (kind CONTRACT).").Resolve(c => c.Loaders().Nodes.Load(c.Source.Award.From));
        Field<OrganisationType>("buyer").Description("The body the contract is COMMISSIONED_BY (null when no source names one).")
            .Resolve(c => c.Source.BuyerId is null ? null : c.Loaders().Nodes.Load(c.Source.BuyerId));
        Field<NonNullGraphType<OrganisationType>>("supplier").Description("The supplier's node: CH:<number>, cqc:<provider id>, a matched organisation, or an unresolved supplier.")
            .Resolve(c => c.Loaders().Nodes.Load(c.Source.Award.To));
        Field<StringGraphType>("supplierName").Description("The supplier as published (null when withheld because it names a person).").Resolve(c => c.Source.Text("supplierName"));
        Field<DecimalGraphType>("amount").Description("The award value as published, in `currency`: often a framework ceiling, 0, or a unit rate; see `valueNote`.").Resolve(c => c.Source.Number("amount"));
        Field<StringGraphType>("currency").Description("Currency of `amount`, e.g. GBP.").Resolve(c => c.Source.Text("currency"));
        Field<StringGraphType>("valueNote").Description("Why `amount` is not a contract total, when it is 0, absent or under 1,000.").Resolve(c => c.Source.Text("valueNote"));
        Field<IntGraphType>("sharedWith").Description("How many other suppliers the same award names.").Resolve(c => c.Source.Number("sharedWith") is { } n ? (int)n : (int?)null);
        Field<IsoDateGraphType>("awardDate").Description("The award date the notice gives.").Resolve(c => c.Source.Text("awardDate") is null ? null : c.Source.Date);
        Field<IsoDateGraphType>("periodStart").Description("Start of the contract period (the award date when the notice gives no period).").Resolve(c => c.Source.Award.ValidFrom);
        Field<IsoDateGraphType>("periodEnd").Description("End of the contract period; null when not stated.").Resolve(c => c.Source.Award.ValidTo);
        Field<StringGraphType>("procedure").Description("The procurement procedure as published.").Resolve(c => c.Source.Text("procedure"));
        Field<StringGraphType>("identifier").Description("The supplier identifier the notice gives, as scheme:id (GB-COH, GB-CQC).").Resolve(c => c.Source.Text("identifier"));
        Field<StringGraphType>("noticeId").Description("The Contracts Finder notice id.").Resolve(c => c.Source.Text("noticeId"));
        Field<StringGraphType>("noticeUrl").Description("Where the notice's release package is published.").Resolve(c => c.Source.Text("noticeUrl"));
        Field<NonNullGraphType<ConfidenceType>>("confidence").Description("How the award is established.").Resolve(c => c.Source.Award.Confidence);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SourceType>>>>("sources").Description("The sources that back the award.")
            .Resolve(c => c.Loaders().Sources.LoadMany(c.Source.Award.SourceIds));
    }
}
