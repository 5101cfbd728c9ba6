using OrgGraph.Model;

namespace OrgGraph.Storage;

/// <summary>
/// The graph store port, shaped by what the API asks of the graph. Every method that takes a set of ids
/// answers for the whole set in one round trip, so GraphQL batch loaders can keep store calls bounded.
/// </summary>
public interface IGraphStore
{
    /// <summary>Creates the schema (tables, indexes, full-text index) if it does not exist. Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Counts of what the store holds.</summary>
    Task<GraphCounts> CountAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts or updates everything in <paramref name="batch"/> in one transaction: either all of it is
    /// written or none of it. Nodes are keyed by id, relationships by (type, from, to, validFrom).
    /// </summary>
    Task<ImportCounts> UpsertAsync(GraphBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="read"/> so that the store calls it makes see one state of the graph, even if a write commits
    /// in between (SQLite: one read transaction, taken at the first call; a write made inside ends it, so later reads see
    /// the write). Neo4j: each call is its own transaction (docs/security.md, Not covered).
    /// </summary>
    Task<T> InSnapshotAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="write"/> as one write transaction: the reads it makes (e.g. of the records a write replaces) and
    /// its <see cref="UpsertAsync"/> calls commit together when it returns, or not at all, and no other writer can change what
    /// it read in between. SQLite: across processes (the write lock, waited for up to its busy timeout, then
    /// <see cref="StoreBusyException"/>). Neo4j: serialised with the other writes of this process only.
    /// </summary>
    Task<T> InWriteTransactionAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken);

    /// <summary>Nodes (with names, roles and aliases) by exact id. Missing ids are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, Node>> GetNodesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>
    /// Resolves ids or aliases (ONS codes, former codes, Companies House numbers) to node ids. An exact id wins
    /// over an alias. Unresolvable keys are absent from the result.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> ResolveAsync(IReadOnlyCollection<string> idsOrAliases, CancellationToken cancellationToken);

    /// <summary>Sources by id. Missing ids are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, Source>> GetSourcesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>A filtered page of nodes ordered by id, with the total count of matches.</summary>
    Task<NodePage> FindNodesAsync(NodeQuery query, CancellationToken cancellationToken);

    /// <summary>Full-text search of names, former names, ids and aliases, best match first.</summary>
    Task<IReadOnlyList<Node>> SearchAsync(string text, int first, CancellationToken cancellationToken);

    /// <summary>
    /// The relationships touching each of <paramref name="nodeIds"/> that match <paramref name="filter"/>,
    /// keyed by the node they were asked for, ordered by type, then start date, then the other end's id.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<Relationship>>> GetRelationshipsAsync(
        IReadOnlyCollection<string> nodeIds, RelationshipFilter filter, CancellationToken cancellationToken);

    /// <summary>Every chain of control ending at a node, from its ultimate controllers (DESIGN.md, control semantics).</summary>
    Task<IReadOnlyList<GraphPath>> WhoControlsAsync(string id, TraversalQuery query, CancellationToken cancellationToken);

    /// <summary>Everything a node controls, transitively, each with its shortest chain; shortest first.</summary>
    Task<IReadOnlyList<GraphPath>> ControlledByAsync(string id, TraversalQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Paths from a public body to the first private organisation and on to its ultimate owner; shortest first, or by money.
    /// With <see cref="TraversalQuery.IncludePayments"/> a path may take one PAID step, standing for the months of the
    /// query's window (docs/money.md). Neo4j: not with payments or <see cref="PathOrder.Money"/> (NotSupportedException).
    /// </summary>
    Task<IReadOnlyList<GraphPath>> PrivatisationPathsAsync(string id, TraversalQuery query, CancellationToken cancellationToken);

    /// <summary>The shortest simple paths between two nodes over any relationships, ignoring direction.</summary>
    Task<IReadOnlyList<GraphPath>> ConnectionsAsync(string from, string to, TraversalQuery query, CancellationToken cancellationToken);

    /// <summary>Predecessors and successors through SUCCEEDED_BY, transitively, both ways.</summary>
    Task<Lineage> LineageAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Payment lines from a body and/or to a supplier between two dates, ordered by date, source and line, with the total
    /// and coverage of every matching line.
    /// </summary>
    Task<PaymentPage> PaymentsAsync(PaymentQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Totals of the payments by a body and the bodies transitively PART_OF it, grouped by supplier, by the supplier's
    /// sector, or by the supplier's ultimate owner through controlling OWNED_BY relationships valid on each payment's date.
    /// </summary>
    Task<SpendResult> SpendAsync(SpendQuery query, CancellationToken cancellationToken);

    /// <summary>The supplier resolution report: each supplier name with the node it went to, the method and score; strongest first.</summary>
    Task<IReadOnlyList<SupplierMatch>> SupplierMatchesAsync(MatchMethod? method, int first, CancellationToken cancellationToken);

    /// <summary>The company evidence earlier imports brought (normalised supplier name → company), for matching a later spend file.</summary>
    Task<IReadOnlyDictionary<string, KnownCompany>> CompanyEvidenceAsync(CancellationToken cancellationToken);

    /// <summary>Counts by kind within a node (the whole graph when null), and per ICS the providers commissioned by sector.</summary>
    Task<GraphStats> StatsAsync(string? within, DateOnly? asOf, CancellationToken cancellationToken);
}

/// <summary>Which nodes <see cref="IGraphStore.FindNodesAsync"/> returns.</summary>
public sealed record NodeQuery
{
    public IReadOnlyCollection<OrgKind>? Kinds { get; init; }
    public Sector? Sector { get; init; }
    /// <summary>Only nodes transitively PART_OF this node id (valid on <see cref="AsOf"/> when given).</summary>
    public string? Within { get; init; }
    /// <summary>Only nodes (and, for <see cref="Within"/>, PART_OF edges) valid on this date.</summary>
    public DateOnly? AsOf { get; init; }
    /// <summary>Case-insensitive substring of the current name.</summary>
    public string? NameContains { get; init; }
    /// <summary>Return nodes whose id sorts after this one (keyset paging).</summary>
    public string? AfterId { get; init; }
    public int First { get; init; } = 50;
}

public sealed record NodePage(IReadOnlyList<Node> Nodes, int TotalCount, bool HasNextPage);

/// <summary>Which relationships <see cref="IGraphStore.GetRelationshipsAsync"/> returns.</summary>
public sealed record RelationshipFilter
{
    public IReadOnlyCollection<RelationshipType>? Types { get; init; }
    public Direction Direction { get; init; } = Direction.Both;
    public DateOnly? AsOf { get; init; }
}

public sealed record GraphCounts(int Sources, int Nodes, int Relationships);
