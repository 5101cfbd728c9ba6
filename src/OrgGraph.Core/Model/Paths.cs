namespace OrgGraph.Model;

/// <summary>What a relationship lets its controller do to the controlled (DESIGN.md, control semantics).</summary>
public enum ControlKind
{
    Oversight,
    Commissioning,
    Operation,
    Ownership,
    Contract,
}

/// <summary>One step of a path: the relationship, the nodes in the order walked, and what control it confers.</summary>
public sealed record PathStep
{
    public required Relationship Relationship { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    /// <summary>Outgoing when the step follows the relationship's direction, incoming when it walks it backwards.</summary>
    public required Direction Direction { get; init; }
    public ControlKind? ControlKind { get; init; }
    /// <summary>An ownership interest of 50% or less: influence, not control.</summary>
    public bool InfluenceOnly { get; init; }
    /// <summary>PAID: the money paid in the query's window, in pounds; AWARDED_TO: the award's value in GBP; null otherwise.</summary>
    public decimal? Amount { get; init; }
    /// <summary>What <see cref="Amount"/> is; null when there is no amount.</summary>
    public AmountKind? AmountKind { get; init; }
}

/// <summary>What a step's amount means.</summary>
public enum AmountKind
{
    /// <summary>Money paid (spend transparency files), summed over the months of the query's window.</summary>
    Paid,
    /// <summary>A contract award's published value: a ceiling on frameworks, shared by every supplier on the award; not money paid.</summary>
    AwardValue,
}

/// <summary>How privatisation paths are ranked.</summary>
public enum PathOrder
{
    /// <summary>Shortest first, then by the nodes' ids.</summary>
    Length,
    /// <summary>Most money paid first (a path without a PAID step counts 0), then the largest award value, then as <see cref="Length"/>.</summary>
    Money,
}

/// <summary>
/// A path through the graph. <see cref="Period"/> is the period every step shares: on <c>asOf</c> queries
/// it contains that date; otherwise it is the intersection of the steps' periods (never empty).
/// </summary>
public sealed record GraphPath
{
    public required IReadOnlyList<string> Nodes { get; init; }
    public required IReadOnlyList<PathStep> Steps { get; init; }
    public Period Period { get; init; }
    /// <summary>For privatisation paths: the index in <see cref="Nodes"/> of the first private organisation.</summary>
    public int? FirstPrivateIndex { get; init; }
    public int Length => Steps.Count;
    /// <summary>The money of the path's PAID step (a path has at most one); null without one.</summary>
    public decimal? Paid => Steps.Where(s => s.AmountKind == Model.AmountKind.Paid).Select(s => s.Amount).FirstOrDefault();
    /// <summary>The largest award value among the path's AWARDED_TO steps; null without one.</summary>
    public decimal? AwardValue => Steps.Where(s => s.AmountKind == Model.AmountKind.AwardValue).Max(s => s.Amount);
}

/// <summary>Which relationships a traversal may use, and its bounds.</summary>
public sealed record TraversalQuery
{
    /// <summary>Every node and relationship used is valid on this date; without it, paths need a common period.</summary>
    public DateOnly? AsOf { get; init; }
    /// <summary>Control kinds a control traversal may use (all when null).</summary>
    public IReadOnlyCollection<ControlKind>? Kinds { get; init; }
    /// <summary>Relationship types a connection may use (all when null).</summary>
    public IReadOnlyCollection<RelationshipType>? Types { get; init; }
    /// <summary>Kinds of organisation <c>controlledBy</c> returns (all when null).</summary>
    public IReadOnlyCollection<OrgKind>? NodeKinds { get; init; }
    public int MaxHops { get; init; } = 8;
    public int First { get; init; } = 100;
    /// <summary>Privatisation paths may go through BID_FOR (a bid, not an award).</summary>
    public bool IncludeBids { get; init; }
    /// <summary>Privatisation paths may take one PAID step, from a body on the way down to a supplier it paid in the window.</summary>
    public bool IncludePayments { get; init; }
    /// <summary>The window of the money on PAID steps: the calendar months that overlap [PaidFrom, PaidTo] (open ends: all months).</summary>
    public DateOnly? PaidFrom { get; init; }
    public DateOnly? PaidTo { get; init; }
    public PathOrder Order { get; init; } = PathOrder.Length;
}

/// <summary>An organisation in a lineage: reached through SUCCEEDED_BY at <see cref="Depth"/> steps, on <see cref="Date"/>.</summary>
public sealed record LineageEntry(string Id, DateOnly? Date, int Depth);

public sealed record Lineage(IReadOnlyList<LineageEntry> Predecessors, IReadOnlyList<LineageEntry> Successors);

/// <summary>Counts for dashboards: organisations by kind within a node, and per ICS the commissioned providers by sector.</summary>
public sealed record GraphStats(int Total, IReadOnlyDictionary<OrgKind, int> ByKind, IReadOnlyList<IcsCommissioning> Commissioning);

/// <summary>
/// The providers commissioned (COMMISSIONED_BY) by an ICS or by the CCGs/sub-ICB locations within it, by sector;
/// <see cref="OperatedByPrivate"/> counts public-sector providers (GP practices) run by a private operator.
/// </summary>
public sealed record IcsCommissioning(string IcsId, int Providers, IReadOnlyDictionary<Sector, int> BySector, int OperatedByPrivate)
{
    public double PrivateShare => Providers == 0 ? 0 : (double)BySector.GetValueOrDefault(Sector.Private) / Providers;
}

/// <summary>A traversal bound was hit: the answer would be incomplete, so there is none.</summary>
public sealed class TraversalLimitException(string message) : Exception(message);
