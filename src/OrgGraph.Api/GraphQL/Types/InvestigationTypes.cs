using GraphQL.Types;
using OrgGraph.Model;

namespace OrgGraph.Api.GraphQL.Types;

internal sealed class ControlKindType : EnumerationGraphType<ControlKind>
{
    public ControlKindType()
    {
        Name = "ControlKind";
        Description = "The control a relationship confers, from controller to controlled: OVERSIGHT (PART_OF a national body, region or ICS; ACCOUNTABLE_TO), " +
            "COMMISSIONING (COMMISSIONED_BY), OPERATION (OPERATED_BY), OWNERSHIP (OWNED_BY), CONTRACT (AWARDED_TO; BID_FOR only when asked).";
    }
}

internal sealed class PathOrderType : EnumerationGraphType<PathOrder>
{
    public PathOrderType()
    {
        Name = "PathOrder";
        Description = "How privatisation paths are ranked: LENGTH, shortest first, then by the nodes' ids; MONEY, most money `paid` first (a path without a PAID step counts 0), " +
            "then the largest `awardValue` (none counts 0), then as LENGTH.";
    }
}

internal sealed class AmountKindType : EnumerationGraphType<AmountKind>
{
    public AmountKindType()
    {
        Name = "AmountKind";
        Description = "What a step's `amount` is: PAID, money paid (spend transparency files) in the months of the query's window; AWARD_VALUE, a contract award's published value in GBP, " +
            "which on a framework is a ceiling shared by every supplier on the award: not money paid.";
    }
}

internal sealed class PathStepType : ObjectGraphType<PathStep>
{
    public PathStepType()
    {
        Name = "PathStep";
        Description = "One step of a path or control chain: the relationship walked, in the order of the path.";
        Field<NonNullGraphType<OrganisationType>>("from").Description("The organisation the step leaves (the previous node of the path).").Resolve(c => c.Loaders().Nodes.Load(c.Source.From));
        Field<NonNullGraphType<OrganisationType>>("to").Description("The organisation the step reaches (the next node of the path).").Resolve(c => c.Loaders().Nodes.Load(c.Source.To));
        Field<NonNullGraphType<RelationshipTypeType>>("type").Description("The relationship's type.").Resolve(c => c.Source.Relationship.Type);
        Field<ControlKindType>("controlKind").Description("The control the relationship confers; null where it confers none (MEMBER_OF, SUCCEEDED_BY, SUPPLIER_ON, RUNS, PART_OF a non-overseeing parent).").Resolve(c => c.Source.ControlKind);
        Field<NonNullGraphType<BooleanGraphType>>("influenceOnly").Description("True for an ownership interest of 50% or less: influence, not control.").Resolve(c => c.Source.InfluenceOnly);
        Field<NonNullGraphType<DirectionType>>("direction").Description("OUTGOING when the step follows the relationship (from → to as stored), INCOMING when it walks it backwards.").Resolve(c => c.Source.Direction);
        Field<IsoDateGraphType>("validFrom").Description("First day the relationship held; null if since before the sources begin.").Resolve(c => c.Source.Relationship.ValidFrom);
        Field<IsoDateGraphType>("validTo").Description("Last day the relationship held; null if it still holds.").Resolve(c => c.Source.Relationship.ValidTo);
        Field<NonNullGraphType<ConfidenceType>>("confidence").Description("How the relationship is established.").Resolve(c => c.Source.Relationship.Confidence);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PropertyType>>>>("properties").Description("The relationship's properties (share, interest, service, ...).").Resolve(c => PropertyType.Parse(c.Source.Relationship.Properties));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SourceType>>>>("sources").Description("The sources that back the relationship.").Resolve(c => c.Loaders().Sources.LoadMany(c.Source.Relationship.SourceIds));
        Field<DecimalGraphType>("amount").Description("In pounds. A PAID step (privatisation paths with `includePayments`): the money paid in the months of the window, negative if credit notes outweigh payments; " +
            "its relationship stands for those months (period from the first to the last, `properties` total, count, months and granularities, the spend files as `sources`). " +
            "An AWARDED_TO step: the award's value when its currency is GBP (`amountKind` AWARD_VALUE). Null on other steps.").Resolve(c => c.Source.Amount);
        Field<AmountKindType>("amountKind").Description("What `amount` is; null when there is none.").Resolve(c => c.Source.AmountKind);
    }
}

/// <summary>Fields shared by paths and control chains.</summary>
internal abstract class PathLikeType : ObjectGraphType<GraphPath>
{
    protected PathLikeType(string name, string description)
    {
        Name = name;
        Description = description;
        Field<NonNullGraphType<IntGraphType>>("length").Description("Number of steps.").Resolve(c => c.Source.Length);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<OrganisationType>>>>("nodes").Description("The organisations in order, length + 1 of them.").Resolve(c => c.Loaders().Nodes.LoadMany(c.Source.Nodes));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PathStepType>>>>("steps").Description("The steps in order.").Resolve(c => c.Source.Steps);
        Field<IsoDateGraphType>("validFrom").Description("Start of the period every step shares (null: open). With `asOf`, it contains that date; without it, the intersection of the steps' periods, never empty.").Resolve(c => c.Source.Period.From);
        Field<IsoDateGraphType>("validTo").Description("End of the period every step shares (null: still valid).").Resolve(c => c.Source.Period.To);
    }
}

internal sealed class PathType : PathLikeType
{
    public PathType() : base("Path", "A path through the graph, with the period all its steps share.")
    {
        Field<OrganisationType>("firstPrivate").Description("For a privatisation path, the first organisation of sector PRIVATE on it; the path then runs up its owners to the last node, the ultimate owner. Null on other paths.")
            .Resolve(c => c.Source.FirstPrivateIndex is { } i ? c.Loaders().Nodes.Load(c.Source.Nodes[i]) : null);
        Field<IntGraphType>("firstPrivateIndex").Description("Index in `nodes` of `firstPrivate`.").Resolve(c => c.Source.FirstPrivateIndex);
        Field<DecimalGraphType>("paid").Description("Money paid on the path, in pounds: the `amount` of its PAID step (a path takes at most one, since money paid on by a supplier would be counted twice); null without one.").Resolve(c => c.Source.Paid);
        Field<DecimalGraphType>("awardValue").Description("The largest award value on the path's AWARDED_TO steps, in pounds (a ceiling on frameworks, not money paid); null without one.").Resolve(c => c.Source.AwardValue);
    }
}

internal sealed class ControlChainType : PathLikeType
{
    public ControlChainType() : base("ControlChain", "A chain of control, controller first: each step passes control from one organisation to the next.")
    {
        Field<NonNullGraphType<OrganisationType>>("controller").Description("The first node: for whoControls, an ultimate controller (nothing controls it under the same filter).").Resolve(c => c.Loaders().Nodes.Load(c.Source.Nodes[0]));
        Field<NonNullGraphType<OrganisationType>>("controlled").Description("The last node: the organisation controlled.").Resolve(c => c.Loaders().Nodes.Load(c.Source.Nodes[^1]));
    }
}

internal sealed class LineageEntryType : ObjectGraphType<LineageEntry>
{
    public LineageEntryType()
    {
        Name = "LineageEntry";
        Description = "An organisation in a lineage.";
        Field<NonNullGraphType<OrganisationType>>("organisation").Description("The predecessor or successor.").Resolve(c => c.Loaders().Nodes.Load(c.Source.Id));
        Field<IsoDateGraphType>("date").Description("The date of the SUCCEEDED_BY step that reaches it (a merger or replacement).").Resolve(c => c.Source.Date);
        Field<NonNullGraphType<IntGraphType>>("depth").Description("Steps from the organisation asked about: 1 for a direct predecessor or successor.").Resolve(c => c.Source.Depth);
    }
}

internal sealed class LineageType : ObjectGraphType<(string Id, Lineage Lineage)>
{
    public LineageType()
    {
        Name = "Lineage";
        Description = "What an organisation was formed from and became, through SUCCEEDED_BY, transitively.";
        Field<NonNullGraphType<OrganisationType>>("organisation").Description("The organisation asked about.").Resolve(c => c.Loaders().Nodes.Load(c.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LineageEntryType>>>>("predecessors").Description("Organisations succeeded by it, directly or through others; nearest first.").Resolve(c => c.Source.Lineage.Predecessors);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<LineageEntryType>>>>("successors").Description("Organisations that succeeded it, directly or through others; nearest first.").Resolve(c => c.Source.Lineage.Successors);
    }
}

internal sealed record KindCount(OrgKind Kind, int Count);

internal sealed record SectorCount(Sector Sector, int Count);

internal sealed class KindCountType : ObjectGraphType<KindCount>
{
    public KindCountType()
    {
        Name = "KindCount";
        Description = "How many organisations of a kind.";
        Field(k => k.Kind, type: typeof(NonNullGraphType<OrgKindType>)).Description("The kind.");
        Field(k => k.Count).Description("How many.");
    }
}

internal sealed class SectorCountType : ObjectGraphType<SectorCount>
{
    public SectorCountType()
    {
        Name = "SectorCount";
        Description = "How many organisations of a sector.";
        Field(k => k.Sector, type: typeof(NonNullGraphType<SectorType>)).Description("The sector.");
        Field(k => k.Count).Description("How many.");
    }
}

internal sealed class IcsCommissioningType : ObjectGraphType<IcsCommissioning>
{
    public IcsCommissioningType()
    {
        Name = "IcsCommissioning";
        Description = "The providers an ICS, or a CCG/sub-ICB location PART_OF it, commissions (COMMISSIONED_BY), by sector.";
        Field<NonNullGraphType<OrganisationType>>("ics").Description("The ICS.").Resolve(c => c.Loaders().Nodes.Load(c.Source.IcsId));
        Field<NonNullGraphType<IntGraphType>>("providers").Description("Distinct providers commissioned.").Resolve(c => c.Source.Providers);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SectorCountType>>>>("bySector").Description("Providers by their own sector.")
            .Resolve(c => c.Source.BySector.OrderBy(p => p.Key).Select(p => new SectorCount(p.Key, p.Value)).ToList());
        Field<NonNullGraphType<FloatGraphType>>("privateShare").Description("Share of providers of sector PRIVATE, 0 to 1.").Resolve(c => c.Source.PrivateShare);
        Field<NonNullGraphType<IntGraphType>>("operatedByPrivate").Description("Providers not themselves private but OPERATED_BY a private organisation (e.g. GP practices run by a company).").Resolve(c => c.Source.OperatedByPrivate);
    }
}

internal sealed class StatsType : ObjectGraphType<GraphStats>
{
    public StatsType()
    {
        Name = "Stats";
        Description = "Counts for dashboards.";
        Field<NonNullGraphType<IntGraphType>>("total").Description("Organisations counted.").Resolve(c => c.Source.Total);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<KindCountType>>>>("byKind").Description("Organisations by kind, in kind order.")
            .Resolve(c => c.Source.ByKind.OrderBy(p => p.Key).Select(p => new KindCount(p.Key, p.Value)).ToList());
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IcsCommissioningType>>>>("commissioning").Description("Per ICS counted (or the ICS asked about), its commissioned providers by sector.").Resolve(c => c.Source.Commissioning);
    }
}
