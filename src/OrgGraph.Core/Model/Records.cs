namespace OrgGraph.Model;

/// <summary>A period during which a fact holds. Null ends are open.</summary>
public readonly record struct Period(DateOnly? From, DateOnly? To)
{
    /// <summary>True when <paramref name="date"/> lies inside the period (ends included); a null date means "any time".</summary>
    public bool Contains(DateOnly? date) =>
        date is not { } d || ((From is null || From <= d) && (To is null || d <= To));
}

/// <summary>A document that backs facts in the graph.</summary>
public sealed record Source
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string? Publisher { get; init; }
    public string? Url { get; init; }
    public DateOnly? Published { get; init; }
    public DateOnly? Retrieved { get; init; }
    public string? Licence { get; init; }
}

/// <summary>A dated value attached to a node: a former name, a role, or an alias.</summary>
public sealed record DatedValue
{
    public required string Value { get; init; }
    /// <summary>For aliases, the coding scheme; null for names and roles.</summary>
    public AliasScheme? Scheme { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public IReadOnlyList<string> SourceIds { get; init; } = [];
}

/// <summary>An organisation or other entity, with its dated facts and evidence.</summary>
public sealed record Node
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required OrgKind Kind { get; init; }
    public required Sector Sector { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public Confidence Confidence { get; init; } = Confidence.Official;
    public IReadOnlyList<string> SourceIds { get; init; } = [];
    /// <summary>A JSON object of scalar properties (postcode, foundationTrust, ...).</summary>
    public string Properties { get; init; } = "{}";
    public IReadOnlyList<DatedValue> Names { get; init; } = [];
    public IReadOnlyList<DatedValue> Roles { get; init; } = [];
    public IReadOnlyList<DatedValue> Aliases { get; init; } = [];

    public Period Period => new(ValidFrom, ValidTo);
}

/// <summary>A typed, directed, dated relationship. Identified by (Type, From, To, ValidFrom).</summary>
public sealed record Relationship
{
    /// <summary>Store-assigned key; 0 before the relationship is stored.</summary>
    public long Key { get; init; }
    public required RelationshipType Type { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public Confidence Confidence { get; init; } = Confidence.Official;
    public IReadOnlyList<string> SourceIds { get; init; } = [];
    public string Properties { get; init; } = "{}";

    public Period Period => new(ValidFrom, ValidTo);
}

/// <summary>Everything one import brings: applied to the store in a single transaction.</summary>
public sealed record GraphBatch
{
    public IReadOnlyList<Source> Sources { get; init; } = [];
    public IReadOnlyList<Node> Nodes { get; init; } = [];
    /// <summary>Names, roles and aliases for nodes that may already be in the store, keyed by node id.</summary>
    public IReadOnlyList<(string NodeId, NodeFactKind Kind, DatedValue Value)> NodeFacts { get; init; } = [];
    public IReadOnlyList<Relationship> Relationships { get; init; } = [];
    /// <summary>Spend lines, stored with their file and line; PAID relationships hold their monthly totals.</summary>
    public IReadOnlyList<PaymentLine> Payments { get; init; } = [];
    /// <summary>How each supplier string of <see cref="Payments"/> was matched (the resolution report).</summary>
    public IReadOnlyList<SupplierMatch> SupplierMatches { get; init; } = [];
    /// <summary>Normalised supplier name → the company the import's evidence ties it to (kept for later imports).</summary>
    public IReadOnlyDictionary<string, KnownCompany> CompanyEvidence { get; init; } = new Dictionary<string, KnownCompany>();
    /// <summary>Audit records of the write (who, when, what, sources), stored in the same transaction; see <see cref="Storage.IChangeLog"/>.</summary>
    public IReadOnlyList<Change> Changes { get; init; } = [];
}

public enum NodeFactKind
{
    Name,
    Role,
    Alias,
}

/// <summary>Counts of what a batch wrote.</summary>
public sealed record ImportCounts(int Sources, int Nodes, int NodeFacts, int Relationships);
